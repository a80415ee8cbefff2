/**
 * Reverse-time VP-OU SDE samplers (docs/theory.md §1): `dY = [½ Y + s(Y, t)] dτ + dW`, τ = T − t.
 *
 * Every sampler has one signature (`Sampler.run`) over row-major Float64Array particles, and differs
 * only in its step rule. Theory is data: each exports its weak and strong order (for additive noise,
 * smooth drift) and its score evaluations per step.
 *
 * Noise is derived per block of BLOCK_SIZE particles (`noise.derive(blockIndex)`), and each block
 * runs all its steps before the next block starts: the output is a function of (seed, particle
 * index) only, identical whatever the number of workers or the block range a worker is given.
 */
import type { Rng } from '../random/rng.ts';
import type { TimeGrid } from '../processes/time-grid.ts';
import type { ScoreField } from '../scores/vector-field.ts';

import { BLOCK_SIZE } from './noise-blocks.ts';
import { compileGmmEulerMaruyamaSchedule } from '../kernels/gmm-euler-maruyama.ts';
import { runGmmEulerMaruyama } from '../kernels/gmm-euler-maruyama-run.ts';

export { BLOCK_SIZE };

/** Scratch numbers per particle coordinate a step rule may use. */
export const WORK_PER_PARTICLE = 3;

export type SamplerName = 'euler-maruyama' | 'exponential-integrator' | 'stochastic-heun';
export const SAMPLER_NAMES: readonly SamplerName[] = ['euler-maruyama', 'exponential-integrator', 'stochastic-heun'];

export interface StepRule {
  readonly name: SamplerName;
  /** weak order for additive noise and smooth drift (error in E f(Y) ∝ h^order) */
  readonly weakOrder: number;
  readonly strongOrder: number;
  readonly scoreEvaluationsPerStep: number;
  /**
   * Advance m particles (x, row-major m·d) from time t to t − h in place, with z = m·d standard
   * normals for this step. `work` has room for WORK_PER_PARTICLE·m·d numbers.
   */
  step(x: Float64Array, m: number, d: number, t: number, h: number, score: ScoreField, z: Float64Array, work: Float64Array): void;
}

export interface ReverseSdeRequest {
  readonly dim: number;
  readonly n: number;
  readonly grid: TimeGrid;
  readonly score: ScoreField;
  /** root of the Brownian noise; block b uses noise.derive(b) */
  readonly noise: Rng;
  /** run only blocks [from, to) (workers); default all */
  readonly blocks?: { readonly from: number; readonly to: number };
}

/** Euler–Maruyama: y ← y + h(½y + s(y,t)) + √h z. Weak order 1, strong order 1 (additive noise). */
export const eulerMaruyamaStep: StepRule = {
  name: 'euler-maruyama',
  weakOrder: 1,
  strongOrder: 1,
  scoreEvaluationsPerStep: 1,
  step(x, m, d, t, h, score, z, work) {
    frozenScoreStep(x, m * d, t, score, m, z, work, 1 + 0.5 * h, h, Math.sqrt(h));
  },
};

/**
 * The shared shape of the one-evaluation rules: y ← a·y + b·s(y, t) + c·z, the score frozen at t.
 * (Euler–Maruyama and the exponential integrator differ only in a, b, c.)
 */
function frozenScoreStep(x: Float64Array, len: number, t: number, score: ScoreField, m: number, z: Float64Array, work: Float64Array, a: number, b: number, c: number): void {
  score.evaluate(t, x, m, work);
  for (let i = 0; i < len; i++) x[i] = a * x[i]! + b * work[i]! + c * z[i]!;
}

/**
 * Exponential integrator (exact on the linear part ½y, score frozen at t over the step):
 * y ← e^{h/2} y + 2(e^{h/2} − 1) s(y,t) + √(e^h − 1) z. Weak order 1, strong order 1. Exact in law
 * for any step only when the score is zero. Not exact for N(0, I) data (s = −y): the frozen score
 * gives the mean factor 2 − e^{h/2} instead of e^{−h/2} (K = 10 on [0.02, 4]: output variance 1.246).
 */
export const exponentialIntegratorStep: StepRule = {
  name: 'exponential-integrator',
  weakOrder: 1,
  strongOrder: 1,
  scoreEvaluationsPerStep: 1,
  step(x, m, d, t, h, score, z, work) {
    frozenScoreStep(x, m * d, t, score, m, z, work, Math.exp(0.5 * h), 2 * Math.expm1(0.5 * h), Math.sqrt(Math.expm1(h)));
  },
};

/**
 * Stochastic Heun (predictor–corrector with the same increment):
 * ỹ = y + h f(y,t) + √h z;  y ← y + ½h (f(y,t) + f(ỹ,t−h)) + √h z,  f(y,t) = ½y + s(y,t).
 * Weak order 2 for additive noise (on linear drift: mean factor 1 + hλ + h²λ²/2, variance per step
 * h(1 + hλ/2)², both exact to O(h³) locally), strong order 1. Two score evaluations per step.
 */
export const stochasticHeunStep: StepRule = {
  name: 'stochastic-heun',
  weakOrder: 2,
  strongOrder: 1,
  scoreEvaluationsPerStep: 2,
  step(x, m, d, t, h, score, z, work) {
    const len = m * d;
    const f0 = work.subarray(0, len);
    const pred = work.subarray(len, 2 * len);
    score.evaluate(t, x, m, f0);
    const sh = Math.sqrt(h);
    for (let i = 0; i < len; i++) {
      const f = 0.5 * x[i]! + f0[i]!;
      f0[i] = f;
      pred[i] = x[i]! + h * f + sh * z[i]!;
    }
    const s1 = work.subarray(2 * len, 3 * len);
    score.evaluate(t - h, pred, m, s1);
    for (let i = 0; i < len; i++) {
      const f1 = 0.5 * pred[i]! + s1[i]!;
      x[i] = x[i]! + 0.5 * h * (f0[i]! + f1) + sh * z[i]!;
    }
  },
};

export const STEP_RULES: Readonly<Record<SamplerName, StepRule>> = {
  'euler-maruyama': eulerMaruyamaStep,
  'exponential-integrator': exponentialIntegratorStep,
  'stochastic-heun': stochasticHeunStep,
};

/**
 * Run the reverse SDE on the n particles of `x` (start values in, outputs out), walking the grid
 * from T to t0. Deterministic in (x, grid, score, noise seed); independent of the block range split.
 */
export function runReverseSde(rule: StepRule, x: Float64Array, req: ReverseSdeRequest): void {
  const { dim: d, n, grid, score, noise } = req;
  if (x.length !== n * d) throw new Error(`runReverseSde: ${x.length} numbers for ${n} particles of dimension ${d}`);
  if (score.dim !== d) throw new Error(`runReverseSde: score dimension ${score.dim} ≠ ${d}`);
  const blocks = Math.ceil(n / BLOCK_SIZE);
  const from = req.blocks?.from ?? 0;
  const to = Math.min(req.blocks?.to ?? blocks, blocks);
  const times = grid.times;
  const K = times.length - 1;
  const z = new Float64Array(BLOCK_SIZE * d);
  const work = new Float64Array(WORK_PER_PARTICLE * BLOCK_SIZE * d);
  for (let b = from; b < to; b++) {
    const start = b * BLOCK_SIZE;
    const m = Math.min(BLOCK_SIZE, n - start);
    const xb = x.subarray(start * d, (start + m) * d);
    const rng = noise.derive(b);
    const zb = z.subarray(0, m * d);
    const wb = work.subarray(0, WORK_PER_PARTICLE * m * d);
    for (let k = 0; k < K; k++) {
      const t = times[k]!;
      const h = t - times[k + 1]!;
      rng.fillNormal(zb);
      rule.step(xb, m, d, t, h, score, zb, wb);
    }
  }
}

export interface Sampler {
  readonly rule: StepRule;
  run(x: Float64Array, req: ReverseSdeRequest): void;
}

/**
 * The sampler of that name. Euler–Maruyama driven by a score that declares the 'gaussian-mixture'
 * fused path (`ScoreField.fusedPath`, set by gaussianMixtureScore) of an isotropic/diagonal GMM runs
 * through the fused kernel (src/kernels: schedule compiled once per grid, specialised step),
 * which is bit-identical to the generic path (properties/exact/fast-kernel.test.ts) and ≈ 2.3×
 * faster; every other combination runs the generic step rule.
 */
export function sampler(name: SamplerName): Sampler {
  const rule = STEP_RULES[name];
  if (!rule) throw new Error(`unknown sampler "${name}" (known: ${SAMPLER_NAMES.join(', ')})`);
  return {
    rule,
    run: (x, req) => {
      const fused = req.score.fusedPath;
      const law = fused?.kind === 'gaussian-mixture' ? fused.law : null;
      if (name === 'euler-maruyama' && law && law.components.every((c) => c.kind !== 'full')) {
        if (x.length !== req.n * req.dim) throw new Error(`runReverseSde: ${x.length} numbers for ${req.n} particles of dimension ${req.dim}`);
        runGmmEulerMaruyama(x, compileGmmEulerMaruyamaSchedule(law, req.grid), { n: req.n, noise: req.noise, ...(req.blocks ? { blocks: req.blocks } : {}) });
        return;
      }
      runReverseSde(rule, x, req);
    },
  };
}
