/**
 * Run-time specialised step kernels (src/kernels/codegen.ts) against a plain-loop reference written
 * here: one Euler–Maruyama step of m particles with the exact GMM score, in the documented operation
 * order (module comment of codegen.ts):
 *   q_k = Σ_j diff_j² (isotropic) or Σ_j diff_j²·p_kj (diagonal), diff_j = x_j − μ_kj, in j order;
 *   g_k = lc_k − (0.5·p_k)·q_k (isotropic) or lc_k − 0.5·q_k (diagonal);
 *   max by strict > from −∞; e_k = exp(g_k − max); sum in k order; inv = 1/sum;
 *   coefficient (e_k·inv)·p_k (isotropic) or w_k = e_k·inv (diagonal), skipped when it is 0;
 *   s_j = 0 − Σ_k coef·diff_j (isotropic) or − Σ_k (w_k·p_kj)·diff_j (diagonal), in k order;
 *   x_j ← (c·x_j + h·s_j) + sh·z_j,
 * reading means at mu[mo + k·d + j], precisions at prec[po + k] / prec[po + k·d + j], log constants
 * at lc[ko + k], particle i at x[i·d + j] and its normals at z[i·d + j]. Identical arithmetic in
 * identical order: bit for bit, no tolerance. Plus the shape refusals (exact messages), the
 * CODEGEN_LIMIT boundary, the hoisting boundary, and the caches (one function object per key).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { CODEGEN_LIMIT, kernelSource, loopKernel, stepKernel, type StepKernel } from '../../src/kernels/codegen.ts';
import { Rng } from '../../src/random/rng.ts';
import { expectSameBits } from '../support/contracts.ts';

type Layout = 'isotropic' | 'diagonal';

interface Inputs {
  mu: Float64Array;
  prec: Float64Array;
  lc: Float64Array;
  mo: number;
  po: number;
  ko: number;
  h: number;
  sh: number;
  c: number;
  x: Float64Array;
  m: number;
  z: Float64Array;
}

function reference(layout: Layout, d: number, K: number, a: Inputs): Float64Array {
  const iso = layout === 'isotropic';
  const x = a.x.slice();
  const mu = (k: number, j: number) => a.mu[a.mo + k * d + j]!;
  const p = (k: number, j: number) => (iso ? a.prec[a.po + k]! : a.prec[a.po + k * d + j]!);
  for (let i = 0; i < a.m; i++) {
    const row = x.subarray(i * d, (i + 1) * d);
    const g: number[] = [];
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = row[j]! - mu(k, j);
        q = q + (iso ? diff * diff : diff * diff * p(k, j));
      }
      g.push(iso ? a.lc[a.ko + k]! - (0.5 * p(k, 0)) * q : a.lc[a.ko + k]! - 0.5 * q);
    }
    let max = -Infinity;
    for (const v of g) if (v > max) max = v;
    const e = g.map((v) => Math.exp(v - max));
    let sum = 0;
    for (const v of e) sum = sum + v;
    const inv = 1 / sum;
    const s = new Array<number>(d).fill(0);
    for (let k = 0; k < K; k++) {
      const w = iso ? (e[k]! * inv) * p(k, 0) : e[k]! * inv;
      if (w === 0) continue;
      for (let j = 0; j < d; j++) s[j] = s[j]! - (iso ? w * (row[j]! - mu(k, j)) : (w * p(k, j)) * (row[j]! - mu(k, j)));
    }
    for (let j = 0; j < d; j++) row[j] = a.c * row[j]! + a.h * s[j]! + a.sh * a.z[i * d + j]!;
  }
  return x;
}

/** Inputs of the second step of a 3-step schedule (non-zero offsets), values from a seeded stream. */
function inputs(layout: Layout, d: number, K: number, m: number, seed: number): Inputs {
  const r = Rng.fromSeed(seed).derive('codegen-values');
  const pk = layout === 'isotropic' ? K : K * d;
  const mu = Float64Array.from({ length: 3 * K * d }, () => 2 * r.normal());
  const prec = Float64Array.from({ length: 3 * pk }, () => 0.25 + 2 * r.uniform());
  const lc = Float64Array.from({ length: 3 * K }, () => -r.uniform() - 0.5);
  return {
    mu,
    prec,
    lc,
    mo: K * d,
    po: pk,
    ko: K,
    h: 0.0625 + r.uniform() / 8,
    sh: 0.25 + r.uniform() / 4,
    c: 1 + r.uniform() / 16,
    x: Float64Array.from({ length: m * d + d }, () => 1.5 * r.normal()), // one row beyond m: must stay untouched
    m,
    z: Float64Array.from({ length: m * d + d }, () => r.normal()),
  };
}

const call = (f: StepKernel, a: Inputs): Float64Array => {
  const x = a.x.slice();
  f(a.mu, a.prec, a.lc, a.mo, a.po, a.ko, a.h, a.sh, a.c, x, a.m, a.z);
  return x;
};
const callLoop = (layout: Layout, instance: string, d: number, K: number, a: Inputs): Float64Array => {
  const x = a.x.slice();
  loopKernel(layout, instance)(a.mu, a.prec, a.lc, a.mo, a.po, a.ko, a.h, a.sh, a.c, x, a.m, a.z, d, K, new Float64Array(K), new Float64Array(d));
  return x;
};

const shapeArb = fc.record({
  layout: fc.constantFrom<Layout>('isotropic', 'diagonal'),
  d: fc.integer({ min: 1, max: 6 }),
  K: fc.integer({ min: 1, max: 5 }),
  m: fc.integer({ min: 0, max: 9 }),
  seed: fc.integer(),
});

describe('generated kernels = plain-loop reference, bit for bit', () => {
  test.prop([shapeArb], { numRuns: 40 })('specialised (hoisted), constant-offset and loop kernels', ({ layout, d, K, m, seed }) => {
    const a = inputs(layout, d, K, m, seed);
    const want = reference(layout, d, K, a);
    expectSameBits(call(stepKernel(layout, d, K)!, a), want, 'stepKernel');
    const noHoist = new Function('mu', 'prec', 'lc', 'mo', 'po', 'ko', 'h', 'sh', 'c', 'x', 'm', 'z', kernelSource(layout, d, K, false)) as StepKernel;
    expectSameBits(call(noHoist, a), want, 'constant offsets');
    expectSameBits(callLoop(layout, 'codegen-values', d, K, a), want, 'loopKernel');
  });

  for (const layout of ['isotropic', 'diagonal'] as const) {
    it(`${layout}: largest generated shape K·d = 320 and the loop kernel above it (K·d = 330)`, () => {
      const a = inputs(layout, 32, 10, 2, 11);
      expectSameBits(call(stepKernel(layout, 32, 10)!, a), reference(layout, 32, 10, a));
      const b = inputs(layout, 33, 10, 2, 12);
      expectSameBits(callLoop(layout, 'big', 33, 10, b), reference(layout, 33, 10, b));
    });

    it(`${layout}: a component whose responsibility underflows to 0 is skipped (its infinite distance never multiplies 0)`, () => {
      // component 1 sits at +∞ in coordinate 0: g_1 = −∞, e_1 = 0, so its coefficient is 0 and the
      // skip keeps 0·(x − ∞) = NaN out of the score
      const d = 2;
      const K = 2;
      const pk = layout === 'isotropic' ? K : K * d;
      const a: Inputs = {
        mu: Float64Array.from([0.5, -0.25, Infinity, 1]),
        prec: new Float64Array(pk).fill(2),
        lc: Float64Array.from([-0.5, -0.75]),
        mo: 0,
        po: 0,
        ko: 0,
        h: 0.125,
        sh: 0.5,
        c: 1.0625,
        x: Float64Array.from([1, 2, -1, 0.5]),
        m: 2,
        z: Float64Array.from([0.25, -0.5, 1, 0]),
      };
      const want = reference(layout, d, K, a);
      for (const v of want) expect(Number.isFinite(v)).toBe(true);
      expectSameBits(call(stepKernel(layout, d, K)!, a), want, 'stepKernel');
      expectSameBits(callLoop(layout, 'skip', d, K, a), want, 'loopKernel');
    });
  }

  it('exact numbers by hand: d = 1, K = 1, one particle (isotropic and diagonal)', () => {
    // μ = 1, p = 2, x = 3, z = 1/2, h = 1/4, √h = 1/2, c = 9/8: one component, weight 1,
    // score = −p (x − μ) = −4; x ← 9/8·3 + 1/4·(−4) + 1/2·1/2 = 27/8 − 1 + 1/4 = 21/8
    for (const layout of ['isotropic', 'diagonal'] as const) {
      const a: Inputs = { mu: Float64Array.from([1]), prec: Float64Array.from([2]), lc: Float64Array.from([-3]), mo: 0, po: 0, ko: 0, h: 0.25, sh: 0.5, c: 1.125, x: Float64Array.from([3]), m: 1, z: Float64Array.from([0.5]) };
      expect(call(stepKernel(layout, 1, 1)!, a)[0]).toBe(21 / 8);
      expect(callLoop(layout, 'hand', 1, 1, a)[0]).toBe(21 / 8);
    }
  });
});

describe('shapes, limits, caches', () => {
  it('bad shapes are refused (exact messages)', () => {
    for (const [d, K] of [[0, 1], [1, 0], [1.5, 2], [2, 2.5], [-1, 3], [Number.NaN, 1]] as const) {
      expect(() => stepKernel('isotropic', d, K)).toThrow(new Error(`stepKernel: bad shape d = ${d}, K = ${K}`));
    }
  });

  it('CODEGEN_LIMIT = 320: a kernel up to K·d = 320, null above', () => {
    expect(CODEGEN_LIMIT).toBe(320);
    expect(typeof stepKernel('isotropic', 320, 1)).toBe('function');
    expect(typeof stepKernel('diagonal', 1, 320)).toBe('function');
    expect(stepKernel('isotropic', 321, 1)).toBeNull();
    expect(stepKernel('diagonal', 107, 3)).toBeNull();
  });

  it('one generated function per (layout, d, K); one loop kernel per (layout, instance)', () => {
    const a = stepKernel('isotropic', 3, 2);
    expect(stepKernel('isotropic', 3, 2)).toBe(a);
    expect(stepKernel('diagonal', 3, 2)).not.toBe(a);
    expect(stepKernel('isotropic', 2, 3)).not.toBe(a);
    expect(stepKernel('diagonal', 3, 2)).toBe(stepKernel('diagonal', 3, 2));
    const l = loopKernel('isotropic', 'polar');
    expect(loopKernel('isotropic', 'polar')).toBe(l);
    expect(loopKernel('isotropic', 'ziggurat')).not.toBe(l);
    expect(loopKernel('diagonal', 'polar')).not.toBe(l);
  });

  test.prop([shapeArb, fc.boolean()], { numRuns: 30 })('the generated code reads only the step’s own entries and declares no unused local', ({ layout, d, K }, hoist) => {
    // a read past the step's range would mix in the next step's (or particle's) numbers, or read
    // past the array (undefined, and a slow path of the JIT); an unused local is a dead load in the
    // particle loop, the code this module exists to make fast
    const src = kernelSource(layout, d, K, hoist);
    const pk = layout === 'isotropic' ? K : K * d;
    const bound: Record<string, number> = { 'mu[mo': K * d, 'prec[po': pk, 'lc[ko': K, 'x[b': d, 'z[b': d };
    let reads = 0;
    for (const [, arr, off] of src.matchAll(/\b(mu\[mo|prec\[po|lc\[ko|x\[b|z\[b) \+ (\d+)\]/g)) {
      expect(Number(off), `${arr} + ${off}] in ${layout} d = ${d}, K = ${K}`).toBeLessThan(bound[arr!]!);
      reads++;
    }
    expect(reads).toBeGreaterThanOrEqual(K + 2 * d); // at least lc, x and z (means and precisions too)
    for (const [, name] of src.matchAll(/\b(?:const|let) (\w+) =/g)) {
      expect(src.match(new RegExp(`\\b${name}\\b`, 'g'))!.length, `local ${name} used`).toBeGreaterThan(1);
    }
  });

  it('the generated source is straight-line, hoisted up to K·d = 320, at constant offsets above', () => {
    for (const [layout, d, K] of [['isotropic', 3, 4], ['diagonal', 5, 2]] as const) {
      const src = kernelSource(layout, d, K);
      expect(src.match(/for \(/g)?.length).toBe(1);
      expect(src).toContain(`const m${K - 1}_${d - 1} = mu[mo + ${K * d - 1}];`);
    }
    expect(kernelSource('diagonal', 32, 10)).toContain('const p9_31 = prec[po + 319];');
    const big = kernelSource('diagonal', 33, 10);
    expect(big).not.toContain('const m0_0');
    expect(big).toContain('mu[mo + 329]');
    expect(big).toContain('prec[po + 329]');
  });
});
