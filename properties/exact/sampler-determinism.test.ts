/**
 * Same seed ⇒ identical numbers, however the particles are split (src/samplers/reverse-sde.ts):
 * noise is derived per block of BLOCK_SIZE particles, so running the blocks in any partition (as
 * workers do) reproduces the single run bit for bit. Exact: compared with Object.is per number.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import { BLOCK_SIZE, SAMPLER_NAMES, sampler } from '../../src/samplers/reverse-sde.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';

const q = gaussianMixture([0.4, 0.6], [isotropicGaussian([1, -1], 0.3), isotropicGaussian([-2, 0.5], 0.6)]);
const grid = uniformGrid(2, 0.05, 12);

describe('reverse-SDE output is independent of the block partition', () => {
  test.prop([fc.integer(), fc.constantFrom(...SAMPLER_NAMES), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: BLOCK_SIZE - 1 })], { numRuns: 20 })(
    'blocks run in two parts = one run',
    (seed, name, blocks, extra) => {
      const n = blocks * BLOCK_SIZE + extra;
      const total = Math.ceil(n / BLOCK_SIZE);
      const start = drawStart('exact', q, 2, n, Rng.fromSeed(seed).derive('start'));
      const whole = start.slice();
      const req = { dim: 2, n, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(seed).derive('noise') };
      sampler(name).run(whole, req);
      const split = start.slice();
      const cut = Math.floor(total / 2);
      // second part first: order of execution must not matter either
      sampler(name).run(split, { ...req, score: gaussianMixtureScore(q), blocks: { from: cut, to: total } });
      sampler(name).run(split, { ...req, score: gaussianMixtureScore(q), blocks: { from: 0, to: cut } });
      for (let i = 0; i < whole.length; i++) if (!Object.is(whole[i], split[i])) expect.fail(`particle coordinate ${i}: ${whole[i]} ≠ ${split[i]}`);
    },
  );

  test.prop([fc.integer(), fc.constantFrom(...SAMPLER_NAMES)], { numRuns: 10 })('same seed twice ⇒ identical output; another seed ⇒ different', (seed, name) => {
    const run = (s: number) => {
      const x = drawStart('exact', q, 2, 300, Rng.fromSeed(s).derive('start'));
      sampler(name).run(x, { dim: 2, n: 300, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(s).derive('noise') });
      return Array.from(x);
    };
    expect(run(seed)).toEqual(run(seed));
    expect(run(seed)).not.toEqual(run(seed + 1));
  });
});
