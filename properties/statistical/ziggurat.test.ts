/**
 * The ziggurat generator of the fast sampler (src/kernels/ziggurat.ts) draws N(0, 1): checked by the
 * Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant,
 * P(sup_x |F_n(x) − F(x)| > ε) ≤ 2 e^{−2nε²} (every n, no asymptotics), on
 * (1) the whole sample against Φ, and
 * (2) the draws with |Z| > c against the conditional law of |Z| given |Z| > c, for c = 2 (outer
 *     layers and their wedges) and c = 3.3 (the last layers and the tail beyond R = 3.654): this is
 *     where a ziggurat goes wrong, and it carries too little mass for (1) to see a local error.
 *     Power, measured on deliberately broken copies with N = 2e6 (ratio KS/ε, > 1 = caught):
 *     wedge test accepting under 2·f instead of f: 1.14 at c = 2 (whole sample: 0.26); tail
 *     shifted inwards by 0.3: 2.36 at c = 3.3 (whole sample: 0.21). N = 4e6 gives √2 more.
 * The conditional sample size m is random; DKW holds conditionally on m (given m the draws are
 * i.i.d. from the conditional law), so the bound at the realised m is valid.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { fillNormalZiggurat, xoshiroState, ZIGGURAT } from '../../src/kernels/ziggurat.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import { normalCdf, normalTail } from '../../src/statistics/normal.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { expectKsAgainstLaw } from '../support/contracts.ts';

const N = 4_000_000;
/** The whole-sample check uses the first WHOLE draws (sorting 4e6 doubles is the slow part). */
const WHOLE = 1_000_000;
const RUNS = 2;
/**
 * Each DKW comparison is counted (chargePipeline) at δ = ASSERTION_DELTA just before it is made;
 * `endOnFailure`: no shrink evaluations (a shrink would be another comparison beyond the plan), the
 * first failing seed is the counterexample.
 */
const PARAMS = { numRuns: RUNS, endOnFailure: true };
/** KS against a law (properties/support/contracts.ts): DKW radius at δ = ASSERTION_DELTA for n draws, ε = √(ln(2/δ)/(2n)); n = 1e6 ⇒ 0.0034 (power: any CDF error > 2ε ≈ 0.007 is caught w.p. ≥ 1 − δ). */
/** Thresholds of the outer-region checks: m ≈ 0.0455·N ≈ 182 000 draws beyond 2 (ε ≈ 0.011), m ≈ 0.00097·N ≈ 3 900 beyond 3.3 (ε ≈ 0.078). */
const OUTER = [2, 3.3];


function draw(seed: number): Float64Array {
  const z = new Float64Array(N);
  // two fills of different lengths, to cover state carry-over between calls
  const st = xoshiroState(rngForCase(seed, 'ziggurat').state().s);
  fillNormalZiggurat(st, z, 0, 12_345);
  fillNormalZiggurat(st, z, 12_345, N - 12_345);
  return z;
}

describe('fast sampler noise: ziggurat draws are N(0, 1) (DKW at δ = ASSERTION_DELTA per comparison)', () => {
  test.prop([fc.integer()], PARAMS)('whole sample against Φ', (seed) => {
    const z = draw(seed).subarray(0, WHOLE).sort();
    chargePipeline('ziggurat.test.ts');
    expectKsAgainstLaw(z, normalCdf, ASSERTION_DELTA, 0, 'whole sample vs Φ');
  });

  test.prop([fc.integer()], PARAMS)('outer regions |Z| > 2 and |Z| > 3.3 (wedges, tail beyond R) against the conditional laws', (seed) => {
    const z = draw(seed);
    for (const c of OUTER) {
      const outer = Float64Array.from(z.filter((v) => Math.abs(v) > c), Math.abs).sort();
      const tail = 2 * normalTail(c);
      // conditional CDF of |Z| given |Z| > c: 1 − 2Φ̄(x)/(2Φ̄(c))
      const cdf = (x: number) => 1 - (2 * normalTail(x)) / tail;
      expect(outer.length).toBeGreaterThan(1000);
      chargePipeline('ziggurat.test.ts');
      expectKsAgainstLaw(outer, cdf, ASSERTION_DELTA, 0, `|Z| given |Z| > ${c}`);
    }
  });

  test.prop([fc.constant(0)], { numRuns: 1 })('tables: 256 layers of equal area, edges decreasing from R to 0', () => {
    const x = ZIGGURAT.x;
    expect(x[1]).toBe(ZIGGURAT.r);
    expect(x[ZIGGURAT.layers]).toBe(0);
    for (let i = 1; i < ZIGGURAT.layers; i++) expect(x[i + 1]!).toBeLessThan(x[i]!);
    // the top layer closes the construction: X[255]·(1 − f(X[255])) = A up to the 12 digits of the published A
    const top = x[ZIGGURAT.layers - 1]!;
    expect(Math.abs(top * (1 - Math.exp(-0.5 * top * top)) - ZIGGURAT.area) / ZIGGURAT.area).toBeLessThan(1e-8);
  });
});
