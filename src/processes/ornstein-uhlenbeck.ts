/**
 * Forward variance-preserving Ornstein–Uhlenbeck process `dX = -½ X dt + dB` (docs/theory.md §1).
 *
 * Closed form `X_t = a_t X_0 + σ_t Z`, `a_t = e^{-t/2}`, `σ_t² = 1 - e^{-t}` (computed with expm1
 * so small t keeps full relative precision). `P_t` maps N(m, S) to N(a_t m, a_t² S + σ_t² I) and a
 * mixture component-wise; `P_s P_t = P_{s+t}`.
 */
import { affineCovariance, type Gaussian } from '../distributions/gaussian.ts';
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import type { Rng } from '../random/rng.ts';

/** a_t = e^{-t/2}. */
export function ouMeanFactor(t: number): number {
  return Math.exp(-0.5 * t);
}

/** σ_t² = 1 − e^{−t} = −expm1(−t). */
export function ouVariance(t: number): number {
  return -Math.expm1(-t);
}

function checkTime(t: number, where: string): void {
  if (!(t >= 0) || !Number.isFinite(t)) throw new Error(`${where}: time ${t} must be finite and ≥ 0`);
}

/** P_t N(m, S) = N(a_t m, a_t² S + σ_t² I). t = 0 returns the same law. */
export function pushGaussian(g: Gaussian, t: number): Gaussian {
  checkTime(t, 'pushGaussian');
  if (t === 0) return g;
  const a = ouMeanFactor(t);
  return affineCovariance(g, a, a * a, ouVariance(t));
}

/** P_t q for a mixture: each component pushed, weights unchanged. */
export function pushMixture(q: GaussianMixture, t: number): GaussianMixture {
  checkTime(t, 'pushMixture');
  if (t === 0) return q;
  return { dim: q.dim, weights: q.weights, components: q.components.map((c) => pushGaussian(c, t)) };
}

/**
 * Exact forward transition applied in place to n particles: x ← a_t x + σ_t z.
 * (Exact in law for any step; used to simulate the forward SDE as an independent route.)
 */
export function forwardStepInPlace(x: Float64Array, t: number, rng: Rng, z: Float64Array = new Float64Array(x.length)): void {
  checkTime(t, 'forwardStepInPlace');
  const a = ouMeanFactor(t);
  const s = Math.sqrt(ouVariance(t));
  rng.fillNormal(z, 0, x.length);
  for (let i = 0; i < x.length; i++) x[i] = a * x[i]! + s * z[i]!;
}
