/**
 * Injected score errors `e(x, t) = W(t) x + ξ(t)` (docs/theory.md §2), in named families with a scale λ.
 *
 * - `aligned`: W = λ I, along the linear part of the reverse drift (for N(0, I)-like data the score
 *   is −x, so this error rescales the drift). State dependent: η > 0.
 * - `random`: W = λ R, R with i.i.d. N(0, 1) entries rescaled so ‖R‖_F² = d (same energy as
 *   `aligned` on N(0, I)); direction drawn from the error's own seed.
 * - `time-oscillation`: ξ(t) = λ sin(2π c (t − t0)/(T − t0)) u, W = 0: an integer number c of full
 *   cycles over [t0, T], so its time integral is 0 and it mostly averages out: η is small but not 0
 *   (stationary N(0, I) data, s = 2.5: η = 0.060 for one cycle, 0.0071 for three; ∝ 1/c²,
 *   closed form `etaOscillationStationary` in src/energies/observability.ts).
 * - `constant-shift`: ξ = λ u, W = 0: a net effect that moves the output, η = 4(1 − e^{−s/2})²/s on
 *   stationary N(0, I) data (docs/theory.md §2 [I]).
 * u is the unit vector (1, …, 1)/√d unless a seed is given (then a random unit vector).
 *
 * Every affine error exposes W(t) and ξ(t) so the linear-Gaussian ODE oracle can use it.
 */
import type { Rng } from '../random/rng.ts';
import { Rng as RngClass } from '../random/rng.ts';
import type { VectorField } from './vector-field.ts';

export const ERROR_FAMILIES = ['aligned', 'random', 'time-oscillation', 'constant-shift'] as const;
export type ErrorFamily = (typeof ERROR_FAMILIES)[number];

export interface ErrorSpec {
  readonly family: ErrorFamily;
  /** λ ≥ 0 */
  readonly scale: number;
  /** seed of the random direction / matrix (families `random`; optional for the shifts) */
  readonly seed?: number;
  /** full cycles over [t0, T] for `time-oscillation` (integer ≥ 1, default 1) */
  readonly cycles?: number;
}

/** A field e(x,t) = W(t) x + ξ(t); `matrix(t)` / `offset(t)` return null where zero. */
export interface AffineErrorField extends VectorField {
  readonly spec: ErrorSpec | null;
  matrix(t: number): Float64Array | null;
  offset(t: number): Float64Array | null;
}

/** General affine field from W(t), ξ(t) callbacks (either may return null). */
export function affineField(
  dim: number,
  matrix: (t: number) => Float64Array | null,
  offset: (t: number) => Float64Array | null,
  spec: ErrorSpec | null = null,
): AffineErrorField {
  return {
    dim,
    spec,
    matrix,
    offset,
    evaluate(t, x, m, out) {
      const W = matrix(t);
      const b = offset(t);
      const d = dim;
      for (let i = 0; i < m; i++) {
        const base = i * d;
        for (let a = 0; a < d; a++) {
          let s = b ? b[a]! : 0;
          if (W) for (let c = 0; c < d; c++) s += W[a * d + c]! * x[base + c]!;
          out[base + a] = s;
        }
      }
    },
  };
}

function unitDirection(d: number, rng: Rng | null): Float64Array {
  const u = new Float64Array(d);
  if (rng) rng.fillNormal(u);
  else u.fill(1);
  let n = 0;
  for (const v of u) n += v * v;
  n = Math.sqrt(n);
  for (let i = 0; i < d; i++) u[i] = u[i]! / n;
  return u;
}

/**
 * The injected error of `spec` in dimension d on the window [t0, T] (needed by time-oscillation).
 * Throws on λ < 0, non-integer cycles, or a `random` family without a seed.
 */
export function injectedError(spec: ErrorSpec, dim: number, t0: number, T: number): AffineErrorField {
  const lambda = spec.scale;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`injectedError: scale ${lambda} must be finite and ≥ 0`);
  const rng = spec.seed === undefined ? null : RngClass.fromPath('injected-error', spec.seed);
  switch (spec.family) {
    case 'aligned': {
      const W = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) W[i * dim + i] = lambda;
      return affineField(dim, () => W, () => null, spec);
    }
    case 'random': {
      if (!rng) throw new Error('injectedError: family "random" needs a seed');
      const R = rng.normals(dim * dim);
      let f = 0;
      for (const v of R) f += v * v;
      const k = lambda * Math.sqrt(dim / f);
      for (let i = 0; i < R.length; i++) R[i] = R[i]! * k;
      return affineField(dim, () => R, () => null, spec);
    }
    case 'time-oscillation': {
      const cycles = spec.cycles ?? 1;
      if (!Number.isInteger(cycles) || cycles < 1) throw new Error(`injectedError: cycles ${cycles} must be an integer ≥ 1`);
      if (!(t0 < T)) throw new Error('injectedError: need t0 < T');
      const u = unitDirection(dim, rng);
      const b = new Float64Array(dim);
      return affineField(dim, () => null, (t) => {
        const s = lambda * Math.sin((2 * Math.PI * cycles * (t - t0)) / (T - t0));
        for (let i = 0; i < dim; i++) b[i] = s * u[i]!;
        return b;
      }, spec);
    }
    case 'constant-shift': {
      const u = unitDirection(dim, rng);
      for (let i = 0; i < dim; i++) u[i] = lambda * u[i]!;
      return affineField(dim, () => null, () => u, spec);
    }
  }
}
