/**
 * Fuzz target D-3 (χ² finiteness under KDE smoothing): the claim fuzzed is the finiteness that
 * every χ²-based bound of P1 takes for granted,
 *   D_g = χ²(p̂^g ‖ p_data) < ∞,
 * on the population-level KDE recursion p̂^{g} = P_t0(smooth(α p_data + (1−α) p̂^{g−1}, h)),
 * p̂^0 = p_data, data a K-component GMM with covariances σ² I (means spread along (1, …, 1)/√d).
 * D-3 locates the boundary: one KDE smoothing by h² ≥ σ² makes D infinite, h² < σ² keeps it finite
 * (sharp for Gaussian data); its assumptions are therefore: h < σ, one smoothing (generation 1 or
 * α = 1), and no other smoothing (t0 = 0 or P_t0 not widening: every component variance ≥ 1).
 *
 * Exact criterion (all covariances are multiples of I, the data components share σ²): D_g < ∞ iff
 * every model component has variance v_j < 2σ² (tails of p²/q: exp(−|x|²(1/v_j − 1/(2σ²))/… )).
 * The comparison is `max_j v_j < 2σ²`, violated when max_j v_j exceeds 2σ² by more than the float
 * bound of the variance recursion (≈ 4 roundings per generation); on the exact boundary (equality)
 * no violation is claimed although D is +∞ there. The project's general criterion
 * (`chiSquareInfinityWitness`, src/divergences/monte-carlo.ts) is checked against it in
 * properties/exact/fuzz-targets.test.ts.
 */
import { gaussianMixture, mixMixtures, smoothMixture, type GaussianMixture } from '../../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../distributions/gaussian.ts';
import { mergeIdenticalComponents } from '../../oracles/gmm-recursion.ts';
import { pushMixture } from '../../processes/ornstein-uhlenbeck.ts';
import { floatErrorBound, leqExact } from '../../verdict/compare.ts';
import type { Evaluation, FuzzTarget } from '../target.ts';
import type { FuzzConfig, ParamSpec } from '../space.ts';

export const KDE_SPACE: readonly ParamSpec[] = [
  { kind: 'int', name: 'd', min: 1, max: 3, simplest: 1, doc: 'dimension' },
  { kind: 'int', name: 'components', min: 1, max: 3, simplest: 1, doc: 'data components K' },
  { kind: 'real', name: 'separation', min: 0, max: 4, simplest: 0, doc: 'distance between neighbouring component means' },
  { kind: 'real', name: 'sigma2', min: 0.05, max: 4, log: true, simplest: 1, doc: 'component variance σ²' },
  { kind: 'real', name: 'hRatio', min: 0.05, max: 3, simplest: 0.5, doc: 'bandwidth ratio h/σ' },
  { kind: 'int', name: 'generation', min: 1, max: 8, simplest: 1, doc: 'generation g' },
  { kind: 'real', name: 'alpha', min: 0, max: 1, simplest: 0.5, doc: 'fresh-data fraction α' },
  { kind: 'choice', name: 'truncation', choices: ['off', 'on'], simplest: 'off', doc: 't0-smoothing off (t0 = 0) or on' },
  { kind: 'real', name: 't0', min: 1e-3, max: 1, log: true, simplest: 0.02, doc: 'truncation time (when on)' },
];

function dataOf(c: FuzzConfig): GaussianMixture {
  const d = Number(c.d);
  const K = Number(c.components);
  const sep = Number(c.separation);
  const s2 = Number(c.sigma2);
  const comps = Array.from({ length: K }, (_, k) => isotropicGaussian(new Array(d).fill(((k - (K - 1) / 2) * sep) / Math.sqrt(d)), s2));
  return gaussianMixture(new Array(K).fill(1 / K), comps);
}

export function kdeModel(c: FuzzConfig): { data: GaussianMixture; model: GaussianMixture } {
  const data = dataOf(c);
  const h = Number(c.hRatio) * Math.sqrt(Number(c.sigma2));
  const alpha = Number(c.alpha);
  const t0 = c.truncation === 'on' ? Number(c.t0) : 0;
  let p = data;
  for (let g = 0; g < Number(c.generation); g++) {
    const smoothed = smoothMixture(mixMixtures(alpha, data, p), h);
    p = mergeIdenticalComponents(t0 > 0 ? pushMixture(smoothed, t0) : smoothed);
  }
  return { data, model: p };
}

export function evaluateKde(c: FuzzConfig): Evaluation {
  const { data, model } = kdeModel(c);
  const s2 = Number(c.sigma2);
  const d = model.dim;
  let maxV = 0;
  model.components.forEach((g, j) => {
    if (model.weights[j]! > 0) maxV = Math.max(maxV, g.cov[0]!);
  });
  const gen = Number(c.generation);
  const err = floatErrorBound(2 * s2 + maxV, 4 * gen + 8);
  const t0 = c.truncation === 'on' ? Number(c.t0) : 0;
  const minV = Math.min(...model.components.map((g) => g.cov[0]!));
  return {
    comparisons: [leqExact('finite: max_j v_j < 2σ² (D_g < ∞)', maxV, 2 * s2, err)],
    assumptions: [
      { id: 'kde-boundary', label: 'h < σ (D-3 boundary)', holds: Number(c.hRatio) < 1, stated: true, detail: `h/σ = ${Number(c.hRatio).toPrecision(4)}` },
      { id: 'single-smoothing', label: 'one KDE smoothing (generation 1 or α = 1)', holds: gen === 1 || Number(c.alpha) === 1, stated: true, detail: `generation ${gen}, α = ${Number(c.alpha)}` },
      { id: 'kde-only', label: 'no other smoothing (t0 = 0, or P_t0 does not widen: σ² ≥ 1)', holds: t0 === 0 || s2 >= 1, stated: true, detail: `t0 = ${t0}, σ² = ${s2.toPrecision(4)}` },
    ],
    statistics: { maxVariance: maxV, twoSigma2: 2 * s2, minVariance: minV, components: model.components.length, dim: d },
  };
}

export const kdeTarget: FuzzTarget = {
  id: 'D-3',
  aliases: ['kde', 'chi2-finite'],
  claimIds: ['D-3'],
  title: 'χ² finiteness of the KDE recursion (D_g < ∞)',
  statement: 'χ²(p̂^g ‖ p_data) < ∞; D-3: one KDE smoothing by h² ≥ σ² of σ²I components makes it +∞, h² < σ² keeps it finite',
  convention: 'population-level KDE (exact GMM recursion); finiteness by the closed-form variance criterion',
  oracle: 'GMM-exact recursion (smoothing, α-mixing, P_t0), closed-form χ² finiteness criterion',
  expectedAsStated: 'holds',
  space: KDE_SPACE,
  evaluate: evaluateKde,
  map: {
    title: 'χ² finiteness: bandwidth h/σ × generation',
    x: { param: 'hRatio', label: 'h/σ', steps: 30, min: 0.05, max: 2 },
    y: { param: 'generation', label: 'generation g', steps: 8, min: 1, max: 8 },
    base: { d: 1, components: 1, separation: 0, sigma2: 0.36, hRatio: 0.5, generation: 1, alpha: 0.5, truncation: 'off', t0: 0.02 },
    boundaries: ['kde-boundary', 'single-smoothing'],
    note: 'data N(0, 0.36), α = 0.5, t0 = 0; lines: h = σ and generation 1 | ≥ 2',
  },
  defaultBudget: { evaluations: 6000, seconds: 60 },
};
