/**
 * The generator's output law: uniforms are U[0,1) and polar normals are N(0,1), by the
 * Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant:
 * P(sup_x |F_n(x) − F(x)| > ε) ≤ 2 e^{−2nε²} (valid for every n, no asymptotics).
 */
import { describe } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { Rng } from '../../src/random/rng.ts';
import { normalCdf } from '../../src/statistics/normal.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { expectKsAgainstLaw } from '../support/contracts.ts';

const N = 100_000;
const RUNS = 3;
/** Each DKW comparison is counted (chargePipeline) as it is made; `endOnFailure`: no shrink evaluations beyond the plan. */
const PARAMS = { numRuns: RUNS, endOnFailure: true };
/** KS against a law (properties/support/contracts.ts) at δ = ASSERTION_DELTA: DKW radius √(ln(2/δ)/(2N)) ≈ 0.0109 for N = 1e5. Power: any CDF error > 2ε ≈ 0.022 is caught w.p. ≥ 1 − δ. */


describe('RNG output law (DKW at δ = ASSERTION_DELTA per run)', () => {
  test.prop([fc.integer()], PARAMS)('fillNormal draws are N(0, 1)', (seed) => {
    const z = Rng.fromSeed(seed).normals(N).sort();
    chargePipeline('rng-distribution.test.ts');
    expectKsAgainstLaw(z, normalCdf, ASSERTION_DELTA, 0, 'fillNormal vs Φ');
  });

  test.prop([fc.integer()], PARAMS)('uniform() draws are U[0, 1)', (seed) => {
    const r = Rng.fromSeed(seed);
    const u = new Float64Array(N);
    for (let i = 0; i < N; i++) u[i] = r.uniform();
    u.sort();
    chargePipeline('rng-distribution.test.ts');
    expectKsAgainstLaw(u, (x) => Math.min(Math.max(x, 0), 1), ASSERTION_DELTA, 0, 'uniform() vs U[0, 1)');
  });
});
