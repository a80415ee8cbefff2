/**
 * Fast bulk standard normals: the ziggurat method (Marsaglia & Tsang 2000) in Doornik's form
 * ("An improved ziggurat method to generate normal random samples", 2005), 256 layers, on an
 * inlined xoshiro128** stream.
 *
 * Why a second generator. `Rng.fillNormal` (polar) needs a `log`, a `sqrt` and a division per pair
 * and rejects 21 % of pairs: about 15–20 ns a normal, i.e. 40–50 % of a K = 5, d = 10 Euler–Maruyama
 * particle-step. The ziggurat returns from its rectangle core (no transcendental call) with
 * probability ≈ 0.99 (256 layers), for two 32-bit outputs a normal: ≈ 3–5 ns.
 *
 * It produces DIFFERENT numbers from `Rng.fillNormal` for the same stream, so it is only used by the
 * separately named fast sampler (`runGmmEulerMaruyamaZiggurat`); every default sampler keeps the polar
 * numbers.
 *
 * Draw of one normal (two xoshiro128** outputs r1, r2):
 * - layer i = r2 & 255 (the low 8 bits),
 * - U = (r1 · 2²¹ + (r2 >>> 11)) · 2⁻⁵³ ∈ [0, 1) with 53 random bits disjoint from i, u = 2U − 1,
 * - if |u| < X[i+1]/X[i] return u·X[i] (rectangle core); layer 0 falls back to the exact tail
 *   sampler beyond R (Marsaglia 1964); other layers accept x = u·X[i] with the exact wedge test
 *   f(X[i+1]) + V·(f(X[i]) − f(X[i+1])) < f(x), V uniform (from the stream), else retry.
 * Every branch is exact rejection sampling, so the output law is N(0, 1) up to the 53-bit
 * resolution of U (the wedge and tail use 53-bit uniforms too).
 *
 * Constants (256 layers): R = 3.6541528853610088 (right edge of the base strip), A = 0.00492867323399
 * (area of each layer, the base strip including its tail); X[0] = A / f(R) is the base strip's
 * pseudo-width so that its rectangle has area A.
 */

const LAYERS = 256;
const R = 3.6541528853610088;
const AREA = 0.00492867323399;

/** X[i]: right edges of the layers, X[0] = A/f(R) (pseudo), X[1] = R, …, X[256] = 0. */
const X = new Float64Array(LAYERS + 1);
/** RATIO[i] = X[i+1] / X[i]: |u| below it lands inside the rectangle core of layer i. */
const RATIO = new Float64Array(LAYERS);
/** F[i] = exp(−X[i]²/2). */
const F = new Float64Array(LAYERS + 1);

(function buildTables() {
  const f = (x: number) => Math.exp(-0.5 * x * x);
  X[0] = AREA / f(R);
  X[1] = R;
  for (let i = 2; i < LAYERS; i++) X[i] = Math.sqrt(-2 * Math.log(AREA / X[i - 1]! + f(X[i - 1]!)));
  X[LAYERS] = 0;
  for (let i = 0; i < LAYERS; i++) RATIO[i] = X[i + 1]! / X[i]!;
  for (let i = 0; i <= LAYERS; i++) F[i] = f(X[i]!);
})();

const TWO_POW_MINUS_53 = 2 ** -53;
const TWO_POW_21 = 2 ** 21;

/** xoshiro128** state words, mutated in place by the fill (same generator as `Rng`). */
export type XoshiroState = Int32Array;

/** A 4-word state from any `Rng` state (e.g. `rng.derive(block).state().s`). */
export function xoshiroState(words: readonly number[]): XoshiroState {
  const s = Int32Array.from(words);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[3] = 0x9e3779b9 | 0;
  return s;
}

/**
 * Fill `out[offset .. offset+count)` with standard normals by the ziggurat, advancing `state`.
 * Deterministic in the state. Allocates nothing.
 */
export function fillNormalZiggurat(state: XoshiroState, out: Float64Array, offset: number, count: number): void {
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  const end = offset + count;
  for (let o = offset; o < end; o++) {
    for (;;) {
      // r1
      let r = Math.imul(s1, 5);
      r = Math.imul((r << 7) | (r >>> 25), 9);
      let t = s1 << 9;
      let n2 = s2 ^ s0;
      let n3 = s3 ^ s1;
      s1 ^= n2;
      s0 ^= n3;
      s2 = n2 ^ t;
      s3 = (n3 << 11) | (n3 >>> 21);
      const r1 = r >>> 0;
      // r2
      r = Math.imul(s1, 5);
      r = Math.imul((r << 7) | (r >>> 25), 9);
      t = s1 << 9;
      n2 = s2 ^ s0;
      n3 = s3 ^ s1;
      s1 ^= n2;
      s0 ^= n3;
      s2 = n2 ^ t;
      s3 = (n3 << 11) | (n3 >>> 21);
      const r2 = r >>> 0;
      const i = r2 & 255;
      const u = 2 * ((r1 * TWO_POW_21 + (r2 >>> 11)) * TWO_POW_MINUS_53) - 1;
      if (Math.abs(u) < RATIO[i]!) {
        out[o] = u * X[i]!;
        break;
      }
      // slow paths (≈ 1 % of draws): write the state back, use the helper, reload
      state[0] = s0;
      state[1] = s1;
      state[2] = s2;
      state[3] = s3;
      const z = slowPath(state, i, u);
      s0 = state[0]!;
      s1 = state[1]!;
      s2 = state[2]!;
      s3 = state[3]!;
      if (z === z) {
        out[o] = z;
        break;
      }
    }
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** Tail or wedge of layer i for the candidate u; NaN means "rejected, draw again". */
function slowPath(state: XoshiroState, i: number, u: number): number {
  if (i === 0) {
    // exact tail beyond R (Marsaglia 1964): x = −ln(U1)/R, accept if −2 ln U2 > x²
    let x: number;
    let y: number;
    do {
      x = Math.log(1 - uniform53(state)) / R; // ln of a (0, 1] uniform: finite
      y = Math.log(1 - uniform53(state));
    } while (-2 * y < x * x);
    return u < 0 ? x - R : R - x;
  }
  const x = u * X[i]!;
  const f0 = F[i]!; // density at the layer's outer edge (smaller)
  const f1 = F[i + 1]!; // density at its inner edge (larger)
  if (f0 + uniform53(state) * (f1 - f0) < Math.exp(-0.5 * x * x)) return x;
  return Number.NaN;
}

function uniform53(state: XoshiroState): number {
  const hi = next(state) >>> 5;
  const lo = next(state) >>> 6;
  return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
}

function next(state: XoshiroState): number {
  const s0 = state[0]!;
  const s1 = state[1]!;
  const s2 = state[2]!;
  const s3 = state[3]!;
  let r = Math.imul(s1, 5);
  r = Math.imul((r << 7) | (r >>> 25), 9);
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  state[1] = s1 ^ n2;
  state[0] = s0 ^ n3;
  state[2] = n2 ^ t;
  state[3] = (n3 << 11) | (n3 >>> 21);
  return r >>> 0;
}

/** Tables, exported for tests: layer edges X (X[0] pseudo-width, X[1] = R, X[256] = 0). */
export const ZIGGURAT = { layers: LAYERS, r: R, area: AREA, x: X as Readonly<Float64Array> };
