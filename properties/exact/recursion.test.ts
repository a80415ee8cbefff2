/**
 * The recursion loop (src/recursion/recursion.ts) against independent closed forms.
 *
 * Population level, perfect score, Gaussian data N(m, v) in d dimensions: every p̂^i is a Gaussian
 * mixture whose mean obeys the scalar recursion m_{i+1} = a(α m + (1−α) m_i), a = e^{−t0/2}
 * (P2-1 [I]), and whose second moment obeys E‖x‖²_{i+1} = a²(α E_data + (1−α) E_i) + d(1 − a²)
 * (OU second moment). Both are computed here from scratch, not with the pipeline's mixture code.
 * Tolerance: relative float error of ≤ 4 operations per generation over ≤ 40 generations, with
 * values ≤ 1e3: 40·4·2⁻⁵² ≈ 3.6e-14 relative; we allow RECURSION_FLOAT_TOL = 1e-12 relative.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, vectorArb } from '../support/arbitraries.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { Rng } from '../../src/random/rng.ts';
import { runRecursion, type RecursionSpec } from '../../src/recursion/recursion.ts';
import { defaultRecursionMetrics } from '../../src/recursion/recursion-metrics.ts';
import { parseRecursionConfig, toRecursionSpec } from '../../src/config/recursion-config.ts';
import { generationJson } from '../../src/cli/commands/simulate.ts';
import { toJson } from '../../src/cli/io.ts';

const RECURSION_FLOAT_TOL = 1e-12;
const cheap = defaultRecursionMetrics({ divergenceSamples: 200, energySamples: 50, etaPaths: 0, etaSteps: 10 });

describe('P2-1 population recursion: mean and second moment follow their closed-form recursions', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 4 }),
      boundedDouble(0, 1),
      boundedDouble(0.01, 1),
      boundedDouble(0.05, 3),
      vectorArb(4, -3, 3),
      fc.integer({ min: 1, max: 12 }),
    ],
    { numRuns: 30 },
  )('m_i and E‖x‖²_i', (d, alpha, t0, variance, meanPool, generations) => {
    const mean = meanPool.slice(0, d);
    const data = gaussianMixture([1], [isotropicGaussian(mean, variance)]);
    const spec: RecursionSpec = { data, alpha, generations, T: 4, t0: { kind: 'constant', t0 }, trainer: { kind: 'exact' }, sampling: { mode: 'population' }, start: 'exact' };
    const records = runRecursion(spec, Rng.fromSeed(1), { metrics: cheap });
    const a = Math.exp(-t0 / 2);
    let m = mean.slice();
    const eData = mean.reduce((s, x) => s + x * x, 0) + d * variance;
    let e2 = eData;
    for (const r of records) {
      for (let j = 0; j < d; j++) expect(Math.abs(r.mean[j]! - m[j]!)).toBeLessThanOrEqual(RECURSION_FLOAT_TOL * Math.max(1, Math.abs(m[j]!)));
      expect(Math.abs(r.secondMoment - e2)).toBeLessThanOrEqual(RECURSION_FLOAT_TOL * Math.max(1, e2));
      m = m.map((mi, j) => a * (alpha * mean[j]! + (1 - alpha) * mi));
      e2 = a * a * (alpha * eData + (1 - alpha) * e2) + d * (1 - a * a);
    }
    expect(records.length).toBe(generations + 1);
    expect(records[0]!.D.value).toBe(0);
  });
});

describe('P2-1: with t0 > 0 and a perfect score the population recursion drifts (D_1 > 0)', () => {
  test.prop([boundedDouble(0, 0.9), boundedDouble(0.05, 1)], { numRuns: 20 })('D_1 = χ²(P_{t0} p_data ‖ p_data) > 0 in closed form', (alpha, t0) => {
    const data = gaussianMixture([1], [isotropicGaussian([1.5], 0.4)]);
    const spec: RecursionSpec = { data, alpha, generations: 1, T: 4, t0: { kind: 'constant', t0 }, trainer: { kind: 'exact' }, sampling: { mode: 'population' }, start: 'exact' };
    const [, r1] = runRecursion(spec, Rng.fromSeed(2), { metrics: cheap });
    expect(r1!.D.method === 'closed-form' || r1!.D.method === 'infinite').toBe(true);
    expect(r1!.D.value).toBeGreaterThan(0);
  });
});

describe('same seed ⇒ identical simulate output', () => {
  test.prop([fc.integer()], { numRuns: 3 })('particle-mode recursion replays bit for bit', (seed) => {
    const config = parseRecursionConfig({
      data: { weights: [0.5, 0.5], components: [{ mean: [-1, 0], variance: 0.3 }, { mean: [1, 1], variances: [0.4, 0.2] }] },
      alpha: 0.5,
      generations: 2,
      T: 2,
      t0: 0.05,
      trainer: { kind: 'perturbed', error: { family: 'aligned', scale: 0.2 } },
      sampling: { mode: 'particles', sampler: 'euler-maruyama', particles: 300, steps: 10 },
      metrics: { divergenceSamples: 300, energySamples: 50, etaPaths: 100, etaSteps: 10 },
    });
    const run = () => toJson(runRecursion(toRecursionSpec(config), Rng.fromSeed(seed), { metrics: defaultRecursionMetrics(config.metrics) }).map(generationJson));
    expect(run()).toBe(run());
  });
});
