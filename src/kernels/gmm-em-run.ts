/**
 * Run half of the fused kernel (see ./gmm-euler-maruyama.ts for the math and the guarantees): the
 * block/step loops over a compiled `GmmEmSchedule`. Kept free of the schedule compiler's imports
 * (linear algebra, mathjs) so that pool workers start fast.
 */
import type { Rng } from '../random/rng.ts';
import { BLOCK_SIZE } from '../samplers/noise-blocks.ts';
import { stepKernel } from './codegen.ts';
import { fillNormalZiggurat, xoshiroState } from './ziggurat.ts';

export type FusedLayout = 'isotropic' | 'diagonal';

/** Per-step compiled parameters of the whole grid (flat arrays, step-major). */
export interface GmmEmSchedule {
  readonly dim: number;
  /** components */
  readonly K: number;
  readonly steps: number;
  readonly layout: FusedLayout;
  /** steps·K·d: a_t m_k at t = times[step] */
  readonly means: Float64Array;
  /** steps·K (isotropic: 1/v_k(t)) or steps·K·d (diagonal: 1/v_kj(t)) */
  readonly precision: Float64Array;
  /** steps·K: log w_k − ½ log|S_k(t)| (2π cancels in the softmax) */
  readonly logConst: Float64Array;
  /** steps: h = t_k − t_{k+1}, √h, 1 + h/2 */
  readonly h: Float64Array;
  readonly sqrtH: Float64Array;
  readonly drift: Float64Array;
}

export interface GmmEmRequest {
  /** particles (x holds n·d numbers: start values in, outputs out) */
  readonly n: number;
  /** root of the Brownian noise; block b uses noise.derive(b) */
  readonly noise: Rng;
  /** run only blocks [from, to) (workers); default all */
  readonly blocks?: { readonly from: number; readonly to: number };
  /**
   * 'auto' (default): the run-time specialised straight-line kernel (./codegen.ts) when
   * K·d ≤ CODEGEN_LIMIT, else the loop kernel; 'loop': always the loop kernel. Same numbers either way.
   */
  readonly kernel?: 'auto' | 'loop';
}

function checkRequest(x: Float64Array, s: GmmEmSchedule, req: GmmEmRequest): { from: number; to: number } {
  const d = s.dim;
  if (!Number.isInteger(req.n) || req.n < 0) throw new Error(`runGmmEulerMaruyama: n = ${req.n} must be a non-negative integer`);
  if (x.length !== req.n * d) throw new Error(`runGmmEulerMaruyama: ${x.length} numbers for ${req.n} particles of dimension ${d}`);
  const blocks = Math.ceil(req.n / BLOCK_SIZE);
  return { from: req.blocks?.from ?? 0, to: Math.min(req.blocks?.to ?? blocks, blocks) };
}

/** Scratch of one run: allocated once per call, reused by every block and step. */
interface Scratch {
  z: Float64Array; // BLOCK_SIZE·d normals
  r: Float64Array; // K logits / weights
  s: Float64Array; // d score
}

function scratch(s: GmmEmSchedule): Scratch {
  return { z: new Float64Array(BLOCK_SIZE * s.dim), r: new Float64Array(s.K), s: new Float64Array(s.dim) };
}

/**
 * Polar-noise run, bit-identical to `runReverseSde(eulerMaruyamaStep, x, {score: gaussianMixtureScore(q), …})`.
 */
export function runGmmEulerMaruyama(x: Float64Array, schedule: GmmEmSchedule, req: GmmEmRequest): void {
  const { from, to } = checkRequest(x, schedule, req);
  const sc = scratch(schedule);
  const d = schedule.dim;
  const n = req.n;
  const kern = req.kernel === 'loop' ? null : stepKernel(schedule.layout, d, schedule.K);
  for (let b = from; b < to; b++) {
    const start = b * BLOCK_SIZE;
    const m = Math.min(BLOCK_SIZE, n - start);
    const rng = req.noise.derive(b);
    const xb = x.subarray(start * d, (start + m) * d);
    const zb = sc.z.subarray(0, m * d);
    if (kern) {
      const { means, precision, logConst, h, sqrtH, drift, K } = schedule;
      const pk = schedule.layout === 'isotropic' ? K : K * d;
      for (let k = 0; k < schedule.steps; k++) {
        rng.fillNormal(zb);
        kern(means, precision, logConst, k * K * d, k * pk, k * K, h[k]!, sqrtH[k]!, drift[k]!, xb, m, zb);
      }
      continue;
    }
    for (let k = 0; k < schedule.steps; k++) {
      rng.fillNormal(zb);
      if (schedule.layout === 'isotropic') isoStep(schedule, k, xb, m, zb, sc.r, sc.s);
      else diagStep(schedule, k, xb, m, zb, sc.r, sc.s);
    }
  }
}

/** Ziggurat-noise run (separately named: same law, different numbers from the default samplers). */
export function runGmmEulerMaruyamaFast(x: Float64Array, schedule: GmmEmSchedule, req: GmmEmRequest): void {
  const { from, to } = checkRequest(x, schedule, req);
  const sc = scratch(schedule);
  const d = schedule.dim;
  const n = req.n;
  const kern = req.kernel === 'loop' ? null : stepKernel(schedule.layout, d, schedule.K);
  for (let b = from; b < to; b++) {
    const start = b * BLOCK_SIZE;
    const m = Math.min(BLOCK_SIZE, n - start);
    const state = xoshiroState(req.noise.derive(b).state().s);
    const xb = x.subarray(start * d, (start + m) * d);
    const zb = sc.z;
    if (kern) {
      const { means, precision, logConst, h, sqrtH, drift, K } = schedule;
      const pk = schedule.layout === 'isotropic' ? K : K * d;
      for (let k = 0; k < schedule.steps; k++) {
        fillNormalZiggurat(state, zb, 0, m * d);
        kern(means, precision, logConst, k * K * d, k * pk, k * K, h[k]!, sqrtH[k]!, drift[k]!, xb, m, zb);
      }
      continue;
    }
    for (let k = 0; k < schedule.steps; k++) {
      fillNormalZiggurat(state, zb, 0, m * d);
      if (schedule.layout === 'isotropic') isoStepFast(schedule, k, xb, m, zb, sc.r, sc.s);
      else diagStepFast(schedule, k, xb, m, zb, sc.r, sc.s);
    }
  }
}

/**
 * One EM step of m isotropic particles: same operations, same order as `isoKernel` of
 * gaussian-mixture-score.ts followed by `eulerMaruyamaStep` (do not reorder: bit identity).
 */
function isoStep(sc: GmmEmSchedule, step: number, x: Float64Array, m: number, z: Float64Array, r: Float64Array, s: Float64Array): void {
  const d = sc.dim;
  const K = sc.K;
  const mu = sc.means;
  const prec = sc.precision;
  const lc = sc.logConst;
  const mo = step * K * d;
  const ko = step * K;
  const h = sc.h[step]!;
  const sh = sc.sqrtH[step]!;
  const c = sc.drift[step]!;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = mo + k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff;
      }
      const logit = lc[ko + k]! - 0.5 * prec[ko + k]! * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(r[k]! - max);
      r[k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < d; j++) s[j] = 0;
    for (let k = 0; k < K; k++) {
      const coef = r[k]! * inv * prec[ko + k]!;
      if (coef === 0) continue;
      const mb = mo + k * d;
      for (let j = 0; j < d; j++) s[j]! -= coef * (x[base + j]! - mu[mb + j]!);
    }
    for (let j = 0; j < d; j++) x[base + j] = c * x[base + j]! + h * s[j]! + sh * z[base + j]!;
  }
}

/** Diagonal twin of isoStep (same order as `diagKernel` + `eulerMaruyamaStep`). */
function diagStep(sc: GmmEmSchedule, step: number, x: Float64Array, m: number, z: Float64Array, r: Float64Array, s: Float64Array): void {
  const d = sc.dim;
  const K = sc.K;
  const mu = sc.means;
  const prec = sc.precision;
  const lc = sc.logConst;
  const mo = step * K * d;
  const ko = step * K;
  const h = sc.h[step]!;
  const sh = sc.sqrtH[step]!;
  const c = sc.drift[step]!;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = mo + k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff * prec[mb + j]!;
      }
      const logit = lc[ko + k]! - 0.5 * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(r[k]! - max);
      r[k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < d; j++) s[j] = 0;
    for (let k = 0; k < K; k++) {
      const w = r[k]! * inv;
      if (w === 0) continue;
      const mb = mo + k * d;
      for (let j = 0; j < d; j++) s[j]! -= w * prec[mb + j]! * (x[base + j]! - mu[mb + j]!);
    }
    for (let j = 0; j < d; j++) x[base + j] = c * x[base + j]! + h * s[j]! + sh * z[base + j]!;
  }
}

/*
 * The fast twins are textual copies of isoStep / diagStep so that each has its own call site and
 * type feedback (one monomorphic kernel per call site, shared/TOOLING.md). Arithmetic is the same;
 * only the noise differs.
 */
function isoStepFast(sc: GmmEmSchedule, step: number, x: Float64Array, m: number, z: Float64Array, r: Float64Array, s: Float64Array): void {
  const d = sc.dim;
  const K = sc.K;
  const mu = sc.means;
  const prec = sc.precision;
  const lc = sc.logConst;
  const mo = step * K * d;
  const ko = step * K;
  const h = sc.h[step]!;
  const sh = sc.sqrtH[step]!;
  const c = sc.drift[step]!;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = mo + k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff;
      }
      const logit = lc[ko + k]! - 0.5 * prec[ko + k]! * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(r[k]! - max);
      r[k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < d; j++) s[j] = 0;
    for (let k = 0; k < K; k++) {
      const coef = r[k]! * inv * prec[ko + k]!;
      if (coef === 0) continue;
      const mb = mo + k * d;
      for (let j = 0; j < d; j++) s[j]! -= coef * (x[base + j]! - mu[mb + j]!);
    }
    for (let j = 0; j < d; j++) x[base + j] = c * x[base + j]! + h * s[j]! + sh * z[base + j]!;
  }
}

function diagStepFast(sc: GmmEmSchedule, step: number, x: Float64Array, m: number, z: Float64Array, r: Float64Array, s: Float64Array): void {
  const d = sc.dim;
  const K = sc.K;
  const mu = sc.means;
  const prec = sc.precision;
  const lc = sc.logConst;
  const mo = step * K * d;
  const ko = step * K;
  const h = sc.h[step]!;
  const sh = sc.sqrtH[step]!;
  const c = sc.drift[step]!;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = mo + k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff * prec[mb + j]!;
      }
      const logit = lc[ko + k]! - 0.5 * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(r[k]! - max);
      r[k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < d; j++) s[j] = 0;
    for (let k = 0; k < K; k++) {
      const w = r[k]! * inv;
      if (w === 0) continue;
      const mb = mo + k * d;
      for (let j = 0; j < d; j++) s[j]! -= w * prec[mb + j]! * (x[base + j]! - mu[mb + j]!);
    }
    for (let j = 0; j < d; j++) x[base + j] = c * x[base + j]! + h * s[j]! + sh * z[base + j]!;
  }
}
