/**
 * The sampler worker pool (src/parallel/gmm-pool.ts) splits particle BLOCKS across workers; the
 * output must be bit-identical to the single-thread run for the same seed: 1 worker = 2 workers =
 * single-thread fused kernel = generic `runReverseSde(eulerMaruyamaStep, …)` (polar noise), and
 * 1 worker = 2 workers = single-thread fast kernel (ziggurat noise). Exact: no tolerance.
 * Small N (a few blocks, a partial last one) and few steps keep the file fast; pools are created
 * once (worker start-up through tsx is the slow part).
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { compileGmmEulerMaruyamaSchedule, runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat } from '../../src/kernels/gmm-euler-maruyama.ts';
import { createGmmPool, type GmmPool } from '../../src/parallel/gmm-pool.ts';
import { uniformGrid, type TimeGrid } from '../../src/processes/time-grid.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { BLOCK_SIZE, eulerMaruyamaStep, runReverseSde, sampler } from '../../src/samplers/reverse-sde.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { expectSameBits } from '../support/contracts.ts';
import { seededMixture } from '../support/arbitraries.ts';

const NUM_RUNS = 8;

interface Case {
  q: GaussianMixture;
  grid: TimeGrid;
  n: number;
  seed: number;
}

const caseArb = fc
  .record({
    d: fc.integer({ min: 1, max: 6 }),
    K: fc.integer({ min: 1, max: 4 }),
    diagonal: fc.boolean(),
    n: fc.integer({ min: 1, max: 5 * BLOCK_SIZE + 19 }),
    steps: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer(),
  })
  .map(({ d, K, diagonal, n, steps, seed }): Case => {
    const q = seededMixture(rngForCase(seed, 'worker-pool', 'law'), d, K, diagonal, { spread: 2, variance: { min: 0.1, span: 1 }, weights: 'equal' });
    return { q, grid: uniformGrid(3, 0.05, steps), n, seed };
  });

const start = (c: Case) => rngForCase(c.seed, 'worker-pool', 'start').normals(c.n * c.q.dim);
const noise = (c: Case) => rngForCase(c.seed, 'worker-pool', 'noise');


let one: GmmPool;
let two: GmmPool;

beforeAll(async () => {
  one = createGmmPool({ threads: 1 });
  two = createGmmPool({ threads: 2 });
  await Promise.all([one.warm(), two.warm()]);
});

afterAll(async () => {
  await Promise.all([one?.destroy(), two?.destroy()]);
});

describe('worker pool output = single-thread output, bit for bit (blocks, not particles, are split)', () => {
  test.prop([caseArb], { numRuns: NUM_RUNS })('polar noise: 1 worker = 2 workers = fused kernel = generic sampler', async (c) => {
    const a = start(c);
    const b = start(c);
    await one.run(a, { law: c.q, grid: c.grid, n: c.n, noise: noise(c) });
    await two.run(b, { law: c.q, grid: c.grid, n: c.n, noise: noise(c) });
    const fused = start(c);
    runGmmEulerMaruyama(fused, compileGmmEulerMaruyamaSchedule(c.q, c.grid), { n: c.n, noise: noise(c) });
    const generic = start(c);
    runReverseSde(eulerMaruyamaStep, generic, { dim: c.q.dim, n: c.n, grid: c.grid, score: gaussianMixtureScore(c.q), noise: noise(c) });
    expectSameBits(a, b);
    expectSameBits(b, fused);
    expectSameBits(fused, generic);
  });

  test.prop([caseArb], { numRuns: NUM_RUNS })('ziggurat noise: 1 worker = 2 workers = fast kernel', async (c) => {
    const a = start(c);
    const b = start(c);
    await one.run(a, { law: c.q, grid: c.grid, n: c.n, noise: noise(c), noiseKind: 'ziggurat' });
    await two.run(b, { law: c.q, grid: c.grid, n: c.n, noise: noise(c), noiseKind: 'ziggurat' });
    const fast = start(c);
    runGmmEulerMaruyamaZiggurat(fast, compileGmmEulerMaruyamaSchedule(c.q, c.grid), { n: c.n, noise: noise(c) });
    expectSameBits(a, b);
    expectSameBits(b, fast);
  });

  test.prop([fc.integer({ min: 1, max: 4 })], { numRuns: 3 })('a particle array of the wrong length is rejected', async (n) => {
    const q = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
    await expect(two.run(new Float64Array(2 * n + 1), { law: q, grid: uniformGrid(1, 0.1, 2), n, noise: rngForCase(n, 'x') })).rejects.toThrow(/numbers for/);
  });
});
