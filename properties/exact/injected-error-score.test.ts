/**
 * Injected score errors `e(x, t) = W(t) x + ξ(t)` (src/scores/injected-error.ts, docs/theory.md §2)
 * against their definitions written here:
 *
 * - `affineField(d, W, ξ)`: out_i = ξ(t) + W(t) x_i row by row, with either part null; integer
 *   matrices and points, so every value is an exact integer (compared with toBe / toEqual).
 * - `aligned`: W = λ I, ξ = null, so e(x) = λ x (λ dyadic, x integer: exact).
 * - `random`: W = λ R, R = Z·√(d/‖Z‖_F²) with Z the d² standard normals of the error's own stream
 *   (Rng.fromPath('injected-error', seed), rebuilt here from src/random/rng.ts, not from the module),
 *   so ‖W‖_F² = λ² d; throws without a seed.
 * - `time-oscillation`: ξ(t) = λ sin(2π c (t − t0)/(T − t0)) u, W = null; exact values where the
 *   argument is a dyadic multiple of π that libm returns exactly (sin(π/2) = 1, sin(0) = 0), the
 *   formula otherwise.
 * - `constant-shift`: ξ = λ u, W = null.
 * u = (1, …, 1)/√d without a seed (d ∈ {1, 4, 16}: u_i = 1, ½, ¼ exactly), the normalised normals of
 * the error's stream with one. Guards and their messages: λ < 0, NaN, ∞; cycles not an integer ≥ 1;
 * t0 ≥ T; `random` without a seed.
 *
 * Tolerances (u = 2⁻⁵³, first order, each computation's bound doubled for module + oracle):
 * - direction: ‖Z‖² carries ≤ d·u relative error, the square root ≤ ½ of it + u, the division u, so
 *   each u_i is within (d + 3)·u·|u_i| of the exact value: DIR_TOL(d) = 2(d + 3) u relative, plus 2u
 *   for the product with λ.
 * - random matrix: ‖Z‖_F² over d² terms ≤ d² u, d/f, √, λ·√, ×Z ≤ 4u: (d²/2 + 4) u each, so
 *   RAND_TOL(d) = (d² + 8) u relative per entry.
 * - oscillation: θ = 2π c (t − t0)/(T − t0) in ≤ 5 roundings plus Math.PI's own ≤ u·π: ≤ 6u|θ|; sin is
 *   1-Lipschitz and libm's sin is within 1 ulp ≤ 2u of a value ≤ 1; λ·sin·u_i adds 2 roundings
 *   (2u relative, ≤ 2u absolute on |sin| ≤ 1): |Δξ_i| ≤ λ|u_i|(6u|θ| + 4u) + λ·|Δu_i| each, doubled.
 * - evaluate of a non-dyadic W: a d-term dot product and one addition, γ_{d+1} Σ|terms| each.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { Rng } from '../../src/random/rng.ts';
import { ERROR_FAMILIES, affineField, injectedError, type ErrorSpec } from '../../src/scores/injected-error.ts';
import { evaluateField } from '../../src/scores/vector-field.ts';
import { boundedDouble as dbl } from '../support/arbitraries.ts';

const U = 2 ** -53;
/** Relative error of one rebuilt unit-direction entry (see the file comment), both computations. */
const DIR_TOL = (d: number): number => 2 * (d + 3) * U + 2 * U;
/** Relative error of one entry of the `random` matrix, both computations. */
const RAND_TOL = (d: number): number => (d * d + 8) * U;

/** The error's own stream, as documented: Rng.fromPath('injected-error', seed). */
const stream = (seed: number): Rng => Rng.fromPath('injected-error', seed);

/** λ = 0 or λ ∈ [2⁻⁶, 4]: no product or square of λ with a unit entry comes near the subnormal range
 * (where rounding is absolute, 2⁻¹⁰⁷⁴, not relative, and the relative tolerances below do not apply). */
const lambdaArb = fc.oneof(fc.constant(0), dbl(2 ** -6, 4));

/** Unit direction: (1, …, 1)/√d, or the stream's d normals normalised. */
function direction(d: number, seed: number | undefined): number[] {
  const z = seed === undefined ? Array.from({ length: d }, () => 1) : Array.from(stream(seed).normals(d));
  const norm = Math.sqrt(z.reduce((s, v) => s + v * v, 0));
  return z.map((v) => v / norm);
}

function expectClose(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

/** Integer matrix–vector rows: out_i = b + W x_i (exact in binary64 for the small integers used). */
function affineRows(d: number, W: readonly number[] | null, b: readonly number[] | null, x: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length / d; i++) {
    for (let a = 0; a < d; a++) {
      let s = b ? b[a]! : 0;
      if (W) for (let c = 0; c < d; c++) s += W[a * d + c]! * x[i * d + c]!;
      out.push(s);
    }
  }
  return out;
}

describe('§2 injected errors: the family list', () => {
  it('names the four documented families, in order', () => {
    expect([...ERROR_FAMILIES]).toEqual(['aligned', 'random', 'time-oscillation', 'constant-shift']);
  });
});

describe('§2 affineField: out_i = ξ(t) + W(t) x_i (exact integers)', () => {
  const intArr = (len: number) => fc.array(fc.integer({ min: -20, max: 20 }), { minLength: len, maxLength: len });
  const caseArb = fc
    .record({ d: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 4 }), hasW: fc.boolean(), hasB: fc.boolean(), t: fc.integer({ min: -3, max: 3 }) })
    .chain((c) => fc.record({ W: intArr(c.d * c.d), b: intArr(c.d), x: intArr(c.m * c.d) }).map((v) => ({ ...c, ...v })));

  test.prop([caseArb])('every row, either part null, t-dependent parts; rows past m untouched', ({ d, m, hasW, hasB, t, W, b, x }) => {
    // W(t) = t·W, ξ(t) = b + t (t-dependent, so a field that ignored t would differ)
    const Wt = (s: number) => W.map((v) => s * v);
    const bt = (s: number) => b.map((v) => v + s);
    const field = affineField(d, (s) => (hasW ? Float64Array.from(Wt(s)) : null), (s) => (hasB ? Float64Array.from(bt(s)) : null));
    expect(field.dim).toBe(d);
    expect(field.spec).toBeNull();
    const SENTINEL = 12345;
    const out = new Float64Array((m + 1) * d).fill(SENTINEL);
    field.evaluate(t, Float64Array.from([...x, ...Array.from({ length: d }, () => 7)]), m, out);
    const expected = affineRows(d, hasW ? Wt(t) : null, hasB ? bt(t) : null, x);
    expect(Array.from(out.subarray(0, m * d))).toEqual(expected.map((v) => v + 0)); // +0: −0 and 0 alike
    expect(Array.from(out.subarray(m * d))).toEqual(Array.from({ length: d }, () => SENTINEL));
  });

  it('exposes the callbacks and the spec it was given', () => {
    const W = Float64Array.of(1, 2, 3, 4);
    const matrix = (_t: number) => W;
    const offset = (_t: number) => null;
    const spec: ErrorSpec = { family: 'aligned', scale: 1 };
    const f = affineField(2, matrix, offset, spec);
    expect(f.matrix).toBe(matrix);
    expect(f.offset).toBe(offset);
    expect(f.spec).toBe(spec);
    // a non-symmetric W pins the row/column order: [1 2; 3 4]·(1, 10) = (21, 43)
    expect(Array.from(evaluateField(f, 0, Float64Array.of(1, 10)))).toEqual([21, 43]);
  });
});

describe('§2 injectedError: guards', () => {
  it('refuses λ < 0, NaN and ∞ with the documented message; accepts λ = 0', () => {
    for (const scale of [-1, -1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => injectedError({ family: 'aligned', scale }, 2, 0, 1)).toThrow(`injectedError: scale ${scale} must be finite and ≥ 0`);
    }
    const zero = injectedError({ family: 'aligned', scale: 0 }, 2, 0, 1);
    expect(Array.from(evaluateField(zero, 0.5, Float64Array.of(3, -4)))).toEqual([0, 0]);
  });

  it('refuses `random` without a seed', () => {
    expect(() => injectedError({ family: 'random', scale: 1 }, 2, 0, 1)).toThrow('injectedError: family "random" needs a seed');
  });

  it('refuses cycles that are not integers ≥ 1, and t0 ≥ T; accepts cycles = 1 and t0 < T', () => {
    for (const cycles of [0, -1, 1.5, Number.NaN]) {
      expect(() => injectedError({ family: 'time-oscillation', scale: 1, cycles }, 2, 0, 1)).toThrow(`injectedError: cycles ${cycles} must be an integer ≥ 1`);
    }
    expect(() => injectedError({ family: 'time-oscillation', scale: 1 }, 2, 1, 1)).toThrow('injectedError: need t0 < T');
    expect(() => injectedError({ family: 'time-oscillation', scale: 1 }, 2, 2, 1)).toThrow('injectedError: need t0 < T');
    expect(() => injectedError({ family: 'time-oscillation', scale: 1, cycles: 1 }, 2, 0, 1e-9)).not.toThrow();
  });
});

describe('§2 aligned: W = λI, ξ = 0 (exact)', () => {
  test.prop([fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })])(
    'e(x) = λ x for dyadic λ, integer x; the seed does not matter',
    (d, k, m, seed) => {
      const lambda = k / 16;
      for (const spec of [{ family: 'aligned', scale: lambda } as const, { family: 'aligned', scale: lambda, seed } as const]) {
        const e = injectedError(spec, d, 0, 1);
        expect(e.spec).toBe(spec);
        expect(e.dim).toBe(d);
        const W = e.matrix(0.3);
        expect(W).not.toBeNull();
        expect(Array.from(W!)).toEqual(Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? lambda : 0)));
        expect(e.offset(0.3)).toBeNull();
        const x = Float64Array.from({ length: m * d }, (_, i) => ((i * 7) % 11) - 5);
        expect(Array.from(evaluateField(e, 0.3, x))).toEqual(Array.from(x, (v) => lambda * v + 0));
      }
    },
  );
});

describe('§2 random: W = λ R, ‖R‖_F² = d, R from the error stream', () => {
  test.prop([fc.integer({ min: 1, max: 4 }), lambdaArb, fc.integer({ min: 0, max: 2 ** 31 - 1 })])('entries = λ Z √(d/‖Z‖²) of the stream; no offset; e(x) = W x', (d, lambda, seed) => {
    const spec: ErrorSpec = { family: 'random', scale: lambda, seed };
    const e = injectedError(spec, d, 0, 1);
    expect(e.spec).toBe(spec);
    expect(e.offset(0.5)).toBeNull();
    const z = Array.from(stream(seed).normals(d * d));
    const f = z.reduce((s, v) => s + v * v, 0);
    const expected = z.map((v) => lambda * v * Math.sqrt(d / f));
    const W = e.matrix(0.5)!;
    expect(W.length).toBe(d * d);
    W.forEach((w, i) => expectClose(w, expected[i]!, RAND_TOL(d) * Math.abs(expected[i]!)));
    // ‖W‖_F² = λ² d (the energy of `aligned`), to the rounding of the entries
    const frob = Array.from(W).reduce((s, v) => s + v * v, 0);
    expectClose(frob, lambda * lambda * d, (2 * RAND_TOL(d) + (d * d + 1) * U) * lambda * lambda * d);
    // e(x) = W x at integer x (dot products of d terms: γ_{d+1} Σ|terms| per computation, ×2)
    const x = Float64Array.from({ length: 2 * d }, (_, i) => i - d);
    const out = evaluateField(e, 0.5, x);
    for (let r = 0; r < 2; r++) {
      for (let a = 0; a < d; a++) {
        let s = 0;
        let abs = 0;
        for (let c = 0; c < d; c++) {
          s += expected[a * d + c]! * x[r * d + c]!;
          abs += Math.abs(expected[a * d + c]! * x[r * d + c]!);
        }
        expectClose(out[r * d + a]!, s, (2 * (d + 1) * U + RAND_TOL(d)) * abs);
      }
    }
  });

  it('another seed gives another matrix; the same seed the same one', () => {
    const a = injectedError({ family: 'random', scale: 1, seed: 1 }, 3, 0, 1).matrix(0)!;
    const b = injectedError({ family: 'random', scale: 1, seed: 2 }, 3, 0, 1).matrix(0)!;
    const c = injectedError({ family: 'random', scale: 1, seed: 1 }, 3, 0, 1).matrix(0)!;
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
  });
});

describe('§2 constant-shift: ξ = λ u, W = 0', () => {
  it('unseeded: u = (1, …, 1)/√d, exact for d = 1, 4, 16', () => {
    for (const [d, ui] of [[1, 1], [4, 0.5], [16, 0.25]] as const) {
      const spec: ErrorSpec = { family: 'constant-shift', scale: 3 };
      const e = injectedError(spec, d, 0, 1);
      expect(e.spec).toBe(spec);
      expect(e.matrix(0.2)).toBeNull();
      expect(Array.from(e.offset(0.2)!)).toEqual(Array.from({ length: d }, () => 3 * ui));
      // e(x) = ξ whatever x, two rows
      const x = Float64Array.from({ length: 2 * d }, (_, i) => i * 5 - 3);
      expect(Array.from(evaluateField(e, 0.7, x))).toEqual(Array.from({ length: 2 * d }, () => 3 * ui));
    }
  });

  test.prop([fc.integer({ min: 1, max: 5 }), lambdaArb, fc.integer({ min: 0, max: 2 ** 31 - 1 })])('seeded: ξ = λ · (normals of the stream, normalised)', (d, lambda, seed) => {
    const e = injectedError({ family: 'constant-shift', scale: lambda, seed }, d, 0, 1);
    const u = direction(d, seed);
    const xi = e.offset(0)!;
    expect(xi.length).toBe(d);
    xi.forEach((v, i) => expectClose(v, lambda * u[i]!, DIR_TOL(d) * lambda * Math.abs(u[i]!)));
    // ‖ξ‖ = λ
    const norm = Math.sqrt(Array.from(xi).reduce((s, v) => s + v * v, 0));
    expectClose(norm, lambda, (DIR_TOL(d) + (d + 2) * U) * lambda);
  });

  it('seeded in d ≥ 2: not the all-ones direction', () => {
    const xi = injectedError({ family: 'constant-shift', scale: 1, seed: 5 }, 3, 0, 1).offset(0)!;
    expect(Math.abs(xi[0]! - xi[1]!) + Math.abs(xi[1]! - xi[2]!)).toBeGreaterThan(1e-6);
  });
});

describe('§2 time-oscillation: ξ(t) = λ sin(2π c (t − t0)/(T − t0)) u, W = 0', () => {
  it('exact quarter-cycle values: t0 = 1, T = 5, c = 1, u = ½(1,1,1,1), λ = 3', () => {
    const spec: ErrorSpec = { family: 'time-oscillation', scale: 3 };
    const e = injectedError(spec, 4, 1, 5);
    expect(e.spec).toBe(spec);
    expect(e.matrix(2)).toBeNull();
    // t = 2: θ = 2π·1/4 = π/2 (exact scaling of Math.PI), sin = 1
    expect(Array.from(e.offset(2)!)).toEqual([1.5, 1.5, 1.5, 1.5]);
    // t = t0: θ = 0
    expect(Array.from(e.offset(1)!)).toEqual([0, 0, 0, 0]);
    // t = 4: θ = 3π/2 (2π·3/4 = 1.5·Math.PI, exact), sin = −1
    expect(Array.from(e.offset(4)!)).toEqual([-1.5, -1.5, -1.5, -1.5]);
    // e(x) = ξ(t) whatever x
    expect(Array.from(evaluateField(e, 2, Float64Array.of(9, -9, 1, 2)))).toEqual([1.5, 1.5, 1.5, 1.5]);
  });

  it('c = 3 cycles: a quarter of one cycle is at (t − t0)/(T − t0) = 1/12', () => {
    // t0 = 0, T = 12, t = 1: θ = 2π·3·1/12 = π/2, sin = 1
    const e = injectedError({ family: 'time-oscillation', scale: 2, cycles: 3 }, 1, 0, 12);
    expect(Array.from(e.offset(1)!)).toEqual([2]);
    // t = 3: θ = 3π/2, sin = −1
    expect(Array.from(e.offset(3)!)).toEqual([-2]);
  });

  const caseArb = fc.record({
    d: fc.integer({ min: 1, max: 4 }),
    lambda: lambdaArb,
    cycles: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    seed: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    t0: dbl(0.01, 1),
    span: dbl(0.25, 3),
    s: dbl(0, 1),
  });
  test.prop([caseArb])('the formula at generic t ∈ [t0, T], with and without seed and cycles', ({ d, lambda, cycles, seed, t0, span, s }) => {
    const T = t0 + span;
    const t = t0 + s * (T - t0);
    const spec: ErrorSpec = { family: 'time-oscillation', scale: lambda, ...(cycles === undefined ? {} : { cycles }), ...(seed === undefined ? {} : { seed }) };
    const e = injectedError(spec, d, t0, T);
    const c = cycles ?? 1;
    const theta = 2 * Math.PI * c * ((t - t0) / (T - t0));
    const sin = Math.sin(theta);
    const u = direction(d, seed);
    const xi = e.offset(t)!;
    expect(xi.length).toBe(d);
    for (let i = 0; i < d; i++) {
      const tol = 2 * lambda * Math.abs(u[i]!) * (6 * U * Math.abs(theta) + 4 * U) + lambda * Math.abs(sin * u[i]!) * DIR_TOL(d);
      expectClose(xi[i]!, lambda * sin * u[i]!, tol);
    }
    expect(e.matrix(t)).toBeNull();
  });
});
