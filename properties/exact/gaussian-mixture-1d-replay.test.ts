/**
 * Exact tier: the certified error bounds of src/divergences/gaussian-mixture-1d.ts are THE FORMULAS
 * THEIR DOC COMMENTS STATE, term by term, rounding terms included (a specification check).
 *
 * Why a replay: the soundness of these bounds is checked elsewhere against closed forms
 * (gaussian-mixture-1d-values.test.ts: each estimate covers the true error; -bounds.test.ts: the
 * parameter-error terms integrate to their first-order closed forms and the fallback is exact). Those
 * checks cannot see a rounding-level term that is dropped, flipped in sign or moved (a bound that is
 * 1e-6 relative too small is still far above the true error of a smooth case), yet such a bound is no
 * longer the proven one. Here the documented formulas are evaluated for SINGLE-COMPONENT laws, where
 * every mixture sum has one or two terms and the computed quantile is exactly m + s·z (the solver's
 * bracket [min_k, max_k] of component quantiles is one point), so the replay below is short, follows
 * the doc comments' order of operations, and must match the module BIT FOR BIT (`toBe`): IEEE
 * arithmetic is deterministic and both sides call the same Math.exp / Math.sqrt and the module's
 * exported fastNormalTail (itself checked against src/statistics/normal.ts in -values.test.ts).
 *
 * Formulas replayed (u = 2⁻⁵³, γ_n = nu/(1 − nu)):
 * - tail-term error e(t̂, Q̂, dt) (`tailTermError`): own = 3e-316 for t̂ > 37.9, min(A, R·Q̂·(1 + 1e-6) +
 *   3e-316) for 0 ≤ t̂ ≤ 37.9, A + u for t̂ < 0 (A, R = FAST_TAIL_ABS_ERROR, FAST_TAIL_REL_ERROR); plus,
 *   for dt > 0, (1 + 2e-6)((t̂² + 1)/|t̂|)·Q_abs·dt when |t̂| ≥ 1 and |t̂|·dt ≤ 1e-6 (Q_abs = Q̂ + own,
 *   or 1 − Q̂ + own + u for t̂ < 0), else φ(max(0, |t̂| − dt))·dt;
 * - a tail sum Σ w_k T(t_k) (`tailSumWithError`): per term dt = ((γ₃ + pe.sd)|t̂| + (pe.mean|m| +
 *   pe.meanAbsolute)/s)(1 + γ₃), error |w|(e(t̂, Q̂, dt) + pe.weight(Q̂ + A)); total (Σ + γ_K Σ|w|Q̂)(1 + γ₂);
 * - the certified quantile error (`quantileErrorBound`): ĝ with error e_sum + e_target + u|ĝ|; first
 *   radius max(4·1e-13·max(1, |x̂|), 4u|x̂|) or 1.25(e + |ĝ|)/f(x̂) if larger, doubled until
 *   ĝ(x̂ − η) < −e and ĝ(x̂ + η) > e (40 attempts), else the component-quantile bracket;
 * - W2 (`mixtureW2Distance1d`): trapezoid in z on [−12, 12], errSq = |T_h − T_2h| + tail + γ_{n+8} T_h,
 *   tail = 2[A²Q(Z) + 2AB φ(Z) + B²(Zφ(Z) + Q(Z))] (A = spread of means, B = 2 × largest sd),
 *   error = min(√errSq, errSq/W2) + √(h Σ wt e_j² φ_j)(1 + γ₂) + u·W2, e_j = η_p + η_q + u|d_j|;
 * - W1 (`mixtureW1Distance1d`): trapezoid of |D| on every component ± 40 sd, node error e (lower sum
 *   for x ≤ 0; (e_upper + c0Error)(1 + 2u) + u|D| above (1 + 2u: the double above 1), c0Error = (γ_K + pe.weight)Σ|w|), error =
 *   |T_h − T_2h| + h(Σ wt e (1 + g) + g Σ wt|D|) + (n + 2)·2⁻¹⁰⁷⁴, g = γ_{n+2}, n = cells.
 *
 * The cases are chosen to reach every branch: nodes with |t̂| = 1 exactly and t̂ = 0 exactly and
 * x = 0 exactly (dyadic grids), t̂ > 37.9 (the ±40 sd ends), t̂ < 0 on both sides, parameter errors
 * that select the Mills branch (pe ≈ 1e-9) and the generic branch with certification failures on
 * one side only (pe ≈ 1e-2); each case asserts it reached what it is there for.
 */
import { describe, expect, it } from 'vitest';
import {
  EXACT_PARAMETERS,
  FAST_TAIL_ABS_ERROR,
  FAST_TAIL_REL_ERROR,
  fastNormalTail,
  gmm1d,
  mixtureW1Distance1d,
  mixtureW2Distance1d,
  type ParameterError,
} from '../../src/divergences/gaussian-mixture-1d.ts';
import { normalPdf, normalTail } from '../../src/statistics/normal.ts';

const U = 2 ** -53;
const gam = (n: number): number => (n * U) / (1 - n * U);
const G3 = gam(3);
/** Q(37.9) < 3e-316 (the module's documented underflow allowance of fastNormalTail). */
const UNDERFLOW_ALLOWANCE = 3e-316;
const INV_SQRT_2PI = 0.3989422804014327;
/**
 * The module's documented switch to the Mills-ratio form of the tail-term error: |t̂| ≥ 1 and
 * |t̂|·dt ≤ 1e-6, where max φ over [|t̂| − dt, |t̂| + dt] ≤ e^{|t̂|dt}φ(|t̂|) ≤ (1 + 2e-6)φ(|t̂|). A branch
 * point of the replayed formula, not a tolerance of this test.
 */
const MILLS_BRANCH_MAX_ARGUMENT_ERROR = 1e-6;

/** One component with a signed weight (p's with +w, q's with −w in a signed difference). */
interface Term {
  w: number;
  m: number;
  s: number;
}

/** Which branches a replay went through (each case asserts the ones it is there for). */
interface Reached {
  tAbove37_9: number;
  tZero: number;
  tAbsOne: number;
  tNegativeMills: number;
  mills: number;
  generic: number;
  xZero: number;
  leftFailedRightHeld: number;
  rightFailedLeftHeld: number;
  firstRadiusAboveTolerance: number;
  fallback: number;
}
const reachedNothing = (): Reached => ({ tAbove37_9: 0, tZero: 0, tAbsOne: 0, tNegativeMills: 0, mills: 0, generic: 0, xZero: 0, leftFailedRightHeld: 0, rightFailedLeftHeld: 0, firstRadiusAboveTolerance: 0, fallback: 0 });

function termError(t: number, q: number, dt: number, r: Reached): number {
  if (t > 37.9) r.tAbove37_9++;
  if (t === 0) r.tZero++;
  if (Math.abs(t) === 1) r.tAbsOne++;
  const own = t > 37.9 ? UNDERFLOW_ALLOWANCE : t >= 0 ? Math.min(FAST_TAIL_ABS_ERROR, FAST_TAIL_REL_ERROR * q * (1 + 1e-6) + UNDERFLOW_ALLOWANCE) : FAST_TAIL_ABS_ERROR + U;
  if (dt === 0) return own;
  const at = Math.abs(t);
  if (at >= 1 && at * dt <= MILLS_BRANCH_MAX_ARGUMENT_ERROR) {
    r.mills++;
    if (t < 0) r.tNegativeMills++;
    const qAbs = t >= 0 ? q + own : 1 - q + own + U;
    return own + (1 + 2e-6) * ((at * at + 1) / at) * qAbs * dt;
  }
  r.generic++;
  const xi = Math.max(0, at - dt);
  return own + INV_SQRT_2PI * Math.exp(-0.5 * xi * xi) * dt;
}

function tailSum(terms: readonly Term[], x: number, upper: boolean, pe: ParameterError, r: Reached): { value: number; error: number } {
  let value = 0;
  let err = 0;
  let absSum = 0;
  for (const { w, m, s } of terms) {
    const t = upper ? (x - m) / s : (m - x) / s;
    const q = fastNormalTail(t);
    value += w * q;
    const dt = ((G3 + pe.sd) * Math.abs(t) + (pe.mean * Math.abs(m) + (pe.meanAbsolute ?? 0)) / s) * (1 + G3);
    err += Math.abs(w) * (termError(t, q, dt, r) + pe.weight * (q + FAST_TAIL_ABS_ERROR));
    absSum += Math.abs(w) * q;
  }
  return { value, error: (err + gam(terms.length) * absSum) * (1 + gam(2)) };
}

/** Certified |x̂ − x| for one component N(m, s²) at u = Φ(z), x̂ = m + s z. */
function quantileError(c: Term, z: number, xHat: number, pe: ParameterError, r: Reached): number {
  const lowerSide = z <= 0;
  const target = lowerSide ? fastNormalTail(-z) : fastNormalTail(z);
  const targetError = termError(lowerSide ? -z : z, target, 0, r);
  const g = (x: number) => {
    const sum = tailSum([c], x, !lowerSide, pe, r);
    const value = lowerSide ? sum.value - target : target - sum.value;
    return { value, error: sum.error + targetError + U * Math.abs(value) };
  };
  const at = g(xHat);
  const zk = (xHat - c.m) / c.s;
  const dens = ((c.w * Math.exp(-0.5 * zk * zk)) / c.s) * INV_SQRT_2PI;
  const tolerance = Math.max(4 * 1e-13 * Math.max(1, Math.abs(xHat)), 4 * U * Math.abs(xHat));
  const first = (1.25 * (at.error + Math.abs(at.value))) / dens;
  if (dens > 0 && first > tolerance) r.firstRadiusAboveTolerance++;
  let eta = dens > 0 ? Math.max(tolerance, first) : tolerance;
  for (let attempt = 0; attempt < 40 && Number.isFinite(eta); attempt++, eta *= 2) {
    const gl = g(xHat - eta);
    const gr = g(xHat + eta);
    const leftHolds = gl.value < -gl.error;
    const rightHolds = gr.value > gr.error;
    if (leftHolds && rightHolds) return xHat + eta - (xHat - eta);
    if (!leftHolds && rightHolds) r.leftFailedRightHeld++;
    if (leftHolds && !rightHolds) r.rightFailedLeftHeld++;
  }
  r.fallback++;
  const q = c.m + c.s * z;
  return Math.max(xHat - q, q - xHat, 0) + (gam(4) + pe.mean + pe.sd) * (Math.abs(c.m) + c.s * Math.abs(z)) + (pe.meanAbsolute ?? 0);
}

/** W2 between N(p.m, p.s²) and N(q.m, q.s²) by the documented rule, bit for bit. */
function w2Replay(p: Term, q: Term, steps: number, pe: ParameterError, r: Reached): { value: number; errorEstimate: number } {
  const Z = 12;
  const h = (2 * Z) / steps;
  let sFine = 0;
  let sCoarse = 0;
  let squaredNodeErrors = 0;
  for (let j = 0; j <= steps; j++) {
    const z = -Z + j * h;
    const xp = p.m + p.s * z;
    const xq = q.m + q.s * z;
    const d = xp - xq;
    const phi = normalPdf(z);
    const v = d * d * phi;
    const wt = j === 0 || j === steps ? 0.5 : 1;
    sFine += wt * v;
    if (j % 2 === 0) sCoarse += wt * v;
    const e = quantileError(p, z, xp, pe, r) + quantileError(q, z, xq, pe, r) + U * Math.abs(d);
    squaredNodeErrors += wt * e * e * phi;
  }
  sFine *= h;
  sCoarse *= 2 * h;
  const A = Math.max(p.m, q.m) - Math.min(p.m, q.m);
  const B = 2 * Math.max(p.s, q.s);
  const tail = 2 * (A * A * normalTail(Z) + 2 * A * B * normalPdf(Z) + B * B * (Z * normalPdf(Z) + normalTail(Z)));
  const errSq = Math.abs(sFine - sCoarse) + tail + gam(steps + 8) * sFine;
  const value = Math.sqrt(sFine);
  const errOfSquare = value > 0 ? Math.min(Math.sqrt(errSq), errSq / value) : Math.sqrt(errSq);
  return { value, errorEstimate: errOfSquare + Math.sqrt(h * squaredNodeErrors) * (1 + gam(2)) + U * value };
}

/** W1 of the signed difference `terms` (p's components, then q's with negated weights), bit for bit. */
function w1Replay(terms: readonly Term[], cells: number, pe: ParameterError, r: Reached): { value: number; errorEstimate: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let c0 = 0;
  let absW = 0;
  for (const { w, m, s } of terms) {
    lo = Math.min(lo, m - 40 * s);
    hi = Math.max(hi, m + 40 * s);
    c0 += w;
    absW += Math.abs(w);
  }
  const h = (hi - lo) / cells;
  const c0Error = gam(terms.length) * absW + pe.weight * absW;
  let fine = 0;
  let coarse = 0;
  let nodeErrors = 0;
  for (let j = 0; j <= cells; j++) {
    const x = lo + j * h;
    if (x === 0) r.xZero++;
    const lower = x <= 0;
    const sum = tailSum(terms, x, !lower, pe, r);
    const D = Math.abs(lower ? sum.value : c0 - sum.value);
    const wt = j === 0 || j === cells ? 0.5 : 1;
    fine += wt * D;
    if (j % 2 === 0) coarse += wt * D;
    nodeErrors += wt * (lower ? sum.error : (sum.error + c0Error) * (1 + 2 * U) + U * D);
  }
  const g = gam(cells + 2);
  const rounding = h * (nodeErrors * (1 + g) + g * fine) + (cells + 2) * 2 ** -1074;
  fine *= h;
  coarse *= 2 * h;
  return { value: fine, errorEstimate: Math.abs(fine - coarse) + rounding };
}

const law = (t: Term) => gmm1d([[t.w, t.m, t.s * t.s]]);

/** Parameter errors of the three W2 / W1 regimes: none, Mills branch (tiny), generic branch (large). */
const PE_MILLS: ParameterError = { weight: 1e-9, mean: 2e-9, sd: 1e-9, meanAbsolute: 3e-9 };
const PE_LARGE: ParameterError = { weight: 1e-3, mean: 1e-3, sd: 2e-2, meanAbsolute: 1e-3 };

describe('W2 certified error: the documented formula, bit for bit (two single Gaussians)', () => {
  // s² exact and √(s²) = s: the module's s = √v is the s written here
  const P: Term = { w: 1, m: 0.3, s: 3 };
  const Q: Term = { w: 1, m: -1.1, s: 1.5 };

  it('exact parameters (pe = 0): rounding terms only; the moderate tails carry the first radius', () => {
    for (const steps of [1200, 200]) {
      const r = reachedNothing();
      const want = w2Replay(P, Q, steps, EXACT_PARAMETERS, r);
      const got = mixtureW2Distance1d(law(P), law(Q), steps);
      expect(got.value).toBe(want.value);
      expect(got.errorEstimate).toBe(want.errorEstimate);
      expect(r.mills).toBeGreaterThan(0);
      expect(r.firstRadiusAboveTolerance).toBeGreaterThan(0);
    }
  });

  it('identical laws (W2 = 0): the tail bound and the z = 0 node (steps = 192: h = 1/8) are visible', () => {
    // with sFine = 0 the rounding term γ_{n+8}·sFine vanishes and errSq is the proven tail bound alone
    const r = reachedNothing();
    const want = w2Replay(P, { ...P }, 192, EXACT_PARAMETERS, r);
    const got = mixtureW2Distance1d(law(P), law({ ...P }), 192);
    expect(got.value).toBe(0);
    expect(got.errorEstimate).toBe(want.errorEstimate);
    expect(r.tZero).toBeGreaterThan(0);
  });

  it('tiny parameter errors (Mills branch of the tail-term error)', () => {
    const r = reachedNothing();
    const want = w2Replay(P, Q, 400, PE_MILLS, r);
    const got = mixtureW2Distance1d(law(P), law(Q), 400, PE_MILLS);
    expect(got.errorEstimate).toBe(want.errorEstimate);
    expect(r.mills).toBeGreaterThan(0);
  });

  it('large parameter errors: generic branch; some radii certify on one side only and double', () => {
    const r = reachedNothing();
    const want = w2Replay(P, Q, 400, PE_LARGE, r);
    const got = mixtureW2Distance1d(law(P), law(Q), 400, PE_LARGE);
    expect(got.errorEstimate).toBe(want.errorEstimate);
    expect(r.generic).toBeGreaterThan(0);
    expect(r.leftFailedRightHeld).toBeGreaterThan(0);
    expect(r.rightFailedLeftHeld).toBeGreaterThan(0);
  });
});

describe('W1 certified error: the documented formula, bit for bit (signed differences of Gaussians)', () => {
  // s = 0.75, means ±2: the range is [−32, 32] and 16384 cells give the dyadic step 2⁻⁸, so x = 0,
  // x = m (t = 0) and x = m ± s (|t| = 1) are nodes; the ends sit 40 sd out (t > 37.9)
  const P: Term = { w: 1, m: -2, s: 0.75 };
  const Q: Term = { w: 1, m: 2, s: 0.75 };
  const signed = [P, { ...Q, w: -1 }];

  it('exact parameters: every branch of the node error', () => {
    const r = reachedNothing();
    const want = w1Replay(signed, 16384, EXACT_PARAMETERS, r);
    const got = mixtureW1Distance1d(law(P), law(Q), 16384);
    expect(got.value).toBe(want.value);
    expect(got.errorEstimate).toBe(want.errorEstimate);
    expect(r.xZero).toBe(1);
    expect(r.tZero).toBeGreaterThan(0);
    expect(r.tAbsOne).toBeGreaterThan(0);
    expect(r.tAbove37_9).toBeGreaterThan(0);
    expect(r.tNegativeMills).toBeGreaterThan(0);
  });

  it('parameter errors, tiny and large', () => {
    for (const pe of [PE_MILLS, PE_LARGE]) {
      const r = reachedNothing();
      const want = w1Replay(signed, 16384, pe, r);
      expect(mixtureW1Distance1d(law(P), law(Q), 16384, pe).errorEstimate).toBe(want.errorEstimate);
      expect(pe === PE_MILLS ? r.tNegativeMills : r.generic).toBeGreaterThan(0);
    }
  });

  it('a total signed weight that is not exactly 0 (p\'s stored weights sum to 1 + 2⁻⁵² in the order summed)', () => {
    // c0 = Σw enters D = c0 − survival above 0 and must be the computed sum, not its ideal 0
    const parts: Array<[number, number, number]> = [[0.7, -2, 0.5625], [0.2, -1, 0.5625], [0.1, 0, 0.5625]];
    const p = gmm1d(parts);
    const terms: Term[] = [...p.weights].map((w, k) => ({ w, m: parts[k]![1], s: 0.75 }));
    const c0 = terms.reduce((acc, t) => acc + t.w, 0) - 1;
    expect(c0).not.toBe(0);
    const r = reachedNothing();
    const want = w1Replay([...terms, { ...Q, w: -1 }], 16384, EXACT_PARAMETERS, r);
    const got = mixtureW1Distance1d(p, law(Q), 16384);
    expect(got.value).toBe(want.value);
    expect(got.errorEstimate).toBe(want.errorEstimate);
  });

  it('unequal sds (the |D| kink: the step-halving term is no longer rounding-level), two components', () => {
    const A: Term = { w: 1, m: 0.5, s: 1.5 };
    const r = reachedNothing();
    const want = w1Replay([A, { ...P, w: -1 }], 3000, EXACT_PARAMETERS, r);
    const got = mixtureW1Distance1d(law(A), law(P), 3000);
    expect(got.value).toBe(want.value);
    expect(got.errorEstimate).toBe(want.errorEstimate);
  });
});
