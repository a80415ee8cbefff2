/**
 * The fused GMM score + Euler–Maruyama kernel (src/kernels/gmm-euler-maruyama.ts, its run loop
 * src/kernels/gmm-euler-maruyama-run.ts): values by definition, written here.
 *
 * Schedule (compileGmmEulerMaruyamaSchedule), per step k of the grid t_0 > … > t_K:
 *   means/precision/logConst at step k = compileAtTime(q, t_k) (its documented source, so the SAME
 *   numbers; also checked against the closed form a_t m, 1/(a_t² v + 1 − e^{−t}) with a derived
 *   tolerance), h_k = t_k − t_{k+1}, √h_k, 1 + h_k/2.
 * Run loop: for every block b of BLOCK_SIZE particles (from..to), the normal source's
 *   forBlock(noise, b) filler gives each step's m·d normals, and each particle takes the step
 *   written in `referenceStep` below (the documented arithmetic of ./codegen.ts, operation for
 *   operation). Oracle: a replay of the whole run in this file over a schedule built BY HAND (dyadic
 *   numbers) with a scripted normal source (numbers chosen here) or the polar / ziggurat streams
 *   drawn here from the Rng: bit for bit, no tolerance (identical arithmetic in identical order).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { compileGmmEulerMaruyamaSchedule, runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat } from '../../src/kernels/gmm-euler-maruyama.ts';
import { POLAR_NORMALS, ZIGGURAT_NORMALS, runGmmEulerMaruyamaWith, type GmmEulerMaruyamaSchedule, type NormalSource } from '../../src/kernels/gmm-euler-maruyama-run.ts';
import { fillNormalZiggurat, xoshiroState } from '../../src/kernels/ziggurat.ts';
import { explicitGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import { compileAtTime } from '../../src/scores/gaussian-mixture-score.ts';
import { expectSameBits } from '../support/contracts.ts';

const BLOCK = 256; // BLOCK_SIZE of src/samplers/noise-blocks.ts, written here (the block split is part of the contract)

/** A schedule built by hand: every number dyadic, every step different (so a wrong step offset shows). */
function handSchedule(layout: 'isotropic' | 'diagonal', d: number, K: number, steps: number): GmmEulerMaruyamaSchedule {
  const pk = layout === 'isotropic' ? K : K * d;
  const means = new Float64Array(steps * K * d);
  const precision = new Float64Array(steps * pk);
  const logConst = new Float64Array(steps * K);
  const h = new Float64Array(steps);
  const sqrtH = new Float64Array(steps);
  const drift = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) means[(s * K + k) * d + j] = (((3 * k + 5 * j + 7 * s) % 9) - 4) / 4;
      logConst[s * K + k] = -((k + 2 * s) % 5) / 8;
    }
    for (let p = 0; p < pk; p++) precision[s * pk + p] = [0.5, 1, 2, 0.75][(p + s) % 4]!;
    h[s] = 2 ** (-2 * (s + 2));
    sqrtH[s] = 2 ** -(s + 2);
    drift[s] = 1 + 0.5 * h[s]!;
  }
  return { dim: d, K, steps, layout, means, precision, logConst, h, sqrtH, drift };
}

/** One Euler–Maruyama step of particle rows y[0..m·d) at schedule step k (the documented arithmetic). */
function referenceStep(s: GmmEulerMaruyamaSchedule, k: number, y: Float64Array, m: number, z: Float64Array): void {
  const { dim: d, K } = s;
  const iso = s.layout === 'isotropic';
  const pk = iso ? K : K * d;
  const mu = (kk: number, j: number) => s.means[(k * K + kk) * d + j]!;
  const p = (kk: number, j: number) => s.precision[k * pk + (iso ? kk : kk * d + j)]!;
  for (let i = 0; i < m; i++) {
    const row = y.subarray(i * d, (i + 1) * d);
    const g: number[] = [];
    for (let kk = 0; kk < K; kk++) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = row[j]! - mu(kk, j);
        q += iso ? diff * diff : diff * diff * p(kk, j);
      }
      g.push(iso ? s.logConst[k * K + kk]! - 0.5 * p(kk, 0) * q : s.logConst[k * K + kk]! - 0.5 * q);
    }
    let max = -Infinity;
    for (const v of g) if (v > max) max = v;
    const e = g.map((v) => Math.exp(v - max));
    let sum = 0;
    for (const v of e) sum += v;
    const inv = 1 / sum;
    const score = new Array<number>(d).fill(0);
    for (let kk = 0; kk < K; kk++) {
      for (let j = 0; j < d; j++) {
        const diff = row[j]! - mu(kk, j);
        score[j] = score[j]! - (iso ? e[kk]! * inv * p(kk, 0) * diff : e[kk]! * inv * p(kk, j) * diff);
      }
    }
    for (let j = 0; j < d; j++) row[j] = s.drift[k]! * row[j]! + s.h[k]! * score[j]! + s.sqrtH[k]! * z[i * d + j]!;
  }
}

/** The whole run replayed: blocks [from, to), a filler per block, `steps` fills per block. */
function referenceRun(s: GmmEulerMaruyamaSchedule, x: Float64Array, n: number, fillerOf: (b: number) => (z: Float64Array) => void, from = 0, to = Math.ceil(n / BLOCK)): void {
  const d = s.dim;
  for (let b = from; b < to; b++) {
    const m = Math.min(BLOCK, n - b * BLOCK);
    const fill = fillerOf(b);
    const y = x.subarray(b * BLOCK * d, (b * BLOCK + m) * d);
    for (let k = 0; k < s.steps; k++) {
      const z = new Float64Array(m * d);
      fill(z);
      referenceStep(s, k, y, m, z);
    }
  }
}

/** Scripted normals: value of entry i of fill number c of block b (dyadic, in [−1.5, 1.5]). */
const scripted = (b: number, c: number, i: number): number => (((b * 31 + c * 7 + i * 3) % 13) - 6) / 4;

/** A NormalSource that returns the scripted numbers and records every fill (block, length). */
function scriptedSource(calls: [number, number][]): NormalSource {
  return {
    name: 'polar',
    forBlock: (_noise, b) => {
      let c = 0;
      return (z) => {
        calls.push([b, z.length]);
        for (let i = 0; i < z.length; i++) z[i] = scripted(b, c, i);
        c++;
      };
    },
  };
}
const scriptedFiller = (b: number) => {
  let c = 0;
  return (z: Float64Array) => {
    for (let i = 0; i < z.length; i++) z[i] = scripted(b, c, i);
    c++;
  };
};

const startValues = (len: number): Float64Array => Float64Array.from({ length: len }, (_, i) => (((i * 5) % 17) - 8) / 8);

/** Fills the run must make: one per step for each block in [from, to), of m·d numbers. */
function expectedCalls(n: number, d: number, steps: number, from = 0, to = Math.ceil(n / BLOCK)): [number, number][] {
  const out: [number, number][] = [];
  for (let b = from; b < to; b++) for (let k = 0; k < steps; k++) out.push([b, Math.min(BLOCK, n - b * BLOCK) * d]);
  return out;
}

describe('run loop = hand replay with scripted normals, bit for bit', () => {
  const shapes: [('isotropic' | 'diagonal'), number, number, number, number][] = [
    // layout, d, K, steps, n
    ['isotropic', 1, 1, 3, 1],
    ['isotropic', 2, 3, 2, BLOCK + 3],
    ['diagonal', 3, 2, 3, BLOCK],
    ['diagonal', 2, 3, 2, 2 * BLOCK + 5],
    ['isotropic', 3, 2, 1, 7],
    // K·d = 330 > CODEGEN_LIMIT = 320: no generated kernel, the loop kernel runs
    ['isotropic', 33, 10, 2, 3],
    ['diagonal', 33, 10, 2, 2],
  ];
  for (const [layout, d, K, steps, n] of shapes) {
    for (const kernel of ['auto', 'loop'] as const) {
      it(`${layout} d = ${d}, K = ${K}, ${steps} steps, n = ${n}, kernel ${kernel}`, () => {
        const s = handSchedule(layout, d, K, steps);
        const x = startValues(n * d);
        const want = x.slice();
        const calls: [number, number][] = [];
        runGmmEulerMaruyamaWith(scriptedSource(calls), x, s, { n, noise: Rng.fromSeed(1), kernel });
        referenceRun(s, want, n, scriptedFiller);
        expectSameBits(x, want);
        expect(calls).toEqual(expectedCalls(n, d, steps));
      });
    }
  }

  test.prop([fc.constantFrom<'isotropic' | 'diagonal'>('isotropic', 'diagonal'), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 * BLOCK + 9 })], { numRuns: 12 })(
    'random shapes',
    (layout, d, K, steps, n) => {
      const s = handSchedule(layout, d, K, steps);
      const x = startValues(n * d);
      const want = x.slice();
      const calls: [number, number][] = [];
      runGmmEulerMaruyamaWith(scriptedSource(calls), x, s, { n, noise: Rng.fromSeed(2) });
      referenceRun(s, want, n, scriptedFiller);
      expectSameBits(x, want);
      expect(calls).toEqual(expectedCalls(n, d, steps));
    },
  );
});

describe('blocks: only [from, to) runs, clamped to the blocks that exist', () => {
  const s = () => handSchedule('diagonal', 2, 2, 2);
  const n = 2 * BLOCK + 5; // 3 blocks
  const cases: [{ from: number; to: number } | { from: number } | { to: number }, number, number][] = [
    [{ from: 1, to: 2 }, 1, 2],
    [{ from: 1 } as { from: number; to: number }, 1, 3],
    [{ to: 1 } as { from: number; to: number }, 0, 1],
    [{ from: 0, to: 99 }, 0, 3],
    [{ from: 2, to: 3 }, 2, 3],
  ];
  for (const [blocks, from, to] of cases) {
    it(`blocks ${JSON.stringify(blocks)} runs blocks ${from}..${to - 1}`, () => {
      const sched = s();
      const x = startValues(n * 2);
      const want = x.slice();
      const calls: [number, number][] = [];
      runGmmEulerMaruyamaWith(scriptedSource(calls), x, sched, { n, noise: Rng.fromSeed(3), blocks: blocks as { from: number; to: number } });
      referenceRun(sched, want, n, scriptedFiller, from, to);
      expectSameBits(x, want);
      expect(calls).toEqual(expectedCalls(n, 2, 2, from, to));
    });
  }
});

describe('request checks: exact messages', () => {
  it('n must be a non-negative integer; x must hold n·d numbers; n = 0 is an empty run', () => {
    const s = handSchedule('isotropic', 2, 1, 1);
    const noise = Rng.fromSeed(4);
    expect(() => runGmmEulerMaruyama(new Float64Array(3), s, { n: 1.5, noise })).toThrow(new Error('runGmmEulerMaruyama: n = 1.5 must be a non-negative integer'));
    expect(() => runGmmEulerMaruyama(new Float64Array(0), s, { n: -1, noise })).toThrow(new Error('runGmmEulerMaruyama: n = -1 must be a non-negative integer'));
    expect(() => runGmmEulerMaruyama(new Float64Array(5), s, { n: 2, noise })).toThrow(new Error('runGmmEulerMaruyama: 5 numbers for 2 particles of dimension 2'));
    expect(() => runGmmEulerMaruyamaZiggurat(new Float64Array(3), s, { n: 2, noise })).toThrow(new Error('runGmmEulerMaruyama: 3 numbers for 2 particles of dimension 2'));
    const calls: [number, number][] = [];
    expect(() => runGmmEulerMaruyamaWith(scriptedSource(calls), new Float64Array(0), s, { n: 0, noise })).not.toThrow();
    expect(calls).toEqual([]);
  });
});

describe('normal sources', () => {
  it('POLAR_NORMALS: block b continues one noise.derive(b) polar stream across fills', () => {
    expect(POLAR_NORMALS.name).toBe('polar');
    const noise = Rng.fromSeed(5).derive('noise');
    for (const b of [0, 3]) {
      const fill = POLAR_NORMALS.forBlock(noise, b);
      const a = new Float64Array(3);
      const c = new Float64Array(4);
      fill(a);
      fill(c);
      const want = Rng.fromPath(5, 'noise', b).normals(7);
      expectSameBits(Float64Array.from([...a, ...c]), want, `block ${b}`);
    }
  });

  it('ZIGGURAT_NORMALS: block b continues one ziggurat stream on noise.derive(b)’s xoshiro state', () => {
    expect(ZIGGURAT_NORMALS.name).toBe('ziggurat');
    const noise = Rng.fromSeed(6).derive('noise');
    for (const b of [0, 2]) {
      const fill = ZIGGURAT_NORMALS.forBlock(noise, b);
      const a = new Float64Array(3);
      const c = new Float64Array(4);
      fill(a);
      fill(c);
      const want = new Float64Array(7);
      fillNormalZiggurat(xoshiroState(Rng.fromPath(6, 'noise', b).state().s), want, 0, 7);
      expectSameBits(Float64Array.from([...a, ...c]), want, `block ${b}`);
      // different numbers from the polar stream of the same block
      expect(want[0]).not.toBe(Rng.fromPath(6, 'noise', b).normals(1)[0]);
    }
  });

  const runs = [
    ['runGmmEulerMaruyama', runGmmEulerMaruyama, (noise: Rng, b: number) => {
      const r = noise.derive(b);
      return (z: Float64Array) => r.fillNormal(z);
    }],
    ['runGmmEulerMaruyamaZiggurat', runGmmEulerMaruyamaZiggurat, (noise: Rng, b: number) => {
      const st = xoshiroState(noise.derive(b).state().s);
      return (z: Float64Array) => fillNormalZiggurat(st, z, 0, z.length);
    }],
  ] as const;
  for (const [name, run, filler] of runs) {
    for (const kernel of ['auto', 'loop'] as const) {
      it(`${name} (kernel ${kernel}) = hand replay with its noise drawn here`, () => {
        const s = handSchedule('isotropic', 2, 2, 3);
        const n = BLOCK + 2;
        const noise = Rng.fromSeed(7).derive('noise');
        const x = startValues(n * 2);
        const want = x.slice();
        run(x, s, { n, noise, kernel });
        referenceRun(s, want, n, (b) => filler(noise, b));
        expectSameBits(x, want);
      });
    }
  }
});

/**
 * Closed form of the compiled step parameters (a_t = e^{−t/2}, S_k(t) = a_t² v_k + 1 − e^{−t}):
 * each side takes ≤ 6 roundings of numbers of size ≤ max(1, |m|, v) (exp, product, expm1, sum, log,
 * reciprocal), relative error ≤ 6u each; compared with |Δ| ≤ 32u·(1 + |value|) (u = 2⁻⁵³), a margin
 * of ~2.5 over the 12u of the two sides. The schedule must equal compileAtTime bit for bit anyway;
 * this only pins that the numbers are the ones named.
 */
const CLOSED_FORM_ABS = (v: number) => 32 * 2 ** -53 * (1 + Math.abs(v));

describe('compileGmmEulerMaruyamaSchedule', () => {
  const isoQ = () => gaussianMixture([0.25, 0.75], [isotropicGaussian([1, -2], 0.5), isotropicGaussian([-0.5, 3], 2)]);
  const mixedQ = () => gaussianMixture([0.5, 0.25, 0.25], [isotropicGaussian([1, 0], 0.5), diagonalGaussian([0, 2], [0.25, 4]), isotropicGaussian([-1, -1], 1.5)]);
  const grid = () => explicitGrid([2, 1.5, 0.75, 0.5]);

  for (const [label, q, layout, pk] of [['isotropic', isoQ, 'isotropic', 2], ['isotropic + diagonal', mixedQ, 'diagonal', 6]] as const) {
    it(`${label}: per-step parameters = compileAtTime at t_k; h, √h, 1 + h/2`, () => {
      const qq = q();
      const g = grid();
      const s = compileGmmEulerMaruyamaSchedule(qq, g);
      const K = qq.components.length;
      expect([s.dim, s.K, s.steps, s.layout]).toEqual([2, K, 3, layout]);
      expect([s.means.length, s.precision.length, s.logConst.length, s.h.length, s.sqrtH.length, s.drift.length]).toEqual([3 * K * 2, 3 * pk, 3 * K, 3, 3, 3]);
      for (let k = 0; k < 3; k++) {
        const c = compileAtTime(qq, g.times[k]!);
        expectSameBits(s.means.slice(k * K * 2, (k + 1) * K * 2), c.means, `means at step ${k}`);
        expectSameBits(s.precision.slice(k * pk, (k + 1) * pk), c.precision, `precision at step ${k}`);
        expectSameBits(s.logConst.slice(k * K, (k + 1) * K), c.logConst, `logConst at step ${k}`);
        // closed form of the means and precisions
        const t = g.times[k]!;
        const a = Math.exp(-t / 2);
        for (let kk = 0; kk < K; kk++) {
          const comp = qq.components[kk]!;
          for (let j = 0; j < 2; j++) {
            const m = a * comp.mean[j]!;
            expect(Math.abs(s.means[(k * K + kk) * 2 + j]! - m)).toBeLessThanOrEqual(CLOSED_FORM_ABS(m));
            const v = comp.kind === 'isotropic' ? comp.cov[0]! : comp.cov[j * 2 + j]!;
            const prec = 1 / (a * a * v + 1 - Math.exp(-t));
            const got = layout === 'isotropic' ? s.precision[k * pk + kk]! : s.precision[k * pk + kk * 2 + j]!;
            expect(Math.abs(got - prec)).toBeLessThanOrEqual(CLOSED_FORM_ABS(prec));
          }
        }
      }
      // grid 2, 1.5, 0.75, 0.5: h = 0.5, 0.75, 0.25 exactly; √0.25 = 0.5; 1 + h/2 exact
      expect(Array.from(s.h)).toEqual([0.5, 0.75, 0.25]);
      expect(Array.from(s.sqrtH)).toEqual([Math.sqrt(0.5), Math.sqrt(0.75), 0.5]);
      expect(Array.from(s.drift)).toEqual([1.25, 1.375, 1.125]);
    });
  }

  it('diagonal first, then isotropic: still the diagonal layout', () => {
    const q = gaussianMixture([0.5, 0.5], [diagonalGaussian([0, 2], [0.25, 4]), isotropicGaussian([1, 0], 0.5)]);
    const s = compileGmmEulerMaruyamaSchedule(q, explicitGrid([1, 0.5]));
    expect(s.layout).toBe('diagonal');
    expectSameBits(s.precision, compileAtTime(q, 1).precision);
  });

  it('full covariances are refused, wherever they are (exact message)', () => {
    const msg = 'compileGmmEulerMaruyamaSchedule: full covariances are not supported by the fused kernel (use sampler(...).run)';
    const full = fullGaussian([0, 0], [1, 0.5, 0.5, 1]);
    expect(() => compileGmmEulerMaruyamaSchedule(gaussianMixture([1], [full]), explicitGrid([1, 0.5]))).toThrow(new Error(msg));
    expect(() => compileGmmEulerMaruyamaSchedule(gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), full]), explicitGrid([1, 0.5]))).toThrow(new Error(msg));
  });

  it('compiled schedule + run = hand replay over the same schedule (polar noise)', () => {
    const q = mixedQ();
    const s = compileGmmEulerMaruyamaSchedule(q, grid());
    const n = 9;
    const noise = Rng.fromSeed(8);
    const x = startValues(n * 2);
    const want = x.slice();
    runGmmEulerMaruyama(x, s, { n, noise });
    referenceRun(s, want, n, (b) => {
      const r = noise.derive(b);
      return (z) => r.fillNormal(z);
    });
    expectSameBits(x, want);
  });
});
