/**
 * A time-dependent vector field on R^d evaluated over a batch of particles: scores, score errors
 * and their sums share this one signature, so a sampler never knows which it is given (unless the
 * field declares a fused fast path, `fusedPath`).
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';

export interface VectorField {
  readonly dim: number;
  /**
   * A fused fast path the field declares explicitly (samplers never infer one from other properties):
   * 'gaussian-mixture' = this field is exactly the score of P_t law (gaussianMixtureScore), so
   * Euler–Maruyama may run the fused kernel of src/kernels (bit-identical). Absent: generic path.
   * Combinators (sumFields, differenceField) never carry it.
   */
  readonly fusedPath?: FusedScorePath;
  /**
   * out[i·d .. i·d+d) ← field(x_i, t) for i < m. `x` and `out` hold at least m·d numbers and must
   * not alias. Implementations allocate nothing per call on their hot path.
   */
  evaluate(t: number, x: Float64Array, m: number, out: Float64Array): void;
}

/** Fused fast paths a field can declare (see VectorField.fusedPath). */
export interface FusedScorePath {
  readonly kind: 'gaussian-mixture';
  readonly law: GaussianMixture;
}

/** Score field = a VectorField meant as ∇ log p_t. */
export type ScoreField = VectorField;

/** a + sign·b, evaluated with one scratch buffer grown on demand (not per call). */
function combine(a: VectorField, b: VectorField, sign: 1 | -1, name: string): VectorField {
  if (a.dim !== b.dim) throw new Error(`${name}: dimensions ${a.dim} and ${b.dim} differ`);
  let scratch = new Float64Array(0);
  return {
    dim: a.dim,
    evaluate(t, x, m, out) {
      const len = m * a.dim;
      if (scratch.length < len) scratch = new Float64Array(len);
      a.evaluate(t, x, m, out);
      b.evaluate(t, x, m, scratch);
      for (let i = 0; i < len; i++) out[i]! += sign * scratch[i]!;
    },
  };
}

/** a + b (a score plus an injected error). */
export function sumFields(a: VectorField, b: VectorField): VectorField {
  return combine(a, b, 1, 'sumFields');
}

/** a − b (e.g. the error of a model score against the true score). */
export function differenceField(a: VectorField, b: VectorField): VectorField {
  return combine(a, b, -1, 'differenceField');
}

/** Convenience for tests and set-up: evaluate at m points, fresh output. */
export function evaluateField(field: VectorField, t: number, x: Float64Array): Float64Array {
  const m = x.length / field.dim;
  if (!Number.isInteger(m)) throw new Error(`evaluateField: ${x.length} numbers is not a multiple of dimension ${field.dim}`);
  const out = new Float64Array(x.length);
  field.evaluate(t, x, m, out);
  return out;
}

export const zeroField = (dim: number): VectorField => ({
  dim,
  evaluate(_t, _x, m, out) {
    out.fill(0, 0, m * dim);
  },
});
