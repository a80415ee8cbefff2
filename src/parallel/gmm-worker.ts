/**
 * Worker side of the sampler pool (./gmm-pool.ts): runs the fused GMM Euler–Maruyama kernel on the
 * particle BLOCKS [from, to) of a shared particle array, in place. The noise of block b is
 * `Rng.fromPath(...noisePath).derive(b)`, the same stream the single-thread run uses, so the output
 * does not depend on which worker runs which blocks.
 *
 * The schedule is compiled once by the caller and sent with each task (≤ a few hundred kB): the
 * worker then imports only the run half of the kernel, not the linear algebra (mathjs) behind the
 * compiler, which keeps worker start-up short.
 */
import { runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat, type GmmEulerMaruyamaSchedule } from '../kernels/gmm-euler-maruyama-run.ts';
import { Rng } from '../random/rng.ts';

export interface GmmPoolTask {
  readonly shared: SharedArrayBuffer;
  readonly n: number;
  readonly schedule: GmmEulerMaruyamaSchedule;
  readonly noisePath: readonly (string | number)[];
  readonly noiseKind: 'polar' | 'ziggurat';
  readonly from: number;
  readonly to: number;
}

export interface GmmPoolResult {
  readonly from: number;
  readonly to: number;
  /** seconds spent in the kernel (diagnostics: load balance) */
  readonly seconds: number;
}

export default function runTask(task: GmmPoolTask): GmmPoolResult {
  const t0 = performance.now();
  const x = new Float64Array(task.shared, 0, task.n * task.schedule.dim);
  const req = { n: task.n, noise: Rng.fromPath(...task.noisePath), blocks: { from: task.from, to: task.to } };
  if (task.noiseKind === 'polar') runGmmEulerMaruyama(x, task.schedule, req);
  else runGmmEulerMaruyamaZiggurat(x, task.schedule, req);
  return { from: task.from, to: task.to, seconds: (performance.now() - t0) / 1000 };
}
