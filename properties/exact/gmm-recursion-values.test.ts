/**
 * The exact GMM recursion of P2 (src/oracles/gmm-recursion.ts, docs/theory.md §5.2; claims P2-1,
 * P2-2, P2-4, P2-5) against closed forms written here.
 *
 *   P_t N(m, v) = N(a m, 1 − a²(1 − v)),  a = e^{−t/2}                (OU push, in a form the module does not use)
 *   Φ_{t0}(p) = P_{t0}(α p_data + (1−α) p): mean M' = a (α M_d + (1−α) M),
 *             second moment S' = a² (α S_d + (1−α) S) + 1 − a²         (linear-Gaussian moment map)
 *   p*_K = Σ_{k=1}^{K} α (1−α)^{k−1} P_{k t0} p_data + (1−α)^K N(0, 1):
 *             mean α a M_d (1 − r^K)/(1 − r), r = (1−α) a;
 *             second moment 1 + (S_d − 1) α a² (1 − ρ^K)/(1 − ρ), ρ = (1−α) a²  (geometric sums)
 *   K → ∞ (Gaussian data N(m, s²)): the linear-Gaussian fixed point
 *             M* = α a m / (1 − (1−α) a),  S* = (α a² S_d + 1 − a²)/(1 − (1−α) a²)
 *   limit terms: the smallest K ≥ 1 with (1−α)^K ≤ tolerance (brute force here)
 *
 * Inputs are dyadic (means a/8, variances b/16, weights ¼, ½, ¾, α = k/16) so the data are exact in
 * binary64; allowances are derived beside named constants.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import {
  gaussianDataLimitMean,
  iterateRecursion,
  limitLaw,
  limitTermsForTolerance,
  maxParameterError,
  mergeIdenticalComponents,
  roundMap,
  roundMapParameterError,
  scheduleT0,
  translateMixture,
} from '../../src/oracles/gmm-recursion.ts';
import { expectMessage } from '../support/contracts.ts';

/** limitLaw's documented default TV tolerance (src/oracles/gmm-recursion.ts), written here: the input of the brute-force K. */
const LIMIT_LAW_DEFAULT_TOLERANCE = 1e-12;

const U = 2 ** -53;
const gammaK = (k: number): number => (k * U) / (1 - k * U);

/** Mean and second moment of a 1-D mixture, by definition (Σ w m, Σ w (v + m²)). */
function moments1d(p: GaussianMixture): { mean: number; second: number; weight: number } {
  let mean = 0;
  let second = 0;
  let weight = 0;
  p.components.forEach((c, k) => {
    const w = p.weights[k]!;
    mean += w * c.mean[0]!;
    second += w * (c.cov[0]! + c.mean[0]! ** 2);
    weight += w;
  });
  return { mean, second, weight };
}

/**
 * Allowance on moments of laws built by ≤ G pushes (or one push by k t0) from data with
 * |m| ≤ 3, v ≤ 4 (S_d ≤ 13): each parameter of a pushed component is within ≤ 8 roundings per push
 * relative to its size (exp/expm1 2u each, the argument u|t|, products and the sum: ≤ 8u (1 + t));
 * the oracle's own closed form (powers a^k by exp(−k t0/2), geometric sums) ≤ 16u (1 + K t0)
 * relative; the sums over ≤ C components add γ_C of Σ w |term| ≤ 13. Charged
 * 32 u (G + C + 1)(1 + total time) · 16 (the scale 1 + S_d ≤ 14 < 16).
 */
const momentAllowance = (G: number, C: number, totalTime: number): number => 32 * U * (G + C + 1) * (1 + totalTime) * 16;

const meanArb = fc.integer({ min: -24, max: 24 }).map((a) => a / 8);
const varArb = fc.integer({ min: 1, max: 64 }).map((b) => b / 16);
const alphaArb = fc.integer({ min: 1, max: 15 }).map((k) => k / 16);
const t0Arb = fc.integer({ min: 1, max: 64 }).map((k) => k / 32);
/**
 * 1-D data with J ∈ {1, 2, 3} distinct components and dyadic weights; N(0, 1) excluded (P_t maps it
 * to itself, so a pushed copy may coincide bit for bit with the data component and be merged).
 */
const dataArb = fc
  .tuple(
    fc.constantFrom([1], [0.25, 0.75], [0.5, 0.25, 0.25]),
    fc.uniqueArray(fc.tuple(meanArb, varArb).filter(([m, v]) => !(m === 0 && v === 1)), { minLength: 3, maxLength: 3, selector: ([m, v]) => `${m} ${v}` }),
  )
  .map(([w, mv]) => ({ w, mv: mv.slice(0, w.length) }));
const build = (d: { w: readonly number[]; mv: readonly (readonly [number, number])[] }): GaussianMixture =>
  gaussianMixture(d.w, d.mv.map(([m, v]) => isotropicGaussian([m], v)));

describe('mergeIdenticalComponents: bit-identical components (same kind, mean, covariance) merged, weights added', () => {
  it('hand cases: a repeated value merged at its first position; kinds, means and covariances that differ kept apart', () => {
    const A = isotropicGaussian([1, 2], 0.5);
    const A2 = isotropicGaussian([1, 2], 0.5); // another object, same bits
    const B = isotropicGaussian([1, 3], 0.5); // second mean coordinate differs
    const Cd = diagonalGaussian([1, 2], [0.5, 0.5]); // same numbers as A, other kind
    const F1 = fullGaussian([0, 0], [2, 0.5, 0.5, 2]);
    const F2 = fullGaussian([0, 0], [2, 0.25, 0.25, 2]); // off-diagonal differs only
    const p: GaussianMixture = { dim: 2, weights: Float64Array.of(0.125, 0.125, 0.25, 0.0625, 0.25, 0.1875), components: [A, B, A2, Cd, F1, F2] };
    const m = mergeIdenticalComponents(p);
    expect(m.dim).toBe(2);
    expect(m.components).toEqual([A, B, Cd, F1, F2]);
    expect(m.components[0]).toBe(A);
    expect(Array.from(m.weights)).toEqual([0.375, 0.125, 0.0625, 0.25, 0.1875]);
    // the same object three times: one component of the summed weight
    const q: GaussianMixture = { dim: 2, weights: Float64Array.of(0.25, 0.5, 0.25), components: [F1, F1, F1] };
    const mq = mergeIdenticalComponents(q);
    expect(mq.components).toEqual([F1]);
    expect(Array.from(mq.weights)).toEqual([1]);
    // variance differs (isotropic 1-D)
    const r: GaussianMixture = { dim: 1, weights: Float64Array.of(0.5, 0.5), components: [isotropicGaussian([0], 1), isotropicGaussian([0], 2)] };
    expect(mergeIdenticalComponents(r).components.length).toBe(2);
    // only the mean differs (1-D)
    const s: GaussianMixture = { dim: 1, weights: Float64Array.of(0.5, 0.5), components: [isotropicGaussian([0], 1), isotropicGaussian([1], 1)] };
    expect(mergeIdenticalComponents(s).components.length).toBe(2);
    // a 2-D law against a 1-D one with the same leading numbers (different dimension): kept apart
    const g1: Gaussian = isotropicGaussian([0], 1);
    const g2: Gaussian = { ...isotropicGaussian([0, 0], 1), cov: Float64Array.of(1) };
    // (both orders: the comparison runs over the first argument's dimension)
    const t: GaussianMixture = { dim: 1, weights: Float64Array.of(0.5, 0.5), components: [g1, g2] };
    expect(mergeIdenticalComponents(t).components.length).toBe(2);
    const t2: GaussianMixture = { dim: 1, weights: Float64Array.of(0.5, 0.5), components: [g2, g1] };
    expect(mergeIdenticalComponents(t2).components.length).toBe(2);
  });
});

describe('roundMap Φ_{t0}(p) = P_{t0}(α p_data + (1−α) p)', () => {
  /** P_t of one component, in the form 1 − a²(1 − v) (not the module's a² v + σ²). */
  const push = (m: number, v: number, t: number): [number, number] => {
    const a = Math.exp(-t / 2);
    return [a * m, 1 - a * a * (1 - v)];
  };
  /**
   * One push: mean a m with a from exp (2u) and the argument (u t/2 relative in a): ≤ (3 + t) u |m|
   * per side; variance: both forms ≤ 6 roundings of terms ≤ 1 + v, plus (1 + v)·t u from the
   * argument; two sides: 16 u (1 + t)(1 + |m| + v).
   */
  const pushAllowance = (m: number, v: number, t: number): number => 16 * U * (1 + t) * (1 + Math.abs(m) + v);

  test.prop([dataArb, dataArb, alphaArb, t0Arb], { numRuns: 40 })('components: pushed data (weight α w) then pushed p (weight (1−α) w), each pushed exactly', (d, e, alpha, t0) => {
    const pd = build(d);
    const p = build(e);
    const out = roundMap(pd, p, alpha, t0);
    const expected: [number, number, number][] = [];
    const add = (w: number, m: number, v: number) => {
      const j = expected.findIndex((x) => x[1] === m && x[2] === v);
      if (j >= 0) expected[j]![0] += w;
      else expected.push([w, m, v]);
    };
    d.mv.forEach(([m, v], k) => add(alpha * d.w[k]!, m, v));
    e.mv.forEach(([m, v], k) => add((1 - alpha) * e.w[k]!, m, v));
    expect(out.dim).toBe(1);
    expect(out.components.length).toBe(expected.length);
    expected.forEach(([w, m, v], k) => {
      const [pm, pv] = push(m, v, t0);
      const c = out.components[k]!;
      expect(c.kind).toBe('isotropic');
      // weights: the product α·w (one rounding each side) and ≤ 2 merge additions: 4u
      expect(Math.abs(out.weights[k]! - w)).toBeLessThanOrEqual(4 * U * w);
      expect(Math.abs(c.mean[0]! - pm)).toBeLessThanOrEqual(pushAllowance(m, v, t0));
      expect(Math.abs(c.cov[0]! - pv)).toBeLessThanOrEqual(pushAllowance(m, v, t0));
    });
  });

  it('hand cases: t0 = 0 mixes without pushing (the same component objects); Φ(p_data) with p = p_data merges to p_data', () => {
    const A = isotropicGaussian([1], 0.25);
    const B = isotropicGaussian([-2], 4);
    const pd = gaussianMixture([1], [A]);
    const p = gaussianMixture([1], [B]);
    const out = roundMap(pd, p, 0.25, 0);
    expect(out.components[0]).toBe(A);
    expect(out.components[1]).toBe(B);
    expect(Array.from(out.weights)).toEqual([0.25, 0.75]);
    const self = roundMap(pd, pd, 0.25, 0);
    expect(self.components).toEqual([A]);
    expect(Array.from(self.weights)).toEqual([1]);
    // α = 1 drops p (weight 0), α = 0 drops the data
    expect(roundMap(pd, p, 1, 0).components).toEqual([A]);
    expect(roundMap(pd, p, 0, 0).components).toEqual([B]);
  });
});

describe('iterateRecursion: p̂^{i+1} = Φ_{t0_i}(p̂^i), moments by the linear-Gaussian map', () => {
  test.prop([dataArb, alphaArb, fc.array(t0Arb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 6 })], { numRuns: 30 })(
    'mean and second moment of every generation; component count with merging (J, J, 2J, …, iJ)',
    (d, alpha, t0s, G) => {
      const pd = build(d);
      const laws = iterateRecursion(pd, { alpha, schedule: { kind: 'explicit', values: t0s }, generations: G });
      expect(laws.length).toBe(G + 1);
      expect(laws[0]).toBe(pd);
      const md = moments1d(pd);
      let M = md.mean;
      let S = md.second;
      let time = 0;
      for (let i = 0; i < G; i++) {
        const t = t0s[Math.min(i, t0s.length - 1)]!;
        time += t;
        const a = Math.exp(-t / 2);
        M = a * (alpha * md.mean + (1 - alpha) * M);
        S = a * a * (alpha * md.second + (1 - alpha) * S) + 1 - a * a;
        const got = moments1d(laws[i + 1]!);
        const J = d.w.length;
        expect(laws[i + 1]!.components.length).toBe(Math.max(1, i + 1) * J);
        const tol = momentAllowance(G, (i + 1) * J, time);
        expect(Math.abs(got.weight - 1)).toBeLessThanOrEqual(tol);
        expect(Math.abs(got.mean - M)).toBeLessThanOrEqual(tol);
        expect(Math.abs(got.second - S)).toBeLessThanOrEqual(tol);
      }
    },
  );

  it('start law, perturbation hook (called with the generation index, its result kept), refusals', () => {
    const pd = gaussianMixture([1], [isotropicGaussian([2], 1)]);
    const start = gaussianMixture([1], [isotropicGaussian([-1], 0.5)]);
    const seen: number[] = [];
    const shifted = (law: GaussianMixture, i: number): GaussianMixture => {
      seen.push(i);
      return { ...law, components: law.components.map((c) => ({ ...c, mean: Float64Array.from(c.mean, (v) => v + 1) })) };
    };
    const laws = iterateRecursion(pd, { alpha: 0.5, schedule: { kind: 'constant', t0: 0 }, generations: 3, start, perturb: shifted });
    expect(laws[0]).toBe(start);
    expect(seen).toEqual([0, 1, 2]);
    // t0 = 0, α = ½: mean M' = ½·2 + ½ M, then +1: −1 → 1.5 → 2.75 → 3.375 (exact dyadics)
    expect(laws.map((l) => moments1d(l).mean)).toEqual([-1, 1.5, 2.75, 3.375]);
    expect(iterateRecursion(pd, { alpha: 0.5, schedule: { kind: 'constant', t0: 1 }, generations: 0 })).toEqual([pd]);
    // the schedule is read per generation: t0 = 0 then 0 … keeps N(2, 1) data exactly
    const fixed = iterateRecursion(pd, { alpha: 0.25, schedule: { kind: 'explicit', values: [0] }, generations: 2 });
    expect(fixed[2]!.components).toEqual(pd.components);
    expectMessage(() => iterateRecursion(pd, { alpha: 0.5, schedule: { kind: 'constant', t0: 1 }, generations: -1 }), 'iterateRecursion: generations = -1');
    expectMessage(() => iterateRecursion(pd, { alpha: 0.5, schedule: { kind: 'constant', t0: 1 }, generations: 1.5 }), 'iterateRecursion: generations = 1.5');
    const start2 = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
    expectMessage(() => iterateRecursion(pd, { alpha: 0.5, schedule: { kind: 'constant', t0: 1 }, generations: 1, start: start2 }), 'iterateRecursion: start and data dimensions differ');
  });

  it('scheduleT0 evaluates the schedules (t0_i by definition)', () => {
    expect(scheduleT0({ kind: 'constant', t0: 0.5 }, 7)).toBe(0.5);
    expect(scheduleT0({ kind: 'geometric', t0: 1, ratio: 0.5 }, 3)).toBe(0.125);
    expect(scheduleT0({ kind: 'harmonic', t0: 1 }, 3)).toBe(0.25);
    expect(scheduleT0({ kind: 'explicit', values: [0.5, 0.25] }, 5)).toBe(0.25);
  });
});

describe('limitTermsForTolerance: the smallest K ≥ 1 with (1−α)^K ≤ tolerance', () => {
  const bruteForce = (alpha: number, tol: number): number => {
    let K = 1;
    while ((1 - alpha) ** K > tol) K++;
    return K;
  };
  test.prop([fc.integer({ min: 1, max: 255 }).map((k) => k / 256), fc.double({ min: 1e-15, max: 0.999, noNaN: true })], { numRuns: 100 })('against brute force', (alpha, tol) => {
    expect(limitTermsForTolerance(alpha, tol)).toBe(bruteForce(alpha, tol));
  });
  it('boundaries where (1−α)^K equals the tolerance exactly (dyadic): α = ½, tol = 2^{−j} → K = j; tol ≥ 1 − α → 1', () => {
    for (let j = 1; j <= 40; j++) expect(limitTermsForTolerance(0.5, 2 ** -j)).toBe(j);
    expect(limitTermsForTolerance(0.5, 0.75)).toBe(1);
    expect(limitTermsForTolerance(0.75, 0.25)).toBe(1);
    expect(limitTermsForTolerance(0.75, 0.0625)).toBe(2);
    expect(limitTermsForTolerance(0.75, 0.0625 * 0.999)).toBe(3);
    expect(limitTermsForTolerance(2 ** -10, 1e-12)).toBe(bruteForce(2 ** -10, 1e-12));
  });
  it('one ulp below (1−α)^n the answer is n + 1, where the logarithmic start value undershoots', () => {
    // log(tol)/log1p(−α) then rounds to n (the true ratio exceeds n by ≈ u/|log(1−α)|, below one ulp of n
    // for n ≥ 2), so the smallest K must come from the upward correction, not from the start value
    const below = (x: number): number => {
      const b = new Float64Array([x]);
      new BigInt64Array(b.buffer)[0]! -= 1n;
      return b[0]!;
    };
    for (const alpha of [0.5, 0.25, 0.1]) for (let n = 1; n <= 40; n++) {
      const tol = below((1 - alpha) ** n);
      expect(limitTermsForTolerance(alpha, tol)).toBe(bruteForce(alpha, tol));
      expect(bruteForce(alpha, tol)).toBe(n + 1);
    }
  });
  it('refusals with exact messages', () => {
    expectMessage(() => limitTermsForTolerance(0, 0.5), 'limitTermsForTolerance: α = 0 must be in (0, 1)');
    expectMessage(() => limitTermsForTolerance(1, 0.5), 'limitTermsForTolerance: α = 1 must be in (0, 1)');
    expectMessage(() => limitTermsForTolerance(Number.NaN, 0.5), 'limitTermsForTolerance: α = NaN must be in (0, 1)');
    expectMessage(() => limitTermsForTolerance(0.5, 0), 'limitTermsForTolerance: tolerance 0 must be in (0, 1)');
    expectMessage(() => limitTermsForTolerance(0.5, 1), 'limitTermsForTolerance: tolerance 1 must be in (0, 1)');
    expectMessage(() => limitTermsForTolerance(0.5, Number.NaN), 'limitTermsForTolerance: tolerance NaN must be in (0, 1)');
  });
});

describe('limitLaw: p*_K component by component, its moments in closed form, the bounds', () => {
  test.prop([dataArb, alphaArb, t0Arb, fc.integer({ min: 1, max: 12 })], { numRuns: 30 })('explicit K: weights α(1−α)^{k−1} w_j on P_{k t0} data, remainder (1−α)^K on N(0, 1); geometric-sum moments', (d, alpha, t0, K) => {
    const pd = build(d);
    const L = limitLaw(pd, alpha, t0, { terms: K });
    const J = d.w.length;
    expect(L.terms).toBe(K);
    expect(L.remainder).toBe('standard-normal');
    expect(L.law.dim).toBe(1);
    expect(L.law.components.length).toBe(K * J + 1);
    const rest = (1 - alpha) ** K;
    expect(L.tvBound).toBe(rest);
    for (let k = 1; k <= K; k++) {
      const a = Math.exp((-k * t0) / 2);
      for (let j = 0; j < J; j++) {
        const c = L.law.components[(k - 1) * J + j]!;
        const [m, v] = d.mv[j]!;
        const w = alpha * (1 - alpha) ** (k - 1) * d.w[j]!;
        // weights: ≤ k + 2 roundings each side (the power, two products)
        expect(Math.abs(L.law.weights[(k - 1) * J + j]! - w)).toBeLessThanOrEqual(gammaK(2 * k + 4) * w);
        // one push by k t0 (pushAllowance's derivation with t = k t0)
        const tol = 16 * U * (1 + k * t0) * (1 + Math.abs(m) + v);
        expect(Math.abs(c.mean[0]! - a * m)).toBeLessThanOrEqual(tol);
        expect(Math.abs(c.cov[0]! - (1 - a * a * (1 - v)))).toBeLessThanOrEqual(tol);
      }
    }
    const last = L.law.components[K * J]!;
    expect(Array.from(last.mean)).toEqual([0]);
    expect(Array.from(last.cov)).toEqual([1]);
    expect(L.law.weights[K * J]).toBe(rest);
    // moments: geometric sums in closed form
    const md = moments1d(pd);
    const a1 = Math.exp(-t0 / 2);
    const r = (1 - alpha) * a1;
    const rho = (1 - alpha) * a1 * a1;
    const mean = (alpha * a1 * md.mean * (1 - r ** K)) / (1 - r);
    const second = 1 + ((md.second - 1) * alpha * a1 * a1 * (1 - rho ** K)) / (1 - rho);
    const got = moments1d(L.law);
    // the closed forms divide by 1 − r ≥ α ≥ 1/16: their rounding is amplified ≤ 16 times
    const tol = 16 * momentAllowance(K, K * J + 1, K * t0);
    expect(Math.abs(got.weight - 1)).toBeLessThanOrEqual(tol);
    expect(Math.abs(got.mean - mean)).toBeLessThanOrEqual(tol);
    expect(Math.abs(got.second - second)).toBeLessThanOrEqual(tol);
    // W2 bound: √((1−α)^K · 4 max(d, E X²)), d = 1
    const m2 = md.second;
    expect(Math.abs(L.w2Bound - Math.sqrt(rest * 4 * Math.max(1, m2)))).toBeLessThanOrEqual(8 * U * L.w2Bound);
  });

  test.prop([meanArb, varArb, alphaArb, t0Arb], { numRuns: 30 })(
    'Gaussian data N(m, v), default tolerance 1e-12: moments within (1−α)^K of the linear-Gaussian fixed point M*, S*',
    (m, v, alpha, t0) => {
      const pd = gaussianMixture([1], [isotropicGaussian([m], v)]);
      const L = limitLaw(pd, alpha, t0);
      let K = 1;
      while ((1 - alpha) ** K > LIMIT_LAW_DEFAULT_TOLERANCE) K++;
      expect(L.terms).toBe(K);
      expect(L.tvBound).toBeLessThanOrEqual(LIMIT_LAW_DEFAULT_TOLERANCE);
      const a = Math.exp(-t0 / 2);
      const Mstar = (alpha * a * m) / (1 - (1 - alpha) * a);
      const Sd = v + m * m;
      const Sstar = (alpha * a * a * Sd + 1 - a * a) / (1 - (1 - alpha) * a * a);
      const got = moments1d(L.law);
      // exact truncation: mean(p*_K) − M* = −r^K M*, second − S* = −ρ^K (S* − 1); |r|, ρ ≤ (1−α) so
      // within (1−α)^K·(|M*| + |S*| + 1), plus rounding as above (K ≤ 440 terms)
      const tol = L.tvBound * (Math.abs(Mstar) + Sstar + 1) + 16 * momentAllowance(K, K + 1, K * t0);
      expect(Math.abs(got.mean - Mstar)).toBeLessThanOrEqual(tol);
      expect(Math.abs(got.second - Sstar)).toBeLessThanOrEqual(tol);
      // gaussianDataLimitMean is M* (relative: the two forms differ by ≤ 16 (1 + t0)(…) u, denominators ≥ α ≥ 1/16)
      expect(Math.abs(gaussianDataLimitMean(m, alpha, t0) - Mstar)).toBeLessThanOrEqual(512 * U * (1 + t0) * Math.abs(Mstar));
      // and M* is the fixed point of the mean map M ↦ a (α m + (1−α) M)
      const Mnext = a * (alpha * m + (1 - alpha) * Mstar);
      expect(Math.abs(Mnext - Mstar)).toBeLessThanOrEqual(512 * U * (1 + t0) * (Math.abs(Mstar) + Math.abs(m)));
    },
  );

  it('edge cases: α = 0 → N(0, I); t0 = 0 → p_data itself; α = 1 → P_{t0} p_data; all exact (bounds 0)', () => {
    const pd = gaussianMixture([0.25, 0.75], [isotropicGaussian([1, 2], 0.5), isotropicGaussian([-1, 0], 2)]);
    const zero = limitLaw(pd, 0, 0.5);
    expect(zero.terms).toBe(0);
    expect(zero.tvBound).toBe(0);
    expect(zero.w2Bound).toBe(0);
    expect(zero.remainder).toBe('none');
    expect(zero.law.dim).toBe(2);
    expect(Array.from(zero.law.weights)).toEqual([1]);
    expect(Array.from(zero.law.components[0]!.mean)).toEqual([0, 0]);
    expect(Array.from(zero.law.components[0]!.cov)).toEqual([1, 0, 0, 1]);
    const same = limitLaw(pd, 0.5, 0);
    expect(same.law).toBe(pd);
    expect([same.terms, same.tvBound, same.w2Bound, same.remainder]).toEqual([0, 0, 0, 'none']);
    const one = limitLaw(pd, 1, 2 * Math.LN2);
    expect([one.terms, one.tvBound, one.w2Bound, one.remainder]).toEqual([1, 0, 0, 'none']);
    expect(Array.from(one.law.weights)).toEqual([0.25, 0.75]);
    const a = Math.exp(-Math.LN2);
    expect(Math.abs(one.law.components[0]!.mean[1]! - 2 * a)).toBeLessThanOrEqual(8 * U);
    expect(Math.abs(one.law.components[1]!.cov[0]! - (1 - a * a * (1 - 2)))).toBeLessThanOrEqual(16 * U);
    // t0 = 0 with α = 0 is refused (Φ is the identity)
    expectMessage(() => limitLaw(pd, 0, 0), 'limitLaw: α = 0 and t0 = 0: Φ is the identity, no unique limit');
  });

  it('2-D: remainder N(0, I₂); W2 bound uses max(d, E‖X‖²) on both sides of d', () => {
    // small data: E‖X‖² = 2·(1/16) + 0 < d = 2
    const small = gaussianMixture([1], [isotropicGaussian([0, 0], 1 / 16)]);
    const L = limitLaw(small, 0.5, 1, { terms: 3 });
    expect(L.law.components.length).toBe(4);
    expect(L.law.components[3]!.dim).toBe(2);
    expect(Array.from(L.law.components[3]!.cov)).toEqual([1, 0, 0, 1]);
    expect(L.w2Bound).toBe(Math.sqrt(0.125 * 4 * 2));
    // large data: E‖X‖² = 2·1 + 3² + 4² = 27 > 2
    const large = gaussianMixture([1], [isotropicGaussian([3, 4], 1)]);
    expect(limitLaw(large, 0.5, 1, { terms: 3 }).w2Bound).toBe(Math.sqrt(0.125 * 4 * 27));
    // the default tolerance: K = 40 for α = ½ (2^{−40} ≤ 1e-12 < 2^{−39}); a tolerance option: K = 3
    expect(limitLaw(large, 0.5, 1).terms).toBe(40);
    expect(limitLaw(large, 0.5, 1, { tolerance: 0.125 }).terms).toBe(3);
    expect(limitLaw(large, 0.5, 1, { tolerance: 0.125 }).tvBound).toBe(0.125);
  });

  it('refusals with exact messages', () => {
    const pd = gaussianMixture([1], [isotropicGaussian([0], 1)]);
    expectMessage(() => limitLaw(pd, -0.5, 1), 'limitLaw: α = -0.5 not in [0, 1]');
    expectMessage(() => limitLaw(pd, 1.5, 1), 'limitLaw: α = 1.5 not in [0, 1]');
    expectMessage(() => limitLaw(pd, Number.NaN, 1), 'limitLaw: α = NaN not in [0, 1]');
    expectMessage(() => limitLaw(pd, 0.5, -1), 'limitLaw: t0 = -1');
    expectMessage(() => limitLaw(pd, 0.5, Infinity), 'limitLaw: t0 = Infinity');
    expectMessage(() => limitLaw(pd, 0.5, Number.NaN), 'limitLaw: t0 = NaN');
    expectMessage(() => limitLaw(pd, 0.5, 1, { terms: 0 }), 'limitLaw: terms = 0');
    expectMessage(() => limitLaw(pd, 0.5, 1, { terms: 1.5 }), 'limitLaw: terms = 1.5');
    // boundaries accepted
    expect(limitLaw(pd, 0.5, 1, { terms: 1 }).terms).toBe(1);
  });
});

describe('parameter errors and the limit mean closed form', () => {
  it('roundMapParameterError(K) = {γ_{K+2}, γ_3, γ_4}; maxParameterError componentwise (absent meanAbsolute = 0)', () => {
    for (const K of [0, 1, 5, 40]) expect(roundMapParameterError(K)).toEqual({ weight: gammaK(K + 2), mean: gammaK(3), sd: gammaK(4) });
    const a = { weight: 1, mean: 5, sd: 2 };
    const b = { weight: 3, mean: 4, sd: 6, meanAbsolute: 0.5 };
    expect(maxParameterError(a, b)).toEqual({ weight: 3, mean: 5, sd: 6, meanAbsolute: 0.5 });
    expect(maxParameterError(b, a)).toEqual({ weight: 3, mean: 5, sd: 6, meanAbsolute: 0.5 });
    expect(maxParameterError({ ...a, meanAbsolute: 2 }, b)).toEqual({ weight: 3, mean: 5, sd: 6, meanAbsolute: 2 });
    expect(maxParameterError(a, a)).toEqual({ weight: 1, mean: 5, sd: 2, meanAbsolute: 0 });
  });

  it('gaussianDataLimitMean edges: t0 = 0 → m; α = 1 → e^{−t0/2} m; small t0 keeps relative precision', () => {
    expect(gaussianDataLimitMean(3, 0.25, 0)).toBe(3);
    expect(Math.abs(gaussianDataLimitMean(3, 1, 2) - 3 * Math.exp(-1))).toBeLessThanOrEqual(16 * U * 3);
    expect(gaussianDataLimitMean(0, 0.5, 1)).toBe(0);
    // α = 2⁻³⁰, t0 = 2⁻³⁹ (x = −2⁻⁴⁰): M* = α e m/(α e − expm1(x)) = m/(1 + 2⁻⁴⁰·2³⁰/e·(1 + O(x)))
    // ≈ m / (1 + 2⁻¹⁰): to first order in x (|x| = 2⁻⁴⁰) the value is m·2¹⁰/(2¹⁰ + 1) (relative
    // error O(2⁻⁴⁰) from the dropped terms, plus a few u)
    const got = gaussianDataLimitMean(1, 2 ** -30, 2 ** -39);
    expect(Math.abs(got - 1024 / 1025)).toBeLessThanOrEqual(4 * 2 ** -40);
  });
});

describe('translateMixture: every mean shifted, everything else kept', () => {
  it('2-D hand case', () => {
    const A = isotropicGaussian([1, 2], 0.5);
    const B = diagonalGaussian([-1, 0], [2, 3]);
    const p = gaussianMixture([0.25, 0.75], [A, B]);
    const t = translateMixture(p, [0.5, -2]);
    expect(t.dim).toBe(2);
    expect(t.weights).toBe(p.weights);
    expect(Array.from(t.components[0]!.mean)).toEqual([1.5, 0]);
    expect(Array.from(t.components[1]!.mean)).toEqual([-0.5, -2]);
    expect(t.components[1]!.cov).toBe(B.cov);
    expect(t.components[1]!.kind).toBe('diagonal');
    expect(t.components[0]!.kind).toBe('isotropic');
    expect(t.components[0]!.dim).toBe(2);
    expect(Array.from(A.mean)).toEqual([1, 2]); // the input is not modified
  });
});
