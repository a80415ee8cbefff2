/**
 * Seeded, splittable random number generator.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 128-bit state, period 2^128 − 1, on 32-bit
 * integer arithmetic (`Math.imul`), ~10× faster than seedrandom's default ARC4 (shared/TOOLING.md).
 * seedrandom is used only to turn an arbitrary seed string into the initial state (its ARC4 key
 * schedule is a good string hash and is outside every hot loop).
 *
 * Streams are *derived*, never consumed: `rng.derive('noise', block)` depends only on the root seed
 * and the label path, not on how many numbers the parent has drawn. So the noise of particle block
 * 17 is the same whether one worker or eight produce it, and adding a draw somewhere never shifts
 * the numbers of another purpose.
 *
 * Normals: Marsaglia's polar method in bulk (`fillNormal`), both outputs of each accepted pair used.
 * The uniforms inside the polar method have 32-bit resolution (granularity 2^-31 on (−1, 1)), which
 * bounds |Z| ≤ √(2·ln 2^62) ≈ 9.3: tail mass beyond that is P(|Z| > 9.3) ≈ 1.4e-20, irrelevant here.
 */
import seedrandom from 'seedrandom';

/** Serialisable state: the label path plus the four xoshiro words. Same state ⇒ same numbers. */
export interface RngState {
  readonly path: readonly (string | number)[];
  readonly s: readonly [number, number, number, number];
  readonly spare: number | null;
}

const TWO_POW_MINUS_32 = 2 ** -32;
const TWO_POW_MINUS_53 = 2 ** -53;

export class Rng {
  /** Label path from the root seed: replays this stream with `Rng.fromPath(...path)`. */
  readonly path: readonly (string | number)[];
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second output of the last polar pair, if not yet used (NaN when empty). */
  private spare = Number.NaN;

  private constructor(path: readonly (string | number)[], words: readonly number[]) {
    this.path = path;
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 0x9e3779b9 | 0; // all-zero state is absorbing
  }

  /** Root stream of a seed (number or string). */
  static fromSeed(seed: number | string): Rng {
    return Rng.fromPath(seed);
  }

  /** Stream at a label path below a root seed: `fromPath(42, 'noise', 3)` = `fromSeed(42).derive('noise', 3)`. */
  static fromPath(...path: (string | number)[]): Rng {
    if (path.length === 0) throw new Error('Rng.fromPath: empty path');
    for (const label of path) {
      if (typeof label === 'number' && !Number.isFinite(label)) throw new Error(`Rng: non-finite label ${label}`);
    }
    const key = JSON.stringify(path);
    const hash = seedrandom(key);
    const words = [hash.int32(), hash.int32(), hash.int32(), hash.int32()];
    return new Rng(path, words);
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(state.path, state.s);
    r.spare = state.spare ?? Number.NaN;
    return r;
  }

  state(): RngState {
    return {
      path: [...this.path],
      s: [this.s0, this.s1, this.s2, this.s3],
      spare: Number.isNaN(this.spare) ? null : this.spare,
    };
  }

  /** Independent child stream, a function of (root seed, path, labels) only. */
  derive(...labels: (string | number)[]): Rng {
    return Rng.fromPath(...this.path, ...labels);
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  /** Uniform integer in [0, n), unbiased (rejection). Throws unless n is a positive integer ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new Error(`Rng.int: bad range ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /** One standard normal. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    for (;;) {
      const u = (this.nextUint32() * TWO_POW_MINUS_32) * 2 - 1;
      const v = (this.nextUint32() * TWO_POW_MINUS_32) * 2 - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      this.spare = v * f;
      return u * f;
    }
  }

  /**
   * Fill `out[offset .. offset+count)` with standard normals (polar method, pairs inlined).
   * The sequence equals `count` successive calls of `normal()`.
   */
  fillNormal(out: Float64Array, offset = 0, count = out.length - offset): void {
    let i = offset;
    const end = offset + count;
    if (i < end && !Number.isNaN(this.spare)) {
      out[i++] = this.spare;
      this.spare = Number.NaN;
    }
    while (i < end) {
      let s0 = this.s0;
      let s1 = this.s1;
      let s2 = this.s2;
      let s3 = this.s3;
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        // two xoshiro128** outputs, inlined
        let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
        let t = s1 << 9;
        let n2 = s2 ^ s0;
        let n3 = s3 ^ s1;
        s1 = s1 ^ n2;
        s0 = s0 ^ n3;
        s2 = n2 ^ t;
        s3 = (n3 << 11) | (n3 >>> 21);
        u = (r >>> 0) * (2 * TWO_POW_MINUS_32) - 1;
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
        t = s1 << 9;
        n2 = s2 ^ s0;
        n3 = s3 ^ s1;
        s1 = s1 ^ n2;
        s0 = s0 ^ n3;
        s2 = n2 ^ t;
        s3 = (n3 << 11) | (n3 >>> 21);
        v = (r >>> 0) * (2 * TWO_POW_MINUS_32) - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * f;
      if (i < end) out[i++] = v * f;
      else this.spare = v * f;
    }
  }

  /** Fresh Float64Array of `count` standard normals. */
  normals(count: number): Float64Array {
    const out = new Float64Array(count);
    this.fillNormal(out);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seed for a property's Monte Carlo stream: a function of the generated input's integer seed. */
export function rngForCase(seed: number, ...labels: (string | number)[]): Rng {
  return Rng.fromPath('case', seed, ...labels);
}
