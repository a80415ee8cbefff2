/**
 * P1-E3 on real images (docs/theory.md §3 P1-E3, P1 Fig. 8, 10): the α study with a fitted model on
 * optdigits (./optdigits.ts) in a k-dimensional PCA subspace (./pca.ts). Model: Gaussian KDE with
 * Silverman's bandwidth h = σ̄ (4 / ((k + 2) n))^{1/(k+4)} (σ̄² = mean PCA variance, n = 1 797),
 * trained on n draws of q_i = α p_data + (1−α) p̂^i, p_data = the empirical law of the projected
 * images; p̂^{i+1} drawn exactly from the model's output law P_{t0} q̃_i
 * (./kde-particle-recursion.ts), 10 generations.
 *
 * Drift statistics per generation (./image-drift.ts):
 * - `offManifold`: fraction of particles whose nearest image is farther than r, where r is the
 *   99 % quantile of the images' leave-one-out nearest-neighbour distances (1 % of real images are
 *   "off" by construction); bounded in [0, 1] (the default-tier check's statistic);
 * - `nearest`: mean distance to the nearest image;
 * - `frechet`: ‖μ_p − μ_data‖² + tr(S_p + S_data − 2 (S_p^{½} S_data S_p^{½})^{½}) between the
 *   particles' and the images' first two moments (the Gaussian Fréchet distance behind FID);
 * - KL_i and χ²_i of p̂^i (its exact law, i ≥ 1) against p̄^1 = P_{t0}(p_data ∗ N(0, h²I)), the
 *   generation-1 law of the N → ∞ recursion (the best this model can do), from exact draws.
 */
import { sqrtPsd } from '../linalg/dense.ts';
import { Rng } from '../random/rng.ts';
import { isoDivergences, type McValue } from './iso-divergences.ts';
import { isoKdeOutput, type IsoMixture } from './isotropic-mixture.ts';
import { kdeRecursionRounds } from './kde-particle-recursion.ts';
import { driveRounds } from './async-driver.ts';
import { loadOptdigits } from './optdigits.ts';
import { fitPca, project, reconstruct, type Pca } from './pca.ts';

export interface P1E3Options {
  readonly pcaDim: number;
  readonly T: number;
  readonly t0: number;
  readonly generations: number;
  readonly alphas: readonly number[];
  readonly particles: number;
  /** exact draws per generation for KL/χ² against p̄^1 (0: none) */
  readonly metricSamples: number;
  /** images shown per generation in the sample grids */
  readonly gridImages: number;
  readonly gridGenerations: readonly number[];
  /** quantile of the leave-one-out nearest-neighbour distances that defines "off the data" */
  readonly offQuantile: number;
}

export const P1E3_FULL: P1E3Options = { pcaDim: 8, T: 4, t0: 0.02, generations: 10, alphas: [0.1, 0.5, 0.9], particles: 1797, metricSamples: 1000, gridImages: 12, gridGenerations: [0, 1, 2, 5, 10], offQuantile: 0.99 };

export interface ImageSpace {
  readonly pca: Pca;
  readonly n: number;
  readonly k: number;
  /** projected images (n·k) */
  readonly points: Float64Array;
  readonly bandwidth: number;
  /** radius r of `offManifold` */
  readonly radius: number;
  readonly dataMean: Float64Array;
  readonly dataCov: Float64Array;
}

function moments(x: Float64Array, n: number, k: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j]! += x[i * k + j]! / n;
  const cov = new Float64Array(k * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cov[a * k + b]! += ((x[i * k + a]! - mean[a]!) * (x[i * k + b]! - mean[b]!)) / (n - 1);
  return { mean, cov };
}

/** The projected images, Silverman bandwidth and the off-manifold radius. */
export function imageSpace(k: number, offQuantile: number): ImageSpace {
  const img = loadOptdigits();
  const pca = fitPca(img.pixels, img.n, img.dim, k);
  const points = project(pca, img.pixels, img.n);
  const n = img.n;
  let meanVar = 0;
  for (const v of pca.variances) meanVar += v / k;
  const bandwidth = Math.sqrt(meanVar) * (4 / ((k + 2) * n)) ** (1 / (k + 4));
  const loo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < k; c++) s += (points[i * k + c]! - points[j * k + c]!) ** 2;
      if (s < best) best = s;
    }
    loo[i] = Math.sqrt(best);
  }
  const sorted = Float64Array.from(loo).sort();
  const radius = sorted[Math.min(n - 1, Math.floor(offQuantile * n))]!;
  const m = moments(points, n, k);
  return { pca, n, k, points, bandwidth, radius, dataMean: m.mean, dataCov: m.cov };
}

export interface DriftStats {
  readonly offManifold: number;
  readonly nearest: number;
  readonly frechet: number;
}

/** Fréchet distance between N(m1, S1) and N(m2, S2). */
export function frechetDistance(m1: Float64Array, s1: Float64Array, m2: Float64Array, s2: Float64Array, k: number): number {
  let d = 0;
  for (let j = 0; j < k; j++) d += (m1[j]! - m2[j]!) ** 2;
  const r1 = sqrtPsd(s1, k);
  const prod = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    let s = 0;
    for (let c = 0; c < k; c++) for (let e = 0; e < k; e++) s += r1[a * k + c]! * s2[c * k + e]! * r1[e * k + b]!;
    prod[a * k + b] = s;
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) prod[a * k + b] = prod[b * k + a] = 0.5 * (prod[a * k + b]! + prod[b * k + a]!);
  const root = sqrtPsd(prod, k);
  for (let j = 0; j < k; j++) d += s1[j * k + j]! + s2[j * k + j]! - 2 * root[j * k + j]!;
  return d;
}

/** Drift statistics of the first m particles (`frechet` needs m ≥ 2). */
export function driftStats(space: ImageSpace, x: Float64Array, m: number, withFrechet = true): DriftStats {
  const k = space.k;
  let off = 0;
  let near = 0;
  for (let p = 0; p < m; p++) {
    let best = Infinity;
    for (let j = 0; j < space.n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) {
        const z = x[p * k + c]! - space.points[j * k + c]!;
        s += z * z;
        if (s >= best) break;
      }
      if (s < best) best = s;
    }
    const dist = Math.sqrt(best);
    near += dist;
    if (dist > space.radius) off++;
  }
  let frechet = Number.NaN;
  if (withFrechet && m >= 2) {
    const mo = moments(x, m, k);
    frechet = frechetDistance(mo.mean, mo.cov, space.dataMean, space.dataCov, k);
  }
  return { offManifold: off / m, nearest: near / m, frechet };
}

export interface P1E3Job {
  readonly run: number;
  readonly alpha: number;
  readonly drift: DriftStats[];
  /** generation i ≥ 1: KL, χ² of p̂^i against p̄^1 */
  readonly divergences: ({ readonly KL: McValue; readonly chiSquare: McValue; readonly finite: boolean } | null)[];
  /** sample images (64 pixels each, in [−1, 1] scale) per grid generation */
  readonly grids: { readonly i: number; readonly images: Float64Array[] }[];
  readonly seconds: number;
  readonly completed: boolean;
}

/** Draws of p_data: uniformly resampled projected images. */
export function imageSampler(space: ImageSpace): (count: number, rng: Rng, out: Float64Array) => void {
  const k = space.k;
  return (count, rng, out) => {
    for (let i = 0; i < count; i++) {
      const j = rng.int(space.n);
      out.set(space.points.subarray(j * k, j * k + k), i * k);
    }
  };
}

/** One (run, α) job; `shouldStop` ends it after the current round. */
export async function runP1E3Job(space: ImageSpace, o: P1E3Options, alpha: number, run: number, seed: number, shouldStop?: () => boolean): Promise<P1E3Job> {
  const start = process.hrtime.bigint();
  const k = space.k;
  const rng = Rng.fromPath(seed, 'p1-e3', run, alpha);
  const reference = isoKdeOutput(space.points, space.n, k, space.bandwidth, o.t0);
  const drift: DriftStats[] = [];
  const divergences: P1E3Job['divergences'] = [];
  const grids: P1E3Job['grids'] = [];
  let law: IsoMixture | null = null; // exact law of the generation just produced
  const N = o.particles;
  const done = await driveRounds(kdeRecursionRounds(
    { dim: k, alpha, bandwidth: space.bandwidth, t0: o.t0, generations: o.generations, particles: N, fresh: imageSampler(space) },
    rng,
    {
      ...(shouldStop ? { shouldStop } : {}),
      onRound: ({ training }) => {
        law = isoKdeOutput(training, N, k, space.bandwidth, o.t0);
      },
      onGeneration: (i, x) => {
        drift.push(driftStats(space, x, N));
        if (i === 0 || law === null || o.metricSamples < 2) divergences.push(null);
        else {
          const [r] = isoDivergences(x, Math.min(o.metricSamples, N), law, [reference]);
          divergences.push({ KL: r!.kl, chiSquare: r!.chiSquare, finite: r!.finite });
        }
        if (o.gridGenerations.includes(i)) {
          const m = Math.min(o.gridImages, N);
          const pixels = reconstruct(space.pca, x.subarray(0, m * k), m);
          grids.push({ i, images: Array.from({ length: m }, (_, j) => pixels.slice(j * 64, j * 64 + 64)) });
        }
      },
    },
  ), shouldStop);
  return { run, alpha, drift, divergences, grids, seconds: Number(process.hrtime.bigint() - start) / 1e9, completed: done === o.generations };
}
