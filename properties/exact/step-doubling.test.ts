/**
 * Step-doubling (Richardson) error control (src/numerics/step-doubling.ts, `refineByStepDoubling`)
 * against a known error model written here (issue 11, mutation item): a synthetic fourth-order
 * "integrator" whose N-step result is exactly
 *
 *   y_N[i] = Y_i + C_i · N⁻⁴,
 *
 * the leading-order error model the module assumes. Then y_N − y_2N = C (N⁻⁴ − (2N)⁻⁴) =
 * 15 · C (2N)⁻⁴, so the module's estimate max|y_N − y_2N| / 15 equals the true error of the fine run,
 * max|C_i| (2N)⁻⁴, and the ratio of successive differences is exactly 2⁴ = 16. With Y, C dyadic and
 * N a power of two every quantity is exact in binary64, so the accepted step count, the estimate and
 * the ratio are compared exactly (the oracle's acceptance rule is the documented
 * estimate ≤ atol + rtol · max_i |y_2N[i]| with the ratio observed in [8, 32] or the difference at
 * the rounding floor 16·2N·ε·scale, evaluated with the closed forms of the estimate and the ratio).
 * Models that break the assumption (a pre-asymptotic coincidence, a second-order error) are written
 * out below with the step count the rule must reach.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { refineByStepDoubling } from '../../src/numerics/step-doubling.ts';

/** The model integrator; records the step counts requested. */
function model(Y: readonly number[], C: readonly number[]): { run: (N: number) => Float64Array; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    run: (N) => {
      calls.push(N);
      return Float64Array.from(Y, (y, i) => y + C[i]! * N ** -4);
    },
  };
}

/**
 * Oracle of the accepted fine step count: the first 2N (N = N0, 2N0, …) with
 * max|C| (2N)⁻⁴ ≤ atol + rtol · max_i |Y_i + C_i (2N)⁻⁴| (closed form of the estimate, written here)
 * and either a ratio (the model's is exactly 16: any doubling after the first has one) or the
 * difference 15·max|C|·(2N)⁻⁴ at most 16 · 2N · 2⁻⁵² · scale.
 */
function acceptedSteps(Y: readonly number[], C: readonly number[], N0: number, atol: number, rtol: number): number {
  const cMax = Math.max(...C.map(Math.abs));
  for (let N = N0; ; N *= 2) {
    const e = (2 * N) ** -4;
    const scale = Math.max(...Y.map((y, i) => Math.abs(y + C[i]! * e)));
    const hasRatio = N > N0;
    const atFloor = 15 * cMax * e <= 16 * 2 * N * 2 ** -52 * scale;
    if (cMax * e <= atol + rtol * scale && (hasRatio || atFloor)) return 2 * N;
  }
}

describe('step doubling: the estimate of an exact fourth-order error model is its true error', () => {
  it('y_N = N⁻⁴, atol = 2⁻²⁰ (reached with equality at 2N = 32): steps 32, estimate 2⁻²⁰, ratio 16', () => {
    const { run, calls } = model([0], [1]);
    const r = refineByStepDoubling(run, { name: 'model', initialSteps: 1, maxSteps: 32, rtol: 0, atol: 2 ** -20 });
    expect(r.steps).toBe(32);
    expect(r.estimate).toBe(2 ** -20);
    expect(r.convergenceRatio).toBe(16);
    expect(Array.from(r.fine)).toEqual([2 ** -20]);
    expect(calls).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('maxSteps one below the needed 2N throws naming the problem; exactly the needed 2N is allowed', () => {
    const { run } = model([0], [1]);
    expect(() => refineByStepDoubling(run, { name: 'model ODE', initialSteps: 1, maxSteps: 31, rtol: 0, atol: 2 ** -20 })).toThrow(
      'model ODE: tolerance not reached within 31 steps',
    );
    expect(refineByStepDoubling(model([0], [1]).run, { name: 'm', initialSteps: 4, maxSteps: 32, rtol: 0, atol: 2 ** -20 }).steps).toBe(32);
  });

  it('relative tolerance: the estimate takes the max over entries of |y_N − y_2N|, the scale the max of |y_2N|', () => {
    // Y = (−16, ½), C = (4, 1), rtol = 2⁻³⁰: at 2N = 2ⁿ the estimate is 4·2⁻⁴ⁿ and the scale 16 − 4·2⁻⁴ⁿ,
    // so n = 7 fails by a hair (2⁻²⁶ > 2⁻²⁶ − 2⁻⁵⁶) and n = 8 passes: steps 256. Taking the smaller
    // entry's difference would stop at 128, the smaller entry's scale at 512.
    const Y = [-16, 0.5];
    const C = [4, 1];
    const { run } = model(Y, C);
    const r = refineByStepDoubling(run, { name: 'model', initialSteps: 2, maxSteps: 1 << 12, rtol: 2 ** -30, atol: 0 });
    expect(acceptedSteps(Y, C, 2, 0, 2 ** -30)).toBe(256);
    expect(r.steps).toBe(256);
    expect(r.estimate).toBe(4 * 256 ** -4);
    expect(r.convergenceRatio).toBe(16);
    expect(Array.from(r.fine)).toEqual([-16 + 4 * 256 ** -4, 0.5 + 256 ** -4]);
  });

  test.prop([
    fc.array(fc.integer({ min: -16, max: 16 }), { minLength: 1, maxLength: 4 }),
    fc.array(fc.integer({ min: -64, max: 64 }), { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 8, max: 36 }),
    fc.integer({ min: 8, max: 36 }),
  ])(
  // exactness: the accepted 2N is at most 2¹¹ (64 · (2N)⁻⁴ ≤ 2⁻³⁶ there), so every y_N = Y + C N⁻⁴ has
  // its bits between 2⁴ and 2⁻⁴⁴·C: ≤ 53 significant bits, exact; differences are exact too, and
  // 15·C·(2N)⁻⁴ / 15 is exact
  'dyadic Y, C and tolerances: steps, estimate and ratio as the closed form says', (Y, Cs, k0, atolExp, rtolExp) => {
    const C = Y.map((_, i) => Cs[i]! || 1); // C_i ≠ 0 (the model needs a nonzero error)
    const N0 = 2 ** k0;
    const atol = 2 ** -atolExp;
    const rtol = 2 ** -rtolExp;
    const expectedSteps = acceptedSteps(Y, C, N0, atol, rtol);
    const { run } = model(Y, C);
    const r = refineByStepDoubling(run, { name: 'model', initialSteps: N0, maxSteps: 1 << 16, rtol, atol });
    expect(r.steps).toBe(expectedSteps);
    expect(r.estimate).toBe(Math.max(...C.map(Math.abs)) * expectedSteps ** -4);
    expect(r.convergenceRatio).toBe(expectedSteps === 2 * N0 ? null : 16);
  });
});

describe('step doubling: an estimate is accepted only in the observed fourth-order regime', () => {
  it('a pre-asymptotic coincidence (ratio 2¹⁰) is refined past: accepted at 128, not at 32', () => {
    // y_N = N⁻⁴ for N ≥ 32 (true error of y_32: 2⁻²⁰); y_16 = y_32 + 2⁻³⁰ and y_8 = y_16 + 2⁻²⁰, so
    // the differences are 2⁻²⁰ then 2⁻³⁰ (ratio 1024) and at 32 the estimate 2⁻³⁰/15 is far below
    // atol = 2⁻²⁸ and far below the true error. Then 64: estimate 2⁻²⁴ > atol; 128: estimate 2⁻²⁸
    // = atol with ratio 16 — accepted there (its true error is 2⁻²⁸ exactly).
    const y32 = 2 ** -20;
    const table = new Map<number, number>([[8, y32 + 2 ** -30 + 2 ** -20], [16, y32 + 2 ** -30]]);
    const calls: number[] = [];
    const run = (N: number): Float64Array => {
      calls.push(N);
      return Float64Array.of(table.get(N) ?? N ** -4);
    };
    const r = refineByStepDoubling(run, { name: 'coincidence', initialSteps: 8, maxSteps: 1 << 10, rtol: 0, atol: 2 ** -28 });
    expect(r.steps).toBe(128);
    expect(r.estimate).toBe(2 ** -28);
    expect(r.convergenceRatio).toBe(16);
    expect(calls).toEqual([8, 16, 32, 64, 128]);
  });

  it('ratios just inside [8, 32] are accepted, just outside are not (a model with a chosen ratio)', () => {
    // y_N = ρ^(−log2 N): successive differences have ratio exactly ρ (ρ a power of two keeps them exact)
    const modelWithRatio = (rho: number) => (N: number): Float64Array => Float64Array.of(rho ** -Math.log2(N));
    for (const [rho, accepted] of [[8, true], [32, true], [4, false], [64, false]] as const) {
      const go = () => refineByStepDoubling(modelWithRatio(rho), { name: `ratio ${rho}`, initialSteps: 1, maxSteps: 8, rtol: 0, atol: 1 });
      if (accepted) {
        const r = go();
        expect(r.steps).toBe(4);
        expect(r.convergenceRatio).toBe(rho);
      } else expect(go).toThrow(`ratio ${rho}: tolerance not reached within 8 steps`);
    }
  });

  it('a second-order error (ratio 4) is never taken for a fourth-order one: refined to the rounding floor', () => {
    // y_N = 1 + N⁻²: the difference at 2N = 2^k is 3·(2N)⁻² = 3·2^(−2k), the floor 16·2N·2⁻⁵²·scale =
    // 2^(k−48)·(1 + 2^(−2k)); it is reached when 3 ≤ 2^(3k−48)(1 + 2^(−2k)), i.e. first at k = 17
    // (k = 16 needs 3 ≤ 1 + 2⁻³²). atol = 1 is met from the start; the old rule stopped at 2N = 2 with
    // an estimate 0.05 for a true error 0.25.
    const run = (N: number): Float64Array => Float64Array.of(1 + N ** -2);
    const r = refineByStepDoubling(run, { name: 'second order', initialSteps: 1, maxSteps: 1 << 20, rtol: 0, atol: 1 });
    expect(r.steps).toBe(1 << 17);
    expect(() => refineByStepDoubling(run, { name: 'second order', initialSteps: 1, maxSteps: 1 << 16, rtol: 0, atol: 1 })).toThrow(
      'second order: tolerance not reached within 65536 steps',
    );
  });
});

describe('step doubling: convergence ratio, restriction of a fine path, shape checks', () => {
  it('the first doubling has no ratio and is not accepted above the floor; a zero difference is at the floor (ratio null)', () => {
    // estimate (1 − 2⁻⁴)·4⁻⁴ … well below atol = 1, but no ratio yet: maxSteps 4 throws, 8 accepts
    expect(() => refineByStepDoubling(model([1], [1]).run, { name: 'm', initialSteps: 2, maxSteps: 4, rtol: 0, atol: 1 })).toThrow(
      'm: tolerance not reached within 4 steps',
    );
    const two = refineByStepDoubling(model([1], [1]).run, { name: 'm', initialSteps: 2, maxSteps: 8, rtol: 0, atol: 1 });
    expect(two.steps).toBe(8);
    expect(two.convergenceRatio).toBe(16);
    // differences 1 (N = 1 vs 2), then 0 (2 vs 4): accepted at 4 with estimate 0, ratio null (not 1/0)
    const zero = refineByStepDoubling((N) => Float64Array.of(N === 1 ? 1 : 0), { name: 'm', initialSteps: 1, maxSteps: 64, rtol: 0, atol: 0 });
    expect(zero.steps).toBe(4);
    expect(zero.estimate).toBe(0);
    expect(zero.convergenceRatio).toBeNull();
  });

  it('restrictFine(y_2N, N) selects the coarse nodes of a path (called with the fine path and the coarse N)', () => {
    // path of N + 1 nodes x_k = k/N with value x_k + N⁻⁴; every second fine node is a coarse node
    const restrictCalls: [number, number][] = [];
    const run = (N: number): Float64Array => Float64Array.from({ length: N + 1 }, (_, k) => k / N + N ** -4);
    const restrictFine = (fine: Float64Array, coarseSteps: number): Float64Array => {
      restrictCalls.push([fine.length, coarseSteps]);
      return Float64Array.from({ length: coarseSteps + 1 }, (_, k) => fine[2 * k]!);
    };
    const r = refineByStepDoubling(run, { name: 'path', initialSteps: 2, maxSteps: 64, rtol: 0, atol: 2 ** -16, restrictFine });
    // estimate (2N)⁻⁴ ≤ 2⁻¹⁶ first at 2N = 16
    expect(r.steps).toBe(16);
    expect(r.estimate).toBe(2 ** -16);
    expect(r.fine).toHaveLength(17);
    expect(restrictCalls).toEqual([[5, 2], [9, 4], [17, 8]]);
  });

  it('throws when the compared states differ in length', () => {
    expect(() =>
      refineByStepDoubling((N) => new Float64Array(N), { name: 'ragged', initialSteps: 1, maxSteps: 8, rtol: 0, atol: 0 }),
    ).toThrow('ragged: step doubling compares 2 entries with 1');
    expect(() =>
      refineByStepDoubling((N) => new Float64Array(N + 1), { name: 'bad restriction', initialSteps: 2, maxSteps: 8, rtol: 0, atol: 0, restrictFine: (f) => f }),
    ).toThrow('bad restriction: step doubling compares 5 entries with 3');
  });
});
