/**
 * Contract checkers shared by the property files:
 * - same bits: two Float64Arrays equal bit for bit (−0 ≠ +0, NaN payloads compared), the
 *   comparison of every "exact, no tolerance" reproducibility check;
 * - deterministic given a seed: a run repeated with its seed gives the same bits, another seed
 *   other bits;
 * - block-split invariance: a run over particle blocks done in two parts, in either order, gives
 *   the bits of the single run (noise is derived per block);
 * - KS against a law: the Kolmogorov distance of a sorted sample to an exact CDF within the
 *   Dvoretzky–Kiefer–Wolfowitz radius (Massart's constant, valid for every n) at a stated δ, plus a
 *   stated deterministic allowance (e.g. a derived discretisation bias).
 * The statistical one (KS) does not count its δ: the caller charges it (chargePipeline or the
 * engine) where it makes the comparison.
 */
import { expect } from 'vitest';
import { dkwRadius, ksDistance } from './kolmogorov.ts';

/** Index of the first element whose bits differ; −1 if none; −2 if the lengths differ. */
export function firstBitDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return -2;
  const ua = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const ub = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** Fails (naming the first differing coordinate) unless `actual` and `expected` have the same bits. */
export function expectSameBits(actual: Float64Array, expected: Float64Array, what = 'output'): void {
  const i = firstBitDifference(actual, expected);
  if (i === -2) expect.fail(`${what}: length ${actual.length} ≠ ${expected.length}`);
  if (i >= 0) expect.fail(`${what}: coordinate ${i}: ${actual[i]} ≠ ${expected[i]}`);
}

/**
 * Deterministic given a seed: run(seed) twice gives the same bits, and run(otherSeed) differs in at
 * least one coordinate (so the seed is actually used). `otherSeed` defaults to seed + 1.
 */
export function expectDeterministicGivenSeed(run: (seed: number) => Float64Array, seed: number, otherSeed = seed + 1): void {
  const first = run(seed);
  expectSameBits(run(seed), first, `same seed ${seed} twice`);
  expect(firstBitDifference(run(otherSeed), first), `seeds ${seed} and ${otherSeed} gave identical output`).toBeGreaterThanOrEqual(0);
}

/** A half-open range of particle blocks [from, to). */
export interface BlockRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Block-split invariance: `run(x, blocks)` advances the particles of `blocks` in place (all of them
 * when `blocks` is undefined). On copies of `start`: the single run equals the run of blocks
 * [cut, total) followed by [0, cut) (the later part first, so execution order cannot matter
 * either), bit for bit. Throws for a cut outside [0, totalBlocks].
 */
export function expectBlockSplitInvariant(start: Float64Array, totalBlocks: number, cut: number, run: (x: Float64Array, blocks?: BlockRange) => void): void {
  if (!(Number.isInteger(cut) && cut >= 0 && cut <= totalBlocks)) throw new Error(`expectBlockSplitInvariant: cut ${cut} outside [0, ${totalBlocks}]`);
  const whole = start.slice();
  run(whole);
  const split = start.slice();
  run(split, { from: cut, to: totalBlocks });
  run(split, { from: 0, to: cut });
  expectSameBits(split, whole, `blocks [${cut}, ${totalBlocks}) then [0, ${cut}) vs one run`);
}

/** Result of a KS comparison against a law. */
export interface KsAgainstLaw {
  /** Kolmogorov distance sup_x |F_n(x) − F(x)| */
  readonly distance: number;
  /** DKW radius √(ln(2/δ)/(2n)) + allowance */
  readonly threshold: number;
  readonly n: number;
}

/**
 * KS against a law: asserts sup |F_n − F| ≤ √(ln(2/δ)/(2n)) + allowance for the SORTED sample and
 * the exact CDF. Under the law, P(sup |F_n − F| > √(ln(2/δ)/(2n))) ≤ δ (DKW–Massart, every n), so
 * the assertion fails falsely with probability ≤ δ when `allowance` bounds the deterministic gap
 * between the sample's law and `cdf`. Power: a sup-CDF deviation ≥ threshold + √(ln(2/β)/(2n)) is
 * caught with probability ≥ 1 − β. Throws for an empty sample or δ outside (0, 1).
 */
export function expectKsAgainstLaw(sorted: Float64Array, cdf: (x: number) => number, delta: number, allowance = 0, what = 'sample'): KsAgainstLaw {
  const n = sorted.length;
  const distance = ksDistance(sorted, cdf);
  const threshold = dkwRadius(n, delta) + allowance;
  expect(distance, `${what}: Kolmogorov distance ${distance} > DKW radius at δ = ${delta} (n = ${n}) + allowance ${allowance} = ${threshold}`).toBeLessThanOrEqual(threshold);
  return { distance, threshold, n };
}

/**
 * 2×2 eigenvectors (row-major `vectors`, columns v0, v1) equal to ±(1, −1)/√2 and ±(1, 1)/√2 within
 * `tol` entrywise, each up to its sign: the eigenvectors of a symmetric [[a, b], [b, a]] with b > 0
 * (values a − b, a + b in ascending order).
 */
export function expectDiagonalEigenvectors2(vectors: Float64Array, tol: number): void {
  const r = Math.SQRT1_2;
  const [v00, v01, v10, v11] = [vectors[0]!, vectors[1]!, vectors[2]!, vectors[3]!];
  expect(Math.abs(Math.abs(v00) - r)).toBeLessThanOrEqual(tol);
  expect(Math.abs(v10 + v00)).toBeLessThanOrEqual(tol);
  expect(Math.abs(Math.abs(v01) - r)).toBeLessThanOrEqual(tol);
  expect(Math.abs(v11 - v01)).toBeLessThanOrEqual(tol);
}

/** `f` throws an Error whose message is exactly `message` (not a substring, not a pattern). */
export function expectMessage(f: () => unknown, message: string): void {
  let thrown: unknown = undefined;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Error).message).toBe(message);
}
