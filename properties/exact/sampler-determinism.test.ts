/**
 * Same seed ⇒ identical numbers, however the particles are split (src/samplers/reverse-sde.ts):
 * noise is derived per block of BLOCK_SIZE particles, so running the blocks in any partition (as
 * workers do) reproduces the single run bit for bit. Exact: compared with Object.is per number.
 */
import { describe } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import { BLOCK_SIZE, SAMPLER_NAMES, sampler } from '../../src/samplers/reverse-sde.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { expectBlockSplitInvariant, expectDeterministicGivenSeed } from '../support/contracts.ts';

const q = gaussianMixture([0.4, 0.6], [isotropicGaussian([1, -1], 0.3), isotropicGaussian([-2, 0.5], 0.6)]);
const grid = uniformGrid(2, 0.05, 12);

describe('reverse-SDE output is independent of the block partition', () => {
  test.prop([fc.integer(), fc.constantFrom(...SAMPLER_NAMES), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: BLOCK_SIZE - 1 })], { numRuns: 20 })(
    'blocks run in two parts = one run',
    (seed, name, blocks, extra) => {
      const n = blocks * BLOCK_SIZE + extra;
      const total = Math.ceil(n / BLOCK_SIZE);
      const start = drawStart('exact', q, 2, n, Rng.fromSeed(seed).derive('start'));
      const noise = Rng.fromSeed(seed).derive('noise');
      // the later half of the blocks first (properties/support/contracts.ts): order of execution must not matter either
      expectBlockSplitInvariant(start, total, Math.floor(total / 2), (x, part) =>
        sampler(name).run(x, { dim: 2, n, grid, score: gaussianMixtureScore(q), noise, ...(part ? { blocks: part } : {}) }),
      );
    },
  );

  test.prop([fc.integer(), fc.constantFrom(...SAMPLER_NAMES)], { numRuns: 10 })('same seed twice ⇒ identical output; another seed ⇒ different', (seed, name) => {
    const run = (s: number) => {
      const x = drawStart('exact', q, 2, 300, Rng.fromSeed(s).derive('start'));
      sampler(name).run(x, { dim: 2, n: 300, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(s).derive('noise') });
      return x;
    };
    expectDeterministicGivenSeed(run, seed);
  });
});
