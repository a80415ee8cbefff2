/**
 * 1-D Gaussian mixtures: densities, CDFs, quantiles and the distances between two of them (L1/TV,
 * W1, W2, χ², KL) with their error estimates and DERIVED rounding bounds (the exact oracles of the
 * P2 claims, docs/theory.md §5.2; one module for the 1-D mixture numerics, formerly inside
 * src/oracles/gmm-recursion.ts, which re-exports them under their old names).
 *
 * - `mixtureL1Distance1d`: ∫|p − q| by the sign-change partition and closed-form CDFs;
 * - `mixtureW2Distance1d`, `mixtureW1Distance1d`: Wasserstein distances through quantile functions /
 *   CDFs by quadrature, with a rigorous tail bound, a step-halving (asymptotic) discretisation
 *   estimate, and a derived absolute rounding term (certified quantile errors, CDF node errors, the
 *   parameter error of computed laws: `ParameterError`);
 * - `mixtureChiSquare1d`, `mixtureKl1d`: χ² (+∞ when provably infinite) and KL: the window and the
 *   finiteness decision here, the integral by ./quadrature-1d.ts (`chiSquare1d`, `kl1d`, trapezoid
 *   rule), the one integrator of 1-D χ²/KL.
 * Density-based quadrature of general 1-D densities (Simpson, trapezoid, grids) is ./quadrature-1d.ts.
 */
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../distributions/gaussian.ts';
import { gamma, normPerturbationBound, ONE_ROUNDING_UP, quadratureRoundingBound, UNIT_ROUNDOFF } from '../numerics/rounding.ts';
import { normalCdf, normalPdf, normalTail } from '../statistics/normal.ts';
import { chiSquare1d, kl1d, mixture1d, ratioMoments1d, type Mixture1d } from './quadrature-1d.ts';


interface Flat1d {
  w: Float64Array; // signed weights
  m: Float64Array;
  s: Float64Array; // standard deviations (> 0)
}

function flat1d(p: GaussianMixture, sign = 1): Flat1d {
  if (p.dim !== 1) throw new Error(`1-D numerics need a 1-D mixture (got dimension ${p.dim})`);
  const K = p.components.length;
  const f: Flat1d = { w: new Float64Array(K), m: new Float64Array(K), s: new Float64Array(K) };
  for (let k = 0; k < K; k++) {
    const v = p.components[k]!.cov[0]!;
    if (!(v > 0)) throw new Error('1-D numerics: mixture has an atom (variance 0)');
    f.w[k] = sign * p.weights[k]!;
    f.m[k] = p.components[k]!.mean[0]!;
    f.s[k] = Math.sqrt(v);
  }
  return f;
}

/** Signed combination p − q with bit-identical components cancelled exactly. */
function signedDifference(p: GaussianMixture, q: GaussianMixture): Flat1d {
  const a = flat1d(p);
  const b = flat1d(q, -1);
  const w: number[] = [];
  const m: number[] = [];
  const s: number[] = [];
  const add = (f: Flat1d) => {
    for (let k = 0; k < f.w.length; k++) {
      let j = -1;
      for (let i = 0; i < m.length; i++) if (m[i] === f.m[k] && s[i] === f.s[k]) { j = i; break; }
      if (j >= 0) w[j]! += f.w[k]!;
      else {
        w.push(f.w[k]!);
        m.push(f.m[k]!);
        s.push(f.s[k]!);
      }
    }
  };
  add(a);
  add(b);
  return { w: Float64Array.from(w), m: Float64Array.from(m), s: Float64Array.from(s) };
}

function densityFlat(f: Flat1d, x: number): number {
  let r = 0;
  for (let k = 0; k < f.w.length; k++) {
    const z = (x - f.m[k]!) / f.s[k]!;
    r += (f.w[k]! * Math.exp(-0.5 * z * z)) / f.s[k]!;
  }
  return r * 0.3989422804014327;
}

function cdfFlat(f: Flat1d, x: number): number {
  let r = 0;
  for (let k = 0; k < f.w.length; k++) r += f.w[k]! * normalCdf((x - f.m[k]!) / f.s[k]!);
  return r;
}

/** Density of a 1-D GMM at each x. */
export function mixtureDensity1d(p: GaussianMixture, xs: ArrayLike<number>): Float64Array {
  const f = flat1d(p);
  return Float64Array.from({ length: xs.length }, (_, i) => densityFlat(f, xs[i]!));
}

/** CDF of a 1-D GMM. */
export function mixtureCdf1d(p: GaussianMixture, x: number): number {
  return cdfFlat(flat1d(p), x);
}

/**
 * Fast upper tail Q(z) = P(Z > z), z ≥ 0: Hart's double-precision rational (as in West 2005) below
 * 7.07, a depth-40 Laplace continued fraction above. Checked against src/statistics/normal.ts (the
 * accurate reference, ≈ 90× slower) on a 3e-4 grid of [0, 37] by the property file: absolute error
 * ≤ FAST_TAIL_ABS_ERROR, relative error ≤ FAST_TAIL_REL_ERROR. Used in hot loops (quantiles, CDFs of
 * mixtures with hundreds of components).
 */
export function fastNormalTail(x: number): number {
  if (x < 0) return 1 - fastNormalTail(-x);
  if (x > 38) return 0;
  const e = Math.exp(-0.5 * x * x);
  if (x < 7.07106781186547) {
    let b = 3.52624965998911e-2 * x + 0.700383064443688;
    b = b * x + 6.37396220353165;
    b = b * x + 33.912866078383;
    b = b * x + 112.079291497871;
    b = b * x + 221.213596169931;
    b = b * x + 220.206867912376;
    let c = 8.83883476483184e-2 * x + 1.75566716318264;
    c = c * x + 16.064177579207;
    c = c * x + 86.7807322029461;
    c = c * x + 296.564248779674;
    c = c * x + 637.333633378831;
    c = c * x + 793.826512519948;
    c = c * x + 440.413735824752;
    return (e * b) / c;
  }
  let f = x;
  for (let k = 40; k >= 1; k--) f = x + k / f;
  return e / f / 2.5066282746310002;
}

/** Measured bounds of fastNormalTail against normal.ts (max 5.4e-16 absolute, 2.9e-9 relative), rounded up. */
export const FAST_TAIL_ABS_ERROR = 1e-15;
export const FAST_TAIL_REL_ERROR = 5e-9;

function fastCdfFlat(f: Flat1d, x: number): number {
  let r = 0;
  for (let k = 0; k < f.w.length; k++) r += f.w[k]! * fastNormalTail((f.m[k]! - x) / f.s[k]!);
  return r;
}

function fastSurvivalFlat(f: Flat1d, x: number): number {
  let r = 0;
  for (let k = 0; k < f.w.length; k++) r += f.w[k]! * fastNormalTail((x - f.m[k]!) / f.s[k]!);
  return r;
}

/**
 * Relative errors of a mixture's stored parameters with respect to the law they stand for (for
 * laws produced by a computation, e.g. the round map: see `roundMapParameterError`). All ≥ 0:
 * |ŵ_k − w_k| ≤ weight·|ŵ_k|, |m̂_k − m_k| ≤ mean·|m̂_k|, |ŝ_k − s_k| ≤ sd·ŝ_k. Zero for laws taken
 * as given.
 */
export interface ParameterError {
  readonly weight: number;
  readonly mean: number;
  readonly sd: number;
  /** optional absolute mean error |m̂_k − m_k| ≤ meanAbsolute (x units), on top of the relative one */
  readonly meanAbsolute?: number;
}

export const EXACT_PARAMETERS: ParameterError = { weight: 0, mean: 0, sd: 0 };

/** Q(37.9) < 3e-316: fastNormalTail returns 0 above 38, an absolute error below this. */
const FAST_TAIL_UNDERFLOW = 3e-316;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Bound on |fastNormalTail(t̂) − Q(t)| where `qHat` = fastNormalTail(t̂) and the exact argument t
 * satisfies |t̂ − t| ≤ dt: the measured accuracy of fastNormalTail (min of its absolute and relative
 * bounds for t̂ ≥ 0; 1 − T(−t̂) adds one rounding for t̂ < 0) plus the mean-value bound
 * |Q(t̂) − Q(t)| ≤ max_{|ξ − t̂| ≤ dt} φ(ξ) · dt. For |t̂| ≥ 1 and |t̂|·dt ≤ 1e-6 the maximum is
 * ≤ φ(|t̂|) e^{|t̂| dt} ≤ (1 + 2e-6) φ(|t̂|) and φ(|t̂|) ≤ (t̂² + 1) Q(|t̂|)/|t̂| (Mills: Q(t) ≥ tφ(t)/(t² + 1)),
 * with Q(|t̂|) ≤ Q̂ + own error — no extra exp; otherwise φ ≤ 1/√(2π) (or e^{−ξ²/2}/√(2π) when cheap).
 */
function tailTermError(tHat: number, qHat: number, dt: number): number {
  const own = tHat > 37.9 ? FAST_TAIL_UNDERFLOW : tHat >= 0 ? Math.min(FAST_TAIL_ABS_ERROR, FAST_TAIL_REL_ERROR * qHat * (1 + 1e-6) + FAST_TAIL_UNDERFLOW) : FAST_TAIL_ABS_ERROR + UNIT_ROUNDOFF;
  if (dt === 0) return own;
  const at = Math.abs(tHat);
  if (at >= 1 && at * dt <= 1e-6) {
    const qAbs = tHat >= 0 ? qHat + own : 1 - qHat + own + UNIT_ROUNDOFF;
    return own + (1 + 2e-6) * ((at * at + 1) / at) * qAbs * dt;
  }
  const xi = Math.max(0, at - dt);
  return own + INV_SQRT_2PI * Math.exp(-0.5 * xi * xi) * dt;
}

/** A computed tail sum and a bound on its absolute error. */
interface WithError {
  value: number;
  error: number;
}

/**
 * Σ_k w_k T((m_k − x)/s_k) (lower: the signed CDF, bit-identical to fastCdfFlat) or
 * Σ_k w_k T((x − m_k)/s_k) (upper: bit-identical to fastSurvivalFlat), with a bound on its absolute
 * error against the exact value for the law whose parameters are within `pe` of the stored ones.
 * Per term: the argument error dt = ((γ₃ + pe.sd)|t̂| + (pe.mean|m| + pe.meanAbsolute)/s)(1 + γ₃) (3
 * roundings: s = √v, the subtraction, the division; the parameter error; the bound's own rounding),
 * the term error |w|·(tailTermError(t̂, T̂, dt) + pe.weight·(T̂ + FAST_TAIL_ABS_ERROR)); the weighted
 * sum of K terms adds γ_K Σ|w_k| T̂_k, and the total is (Σ errors + γ_K Σ|w_k| T̂_k)(1 + γ₂).
 * Replayed bit for bit by properties/exact/gaussian-mixture-1d-replay.test.ts.
 */
function tailSumWithError(f: Flat1d, x: number, upper: boolean, pe: ParameterError, out: WithError): WithError {
  const g3 = gamma(3);
  let r = 0;
  let err = 0;
  let absSum = 0;
  for (let k = 0; k < f.w.length; k++) {
    const t = upper ? (x - f.m[k]!) / f.s[k]! : (f.m[k]! - x) / f.s[k]!;
    const q = fastNormalTail(t);
    r += f.w[k]! * q;
    const dt = ((g3 + pe.sd) * Math.abs(t) + (pe.mean * Math.abs(f.m[k]!) + (pe.meanAbsolute ?? 0)) / f.s[k]!) * (1 + g3);
    const aw = Math.abs(f.w[k]!);
    err += aw * (tailTermError(t, q, dt) + pe.weight * (q + FAST_TAIL_ABS_ERROR));
    absSum += aw * q;
  }
  out.value = r;
  out.error = (err + gamma(f.w.length) * absSum) * (1 + gamma(2));
  return out;
}

/** Root of the signed density δ in [a, b] (δ(a), δ(b) of opposite signs) by bisection to rounding. */
function densityRoot(f: Flat1d, a: number, b: number, da: number): number {
  for (let it = 0; it < 80; it++) {
    const mid = 0.5 * (a + b);
    if (mid === a || mid === b) break;
    const dm = densityFlat(f, mid);
    if (dm === 0) return mid;
    if (dm > 0 === da > 0) {
      a = mid;
      da = dm;
    } else b = mid;
  }
  return 0.5 * (a + b);
}

/**
 * ∫|δ| on the partition of [lo, hi] by the sign changes of δ found on the grid of `dens` (values at
 * lo + j h, j = 0..n) taken every `stride` points, plus the tails.
 */
function l1ByRoots(f: Flat1d, lo: number, h: number, dens: Float64Array, stride: number): { l1: number; pieces: number } {
  const n = dens.length - 1;
  const hi = lo + n * h;
  const breaks: number[] = [lo];
  // last grid point with δ ≠ 0 and its value (exact zeros, e.g. a root on the grid, are skipped)
  let xPrev = lo;
  let dPrev = dens[0]!;
  for (let j = stride; j <= n; j += stride) {
    const x = lo + j * h;
    const d = dens[j]!;
    if (d === 0) continue;
    if (dPrev !== 0 && d > 0 !== dPrev > 0) breaks.push(densityRoot(f, xPrev, x, dPrev));
    xPrev = x;
    dPrev = d;
  }
  breaks.push(hi);
  // signed CDF D(x) = ∫_{−∞}^x δ: from the left for x ≤ 0, else total − survival (relative precision in both tails)
  let total = 0;
  for (let k = 0; k < f.w.length; k++) total += f.w[k]!;
  const D = (x: number) => (x <= 0 ? fastCdfFlat(f, x) : total - fastSurvivalFlat(f, x));
  let l1 = Math.abs(D(lo)) + Math.abs(total - D(hi));
  let prev = D(lo);
  for (let j = 1; j < breaks.length; j++) {
    const cur = D(breaks[j]!);
    l1 += Math.abs(cur - prev);
    prev = cur;
  }
  return { l1, pieces: breaks.length + 1 };
}

/**
 * ∫|p − q| (= 2 TV) for 1-D GMMs (P2-1 drift, P2-2 rate), by the sign-change partition: δ = p − q
 * (bit-identical components cancel exactly) is evaluated on a grid of `cells` cells over every
 * component ± 40 sd; each sign change is refined by bisection; on each piece between roots
 * ∫|δ| = |ΔD| with D the signed CDF (closed form, fastNormalTail). Tails beyond ±40 sd add their
 * signed CDF mass. This is exact when every root is found and otherwise a lower bound (missed root
 * pairs inside one cell); `errorEstimate` = |L1(cells) − L1(cells/2)| (roots missed by the coarse grid)
 * plus the CDF rounding allowance Σ|w| · (2 · pieces · FAST_TAIL_ABS_ERROR + 1e-14) (two signed-CDF
 * values per piece, each with absolute error ≤ Σ|w| FAST_TAIL_ABS_ERROR, plus summation rounding). Bit-identical
 * components cancel before anything is evaluated, so differences far below the laws' scale (e.g.
 * (1−α)^i-small gaps between iterates sharing components) keep their relative precision.
 */
export function mixtureL1Distance1d(p: GaussianMixture, q: GaussianMixture, cells = 6000): DistanceValue {
  const f = signedDifference(p, q);
  let absMass = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < f.w.length; k++) {
    if (f.w[k] === 0) continue;
    absMass += Math.abs(f.w[k]!);
    lo = Math.min(lo, f.m[k]! - 40 * f.s[k]!);
    hi = Math.max(hi, f.m[k]! + 40 * f.s[k]!);
  }
  if (absMass === 0) return { value: 0, errorEstimate: 0 };
  const n = Math.max(2, cells + (cells % 2));
  const h = (hi - lo) / n;
  const dens = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) dens[j] = densityFlat(f, lo + j * h);
  const fine = l1ByRoots(f, lo, h, dens, 1);
  const coarse = l1ByRoots(f, lo, h, dens, 2);
  // each piece: two signed-CDF values, each within Σ|w| FAST_TAIL_ABS_ERROR (+ relative summation rounding)
  const rounding = absMass * (2 * fine.pieces * FAST_TAIL_ABS_ERROR + 1e-14);
  return { value: fine.l1, errorEstimate: Math.abs(fine.l1 - coarse.l1) + rounding };
}

/**
 * Newton/bisection stopping rule for quantiles: relative step 1e-13. A quantile error η moves
 * (F⁻¹ − G⁻¹)² by ≤ 2|F⁻¹ − G⁻¹| η, far below the W2 quadrature estimate; tighter stopping only
 * chases the CDF rounding (fastNormalTail) and costs bisection steps.
 */
const QUANTILE_RELATIVE_TOLERANCE = 1e-13;

/**
 * Quantile of a 1-D GMM at u = Φ(z) (z ∈ ℝ), by safeguarded Newton on the CDF (z ≤ 0) or survival
 * (z > 0). `below`: a quantile at a smaller z (a lower bracket), or −∞ when none is known.
 */
function quantileAtZ(f: Flat1d, z: number, below: number): number {
  // the mixture quantile lies between the smallest and largest component quantiles m_k + s_k z
  let a = Infinity;
  let b = -Infinity;
  for (let k = 0; k < f.w.length; k++) {
    const qk = f.m[k]! + f.s[k]! * z;
    a = Math.min(a, qk);
    b = Math.max(b, qk);
  }
  if (a === b) return a;
  // warm start: quantiles increase with z, so a quantile at a smaller z is a lower bracket
  const warm = below > a && below < b;
  if (warm) a = below;
  const lowerSide = z <= 0;
  const target = lowerSide ? fastNormalTail(-z) : fastNormalTail(z);
  // g(x) increasing in x: CDF − target, or target − survival
  const g = (x: number) => (lowerSide ? fastCdfFlat(f, x) - target : target - fastSurvivalFlat(f, x));
  let x = warm ? a : 0.5 * (a + b);
  for (let it = 0; it < 200; it++) {
    const gx = g(x);
    if (gx > 0) b = x;
    else if (gx < 0) a = x;
    else return x;
    const dens = densityFlat(f, x);
    let next = dens > 0 ? x - gx / dens : NaN;
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    if (Math.abs(next - x) <= QUANTILE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(x)) || b - a <= QUANTILE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) return next;
    x = next;
  }
  return x;
}

/** Certification attempts of a quantile error (radius ×2 each, so up to 2^39 × the first) before falling back to the component-quantile bracket. */
const QUANTILE_CERTIFY_ATTEMPTS = 40;

/**
 * A certified bound η on |x̂ − x| for x̂ = quantileAtZ(f, z) and x the exact quantile at Φ(z) of the
 * law whose parameters are within `pe` of f's: with g(x) = F(x) − Φ(z) (z ≤ 0; survival form for
 * z > 0) increasing and |ĝ − g| ≤ e (tailSumWithError for the mixture sum, tailTermError for the
 * target Φ(z), one rounding for the subtraction), ĝ(x̂ − η) < −e and ĝ(x̂ + η) > e prove
 * x ∈ (x̂ − η, x̂ + η). First radius: 1.25(e(x̂) + |ĝ(x̂)|)/f(x̂) (the linearised need with a 25 %
 * margin) or the solver's stopping tolerance, whichever is larger; it doubles on failure. If no radius certifies within
 * QUANTILE_CERTIFY_ATTEMPTS (CDF flat to rounding), the bracket of the component quantiles
 * m_k + s_k z (which contains x) is used, widened by its rounding and the parameter error.
 */
function quantileErrorBound(f: Flat1d, z: number, xHat: number, pe: ParameterError, scratch: WithError): number {
  const lowerSide = z <= 0;
  const target = lowerSide ? fastNormalTail(-z) : fastNormalTail(z);
  const targetError = tailTermError(lowerSide ? -z : z, target, 0);
  // ĝ(x) and its error bound, in `scratch`
  const evalG = (x: number): WithError => {
    tailSumWithError(f, x, !lowerSide, pe, scratch);
    const g = lowerSide ? scratch.value - target : target - scratch.value;
    scratch.error = scratch.error + targetError + UNIT_ROUNDOFF * Math.abs(g);
    scratch.value = g;
    return scratch;
  };
  const at = evalG(xHat);
  const dens = densityFlat(f, xHat);
  const tolerance = Math.max(4 * QUANTILE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(xHat)), 4 * UNIT_ROUNDOFF * Math.abs(xHat));
  let eta = dens > 0 ? Math.max(tolerance, (1.25 * (at.error + Math.abs(at.value))) / dens) : tolerance;
  for (let attempt = 0; attempt < QUANTILE_CERTIFY_ATTEMPTS && Number.isFinite(eta); attempt++, eta *= 2) {
    const xl = xHat - eta;
    const xr = xHat + eta;
    const gl = evalG(xl);
    if (!(gl.value < -gl.error)) continue;
    const gr = evalG(xr);
    if (!(gr.value > gr.error)) continue;
    return xr - xl;
  }
  let a = Infinity;
  let b = -Infinity;
  let scale = 0;
  for (let k = 0; k < f.w.length; k++) {
    const qk = f.m[k]! + f.s[k]! * z;
    a = Math.min(a, qk);
    b = Math.max(b, qk);
    scale = Math.max(scale, Math.abs(f.m[k]!) + f.s[k]! * Math.abs(z));
  }
  return Math.max(xHat - a, b - xHat, 0) + (gamma(4) + pe.mean + pe.sd) * scale + (pe.meanAbsolute ?? 0);
}

export interface DistanceValue {
  readonly value: number;
  /** rigorous tail bound + step-halving estimate of the discretisation error (estimate, not a proof) */
  readonly errorEstimate: number;
  /** quadrature nodes of the rule (χ², KL: the trapezoid of ./quadrature-1d.ts), where one was used */
  readonly nodes?: number;
}

/** Standard-normal z range of the W2 quadrature: tail bound below is ≈ poly(Z)·φ(Z) ≈ 1e-30 at Z = 12. */
const W2_Z_RANGE = 12;

/**
 * W2(p, q) for 1-D GMMs through quantile functions: `W2² = ∫_0^1 (F⁻¹(u) − G⁻¹(u))² du`, substituted
 * u = Φ(z): `∫ (F⁻¹(Φ(z)) − G⁻¹(Φ(z)))² φ(z) dz`, trapezoid on [−Z, Z] (smooth, Gaussian-weighted:
 * the trapezoid rule converges geometrically) with `steps` and `steps/2` cells; the difference is
 * reported as the discretisation estimate. Tail (|z| > Z): quantiles lie between component quantiles,
 * so |F⁻¹ − G⁻¹| ≤ A + (s_max − s_min)|z| ≤ A + B|z| with A = spread of means and B = 2 × largest sd
 * (a factor 2 of slack kept), giving the closed-form bound
 * 2∫_Z^∞ (A + Bz)² φ = 2[A² Q(Z) + 2AB φ(Z) + B²(Zφ(Z) + Q(Z))].
 * Rounding (derived, absolute): every node's quantiles carry a certified error (quantileErrorBound,
 * including the parameter error `pe` of the laws), which moves W2 by at most its weighted ℓ² norm;
 * the sum of squares adds γ_{n+8} relative. So two laws equal up to rounding never read as a W2 gap.
 */
export function mixtureW2Distance1d(p: GaussianMixture, q: GaussianMixture, steps = 1200, pe: ParameterError = EXACT_PARAMETERS): DistanceValue {
  const fp = flat1d(p);
  const fq = flat1d(q);
  const Z = W2_Z_RANGE;
  const h = (2 * Z) / steps;
  let sFine = 0;
  let sCoarse = 0;
  let prevP = -Infinity;
  let prevQ = -Infinity;
  let squaredNodeErrors = 0;
  const scratch: WithError = { value: 0, error: 0 };
  for (let j = 0; j <= steps; j++) {
    const z = -Z + j * h;
    const xp = quantileAtZ(fp, z, prevP);
    const xq = quantileAtZ(fq, z, prevQ);
    prevP = xp;
    prevQ = xq;
    const d = xp - xq;
    const phi = normalPdf(z);
    const v = d * d * phi;
    const wt = j === 0 || j === steps ? 0.5 : 1;
    sFine += wt * v;
    if (j % 2 === 0) sCoarse += (j === 0 || j === steps ? 0.5 : 1) * v;
    // node error of d: both certified quantile errors plus the subtraction's rounding
    const e = quantileErrorBound(fp, z, xp, pe, scratch) + quantileErrorBound(fq, z, xq, pe, scratch) + UNIT_ROUNDOFF * Math.abs(d);
    squaredNodeErrors += wt * e * e * phi;
  }
  sFine *= h;
  sCoarse *= 2 * h;
  let mMin = Infinity;
  let mMax = -Infinity;
  let sMax = 0;
  for (const f of [fp, fq]) for (let k = 0; k < f.w.length; k++) {
    mMin = Math.min(mMin, f.m[k]!);
    mMax = Math.max(mMax, f.m[k]!);
    sMax = Math.max(sMax, f.s[k]!);
  }
  const A = mMax - mMin;
  const B = 2 * sMax;
  const tail = 2 * (A * A * normalTail(Z) + 2 * A * B * normalPdf(Z) + B * B * (Z * normalPdf(Z) + normalTail(Z)));
  const w2sq = sFine;
  // discretisation (step halving, an estimate) + tail (proven) on W2²; the rounding of the weighted
  // sum of squares (d², ×φ with φ within a few u, n products and additions: γ_{n+8} relative)
  const errSq = Math.abs(sFine - sCoarse) + tail + gamma(steps + 8) * sFine;
  const value = Math.sqrt(w2sq);
  // |√a − √b| ≤ |a − b| / (√a + √b) and ≤ √|a − b|
  const errOfSquare = value > 0 ? Math.min(Math.sqrt(errSq), errSq / value) : Math.sqrt(errSq);
  // quantile errors act on W2 itself: |‖d̂‖_ω − ‖d‖_ω| ≤ ‖e‖_ω (Minkowski, ω_j = h·wt_j·φ(z_j)), + √'s rounding
  const err = errOfSquare + normPerturbationBound(h * squaredNodeErrors) + UNIT_ROUNDOFF * value;
  return { value, errorEstimate: err };
}

/**
 * W1(p, q) = ∫|F − G| dx for 1-D GMMs (trapezoid on the range of every component ± 40 sd, step
 * halving for the estimate; the tails beyond carry < 1e-300 mass).
 *
 * `errorEstimate` = |T_h − T_{2h}| (asymptotic: the discretisation) + a derived rounding bound: at each
 * node the signed CDF D = F − G (lower-tail sum for x ≤ 0, Σw − survival for x > 0) is within
 * e(x) of its exact value (tailSumError: normal-tail accuracy, argument rounding, the parameter error
 * `pe` of both laws, the K-term sum; for x > 0 also the rounding γ_{K−1}Σ|w| and weight error of Σw
 * and the final subtraction), ||D̂| − |D|| ≤ e, and the trapezoid sum adds quadratureRoundingBound.
 * This absolute term is what keeps W1 of two nearly identical laws (CDF differences cancelling to
 * ~1e-16) from reading as a violation.
 */
export function mixtureW1Distance1d(p: GaussianMixture, q: GaussianMixture, cells = 20000, pe: ParameterError = EXACT_PARAMETERS): DistanceValue {
  const f = signedDifference(p, q);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < f.w.length; k++) {
    lo = Math.min(lo, f.m[k]! - 40 * f.s[k]!);
    hi = Math.max(hi, f.m[k]! + 40 * f.s[k]!);
  }
  const h = (hi - lo) / cells;
  let fine = 0;
  let coarse = 0;
  let c0 = 0;
  let absW = 0;
  for (let k = 0; k < f.w.length; k++) {
    c0 += f.w[k]!;
    absW += Math.abs(f.w[k]!);
  }
  const c0Error = gamma(f.w.length) * absW + pe.weight * absW;
  let nodeErrors = 0;
  const sum: WithError = { value: 0, error: 0 };
  for (let j = 0; j <= cells; j++) {
    const x = lo + j * h;
    const lower = x <= 0;
    tailSumWithError(f, x, !lower, pe, sum);
    const D = Math.abs(lower ? sum.value : c0 - sum.value);
    const wt = j === 0 || j === cells ? 0.5 : 1;
    fine += wt * D;
    if (j % 2 === 0) coarse += wt * D;
    const e = lower ? sum.error : (sum.error + c0Error) * ONE_ROUNDING_UP + UNIT_ROUNDOFF * D;
    nodeErrors += wt * e;
  }
  const rounding = quadratureRoundingBound(cells + 1, h, nodeErrors, fine);
  fine *= h;
  coarse *= 2 * h;
  return { value: fine, errorEstimate: Math.abs(fine - coarse) + rounding };
}

/**
 * χ²(p ‖ q) = ∫ p²/q − 1 for 1-D GMMs. Finiteness (closed form): the tails of p²/q behave like
 * exp(−x²(1/v_p − 1/(2 v_q))) with v_p the largest variance of p (positive weight), v_q that of q; the
 * integral is finite iff v_p < 2 v_q. Returns +∞ when infinite (never a finite estimate of ∞).
 * Otherwise the trapezoid rule of ./quadrature-1d.ts (`chiSquare1d`, log-domain integrand
 * exp(2 log p − log q) from `mixture1d`'s log-sum-exp densities) on a window where both ends are
 * below e^{−80} times the integrand's peak, with `cells` cells (at least 8 per smallest sd).
 * `errorEstimate` = chiSquare1d's ruleError: the step-halving estimate |T_h − T_{2h}| plus its
 * derived rounding bound (node errors from `logPdfError`, the sum's γ_{n+3}); the truncated tail
 * beyond the window (≤ e^{−80}·peak·width-scale, geometric decay) is not added. A finite χ² beyond
 * the double range returns value +∞ with errorEstimate +∞ (the value is unknown, not infinite); a
 * true +∞ (v_p ≥ 2 v_q) has errorEstimate 0. Throws for a dimension ≠ 1 or an atom, and a RangeError
 * when v_p is within rounding of 2 v_q (see below).
 */
export function mixtureChiSquare1d(p: GaussianMixture, q: GaussianMixture, cells = 20000): DistanceValue {
  const mp = mixture1d(p);
  const mq = mixture1d(q);
  let mMin = Infinity;
  let mMax = -Infinity;
  let sMin = Infinity;
  // largest variance of the positive-weight components; the means and smallest sd over both laws
  const scan = (m: Mixture1d): number => {
    let vMax = 0;
    for (let k = 0; k < m.weights.length; k++) if (m.weights[k]! > 0) {
      vMax = Math.max(vMax, m.sds[k]! ** 2);
      mMin = Math.min(mMin, m.means[k]!);
      mMax = Math.max(mMax, m.means[k]!);
      sMin = Math.min(sMin, m.sds[k]!);
    }
    return vMax;
  };
  const vp = scan(mp);
  const vq = scan(mq);
  // Finite iff v_p < 2 v_q, decided on the stored variances (2 v_q is exact), not on 1/v_p − 1/(2v_q),
  // which rounds to 0 or below a few ulp inside the boundary; c = (2v_q − v_p)/(2 v_p v_q).
  const storedMax = (m: GaussianMixture) => m.components.reduce((acc, g, k) => (m.weights[k]! > 0 ? Math.max(acc, g.cov[0]!) : acc), 0);
  const vpStored = storedMax(p);
  const vqStored = storedMax(q);
  if (!(vpStored < 2 * vqStored)) return { value: Infinity, errorEstimate: 0 };
  // the quadrature integrates the densities with s = √v rounded (mixture1d): their tails decay only if
  // s_p² < 2 s_q² as well, which rounding can undo within a few ulp of the boundary
  if (!(vp < 2 * vq)) throw new RangeError(`mixtureChiSquare1d: v_p = ${vpStored} is within rounding of 2 v_q = ${2 * vqStored} (D-3 boundary): the quadrature's densities (s = √v rounded) cannot resolve it; use the closed form`);
  const c = (2 * vq - vp) / (2 * vp * vq);
  // The integrand can peak far outside the means (p²/q ∝ exp(−c x² + b x)): start at means ± R and
  // widen until both ends are below e^{−80} times the largest value seen (geometric tail beyond).
  const R = Math.sqrt(120 / c) + Math.sqrt(2 * vp) * 12;
  let lo = mMin - R;
  let hi = mMax + R;
  const logIntegrand = (x: number) => 2 * mp.logPdf(x) - mq.logPdf(x);
  for (let it = 0; it < 60; it++) {
    let peak = -Infinity;
    const probe = 400;
    for (let j = 0; j <= probe; j++) peak = Math.max(peak, logIntegrand(lo + ((hi - lo) * j) / probe));
    const wl = logIntegrand(lo) > peak - 80;
    const wh = logIntegrand(hi) > peak - 80;
    if (!wl && !wh) break;
    if (wl) lo -= R;
    if (wh) hi += R;
  }
  const h = Math.min((hi - lo) / cells, sMin / 8);
  const n = Math.ceil((hi - lo) / h / 2) * 2;
  if (n <= MAX_CHI_SQUARE_INTERVALS) {
    const r = chiSquare1d(mp, mq, { lower: lo, upper: hi, intervals: n, rule: 'trapezoid' });
    return { value: Math.max(0, r.value), errorEstimate: r.ruleError, nodes: r.nodes };
  }
  return chiSquareSplitWindow(mp, mq, lo, hi, mMin, mMax, sMin, Math.sqrt(Math.max(vp, vq)), cells);
}

/**
 * Cost bound of `mixtureChiSquare1d`: one uniform grid of at most 2²⁰ intervals (≈ 0.3 s, ≈ 60 MB of
 * node arrays). Near the D-3 boundary (c = 1/v_p − 1/(2v_q) → 0⁺) the window grows like √(120/c)
 * while the step stays ≤ sMin/8, so one grid would need ≈ 8√(120/c)/sMin intervals (1e10 at c = 1e-16,
 * where shrinking drove a property: out of memory); beyond this cap the window is split.
 */
const MAX_CHI_SQUARE_INTERVALS = 2 ** 20;

/**
 * ∫ p²/q − 1 on [lo, hi] in three trapezoid pieces, used when one grid at step sMin/8 would exceed
 * MAX_CHI_SQUARE_INTERVALS: the core [mMin − 40 sMax, mMax + 40 sMax] (every component's structure)
 * at step min(len/cells, sMin/8), and each tail beyond it with at most MAX_CHI_SQUARE_INTERVALS / 4
 * intervals (step sMin/8 when that fits, else coarser: far from every mean the integrand is the
 * smooth exp(−c x² + b x + …) of width ≈ 1/√(2c), resolved by 2¹⁸ cells over ≈ 8 widths). Value =
 * Σ pieces − 1; errorEstimate = Σ step-halving estimates (each with its rounding bound) + the
 * rounding of the three-term sum and the subtraction, γ₃ (Σ |pieces| + 1) (a coarse tail step shows
 * up in its halving estimate, not hidden).
 */
function chiSquareSplitWindow(mp: Mixture1d, mq: Mixture1d, lo: number, hi: number, mMin: number, mMax: number, sMin: number, sMax: number, cells: number): DistanceValue {
  const coreLo = Math.max(lo, mMin - 40 * sMax);
  const coreHi = Math.min(hi, mMax + 40 * sMax);
  const evenIntervals = (len: number, step: number, cap: number) => Math.max(2, Math.min(cap, Math.ceil(len / step / 2) * 2));
  const pieces: Array<[number, number, number]> = [];
  if (coreLo > lo) pieces.push([lo, coreLo, evenIntervals(coreLo - lo, sMin / 8, MAX_CHI_SQUARE_INTERVALS / 4)]);
  pieces.push([coreLo, coreHi, evenIntervals(coreHi - coreLo, Math.min((coreHi - coreLo) / cells, sMin / 8), MAX_CHI_SQUARE_INTERVALS)]);
  if (hi > coreHi) pieces.push([coreHi, hi, evenIntervals(hi - coreHi, sMin / 8, MAX_CHI_SQUARE_INTERVALS / 4)]);
  let total = 0;
  let absTotal = 0;
  let error = 0;
  let nodes = 0;
  for (const [a, b, n] of pieces) {
    const [r] = ratioMoments1d(mp, mq, [1], { lower: a, upper: b, intervals: n, rule: 'trapezoid' }, [0]);
    if (!Number.isFinite(r!.value)) return { value: Infinity, errorEstimate: Infinity }; // beyond the double range, as one grid reports it
    total += r!.value;
    absTotal += Math.abs(r!.value);
    error += r!.ruleError;
    nodes += n + 1;
  }
  return { value: Math.max(0, total - 1), errorEstimate: error + gamma(3) * (absTotal + 1), nodes };
}

/**
 * KL(p ‖ q) = ∫ p log(p/q) for 1-D GMMs (always finite for GMMs): the trapezoid rule of
 * ./quadrature-1d.ts (`kl1d`, log-domain integrand from `mixture1d`) on every component ± 40 sd
 * (the mass beyond is < 1e-300), with max(`cells`, 8 per smallest sd) cells. `errorEstimate` =
 * kl1d's ruleError (step halving + derived rounding). Throws for a dimension ≠ 1 or an atom.
 */
export function mixtureKl1d(p: GaussianMixture, q: GaussianMixture, cells = 20000): DistanceValue {
  const mp = mixture1d(p);
  const mq = mixture1d(q);
  let lo = Infinity;
  let hi = -Infinity;
  let sMin = Infinity;
  for (const m of [mp, mq]) for (let k = 0; k < m.weights.length; k++) {
    lo = Math.min(lo, m.means[k]! - 40 * m.sds[k]!);
    hi = Math.max(hi, m.means[k]! + 40 * m.sds[k]!);
    sMin = Math.min(sMin, m.sds[k]!);
  }
  const n = Math.ceil(Math.max(cells, (hi - lo) / (sMin / 8)) / 2) * 2;
  const r = kl1d(mp, mq, { lower: lo, upper: hi, intervals: n, rule: 'trapezoid' });
  return { value: Math.max(0, r.value), errorEstimate: r.ruleError, nodes: r.nodes };
}

/** A 1-D GMM from (weight, mean, variance) triples. */
export function gmm1d(parts: readonly (readonly [number, number, number])[]): GaussianMixture {
  return gaussianMixture(
    parts.map((t) => t[0]),
    parts.map((t) => isotropicGaussian([t[1]], t[2])),
  );
}
