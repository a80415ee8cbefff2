/**
 * Fuzz target P2-5 (W2 robustness): one round Φ(p) = P_t0(α p_data + (1−α) p) is a W2 contraction
 * with κ = e^{−t0/2} √(1−α); if each implemented round is within δ (W2) of Φ, then
 *   W2(p̃^g, p*) ≤ κ^g W2(p̃^0, p*) + δ (1 − κ^g)/(1 − κ)   (finite-g form; g → ∞ gives δ/(1−κ)).
 *
 * Parametrised by κ directly: t0 = −2 s ln κ and α = 1 − κ^{2(1−s)} for a share s ∈ (0, 1], so
 * e^{−t0/2} = κ^s and √(1−α) = κ^{1−s}. The implemented round perturbs Φ(p) by an exact W2 amount
 * w: a translation by w, or a scaling about the mean by c = 1 + w/sd (a monotone map: W2 = |c−1|·sd
 * = w exactly). The stated assumption is w ≤ δ. Data N(m, v) in 1-D; p̃^0 = data translated.
 *
 * Oracle: certified bounds in closed form, so a violation is certain (and the margin of a
 * non-violating configuration is conservative, i.e. smaller than the true one):
 * - lhs: the lower bound W2(μ, ν)² ≥ (m_μ − m_ν)² + (σ_μ − σ_ν)² (1-D: quantile functions in L²,
 *   triangle inequality on the centred parts), with p̃^g's moments from its components and p*'s
 *   from the geometric series: E* X = α e^{−t0/2} m/(1 − (1−α)e^{−t0/2}),
 *   E* X² = 1 + (v + m² − 1) α e^{−t0}/(1 − (1−α)e^{−t0}).
 * - rhs: the upper bound W2²(p̃^0, p*) ≤ Σ_k w_k W2²(p̃^0, P_{k t0} p_data) (couple p̃^0 = Σ w_k p̃^0
 *   component-wise), Gaussian W2² = (Δm)² + (Δσ)² per term, series cut at K terms with the tail
 *   ≤ (1−α)^K ((|m0| + |m|)² + (σ0 + max(√v, 1))²).
 * Float allowance: floatErrorBound over ≈ 40 + 10K roundings at the scale of the values.
 */
import { gaussianMixture, mixMixtures, mixtureMean, type GaussianMixture } from '../../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../distributions/gaussian.ts';
import { mergeIdenticalComponents, translateMixture } from '../../oracles/gmm-recursion.ts';
import { pushMixture } from '../../processes/ornstein-uhlenbeck.ts';
import { floatErrorBound, leqExact } from '../../verdict/compare.ts';
import type { Evaluation, FuzzTarget } from '../target.ts';
import type { FuzzConfig, ParamSpec } from '../space.ts';

/** relative size of the cut tail of the rhs series */
const SERIES_TOLERANCE = 1e-14;

export const W2_SPACE: readonly ParamSpec[] = [
  { kind: 'real', name: 'kappa', min: 0.05, max: 0.95, simplest: 0.5, doc: 'contraction factor κ' },
  { kind: 'real', name: 't0Share', min: 0.05, max: 1, simplest: 0.5, doc: 'share s of ln κ from t0 (t0 = −2 s ln κ, α = 1 − κ^{2(1−s)})' },
  { kind: 'real', name: 'delta', min: 1e-3, max: 1, log: true, simplest: 0.1, doc: 'stated per-round W2 error δ' },
  { kind: 'real', name: 'perturbation', min: 0, max: 1, simplest: 0.1, doc: 'actual per-round W2 perturbation w' },
  { kind: 'choice', name: 'kind', choices: ['translate', 'scale'], simplest: 'translate', doc: 'perturbation kind' },
  { kind: 'int', name: 'generations', min: 1, max: 30, simplest: 1, doc: 'generation g' },
  { kind: 'real', name: 'mean', min: -2, max: 2, simplest: 1, doc: 'data mean' },
  { kind: 'real', name: 'variance', min: 0.1, max: 3, log: true, simplest: 1, doc: 'data variance' },
  { kind: 'real', name: 'startShift', min: 0, max: 2, simplest: 0, doc: 'p̃^0 = p_data translated by this' },
];

function moments(p: GaussianMixture): { mean: number; sd: number } {
  const M = mixtureMean(p)[0]!;
  let v = 0;
  p.components.forEach((g, k) => (v += p.weights[k]! * (g.cov[0]! + (g.mean[0]! - M) ** 2)));
  return { mean: M, sd: Math.sqrt(v) };
}

function perturb(p: GaussianMixture, w: number, kind: string): GaussianMixture {
  if (w === 0) return p;
  if (kind === 'translate') return translateMixture(p, [w]);
  const { mean: M, sd } = moments(p);
  const c = 1 + w / sd;
  return { dim: 1, weights: p.weights, components: p.components.map((g) => isotropicGaussian([M + c * (g.mean[0]! - M)], c * c * g.cov[0]!)) };
}

export function kappaParams(kappa: number, share: number): { t0: number; alpha: number } {
  return { t0: -2 * share * Math.log(kappa), alpha: 1 - kappa ** (2 * (1 - share)) };
}

/** Mean and sd of p* for data N(m, v) (geometric series, file comment). */
export function limitMoments(m: number, v: number, alpha: number, t0: number): { mean: number; sd: number } {
  const e1 = Math.exp(-0.5 * t0);
  const e2 = Math.exp(-t0);
  const mean = (alpha * e1 * m) / (1 - (1 - alpha) * e1);
  const second = 1 + ((v + m * m - 1) * alpha * e2) / (1 - (1 - alpha) * e2);
  return { mean, sd: Math.sqrt(Math.max(0, second - mean * mean)) };
}

/** Upper bound of W2(N(m0, s0²), p*) (file comment) and the number of series terms used. */
export function w2UpperToLimit(m0: number, s0: number, m: number, v: number, alpha: number, t0: number): { value: number; terms: number } {
  let sum = 0;
  let k = 1;
  let wk = alpha;
  const tailScale = (Math.abs(m0) + Math.abs(m)) ** 2 + (s0 + Math.max(Math.sqrt(v), 1)) ** 2;
  for (; k < 100000; k++) {
    const a = Math.exp(-0.5 * k * t0);
    const sk = Math.sqrt(a * a * v - Math.expm1(-k * t0));
    sum += wk * ((m0 - a * m) ** 2 + (s0 - sk) ** 2);
    wk *= 1 - alpha;
    if ((1 - alpha) ** k * tailScale <= SERIES_TOLERANCE * Math.max(sum, 1e-300) || alpha === 1) break;
  }
  const tail = alpha === 1 ? 0 : (1 - alpha) ** k * tailScale;
  return { value: Math.sqrt(sum + tail), terms: k };
}

export function evaluateW2Ball(c: FuzzConfig): Evaluation {
  const kappa = Number(c.kappa);
  const { t0, alpha } = kappaParams(kappa, Number(c.t0Share));
  const delta = Number(c.delta);
  const w = Number(c.perturbation);
  const g = Number(c.generations);
  const m = Number(c.mean);
  const v = Number(c.variance);
  const data = gaussianMixture([1], [isotropicGaussian([m], v)]);
  const shift = Number(c.startShift);
  let p = translateMixture(data, [shift]);
  for (let i = 0; i < g; i++) p = mergeIdenticalComponents(perturb(pushMixture(mixMixtures(alpha, data, p), t0), w, String(c.kind)));
  const mg = moments(p);
  const ms = limitMoments(m, v, alpha, t0);
  const lower = Math.hypot(mg.mean - ms.mean, mg.sd - ms.sd);
  const up0 = w2UpperToLimit(m + shift, Math.sqrt(v), m, v, alpha, t0);
  const kg = kappa ** g;
  const rhs = kg * up0.value + (delta * (1 - kg)) / (1 - kappa);
  const scale = Math.max(lower, rhs, Math.abs(mg.mean), Math.abs(ms.mean), mg.sd, ms.sd, 1);
  const err = floatErrorBound(scale, 40 + 10 * (up0.terms + g + p.components.length));
  return {
    comparisons: [leqExact('W2(p̃^g, p*) ≤ κ^g W2(p̃^0, p*) + δ(1 − κ^g)/(1 − κ) [lower bound ≤ upper bound]', lower, rhs, err, 'exact')],
    assumptions: [{ id: 'per-round-w2', label: 'each implemented round within δ (W2) of the ideal one', holds: w <= delta, stated: true, detail: `w = ${w}, δ = ${delta}` }],
    statistics: { w2LowerBound: lower, w20UpperBound: up0.value, ball: delta / (1 - kappa), t0, alpha },
  };
}

export const w2BallTarget: FuzzTarget = {
  id: 'P2-5',
  aliases: ['ball', 'w2'],
  claimIds: ['P2-5'],
  title: 'W2 robustness ball δ/(1−κ)',
  statement: 'per-round W2 error δ ⇒ limsup W2(p̃^i, p*) ≤ δ/(1−κ), κ = e^{−t0/2}√(1−α)',
  convention: 'finite-generation form W2(p̃^g, p*) ≤ κ^g W2(p̃^0, p*) + δ(1 − κ^g)/(1 − κ) (its g → ∞ limit is the statement); certified lower bound for the left side, upper bound for the right: violations are certain, margins conservative',
  oracle: 'GMM-exact recursion (1-D), moment lower bound of W2 and mixture-coupling upper bound, both closed form',
  expectedAsStated: 'holds',
  space: W2_SPACE,
  evaluate: evaluateW2Ball,
  map: {
    title: 'W2 ball with an actual per-round perturbation 0.1: δ × κ',
    x: { param: 'delta', label: 'stated per-round error δ', steps: 24, min: 0.01, max: 1 },
    y: { param: 'kappa', label: 'κ = e^{−t0/2}√(1−α)', steps: 20, min: 0.05, max: 0.95 },
    base: { kappa: 0.5, t0Share: 0.5, delta: 0.1, perturbation: 0.1, kind: 'translate', generations: 30, mean: 1, variance: 1, startShift: 0 },
    boundaries: ['per-round-w2'],
    note: 'data N(1, 1), p̃^0 = p_data, generation 30, translation by 0.1 per round; line: δ = 0.1',
  },
  defaultBudget: { evaluations: 6000, seconds: 60 },
};
