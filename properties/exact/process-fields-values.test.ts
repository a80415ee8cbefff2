/**
 * Marginals and served fields of a forward process (src/processes/process-fields.ts) against the
 * formulas of its module comment, written here:
 *   s(t) = √(a² + σ²) (1 for VP), p_t: N(m, S) ↦ N(a m, a² S + σ² I), c·X: N(m, S) ↦ N(c m, c² S);
 *   served score φ(x, t) = (1/s) ẽ(x/s, u(t)), eps = −σ·φ, denoiser D(x̂, σ̂) = x̂ + σ̂² c ẽ(c x̂, u)
 *   with u = log(1 + σ̂²), c = e^{−u/2}.
 * The OU field is a recording affine field ẽ(y, u) = (1 + u)·y + (1, −2), so every output is a
 * closed form in the inputs. Process values a, σ², u come from the process (its own tests:
 * diffusion-process-values.test.ts); what is checked here is how the fields combine them.
 * Tolerance REL = 1e-14 relative (+ an absolute 1e-300): each output is ≤ 8 roundings and libm calls
 * on each side (≤ 16 ulp ≈ 3.6e-15), none near cancellation at the points used.
 */
import { describe, expect, it } from 'vitest';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian } from '../../src/distributions/gaussian.ts';
import { edm, ve, vpConstant, vpLinear } from '../../src/processes/diffusion-process.ts';
import { processMarginal, processScale, scaleMixture, SERVED_CONVENTIONS, servedProcessField } from '../../src/processes/process-fields.ts';
import type { VectorField } from '../../src/scores/vector-field.ts';

const REL = 1e-14;

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected) + 1e-300);
}

/** ẽ(y, u) = (1 + u)·y + (1, −2) in d = 2, recording (u, y) of every call */
function recordingOuField(): { field: VectorField; calls: { u: number; y: number[] }[] } {
  const calls: { u: number; y: number[] }[] = [];
  const field: VectorField = {
    dim: 2,
    evaluate(u, y, m, out) {
      calls.push({ u, y: Array.from(y.subarray(0, m * 2)) });
      for (let r = 0; r < m; r++) {
        out[2 * r] = (1 + u) * y[2 * r]! + 1;
        out[2 * r + 1] = (1 + u) * y[2 * r + 1]! - 2;
      }
    },
  };
  return { field, calls };
}

const ou = (u: number, y: readonly number[]): number[] => y.map((v, i) => (1 + u) * v + (i % 2 === 0 ? 1 : -2));

describe('process scale and marginals', () => {
  it('s(t) = 1 exactly for VP families, √(1 + σ²) for ve and edm (a = 1)', () => {
    expect(processScale(vpConstant(2), 0.7)).toBe(1);
    expect(processScale(vpLinear(), 0.3)).toBe(1);
    close(processScale(ve(0.5, 8), 0.5), Math.sqrt(1 + 4)); // σ(½) = 0.5·4 = 2
    close(processScale(edm(), 3), Math.sqrt(10));
  });

  it('p_t: every component N(m, S) ↦ N(a m, a² S + σ² I), weights unchanged; the time is checked', () => {
    const q = gaussianMixture([0.25, 0.75], [diagonalGaussian([1, -2], [0.5, 2]), fullGaussian([0, 4], [2, 0.5, 0.5, 1])]);
    // edm at σ = 3: a = 1, σ² = 9
    const pe = processMarginal(edm(), q, 3);
    expect(pe.weights).toBe(q.weights);
    expect(Array.from(pe.components[0]!.mean)).toEqual([1, -2]);
    expect(Array.from(pe.components[0]!.cov)).toEqual([9.5, 0, 0, 11]);
    expect(Array.from(pe.components[1]!.cov)).toEqual([11, 0.5, 0.5, 10]);
    expect(pe.components.map((c) => c.kind)).toEqual(['diagonal', 'full']);
    // vp-constant (β = 2) at t = ln 2 / 2: a = e^{−t} = 1/√2, a² = ½, σ² = ½
    const t = Math.log(2) / 2;
    const pv = processMarginal(vpConstant(2), q, t);
    const a = Math.SQRT1_2;
    pv.components.forEach((c, k) => {
      const c0 = q.components[k]!;
      for (let j = 0; j < 2; j++) close(c.mean[j]!, a * c0.mean[j]!);
      for (let e = 0; e < 4; e++) close(c.cov[e]!, 0.5 * c0.cov[e]! + (e % 3 === 0 ? 0.5 : 0));
    });
    expect(() => processMarginal(vpLinear(), q, 1.5)).toThrow('vp-linear: marginal time 1.5 outside the domain [0, 1]');
  });

  it('scaleMixture: c·X has components N(c m, c² S); c must be finite and > 0', () => {
    const q = gaussianMixture([1], [fullGaussian([1, -3], [2, 0.5, 0.5, 1])]);
    const s = scaleMixture(q, 4);
    expect(Array.from(s.components[0]!.mean)).toEqual([4, -12]);
    expect(Array.from(s.components[0]!.cov)).toEqual([32, 8, 8, 16]);
    expect(s.weights).toBe(q.weights);
    for (const c of [0, -1, Infinity, Number.NaN]) expect(() => scaleMixture(q, c)).toThrow(`scaleMixture: factor ${c} must be finite and > 0`);
  });
});

describe('served fields: score, eps and denoiser built from an OU field', () => {
  const x = Float64Array.of(1, 2, -3, 0.5, 4, -1); // m = 3 rows in d = 2

  it('score under ve (σ_min 0.5, σ_max 8) at t = ½: φ = (1/s) ẽ(x/s, u), s = √5, u = log 5, every row', () => {
    const { field, calls } = recordingOuField();
    const f = servedProcessField(ve(0.5, 8), field, 'score');
    expect(f.dim).toBe(2);
    const out = new Float64Array(6);
    f.evaluate(0.5, x, 3, out);
    const s = Math.sqrt(5);
    const u = Math.log(5);
    expect(calls.length).toBe(1);
    close(calls[0]!.u, u);
    calls[0]!.y.forEach((v, i) => close(v, x[i]! / s));
    ou(u, Array.from(x, (v) => v / s)).forEach((v, i) => close(out[i]!, v / s));
  });

  it('eps under vp-constant (β = 2) at t = ln 2 / 2: ε = −σ·φ = −√½ · ẽ(x, ln 2)  (s = 1, u = βt = ln 2)', () => {
    const { field, calls } = recordingOuField();
    const f = servedProcessField(vpConstant(2), field, 'eps');
    const out = new Float64Array(6);
    const t = Math.log(2) / 2;
    f.evaluate(t, x, 3, out);
    close(calls[0]!.u, Math.log(2));
    expect(calls[0]!.y).toEqual(Array.from(x)); // x/s with s = 1 exactly
    ou(Math.log(2), Array.from(x)).forEach((v, i) => close(out[i]!, -Math.SQRT1_2 * v));
  });

  it('eps under ve (σ_min 0.5, σ_max 8) at t = ½: ε = −σ·φ = −(σ/s) ẽ(x/s, u) with σ = 2, s = √5, u = log 5', () => {
    const { field } = recordingOuField();
    const out = new Float64Array(6);
    servedProcessField(ve(0.5, 8), field, 'eps').evaluate(0.5, x, 3, out);
    const s = Math.sqrt(5);
    ou(Math.log(5), Array.from(x, (v) => v / s)).forEach((v, i) => close(out[i]!, (-2 / s) * v));
  });

  it('entries of out past the m rows are left alone (score, eps, denoiser)', () => {
    for (const serves of SERVED_CONVENTIONS) {
      const { field } = recordingOuField();
      const out = new Float64Array(8).fill(7);
      servedProcessField(ve(0.5, 8), field, serves).evaluate(0.5, x, 2, out);
      expect([out[4], out[5], out[6], out[7]]).toEqual([7, 7, 7, 7]);
    }
  });

  it('denoiser at σ̂ = 2 (any process): D = x̂ + σ̂² c ẽ(c x̂, log 5), c = 1/√5; σ̂ ≤ 0 or non-finite throws', () => {
    const { field, calls } = recordingOuField();
    const f = servedProcessField(vpLinear(), field, 'denoiser');
    const out = new Float64Array(6);
    f.evaluate(2, x, 3, out);
    const c = 1 / Math.sqrt(5);
    close(calls[0]!.u, Math.log(5));
    calls[0]!.y.forEach((v, i) => close(v, c * x[i]!));
    ou(Math.log(5), Array.from(x, (v) => c * v)).forEach((v, i) => close(out[i]!, x[i]! + 4 * c * v));
    for (const bad of [0, -1, Infinity, Number.NaN]) expect(() => f.evaluate(bad, x, 3, out)).toThrow(`denoiser: σ = ${bad} must be finite and > 0`);
  });

  it('the time argument is checked for score and eps (exact message); the scratch buffer grows and shrinks with m', () => {
    const { field, calls } = recordingOuField();
    const f = servedProcessField(vpLinear(), field, 'score');
    expect(() => f.evaluate(1.25, x, 3, new Float64Array(6))).toThrow('vp-linear: score time 1.25 outside the domain [0, 1]');
    expect(() => servedProcessField(edm(), field, 'eps').evaluate(-1, x, 3, new Float64Array(6))).toThrow('edm: score time -1 outside the domain (0, Infinity)');
    // m = 1, then 3, then 2: each call sees exactly its m rows (s = 1 for VP)
    for (const m of [1, 3, 2]) {
      const out = new Float64Array(2 * m);
      f.evaluate(0.5, x, m, out);
      expect(calls.at(-1)!.y).toEqual(Array.from(x.subarray(0, 2 * m)));
    }
    expect(SERVED_CONVENTIONS).toEqual(['score', 'eps', 'denoiser']);
  });
});
