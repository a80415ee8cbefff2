/**
 * P2-E1 (docs/theory.md §4, our own validation of P2 on Gaussian mixtures; P2's setups are not published):
 * a long FINITE-SAMPLE particle recursion with the perfect score of the empirical training law and
 * exact sampling (./kde-particle-recursion.ts with h = 0: p̂^{i+1} is drawn from
 * P_{t0}(empirical(n draws of α p_data + (1−α) p̂^i))) against P2's closed-form limit
 * p* = Σ_{k≥1} α(1−α)^{k−1} P_{k t0} p_data (src/oracles/gmm-recursion.ts limitLaw), in 1-D and 2-D:
 *
 * - Kolmogorov distance of the particle cloud to p* per generation (2-D: both marginals and the
 *   diagonal projection (x₁ + x₂)/√2, each a 1-D GMM in closed form), beside the geometric bound
 *   (1−α)^i TV(p_data, p*) of P2-2 for the population law;
 * - the Hermite spectrum of the particles, c_n = mean He_n(x)/n! (2-D: multi-indices ν, |ν| ≤ 4),
 *   against the limit's c_n* = λ_n c_n(p_data) (P2-3) and the exact population law's;
 * - the per-mode geometric rate: |c_n(p̂^i) − c_n*| against (1−α)^i e^{−n i t0/2} |c_n(p_data) − c_n*|.
 */
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { diagonalGaussian, isotropicGaussian } from '../distributions/gaussian.ts';
import { sampleMixtureInto } from '../distributions/gaussian-mixture.ts';
import { iterateRecursion, limitLaw } from '../oracles/gmm-recursion.ts';
import { fastNormalTail, gmm1d, mixtureL1Distance1d } from '../divergences/gaussian-mixture-1d.ts';
import { hermiteValues, mixtureHermiteCoefficients, mixtureMultiIndexCoefficient } from '../oracles/hermite.ts';
import { Rng } from '../random/rng.ts';
import { kdeRecursionRounds } from './kde-particle-recursion.ts';
import { driveRounds } from './async-driver.ts';

export interface P2E1Options {
  readonly alpha: number;
  readonly t0: number;
  readonly generations: number;
  readonly particles: number;
  readonly hermiteOrder: number;
  readonly hermiteOrder2d: number;
}

export const P2E1_FULL: P2E1Options = { alpha: 0.3, t0: 0.5, generations: 200, particles: 20_000, hermiteOrder: 10, hermiteOrder2d: 4 };

/** 1-D data: ½ N(−2, 0.3) + ½ N(2, 0.3) (our choice). */
export function p2e1Data1d(): GaussianMixture {
  return gmm1d([[0.5, -2, 0.3], [0.5, 2, 0.3]]);
}

/** 2-D data: three diagonal components (our choice). */
export function p2e1Data2d(): GaussianMixture {
  return gaussianMixture([0.4, 0.35, 0.25], [diagonalGaussian([-2, 0], [0.3, 0.5]), diagonalGaussian([2, 1], [0.4, 0.2]), diagonalGaussian([0, -2], [0.25, 0.25])]);
}

/** Law of u·X for a mixture with diagonal/isotropic components and a unit vector u (a 1-D GMM). */
export function projectMixture(p: GaussianMixture, u: readonly number[]): GaussianMixture {
  const d = p.dim;
  return gaussianMixture(
    p.weights,
    p.components.map((c) => {
      let m = 0;
      let v = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) v += u[i]! * c.cov[i * d + j]! * u[j]!;
      for (let i = 0; i < d; i++) m += u[i]! * c.mean[i]!;
      return isotropicGaussian([m], v);
    }),
  );
}

/** The 2-D projections used: both coordinates and the diagonal. */
export const PROJECTIONS_2D: readonly { readonly name: string; readonly u: readonly number[] }[] = [
  { name: 'x₁', u: [1, 0] },
  { name: 'x₂', u: [0, 1] },
  { name: '(x₁+x₂)/√2', u: [Math.SQRT1_2, Math.SQRT1_2] },
];

/**
 * CDF of a 1-D GMM with the fast normal tail of src/oracles/gmm-recursion.ts (absolute error
 * ≤ FAST_TAIL_ABS_ERROR per component there, far below the Kolmogorov distances reported here).
 */
export function fastMixtureCdf(p: GaussianMixture, x: number): number {
  let f = 0;
  p.components.forEach((c, k) => {
    f += p.weights[k]! * fastNormalTail((c.mean[0]! - x) / Math.sqrt(c.cov[0]!));
  });
  return f;
}

/** Kolmogorov distance of the sample values (sorted in place) to a 1-D GMM's CDF. */
export function kolmogorovToMixture(values: Float64Array, p: GaussianMixture): number {
  values.sort();
  const n = values.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const f = fastMixtureCdf(p, values[i]!);
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return worst;
}

/** Multi-indices ν ∈ N² with 1 ≤ |ν| ≤ order. */
export function multiIndices2d(order: number): number[][] {
  const out: number[][] = [];
  for (let s = 1; s <= order; s++) for (let a = s; a >= 0; a--) out.push([a, s - a]);
  return out;
}

export interface P2E1Generation {
  readonly i: number;
  /** Kolmogorov distance of the cloud to p* per projection (1-D: one) */
  readonly ks: number[];
  /** Kolmogorov distance of the cloud to p_data per projection */
  readonly ksData: number[];
  /** (1−α)^i TV(p_data, p*) per projection (population bound of P2-2) */
  readonly tvBound: number[];
  /** particle Hermite coefficients (1-D: n = 1..order; 2-D: multiIndices2d) */
  readonly coefficients: number[];
  /** the exact population law's coefficients */
  readonly population: number[];
}

export interface P2E1Result {
  readonly dim: 1 | 2;
  readonly options: P2E1Options;
  readonly limit: number[];
  readonly data: number[];
  readonly generations: P2E1Generation[];
  readonly seconds: number;
  readonly completed: boolean;
  readonly modes: string[];
}

function coefficientsOf(p: GaussianMixture, order: number, dim: 1 | 2): number[] {
  if (dim === 1) return Array.from(mixtureHermiteCoefficients(p, order).coefficients).slice(1);
  return multiIndices2d(order).map((nu) => mixtureMultiIndexCoefficient(p, nu));
}

function cloudCoefficients(x: Float64Array, n: number, dim: 1 | 2, order: number): number[] {
  if (dim === 1) {
    const c = new Float64Array(order + 1);
    const h = new Float64Array(order + 1);
    for (let p = 0; p < n; p++) {
      hermiteValues(order, x[p]!, h);
      for (let k = 1; k <= order; k++) c[k]! += h[k]!;
    }
    let f = 1;
    const out: number[] = [];
    for (let k = 1; k <= order; k++) {
      f *= k;
      out.push(c[k]! / n / f);
    }
    return out;
  }
  const idx = multiIndices2d(order);
  const h1 = new Float64Array(order + 1);
  const h2 = new Float64Array(order + 1);
  const acc = new Float64Array(idx.length);
  for (let p = 0; p < n; p++) {
    hermiteValues(order, x[2 * p]!, h1);
    hermiteValues(order, x[2 * p + 1]!, h2);
    idx.forEach((nu, j) => (acc[j]! += h1[nu[0]!]! * h2[nu[1]!]!));
  }
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  return idx.map((nu, j) => acc[j]! / n / (fact(nu[0]!) * fact(nu[1]!)));
}

/** One long run in 1-D or 2-D. */
export async function runP2E1(dim: 1 | 2, o: P2E1Options, seed: number, shouldStop?: () => boolean, onGeneration?: (i: number) => void): Promise<P2E1Result> {
  const start = process.hrtime.bigint();
  const data = dim === 1 ? p2e1Data1d() : p2e1Data2d();
  const lim = limitLaw(data, o.alpha, o.t0, { tolerance: 1e-12 }).law;
  const order = dim === 1 ? o.hermiteOrder : o.hermiteOrder2d;
  const pop = iterateRecursion(data, { alpha: o.alpha, schedule: { kind: 'constant', t0: o.t0 }, generations: o.generations });
  const projections = dim === 1 ? [{ name: 'x', u: [1] }] : PROJECTIONS_2D;
  const limProj = projections.map((p) => projectMixture(lim, p.u));
  const dataProj = projections.map((p) => projectMixture(data, p.u));
  const tv0 = projections.map((_p, k) => 0.5 * mixtureL1Distance1d(dataProj[k]!, limProj[k]!).value);
  const gens: P2E1Generation[] = [];
  const N = o.particles;
  const vals = new Float64Array(N);
  const done = await driveRounds(kdeRecursionRounds(
    { dim, alpha: o.alpha, bandwidth: 0, t0: o.t0, generations: o.generations, particles: N, fresh: (c, r, out) => sampleMixtureInto(data, c, r, out) },
    Rng.fromPath(seed, 'p2-e1', dim),
    {
      ...(shouldStop ? { shouldStop } : {}),
      onGeneration: (i, x) => {
        if (i > 20 && i % 10 !== 0 && i !== o.generations) return;
        const ksData: number[] = [];
        const ks = projections.map((p, k) => {
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let c = 0; c < dim; c++) s += p.u[c]! * x[j * dim + c]!;
            vals[j] = s;
          }
          ksData.push(kolmogorovToMixture(vals, dataProj[k]!));
          return kolmogorovToMixture(vals, limProj[k]!);
        });
        gens.push({ i, ks, ksData, tvBound: tv0.map((t) => (1 - o.alpha) ** i * t), coefficients: cloudCoefficients(x, N, dim, order), population: coefficientsOf(pop[i]!, order, dim) });
        onGeneration?.(i);
      },
    },
  ), shouldStop);
  const modes = dim === 1 ? Array.from({ length: order }, (_, k) => `n = ${k + 1}`) : multiIndices2d(order).map((nu) => `ν = (${nu[0]}, ${nu[1]})`);
  return { dim, options: o, limit: coefficientsOf(lim, order, dim), data: coefficientsOf(data, order, dim), generations: gens, seconds: Number(process.hrtime.bigint() - start) / 1e9, completed: done === o.generations, modes };
}
