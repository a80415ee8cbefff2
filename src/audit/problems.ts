/**
 * Audit problems: data laws q whose reverse-SDE output law at t0 is known exactly (docs/theory.md §5.1–5.2).
 *
 * With the exact score of P_t q served and the start points drawn from P_T q, the reverse SDE's
 * law at every t is P_t q (docs/theory.md §1), so the exact output law is the mixture `P_{t0} q`
 * (`pushMixture`), Gaussian or GMM, with closed-form mean, covariance and 1-D projection CDFs.
 *
 * The perturbed-score problem starts from the same law as gauss-2d (P_T q) but the harness serves
 * `s + e` with an affine error `e(x, t) = W x + ξ(t)`: W a rotation generator (a non-gradient
 * field) and ξ(t) time dependent. The reverse SDE stays linear, so its output law is the Gaussian
 * whose moments solve the moment ODE (linear-Gaussian oracle, src/oracles/linear-gaussian.ts, RK4
 * with step-doubling error estimate ≤ 1e-11): the output must follow this perturbed law, not
 * P_{t0} q. A sampler that does not use the served score, or uses it at the wrong time, cannot.
 *
 * Sampler kinds (issue 15). `sde` (default): the exact law is the reverse SDE's, as above. `ode`: a
 * deterministic probability-flow ODE sampler, dY/dτ = ½Y + ½ s̃(Y, t) with the served field s̃. With
 * the exact score (every problem but perturbed-score) the PF-ODE transports P_T q through P_t q, so
 * the exact law is again P_{t0} q; on the perturbed-score problem s̃ is not a score and the PF-ODE's
 * law differs from the SDE's: its moments solve m' = F m + g, P' = F P + P Fᵀ with F = ½I + ½G,
 * g = ½c (src/oracles/linear-gaussian.ts solveMomentOde, dynamics 'probability-flow': the same RK4 + step-doubling solver). Values
 * (default set, T = 2, t0 = 0.1): ODE mean (1.0502, −0.2409), SDE mean (1.2814, −0.2626).
 *
 * Forward processes and served conventions (issue 15). Every problem is written in the variables
 * of the unit OU process (windows [0.1, 2] and [0.05, 0.6] in OU time u, the perturbation
 * e(y, u) = W y + ξ(u)); under another forward process P (src/processes/diffusion-process.ts) the
 * same problem has the window [t(0.1), t(2)] in P's own time (t = P.timeOfOuTime(u)), start points
 * from P's marginal at T, the served field (1/s) ẽ(x/s, u(t)) in P's variables (s = √(a² + σ²),
 * src/processes/process-fields.ts) in the requested convention (score | eps | denoiser), and the
 * exact output law s(t0)·(OU law): the reverse SDE / PF-ODE of P is the OU one after the change of
 * variables x = s·y, u = u(t) (derived in process-fields.ts, tested against a moment ODE
 * integrated directly in P's time). For the default process (constant β = 1) every number is
 * bit-identical to the OU problem.
 *
 * The short-T problem has T = 0.6: P_T q is far from N(0, I) (modes at ±1.48 of a ±2 mixture,
 * not yet merged), so a sampler that ignores x0 and starts from N(0, I) produces a visibly wrong
 * output law.
 */
import { gaussianMixture, mixtureCovariance, mixtureMean, singleGaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian } from '../distributions/gaussian.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import { DEFAULT_PROCESS, type DiffusionProcess } from '../processes/diffusion-process.ts';
import { processMarginal, processScale, scaleMixture, servedProcessField, type ServedConvention } from '../processes/process-fields.ts';
import { linearGaussianProblem, solveMomentOde } from '../oracles/linear-gaussian.ts';
import { gaussianMixtureScore } from '../scores/gaussian-mixture-score.ts';
import { affineField, type AffineErrorField } from '../scores/injected-error.ts';
import { sumFields, type ScoreField } from '../scores/vector-field.ts';

export type ProblemSet = 'default' | 'deep';

/** What the audited sampler simulates: the reverse SDE (stochastic) or the probability-flow ODE (deterministic). */
export type SamplerKind = 'sde' | 'ode';
export const SAMPLER_KINDS: readonly SamplerKind[] = ['sde', 'ode'];

export interface AuditProblem {
  readonly id: string;
  readonly description: string;
  /** sampler kind whose exact law `exact` is */
  readonly kind: SamplerKind;
  readonly dim: number;
  /** forward process the window, start law and served field are written in (default: vp-constant, β = 1) */
  readonly process: DiffusionProcess;
  /** what the harness's callback returns (default `score`) */
  readonly serves: ServedConvention;
  /** window in the process's own time (σ for `edm`) */
  readonly T: number;
  readonly t0: number;
  /** the same window in OU time (the problem's definition): u(T), u(t0) */
  readonly ouT: number;
  readonly ouT0: number;
  /** base steps K of the ladder K, 2K, 4K */
  readonly steps: number;
  /** particles per request */
  readonly n: number;
  /** data law q: start points from P_T q, served score ∇log P_t q (+ error) */
  readonly data: GaussianMixture;
  /** affine error added to the served score (perturbed-score problem), else null */
  readonly error: AffineErrorField | null;
  /** exact output law in the process's variables: s(t0)·(P_{u(t0)} q, or (error ≠ null) the Gaussian of the OU SDE's / PF-ODE's moment ODE) */
  readonly exact: GaussianMixture;
  /** unit projection directions (row-major, dim numbers each) for the 1-D distribution tests */
  readonly projections: readonly Float64Array[];
  readonly projectionLabels: readonly string[];
}

function unit(v: number[]): Float64Array {
  const n = Math.sqrt(v.reduce((s, a) => s + a * a, 0));
  return Float64Array.from(v, (a) => a / n);
}

function axis(d: number, i: number): Float64Array {
  const e = new Float64Array(d);
  e[i] = 1;
  return e;
}

function build(
  id: string,
  description: string,
  data: GaussianMixture,
  opts: { T: number; t0: number; steps: number; n: number; error?: AffineErrorField; extraProjections?: [string, number[]][] },
  kind: SamplerKind,
  process: DiffusionProcess,
  serves: ServedConvention,
): AuditProblem {
  const d = data.dim;
  const projections: Float64Array[] = [];
  const labels: string[] = [];
  for (let i = 0; i < Math.min(d, 2); i++) {
    projections.push(axis(d, i));
    labels.push(`e${i + 1}`);
  }
  if (d > 1) {
    projections.push(unit(new Array(d).fill(1)));
    labels.push('(1,…,1)/√d');
  }
  for (const [label, v] of opts.extraProjections ?? []) {
    projections.push(unit(v));
    labels.push(label);
  }
  return {
    id,
    description,
    kind,
    dim: d,
    process,
    serves,
    T: process === DEFAULT_PROCESS ? opts.T : process.timeOfOuTime(opts.T),
    t0: process === DEFAULT_PROCESS ? opts.t0 : process.timeOfOuTime(opts.t0),
    ouT: opts.T,
    ouT0: opts.t0,
    steps: opts.steps,
    n: opts.n,
    data,
    error: opts.error ?? null,
    exact: toProcess(opts.error ? perturbedLaw(data, opts.T, opts.t0, opts.error, kind) : pushMixture(data, opts.t0), process, opts.t0),
    projections,
    projectionLabels: labels,
  };
}

/**
 * Common time window: T = 2, t0 = 0.1, base K = 10: the ladder is K = 10, 20, 40 (h ≈ 0.19, 0.095,
 * 0.048). The score's Lipschitz constant is at most 1/min var(P_t q) ≤ 1/0.4 here, so h·L ≤ 0.24
 * from 2K on: the bias allowance at 4K (checks.ts, ratio b_{4K}/b_{2K} ≤ RHO_MAX) only uses the 2K
 * and 4K levels, where first-order terms dominate. The base level enters only the ladder check
 * (ratio ≤ 1) and the replicate check (same K, no bias involved). Base K = 10 rather than 20 halves
 * the cost for stdlib-Python samplers (the 3-minute target).
 */
const WINDOW = { T: 2, t0: 0.1, steps: 10 } as const;

/** An OU-variables law at OU time u mapped to process variables: scaled by s(t(u)) (1 for VP families). */
function toProcess(law: GaussianMixture, process: DiffusionProcess, u: number): GaussianMixture {
  if (process.preservesVariance) return law;
  return scaleMixture(law, processScale(process, process.timeOfOuTime(u)));
}

/** Forward process and served convention of an audit (defaults: vp-constant β = 1, `score`). */
export interface ProblemSetting {
  readonly process?: DiffusionProcess;
  readonly serves?: ServedConvention;
}

export function auditProblems(set: ProblemSet, kind: SamplerKind = 'sde', setting: ProblemSetting = {}): AuditProblem[] {
  const process = setting.process ?? DEFAULT_PROCESS;
  const serves = setting.serves ?? 'score';
  const scale = set === 'deep' ? 4 : 1;
  const g1 = singleGaussianMixture(isotropicGaussian([1.5], 0.36));
  const g2 = singleGaussianMixture(fullGaussian([1, -0.5], [0.5, 0.2, 0.2, 0.3]));
  const mean10 = Array.from({ length: 10 }, (_, i) => 0.8 * Math.cos(i));
  const var10 = Array.from({ length: 10 }, (_, i) => 0.4 + 0.12 * i);
  const g10 = singleGaussianMixture(diagonalGaussian(mean10, var10));
  const m1 = gaussianMixture([0.3, 0.7], [isotropicGaussian([-2], 0.25), isotropicGaussian([1.5], 0.36)]);
  const m2 = gaussianMixture(
    [0.4, 0.35, 0.25],
    [isotropicGaussian([-1.5, 0], 0.3), isotropicGaussian([1.5, 1], 0.3), diagonalGaussian([0.5, -2], [0.4, 0.25])],
  );
  const shortT = gaussianMixture([0.5, 0.5], [isotropicGaussian([-2], 0.25), isotropicGaussian([2], 0.25)]);
  const problems: AuditProblem[] = [
    build('gauss-1d', 'N(1.5, 0.6²) in 1-D', g1, { ...WINDOW, n: 20000 * scale }, kind, process, serves),
    build('gauss-2d', 'N((1, −0.5), [[0.5, 0.2], [0.2, 0.3]]) in 2-D (correlated)', g2, { ...WINDOW, n: 10000 * scale }, kind, process, serves),
    build('gauss-10d', '10-D Gaussian, diagonal covariance 0.4…1.48, mean 0.8·cos(i)', g10, { ...WINDOW, n: 4000 * scale }, kind, process, serves),
    build('gmm-1d', '0.3·N(−2, 0.5²) + 0.7·N(1.5, 0.6²) (bimodal) in 1-D', m1, { ...WINDOW, n: 20000 * scale }, kind, process, serves),
    build('gmm-2d', '3-component GMM in 2-D', m2, {
      ...WINDOW,
      n: 10000 * scale,
      extraProjections: [['mode 1→2', [3, 1]]],
    }, kind, process, serves),
    build('short-T', '0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²), T = 0.6 (start law far from N(0, 1))', shortT, { T: 0.6, t0: 0.05, steps: 5, n: 20000 * scale }, kind, process, serves),
    build('perturbed-score', 'gauss-2d start law, served score s + e with e(x, t) = W x + ξ(t): W = 0.8·[[0, −1], [1, 0]] (rotation), ξ(t) = (1, −0.6)·cos(πt/2)', g2, {
      ...WINDOW,
      n: 10000 * scale,
      error: perturbationField(),
    }, kind, process, serves),
  ];
  if (set === 'deep') {
    const comps = [0, 1, 2, 3, 4].map((k) => isotropicGaussian(Array.from({ length: 10 }, (_, i) => 1.2 * Math.cos(k + 2 * i)), 0.36));
    const m10 = gaussianMixture([0.2, 0.2, 0.2, 0.2, 0.2], comps);
    problems.push(build('gmm-10d', '5-component GMM in 10-D, covariance 0.36·I (P1-E1 geometry)', m10, { ...WINDOW, n: 4000 * scale }, kind, process, serves));
  }
  return problems;
}

/** The perturbed-score error e(x, t) = W x + ξ(t) (2-D), see the module comment. */
export function perturbationField(): AffineErrorField {
  const W = Float64Array.of(0, -0.8, 0.8, 0);
  const xi = new Float64Array(2);
  return affineField(2, () => W, (t) => {
    const c = Math.cos((Math.PI * t) / 2);
    xi[0] = 1.0 * c;
    xi[1] = -0.6 * c;
    return xi;
  });
}

/** Tolerance of the moment ODE for the perturbed law: far below any Monte Carlo resolution here. */
export const PERTURBED_ODE_RTOL = 1e-11;

/**
 * Output law with served score s + e, start P_T q (q Gaussian): of the linear reverse SDE (`sde`),
 * or of the linear probability-flow ODE (`ode`). Throws for a non-Gaussian q.
 */
export function perturbedLaw(q: GaussianMixture, T: number, t0: number, error: AffineErrorField, kind: SamplerKind = 'sde'): GaussianMixture {
  if (q.components.length !== 1) throw new Error('perturbedLaw: needs a Gaussian data law');
  const problem = linearGaussianProblem(q.components[0]!, T, t0, error);
  const sol = solveMomentOde(problem, { start: 'exact', rtol: PERTURBED_ODE_RTOL, dynamics: kind === 'ode' ? 'probability-flow' : 'reverse-sde' });
  return singleGaussianMixture(fullGaussian(sol.final.mean, sol.final.cov));
}

/**
 * The field the harness serves for a problem, in the problem's convention and time argument: for
 * the default process and `score`, ∇log P_t q plus the error if any (the OU field itself);
 * otherwise its image under the process (src/processes/process-fields.ts servedProcessField).
 */
export function servedScore(p: AuditProblem): ScoreField {
  const s = gaussianMixtureScore(p.data);
  const ou = p.error ? sumFields(s, p.error) : s;
  return p.process === DEFAULT_PROCESS && p.serves === 'score' ? ou : servedProcessField(p.process, ou, p.serves);
}

/** Law of the start points x0: the process's marginal at T (P_T q for the default process). */
export function startLaw(p: AuditProblem): GaussianMixture {
  return p.process === DEFAULT_PROCESS ? pushMixture(p.data, p.T) : processMarginal(p.process, p.data, p.T);
}

/** Exact mean and covariance of the output law. */
export function exactMoments(p: AuditProblem): { mean: Float64Array; cov: Float64Array } {
  return { mean: mixtureMean(p.exact), cov: mixtureCovariance(p.exact) };
}

/** 1-D law of u·X for X ~ mixture: weights, means u·m_k, standard deviations √(uᵀ S_k u). */
export interface Mixture1d {
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly sds: Float64Array;
}

export function projectMixture(q: GaussianMixture, u: Float64Array): Mixture1d {
  const d = q.dim;
  const K = q.components.length;
  const means = new Float64Array(K);
  const sds = new Float64Array(K);
  q.components.forEach((c, k) => {
    let m = 0;
    let v = 0;
    for (let i = 0; i < d; i++) {
      m += u[i]! * c.mean[i]!;
      for (let j = 0; j < d; j++) v += u[i]! * c.cov[i * d + j]! * u[j]!;
    }
    means[k] = m;
    sds[k] = Math.sqrt(v);
  });
  return { weights: q.weights, means, sds };
}
