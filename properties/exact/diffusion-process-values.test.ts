/**
 * Forward processes as values (src/processes/diffusion-process.ts) against their definitions
 * written here: every field of every family, the time domains and their messages, the parameter
 * checks, and `processFromDescription`.
 *
 * Oracles (independent of the module): the libraries' formulas restated from their definitions —
 * vp-constant a = e^{−βt/2}; vp-linear B(t) = ∫₀ᵗ β; vp-cosine ᾱ(t) = cos²θ(t)/cos²θ(0) and
 * β(t) = −(log ᾱ)′ = 2k·tan θ(t) with k = π/(2(1+s)); ve σ(t) = σ_min (σ_max/σ_min)^t; edm x_σ = x_0 + σ n;
 * and the identities f = (log a)′, g² = (σ²)′ − 2fσ² checked at dyadic points by their closed forms.
 *
 * Tolerance REL = 1e-14 relative: each side is ≤ 10 floating-point operations and libm calls of
 * ≤ 1 ulp each (Node's exp, log, expm1, log1p, cos, tan, acos), so the two sides differ by ≤ 20 ulp
 * ≈ 4.4e-15 relative; 1e-14 leaves a factor 2 for the conditioning of the points used (≤ 2: none
 * is near a zero of the function). Round trips t → u → t are compared with ROUND_TRIP_REL = 1e-12:
 * the inverse's condition number |u·t′(u)/t| at the points used is ≤ 50 (vp-cosine near t = 0.9,
 * where acos is steep), times the 20-ulp error of each leg.
 */
import { describe, expect, it } from 'vitest';
import { checkProcessTime, edm, PROCESS_NAMES, processFromDescription, ve, vpConstant, vpCosine, vpLinear, type DiffusionProcess } from '../../src/processes/diffusion-process.ts';

const REL = 1e-14;
const ROUND_TRIP_REL = 1e-12;

function close(actual: number, expected: number, rel = REL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + Number.MIN_VALUE);
}

/** the five fields at t, against closed forms a, σ², f, g², u */
function fields(p: DiffusionProcess, t: number, want: { a: number; s2: number; f: number; g2: number; u: number }): void {
  close(p.meanFactor(t), want.a);
  close(p.noiseVariance(t), want.s2);
  close(p.drift(t), want.f);
  close(p.diffusionSquared(t), want.g2);
  close(p.ouTime(t), want.u);
  close(p.timeOfOuTime(want.u), t, ROUND_TRIP_REL);
}

describe('forward processes: every field against its definition', () => {
  it('vp-constant (β = 2): a = e^{−t}, σ² = 1 − e^{−2t}, f = −1, g² = 2, u = 2t', () => {
    const p = vpConstant(2);
    expect([p.name, p.preservesVariance, p.timeArgument, p.tMin, p.tMax, p.tMaxInclusive]).toEqual(['vp-constant', true, 't', 0, Infinity, false]);
    expect(p.parameters).toEqual({ name: 'vp-constant', beta: 2 });
    for (const t of [0.125, 0.5, 3]) fields(p, t, { a: Math.exp(-t), s2: 1 - Math.exp(-2 * t), f: -1, g2: 2, u: 2 * t });
    // the default is β = 1
    expect(vpConstant().parameters).toEqual({ name: 'vp-constant', beta: 1 });
    close(vpConstant().meanFactor(2), Math.exp(-1));
  });

  it('vp-linear (β_min = 0.5, β_max = 4.5): B(t) = 0.5t + 2t², a = e^{−B/2}, σ² = 1 − e^{−B}, f = −β(t)/2, g² = β(t) = 0.5 + 4t', () => {
    const p = vpLinear(0.5, 4.5);
    expect([p.name, p.preservesVariance, p.timeArgument, p.tMin, p.tMax, p.tMaxInclusive]).toEqual(['vp-linear', true, 't', 0, 1, true]);
    expect(p.parameters).toEqual({ name: 'vp-linear', betaMin: 0.5, betaMax: 4.5 });
    for (const t of [0.125, 0.5, 0.75, 1]) {
      const B = 0.5 * t + 2 * t * t;
      fields(p, t, { a: Math.exp(-B / 2), s2: 1 - Math.exp(-B), f: -(0.5 + 4 * t) / 2, g2: 0.5 + 4 * t, u: B });
    }
    // score-SDE's defaults (0.1, 20): B(1) = 0.1 + 9.95 = 10.05
    const d = vpLinear();
    expect(d.parameters).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 20 });
    close(d.ouTime(1), 10.05);
    // β_min = β_max is allowed (constant β): B(t) = βt
    close(vpLinear(2, 2).ouTime(0.75), 1.5);
  });

  it('vp-cosine (s = 0.008): a = cos θ(t)/cos θ(0), σ² = 1 − a², β = 2k tan θ(t), u = −log ᾱ; domain [0, 1)', () => {
    const s = 0.008;
    const p = vpCosine(s);
    expect([p.name, p.preservesVariance, p.timeArgument, p.tMin, p.tMax, p.tMaxInclusive]).toEqual(['vp-cosine', true, 't', 0, 1, false]);
    expect(p.parameters).toEqual({ name: 'vp-cosine', s });
    const k = Math.PI / 2 / (1 + s);
    for (const t of [0.125, 0.5, 0.875]) {
      const a = Math.cos((t + s) * k) / Math.cos(s * k);
      const beta = 2 * k * Math.tan((t + s) * k);
      fields(p, t, { a, s2: 1 - a * a, f: -beta / 2, g2: beta, u: -Math.log(a * a) });
    }
    // another s changes θ(0): s = 0.5, t = 0.5: θ = π/3 · ... written out: k = π/3, θ(0) = π/6, θ(0.5) = π/3
    const q = vpCosine(0.5);
    close(q.meanFactor(0.5), Math.cos(Math.PI / 3) / Math.cos(Math.PI / 6), 4 * REL);
    close(q.diffusionSquared(0.5), ((2 * Math.PI) / 3) * Math.tan(Math.PI / 3), 4 * REL);
    expect(vpCosine().parameters).toEqual({ name: 'vp-cosine', s: 0.008 });
  });

  it('ve (σ_min = 0.5, σ_max = 8): σ(t) = 0.5·16^t, a = 1, f = 0, g² = 2σ² log 16, u = log(1 + σ²); domain [0, 1]', () => {
    const p = ve(0.5, 8);
    expect([p.name, p.preservesVariance, p.timeArgument, p.tMin, p.tMax, p.tMaxInclusive]).toEqual(['ve', false, 't', 0, 1, true]);
    expect(p.parameters).toEqual({ name: 've', sigmaMin: 0.5, sigmaMax: 8 });
    for (const t of [0.25, 0.5, 1]) {
      const sigma = 0.5 * Math.pow(16, t);
      fields(p, t, { a: 1, s2: sigma * sigma, f: 0, g2: 2 * sigma * sigma * Math.log(16), u: Math.log(1 + sigma * sigma) });
    }
    // at t = 0 and 1 exactly: σ_min² and σ_max²
    close(p.noiseVariance(0), 0.25);
    close(p.noiseVariance(1), 64);
    expect(ve().parameters).toEqual({ name: 've', sigmaMin: 0.01, sigmaMax: 50 });
  });

  it('edm: the time argument is σ; a = 1, σ² = σ², f = 0, g² = 2σ, u = log(1 + σ²)', () => {
    const p = edm();
    expect([p.name, p.preservesVariance, p.timeArgument, p.tMin, p.tMax, p.tMaxInclusive]).toEqual(['edm', false, 'sigma', 0, Infinity, false]);
    expect(p.parameters).toEqual({ name: 'edm' });
    for (const sigma of [0.25, 2, 80]) fields(p, sigma, { a: 1, s2: sigma * sigma, f: 0, g2: 2 * sigma, u: Math.log(1 + sigma * sigma) });
  });

  it('f = (log a)′ and g² = (σ²)′ − 2fσ² in closed form (the derivatives written out), at t = 0.25', () => {
    // vp-linear (0.5, 4.5): (log a)′ = −B′/2 = −(0.5 + 4t)/2; (σ²)′ = B′e^{−B}; g² = B′e^{−B} + B′(1 − e^{−B}) = B′
    const t = 0.25;
    const lin = vpLinear(0.5, 4.5);
    close(lin.drift(t), -(0.5 + 4 * t) / 2);
    const B = 0.5 * t + 2 * t * t;
    close(lin.diffusionSquared(t), (0.5 + 4 * t) * Math.exp(-B) - 2 * lin.drift(t) * (1 - Math.exp(-B)), 4 * REL);
    // ve (0.5, 8): (σ²)′ = 2 log 16 · σ², f = 0
    const v = ve(0.5, 8);
    close(v.diffusionSquared(t), 2 * Math.log(16) * v.noiseVariance(t));
  });
});

describe('time domains: checkProcessTime, with the exact messages', () => {
  it('inclusive and exclusive upper ends, the lower end, non-finite times', () => {
    expect(() => checkProcessTime(vpLinear(), 1)).not.toThrow();
    expect(() => checkProcessTime(vpLinear(), 0)).not.toThrow();
    expect(() => checkProcessTime(vpLinear(), 1 + 2 ** -52)).toThrow(`vp-linear: time ${1 + 2 ** -52} outside the domain [0, 1]`);
    expect(() => checkProcessTime(vpCosine(), 1 - 2 ** -53)).not.toThrow();
    expect(() => checkProcessTime(vpCosine(), 1, 'start time')).toThrow('vp-cosine: start time 1 outside the domain [0, 1)');
    expect(() => checkProcessTime(vpConstant(), -(2 ** -1074))).toThrow(`vp-constant: time ${-(2 ** -1074)} outside the domain [0, Infinity)`);
    expect(() => checkProcessTime(vpConstant(), 1e300)).not.toThrow();
    expect(() => checkProcessTime(vpConstant(), Infinity)).toThrow('vp-constant: time Infinity outside the domain [0, Infinity)');
    expect(() => checkProcessTime(ve(), Number.NaN)).toThrow('ve: time NaN outside the domain [0, 1]');
    // edm's argument is σ: the domain is written (0, ∞)
    expect(() => checkProcessTime(edm(), -1)).toThrow('edm: time -1 outside the domain (0, Infinity)');
    expect(() => checkProcessTime(edm(), 0)).not.toThrow();
  });
});

describe('parameters: constructors and processFromDescription', () => {
  it('non-finite or non-positive parameters throw naming them; ordered pairs', () => {
    expect(() => vpConstant(0)).toThrow('diffusion process: β must be a finite number > 0, got 0');
    expect(() => vpConstant(Infinity)).toThrow('diffusion process: β must be a finite number > 0, got Infinity');
    expect(() => vpLinear(-1, 2)).toThrow('diffusion process: β_min must be a finite number > 0, got -1');
    expect(() => vpLinear(1, Number.NaN)).toThrow('diffusion process: β_max must be a finite number > 0, got NaN');
    expect(() => vpLinear(2, 1)).toThrow('vp-linear: β_max 1 < β_min 2');
    expect(() => vpCosine(0)).toThrow('diffusion process: s must be a finite number > 0, got 0');
    expect(() => ve(0, 1)).toThrow('diffusion process: σ_min must be a finite number > 0, got 0');
    expect(() => ve(1, -1)).toThrow('diffusion process: σ_max must be a finite number > 0, got -1');
    expect(() => ve(2, 2)).toThrow('ve: σ_max 2 must exceed σ_min 2');
    expect(() => ve(3, 2)).toThrow('ve: σ_max 2 must exceed σ_min 3');
  });

  it('descriptions: every name, the library defaults, the parameters given, and the refusals (exact messages)', () => {
    expect(PROCESS_NAMES).toEqual(['vp-constant', 'vp-linear', 'vp-cosine', 've', 'edm']);
    expect(processFromDescription({ name: 'vp-constant' }).parameters).toEqual({ name: 'vp-constant', beta: 1 });
    expect(processFromDescription({ name: 'vp-constant', beta: 3 }).parameters).toEqual({ name: 'vp-constant', beta: 3 });
    expect(processFromDescription({ name: 'vp-linear' }).parameters).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 20 });
    expect(processFromDescription({ name: 'vp-linear', betaMin: 1, betaMax: 2 }).parameters).toEqual({ name: 'vp-linear', betaMin: 1, betaMax: 2 });
    expect(processFromDescription({ name: 'vp-cosine' }).parameters).toEqual({ name: 'vp-cosine', s: 0.008 });
    expect(processFromDescription({ name: 'vp-cosine', s: 0.5 }).parameters).toEqual({ name: 'vp-cosine', s: 0.5 });
    expect(processFromDescription({ name: 've' }).parameters).toEqual({ name: 've', sigmaMin: 0.01, sigmaMax: 50 });
    expect(processFromDescription({ name: 've', sigmaMin: 1, sigmaMax: 4 }).parameters).toEqual({ name: 've', sigmaMin: 1, sigmaMax: 4 });
    expect(processFromDescription({ name: 'edm' }).parameters).toEqual({ name: 'edm' });
    expect(() => processFromDescription({ name: 'vp' })).toThrow('unknown diffusion process "vp" (known: vp-constant, vp-linear, vp-cosine, ve, edm)');
    expect(() => processFromDescription({})).toThrow('unknown diffusion process undefined (known: vp-constant, vp-linear, vp-cosine, ve, edm)');
    expect(() => processFromDescription({ name: 'vp-linear', beta: 1 })).toThrow('diffusion process vp-linear: unknown parameter beta (allowed: betaMin, betaMax)');
    expect(() => processFromDescription({ name: 'edm', sigma: 1 })).toThrow('diffusion process edm: unknown parameter sigma (allowed: none)');
    expect(() => processFromDescription({ name: 've', sigmaMax: '50' })).toThrow('diffusion process ve: parameter sigmaMax must be a number, got "50"');
    expect(() => processFromDescription({ name: 'vp-constant', beta: -2 })).toThrow('diffusion process: β must be a finite number > 0, got -2');
  });
});
