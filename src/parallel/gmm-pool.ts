/**
 * Worker pool for the fused GMM-score + Euler–Maruyama sampler (src/kernels/gmm-euler-maruyama.ts),
 * on tinypool (worker_threads) with the particles in a SharedArrayBuffer.
 *
 * Exactness. The run is split into chunks of whole particle BLOCKS (BLOCK_SIZE particles), never
 * of particles; block b always uses the noise stream `noise.derive(b)` and runs all its steps on its
 * own particles. So the output is bit-identical to the single-thread `runGmmEulerMaruyama` (and,
 * for polar noise, to `sampler('euler-maruyama').run` with `gaussianMixtureScore(q)`) for the same
 * seed, whatever the number of threads or chunks (tested in properties/exact/worker-pool.test.ts).
 *
 * Scheduling. `CHUNKS_PER_THREAD` chunks per thread are queued (tinypool hands the next chunk to
 * whichever worker is free), so a worker slowed by another process on a shared machine does not
 * hold the others back; chunk cost ≈ 1 ms or more at the bench size, well above the dispatch cost.
 *
 * Workers: `worker-boot.mjs` registers tsx's loader then imports `gmm-worker.ts` (a `.ts` worker
 * fails under tsx). Create the pool once, `warm()` it before timing, `destroy()` it at the end.
 */
import Tinypool from 'tinypool';
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import type { TimeGrid } from '../processes/time-grid.ts';
import type { Rng } from '../random/rng.ts';
import { BLOCK_SIZE } from '../samplers/noise-blocks.ts';
import { compileGmmEulerMaruyamaSchedule } from '../kernels/gmm-euler-maruyama.ts';
import type { GmmPoolResult, GmmPoolTask } from './gmm-worker.ts';

/** Chunks queued per thread (load balancing on a shared machine vs dispatch overhead). */
export const CHUNKS_PER_THREAD = 4;

export interface GmmPoolRequest {
  /** data law q: the score is ∇ log P_t q (isotropic or diagonal components) */
  readonly law: GaussianMixture;
  readonly grid: TimeGrid;
  readonly n: number;
  /** root of the Brownian noise; block b uses noise.derive(b) (only its path is sent) */
  readonly noise: Rng;
  /** 'polar' (default): the default samplers' numbers; 'ziggurat': runGmmEulerMaruyamaZiggurat's */
  readonly noiseKind?: 'polar' | 'ziggurat';
}

export interface GmmPool {
  readonly threads: number;
  /** Run the sampler on x (n·d, start values in, outputs out). Resolves when x holds the output. */
  run(x: Float64Array, req: GmmPoolRequest): Promise<void>;
  /** Start every worker and JIT-warm it on a small job (call before timing). */
  warm(): Promise<void>;
  destroy(): Promise<void>;
}

/** A pool of `threads` workers (≥ 1). */
export function createGmmPool(options: { threads: number }): GmmPool {
  const threads = options.threads;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`createGmmPool: threads = ${threads} must be a positive integer`);
  const pool = new Tinypool({
    filename: new URL('./worker-boot.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });

  async function run(x: Float64Array, req: GmmPoolRequest): Promise<void> {
    const d = req.law.dim;
    if (!Number.isInteger(req.n) || req.n < 0) throw new Error(`GmmPool.run: n = ${req.n} must be a non-negative integer`);
    if (x.length !== req.n * d) throw new Error(`GmmPool.run: ${x.length} numbers for ${req.n} particles of dimension ${d}`);
    const blocks = Math.ceil(req.n / BLOCK_SIZE);
    if (blocks === 0) return;
    const isShared = x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0;
    const shared = isShared ? (x.buffer as SharedArrayBuffer) : new SharedArrayBuffer(x.length * 8);
    const view = new Float64Array(shared, 0, x.length);
    if (!isShared) view.set(x);
    const schedule = compileGmmEulerMaruyamaSchedule(req.law, req.grid);
    const chunks = Math.min(blocks, threads * CHUNKS_PER_THREAD);
    const tasks: Promise<GmmPoolResult>[] = [];
    for (let c = 0; c < chunks; c++) {
      const from = Math.floor((c * blocks) / chunks);
      const to = Math.floor(((c + 1) * blocks) / chunks);
      const task: GmmPoolTask = {
        shared,
        n: req.n,
        schedule,
        noisePath: req.noise.path,
        noiseKind: req.noiseKind ?? 'polar',
        from,
        to,
      };
      tasks.push(pool.run(task));
    }
    await Promise.all(tasks);
    if (!isShared) x.set(view);
  }

  return {
    threads,
    run,
    async warm() {
      // one small job per thread, submitted together so every worker starts and compiles
      const { gaussianMixture } = await import('../distributions/gaussian-mixture.ts');
      const { isotropicGaussian } = await import('../distributions/gaussian.ts');
      const { uniformGrid } = await import('../processes/time-grid.ts');
      const { Rng } = await import('../random/rng.ts');
      const law = gaussianMixture([1], [isotropicGaussian([0], 1)]);
      const n = BLOCK_SIZE * threads * CHUNKS_PER_THREAD;
      await run(new Float64Array(n), { law, grid: uniformGrid(1, 0.1, 2), n, noise: Rng.fromSeed('pool-warm-up') });
    },
    destroy: () => pool.destroy(),
  };
}
