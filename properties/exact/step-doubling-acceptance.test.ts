/**
 * The rounding-floor branch of step doubling's acceptance rule (src/numerics/step-doubling.ts,
 * `refineByStepDoubling`; issue 11, mutation item, after fec2c34), against the documented rule
 * written out here:
 *
 *   accept the 2N-step run when  diff/15 ≤ atol + rtol·scale  and
 *                                ( 8 ≤ ratio ≤ 32  or  diff ≤ 16 · 2N · 2⁻⁵² · scale ),
 *
 * diff = max_i |y_N[i] − y_2N[i]|, scale = max_i |y_2N[i]|, ratio = previous diff / diff (none after
 * the first doubling, none when diff = 0). The tests here use the FIRST doubling, where there is no
 * ratio, so acceptance there is decided by the floor alone (and the tolerance): a state exactly at
 * the floor is accepted, one whose difference exceeds it is refined (and with maxSteps = 2N that
 * throws). The floor 16 · 2N · 2⁻⁵² · scale is a product of powers of two and the dyadic scale, so it
 * is exact in binary64; every state is built as s ± d and the test checks (premise) that the
 * difference it means to present is represented exactly, so every comparison is exact: no
 * tolerance.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { refineByStepDoubling } from '../../src/numerics/step-doubling.ts';

/** 2⁻⁵², the binary64 machine epsilon, written here. */
const EPS = 2 ** -52;
/** The documented floor of a difference, 16 · 2N · ε · scale (in units of 2N·ε·scale: 16). */
const floorOf = (fineSteps: number, scale: number): number => 16 * fineSteps * EPS * scale;

/** A two-run "integrator": `coarse` for the initial N, `fine` for every other step count. */
function twoRuns(N: number, coarse: readonly number[], fine: readonly number[]): (steps: number) => Float64Array {
  return (steps) => Float64Array.from(steps === N ? coarse : fine);
}

describe('step doubling, rounding floor: a first doubling is accepted exactly when diff ≤ 16·2N·ε·scale', () => {
  it('a first difference at the floor is accepted with ratio null (there is no previous difference)', () => {
    // fine = 1 at 2N = 2, coarse = 1 + 2⁻⁴⁷: diff = 2⁻⁴⁷ = 16·2·2⁻⁵²·1, the floor exactly
    const r = refineByStepDoubling(twoRuns(1, [1 + 2 ** -47], [1]), { name: 'floor', initialSteps: 1, maxSteps: 2, rtol: 0, atol: 1 });
    expect(r.steps).toBe(2);
    expect(r.estimate).toBe(2 ** -47 / 15);
    expect(r.convergenceRatio).toBeNull();
    expect(Array.from(r.fine)).toEqual([1]);
  });

  it('one ulp of the state above the floor is refined (maxSteps = 2N throws)', () => {
    // coarse = 1 + 2⁻⁴⁷ + 2⁻⁵²: diff = 2⁻⁴⁷ + 2⁻⁵² > the floor 2⁻⁴⁷; no ratio yet, so not accepted
    expect(() => refineByStepDoubling(twoRuns(1, [1 + 2 ** -47 + 2 ** -52], [1]), { name: 'above floor', initialSteps: 1, maxSteps: 2, rtol: 0, atol: 1 })).toThrow(
      'above floor: tolerance not reached within 2 steps',
    );
  });

  it('at the floor the tolerance still applies: atol = rtol = 0 refuses a nonzero estimate', () => {
    expect(() => refineByStepDoubling(twoRuns(1, [1 + 2 ** -47], [1]), { name: 'tolerance', initialSteps: 1, maxSteps: 2, rtol: 0, atol: 0 })).toThrow(
      'tolerance: tolerance not reached within 2 steps',
    );
  });

  it('the floor scales with 2N and with the scale max|y_2N| (2N = 64, scale 3 from a negative entry)', () => {
    // fine = (−3, ½), 2N = 64: floor = 16·64·2⁻⁵²·3 = 3·2⁻⁴². Entry 0 carries diff = the floor exactly
    // (coarse −3 − 3·2⁻⁴²), entry 1 a smaller one. 2N·ε alone (2⁻⁴⁶), or the floor without the scale
    // (2⁻⁴²), or with the smaller entry's scale, would be below the difference.
    const f = floorOf(64, 3);
    expect(f).toBe(3 * 2 ** -42);
    const coarse = [-3 - f, 0.5 + 2 ** -48];
    expect(-3 - coarse[0]!).toBe(f); // premise: the difference is represented exactly
    const r = refineByStepDoubling(twoRuns(32, coarse, [-3, 0.5]), { name: 'scaled', initialSteps: 32, maxSteps: 64, rtol: 0, atol: 1 });
    expect(r.steps).toBe(64);
    expect(r.estimate).toBe(f / 15);
    expect(r.convergenceRatio).toBeNull();
    // one ulp of −3 (2⁻⁵¹) more: refused
    expect(() =>
      refineByStepDoubling(twoRuns(32, [-3 - f - 2 ** -51, 0.5], [-3, 0.5]), { name: 'scaled', initialSteps: 32, maxSteps: 64, rtol: 0, atol: 1 }),
    ).toThrow('scaled: tolerance not reached within 64 steps');
  });

  test.prop([
    fc.integer({ min: 1, max: 63 }), // odd or even mantissa m of the scale s = ±m·2^e
    fc.integer({ min: -30, max: 30 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 12 }), // N = 2^k, 2N = 2^(k+1)
    fc.integer({ min: -2, max: 2 }), // presented difference: floor + j·δ, δ = floor/4
    fc.boolean(), // coarse above or below fine
    fc.boolean(), // decide by atol or by rtol
  ])(
    // exactness: s = ±m·2^e (m < 2⁶), the floor m·2^(e+k−47) and the difference (4 + j)·m·2^(e+k−49)
    // ((4 + j)·m < 2⁹): s ± d spans ≤ 55 − k bits, so it is exact for k ≥ 2 (checked below); for
    // k < 2 the state may round, and the oracle then judges the difference actually presented
    // (computed exactly: coarse and fine have the same sign and lie within a factor 2, Sterbenz)
    'dyadic scale, 2N and a difference around the floor: accepted iff diff ≤ 16·2N·ε·scale',
    (m, e, negative, k, j, above, byRtol) => {
      const N = 2 ** k;
      const s = (negative ? -1 : 1) * m * 2 ** e;
      const floor = floorOf(2 * N, Math.abs(s));
      const wanted = floor + (j * floor) / 4;
      const coarseValue = above ? s + wanted : s - wanted;
      const presented = Math.abs(coarseValue - s); // exact: Sterbenz (same sign, within a factor 2)
      // the state's values are what the function sees: the oracle uses the difference actually
      // presented (equal to `wanted` whenever s ± wanted is representable)
      const accepted = presented <= floor;
      const estimate = presented / 15;
      // the tolerance is met with room (atol = |s| or rtol = 1 against an estimate ≤ 1.5·floor/15 ≪ |s|),
      // so only the floor decides
      const tol = byRtol ? { rtol: 1, atol: 0 } : { rtol: 0, atol: Math.abs(s) };
      const go = () => refineByStepDoubling(twoRuns(N, [coarseValue], [s]), { name: 'prop', initialSteps: N, maxSteps: 2 * N, ...tol });
      if (accepted) {
        const r = go();
        expect(r.steps).toBe(2 * N);
        expect(r.estimate).toBe(estimate);
        expect(r.convergenceRatio).toBeNull();
      } else expect(go).toThrow(`prop: tolerance not reached within ${2 * N} steps`);
      // premise: for k ≥ 2 the presented difference is the intended one, so j = 0 sits exactly on the
      // floor (accepted) and j = 1, 2 a quarter or a half above it (refused)
      if (k >= 2) expect(presented).toBe(wanted);
    },
  );
});

describe('step doubling, rounding floor: a zero difference after a ratio-less first doubling', () => {
  it('a constant run is accepted at the first doubling (diff 0 is at the floor), ratio null, estimate 0', () => {
    const calls: number[] = [];
    const r = refineByStepDoubling(
      (N) => {
        calls.push(N);
        return Float64Array.of(5, -7);
      },
      { name: 'constant', initialSteps: 4, maxSteps: 8, rtol: 0, atol: 0 },
    );
    expect(r.steps).toBe(8);
    expect(r.estimate).toBe(0);
    expect(r.convergenceRatio).toBeNull();
    expect(calls).toEqual([4, 8]);
  });
});
