/**
 * The fused GMM-score + Euler–Maruyama kernel (src/kernels/gmm-euler-maruyama.ts) against the
 * generic path `runReverseSde(eulerMaruyamaStep, x, {score: gaussianMixtureScore(q)})`: an independent
 * implementation (generic score field with its own time cache, generic step rule, generic block
 * loop). Same seed ⇒ the SAME bits, for isotropic and diagonal mixtures, partial last blocks, any
 * block split, and both the specialised (code-generated) and the loop kernel. Exact: no tolerance.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { compileGmmEulerMaruyamaSchedule, runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat } from '../../src/kernels/gmm-euler-maruyama.ts';
import { kernelSource, stepKernel } from '../../src/kernels/codegen.ts';
import { geometricGrid, uniformGrid, type TimeGrid } from '../../src/processes/time-grid.ts';
import { Rng, rngForCase } from '../../src/random/rng.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { BLOCK_SIZE, eulerMaruyamaStep, runReverseSde, sampler } from '../../src/samplers/reverse-sde.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { expectSameBits } from '../support/contracts.ts';
import { boundedDouble, seededMixture } from '../support/arbitraries.ts';

const NUM_RUNS = 40;

interface Case {
  q: GaussianMixture;
  grid: TimeGrid;
  n: number;
  seed: number;
}

const caseArb = fc
  .record({
    d: fc.integer({ min: 1, max: 7 }),
    K: fc.integer({ min: 1, max: 5 }),
    diagonal: fc.boolean(),
    // n spans 1 .. > 2 blocks so partial last blocks and several blocks both occur
    n: fc.integer({ min: 1, max: 2 * BLOCK_SIZE + 37 }),
    steps: fc.integer({ min: 1, max: 6 }),
    geometric: fc.boolean(),
    seed: fc.integer(),
    spread: boundedDouble(0.5, 4),
  })
  .map(({ d, K, diagonal, n, steps, geometric, seed, spread }): Case => {
    const q = seededMixture(rngForCase(seed, 'fast-kernel', 'law'), d, K, diagonal, { spread, variance: { min: 0.05, span: 2 }, weights: 'random' });
    const grid = geometric ? geometricGrid(4, 0.02, steps) : uniformGrid(2, 0.05, steps);
    return { q, grid, n, seed };
  });

function startOf(c: Case): Float64Array {
  return rngForCase(c.seed, 'fast-kernel', 'start').normals(c.n * c.q.dim);
}

function generic(c: Case): Float64Array {
  const x = startOf(c);
  runReverseSde(eulerMaruyamaStep, x, { dim: c.q.dim, n: c.n, grid: c.grid, score: gaussianMixtureScore(c.q), noise: rngForCase(c.seed, 'fast-kernel', 'noise') });
  return x;
}


describe('fast kernel = generic Euler–Maruyama sampler, bit for bit (same seed)', () => {
  test.prop([caseArb], { numRuns: NUM_RUNS })('specialised kernel', (c) => {
    const x = startOf(c);
    runGmmEulerMaruyama(x, compileGmmEulerMaruyamaSchedule(c.q, c.grid), { n: c.n, noise: rngForCase(c.seed, 'fast-kernel', 'noise') });
    expectSameBits(x, generic(c));
  });

  test.prop([caseArb], { numRuns: NUM_RUNS })('loop kernel', (c) => {
    const x = startOf(c);
    runGmmEulerMaruyama(x, compileGmmEulerMaruyamaSchedule(c.q, c.grid), { n: c.n, noise: rngForCase(c.seed, 'fast-kernel', 'noise'), kernel: 'loop' });
    expectSameBits(x, generic(c));
  });

  test.prop([caseArb, boundedDouble(0, 1)], { numRuns: NUM_RUNS })('any split of the blocks gives the same output', (c, cut) => {
    const blocks = Math.ceil(c.n / BLOCK_SIZE);
    const mid = Math.round(cut * blocks);
    const schedule = compileGmmEulerMaruyamaSchedule(c.q, c.grid);
    const noise = rngForCase(c.seed, 'fast-kernel', 'noise');
    const x = startOf(c);
    runGmmEulerMaruyama(x, schedule, { n: c.n, noise, blocks: { from: mid, to: blocks } });
    runGmmEulerMaruyama(x, schedule, { n: c.n, noise, blocks: { from: 0, to: mid } });
    expectSameBits(x, generic(c));
  });
});

describe('fast kernel = generic sampler when K·d is above CODEGEN_LIMIT (loop-kernel fallback)', () => {
  test.prop([fc.integer(), fc.boolean()], { numRuns: 2 })('d = 103, K = 5 (K·d = 515 > CODEGEN_LIMIT = 320)', (seed, diagonal) => {
    const d = 103;
    const setup = rngForCase(seed, 'fast-kernel', 'big');
    const comps: Gaussian[] = [];
    for (let k = 0; k < 5; k++) {
      const mean = setup.normals(d);
      comps.push(diagonal ? diagonalGaussian(mean, Array.from({ length: d }, () => 0.2 + setup.uniform())) : isotropicGaussian(mean, 0.2 + setup.uniform()));
    }
    const c: Case = { q: gaussianMixture(new Array(5).fill(0.2), comps), grid: uniformGrid(2, 0.05, 2), n: 40, seed };
    const x = startOf(c);
    runGmmEulerMaruyama(x, compileGmmEulerMaruyamaSchedule(c.q, c.grid), { n: c.n, noise: rngForCase(c.seed, 'fast-kernel', 'noise') });
    expectSameBits(x, generic(c));
    expect(stepKernel(diagonal ? 'diagonal' : 'isotropic', d, 5)).toBeNull();
  });
});

describe('fast (ziggurat-noise) sampler: specialised and loop kernels agree bit for bit', () => {
  test.prop([caseArb], { numRuns: NUM_RUNS })('same numbers from both kernels', (c) => {
    const schedule = compileGmmEulerMaruyamaSchedule(c.q, c.grid);
    const a = startOf(c);
    const b = startOf(c);
    runGmmEulerMaruyamaZiggurat(a, schedule, { n: c.n, noise: rngForCase(c.seed, 'fast-kernel', 'noise') });
    runGmmEulerMaruyamaZiggurat(b, schedule, { n: c.n, noise: rngForCase(c.seed, 'fast-kernel', 'noise'), kernel: 'loop' });
    expectSameBits(a, b);
  });
});

describe('edge cases', () => {
  const q = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
  const grid = uniformGrid(1, 0.1, 3);
  test.prop([fc.integer()], { numRuns: 1 })('full covariances are rejected', () => {
    const full = gaussianMixture([1], [fullGaussian([0, 0], [1, 0.5, 0.5, 1])]);
    expect(() => compileGmmEulerMaruyamaSchedule(full, grid)).toThrow(/full covariances/);
  });
  test.prop([fc.integer({ min: 1, max: 9 })], { numRuns: 5 })('x of the wrong length throws', (n) => {
    expect(() => runGmmEulerMaruyama(new Float64Array(2 * n + 1), compileGmmEulerMaruyamaSchedule(q, grid), { n, noise: rngForCase(1, 'x') })).toThrow(/numbers for/);
  });
  test.prop([fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })], { numRuns: 6 })('generated source is straight-line (no inner loops over d or K)', (d, K) => {
    const src = kernelSource('isotropic', d, K);
    expect(src.match(/for \(/g)?.length).toBe(1);
  });
});

describe('sampler("euler-maruyama") routes GMM scores through the fused kernel', () => {
  it('same numbers as the generic step rule, and the generic rule for other fields', () => {
    const q = gaussianMixture([0.3, 0.7], [isotropicGaussian([1, 0], 0.4), diagonalGaussian([-1, 2], [0.2, 0.6])]);
    const grid = uniformGrid(2, 0.05, 9);
    const n = 2 * BLOCK_SIZE + 17;
    const start = drawStart('exact', q, 2, n, Rng.fromSeed(3).derive('start'));
    const viaSampler = start.slice();
    sampler('euler-maruyama').run(viaSampler, { dim: 2, n, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(3).derive('noise') });
    const generic = start.slice();
    runReverseSde(eulerMaruyamaStep, generic, { dim: 2, n, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(3).derive('noise') });
    expectSameBits(viaSampler, generic, 'sampler("euler-maruyama") vs generic step rule');
  });
});
