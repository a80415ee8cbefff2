/**
 * The metrics the recursion records per generation (docs/theory.md §1–§2), computed with the oracles:
 *
 * - D = χ²(p̂^i ‖ p_data), I = χ²(p̂^{i+1} ‖ q_i): closed form when the reference is one Gaussian
 *   (pair formula, exact +∞ test); otherwise Monte Carlo with a standard error, exactly +∞ when a
 *   closed-form criterion proves it (D-3), and a warning when finite variance is not proven.
 * - KL(p̂^{i+1} ‖ q_i): closed form between single Gaussians, Monte Carlo otherwise.
 * - The round's score error `e = ∇log P_t q̃ + e_inj − ∇log P_t q_i` (docs/theory.md §5.2):
 *   ε⋆² = ∫ E_{P_t q_i} ‖e‖² dt by Monte Carlo over the known marginals (no SDE);
 *   ε̂² along the learned path: when the model has no injected error its path from P_T q̃ has
 *   marginals P_t q̃ exactly, so the same Monte Carlo under P_t q̃; with an injected error the
 *   learned path is simulated (Euler–Maruyama, `etaSteps` steps) and ε̂² = E[M̂²] where
 *   M̂ = −∫ e·dB along it (Itô isometry: E M̂² = E∫‖e‖²), with its standard error.
 *   A model equal to q_i with no injected error has e ≡ 0: ε⋆² = ε̂² = 0 and η = 0 exactly.
 * - η by 2-fold cross-fitted regression of M on (1, y, y yᵀ) over `etaPaths` ideal paths
 *   (exact basis in the linear-Gaussian world; a lower estimate elsewhere). `etaPaths = 0` skips it;
 *   `energySamples = 0` skips the energies and η (null), e.g. for timing the divergences alone.
 */
import { gaussianKL } from '../divergences/gaussian.ts';
import { LOG_MAX_VALUE } from '../divergences/gaussian.ts';
import { mixtureLogChiSquarePlusOne } from '../divergences/mixture-vs-gaussian.ts';
import { chiSquareMonteCarlo, divergencesMonteCarlo, klMonteCarlo, type MonteCarloDivergence } from '../divergences/monte-carlo.ts';
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { eta, quadraticBasis, simulateIdealPaths } from '../energies/observability.ts';
import { monteCarloEnergy } from '../energies/score-error-energy.ts';
import { uniformGrid } from '../processes/time-grid.ts';
import type { Rng } from '../random/rng.ts';
import { drawStart } from '../samplers/start-law.ts';
import { gaussianMixtureScore } from '../scores/gaussian-mixture-score.ts';
import { modelScore, modelScoreError } from '../scores/model-score-error.ts';
import type { Estimate, RecursionMetrics, RoundInput, RoundMetrics } from './metrics.ts';

export interface MetricsOptions {
  readonly divergenceSamples: number;
  readonly energySamples: number;
  readonly etaPaths: number;
  readonly etaSteps: number;
}

const ZERO: Estimate = { value: 0, standardError: 0, method: 'exact' };

function fromMonteCarlo(r: MonteCarloDivergence): Estimate {
  if (r.estimate === Infinity) return { value: Infinity, standardError: 0, method: 'infinite' };
  const base: Estimate = { value: r.estimate, standardError: r.standardError, method: 'monte-carlo' };
  return r.heavyTail ? { ...base, warning: r.warning ?? 'finite variance not proven: the standard error may not be a valid error bar' } : base;
}

function single(q: GaussianMixture): boolean {
  let positive = 0;
  for (const w of q.weights) if (w > 0) positive++;
  return positive === 1;
}

function onlyComponent(q: GaussianMixture) {
  return q.components[q.weights.findIndex((w) => w > 0)]!;
}

export function chiSquaredEstimate(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng): Estimate {
  if (single(q)) {
    const log = mixtureLogChiSquarePlusOne(p, onlyComponent(q));
    if (log === Infinity) return { value: Infinity, standardError: 0, method: 'infinite' };
    if (log > LOG_MAX_VALUE) return { value: Number.MAX_VALUE, standardError: 0, method: 'closed-form', logOnePlus: log, warning: `χ² is finite but exceeds the double range: log(1 + χ²) = ${log}` };
    return { value: Math.expm1(log), standardError: 0, method: 'closed-form' };
  }
  try {
    return fromMonteCarlo(chiSquareMonteCarlo(p, q, n, rng));
  } catch (e) {
    // the importance weights overflow a double: the estimate is undefined, not +∞ (not proven)
    if (e instanceof RangeError) return { value: Number.NaN, standardError: Number.NaN, method: 'monte-carlo', warning: e.message };
    throw e;
  }
}

/** I = χ²(p‖q) and KL(p‖q) together: closed forms where q (and p) are single Gaussians, else one shared Monte Carlo sample. */
export function chiSquaredAndKl(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng): { chiSquare: Estimate; kl: Estimate } {
  if (single(q)) {
    const chiSquare = chiSquaredEstimate(p, q, n, rng);
    if (single(p)) return { chiSquare, kl: { value: gaussianKL(onlyComponent(p), onlyComponent(q)), standardError: 0, method: 'closed-form' } };
    return { chiSquare, kl: fromMonteCarlo(klMonteCarlo(p, q, n, rng)) };
  }
  try {
    const both = divergencesMonteCarlo(p, q, n, rng);
    return { chiSquare: fromMonteCarlo(both.chiSquare), kl: fromMonteCarlo(both.kl) };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // importance weights overflow: χ² undefined (NaN with the reason), KL still estimable
    const kl = fromMonteCarlo(klMonteCarlo(p, q, n, rng.derive('kl-only')));
    return { chiSquare: { value: Number.NaN, standardError: Number.NaN, method: 'monte-carlo', warning: e.message }, kl };
  }
}

/**
 * A divergence is ≥ 0: a negative value (rounding of a closed form near 0, e.g. −3.3e-16, or Monte
 * Carlo noise around 0) is reported as 0, with the computed value kept in `raw` and a warning
 * (issue 17 row 16: never a negative divergence in the output). Other values pass unchanged.
 */
export function nonNegativeDivergence(e: Estimate, name: string): Estimate {
  if (!(e.value < 0)) return e;
  const note = `${name} computed as ${e.value.toExponential(2)}${e.standardError > 0 ? ` ± ${e.standardError.toExponential(1)}` : ''} (${e.method === 'monte-carlo' ? 'Monte Carlo noise around 0' : 'rounding'}); reported as 0, a divergence is ≥ 0`;
  return { ...e, value: 0, raw: e.value, warning: e.warning ? `${e.warning}; ${note}` : note };
}

export function defaultRecursionMetrics(options: MetricsOptions): RecursionMetrics {
  return {
    chiSquared: (p, q, rng) => nonNegativeDivergence(chiSquaredEstimate(p, q, options.divergenceSamples, rng), 'χ²'),
    round: (input) => {
      const r = roundMetrics(input, options);
      return { ...r, I: nonNegativeDivergence(r.I, 'χ²'), KL: nonNegativeDivergence(r.KL, 'KL') };
    },
  };
}

function roundMetrics(input: RoundInput, o: MetricsOptions): RoundMetrics {
  const { q, model, output, t0, T, rng } = input;
  const { chiSquare: I, kl: KL } = chiSquaredAndKl(output, q, o.divergenceSamples, rng.derive('I-KL'));
  if (model.law === q && model.error === null) return { I, KL, epsStar2: ZERO, epsHat2: ZERO, eta: ZERO };
  if (o.energySamples === 0) return { I, KL, epsStar2: null, epsHat2: null, eta: null };

  const trueScore = gaussianMixtureScore(q);
  const learnedScore = modelScore(model.law, model.error);
  const error = modelScoreError(model.law, q, model.error);
  const star = monteCarloEnergy(error, q, t0, T, o.energySamples, rng.derive('eps-star'));
  const epsStar2: Estimate = { value: star.estimate, standardError: star.standardError, method: 'monte-carlo' };

  let epsHat2: Estimate;
  if (!model.error) {
    const hat = monteCarloEnergy(error, model.law, t0, T, o.energySamples, rng.derive('eps-hat'));
    epsHat2 = { value: hat.estimate, standardError: hat.standardError, method: 'monte-carlo' };
  } else {
    const n = Math.max(o.energySamples, 2);
    const learned = simulateIdealPaths({
      score: learnedScore,
      error,
      start: drawStart('exact', model.law, T, n, rng.derive('eps-hat', 'start')),
      n,
      grid: uniformGrid(T, t0, o.etaSteps),
      noise: rng.derive('eps-hat', 'noise'),
    });
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const m2 = learned.M[i]! * learned.M[i]!;
      s += m2;
      s2 += m2 * m2;
    }
    const mean = s / n;
    const variance = Math.max(s2 / n - mean * mean, 0) * (n / (n - 1));
    epsHat2 = { value: mean, standardError: Math.sqrt(variance / n), method: 'monte-carlo' };
  }

  let etaEstimate: Estimate | null = null;
  if (o.etaPaths > 0) {
    const paths = simulateIdealPaths({
      score: trueScore,
      error,
      start: drawStart('exact', q, T, o.etaPaths, rng.derive('eta', 'start')),
      n: o.etaPaths,
      grid: uniformGrid(T, t0, o.etaSteps),
      noise: rng.derive('eta', 'noise'),
    });
    const e = eta({ paths, features: quadraticBasis(q.dim) });
    etaEstimate = { value: e.etaReported, raw: e.eta, standardError: e.standardError, method: 'regression' };
  }
  return { I, KL, epsStar2, epsHat2, eta: etaEstimate };
}
