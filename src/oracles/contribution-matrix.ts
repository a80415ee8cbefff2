/**
 * Discounted memory of the P1 recursion (P1-4.2, P1 Fig. 5): how much of D_N is owed to the error of
 * generation i, in the translation-error recursion (src/oracles/translation-error-recursion.ts).
 *
 * - Single-error response R[N][i] = D_N(only generation i errs) − D_N(no generation errs): the
 *   contribution of one error in isolation (independent errors add these up to second order:
 *   cross terms vanish in expectation over independent signs). With t0 = 0 and exact sampling,
 *   P1-F1 gives R[N][i] = (1−α)^{2(N−i−1)} R[i+1][i] exactly.
 * - Leave-one-out contribution C[N][i] = D_N(all errors) − D_N(all but generation i): the
 *   contribution in the presence of the others (systematic errors interact through the cross term
 *   of the accumulated mean shift, so C decays like (1−α)^{N−i}, not (1−α)^{2(N−i)}).
 * - Effective memory of column i: Σ_{N > i} M[N][i] / M[i+1][i] (generations over which one error
 *   keeps weighing, in units of its first-generation weight): for a per-generation discount r it is
 *   (1 − r^H)/(1 − r) on a horizon of H generations.
 *
 * D_N = χ²(p̂^N ‖ p_data) in closed form (pair formula). Rows N = 0..H, columns i = 0..H−1; entries
 * with N ≤ i are 0. Throws as translationErrorRecursion does.
 */
import { isotropicGaussian } from '../distributions/gaussian.ts';
import { mixtureChiSquare } from '../divergences/mixture-vs-gaussian.ts';
import { toMixture, translationErrorRecursion } from './translation-error-recursion.ts';

export interface MemorySpec {
  readonly mean: number;
  readonly variance: number;
  readonly alpha: number;
  readonly t0: number;
  /** b_0..b_{H−1} */
  readonly shifts: readonly number[];
}

/** D_0..D_H of the recursion with the given shifts. */
export function accumulatedDivergences(spec: MemorySpec, shifts: readonly number[] = spec.shifts): Float64Array {
  const rec = translationErrorRecursion({ mean: spec.mean, variance: spec.variance, alpha: spec.alpha, shifts, t0: spec.t0 });
  const g = isotropicGaussian([spec.mean], spec.variance);
  return Float64Array.from(rec.outputs, (p) => mixtureChiSquare(toMixture(p), g));
}

/** Every column index 0..H−1. */
function allColumns(H: number): number[] {
  return Array.from({ length: H }, (_, i) => i);
}

/** R[N][i] (see file comment), as rows N = 0..H of length H; only `columns` are filled (default all). */
export function singleErrorResponse(spec: MemorySpec, columns: readonly number[] = allColumns(spec.shifts.length)): Float64Array[] {
  const H = spec.shifts.length;
  const base = accumulatedDivergences(spec, new Array<number>(H).fill(0));
  const rows = Array.from({ length: H + 1 }, () => new Float64Array(H));
  for (const i of columns) {
    const only = new Array<number>(H).fill(0);
    only[i] = spec.shifts[i]!;
    const D = accumulatedDivergences(spec, only);
    for (let N = i + 1; N <= H; N++) rows[N]![i] = D[N]! - base[N]!;
  }
  return rows;
}

/** C[N][i] (see file comment), as rows N = 0..H of length H; only `columns` are filled (default all). */
export function leaveOneOutContributions(spec: MemorySpec, columns: readonly number[] = allColumns(spec.shifts.length)): Float64Array[] {
  const H = spec.shifts.length;
  const all = accumulatedDivergences(spec);
  const rows = Array.from({ length: H + 1 }, () => new Float64Array(H));
  for (const i of columns) {
    const without = spec.shifts.slice();
    without[i] = 0;
    const D = accumulatedDivergences(spec, without);
    for (let N = i + 1; N <= H; N++) rows[N]![i] = all[N]! - D[N]!;
  }
  return rows;
}

/**
 * Per-generation discount of column i measured on its tail: (M[H][i] / M[H−k][i])^{1/k}, k = lag
 * (the column must keep one strict sign on the tail, neither end 0; throws otherwise). Memory = 1/(1 − discount).
 */
export function tailDiscount(matrix: readonly Float64Array[], i: number, lag: number): number {
  const H = matrix.length - 1;
  const a = matrix[H]![i]!;
  const b = matrix[H - lag]![i]!;
  // one strict sign at both ends (a tail that starts or ends at 0 has no discount: 0 → x used to give +∞)
  if (!((a > 0 && b > 0) || (a < 0 && b < 0))) throw new Error(`tailDiscount: column ${i} changes sign on its tail (${b} → ${a})`);
  return (a / b) ** (1 / lag);
}

/** Σ_{N=i+1}^{H} M[N][i] / M[i+1][i] (NaN when the first entry is 0). */
export function effectiveMemory(matrix: readonly Float64Array[], i: number): number {
  const first = matrix[i + 1]![i]!;
  let s = 0;
  for (let N = i + 1; N < matrix.length; N++) s += matrix[N]![i]!;
  return s / first;
}
