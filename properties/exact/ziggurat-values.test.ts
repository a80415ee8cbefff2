/**
 * The ziggurat normal generator (src/kernels/ziggurat.ts): tables against their defining equations,
 * and every output against a replay of the documented draw written here.
 *
 * Tables (256 layers, f(x) = e^{−x²/2}, R = 3.6541528853610088, A = 0.00492867323399):
 *   X[1] = R, X[0] = A/f(R) (the base strip, tail included, as a rectangle of area A),
 *   every layer i = 1..254 has area A: X[i]·(f(X[i+1]) − f(X[i])) = A, and the top layer closes the
 *   construction X[255]·(1 − f(X[255])) = A (up to the 12 digits of the published A), X[256] = 0.
 * Draw of one normal from two xoshiro128** outputs r1, r2 (the raw stream is `Rng.nextUint32` on
 * the same state: the generator is documented as the same xoshiro128** as `Rng`):
 *   i = r2 mod 256, U = (r1·2²¹ + ⌊r2/2¹¹⌋)·2⁻⁵³, u = 2U − 1;
 *   |u| < X[i+1]/X[i]: return u·X[i];
 *   i = 0: tail: x = ln(1 − V1)/R, y = ln(1 − V2) until −2y ≥ x², return R − x (u > 0) or x − R (u < 0);
 *   else: x = u·X[i], accept if f(X[i]) + V·(f(X[i+1]) − f(X[i])) < f(x), else draw again;
 *   V = (⌊o1/2⁵⌋·2²⁶ + ⌊o2/2⁶⌋)·2⁻⁵³ from the next two outputs o1, o2.
 * The replay computes its own tables by the recurrence solved for X[i] (the same arithmetic, so the
 * same bits; the area equations are checked separately with a derived tolerance): bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { fillNormalZiggurat, xoshiroState, ZIGGURAT } from '../../src/kernels/ziggurat.ts';
import { Rng } from '../../src/random/rng.ts';
import { expectSameBits } from '../support/contracts.ts';

const R = 3.6541528853610088;
const A = 0.00492867323399;
const f = (x: number): number => Math.exp(-(x * x) / 2);

/** X by the defining recurrence: X[i] solves X[i−1]·(f(X[i]) − f(X[i−1])) = A. */
function tables(): { X: Float64Array; F: Float64Array } {
  const X = new Float64Array(257);
  X[0] = A / f(R);
  X[1] = R;
  for (let i = 2; i < 256; i++) X[i] = Math.sqrt(-2 * Math.log(A / X[i - 1]! + f(X[i - 1]!)));
  X[256] = 0;
  return { X, F: X.map(f) };
}

const U = 2 ** -53;
/**
 * Area of layer i − 1 recomputed from the stored edges: f(X[i]) is recomputed here with relative
 * error ≤ (5 + 2 X[i]²) u ≤ 32 u (x² ≤ R² < 13.4: ln, product, sqrt of the recurrence, then exp of
 * −x²/2 amplify a relative error of x² by x²/2), f(X[i−1]) likewise, so the difference is off by
 * ≤ 64 u absolutely (f ≤ 1) and the area X[i−1]·(…) by ≤ R·64 u + A·2u < 240 u. Charged 512 u.
 */
const AREA_ABS = 512 * U;

/** A state whose first two xoshiro128** outputs are r1, r2 (the output map s1 ↦ rotl(5 s1, 7)·9 inverted). */
function stateFor(r1: number, r2: number, s3 = 0x2545f491): [number, number, number, number] {
  const inv = (r: number): number => {
    const a = Math.imul(r | 0, 0x38e38e39); // 9⁻¹ mod 2³²
    const b = (a >>> 7) | (a << 25); // rotr 7
    return Math.imul(b, 0xcccccccd); // 5⁻¹ mod 2³²
  };
  const s1 = inv(r1);
  const s1Next = inv(r2); // s1 after one step = s1 ^ s2 ^ s0
  return [0, s1, s1 ^ s1Next, s3 | 0];
}

/** The output map's inverse: the s1 whose xoshiro128** output is r. */
const s1For = (r: number): number => {
  const a = Math.imul(r | 0, 0x38e38e39); // 9⁻¹ mod 2³²
  return Math.imul((a >>> 7) | (a << 25), 0xcccccccd); // rotr 7, then 5⁻¹ mod 2³²
};

/**
 * A state whose first four xoshiro128** outputs are the given ones. The state transition is linear
 * over GF(2) and output k is a bijection of s1 before step k, so this solves the 128 × 128 system
 * "s1 at steps 1..4 = s1For(output k)" by Gaussian elimination (bit b of the state is bit b % 32
 * of word ⌊b/32⌋). Throws if the system is singular.
 */
function stateFor4(outputs: readonly [number, number, number, number]): [number, number, number, number] {
  const s1Sequence = (st: number[]): number[] => {
    let [s0, s1, s2, s3] = st as [number, number, number, number];
    const seq: number[] = [];
    for (let k = 0; k < 4; k++) {
      seq.push(s1 >>> 0);
      const t = s1 << 9;
      const n2 = s2 ^ s0;
      const n3 = s3 ^ s1;
      s1 ^= n2;
      s0 ^= n3;
      s2 = n2 ^ t;
      s3 = (n3 << 11) | (n3 >>> 21);
    }
    return seq;
  };
  const bit = (words: number[], b: number): bigint => BigInt((words[b >> 5]! >>> (b & 31)) & 1);
  // column c: image of unit state c; row r of the system: which state bits flip output bit r
  const rows: bigint[] = new Array(128).fill(0n);
  for (let c = 0; c < 128; c++) {
    const e = [0, 0, 0, 0];
    e[c >> 5] = 1 << (c & 31);
    const img = s1Sequence(e);
    for (let r = 0; r < 128; r++) if (bit(img, r)) rows[r] = rows[r]! | (1n << BigInt(c));
  }
  const target = outputs.map(s1For);
  for (let r = 0; r < 128; r++) rows[r] = rows[r]! | (bit(target, r) << 128n);
  for (let c = 0; c < 128; c++) {
    const p = rows.findIndex((row, r) => r >= c && ((row >> BigInt(c)) & 1n) === 1n);
    if (p < 0) throw new Error(`stateFor4: singular at column ${c}`);
    [rows[c], rows[p]] = [rows[p]!, rows[c]!];
    for (let r = 0; r < 128; r++) if (r !== c && ((rows[r]! >> BigInt(c)) & 1n) === 1n) rows[r] = rows[r]! ^ rows[c]!;
  }
  const st = [0, 0, 0, 0];
  for (let c = 0; c < 128; c++) if ((rows[c]! >> 128n) & 1n) st[c >> 5] = st[c >> 5]! | (1 << (c & 31));
  return [st[0]! | 0, st[1]! | 0, st[2]! | 0, st[3]! | 0];
}

interface Counts {
  core: number;
  tail: number;
  tailRetry: number;
  wedgeAccept: number;
  wedgeReject: number;
  negTail: number;
}

/** The documented draw replayed on the raw stream of `rng`. */
function replay(rng: Rng, count: number, counts?: Counts): Float64Array {
  const { X, F } = tables();
  const uni = (): number => (Math.floor(rng.nextUint32() / 32) * 2 ** 26 + Math.floor(rng.nextUint32() / 64)) * U;
  const out = new Float64Array(count);
  for (let o = 0; o < count; o++) {
    for (;;) {
      const r1 = rng.nextUint32();
      const r2 = rng.nextUint32();
      const i = r2 % 256;
      const u = 2 * ((r1 * 2 ** 21 + Math.floor(r2 / 2 ** 11)) * U) - 1;
      if (Math.abs(u) < X[i + 1]! / X[i]!) {
        out[o] = u * X[i]!;
        if (counts) counts.core++;
        break;
      }
      if (i === 0) {
        let x: number;
        let y: number;
        let first = true;
        do {
          if (!first && counts) counts.tailRetry++;
          first = false;
          x = Math.log(1 - uni()) / R;
          y = Math.log(1 - uni());
        } while (-2 * y < x * x);
        out[o] = u < 0 ? x - R : R - x;
        if (counts) {
          counts.tail++;
          if (u < 0) counts.negTail++;
        }
        break;
      }
      const x = u * X[i]!;
      if (F[i]! + uni() * (F[i + 1]! - F[i]!) < f(x)) {
        out[o] = x;
        if (counts) counts.wedgeAccept++;
        break;
      }
      if (counts) counts.wedgeReject++;
    }
  }
  return out;
}

const raw = (s: readonly number[]): Rng => Rng.fromState({ path: ['ziggurat-values'], s: [s[0]!, s[1]!, s[2]!, s[3]!], spare: null });

describe('tables: defining equations', () => {
  it('X[0] = A/f(R), X[1] = R, equal areas, top layer closes, X[256] = 0; the exported edges are these bits', () => {
    const x = ZIGGURAT.x;
    expect([ZIGGURAT.layers, ZIGGURAT.r, ZIGGURAT.area, x.length]).toEqual([256, R, A, 257]);
    expect(x[1]).toBe(R);
    expect(x[256]).toBe(0);
    // base strip: X[0]·f(R) = A (one division, one product: ≤ 2 u relative)
    expect(Math.abs(x[0]! * f(R) - A)).toBeLessThanOrEqual(4 * U * A);
    for (let i = 2; i < 256; i++) {
      expect(x[i]!).toBeLessThan(x[i - 1]!);
      expect(Math.abs(x[i - 1]! * (f(x[i]!) - f(x[i - 1]!)) - A), `layer ${i - 1}`).toBeLessThanOrEqual(AREA_ABS);
    }
    const top = x[255]!;
    expect(Math.abs(top * (1 - f(top)) - A) / A).toBeLessThan(1e-8);
    expectSameBits(Float64Array.from(x), tables().X, 'edges');
  });
});

describe('xoshiroState', () => {
  it('copies the words as int32; the all-zero state becomes (0, 0, 0, 0x9e3779b9) like Rng', () => {
    expect(Array.from(xoshiroState([0, 0, 0, 0]))).toEqual([0, 0, 0, 0x9e3779b9 | 0]);
    expect(Array.from(xoshiroState([1, 0, 0, 0]))).toEqual([1, 0, 0, 0]);
    expect(Array.from(xoshiroState([0, 0, 0, 5]))).toEqual([0, 0, 0, 5]);
    expect(Array.from(xoshiroState([0, 7, 0, 0]))).toEqual([0, 7, 0, 0]);
    expect(Array.from(xoshiroState([0, 0, 0xffffffff, 0]))).toEqual([0, 0, -1, 0]);
    const s = xoshiroState([0, 0, 0, 0]);
    expect(s).toBeInstanceOf(Int32Array);
    // the stream from the zero state is Rng's stream from its zero state
    const out = new Float64Array(5);
    fillNormalZiggurat(s, out, 0, 5);
    expectSameBits(out, replay(raw([0, 0, 0, 0x9e3779b9 | 0]), 5));
  });
});

describe('hand-chosen first draws', () => {
  const { X } = tables();
  const one = (r1: number, r2: number): number => {
    const out = new Float64Array(1);
    fillNormalZiggurat(xoshiroState(stateFor(r1, r2)), out, 0, 1);
    return out[0]!;
  };
  it('the state builder gives the chosen outputs', () => {
    const g = raw(stateFor(0x80000000, 0x12345));
    expect([g.nextUint32(), g.nextUint32()]).toEqual([0x80000000, 0x12345]);
  });
  it('the four-output state builder gives the chosen outputs', () => {
    const g = raw(stateFor4([0xdeadbeef, 5, 0, 0x7fffffff]));
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([0xdeadbeef, 5, 0, 0x7fffffff]);
  });
  it('wedge boundary: u = −1 (x = −X[i], f(x) = f(X[i])) with V = 0 is a tie, and ties are rejected (strict <)', () => {
    // r1 = 0 and r2 = i: U = 0, u = −1; the next two outputs 0, 0 give V = 0, so the wedge test reads
    // f(X[i]) + 0 < f(−X[i]): false, the candidate −X[i] is rejected and the draw starts again
    for (const i of [5, 130]) {
      const st = stateFor4([0, i, 0, 0]);
      const out = new Float64Array(2);
      fillNormalZiggurat(xoshiroState(st), out, 0, 2);
      expectSameBits(out, replay(raw(st), 2), `layer ${i}`);
      expect(out[0]).not.toBe(-X[i]!);
    }
  });
  it('tail boundary: V1 = V2 = 0 gives x = y = 0, a tie −2y = x² that is accepted (the loop retries only on <): −R exactly', () => {
    // found offline with the GF(2) solve of stateFor4 on outputs 3..6 (first non-zero state with
    // outputs 3..6 in [0, 32) × [0, 64) × [0, 32) × [0, 64) whose r2 has low byte 0 and |u| ≥ X[1]/X[0]):
    // r2 mod 256 = 0 (layer 0), u = −0.972…, then V1 = (0 >>> 5)·2²⁶ + (0 >>> 6) = 0 and V2 = 0
    const st: [number, number, number, number] = [-1968204103, -2081855780, 985875357, 1482829497];
    const g = raw(st);
    expect(Array.from({ length: 6 }, () => g.nextUint32())).toEqual([59398289, 1079069696, 0, 0, 14, 12]);
    const out = new Float64Array(2);
    fillNormalZiggurat(xoshiroState(st), out, 0, 2);
    expect(out[0]).toBe(-R);
    expectSameBits(out, replay(raw(st), 2));
  });
  it('rectangle core: i = low byte of r2, U = (r1·2²¹ + r2 >>> 11)·2⁻⁵³', () => {
    // r1 = 2³¹, high bits of r2 zero: U = 1/2, u = 0 → 0·X[i] = 0
    expect(one(0x80000000, 7)).toBe(0);
    // r1 = 3·2³⁰: U = 3/4, u = 1/2 → X[i]/2 for every layer with X[i+1]/X[i] > 1/2
    for (const i of [1, 2, 17, 128, 200, 250]) expect(one(0xc0000000, i)).toBe(X[i]! / 2);
    // r1 = 2³⁰: u = −1/2
    expect(one(0x40000000, 77)).toBe(-X[77]! / 2);
    // the low 21 bits of U come from r2 >>> 11: r2 = (2²⁰ << 11) | 9 adds 2²⁰·2⁻⁵³ to U = 1/2
    const r2 = ((1 << 20) << 11) | 9;
    expect(one(0x80000000, r2 >>> 0)).toBe((2 * (0.5 + 2 ** -33) - 1) * X[9]!);
    // only the low 8 bits choose the layer: 0x100 | 9 is layer 9 with U = 1/2 + 0 (bit 8 is below bit 11)
    expect(one(0xc0000000, 0x109)).toBe(X[9]! / 2);
  });
  it('slow paths on the first draw: top layer (always a wedge), outer layer wedge, tails of both signs', () => {
    const cases: [string, number, number][] = [
      ['layer 255 (X[256] = 0: no core)', 0xc0000000, 255],
      ['layer 3, |u| near 1', 0xffffff00, 3],
      ['layer 0, u near +1: tail beyond R', 0xffffff00, 0],
      ['layer 0, u near −1: tail below −R', 0x00000100, 0],
      // u = 0 exactly in the top layer: |u| < X[256]/X[255] = 0 is false, so the wedge decides (and
      // consumes a uniform) although its answer is x = 0 whatever V is: the next draw shows it
      ['layer 255, u = 0 exactly (strict core test)', 0x80000000, 255],
    ];
    for (const [what, r1, r2] of cases) {
      const st = stateFor(r1, r2);
      const out = new Float64Array(3);
      fillNormalZiggurat(xoshiroState(st), out, 0, 3);
      expectSameBits(out, replay(raw(st), 3), what);
    }
    expect(one(0xffffff00, 0)).toBeGreaterThan(R);
    expect(one(0x00000100, 0)).toBeLessThan(-R);
  });
});

describe('long streams = replay, every branch hit', () => {
  it('200 000 draws in uneven fills, offsets respected, state carried between calls', () => {
    const seedWords = Rng.fromSeed('ziggurat-values-d').state().s;
    const st = xoshiroState(seedWords);
    const N = 200_000;
    const out = new Float64Array(N + 4).fill(Number.NaN);
    fillNormalZiggurat(st, out, 2, 12_345);
    fillNormalZiggurat(st, out, 2 + 12_345, 0);
    fillNormalZiggurat(st, out, 2 + 12_345, N - 12_345);
    const counts: Counts = { core: 0, tail: 0, tailRetry: 0, wedgeAccept: 0, wedgeReject: 0, negTail: 0 };
    const g = raw(seedWords);
    const want = replay(g, N, counts);
    expectSameBits(out.subarray(2, N + 2), want);
    for (const k of [0, 1, N + 2, N + 3]) expect(out[k]).toBeNaN();
    // stream 'ziggurat-values-d' (fixed): 198 310 core, 59 tails (26 negative, 7 tail retries), 1 631 wedge accepts, 1 330 wedge rejects
    // the state written back is where the replay's raw stream stands
    expect(Array.from(st)).toEqual(g.state().s);
    expect(counts.tail).toBeGreaterThan(0);
    expect(counts.negTail).toBeGreaterThan(0);
    expect(counts.tail - counts.negTail).toBeGreaterThan(0);
    expect(counts.tailRetry).toBeGreaterThan(0);
    expect(counts.wedgeAccept).toBeGreaterThan(0);
    expect(counts.wedgeReject).toBeGreaterThan(0);
  });

  test.prop([fc.integer(), fc.integer({ min: 1, max: 3000 })], { numRuns: 10 })('random states and lengths', (seed, count) => {
    const words = Rng.fromSeed(seed).derive('ziggurat-values').state().s;
    const st = xoshiroState(words);
    const out = new Float64Array(count);
    fillNormalZiggurat(st, out, 0, count);
    const g = raw(words);
    expectSameBits(out, replay(g, count));
    expect(Array.from(st)).toEqual(g.state().s);
  });
});
