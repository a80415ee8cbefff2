/**
 * J(f, g; p) = ∫ (f − g)² / p for 1-D Gaussian mixtures f, g and a Gaussian p = N(μ, s), in closed
 * form (P1-4.2, the additive upper bound; docs/theory.md §5.2). With f = p̂^{i+1}, g = q_i, p = p_data it is
 * the innovation measured against the data law, J_i; with g = p it is χ²(f ‖ p).
 *
 * Pair integral (derived in the project; 1-D, independent of the d-D pair formula used for D_i):
 *   ∫ N(m1, v1) N(m2, v2) / N(μ, s) dx = √(s / (v1 v2 A)) · exp(B²/(2A) − C/2),
 *   A = 1/v1 + 1/v2 − 1/s,  B = m1/v1 + m2/v2 − μ/s,  C = m1²/v1 + m2²/v2 − μ²/s,
 * finite iff A > 0 (else +∞, returned as +Infinity). J is the signed double sum over the components of
 * f and −g. `errorBound`: each term is computed with relative error ≤ γ_8 (1 + |log term|) and the
 * n-term sum adds γ_n, so |ΔJ| ≤ γ_{n+8} · Σ|terms| · (1 + max |log term|) (a rigorous a-priori bound,
 * Higham §3.1; the cancellation of f ≈ g is what makes Σ|terms| ≫ J possible). Throws on a
 * non-positive variance.
 */
import type { Mixture1d } from './translation-error-recursion.ts';
import { gamma } from '../numerics/rounding.ts';

/** log ∫ N(m1,v1) N(m2,v2) / N(μ,s) (+Infinity when the integral diverges). */
export function logPairIntegral1d(m1: number, v1: number, m2: number, v2: number, mu: number, s: number): number {
  if (!(v1 > 0 && v2 > 0 && s > 0)) throw new Error(`logPairIntegral1d: variances ${v1}, ${v2}, ${s} must be > 0`);
  const A = 1 / v1 + 1 / v2 - 1 / s;
  if (!(A > 0)) return Infinity;
  const B = m1 / v1 + m2 / v2 - mu / s;
  const C = (m1 * m1) / v1 + (m2 * m2) / v2 - (mu * mu) / s;
  return 0.5 * Math.log(s / (v1 * v2 * A)) + (B * B) / (2 * A) - C / 2;
}

export interface ClosedFormValue {
  readonly value: number;
  readonly errorBound: number;
}

/** ∫ (f − g)² / N(μ, s) (see file comment); +∞ if any pair integral diverges. */
export function l2OverGaussian1d(f: Mixture1d, g: Mixture1d | null, mu: number, s: number): ClosedFormValue {
  const K = f.w.length + (g ? g.w.length : 0);
  const w = new Float64Array(K);
  const m = new Float64Array(K);
  const v = new Float64Array(K);
  for (let k = 0; k < f.w.length; k++) {
    w[k] = f.w[k]!;
    m[k] = f.m[k]!;
    v[k] = f.v[k]!;
  }
  if (g)
    for (let k = 0; k < g.w.length; k++) {
      w[f.w.length + k] = -g.w[k]!;
      m[f.w.length + k] = g.m[k]!;
      v[f.w.length + k] = g.v[k]!;
    }
  let sum = 0;
  let abs = 0;
  let maxLog = 0;
  for (let j = 0; j < K; j++) {
    if (w[j] === 0) continue;
    for (let k = j; k < K; k++) {
      if (w[k] === 0) continue;
      const l = logPairIntegral1d(m[j]!, v[j]!, m[k]!, v[k]!, mu, s);
      if (l === Infinity) return { value: Infinity, errorBound: 0 };
      const t = (j === k ? 1 : 2) * w[j]! * w[k]! * Math.exp(l);
      sum += t;
      abs += Math.abs(t);
      maxLog = Math.max(maxLog, Math.abs(l));
    }
  }
  const value = g ? Math.max(0, sum) : sum - 1; // without g: ∫ f²/p − 1 = χ²(f ‖ p)
  return { value, errorBound: gamma((K * (K + 1)) / 2 + 8) * Math.abs(abs * (1 + maxLog)) };
}
