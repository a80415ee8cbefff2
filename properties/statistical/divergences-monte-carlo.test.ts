/**
 * Monte Carlo divergences (src/divergences/monte-carlo.ts) against closed forms (d-D) and 1-D
 * quadrature (GMM ‖ GMM), docs/theory.md §5.1–5.2, D-3.
 *
 * Statistical assertions: |estimate − oracle| ≤ z·SE + oracle error, z = zTwoSided(ASSERTION_DELTA)
 * ≈ 6.47 (src/statistics/budget.ts), one comparison = one δ; each property declares its plan to an
 * `EvaluationBudget` (runs + ≤ 50 shrink evaluations) so its charge is (runs + 50)·k·δ; each
 * comparison is counted (chargePipeline) just before it is made.
 *
 * CLT validity. The studentised mean is compared with a normal quantile at 1e-10, which needs light
 * tails of the summand. KL: log p − log q is a quadratic form of a Gaussian-mixture draw
 * (sub-exponential): fine. χ²: the summand w = p/q has E_p[w^k] < ∞ iff (k+1) S_j⁻¹ − k S_q⁻¹ ≻ 0
 * for every j; configurations are built with S_j = S_q^{1/2} C S_q^{1/2}, eig(C) ≤ C_MAX = 1.15,
 * so moments up to k = 6 are finite ((k+1)/k > 1.15 ⇔ k < 6.7), and n = N_SAMPLES = 40 000 keeps
 * the Edgeworth skewness term γ(2z²+1)/(6√n) below ~1 for γ ≤ 5: the effective δ is then within a
 * small factor (≤ 3) of the nominal 1e-10. This is an assumption of the test, stated rather than hidden.
 * Power: the smallest detectable error is ≈ 2 z·SE (printed SE ~ 1e-2 relative), so a wrong closed
 * form or a biased estimator with relative error ≳ 10% is caught with probability ≈ 1.
 *
 * Exception, 1-D χ²(GMM ‖ GMM): there q's widest component can carry a small weight and p/q is then
 * far too skewed for the CLT at 1e-10 (a fresh seed found estimate 274 vs truth 543 at 6.5 SE, M_2 =
 * E(p/q)² ≈ 4e12 with χ² ≈ 525). That comparison uses a certified radius from quadrature moments
 * (`certifiedImportanceRadius`: Maurer below, Markov truncation + Bernstein above, no normal
 * approximation); its power is printed per run (median radius ≈ 11 % of 1 + χ² on the default seed;
 * the heavy cases are honestly powerless).
 */
import { afterAll, describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, singleGaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { gaussianChiSquare, gaussianKL } from '../../src/divergences/gaussian.ts';
import { mixtureChiSquare } from '../../src/divergences/mixture-vs-gaussian.ts';
import { chiSquareMonteCarlo, chiSquareStatus, klMonteCarlo } from '../../src/divergences/monte-carlo.ts';
import { chiSquare1d, kl1d, mixture1d, ratioMoments1d } from '../../src/divergences/quadrature-1d.ts';
import { normalTail } from '../../src/statistics/normal.ts';
import { gamma, LIBM_RELATIVE, UNIT_ROUNDOFF } from '../../src/numerics/rounding.ts';
import { sqrtPsd, matmul } from '../../src/linalg/dense.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { ASSERTION_DELTA, EvaluationBudget } from '../../src/statistics/budget.ts';
import { zTwoSided } from '../../src/statistics/normal.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { boundedDouble as dbl, caseSeed, spdMatrixArb, vectorArb as vec } from '../support/arbitraries.ts';

const Z = zTwoSided(ASSERTION_DELTA);
const N_SAMPLES = 40_000;
const C_MAX = 1.15;
const NUM_RUNS = 15;
/** closed-form rounding (relative), negligible next to z·SE but stated. */
const CLOSED_FORM_REL = 1e-11;

/** Householder reflection I − 2uuᵀ/|u|² (orthogonal) — rotates C's eigenbasis without filtering. */
function householder(u: number[], d: number): Float64Array {
  let n = 0;
  for (const x of u) n += x * x;
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i * d + j] = (i === j ? 1 : 0) - (n > 1e-12 ? (2 * u[i]! * u[j]!) / n : 0);
  return h;
}

/** S = R C R with R = S_q^{1/2}, C = H diag(c) Hᵀ, c ∈ [c_min, C_MAX]: 3 S_q − 2 S ≻ 0 by construction. */
function relativeCov(sq: Float64Array, d: number, c: number[], u: number[]): Float64Array {
  const r = sqrtPsd(sq, d);
  const h = householder(u, d);
  const cd = new Float64Array(d * d);
  for (let i = 0; i < d; i++) cd[i * d + i] = c[i]!;
  const C = matmul(matmul(h, cd, d), h, d);
  const s = matmul(matmul(r, C, d), r, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) s[i * d + j] = s[j * d + i] = 0.5 * (s[i * d + j]! + s[j * d + i]!);
  return s;
}

/** S_q = L Lᵀ + c I, L ∈ [−0.8, 0.8]^{d×d}, c ∈ [0.2, 1.2] (SPD by construction). */
const spdArb = (d: number) => spdMatrixArb(d, 0.8, { min: 0.2, max: 1.2 });

interface GmmCase {
  p: GaussianMixture;
  q: Gaussian;
  seed: number;
}

/** p = Σ_j w_j N(m_q + S_q^{1/2} δ_j, S_q^{1/2} C_j S_q^{1/2}), |δ_j,i| ≤ 1.2, eig(C_j) ∈ [0.3, C_MAX]. */
const gmmCaseArb: fc.Arbitrary<GmmCase> = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 3 }) })
  .chain(({ d, K }) =>
    fc.record({
      sq: spdArb(d),
      mq: vec(d, -2, 2),
      comps: fc.array(fc.record({ delta: vec(d, -1.2, 1.2), c: vec(d, 0.3, C_MAX), u: vec(d, -1, 1), w: dbl(0.1, 1) }), { minLength: K, maxLength: K }),
      seed: caseSeed(),
    }).map(({ sq, mq, comps, seed }) => {
      const r = sqrtPsd(sq, d);
      const q = fullGaussian(mq, sq);
      const total = comps.reduce((s, c) => s + c.w, 0);
      const gs = comps.map((c) => {
        const m = new Float64Array(d);
        for (let i = 0; i < d; i++) {
          let s = mq[i]!;
          for (let k = 0; k < d; k++) s += r[i * d + k]! * c.delta[k]!;
          m[i] = s;
        }
        return fullGaussian(m, relativeCov(sq, d, c.c, c.u));
      });
      return { p: gaussianMixture(comps.map((c) => c.w / total), gs), q, seed };
    }),
  );

describe('§5.1/D-3 Gaussian χ² and KL: closed form = Monte Carlo (CLT bound at ASSERTION_DELTA)', () => {
  const budget = new EvaluationBudget({ numRuns: NUM_RUNS, comparisonsPerEvaluation: 2 });
  test.prop([gmmCaseArb.map((c) => ({ ...c, p: singleGaussianMixture(c.p.components[0]!) }))], { numRuns: NUM_RUNS })('single Gaussians, d ≤ 4, iso/full', ({ p, q, seed }) => {
    if (!budget.tryEvaluate()) return;
    const g = p.components[0]!;
    const qm = singleGaussianMixture(q);
    const chi = gaussianChiSquare(g, q);
    const mc = chiSquareMonteCarlo(p, qm, N_SAMPLES, rngForCase(seed, 'gauss-chi2'));
    expect(mc.heavyTail).toBe(false);
    chargePipeline('divergences-monte-carlo.test.ts');
    expect(Math.abs(mc.estimate - chi)).toBeLessThanOrEqual(Z * mc.standardError + CLOSED_FORM_REL * (1 + chi));
    const kl = gaussianKL(g, q);
    const mk = klMonteCarlo(p, qm, N_SAMPLES, rngForCase(seed, 'gauss-kl'));
    chargePipeline('divergences-monte-carlo.test.ts');
    expect(Math.abs(mk.estimate - kl)).toBeLessThanOrEqual(Z * mk.standardError + CLOSED_FORM_REL * (1 + kl));
  });
});

describe('§5.2 χ²(GMM ‖ Gaussian) closed form = Monte Carlo in d-D (D_i for Gaussian p_data)', () => {
  const budget = new EvaluationBudget({ numRuns: NUM_RUNS, comparisonsPerEvaluation: 1 });
  test.prop([gmmCaseArb], { numRuns: NUM_RUNS })('K ≤ 3 components, d ≤ 4', ({ p, q, seed }) => {
    if (!budget.tryEvaluate()) return;
    const chi = mixtureChiSquare(p, q);
    const mc = chiSquareMonteCarlo(p, singleGaussianMixture(q), N_SAMPLES, rngForCase(seed, 'gmm-chi2'));
    expect(mc.finiteness).toBe('finite');
    expect(mc.varianceFinite).toBe(true);
    chargePipeline('divergences-monte-carlo.test.ts');
    expect(Math.abs(mc.estimate - chi)).toBeLessThanOrEqual(Z * mc.standardError + CLOSED_FORM_REL * (1 + chi));
  });
});

/**
 * ∫ outside [lo, hi] of N(m_j, S_j)^{k+1} / N(m0, S0)^k (closed form; requires A = (k+1)/S_j − k/S0 > 0):
 * the exponent is −½A(x − c)² + ½(B²/A − C) + log-normalisers with B = (k+1)m_j/S_j − k m0/S0,
 * C = (k+1)m_j²/S_j − k m0²/S0, c = B/A, so the integral is e^{…}·√(2π/A)·[Q((hi − c)√A) + Q((c − lo)√A)].
 */
function gaussianPowerRatioTail(k: number, mj: number, sj: number, m0: number, s0: number, lo: number, hi: number): number {
  const A = (k + 1) / sj - k / s0;
  if (!(A > 0)) return Infinity;
  const B = ((k + 1) * mj) / sj - (k * m0) / s0;
  const C = ((k + 1) * mj * mj) / sj - (k * m0 * m0) / s0;
  const c = B / A;
  const logScale = -0.5 * (k + 1) * Math.log(2 * Math.PI * sj) + 0.5 * k * Math.log(2 * Math.PI * s0) + 0.5 * (B * B / A - C) + 0.5 * Math.log((2 * Math.PI) / A);
  // in logs: the scale can overflow while the tail probabilities underflow
  const logTail = (t: number) => Math.log(normalTail(t));
  return Math.exp(logScale + logTail((hi - c) * Math.sqrt(A))) + Math.exp(logScale + logTail((c - lo) * Math.sqrt(A)));
}

/**
 * Certified two-sided radius of the importance-sampling mean W̄ of W = p(X)/q(X) ≥ 0, X ~ p i.i.d.,
 * at total level δ (no normal approximation), from bounds on the moments M_k = E W^k:
 * - below: W ≥ 0 gives E e^{−λW} ≤ exp(−λμ + λ² M_2/2) (e^{−x} ≤ 1 − x + x²/2, x ≥ 0), so
 *   P(W̄ ≤ μ − t) ≤ exp(−n t²/(2 M_2)) (Maurer 2003): t_low = √(2 M_2 ln(2/δ)/n) at δ/2;
 * - above: truncate at b. P(max_i W_i > b) ≤ n min_k M_k/b^k (Markov) ≤ δ/4 fixes
 *   b = min_k (4 n M_k/δ)^{1/k}; Y = min(W, b) ∈ [0, b] has E Y ≤ μ and Var Y ≤ M_2, so Bernstein at
 *   δ/4 gives P(Ȳ ≥ μ + t) ≤ δ/4 for t_up = √(2 M_2 L/n) + 2bL/(3n), L = ln(4/δ).
 */
function certifiedImportanceRadius(n: number, delta: number, m2: number, moments: readonly { k: number; bound: number }[]): { below: number; above: number } {
  const below = Math.sqrt((2 * m2 * Math.log(2 / delta)) / n);
  let b = Infinity;
  for (const { k, bound } of moments) b = Math.min(b, ((4 * n * bound) / delta) ** (1 / k));
  const L = Math.log(4 / delta);
  return { below, above: Math.sqrt((2 * m2 * L) / n) + (2 * b * L) / (3 * n) };
}

/**
 * Rounding bound of the closed-form 1 + χ²(p‖N_q)·(…) route of src/divergences/mixture-vs-gaussian.ts
 * in 1-D, as an absolute bound on its log: each pair term log J_ab = −½log C − ½Δ²/C + log S_q − ½log B
 * + ½dm²/B (C = S_a + S_b, B = S_q − S_aS_b/C, Δ = m_a − m_b, dm = m_a − m_q − S_aΔ/C; the diagonal
 * Rényi form has the same shape with B = S_q − S_a/2) is built from ≤ 8 roundings per quantity, so
 * each quantity is within γ_8 of its magnitude; B's absolute error γ_8(S_q + 2S_a) is amplified by
 * the cancellation ρ = γ_8(S_q + 2S_a)/B in ½log B and in dm²/B, dm's error γ_8(|m_a| + |m_q| + S_a|Δ|/C)
 * enters dm²/B doubled. The log-weights (2 logs + log 2), the log-sum-exp of n pairs (γ_{n+1} +
 * n·LIBM_RELATIVE + u·|result|) add on.
 */
function closedFormLogError(p: GaussianMixture, q: Gaussian): number {
  const g8 = gamma(8);
  const sq = q.cov[0]!;
  const mq = q.mean[0]!;
  let maxErr = 0;
  let maxTerm = 0;
  let n = 0;
  for (let a = 0; a < p.components.length; a++) for (let b = a; b < p.components.length; b++) {
    n++;
    const sa = p.components[a]!.cov[0]!;
    const sb = p.components[b]!.cov[0]!;
    const ma = p.components[a]!.mean[0]!;
    const mb = p.components[b]!.mean[0]!;
    const C = sa + sb;
    const B = sq - (sa * sb) / C;
    const D = ma - mb;
    const dm = ma - mq - (sa * D) / C;
    const rho = (g8 * (sq + 2 * sa)) / B;
    const dmErr = g8 * (Math.abs(ma) + Math.abs(mq) + (sa * Math.abs(D)) / C);
    const magnitude = Math.abs(0.5 * Math.log(C)) + (0.5 * D * D) / C + Math.abs(Math.log(sq)) + Math.abs(0.5 * Math.log(B)) + (0.5 * dm * dm) / B;
    const lw = Math.abs(Math.log(p.weights[a]!)) + Math.abs(Math.log(p.weights[b]!)) + Math.LN2;
    const err = g8 * (magnitude + lw) + 0.5 * rho * (1 + rho) + (0.5 * dm * dm * rho) / B + (dmErr * (Math.abs(dm) + dmErr)) / B + 3 * LIBM_RELATIVE * (1 + lw);
    maxErr = Math.max(maxErr, err);
    maxTerm = Math.max(maxTerm, magnitude + lw);
  }
  return (maxErr + gamma(n + 1) + n * LIBM_RELATIVE + UNIT_ROUNDOFF * (maxTerm + Math.log(n))) * (1 + gamma(2));
}

describe('§5.2 χ² and KL between 1-D GMMs: Monte Carlo = quadrature; heavy-tail flag', () => {
  /**
   * q = Σ_k v_k N(μ_k, s_k²) with component 0 the widest (s_0 = s_max); p's components have
   * variances ≤ C_MAX s_0², so criterion (b) proves χ² and the estimator variance finite via k = 0.
   * Quadrature window: means ± (9·spread + 42 s_max): p²/q ≤ p²/(v_0 N_0) has Gaussian tails of
   * width ≤ 3 s_0 centred within 9·spread of the means, so the truncated part is ≤ (1+χ²)/v_0 ·
   * 2Q(14) < 1e-40·(1+χ²)/v_0 (QUAD_TAIL below); KL's integrand p·|log p − log q| is smaller still.
   */
  const QUAD_TAIL = 1e-30;
  const QUAD_INTERVALS = 16384;
  /** Importance-weight moments used by the certified radius: M_2 (variance) and the Markov orders. */
  const MOMENT_ORDERS = [2, 4, 6];
  const caseArb = fc.record({
    qComps: fc.array(fc.tuple(dbl(-2, 2), dbl(0.3, 1), dbl(0.2, 1)), { minLength: 1, maxLength: 3 }),
    s0: dbl(0.5, 1.5),
    pComps: fc.array(fc.tuple(dbl(-1.5, 1.5), dbl(0.3, C_MAX), dbl(0.2, 1)), { minLength: 1, maxLength: 3 }),
    seed: caseSeed(),
  });
  const budget = new EvaluationBudget({ numRuns: NUM_RUNS, comparisonsPerEvaluation: 2 });
  /** certified χ² radius relative to 1 + χ² per evaluated case (printed: the power of the comparison) */
  const radii: number[] = [];
  afterAll(() => {
    if (radii.length > 0) {
      const sorted = [...radii].sort((a, b) => a - b);
      process.stderr.write(`[divergences-monte-carlo] certified χ² radius / (1+χ²): median ${sorted[sorted.length >> 1]!.toPrecision(3)}, max ${sorted[sorted.length - 1]!.toPrecision(3)} over ${sorted.length} cases\n`);
    }
  });
  test.prop([caseArb], { numRuns: NUM_RUNS })('finite-variance side (criterion (b))', ({ qComps, s0, pComps, seed }) => {
    if (!budget.tryEvaluate()) return;
    const vq = qComps.reduce((s, c) => s + c[2], 0);
    const q = gaussianMixture(qComps.map((c) => c[2] / vq), qComps.map((c, k) => isotropicGaussian([c[0]], (k === 0 ? 1 : c[1]) * s0 * s0)));
    const wp = pComps.reduce((s, c) => s + c[2], 0);
    const p = gaussianMixture(pComps.map((c) => c[2] / wp), pComps.map((c) => isotropicGaussian([c[0] * s0], c[1] * s0 * s0)));
    const st = chiSquareStatus(p, q);
    expect(st.finiteness).toBe('finite');
    expect(st.varianceFinite).toBe(true);
    const p1 = mixture1d(p);
    const q1 = mixture1d(q);
    const means = [...p1.means, ...q1.means];
    const spread = Math.max(...means) - Math.min(...means);
    const w = { lower: Math.min(...means) - 9 * spread - 42 * s0, upper: Math.max(...means) + 9 * spread + 42 * s0, intervals: QUAD_INTERVALS };
    const ub = st.upperBound!;
    const quadChi = chiSquare1d(p1, q1, { ...w, tailBound: QUAD_TAIL * (1 + ub) / q.weights[0]! });
    const mc = chiSquareMonteCarlo(p, q, N_SAMPLES, rngForCase(seed, 'gmm-gmm-chi2'));
    expect(mc.heavyTail).toBe(false);
    // Certified radius (not the CLT: p/q can be far too skewed for a normal quantile at 1e-10, seed
    // 31337 found a case with estimate 274 vs truth 543 at 6.5 SE). Moments M_k = ∫p^{k+1}/q^k for
    // k ≤ MAX_MOMENT by quadrature: finite since (k+1)/C_MAX > k for k ≤ 6; truncated tail bounded
    // by Jensen, p^{k+1} ≤ Σ_j w_j N_j^{k+1}, and q ≥ v_0 N_0: ≤ v_0^{−k} Σ_j w_j ∫_out N_j^{k+1}/N_0^k.
    const tails = MOMENT_ORDERS.map((k) => {
      let tail = 0;
      for (let j = 0; j < p1.weights.length; j++) tail += p1.weights[j]! * gaussianPowerRatioTail(k, p1.means[j]!, p1.sds[j]! ** 2, q1.means[0]!, q1.sds[0]! ** 2, w.lower, w.upper);
      return (2 * tail) / q.weights[0]! ** k; // ×2: the closed form's own rounding (relative ≪ 1)
    });
    // a moment that overflows a double (heavy tails near k = 6.67) is simply not used for b; M_2 always is
    const moments = ratioMoments1d(p1, q1, MOMENT_ORDERS, w, tails)
      .map((r, i) => ({ k: MOMENT_ORDERS[i]!, bound: r.value + r.error }))
      .filter((m) => Number.isFinite(m.bound));
    const m2 = moments.find((m) => m.k === 2)?.bound ?? Infinity;
    const radius = certifiedImportanceRadius(N_SAMPLES, ASSERTION_DELTA, m2, moments);
    radii.push((radius.above + radius.below) / 2 / (1 + quadChi.value));
    const deviation = mc.estimate - quadChi.value;
    // one comparison: the two sides split ASSERTION_DELTA inside certifiedImportanceRadius
    chargePipeline('divergences-monte-carlo.test.ts');
    expect(deviation).toBeGreaterThanOrEqual(-(radius.below + quadChi.error));
    expect(deviation).toBeLessThanOrEqual(radius.above + quadChi.error);
    // criterion (b)'s bound is an upper bound (exact when q is one Gaussian): ub = e^{L̂ − log v_k} − 1 with L̂
    // within closedFormLogError of its exact value (plus log v_k's and expm1's roundings)
    // (the bound uses one qualifying component k, 2S_k > S_j for all j: take the largest error over them)
    let logErr = 0;
    q.components.forEach((g, k) => {
      if (p.components.every((c) => 2 * g.cov[0]! - c.cov[0]! > 0)) logErr = Math.max(logErr, closedFormLogError(p, g) + LIBM_RELATIVE * (1 + Math.abs(Math.log(q.weights[k]!))));
    });
    const ubError = (1 + ub) * Math.expm1(logErr) + LIBM_RELATIVE * Math.abs(ub);
    expect(quadChi.value).toBeLessThanOrEqual(ub + ubError + quadChi.error);
    const quadKl = kl1d(p1, q1, { ...w, tailBound: QUAD_TAIL });
    const mk = klMonteCarlo(p, q, N_SAMPLES, rngForCase(seed, 'gmm-gmm-kl'));
    chargePipeline('divergences-monte-carlo.test.ts');
    expect(Math.abs(mk.estimate - quadKl.value)).toBeLessThanOrEqual(Z * mk.standardError + quadKl.error);
  });

  test('finite χ² with unproven variance is flagged heavyTail with a warning (no false confidence)', () => {
    const p = singleGaussianMixture(isotropicGaussian([0], 1.7));
    const q = singleGaussianMixture(isotropicGaussian([0], 1));
    const mc = chiSquareMonteCarlo(p, q, 1000, rngForCase(1, 'heavy'));
    expect(mc.finiteness).toBe('finite');
    expect(mc.varianceFinite).toBe(false);
    expect(mc.heavyTail).toBe(true);
    expect(mc.warning).toMatch(/variance/);
  });

  test('neither criterion applies: finite estimate flagged heavyTail, finiteness unknown (said, not pretended)', () => {
    // every direction has a q component with uᵀQ_k u > 0 (no witness), but no single q component
    // dominates p (2 S_k − S_j is indefinite for both k): found by search, kept as a fixed example
    const p = gaussianMixture([1], [diagonalGaussian([0.5235683492708092, 2.379077489085758], [1.4311359914767907, 1.168000352710418])]);
    const q = gaussianMixture([0.5, 0.5], [
      diagonalGaussian([1.7693504577673413, -0.6025531350599852], [1.3287191877338456, 0.5453063020008049]),
      diagonalGaussian([-1.0463006790240512, -0.28967789196628563], [0.6891458272087703, 1.1395944106697657]),
    ]);
    const mc = chiSquareMonteCarlo(p, q, 2000, rngForCase(2, 'unknown'));
    expect(mc.finiteness).toBe('unknown');
    expect(mc.heavyTail).toBe(true);
    expect(Number.isFinite(mc.estimate)).toBe(true);
    expect(mc.warning).toMatch(/not proven/);
  });
});
