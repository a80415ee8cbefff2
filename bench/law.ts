/**
 * The bench's data law and grid (the P1-E1 world of fixtures/configs/p1-e1-*.json, generalised in
 * d and K): K isotropic components N(3·e_k, 0.36·I) (k-th unit vector, k mod d), equal weights;
 * reverse VP-OU from T = 4 to t0 = 0.02 on a uniform grid.
 */
import { gaussianMixture, type GaussianMixture } from '../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../src/distributions/gaussian.ts';
import { uniformGrid, type TimeGrid } from '../src/processes/time-grid.ts';

export const BENCH_T = 4;
export const BENCH_T0 = 0.02;
export const BENCH_VARIANCE = 0.36;
export const BENCH_MEAN_SCALE = 3;

export function benchLaw(d: number, K: number): GaussianMixture {
  const comps = [];
  for (let k = 0; k < K; k++) {
    const m = new Float64Array(d);
    m[k % d] = BENCH_MEAN_SCALE * (1 + Math.floor(k / d)); // distinct means also when K > d
    comps.push(isotropicGaussian(m, BENCH_VARIANCE));
  }
  return gaussianMixture(new Array(K).fill(1 / K), comps);
}

export function benchGrid(steps: number): TimeGrid {
  return uniformGrid(BENCH_T, BENCH_T0, steps);
}

/** Parameter file for the numpy and C references (format in bench/numpy_kernel.py). */
export function paramsText(d: number, K: number, n: number, steps: number, seed: number): string {
  const q = benchLaw(d, K);
  const lines = [`${d} ${K} ${n} ${steps} ${seed}`, Array.from(q.weights, (w) => w.toPrecision(17)).join(' ')];
  for (const c of q.components) lines.push(`${Array.from(c.mean, (v) => v.toPrecision(17)).join(' ')} ${c.cov[0]!.toPrecision(17)}`);
  lines.push(Array.from(benchGrid(steps).times, (t) => t.toPrecision(17)).join(' '));
  return lines.join('\n') + '\n';
}
