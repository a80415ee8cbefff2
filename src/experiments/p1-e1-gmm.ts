/**
 * P1-E1 at the paper's scale (docs/theory.md §3 P1-E1, P1 §5): 10-D data = 5 isotropic components σ² = 0.36
 * (means 3·e_k, equal weights: our choice, the paper does not publish them), Gaussian-KDE score
 * model with h = 0.6 fitted on N draws of q_i per generation, T = 4, t0 = 0.02, 20 generations,
 * α ∈ {0.1, 0.5, 0.9}.
 *
 * Sampling: the KDE model's output law P_{t0} q̃_i is a GMM, drawn exactly at full N
 * (./kde-particle-recursion.ts); the paper's 500-step Euler–Maruyama sampler is run, with the exact
 * KDE score, on `emParticles` particles at the rounds `emRounds`, and compared with the exact draws
 * (what discretisation adds). Per round i → i+1 (from `metricSamples` exact draws of p̂^{i+1}):
 * KL_i = KL(p̂^{i+1} ‖ q_i), KL against the ideal output P_{t0} q_i (D-2), I_i = χ²(p̂^{i+1} ‖ q_i),
 * D_{i+1} = χ²(p̂^{i+1} ‖ p_data), and ε̂²_i, ε⋆²_i by Monte Carlo over exact marginals; per
 * generation the dispersion (./dispersion.ts). The exact population recursion (N → ∞: q̃ = q_i ∗
 * N(0, h²I), docs/theory.md §5.2) is the reference curve; there D_i = +∞ from generation 1 (D-3:
 * h² = σ² puts the smoothed components exactly on the χ² boundary, and P_{t0} pushes them over).
 */
import { gaussianMixture, mixMixtures, mixtureCovariance, sampleMixture, sampleMixtureInto, smoothMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../distributions/gaussian.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import { uniformGrid } from '../processes/time-grid.ts';
import { Rng } from '../random/rng.ts';
import { chiSquaredEstimate } from '../recursion/recursion-metrics.ts';
import { eulerMaruyamaStep, runReverseSde } from '../samplers/reverse-sde.ts';
import { dispersion, type Dispersion } from './dispersion.ts';
import { isoDivergences, isoEnergy, type McValue } from './iso-divergences.ts';
import { isoFromMixture, isoKdeOutput, isoMix, isoPush, isoSample, isoScoreField, type IsoMixture } from './isotropic-mixture.ts';
import { kdeRecursionRounds } from './kde-particle-recursion.ts';
import { driveRounds, yieldTurn } from './async-driver.ts';
import { fitPca, project } from './pca.ts';

export interface P1E1Options {
  readonly dim: number;
  readonly components: number;
  readonly meanScale: number;
  readonly variance: number;
  readonly bandwidth: number;
  readonly T: number;
  readonly t0: number;
  readonly generations: number;
  readonly alphas: readonly number[];
  readonly particles: number;
  /** exact draws of p̂^{i+1} used for the divergences per round (0: no divergences) */
  readonly metricSamples: number;
  /** Monte Carlo points for ε̂², ε⋆² per round (0: none) */
  readonly energySamples: number;
  readonly emParticles: number;
  readonly emSteps: number;
  readonly emRounds: readonly number[];
  readonly scatterPoints: number;
  readonly scatterGenerations: readonly number[];
  /** radius r of the `outside` statistic */
  readonly outsideRadius: number;
  /** draws from the exact population laws for their dispersion */
  readonly populationSamples: number;
}

/** The paper's scale (one run; the paper has 10: use --runs / --shard). */
export const P1E1_PAPER: P1E1Options = {
  dim: 10,
  components: 5,
  meanScale: 3,
  variance: 0.36,
  bandwidth: 0.6,
  T: 4,
  t0: 0.02,
  generations: 20,
  alphas: [0.1, 0.5, 0.9],
  particles: 100_000,
  metricSamples: 200,
  energySamples: 100,
  emParticles: 8,
  emSteps: 500,
  emRounds: [0],
  scatterPoints: 400,
  scatterGenerations: [0, 1, 2, 5, 10, 20],
  outsideRadius: 3,
  populationSamples: 20_000,
};

/** The data law: means meanScale·e_k (k < components), covariance variance·I, equal weights. */
export function p1e1Data(o: Pick<P1E1Options, 'dim' | 'components' | 'meanScale' | 'variance'>): GaussianMixture {
  const comps = Array.from({ length: o.components }, (_, k) => {
    const m = new Float64Array(o.dim);
    m[k % o.dim] = o.meanScale;
    return isotropicGaussian(m, o.variance);
  });
  return gaussianMixture(new Array(o.components).fill(1 / o.components), comps);
}

export function dataCentres(data: GaussianMixture): Float64Array {
  const c = new Float64Array(data.components.length * data.dim);
  data.components.forEach((g, k) => c.set(g.mean, k * data.dim));
  return c;
}

export interface RoundMetrics {
  readonly KL: McValue;
  readonly KLideal: McValue;
  readonly I: McValue & { readonly finite: boolean; readonly varianceFinite: boolean };
  readonly Dnext: McValue & { readonly finite: boolean; readonly varianceFinite: boolean };
  readonly epsHat2: McValue | null;
  readonly epsStar2: McValue | null;
}

export interface EmComparison {
  readonly round: number;
  readonly particles: number;
  readonly steps: number;
  readonly seconds: number;
  readonly em: Dispersion & { readonly secondMoment: McValue };
  readonly exact: Dispersion & { readonly secondMoment: McValue };
}

export interface P1E1Job {
  readonly run: number;
  readonly alpha: number;
  readonly seedPath: readonly (string | number)[];
  readonly dispersion: Dispersion[];
  /** round i → i+1 metrics, index i */
  readonly rounds: RoundMetrics[];
  readonly scatter: { readonly i: number; readonly xy: number[] }[];
  readonly em: EmComparison[];
  readonly seconds: number;
  readonly completed: boolean;
}

export interface PopulationGeneration {
  readonly i: number;
  readonly D: number;
  readonly variance: number;
  readonly spread: number;
  readonly outside: number;
}

function secondMoment(x: Float64Array, n: number, d: number): McValue {
  let s = 0;
  let s2 = 0;
  for (let p = 0; p < n; p++) {
    let v = 0;
    for (let j = 0; j < d; j++) v += x[p * d + j]! ** 2;
    v /= d;
    s += v;
    s2 += v * v;
  }
  const m = s / n;
  return { value: m, standardError: Math.sqrt(Math.max(0, s2 / n - m * m) / (n - 1)) };
}

/** The exact population recursion (reference curve): D_i exact or +∞, dispersion from exact draws. */
export function populationReference(o: P1E1Options, alpha: number, rng: Rng): PopulationGeneration[] {
  const data = p1e1Data(o);
  const centres = dataCentres(data);
  const out: PopulationGeneration[] = [];
  let p: GaussianMixture = data;
  for (let i = 0; i <= o.generations; i++) {
    const D = i === 0 ? 0 : chiSquaredEstimate(p, data, 2000, rng.derive('D', i)).value;
    const cov = mixtureCovariance(p);
    let tr = 0;
    for (let j = 0; j < o.dim; j++) tr += cov[j * o.dim + j]!;
    const x = sampleMixture(p, o.populationSamples, rng.derive('draws', i));
    const disp = dispersion(x, o.populationSamples, o.dim, centres, o.outsideRadius);
    out.push({ i, D, variance: tr / o.dim, spread: disp.spread, outside: disp.outside });
    p = pushMixture(smoothMixture(mixMixtures(alpha, data, p), o.bandwidth), o.t0);
  }
  return out;
}

/** One (run, α) job. `shouldStop` ends it after the current round (interrupt-safe). */
export async function runP1E1Job(o: P1E1Options, alpha: number, run: number, seed: number, hooks: { shouldStop?: () => boolean; onRound?: (i: number) => void; withEm?: boolean } = {}): Promise<P1E1Job> {
  const start = process.hrtime.bigint();
  const seedPath = [seed, 'p1-e1', run, alpha];
  const rng = Rng.fromPath(...seedPath);
  const data = p1e1Data(o);
  const d = o.dim;
  const centres = dataCentres(data);
  const dataIso = isoFromMixture(data);
  const disp: Dispersion[] = [];
  const rounds: RoundMetrics[] = [];
  const scatter: { i: number; xy: number[] }[] = [];
  const em: EmComparison[] = [];
  const pcaRef = fitPca(sampleMixture(data, 5000, Rng.fromPath(seed, 'p1-e1', 'pca')), 5000, d, 2);
  let prevLaw: IsoMixture = dataIso; // law of p̂^i
  const N = o.particles;
  const done = await driveRounds(kdeRecursionRounds(
    { dim: d, alpha, bandwidth: o.bandwidth, t0: o.t0, generations: o.generations, particles: N, fresh: (c, r, out) => sampleMixtureInto(data, c, r, out) },
    rng,
    {
      shouldStop: hooks.shouldStop,
      onGeneration: (i, x) => {
        disp.push(dispersion(x, N, d, centres, o.outsideRadius));
        if (o.scatterGenerations.includes(i)) {
          const m = Math.min(o.scatterPoints, N);
          scatter.push({ i, xy: Array.from(project(pcaRef, x, m)) });
        }
      },
      onRound: ({ i, training, next }) => {
        const r = rng.derive('metrics', i);
        const modelPre: IsoMixture = { dim: d, size: N, means: training, variances: new Float64Array(N).fill(o.bandwidth ** 2), logWeights: new Float64Array(N).fill(-Math.log(N)) };
        const nextLaw = isoKdeOutput(training, N, d, o.bandwidth, o.t0);
        const q = i === 0 ? dataIso : isoMix(alpha, dataIso, prevLaw);
        if (o.metricSamples >= 2) {
          const [vsQ, vsIdeal, vsData] = isoDivergences(next, Math.min(o.metricSamples, N), nextLaw, [q, isoPush(q, o.t0), dataIso]);
          const qPre = q; // q_i (for the energies: marginals P_t q_i)
          let epsHat2: McValue | null = null;
          let epsStar2: McValue | null = null;
          if (o.energySamples >= 2) {
            const sModel = isoScoreField(modelPre);
            const sTrue = isoScoreField(qPre);
            epsHat2 = isoEnergy(sModel, sTrue, modelPre, o.t0, o.T, o.energySamples, r.derive('eps-hat'));
            epsStar2 = isoEnergy(sModel, sTrue, qPre, o.t0, o.T, o.energySamples, r.derive('eps-star'));
          }
          rounds.push({
            KL: vsQ!.kl,
            KLideal: vsIdeal!.kl,
            I: { ...vsQ!.chiSquare, finite: vsQ!.finite, varianceFinite: vsQ!.varianceFinite },
            Dnext: { ...vsData!.chiSquare, finite: vsData!.finite, varianceFinite: vsData!.varianceFinite },
            epsHat2,
            epsStar2,
          });
        }
        if ((hooks.withEm ?? true) && o.emParticles > 0 && o.emRounds.includes(i)) {
          const t = process.hrtime.bigint();
          const M = o.emParticles;
          const x = isoSample(isoPush(modelPre, o.T), M, r.derive('em-start'));
          runReverseSde(eulerMaruyamaStep, x, { dim: d, n: M, grid: uniformGrid(o.T, o.t0, o.emSteps), score: isoScoreField(modelPre), noise: r.derive('em-noise') });
          em.push({
            round: i,
            particles: M,
            steps: o.emSteps,
            seconds: Number(process.hrtime.bigint() - t) / 1e9,
            em: { ...dispersion(x, M, d, centres, o.outsideRadius), secondMoment: secondMoment(x, M, d) },
            exact: { ...dispersion(next, N, d, centres, o.outsideRadius), secondMoment: secondMoment(next, N, d) },
          });
        }
        prevLaw = nextLaw;
        hooks.onRound?.(i);
      },
    },
  ), hooks.shouldStop);
  return { run, alpha, seedPath, dispersion: disp, rounds, scatter, em, seconds: Number(process.hrtime.bigint() - start) / 1e9, completed: done === o.generations };
}

/** All jobs (runs × α) in order; EM comparison on the first α only; population reference per α. */
export async function runP1E1(o: P1E1Options, seed: number, runs: readonly number[], hooks: { shouldStop?: () => boolean; onProgress?: (done: number, total: number, note: string) => void; onJob?: (jobs: readonly P1E1Job[]) => void } = {}): Promise<{ jobs: P1E1Job[]; population: Record<string, PopulationGeneration[]>; completed: boolean }> {
  const population: Record<string, PopulationGeneration[]> = {};
  for (const a of o.alphas) population[String(a)] = populationReference(o, a, Rng.fromPath(seed, 'p1-e1', 'population', a));
  const jobs: P1E1Job[] = [];
  const total = runs.length * o.alphas.length * o.generations;
  let done = 0;
  let completed = true;
  for (const run of runs) {
    for (const [k, a] of o.alphas.entries()) {
      await yieldTurn();
      if (hooks.shouldStop?.()) return { jobs, population, completed: false };
      const job = await runP1E1Job(o, a, run, seed, {
        ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
        withEm: k === 0,
        onRound: (i) => hooks.onProgress?.(++done, total, `run ${run} α = ${a} round ${i}`),
      });
      jobs.push(job);
      hooks.onJob?.(jobs);
      if (!job.completed) return { jobs, population, completed: false };
    }
  }
  return { jobs, population, completed };
}
