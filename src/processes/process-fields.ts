/**
 * Marginals and served fields of a forward process (src/processes/diffusion-process.ts), issue 15.
 *
 * Marginal: p_t = law of a(t) X_0 + σ(t) Z, X_0 ~ q: for a Gaussian mixture q every component
 * N(m, S) becomes N(a m, a² S + σ² I) (`processMarginal`, closed form).
 *
 * OU reduction (docs/theory.md §1): with s(t) = √(a² + σ²) and the OU time u(t) = log(1 + σ²/a²),
 * X_t = s(t)·Y_{u(t)} in law, Y the unit OU process (a_u = e^{−u/2}, σ_u² = 1 − e^{−u}: indeed
 * a/s = e^{−u/2} and σ/s = √(1 − e^{−u})). Hence ∇log p_t(x) = (1/s) ∇log p^OU_u(x/s), and for a
 * field ẽ(y, u) given in OU variables the process field (1/s) ẽ(x/s, u(t)) is its image. The reverse
 * SDE dY = [−fY + g² φ(Y, t)] dτ + g dW̄ of the process with field φ = (1/s) ẽ(·/s, u) is, for
 * Ỹ = Y/s in OU time u, exactly dỸ = [½Ỹ + ẽ(Ỹ, u)] du + dW_u (and the PF-ODE likewise with
 * ½ẽ, no noise): with f = (log a)' and g² = (σ²)' − 2fσ², d(log s)/dt = ½u'(t) and g²/s² = u'(t).
 * So every audit problem written in OU variables has, under any process, the exact law
 * s(t0)·(its OU law) — tested against a direct moment ODE in process time
 * (properties/statistical/audit-processes.test.ts, exact part).
 *
 * Served conventions (the `serves` field of an audit request):
 * - `score`: φ(x, t) = ∇log p_t(x), time argument t (σ for `edm`), x the process variable;
 * - `eps`: ε(x, t) = −σ(t)·φ(x, t) (the DDPM / score-SDE `predict_epsilon` convention:
 *   x_t = a x_0 + σ ε, E[ε | x_t] = −σ ∇log p_t);
 * - `denoiser`: the σ-parametrised denoiser of k-diffusion for EVERY process: arguments
 *   (σ̂, x̂) = (σ(t)/a(t), x_t/a(t)) — the "scaled" convention of k-diffusion's VDenoiser /
 *   DiscreteEpsDDPMDenoiser (external.py), whose input is x_t/a = x_0 + σ̂ n and whose
 *   output is D(x̂, σ̂) = x̂ + σ̂² ∇log p̂_σ̂(x̂) = E[x_0 | x_t] (Tweedie), p̂_σ̂ = q ∗ N(0, σ̂² I). It
 *   depends on σ̂ alone, not on the process: u = log(1 + σ̂²), ∇log p̂_σ̂(x̂) = e^{−u/2}·φ_OU(e^{−u/2} x̂, u).
 *   For `ve` and `edm` (a = 1) x̂ = x_t and σ̂ = σ(t) (for `edm`: the time argument itself).
 *
 * Throws: a time outside the process's domain (`score`, `eps`), σ̂ ≤ 0 (`denoiser`).
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { affineCovariance } from '../distributions/gaussian.ts';
import type { VectorField } from '../scores/vector-field.ts';
import { checkProcessTime, type DiffusionProcess } from './diffusion-process.ts';

/** What the harness's callback returns (mirrors `ServedField` of src/audit/protocol.ts). */
export type ServedConvention = 'score' | 'eps' | 'denoiser';
export const SERVED_CONVENTIONS: readonly ServedConvention[] = ['score', 'eps', 'denoiser'];

/** s(t) = √(a(t)² + σ²(t)); exactly 1 for the variance-preserving families. */
export function processScale(p: DiffusionProcess, t: number): number {
  if (p.preservesVariance) return 1;
  const a = p.meanFactor(t);
  return Math.sqrt(a * a + p.noiseVariance(t));
}

/** p_t = q pushed by x ↦ a(t) x + σ(t) Z: components N(a m, a² S + σ² I), weights unchanged. */
export function processMarginal(p: DiffusionProcess, q: GaussianMixture, t: number): GaussianMixture {
  checkProcessTime(p, t, 'marginal time');
  const a = p.meanFactor(t);
  const v = p.noiseVariance(t);
  return { dim: q.dim, weights: q.weights, components: q.components.map((c) => affineCovariance(c, a, a * a, v)) };
}

/** Law of c·X for X ~ q (c > 0). */
export function scaleMixture(q: GaussianMixture, c: number): GaussianMixture {
  if (!(c > 0 && Number.isFinite(c))) throw new Error(`scaleMixture: factor ${c} must be finite and > 0`);
  return { dim: q.dim, weights: q.weights, components: q.components.map((g) => affineCovariance(g, c, c * c, 0)) };
}

/** Scratch buffer grown on demand (no per-call allocation on the hot path). */
function scratch() {
  let buf = new Float64Array(0);
  return (len: number) => {
    if (buf.length < len) buf = new Float64Array(len);
    return buf;
  };
}

/**
 * The field a harness serves under process `p` and convention `serves`, built from a field ẽ(y, u)
 * in OU variables (the exact OU score of q, plus a perturbation if any): see the module comment.
 * The returned evaluate(arg, x, m, out) takes the convention's time argument (t, σ for `edm`,
 * σ̂ for `denoiser`).
 */
export function servedProcessField(p: DiffusionProcess, ouField: VectorField, serves: ServedConvention): VectorField {
  const d = ouField.dim;
  const buf = scratch();
  if (serves === 'denoiser') {
    return {
      dim: d,
      evaluate(sigmaHat, x, m, out) {
        if (!(Number.isFinite(sigmaHat) && sigmaHat > 0)) throw new Error(`denoiser: σ = ${sigmaHat} must be finite and > 0`);
        const s2 = sigmaHat * sigmaHat;
        const u = Math.log1p(s2);
        const c = Math.exp(-0.5 * u);
        const y = buf(m * d);
        for (let i = 0; i < m * d; i++) y[i] = c * x[i]!;
        ouField.evaluate(u, y, m, out);
        for (let i = 0; i < m * d; i++) out[i] = x[i]! + s2 * c * out[i]!;
      },
    };
  }
  return {
    dim: d,
    evaluate(t, x, m, out) {
      checkProcessTime(p, t, 'score time');
      const u = p.ouTime(t);
      const s = processScale(p, t);
      const factor = serves === 'eps' ? -Math.sqrt(p.noiseVariance(t)) / s : 1 / s;
      const y = buf(m * d);
      for (let i = 0; i < m * d; i++) y[i] = x[i]! / s;
      ouField.evaluate(u, y, m, out);
      for (let i = 0; i < m * d; i++) out[i] = factor * out[i]!;
    },
  };
}
