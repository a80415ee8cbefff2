/**
 * The forward Ornstein–Uhlenbeck transition (src/processes/ornstein-uhlenbeck.ts; docs/theory.md §1)
 * against its closed form written here (issue 11, mutation item): a_t = e^{−t/2}, σ_t² = 1 − e^{−t}
 * (published values of e^{−x}), P_t N(m, S) = N(a_t m, a_t² S + σ_t² I), mixtures component-wise
 * with unchanged weights, the particle step x ← a_t x + σ_t z with scripted normals, and the time
 * checks.
 *
 * Tolerance REL_TOL = 8u relative: each value passes through ≤ 4 roundings / libm calls (≤ 1 ulp =
 * 2u each) in the module and is compared with a decimal constant or ≤ 2 operations here: ≤ 8u.
 */
import { describe, expect, it } from 'vitest';
import { forwardStepInPlace, ouMeanFactor, ouVariance, pushGaussian, pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { fullGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import type { Rng } from '../../src/random/rng.ts';

const U = 2 ** -53;
const REL_TOL = 8 * U;

function expectRel(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL_TOL * Math.abs(expected));
}

/** e^{−1} and e^{−2} (OEIS A068985, A092553). */
const E_M1 = 0.36787944117144233;
const E_M2 = 0.1353352832366127;

describe('§1 forward OU process: transition coefficients', () => {
  it('a_t = e^{−t/2}: a_2 = e^{−1}, a_4 = e^{−2}, a_0 = 1', () => {
    expectRel(ouMeanFactor(2), E_M1);
    expectRel(ouMeanFactor(4), E_M2);
    expect(ouMeanFactor(0)).toBe(1);
  });
  it('σ_t² = 1 − e^{−t}, with full relative precision at small t (≈ t − t²/2)', () => {
    expectRel(ouVariance(1), 1 - E_M1);
    expectRel(ouVariance(2), 1 - E_M2);
    expectRel(ouVariance(1e-20), 1e-20);
    expectRel(ouVariance(1e-8), 1e-8 - 5e-17 + 1e-24 / 6);
    expect(ouVariance(0)).toBe(0);
  });
});

describe('§1 forward OU process: P_t on Gaussians and mixtures', () => {
  const g = fullGaussian([1, -2], [2, 0.5, 0.5, 1]);
  it('P_t N(m, S) = N(a m, a² S + σ² I) at t = 2 (a = e^{−1})', () => {
    const p = pushGaussian(g, 2);
    expect(p.dim).toBe(2);
    expect(p.kind).toBe('full');
    expectRel(p.mean[0]!, E_M1);
    expectRel(p.mean[1]!, -2 * E_M1);
    const a2 = E_M1 * E_M1;
    const s2 = 1 - E_M2;
    // diagonal: a² S_ii + σ² (two positive terms); off-diagonal: a² S_ij
    expect(Math.abs(p.cov[0]! - (2 * a2 + s2))).toBeLessThanOrEqual(REL_TOL * (2 * a2 + s2));
    expect(Math.abs(p.cov[3]! - (a2 + s2))).toBeLessThanOrEqual(REL_TOL * (a2 + s2));
    expectRel(p.cov[1]!, 0.5 * a2);
    expectRel(p.cov[2]!, 0.5 * a2);
  });
  it('t = 0 returns the same law (the same object); negative, NaN or infinite t throws', () => {
    expect(pushGaussian(g, 0)).toBe(g);
    for (const t of [-1e-300, NaN, Infinity]) expect(() => pushGaussian(g, t)).toThrow(`pushGaussian: time ${t} must be finite and ≥ 0`);
  });
  it('mixtures: each component pushed, weights and dimension unchanged; t = 0 the same object', () => {
    const q = gaussianMixture([0.25, 0.75], [fullGaussian([0], [1]), fullGaussian([4], [0.5])]);
    const p = pushMixture(q, 2);
    expect(p.dim).toBe(1);
    expect(Array.from(p.weights)).toEqual([0.25, 0.75]);
    expect(p.components).toHaveLength(2);
    expectRel(p.components[1]!.mean[0]!, 4 * E_M1);
    expectRel(p.components[1]!.cov[0]! - (1 - E_M2), 0.5 * E_M2);
    expect(pushMixture(q, 0)).toBe(q);
    expect(() => pushMixture(q, -1)).toThrow('pushMixture: time -1 must be finite and ≥ 0');
  });
});

/** An Rng stand-in that writes scripted normals (records its calls). */
function scriptedRng(values: readonly number[]): { rng: Rng; calls: [number, number][] } {
  const calls: [number, number][] = [];
  const rng = {
    fillNormal(out: Float64Array, offset = 0, count = out.length - offset): void {
      calls.push([offset, count]);
      for (let i = 0; i < count; i++) out[offset + i] = values[i]!;
    },
  } as unknown as Rng;
  return { rng, calls };
}

describe('§1 forward OU process: exact particle step x ← a_t x + σ_t z', () => {
  it('with scripted normals, in place, with and without a scratch buffer', () => {
    const x = Float64Array.of(1, -2, 0.5);
    const { rng, calls } = scriptedRng([0.5, 1, -1]);
    forwardStepInPlace(x, 2, rng);
    expect(calls).toEqual([[0, 3]]);
    const s = Math.sqrt(1 - E_M2);
    const want = [E_M1 + 0.5 * s, -2 * E_M1 + s, 0.5 * E_M1 - s];
    want.forEach((w, i) => expect(Math.abs(x[i]! - w)).toBeLessThanOrEqual(REL_TOL * (Math.abs(E_M1 * [1, -2, 0.5][i]!) + s)));
    const y = Float64Array.of(3);
    const z = new Float64Array(1);
    forwardStepInPlace(y, 4, scriptedRng([2]).rng, z);
    expect(z[0]).toBe(2);
    expect(Math.abs(y[0]! - (3 * E_M2 + 2 * Math.sqrt(1 - Math.exp(-4))))).toBeLessThanOrEqual(REL_TOL * 4);
    expect(() => forwardStepInPlace(y, NaN, rng)).toThrow('forwardStepInPlace: time NaN must be finite and ≥ 0');
  });
});
