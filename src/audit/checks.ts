/**
 * Checks of the sampler audit (issue 7). Each problem is run on the step ladder K, 2K, 4K plus an
 * independent replicate at K (fresh seed and start points); four checks per problem:
 *
 * - `moments`: mean and covariance at 4K against the exact law P_{t0} q, allowing the
 *   discretisation bias the ladder itself measures (LADDER ALLOWANCE below);
 * - `projection-ks`: one-sample KS distance of 1-D projections at 4K against the exact projected
 *   mixture CDF, with the same kind of ladder allowance (DKW bounds, no asymptotics);
 * - `ladder`: consistency as steps grow: the difference between 2K and 4K must not exceed the one
 *   between K and 2K (a convergent scheme's differences shrink like 2^{-p}); reports the estimated
 *   weak order p̂ with an interval;
 * - `replicate`: two independent runs at the same K must agree in law (moments and two-sample KS):
 *   catches samplers whose particles are not independent (noise shared across particles) or that
 *   are not reproducible in law. No bias allowance is needed: same K, same law.
 *
 * LADDER ALLOWANCE (derivation). Write b_K = E_K f − E f for the bias of a statistic at K steps.
 * For a scheme of weak order p ≥ 1 in its asymptotic regime b_{2K} = r b_K with |r| ≤ ρ, and
 * ρ = 2^{-p} + O(h). Then b_{4K} = Σ_{j ≥ 1}(b_{4K·2^{j-1}} − b_{4K·2^j}) telescopes to
 * |b_{4K}| ≤ |b_{2K} − b_{4K}| · ρ/(1−ρ). We take ρ = RHO_MAX = 0.6 (first order ½ plus room
 * for the O(h) pre-asymptotic term at h·L ≤ 0.24, see problems.ts WINDOW), so the bias allowed at 4K
 * is BIAS_ALLOWANCE_FACTOR = 1.5 times the measured 2K–4K difference (plus its Monte Carlo error).
 * A bug with an O(1) effect has a bias that does not shrink with K, so it exceeds the allowance; a
 * bug whose effect is O(1/K) (e.g. stopping one step early) is a consistent first-order scheme and
 * is NOT separable from a correct one by any scheme-agnostic check: we report its order, nothing more.
 *
 * DECLARED ORDER (issue 15). A sampler may declare its weak order p ∈ {1, 2} (`--order`). The ratio
 * bound becomes ρ_p = 2^{-p} + 0.1 (the same 0.1 room for the O(h) pre-asymptotic term as for
 * p = 1): ρ_1 = 0.6 (factor 1.5, the default) and ρ_2 = 0.35 (factor 0.35/0.65 ≈ 0.54), i.e. a
 * second-order method gets a tighter allowance and more power. A sampler that declares order 2 but
 * converges at order 1 has b_{4K}/b_{2K} ≈ ½ > ρ_2 and may fail `moments` / `projection-ks`: the
 * declaration is a claim the audit holds it to.
 *
 * DETERMINISTIC SAMPLERS (kind `ode`). The replicate run uses the SAME start points as the K run
 * and a different request seed; the `replicate` check then requires the two outputs to agree
 * particle by particle (DETERMINISM_TOL below): the output must be a function of x0 alone.
 * The ladder levels K, 2K, 4K also share their start points (`ProblemRuns.sharedStart`): a
 * difference F(K) − F(2K) of two feature means is then the mean over particles of the i.i.d.
 * per-particle differences f(y_K(x0_i)) − f(y_2K(x0_i)), and its standard error is their sample
 * sd/√n (PAIRED; CLT as for the features themselves). These are far smaller than the unpaired
 * √(se_a² + se_b²) because the x0 variance cancels, so the bias allowance's noise term and the
 * ladder check sharpen and the weak order becomes resolvable. The union bounds are unchanged
 * (no independence between levels is used anywhere). With noise this small, exact pre-asymptotic
 * effects matter in the ladder check (a statistic whose differences cross zero can have
 * |d_{2K,4K}| > |d_{K,2K}| while both are tiny), so paired ladders get the same remainder floor
 * MOMENT_BIAS_FLOOR; the exact values for the ODE fixtures on the Gaussian problems are checked in
 * properties/statistical/audit-ode.test.ts.
 *
 * EXTRAPOLATION (issue 15, power on demand; run when `--min-effect` is given). A bias that does not
 * shrink with K is tested on the ladder extrapolated to K → ∞: with the declared order p and
 * λ = 1/(2^p − 1), Richardson's R_{4K} = F(4K) + λ(F(4K) − F(2K)) removes the order-p term of the
 * bias exactly (h halves), leaving a remainder r_{4K} = O(h^{p+1}); R_{2K} = F(2K) + λ(F(2K) − F(K))
 * is the same extrapolation one level coarser. With the remainder ratio r_{4K}/r_{2K} ≤ ρ'_p =
 * 2^{−(p+1)} + RHO_ROOM (the LADDER ALLOWANCE argument one order higher), |r_{4K}| ≤
 * ρ'/(1 − ρ')·|R_{2K} − R_{4K}| (factor 0.54 for p = 1, 0.29 for p = 2:
 * extrapolationAllowanceFactor), plus the remainder floor MOMENT_BIAS_FLOOR. A bias B that does not
 * shrink with K passes through the extrapolation unchanged (the weights 1 + λ and −λ sum to 1)
 * and cancels in R_{2K} − R_{4K}, so it is caught once |B| exceeds the allowance plus the noise.
 * Noise: R_{4K} and R_{2K} − R_{4K} are linear in the level means; their standard errors are bounded
 * by the triangle inequality, se(R_{4K}) ≤ se_{4K} + λ·se(F_{2K} − F_{4K}) and
 * se(R_{2K} − R_{4K}) ≤ (1 + λ)·se(F_{2K} − F_{4K}) + λ·se(F_K − F_{2K}) (paired or unpaired, no
 * independence used).
 *
 * POWER ON DEMAND (`particlesForEffect`). For a requested effect E (scale units for the moment
 * features, CDF distance for the projections) the particle count n is the smallest for which the
 * moments and extrapolation checks detect a K-independent bias E with probability ≥ 0.99, given
 * the exact law's feature standard deviations (statistics.ts exactFeatureSds) and unpaired ladder
 * errors (every level's se = sd/√n):
 *   (z + z_99)·C·sd_k/(scale_k √n) ≤ E − 2·MOMENT_BIAS_FLOOR  for every feature k,
 *   C = max(1 + c√2 (moments), se(R_{4K}) + c'·se(R_{2K} − R_{4K}) at unit se (extrapolation:
 *   √5 + 0.538·√14 ≈ 4.25 for p = 1)),
 *   (1 + 2c)(ε_DKW(n, δ/(2P)) + ε_DKW(n, 0.01/3)) ≤ E − 2·KS_BIAS_FLOOR  for the projections.
 * Why 2·floor: the check fails when |B + b_{4K}| exceeds c|F(2K) − F(4K)| + floor + noise, and the
 * discretisation bias itself may use up c|b_{2K} − b_{4K}| + floor of it; the measured part
 * 2c|F(2K) − F(4K)| cannot be known before the run and is added to the `effectPower` that each
 * check reports after it (the smallest K-independent effect it detects with probability ≥ 0.99).
 *
 * False-failure probability: each check gets δ_check and splits it by union bound (Bonferroni) over
 * its confidence statements (no independence assumed). Power: the minimum discrepancy detected with
 * probability ≥ 0.99 (POWER_MISS = 0.01), stated per check in the units given.
 */
import { zTwoSided } from '../statistics/normal.ts';
import type { AuditProblem } from './problems.ts';
import { exactMoments, projectMixture } from './problems.ts';
import { dkwEpsilon, exactFeatureSds, ksOneSample, ksTwoSample, momentFeatures, sortedProjection, type MomentFeatures } from './statistics.ts';

export type CheckVerdict = 'pass' | 'fail' | 'inconclusive';
export type CheckKind = 'moments' | 'projection-ks' | 'ladder' | 'replicate' | 'extrapolation';
export const CHECK_KINDS: readonly CheckKind[] = ['moments', 'projection-ks', 'ladder', 'replicate', 'extrapolation'];

/** Assumed bound on the bias ratio b_{2K}/b_K (see LADDER ALLOWANCE in the module comment). */
export const RHO_MAX = 0.6;
/** ρ/(1 − ρ) = 1.5: bias allowed at 4K per unit of measured 2K–4K difference. */
export const BIAS_ALLOWANCE_FACTOR = RHO_MAX / (1 - RHO_MAX);

/** Weak order a sampler may declare (see DECLARED ORDER in the module comment). */
export type DeclaredOrder = 1 | 2;
/** Room above 2^{-p} in the ratio bound ρ_p for the O(h) pre-asymptotic term (ρ_1 = RHO_MAX). */
export const RHO_ROOM = 0.1;
/** ρ_p = 2^{-p} + RHO_ROOM. */
export function rhoForOrder(order: DeclaredOrder): number {
  return order === 1 ? RHO_MAX : 2 ** -order + RHO_ROOM;
}
/** ρ_p/(1 − ρ_p): 1.5 for p = 1, ≈ 0.538 for p = 2. */
export function biasAllowanceFactor(order: DeclaredOrder): number {
  const rho = rhoForOrder(order);
  return rho / (1 - rho);
}
/**
 * Determinism tolerance (kind `ode`): two runs on the same x0 must agree to
 * |a − b| ≤ DETERMINISM_TOL·(1 + |a|) in every coordinate. Derivation: a deterministic method run
 * twice differs only if its floating-point evaluation order varies (threaded BLAS / GPU
 * reductions). Each step then changes the state by at most ≈ c·d·u relative (u = 2^{-53} ≈ 1.1e-16,
 * c·d ≤ 100 for d ≤ 10 and a few flops per coordinate), and the flow amplifies a perturbation by at
 * most e^{L(T − t0)} with L ≤ ½ + ½·max‖∇s̃‖ ≤ ½ + ½(1/0.4 + 0.8) ≈ 2.2 here, i.e. ≤ e^{4.2} ≈ 70
 * over T − t0 = 1.9: at K = 10 steps the total is ≤ 10 · 100 · 1.1e-16 · 70 ≈ 8e-12 relative, and
 * the ABSOLUTE term 1 covers outputs near 0. 1e-9 leaves a factor > 100; any seed-dependent term
 * (e.g. noise of size ≥ 1e-9) fails. No probability is spent: the comparison is exact.
 */
export const DETERMINISM_TOL = 1e-9;
/**
 * Remainder floor of the ladder allowance, in scale units (moments) / CDF distance (KS). The ratio
 * assumption fails for statistics whose first-order bias coefficient nearly cancels (then the
 * O(h²) remainder dominates a tiny bias: e.g. EM on the perturbed-score problem, cov[1,2], b_{4K}/b_{2K}
 * = 0.63 with |b_{4K}| = 0.0012 scale units, found by the exact test audit-allowance.test.ts). The
 * allowance therefore adds 0.01 scale units, which covers those remainders (checked exactly for
 * every Gaussian problem × EM / EI / Heun) and is ≤ 1/4 of the smallest Monte Carlo term of any
 * check (z·se ≥ 5.7 × 0.007 = 0.04 scale units at the default n), so it costs little power.
 */
export const MOMENT_BIAS_FLOOR = 0.01;
/** Same floor for KS distances (not checkable exactly; ≤ 1/6 of the smallest DKW ε ≈ 0.03 here). */
export const KS_BIAS_FLOOR = 0.005;
/**
 * Ladder check: |d_{2K,4K}| ≤ LADDER_RATIO_MAX·|d_{K,2K}|. Any convergent scheme in its asymptotic
 * regime has ratio 2^{-p} ≤ ½; 1 only flags differences that grow (a divergent scheme), so the check
 * does not depend on RHO_MAX being right.
 */
export const LADDER_RATIO_MAX = 1;
/**
 * z used only to REPORT the weak order (which statistic is resolved, and its interval): 3 (two-sided
 * 0.27% per statistic). No verdict depends on it, so it need not carry the audit's δ; with the
 * audit's own z (≈ 6) the order is almost never resolvable at the default n.
 */
export const ORDER_Z = 3;
/** Miss probability at which power (minimum detectable discrepancy) is stated. */
export const POWER_MISS = 0.01;
/**
 * Inconclusive thresholds: if the bias the ladder allows at 4K is, with confidence (lower bound
 * c·(|F(2K) − F(4K)| − z·se), so Monte Carlo noise alone never triggers it), larger than these, the
 * sampler's discretisation is too coarse at the audited K to tell bias from error. Moments: 0.25
 * standard deviations (means) or 0.25 relative (covariances); KS: 0.05 in CDF distance.
 */
export const MAX_MOMENT_ALLOWANCE = 0.25;

/** ρ'_p = 2^{−(p+1)} + RHO_ROOM: bound on the ratio of Richardson remainders r_{4K}/r_{2K} (EXTRAPOLATION). */
export function extrapolationRho(order: DeclaredOrder): number {
  return 2 ** -(order + 1) + RHO_ROOM;
}
/** ρ'/(1 − ρ'): ≈ 0.538 for p = 1, ≈ 0.290 for p = 2. */
export function extrapolationAllowanceFactor(order: DeclaredOrder): number {
  const rho = extrapolationRho(order);
  return rho / (1 - rho);
}
/** Largest particle count `particlesForEffect` returns (beyond it the request is refused). */
export const MAX_PARTICLES_FOR_EFFECT = 20_000_000;
export const MAX_KS_ALLOWANCE = 0.05;

export interface CheckResult {
  readonly id: string;
  readonly problem: string;
  readonly kind: CheckKind;
  readonly verdict: CheckVerdict;
  /** false-failure probability spent by this check */
  readonly delta: number;
  /** minimum detectable discrepancy (probability ≥ 0.99), in `powerUnit` */
  readonly power: number;
  readonly powerUnit: string;
  readonly summary: string;
  readonly evidence: Readonly<Record<string, number | string | null>>;
  /** per-statistic rows (for the report and audit.json) */
  readonly rows: readonly Readonly<Record<string, number | string>>[];
  readonly notes: readonly string[];
}

/** Outputs of one problem's runs. */
export interface ProblemRuns {
  readonly problem: AuditProblem;
  /** outputs at K, 2K, 4K */
  readonly ladder: readonly [Float64Array, Float64Array, Float64Array];
  /**
   * replicate at K: kind `sde` — independent (fresh seed and start points); kind `ode` — the same
   * start points as the K run, a different request seed
   */
  readonly replicate: Float64Array;
  /** the K, 2K, 4K runs share their start points (kind `ode`): paired standard errors of differences */
  readonly sharedStart?: boolean;
  /**
   * relative / absolute rounding of a value carried on the wire (protocol v2 f32: 2^-24 and 2^-150,
   * src/audit/protocol.ts WIRE_ROUNDING; exact encodings: absent or 0)
   */
  readonly wireRounding?: { readonly relative: number; readonly absolute: number };
}

/** Options of the checks. */
export interface CheckOptions {
  /** declared weak order of the sampler's method (default 1) */
  readonly order?: DeclaredOrder;
  /** add the `extrapolation` check (EXTRAPOLATION; the CLI runs it with --min-effect) */
  readonly extrapolation?: boolean;
}

/** Scale of each moment feature: √Σ_ii for means, √(Σ_ii Σ_jj) for covariances (unit-free units). */
function featureScales(d: number, cov: Float64Array): Float64Array {
  const F = d + (d * (d + 1)) / 2;
  const s = new Float64Array(F);
  let f = 0;
  for (let i = 0; i < d; i++, f++) s[f] = Math.sqrt(cov[i * d + i]!);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++, f++) s[f] = Math.sqrt(cov[i * d + i]! * cov[j * d + j]!);
  return s;
}

const r4 = (v: number) => Number(v.toPrecision(4));

/**
 * Paired standard errors of the feature differences F(a) − F(b) for two runs on the same start
 * points (particle i of a and of b from the same x0): sample sd of the per-particle differences
 * f(a_i) − f(b_i) over √n, features as in momentFeatures (centred at the exact mean μ; the
 * centring cancels in the differences of mean features and not in the quadratic ones, as there).
 * Two passes (mean, then squared deviations): no cancellation for near-constant differences.
 */
export function pairedDifferenceSe(a: Float64Array, b: Float64Array, n: number, d: number, mu: Float64Array): Float64Array {
  const F = d + (d * (d + 1)) / 2;
  const ca = new Float64Array(d);
  const cb = new Float64Array(d);
  const diff = new Float64Array(F);
  const each = (p: number) => {
    for (let i = 0; i < d; i++) {
      ca[i] = a[p * d + i]! - mu[i]!;
      cb[i] = b[p * d + i]! - mu[i]!;
    }
    let f = 0;
    for (let i = 0; i < d; i++, f++) diff[f] = ca[i]! - cb[i]!;
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++, f++) diff[f] = ca[i]! * ca[j]! - cb[i]! * cb[j]!;
  };
  const mean = new Float64Array(F);
  for (let p = 0; p < n; p++) {
    each(p);
    for (let k = 0; k < F; k++) mean[k]! += diff[k]!;
  }
  for (let k = 0; k < F; k++) mean[k] = mean[k]! / n;
  const ss = new Float64Array(F);
  for (let p = 0; p < n; p++) {
    each(p);
    for (let k = 0; k < F; k++) ss[k]! += (diff[k]! - mean[k]!) ** 2;
  }
  return Float64Array.from(ss, (v) => Math.sqrt(v / (n - 1) / n));
}

/** Standard errors of F(K) − F(2K) and F(2K) − F(4K): paired (shared start points) or √(se² + se²). */
interface DifferenceSe {
  readonly s12: Float64Array;
  readonly s24: Float64Array;
  readonly paired: boolean;
}

function differenceSe(runs: ProblemRuns, f: MomentFeatures[], mu: Float64Array): DifferenceSe {
  const p = runs.problem;
  const [f1, f2, f4] = f as [MomentFeatures, MomentFeatures, MomentFeatures];
  if (runs.sharedStart) {
    return {
      s12: pairedDifferenceSe(runs.ladder[0], runs.ladder[1], p.n, p.dim, mu),
      s24: pairedDifferenceSe(runs.ladder[1], runs.ladder[2], p.n, p.dim, mu),
      paired: true,
    };
  }
  return {
    s12: Float64Array.from(f1.se, (v, k) => Math.hypot(v, f2.se[k]!)),
    s24: Float64Array.from(f2.se, (v, k) => Math.hypot(v, f4.se[k]!)),
    paired: false,
  };
}

function momentsCheck(p: AuditProblem, f: MomentFeatures[], ds: DifferenceSe, delta: number, order: DeclaredOrder): CheckResult {
  const [, f2, f4] = f as [MomentFeatures, MomentFeatures, MomentFeatures];
  const d = p.dim;
  const { cov } = exactMoments(p);
  const scale = featureScales(d, cov);
  const F = f4.labels.length;
  const c = biasAllowanceFactor(order);
  const z = zTwoSided(delta / (2 * F));
  const z99 = zTwoSided(POWER_MISS / 2);
  let worst = -Infinity;
  let worstRow: Record<string, number | string> | null = null;
  let power = 0;
  let effectPower = 0;
  let maxAllowance = 0;
  const rows: Record<string, number | string>[] = [];
  for (let k = 0; k < F; k++) {
    const e = f4.exact[k]!;
    const dev = Math.abs(f4.estimate[k]! - e);
    const diff24 = Math.abs(f2.estimate[k]! - f4.estimate[k]!);
    const s24 = ds.s24[k]!;
    const allowance = c * diff24 + MOMENT_BIAS_FLOOR * scale[k]!;
    const noise = z * (f4.se[k]! + c * s24);
    const threshold = allowance + noise;
    const excess = (dev - threshold) / scale[k]!;
    const mdd = ((z + z99) * (f4.se[k]! + c * s24)) / scale[k]! + MOMENT_BIAS_FLOOR;
    power = Math.max(power, mdd);
    effectPower = Math.max(effectPower, mdd + MOMENT_BIAS_FLOOR + (2 * c * diff24) / scale[k]!);
    maxAllowance = Math.max(maxAllowance, (c * Math.max(0, diff24 - z * s24)) / scale[k]!);
    const row = { statistic: f4.labels[k]!, exact: r4(e), at4K: r4(f4.estimate[k]!), at2K: r4(f2.estimate[k]!), deviation: r4(dev), allowance: r4(allowance), noise: r4(noise), excessScaled: r4(excess) };
    rows.push(row);
    if (excess > worst) {
      worst = excess;
      worstRow = row;
    }
  }
  const fail = worst > 0;
  const verdict: CheckVerdict = fail ? 'fail' : maxAllowance > MAX_MOMENT_ALLOWANCE ? 'inconclusive' : 'pass';
  const w = worstRow!;
  const summary = fail
    ? `${w.statistic} = ${w.at4K} at 4K, exact ${w.exact}: deviation ${w.deviation} > allowed ${r4(Number(w.allowance) + Number(w.noise))} (bias allowance ${w.allowance} + noise ${w.noise})`
    : verdict === 'inconclusive'
      ? `no violation, but the ladder allows a bias of ${r4(maxAllowance)} scale units at 4K (> ${MAX_MOMENT_ALLOWANCE}): too coarse to judge`
      : `all ${F} mean/covariance entries within the allowance (worst ${w.statistic}: deviation ${w.deviation}, allowed ${r4(Number(w.allowance) + Number(w.noise))})`;
  return {
    id: `${p.id}/moments`,
    problem: p.id,
    kind: 'moments',
    verdict,
    delta,
    power: r4(power),
    powerUnit: 'standard deviations (means) / relative (covariances), K-independent bias',
    summary,
    evidence: { worstStatistic: String(w.statistic), worstExcessScaled: r4(worst), maxBiasAllowanceScaled: r4(maxAllowance), z: r4(z), biasAllowanceFactor: c, effectPower: r4(effectPower) },
    rows,
    notes: [`bias allowed at 4K = ${r4(c)} × |F(2K) − F(4K)| + ${MOMENT_BIAS_FLOOR} scale units (weak order ≥ ${order}, ratio ≤ ${r4(rhoForOrder(order))}, remainder floor)`],
  };
}

function ksCheck(p: AuditProblem, runs: ProblemRuns, delta: number, order: DeclaredOrder): CheckResult {
  const P = p.projections.length;
  const n = p.n;
  const d = p.dim;
  const c = biasAllowanceFactor(order);
  const eps = dkwEpsilon(n, delta / (2 * P));
  const eps99 = dkwEpsilon(n, POWER_MISS / 3);
  const rows: Record<string, number | string>[] = [];
  let worst = -Infinity;
  let worstRow: Record<string, number | string> | null = null;
  let maxAllowance = 0;
  for (let j = 0; j < P; j++) {
    const u = p.projections[j]!;
    const law = projectMixture(p.exact, u);
    const s2 = sortedProjection(runs.ladder[1], n, d, u);
    const s4 = sortedProjection(runs.ladder[2], n, d, u);
    const D4 = ksOneSample(s4, law);
    const D24 = ksTwoSample(s2, s4);
    const allowance = c * D24 + KS_BIAS_FLOOR;
    const threshold = eps + c * (D24 + 2 * eps) + KS_BIAS_FLOOR;
    const excess = D4 - threshold;
    maxAllowance = Math.max(maxAllowance, c * Math.max(0, D24 - 2 * eps));
    const row = { projection: p.projectionLabels[j]!, ksAt4K: r4(D4), ks2Kvs4K: r4(D24), threshold: r4(threshold), excess: r4(excess) };
    rows.push(row);
    if (excess > worst) {
      worst = excess;
      worstRow = row;
    }
  }
  const power = eps + 2 * c * eps + eps99 + 2 * c * eps99 + KS_BIAS_FLOOR;
  let maxD24 = 0;
  for (const row of rows) maxD24 = Math.max(maxD24, Number(row.ks2Kvs4K));
  const effectPower = power + KS_BIAS_FLOOR + 2 * c * maxD24;
  const fail = worst > 0;
  const verdict: CheckVerdict = fail ? 'fail' : maxAllowance > MAX_KS_ALLOWANCE ? 'inconclusive' : 'pass';
  const w = worstRow!;
  return {
    id: `${p.id}/projection-ks`,
    problem: p.id,
    kind: 'projection-ks',
    verdict,
    delta,
    power: r4(power),
    powerUnit: 'sup-distance between CDFs of a projection (K-independent bias)',
    summary: fail
      ? `projection ${w.projection}: KS distance to the exact CDF ${w.ksAt4K} > allowed ${w.threshold} (DKW bound at δ, bias allowance ${r4(c * Number(w.ks2Kvs4K))})`
      : verdict === 'inconclusive'
        ? `no violation, but the 2K–4K distance allows a bias of ${r4(maxAllowance)} (> ${MAX_KS_ALLOWANCE}): too coarse to judge`
        : `${P} projection(s) within the allowance (worst ${w.projection}: KS ${w.ksAt4K}, allowed ${w.threshold})`,
    evidence: { worstProjection: String(w.projection), worstExcess: r4(worst), dkwEpsilon: r4(eps), biasAllowanceFactor: c, effectPower: r4(effectPower) },
    rows,
    notes: ['KS bound: DKW–Massart P(sup|F̂−F| > ε) ≤ 2e^{−2nε²}, valid for every n (no asymptotic p-value)'],
  };
}

export interface WeakOrderEstimate {
  /** point estimate log2(|d_{K,2K}| / |d_{2K,4K}|) on the best-resolved statistic, or null */
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly statistic: string | null;
  readonly note: string;
}

function ladderCheck(p: AuditProblem, f: MomentFeatures[], ds: DifferenceSe, delta: number): { check: CheckResult; order: WeakOrderEstimate } {
  const [f1, f2, f4] = f as [MomentFeatures, MomentFeatures, MomentFeatures];
  const F = f1.labels.length;
  const { cov } = exactMoments(p);
  const scale = featureScales(p.dim, cov);
  const z = zTwoSided(delta / (2 * F));
  const z99 = zTwoSided(POWER_MISS / 2);
  const rho = LADDER_RATIO_MAX;
  let worst = -Infinity;
  let worstRow: Record<string, number | string> | null = null;
  let power = 0;
  let bestSignal = 0;
  let order: WeakOrderEstimate = { estimate: null, lower: null, upper: null, statistic: null, note: `differences between K, 2K, 4K are within Monte Carlo noise (z = ${ORDER_Z}): order not resolvable` };
  const zo = ORDER_Z;
  const rows: Record<string, number | string>[] = [];
  for (let k = 0; k < F; k++) {
    const d1 = f1.estimate[k]! - f2.estimate[k]!;
    const d2 = f2.estimate[k]! - f4.estimate[k]!;
    const sd1 = ds.s12[k]!;
    const sd2 = ds.s24[k]!;
    const floor = ds.paired ? MOMENT_BIAS_FLOOR : 0;
    const excess = (Math.abs(d2) - rho * Math.abs(d1) - z * (sd2 + rho * sd1)) / scale[k]! - floor;
    power = Math.max(power, ((z + z99) * (sd2 + rho * sd1)) / scale[k]! + floor);
    const row = { statistic: f1.labels[k]!, diffK2K: r4(d1), diff2K4K: r4(d2), excessScaled: r4(excess) };
    rows.push(row);
    if (excess > worst) {
      worst = excess;
      worstRow = row;
    }
    const signal = sd1 > 0 ? Math.abs(d1) / sd1 : 0;
    if (signal > zo && signal > bestSignal) {
      bestSignal = signal;
      const lo = (Math.abs(d1) - zo * sd1) / (Math.abs(d2) + zo * sd2);
      const hiDen = Math.abs(d2) - zo * sd2;
      order = {
        estimate: r4(Math.log2(Math.abs(d1) / Math.abs(d2))),
        lower: lo > 0 ? r4(Math.log2(lo)) : null,
        upper: hiDen > 0 ? r4(Math.log2((Math.abs(d1) + zo * sd1) / hiDen)) : null,
        statistic: f1.labels[k]!,
        note: `from ${f1.labels[k]} (K→2K difference ${r4(signal)} standard errors)`,
      };
    }
  }
  const fail = worst > 0;
  const w = worstRow!;
  const orderText = order.estimate === null ? order.note : `estimated weak order ${order.estimate} (interval [${order.lower ?? '−∞'}, ${order.upper ?? '+∞'}], ${order.note})`;
  return {
    order,
    check: {
      id: `${p.id}/ladder`,
      problem: p.id,
      kind: 'ladder',
      verdict: fail ? 'fail' : 'pass',
      delta,
      power: r4(power),
      powerUnit: 'growth of the 2K–4K difference over the K–2K difference, scale units',
      summary: fail
        ? `${w.statistic}: difference 2K→4K ${w.diff2K4K} exceeds K→2K ${w.diffK2K}: not converging as steps grow; ${orderText}`
        : `differences shrink or stay within noise; ${orderText}`,
      evidence: { worstStatistic: String(w.statistic), worstExcessScaled: r4(worst), weakOrder: order.estimate, weakOrderLower: order.lower, weakOrderUpper: order.upper },
      rows,
      notes: ['a bug whose effect is O(1/K) is a consistent first-order scheme: it passes here and its order is reported, not judged'],
    },
  };
}

function replicateCheck(p: AuditProblem, runs: ProblemRuns, fa: MomentFeatures, fb: MomentFeatures, delta: number): CheckResult {
  const F = fa.labels.length;
  const P = p.projections.length;
  const { cov } = exactMoments(p);
  const scale = featureScales(p.dim, cov);
  const events = F + 2 * P;
  const z = zTwoSided(delta / events);
  const z99 = zTwoSided(POWER_MISS / 2);
  const eps = dkwEpsilon(p.n, delta / events);
  const eps99 = dkwEpsilon(p.n, POWER_MISS / 2);
  const rows: Record<string, number | string>[] = [];
  let worst = -Infinity;
  let worstText = '';
  let powerM = 0;
  for (let k = 0; k < F; k++) {
    const diff = Math.abs(fa.estimate[k]! - fb.estimate[k]!);
    const s = Math.hypot(fa.se[k]!, fb.se[k]!);
    const excess = (diff - z * s) / scale[k]!;
    powerM = Math.max(powerM, ((z + z99) * s) / scale[k]!);
    rows.push({ statistic: fa.labels[k]!, runA: r4(fa.estimate[k]!), runB: r4(fb.estimate[k]!), difference: r4(diff), allowed: r4(z * s), excessScaled: r4(excess) });
    if (excess > worst) {
      worst = excess;
      worstText = `${fa.labels[k]}: runs differ by ${r4(diff)} > ${r4(z * s)} (${r4(diff / s)} standard errors)`;
    }
  }
  let worstKs = -Infinity;
  for (let j = 0; j < P; j++) {
    const u = p.projections[j]!;
    const D = ksTwoSample(sortedProjection(runs.ladder[0], p.n, p.dim, u), sortedProjection(runs.replicate, p.n, p.dim, u));
    const excess = D - 2 * eps;
    rows.push({ statistic: `KS ${p.projectionLabels[j]}`, difference: r4(D), allowed: r4(2 * eps), excessScaled: r4(excess) });
    if (excess > worstKs) worstKs = excess;
    if (excess > 0 && excess > worst) {
      worst = excess;
      worstText = `projection ${p.projectionLabels[j]}: two-sample KS ${r4(D)} > ${r4(2 * eps)}`;
    }
  }
  const fail = worst > 0 || worstKs > 0;
  return {
    id: `${p.id}/replicate`,
    problem: p.id,
    kind: 'replicate',
    verdict: fail ? 'fail' : 'pass',
    delta,
    power: r4(powerM),
    powerUnit: `between-run difference in scale units (KS: ${r4(2 * eps + 2 * eps99)})`,
    summary: fail
      ? `two independent runs at K = ${p.steps} disagree — ${worstText} (particles not independent, or output not reproducible in law)`
      : `two independent runs at K = ${p.steps} agree in law (moments and ${P} projection(s))`,
    evidence: { worst: worstText, worstExcessScaled: r4(worst), ksPower: r4(2 * eps + 2 * eps99) },
    rows,
    notes: ['same K, fresh seed and start points: the law must be identical, so no bias allowance'],
  };
}

/**
 * Determinism check (kind `ode`, kind `replicate`): the K run and the replicate share x0 and differ
 * in the request seed, so a deterministic sampler returns the same output up to DETERMINISM_TOL.
 * Exact comparison: passes or fails, spends no probability.
 */
function determinismCheck(p: AuditProblem, runs: ProblemRuns): CheckResult {
  const a = runs.ladder[0];
  const b = runs.replicate;
  // wire rounding of both outputs: |r(a) − r(b)| ≤ |a − b| + u(|a| + |b|) + 2ε_abs, and
  // u(|a| + |b|) ≤ u(2|a| + |a − b|) ≤ 3u(1 + |a|) while |a − b| ≤ 1 + |a|; so in the scaled excess
  // |r(a) − r(b)|/(1 + |a|) the wire adds at most 3u + 2ε_abs
  const wire = runs.wireRounding ?? { relative: 0, absolute: 0 };
  const tol = DETERMINISM_TOL + 3 * wire.relative + 2 * wire.absolute;
  let worst = 0;
  let worstAt = -1;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i]! - b[i]!) / (1 + Math.abs(a[i]!));
    if (excess > tol) differing++;
    if (excess > worst) {
      worst = excess;
      worstAt = i;
    }
  }
  const fail = worst > tol;
  const particle = worstAt >= 0 ? Math.floor(worstAt / p.dim) : -1;
  const coord = worstAt >= 0 ? worstAt % p.dim : -1;
  return {
    id: `${p.id}/replicate`,
    problem: p.id,
    kind: 'replicate',
    verdict: fail ? 'fail' : 'pass',
    delta: 0,
    power: tol,
    powerUnit: 'largest relative difference |a − b|/(1 + |a|) between two runs on the same x0',
    summary: fail
      ? `not deterministic: two runs at K = ${p.steps} on the same x0 (different seed) differ in ${differing} of ${a.length} coordinates, worst particle ${particle + 1} coordinate ${coord + 1}: ${r4(a[worstAt]!)} vs ${r4(b[worstAt]!)}`
      : `deterministic: two runs at K = ${p.steps} on the same x0 (different seed) agree to ${r4(worst)} relative (≤ ${r4(tol)})`,
    evidence: { maxRelativeDifference: r4(worst), differingCoordinates: differing, tolerance: tol },
    rows: [],
    notes: ['kind ode: the output must be a function of the start points alone (exact comparison, no probability spent)'],
  };
}

/** All four checks of one problem, each at `deltaPerCheck`. */
export function problemChecks(runs: ProblemRuns, deltaPerCheck: number, options: CheckOptions = {}): { checks: CheckResult[]; order: WeakOrderEstimate } {
  const p = runs.problem;
  const declared = options.order ?? 1;
  const { mean, cov } = exactMoments(p);
  const f = runs.ladder.map((x) => momentFeatures(x, p.n, p.dim, mean, cov));
  const ds = differenceSe(runs, f, mean);
  const ladder = ladderCheck(p, f, ds, deltaPerCheck);
  const replicate = p.kind === 'ode' ? determinismCheck(p, runs) : replicateCheck(p, runs, f[0]!, momentFeatures(runs.replicate, p.n, p.dim, mean, cov), deltaPerCheck);
  const checks = [momentsCheck(p, f, ds, deltaPerCheck, declared), ksCheck(p, runs, deltaPerCheck, declared), ladder.check, replicate];
  if (options.extrapolation) checks.push(extrapolationCheck(p, f, ds, deltaPerCheck, declared));
  return { checks, order: ladder.order };
}

/** Checks per problem: 4, or 5 with the extrapolation check. */
export function checksPerProblem(options: CheckOptions = {}): number {
  return options.extrapolation ? 5 : 4;
}

/**
 * Standard errors of R_{4K} and R_{2K} − R_{4K} (EXTRAPOLATION). Unpaired (independent levels, as
 * the unpaired ladder differences assume): exact for independent means,
 *   se(R_{4K})² = (1+λ)²se_{4K}² + λ²se_{2K}²,  se(R_{2K} − R_{4K})² = λ²se_K² + (1+2λ)²se_{2K}² + (1+λ)²se_{4K}²;
 * paired (shared start points): the triangle bounds on the paired difference errors.
 */
export function extrapolationSe(lambda: number, se1: number, se2: number, se4: number, s12: number, s24: number, paired: boolean): { seR4: number; seDiff: number } {
  if (paired) return { seR4: se4 + lambda * s24, seDiff: (1 + lambda) * s24 + lambda * s12 };
  return {
    seR4: Math.hypot((1 + lambda) * se4, lambda * se2),
    seDiff: Math.sqrt((lambda * se1) ** 2 + ((1 + 2 * lambda) * se2) ** 2 + ((1 + lambda) * se4) ** 2),
  };
}

/**
 * The `extrapolation` check (EXTRAPOLATION in the module comment): Richardson-extrapolated moment
 * features R_{4K} against the exact law, with the remainder allowance c'·|R_{2K} − R_{4K}| + floor.
 */
function extrapolationCheck(p: AuditProblem, f: MomentFeatures[], ds: DifferenceSe, delta: number, order: DeclaredOrder): CheckResult {
  const [f1, f2, f4] = f as [MomentFeatures, MomentFeatures, MomentFeatures];
  const { cov } = exactMoments(p);
  const scale = featureScales(p.dim, cov);
  const F = f4.labels.length;
  const lambda = 1 / (2 ** order - 1);
  const c = extrapolationAllowanceFactor(order);
  const z = zTwoSided(delta / (2 * F));
  const z99 = zTwoSided(POWER_MISS / 2);
  let worst = -Infinity;
  let worstRow: Record<string, number | string> | null = null;
  let power = 0;
  let effectPower = 0;
  let maxAllowance = 0;
  const rows: Record<string, number | string>[] = [];
  for (let k = 0; k < F; k++) {
    const e = f4.exact[k]!;
    const R4 = f4.estimate[k]! + lambda * (f4.estimate[k]! - f2.estimate[k]!);
    const R2 = f2.estimate[k]! + lambda * (f2.estimate[k]! - f1.estimate[k]!);
    const { seR4, seDiff } = extrapolationSe(lambda, f1.se[k]!, f2.se[k]!, f4.se[k]!, ds.s12[k]!, ds.s24[k]!, ds.paired);
    const dev = Math.abs(R4 - e);
    const diff = Math.abs(R2 - R4);
    const allowance = c * diff + MOMENT_BIAS_FLOOR * scale[k]!;
    const noise = z * (seR4 + c * seDiff);
    const excess = (dev - allowance - noise) / scale[k]!;
    const mdd = ((z + z99) * (seR4 + c * seDiff)) / scale[k]! + MOMENT_BIAS_FLOOR;
    power = Math.max(power, mdd);
    effectPower = Math.max(effectPower, mdd + MOMENT_BIAS_FLOOR + (2 * c * diff) / scale[k]!);
    maxAllowance = Math.max(maxAllowance, (c * Math.max(0, diff - z * seDiff)) / scale[k]!);
    const row = { statistic: f4.labels[k]!, exact: r4(e), extrapolated: r4(R4), extrapolated2K: r4(R2), deviation: r4(dev), allowance: r4(allowance), noise: r4(noise), excessScaled: r4(excess) };
    rows.push(row);
    if (excess > worst) {
      worst = excess;
      worstRow = row;
    }
  }
  const fail = worst > 0;
  const verdict: CheckVerdict = fail ? 'fail' : maxAllowance > MAX_MOMENT_ALLOWANCE ? 'inconclusive' : 'pass';
  const w = worstRow!;
  return {
    id: `${p.id}/extrapolation`,
    problem: p.id,
    kind: 'extrapolation',
    verdict,
    delta,
    power: r4(power),
    powerUnit: 'standard deviations (means) / relative (covariances), bias that does not shrink with K',
    summary: fail
      ? `${w.statistic} extrapolated to K → ∞ (order ${order}) = ${w.extrapolated}, exact ${w.exact}: deviation ${w.deviation} > allowed ${r4(Number(w.allowance) + Number(w.noise))} (remainder allowance ${w.allowance} + noise ${w.noise}): a bias that does not shrink with K`
      : verdict === 'inconclusive'
        ? `no violation, but the extrapolation remainder allows ${r4(maxAllowance)} scale units (> ${MAX_MOMENT_ALLOWANCE}): too coarse to judge`
        : `all ${F} entries extrapolated to K → ∞ agree with the exact law (worst ${w.statistic}: deviation ${w.deviation}, allowed ${r4(Number(w.allowance) + Number(w.noise))})`,
    evidence: { worstStatistic: String(w.statistic), worstExcessScaled: r4(worst), maxRemainderAllowanceScaled: r4(maxAllowance), z: r4(z), remainderAllowanceFactor: r4(c), effectPower: r4(effectPower) },
    rows,
    notes: [`Richardson R = F(4K) + (F(4K) − F(2K))/(2^${order} − 1); remainder allowed = ${r4(c)} × |R(2K) − R(4K)| + ${MOMENT_BIAS_FLOOR} scale units (remainder ratio ≤ ${r4(extrapolationRho(order))})`],
  };
}

/**
 * Particles per request so that the moments and projection-ks checks of problem `p`, at
 * `deltaPerCheck` and declared `order`, detect a K-independent effect `effect` with probability
 * ≥ 0.99 (POWER ON DEMAND in the module comment; unpaired ladder, exact-law feature sds).
 * Throws if effect ≤ 2·MOMENT_BIAS_FLOOR (the floors alone use it up) or if the answer exceeds
 * MAX_PARTICLES_FOR_EFFECT.
 */
export function particlesForEffect(p: AuditProblem, effect: number, deltaPerCheck: number, order: DeclaredOrder = 1): number {
  if (!(effect > 2 * MOMENT_BIAS_FLOOR && effect < 1)) throw new Error(`min-effect ${effect} must be in (${2 * MOMENT_BIAS_FLOOR}, 1): the remainder floors alone use ${2 * MOMENT_BIAS_FLOOR}`);
  const { mean, cov } = exactMoments(p);
  const d = p.dim;
  const sds = exactFeatureSds(p.exact.weights, p.exact.components, mean, cov);
  const scale = featureScales(d, cov);
  const F = sds.length;
  const c = biasAllowanceFactor(order);
  const z = zTwoSided(deltaPerCheck / (2 * F));
  const z99 = zTwoSided(POWER_MISS / 2);
  let n = 2;
  const budget = effect - 2 * MOMENT_BIAS_FLOOR;
  // unit-n standard errors of the extrapolation statistics (all levels with se = sd)
  const lambda = 1 / (2 ** order - 1);
  const ex = extrapolationSe(lambda, 1, 1, 1, Math.SQRT2, Math.SQRT2, false);
  const exCoef = ex.seR4 + extrapolationAllowanceFactor(order) * ex.seDiff;
  const coef = Math.max(1 + c * Math.SQRT2, exCoef);
  for (let k = 0; k < F; k++) n = Math.max(n, (((z + z99) * coef * sds[k]!) / (scale[k]! * budget)) ** 2);
  const P = p.projections.length;
  const ksBudget = effect - 2 * KS_BIAS_FLOOR;
  // ε_DKW(n, δ) = √(ln(2/δ)/(2n)), so (1 + 2c)(ε(δ₁) + ε(δ₂)) ≤ budget ⇔ n ≥ ((1 + 2c)(√(ln(2/δ₁)/2) + √(ln(2/δ₂)/2))/budget)²
  const root = (dl: number) => Math.sqrt(Math.log(2 / dl) / 2);
  n = Math.max(n, (((1 + 2 * c) * (root(deltaPerCheck / (2 * P)) + root(POWER_MISS / 3))) / ksBudget) ** 2);
  const out = Math.ceil(n);
  if (out > MAX_PARTICLES_FOR_EFFECT) throw new Error(`min-effect ${effect} on ${p.id} needs ${out} particles per request (> ${MAX_PARTICLES_FOR_EFFECT}): ask for a larger effect`);
  return out;
}
