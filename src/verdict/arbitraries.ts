/**
 * Generated doubles for claim checks: the arbitraries of a property's real parameters.
 *
 * Why not `fc.double` alone: fast-check's double draws uniformly over the REPRESENTABLE doubles of
 * its range (by index), so on a range that contains 0 (or spans many binades) almost every draw is
 * tiny: 10 000 draws of `fc.double({ min: 0, max: 1 })` had 7.2 % above 0.01 and a median of 7e-168
 * (the same on [−3, 3] and [−1, 1]). A property over α ∈ [0, 1] then sees a moderate α in a handful of
 * cases: on campaign seed 9300019 the suite's own check that the engine rejects a wrong refresh
 * factor ((1−α) for (1−α)², violated by α(1−α)χ²) ran 100 cases with every α < 4e-20 or α = 1 and
 * found nothing. A check's power is the power of its informative cases.
 *
 * - `boundedDouble(min, max)`: for a parameter. ¾ uniform in value, ¼ fast-check's double (its bias
 *   to the ends, 0, tiny values and subnormals keeps the edge cases).
 * - `logUniformDouble(min, max)`: for a scale whose decades matter equally (a variance in
 *   [1e-3, 1e3], a time near 0).
 * - `representableDouble(min, max)`: fast-check's double, where the representable doubles are the
 *   point (rounding, special values, ulp-level edges).
 * All three: never NaN, never ±∞, always inside [min, max]; they throw on an invalid range.
 */
import fc from 'fast-check';

/** 2⁵²: the grid of `boundedDouble`'s value-uniform part (k / 2⁵² is exact for every integer k ≤ 2⁵²). */
const SPREAD_GRID = 2 ** 52;

function checkRange(name: string, min: number, max: number): void {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) throw new RangeError(`${name}: need finite min ≤ max, got [${min}, ${max}]`);
}

/**
 * fast-check's double in [min, max]: uniform over the representable doubles of the range (by index),
 * biased to the ends, 0, tiny values and subnormals. Throws a RangeError unless min ≤ max, both finite.
 */
export function representableDouble(min: number, max: number): fc.Arbitrary<number> {
  checkRange('representableDouble', min, max);
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * A double in [min, max] spread over the VALUES of the range. Mixture: weight 3 uniform in value on
 * a 2⁵²-point grid (an UNBIASED integer: `fc.integer` alone also favours values near 0 and its ends,
 * which left 66 % of the draws on [0, 1] above 0.01 instead of ¾ · 0.99) (for min < 0 < max: k ∈ [−2⁵², 2⁵²] ↦ max·k/2⁵² or min·(−k)/2⁵², which shrinks
 * towards 0; otherwise min + (max − min)·k/2⁵², clamped, which shrinks towards min), weight 1
 * `representableDouble`. Always inside [min, max]: a product max·u with 0 ≤ u ≤ 1 rounds to at most
 * max. Throws a RangeError unless min ≤ max, both finite.
 */
export function boundedDouble(min: number, max: number): fc.Arbitrary<number> {
  checkRange('boundedDouble', min, max);
  const uniform =
    min < 0 && max > 0
      ? fc.noBias(fc.integer({ min: -SPREAD_GRID, max: SPREAD_GRID })).map((k) => (k >= 0 ? max * (k / SPREAD_GRID) : min * (-k / SPREAD_GRID)))
      : fc.noBias(fc.integer({ min: 0, max: SPREAD_GRID })).map((k) => Math.max(min, Math.min(max, min + (max - min) * (k / SPREAD_GRID))));
  return fc.oneof({ arbitrary: uniform, weight: 3 }, { arbitrary: representableDouble(min, max), weight: 1 });
}

/**
 * A scale in [min, max], uniform in log: exp of a `boundedDouble` of [ln min, ln max], clamped to
 * the range; shrinks towards min. Throws a RangeError unless 0 < min ≤ max < ∞.
 */
export function logUniformDouble(min: number, max: number): fc.Arbitrary<number> {
  if (!(min > 0 && Number.isFinite(max) && min <= max)) throw new RangeError(`logUniformDouble: need 0 < min ≤ max < ∞, got [${min}, ${max}]`);
  return boundedDouble(Math.log(min), Math.log(max)).map((l) => Math.max(min, Math.min(max, Math.exp(l))));
}
