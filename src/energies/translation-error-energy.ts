/**
 * Ideal-path energy ε⋆² and observability η of the translation learning error of a 1-D GMM
 * (src/oracles/translation-error-recursion.ts; claims P1-3.2 definitions, used by P1-4.1i/ii, P1-4.2).
 *
 * Error: e(x, t) = s_t(x − a_t b) − s_t(x), s_t = ∇log P_t q, a_t = e^{−t/2}, q = Σ w_k N(m_k, v_k).
 *
 * ε⋆² = ∫_{t0}^{T} E_{X ~ P_t q} e(X, t)² dt  (P1 [V]): composite 5-point Gauss–Legendre in t,
 * trapezoid in x (P_t q is a GMM with components N(a_t m_k, a_t² v_k + 1 − a_t²)).
 *
 * η = Var(E[M | Y_t0]) / ε⋆² (P1 Def. 3.2) through the identity (derived in the project: time
 * reversal of the forward OU path, backward-to-forward Itô conversion; the forward Brownian
 * increments after t0 are independent of X_t0, so their Itô integral has conditional mean 0):
 *   M = ∫_{t0}^{T} e·dB + ∫_{t0}^{T} (∂_x e + s_t e)(X_t, t) dt   along the forward path X,
 *   u(y) := E[M | Y_t0 = y] = ∫_{t0}^{T} E[(∂_x e + s_t e)(X_t, t) | X_t0 = y] dt,
 * with X_t | X_t0 = y ~ N(c y, 1 − c²), c = e^{−(t−t0)/2}. Check of the identity (a property test):
 * stationary q = N(0, 1) gives e = a_t b (time-only) and η = 1 − e^{−(T−t0)} in closed form.
 * E[u(Y)] = 0 exactly (∫ (p_t e)' = 0); its quadrature value is returned as an accuracy witness.
 * Expectations over the GMMs P_t q use the trapezoid rule on a grid finer than the narrowest
 * component (`mixtureNodes`), the inner conditional expectation Gauss–Hermite, the t-integral
 * Gauss–Legendre.
 *
 * Errors: each quantity is computed at two resolutions (panels, nodes, grid) and (2·panels,
 * nodes + 8, 1.5× finer grid);
 * `errorEstimate` = |difference| (an estimate: both rules converge geometrically on these analytic
 * integrands, so the difference bounds the coarse error up to a factor → 1). b = 0 gives ε⋆² = 0,
 * η = 0 (P1's convention). Throws on t0 < 0, T ≤ t0, non-positive variances.
 */
import { gaussHermite } from './gauss-hermite.ts';
import type { Mixture1d } from '../oracles/translation-error-recursion.ts';

export interface QuadratureResult {
  readonly value: number;
  readonly errorEstimate: number;
}

const GL_X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
const GL_W = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];

/**
 * Gauss–Legendre nodes/weights of `panels` panels on [lo, hi], equal in w = log(c + t): the
 * integrands vary on the scale of S_t ≈ v + t (small t), so panels graded with c = min(v_min, 1)
 * resolve the start of the window as well as its end.
 */
function legendreNodes(lo: number, hi: number, panels: number, c: number): { t: Float64Array; w: Float64Array } {
  const t = new Float64Array(5 * panels);
  const w = new Float64Array(5 * panels);
  const wLo = Math.log(c + lo);
  const h = (Math.log(c + hi) - wLo) / panels;
  for (let p = 0; p < panels; p++)
    for (let k = 0; k < 5; k++) {
      const e = Math.exp(wLo + (p + 0.5) * h + 0.5 * h * GL_X[k]!);
      t[5 * p + k] = Math.min(hi, Math.max(lo, e - c));
      w[5 * p + k] = 0.5 * h * GL_W[k]! * e;
    }
  return { t, w };
}

/** Grading constant of the t-panels: min(smallest component variance, 1). */
function gradingScale(q: Mixture1d): number {
  let v = 1;
  for (let k = 0; k < q.v.length; k++) if (q.w[k]! > 0) v = Math.min(v, q.v[k]!);
  return v;
}

/** Score s and its x-derivative of a 1-D GMM given as (w, mean, var) at time t already pushed. */
class MixtureScore {
  readonly lw: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  private readonly buf: Float64Array;
  s = 0;
  ds = 0;
  constructor(q: Mixture1d, t: number) {
    const K = q.w.length;
    const a = Math.exp(-0.5 * t);
    const s2 = -Math.expm1(-t);
    this.lw = new Float64Array(K);
    this.m = new Float64Array(K);
    this.v = new Float64Array(K);
    this.buf = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const v = a * a * q.v[k]! + s2;
      if (!(v > 0)) throw new Error(`translation-error energy: component ${k} has variance ${v} at t = ${t}`);
      this.m[k] = a * q.m[k]!;
      this.v[k] = v;
      this.lw[k] = q.w[k]! > 0 ? Math.log(q.w[k]!) - 0.5 * Math.log(v) : -Infinity;
    }
  }
  /** sets this.s = s_t(x), this.ds = ∂_x s_t(x) */
  at(x: number): void {
    const K = this.lw.length;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const z = x - this.m[k]!;
      const l = this.lw[k]! - (0.5 * z * z) / this.v[k]!;
      this.buf[k] = l;
      if (l > max) max = l;
    }
    let Z = 0;
    let S1 = 0;
    let S2 = 0;
    for (let k = 0; k < K; k++) {
      const p = Math.exp(this.buf[k]! - max);
      const r = -(x - this.m[k]!) / this.v[k]!;
      Z += p;
      S1 += p * r;
      S2 += p * (r * r - 1 / this.v[k]!);
    }
    this.s = S1 / Z;
    this.ds = S2 / Z - this.s * this.s;
  }
}

function checkWindow(t0: number, T: number): void {
  if (!(t0 >= 0) || !(T > t0) || !Number.isFinite(T)) throw new Error(`translation-error energy: need 0 ≤ t0 < T < ∞ (t0 = ${t0}, T = ${T})`);
}

/**
 * Every component of P_t0 q must have a variance e^{−t0} v + 1 − e^{−t0} > 0 (it only grows with t
 * for v < 1, so t0 is where it is smallest). Checked before anything uses the variances: the
 * t-grading constant min(v, 1) used to turn a non-positive one into "variance NaN at t = NaN".
 */
function checkVariances(q: Mixture1d, t0: number): void {
  const a = Math.exp(-0.5 * t0);
  const s2 = -Math.expm1(-t0);
  for (let k = 0; k < q.v.length; k++) {
    const v = a * a * q.v[k]! + s2;
    if (!(v > 0)) throw new Error(`translation-error energy: component ${k} has variance ${v} at t = ${t0}`);
  }
}

/**
 * Trapezoid nodes for E over the GMM P_t q (components N(m_k, v_k)): uniform grid with spacing
 * min_k sd_k / pointsPerSd on [min(m_k − 10 sd_k), max(m_k + 10 sd_k)], weights h·p(x). For analytic
 * integrands against Gaussian components the trapezoid error decays like exp(−2π² pointsPerSd²)
 * (Poisson summation); the cut tails carry mass < 2e-23 per component.
 */
function mixtureNodes(sc: MixtureScore, wts: Float64Array, pointsPerSd: number): { x: Float64Array; w: Float64Array } {
  const K = wts.length;
  let lo = Infinity;
  let hi = -Infinity;
  let sdMin = Infinity;
  for (let k = 0; k < K; k++) {
    if (!(wts[k]! > 0)) continue;
    const sd = Math.sqrt(sc.v[k]!);
    lo = Math.min(lo, sc.m[k]! - 10 * sd);
    hi = Math.max(hi, sc.m[k]! + 10 * sd);
    sdMin = Math.min(sdMin, sd);
  }
  const n = Math.ceil(((hi - lo) * pointsPerSd) / sdMin);
  const h = (hi - lo) / n;
  const x = new Float64Array(n + 1);
  const w = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    const xj = lo + j * h;
    let p = 0;
    for (let k = 0; k < K; k++) if (wts[k]! > 0) p += (wts[k]! / Math.sqrt(2 * Math.PI * sc.v[k]!)) * Math.exp((-0.5 * (xj - sc.m[k]!) ** 2) / sc.v[k]!);
    x[j] = xj;
    w[j] = h * p;
  }
  return { x, w };
}

function energyAt(q: Mixture1d, b: number, t0: number, T: number, panels: number, pointsPerSd: number): number {
  const { t, w } = legendreNodes(t0, T, panels, gradingScale(q));
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const sc = new MixtureScore(q, t[i]!);
    const shift = Math.exp(-0.5 * t[i]!) * b;
    const xs = mixtureNodes(sc, q.w, pointsPerSd);
    let e2 = 0;
    for (let j = 0; j < xs.x.length; j++) {
      const x = xs.x[j]!;
      sc.at(x - shift);
      const sShift = sc.s;
      sc.at(x);
      const e = sShift - sc.s;
      e2 += xs.w[j]! * e * e;
    }
    total += w[i]! * e2;
  }
  return total;
}

/** ε⋆² of the translation error b of q on [t0, T] (see file comment). */
export function translationErrorEnergy(q: Mixture1d, b: number, t0: number, T: number, opts: { panels?: number; pointsPerSd?: number } = {}): QuadratureResult {
  checkWindow(t0, T);
  checkVariances(q, t0);
  if (b === 0) return { value: 0, errorEstimate: 0 };
  const panels = opts.panels ?? 3;
  const pointsPerSd = opts.pointsPerSd ?? 2;
  const coarse = energyAt(q, b, t0, T, panels, pointsPerSd);
  const fine = energyAt(q, b, t0, T, 2 * panels, 1.5 * pointsPerSd);
  return { value: fine, errorEstimate: Math.abs(fine - coarse) };
}

function observabilityAt(q: Mixture1d, b: number, t0: number, T: number, panels: number, nodes: number, pointsPerSd: number): { varU: number; meanU: number } {
  const { t, w } = legendreNodes(t0, T, panels, gradingScale(q));
  const gh = gaussHermite(nodes);
  const scores = Array.from(t, (ti) => new MixtureScore(q, ti));
  const ys = mixtureNodes(new MixtureScore(q, t0), q.w, pointsPerSd); // nodes for P_t0 q
  let m1 = 0;
  let m2 = 0;
  for (let j = 0; j < ys.x.length; j++) {
    const y = ys.x[j]!;
    let u = 0;
    for (let i = 0; i < t.length; i++) {
      const sc = scores[i]!;
      const c = Math.exp(-0.5 * (t[i]! - t0));
      const sdX = Math.sqrt(-Math.expm1(-(t[i]! - t0)));
      const shift = Math.exp(-0.5 * t[i]!) * b;
      let inner = 0;
      for (let l = 0; l < nodes; l++) {
        const x = c * y + sdX * gh.nodes[l]!;
        sc.at(x - shift);
        const sS = sc.s;
        const dsS = sc.ds;
        sc.at(x);
        const e = sS - sc.s;
        const de = dsS - sc.ds;
        inner += gh.weights[l]! * (de + sc.s * e);
      }
      u += w[i]! * inner;
    }
    m1 += ys.w[j]! * u;
    m2 += ys.w[j]! * u * u;
  }
  return { varU: m2 - m1 * m1, meanU: m1 };
}

export interface ObservabilityResult {
  /** η = Var(u(Y_t0)) / ε⋆² */
  readonly eta: QuadratureResult;
  readonly energy: QuadratureResult;
  /** quadrature value of E[u(Y_t0)] (exactly 0): accuracy witness */
  readonly meanU: number;
}

/** η (and ε⋆²) of the translation error b of q on [t0, T] (see file comment). */
export function translationErrorObservability(q: Mixture1d, b: number, t0: number, T: number, opts: { panels?: number; nodes?: number; pointsPerSd?: number } = {}): ObservabilityResult {
  checkWindow(t0, T);
  checkVariances(q, t0);
  const energy = translationErrorEnergy(q, b, t0, T, { ...(opts.panels !== undefined ? { panels: opts.panels } : {}), ...(opts.pointsPerSd !== undefined ? { pointsPerSd: opts.pointsPerSd } : {}) });
  if (b === 0) return { eta: { value: 0, errorEstimate: 0 }, energy, meanU: 0 };
  const panels = opts.panels ?? 4;
  const nodes = opts.nodes ?? 16;
  const pointsPerSd = opts.pointsPerSd ?? 2;
  const coarse = observabilityAt(q, b, t0, T, panels, nodes, pointsPerSd);
  const fine = observabilityAt(q, b, t0, T, 2 * panels, nodes + 8, 1.5 * pointsPerSd);
  const eta = fine.varU / energy.value;
  const etaCoarse = coarse.varU / energy.value;
  return { eta: { value: eta, errorEstimate: Math.abs(eta - etaCoarse) + (eta * energy.errorEstimate) / energy.value }, energy, meanU: fine.meanU };
}
