/**
 * P1-E2 on real images (docs/theory.md §3 P1-E2, P1 Fig. 2, 9): observability η̂ of three kinds of score
 * error at matched ideal-path energy ε⋆², on optdigits (./optdigits.ts) in a k-dimensional PCA
 * subspace (./pca.ts). The data law is the empirical law of the (projected) images, so the true
 * score of P_t p_data is exact: a GMM with one atom per image pushed by P_t (docs/theory.md §6).
 *
 * Errors (src/scores/injected-error.ts): aligned W x (W = λ I, along the linear part of the reverse
 * drift), random W x (W = λ R, ‖R‖_F² = k, R from the case seed), time-only ξ(t) = λ sin(2πc(t − t0)/(T − t0)) u.
 * Matched energy: λ chosen so that ε⋆² = `targetEnergy`, computed in closed form: for an affine
 * error ε⋆² = ∫ tr(W S_t Wᵀ) + ‖W m_t + ξ‖² dt depends on the data only through its mean and
 * covariance (src/energies/score-error-energy.ts idealPathEnergy with the data's first two moments).
 * η̂: ideal paths by Euler–Maruyama on a log-spaced grid (src/energies/observability.ts
 * simulateIdealPaths), η by 2-fold cross-fitted regression of M on (1, y, y yᵀ); for these
 * non-Gaussian data the quadratic basis gives a LOWER estimate of η.
 */
import { empiricalMixture, mixtureCovariance, mixtureMean } from '../distributions/gaussian-mixture.ts';
import { fullGaussian } from '../distributions/gaussian.ts';
import { eta, etaCombinationStandardError, quadraticBasis, simulateIdealPaths, simulateIdealPathsMany, type EtaEstimate } from '../energies/observability.ts';
import { idealPathEnergy } from '../energies/score-error-energy.ts';
import { geometricGrid } from '../processes/time-grid.ts';
import { Rng } from '../random/rng.ts';
import { drawStart } from '../samplers/start-law.ts';
import { gaussianMixtureScore } from '../scores/gaussian-mixture-score.ts';
import { injectedError, type ErrorSpec } from '../scores/injected-error.ts';
import { loadOptdigits } from './optdigits.ts';
import { fitPca, project } from './pca.ts';

export interface P1E2Options {
  /** PCA dimension k (64 = no projection) */
  readonly pcaDim: number;
  /** first `images` images of the file (1797 = all) */
  readonly images: number;
  readonly paths: number;
  readonly steps: number;
  readonly T: number;
  readonly t0: number;
  /** matched ε⋆² of every family */
  readonly targetEnergy: number;
  /** full cycles of the time-only error over [t0, T] */
  readonly cycles: number;
}

export const P1E2_FULL: P1E2Options = { pcaDim: 8, images: 1797, paths: 4000, steps: 100, T: 4, t0: 0.1, targetEnergy: 1, cycles: 3 };

export type EtaFamily = 'aligned' | 'random' | 'time-only';
export const ETA_FAMILIES: readonly EtaFamily[] = ['aligned', 'random', 'time-only'];

export interface EtaResult {
  readonly family: EtaFamily;
  readonly lambda: number;
  /** closed-form ε⋆² at that λ (= targetEnergy up to rounding) */
  readonly epsStar2: number;
  readonly eta: number;
  readonly standardError: number;
  /** sample Var M of the discretised functional (≈ ε⋆²) */
  readonly varM: number;
  readonly seconds: number;
}

export interface ImageWorld {
  readonly dim: number;
  readonly points: Float64Array;
  readonly n: number;
  readonly explained: number;
}

/** The projected images: n·k coordinates in the PCA basis of ALL 1797 images. */
export function imageWorld(pcaDim: number, images: number): ImageWorld {
  const img = loadOptdigits();
  const n = Math.min(images, img.n);
  const pca = fitPca(img.pixels, img.n, img.dim, pcaDim);
  return { dim: pcaDim, points: project(pca, img.pixels.subarray(0, n * img.dim), n), n, explained: pca.explained };
}

export function errorSpec(family: EtaFamily, scale: number, o: Pick<P1E2Options, 'cycles'>, randomSeed: number): ErrorSpec {
  if (family === 'aligned') return { family: 'aligned', scale };
  if (family === 'random') return { family: 'random', scale, seed: randomSeed };
  return { family: 'time-oscillation', scale, cycles: o.cycles };
}

/** η̂ of one family on the world (paths from Rng.fromPath(seed, 'p1-e2', family[, randomSeed]); the random matrix from `randomSeed`). */
export function etaForFamily(world: ImageWorld, family: EtaFamily, o: P1E2Options, seed: number, randomSeed: number): EtaResult {
  const start = process.hrtime.bigint();
  const q = empiricalMixture(world.points, world.n, world.dim);
  const moments = fullGaussian(mixtureMean(q), mixtureCovariance(q));
  const unit = idealPathEnergy(moments, injectedError(errorSpec(family, 1, o, randomSeed), world.dim, o.t0, o.T), o.t0, o.T).value;
  const lambda = Math.sqrt(o.targetEnergy / unit);
  const error = injectedError(errorSpec(family, lambda, o, randomSeed), world.dim, o.t0, o.T);
  const epsStar2 = idealPathEnergy(moments, error, o.t0, o.T).value;
  const rng = family === 'random' ? Rng.fromPath(seed, 'p1-e2', family, randomSeed) : Rng.fromPath(seed, 'p1-e2', family);
  const paths = simulateIdealPaths({
    score: gaussianMixtureScore(q),
    error,
    start: drawStart('exact', q, o.T, o.paths, rng.derive('start')),
    n: o.paths,
    grid: geometricGrid(o.T, o.t0, o.steps),
    noise: rng.derive('noise'),
  });
  const e = eta({ paths, features: quadraticBasis(world.dim) });
  return { family, lambda, epsStar2, eta: e.eta, standardError: e.standardError, varM: e.denominator, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** The paper's reading of "time-only ≈ 0": below one fifth of its lowest post-transient value 0.25. */
export const ETA_TIME_ONLY_MAX = 0.05;
/** The paper's post-transient range (CIFAR-10). */
export const PAPER_ETA_RANGE: readonly [number, number] = [0.25, 0.35];

/**
 * "random W x" as a perturbation TYPE: the mean of η̂ over `draws` independent random matrices
 * (seeds randomSeed + 0..draws−1), each with paths/draws paths of its own; SE = √(Σ SE_j²)/draws
 * (independent estimates). η of a single random W varies with W (measured 0.13–0.22 on 200 images
 * in 8-D), so one draw says little about the type.
 */
export function etaRandomAverage(world: ImageWorld, o: P1E2Options, seed: number, randomSeed: number, draws: number): EtaResult & { readonly perDraw: readonly EtaResult[] } {
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`etaRandomAverage: draws = ${draws}`);
  const per = Math.floor(o.paths / draws);
  const perDraw = Array.from({ length: draws }, (_, j) => etaForFamily(world, 'random', { ...o, paths: per }, seed, randomSeed + j));
  const m = (f: (e: EtaResult) => number) => perDraw.reduce((a, e) => a + f(e), 0) / draws;
  const se = Math.sqrt(perDraw.reduce((a, e) => a + e.standardError ** 2, 0)) / draws;
  return { family: 'random', lambda: m((e) => e.lambda), epsStar2: m((e) => e.epsStar2), eta: m((e) => e.eta), standardError: se, varM: m((e) => e.varM), seconds: perDraw.reduce((a, e) => a + e.seconds, 0), perDraw };
}

/** The paired ordering (`etaOrderingPaired`): η̂ per type and the differences the ordering needs, with their SEs. */
export interface PairedEtaOrdering {
  readonly aligned: number;
  /** mean of η̂ over the random matrices (the type) */
  readonly random: number;
  readonly perDrawRandom: readonly number[];
  readonly timeOnly: number;
  /** η̂_random − η̂_aligned and its SE */
  readonly randomMinusAligned: { readonly value: number; readonly standardError: number };
  /** η̂_time-only − η̂_random and its SE */
  readonly timeMinusRandom: { readonly value: number; readonly standardError: number };
  readonly timeOnlyStandardError: number;
  readonly paths: number;
}

/**
 * The three perturbation types on ONE set of ideal paths (common random numbers,
 * src/energies/observability.ts simulateIdealPathsMany): aligned W x, `draws` random matrices
 * (seeds randomSeed + 0..draws−1; the random type is their mean), time-only; every error scaled
 * to ε⋆² = targetEnergy. The paths do not depend on the error (the ideal path uses the true
 * score), so pairing costs nothing and the path noise common to the types cancels in the
 * differences; their standard errors come from the paired influence values
 * (etaCombinationStandardError). Paths from Rng.fromPath(seed, 'p1-e2', 'paired').
 */
export function etaOrderingPaired(world: ImageWorld, o: P1E2Options, seed: number, randomSeed: number, draws: number): PairedEtaOrdering {
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`etaOrderingPaired: draws = ${draws}`);
  const q = empiricalMixture(world.points, world.n, world.dim);
  const moments = fullGaussian(mixtureMean(q), mixtureCovariance(q));
  const scaled = (family: EtaFamily, rs: number) => {
    const unit = idealPathEnergy(moments, injectedError(errorSpec(family, 1, o, rs), world.dim, o.t0, o.T), o.t0, o.T).value;
    return injectedError(errorSpec(family, Math.sqrt(o.targetEnergy / unit), o, rs), world.dim, o.t0, o.T);
  };
  const errors = [scaled('aligned', randomSeed), ...Array.from({ length: draws }, (_, j) => scaled('random', randomSeed + j)), scaled('time-only', randomSeed)];
  const rng = Rng.fromPath(seed, 'p1-e2', 'paired');
  const { Y, Ms } = simulateIdealPathsMany({
    score: gaussianMixtureScore(q),
    errors,
    start: drawStart('exact', q, o.T, o.paths, rng.derive('start')),
    n: o.paths,
    grid: geometricGrid(o.T, o.t0, o.steps),
    noise: rng.derive('noise'),
  });
  const features = quadraticBasis(world.dim);
  const est: EtaEstimate[] = Ms.map((M) => eta({ paths: { n: o.paths, dim: world.dim, M, Y }, features }));
  const al = est[0]!;
  const ra = est.slice(1, 1 + draws);
  const ti = est[1 + draws]!;
  const random = ra.reduce((a, e) => a + e.eta, 0) / draws;
  const randomTerms = ra.map((estimate) => ({ estimate, weight: 1 / draws }));
  return {
    aligned: al.eta,
    random,
    perDrawRandom: ra.map((e) => e.eta),
    timeOnly: ti.eta,
    randomMinusAligned: { value: random - al.eta, standardError: etaCombinationStandardError([...randomTerms, { estimate: al, weight: -1 }]) },
    timeMinusRandom: { value: ti.eta - random, standardError: etaCombinationStandardError([{ estimate: ti, weight: 1 }, ...randomTerms.map((t) => ({ ...t, weight: -t.weight }))]) },
    timeOnlyStandardError: ti.standardError,
    paths: o.paths,
  };
}
