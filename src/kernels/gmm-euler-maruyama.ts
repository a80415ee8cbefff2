/**
 * Fused kernel: exact Gaussian-mixture score of P_t q (docs/theory.md §5.2) + Euler–Maruyama step of the
 * reverse VP-OU SDE (docs/theory.md §1), over row-major Float64Array particles.
 *
 *   s(y, t) = Σ_k r_k(y) · (−S_k(t)⁻¹ (y − a_t m_k)),  r = softmax(log w_k − ½ log|S_k(t)| − ½ Q_k)
 *   y ← (1 + h/2) y + h s(y, t) + √h z                      (weak order 1, strong order 1)
 *
 * What makes it fast compared with `sampler('euler-maruyama').run(x, {score: gaussianMixtureScore(q)})`:
 * - every step-dependent number (pushed means a_t m_k, precisions 1/S_k(t), log constants, h, √h,
 *   1 + h/2) is compiled ONCE for the whole grid (`compileGmmEulerMaruyamaSchedule`), not per block and step
 *   (the generic score's 2-entry time cache recompiles P_t q at every step of every block);
 * - score and update are fused per particle (the score of particle i depends on y_i only, so this
 *   is the same arithmetic as "score of the block, then update");
 * - no allocation in the block/step/particle loops; one monomorphic kernel function per layout
 *   (isotropic, diagonal), each called from its own call site.
 *
 * Two entry points:
 * - `runGmmEulerMaruyama`: polar noise (`Rng.fillNormal`) per BLOCK_SIZE block from
 *   `noise.derive(block)`, same arithmetic in the same order as `runReverseSde(eulerMaruyamaStep, …)`
 *   with `gaussianMixtureScore(q)`: output BIT-IDENTICAL to the generic sampler for the same seed
 *   (tested in properties/exact/fast-kernel.test.ts).
 * - `runGmmEulerMaruyamaZiggurat`: same step, ziggurat noise (`./ziggurat.ts`) on the same per-block
 *   streams: same law, different numbers (a separately named sampler, never the default).
 *
 * Both are deterministic in (x, schedule, noise path) and independent of how blocks are split
 * between calls or workers (`blocks` runs the sub-range [from, to)).
 *
 * Throws: full covariances (use the generic sampler), x.length ≠ n·d, atoms at a grid time 0.
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import type { TimeGrid } from '../processes/time-grid.ts';
import { compileAtTime } from '../scores/gaussian-mixture-score.ts';
import type { FusedLayout, GmmEulerMaruyamaSchedule } from './gmm-euler-maruyama-run.ts';

export { runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat, type FusedLayout, type GmmEulerMaruyamaRequest, type GmmEulerMaruyamaSchedule } from './gmm-euler-maruyama-run.ts';

/**
 * Compile q's score along the grid (uses `compileAtTime`, the generic score's own compiler, so the
 * numbers are the same). Cost O(steps · K · d²) once (the push-forward copies full covariances).
 */
export function compileGmmEulerMaruyamaSchedule(q: GaussianMixture, grid: TimeGrid): GmmEulerMaruyamaSchedule {
  const d = q.dim;
  const K = q.components.length;
  const times = grid.times;
  const steps = times.length - 1;
  let layout: FusedLayout = 'isotropic';
  for (const c of q.components) {
    if (c.kind === 'full') throw new Error('compileGmmEulerMaruyamaSchedule: full covariances are not supported by the fused kernel (use sampler(...).run)');
    if (c.kind === 'diagonal') layout = 'diagonal';
  }
  const pk = layout === 'isotropic' ? K : K * d;
  const means = new Float64Array(steps * K * d);
  const precision = new Float64Array(steps * pk);
  const logConst = new Float64Array(steps * K);
  const h = new Float64Array(steps);
  const sqrtH = new Float64Array(steps);
  const drift = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const t = times[k]!;
    const c = compileAtTime(q, t);
    if (c.layout !== layout) throw new Error(`compileGmmEulerMaruyamaSchedule: layout ${c.layout} at t = ${t}, expected ${layout}`);
    means.set(c.means, k * K * d);
    precision.set(c.precision, k * pk);
    logConst.set(c.logConst, k * K);
    const hk = t - times[k + 1]!;
    h[k] = hk;
    sqrtH[k] = Math.sqrt(hk);
    drift[k] = 1 + 0.5 * hk;
  }
  return { dim: d, K, steps, layout, means, precision, logConst, h, sqrtH, drift };
}

