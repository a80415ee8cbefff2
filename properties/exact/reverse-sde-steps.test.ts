/**
 * The reverse-time sampler (src/samplers/reverse-sde.ts, start-law.ts, noise-blocks.ts; docs/theory.md
 * §1) against formulas written here (issue 11, mutation item). Reverse SDE in τ = T − t:
 * dY = [½ Y + s(Y, t)] dτ + dW. Step rules, one step from t to t − h with the normals z supplied:
 *
 *   Euler–Maruyama          y' = y + h(½y + s(y, t)) + √h z
 *   exponential integrator  y' = e^{h/2} y + 2(e^{h/2} − 1) s(y, t) + √(e^h − 1) z
 *   stochastic Heun         f(y, t) = ½y + s(y, t);  ỹ = y + h f(y, t) + √h z;
 *                           y' = y + ½h (f(y, t) + f(ỹ, t − h)) + √h z
 *
 * The score is the closed form of Gaussian data N(m, v I) pushed by the OU process, written here:
 * s(x, t) = −(x − e^{−t/2} m) / σ_t²,  σ_t² = v e^{−t} + 1 − e^{−t}  (time-dependent unless m = 0 and
 * v = 1). Checks:
 * - one step of each rule against its formula (float accuracy, derived bounds below);
 * - the driver `runReverseSde`: bit for bit against a per-particle replay written here (block b =
 *   particles [256 b, 256 b + 256) takes its normals from noise.derive(b), K successive fills of
 *   m_b·d numbers, step k from times[k] with h = times[k] − times[k+1]); the exact call sequence
 *   (derive, fill, score evaluations at (t, m)); block ranges; the guards' exact messages;
 * - the zero-noise limit: with s = −y (data N(0, I)) every rule multiplies y by a closed-form factor
 *   per step, and the product tends to the ODE solution e^{−(T − t0)/2} y_T with a proven bound;
 *   the exponential integrator stays exactly on the mean path μ_t = e^{−t/2} m (data N(m, I));
 * - `sampler(name)`: the rule table, the unknown-name message, the fused-kernel routing (observable
 *   as zero score evaluations, bit-identical output);
 * - `drawStart`: standard-normal = the stream's normals; exact = the closed form of P_T q applied to
 *   the same stream's standard draws.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { expectSameBits } from '../support/contracts.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, standardGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, sampleMixture, singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { explicitGrid, uniformGrid, type TimeGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import { BLOCK_SIZE as NOISE_BLOCK_SIZE } from '../../src/samplers/noise-blocks.ts';
import {
  BLOCK_SIZE,
  SAMPLER_NAMES,
  STEP_RULES,
  WORK_PER_PARTICLE,
  eulerMaruyamaStep,
  exponentialIntegratorStep,
  runReverseSde,
  sampler,
  stochasticHeunStep,
  type SamplerName,
  type StepRule,
} from '../../src/samplers/reverse-sde.ts';
import { START_LAWS, drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import type { ScoreField } from '../../src/scores/vector-field.ts';

const U = 2 ** -53;
/** γ_n = n u / (1 − n u): the relative error bound of n chained roundings (Higham, Lemma 3.1). */
const gamma = (n: number): number => (n * U) / (1 - n * U);
/**
 * Absolute term of every float bound: each rounding that lands in the subnormal range errs by ≤ 2⁻¹⁰⁷⁵
 * absolutely instead of relatively; ≤ 64 such operations per compared value.
 */
const ABS = 64 * Number.MIN_VALUE;

// ---------------------------------------------------------------------------------------------
// The closed-form Gaussian score, written here, with an optional log of its calls
// ---------------------------------------------------------------------------------------------

interface GaussianData {
  readonly mean: readonly number[];
  readonly v: number;
}
/** σ_t² = v e^{−t} + (1 − e^{−t}), the second term as −expm1(−t) (no cancellation at small t). */
const sigma2 = (v: number, t: number): number => v * Math.exp(-t) - Math.expm1(-t);
/** μ_t = e^{−t/2} m_j. */
const meanAt = (m: number, t: number): number => Math.exp(-t / 2) * m;

type LogEntry = string;

/**
 * s(x, t) = −(x − μ_t)/σ_t² per coordinate (the exact score of P_t N(m, v I)). Enforces the
 * VectorField contract it is given (m ≥ 1, x and out hold ≥ m·d numbers, no aliasing) and logs
 * `eval t m` when a log is passed.
 */
function gaussianScore(data: GaussianData, log?: LogEntry[]): ScoreField {
  const d = data.mean.length;
  return {
    dim: d,
    evaluate(t, x, m, out) {
      log?.push(`eval ${t} ${m}`);
      if (!(Number.isInteger(m) && m >= 1)) throw new Error(`test score: m = ${m}`);
      if (x.length < m * d || out.length < m * d) throw new Error(`test score: x ${x.length}, out ${out.length} for m·d = ${m * d}`);
      if (x.buffer === out.buffer && x.byteOffset < out.byteOffset + out.byteLength && out.byteOffset < x.byteOffset + x.byteLength) throw new Error('test score: x and out alias');
      const s2 = sigma2(data.v, t);
      for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) out[i * d + j] = -(x[i * d + j]! - meanAt(data.mean[j]!, t)) / s2;
    },
  };
}

/** s evaluated by the test itself (the same arithmetic as gaussianScore, one coordinate). */
const scoreAt = (data: GaussianData, j: number, x: number, t: number): number => -(x - meanAt(data.mean[j]!, t)) / sigma2(data.v, t);

/**
 * A noise root standing in for `Rng` (the driver uses only `derive(b)` and `fillNormal(z)`): logs
 * `derive b` and `fill length`, and fills with `value` (0 for the zero-noise limit).
 */
function scriptedNoise(log: LogEntry[], value = 0): Rng {
  return {
    derive: (...labels: (string | number)[]) => {
      log.push(`derive ${labels.join(',')}`);
      return {
        fillNormal: (z: Float64Array) => {
          log.push(`fill ${z.length}`);
          z.fill(value);
        },
      };
    },
  } as unknown as Rng;
}

// ---------------------------------------------------------------------------------------------
// One step of each rule against its formula
// ---------------------------------------------------------------------------------------------

/**
 * One step of each rule, by its formula, for one coordinate (y, z) at (t, h), written here with an
 * arithmetic path different from the module's: e^{h/2} = 1 + expm1(h/2) and e^h − 1 =
 * expm1(h/2)(2 + expm1(h/2)). Returns the value and the magnitude M (sum of |terms|) the rounding
 * bound is charged against.
 */
function oneStep(name: SamplerName, data: GaussianData, j: number, y: number, z: number, t: number, h: number): { value: number; bound: number } {
  const s0 = scoreAt(data, j, y, t);
  const sh = Math.sqrt(h);
  if (name === 'euler-maruyama') {
    // module: (1 + ½h)·y + h·s + √h·z; here y + h(½y + s) + √h z. Each term passes ≤ 4 roundings
    // on either side (sum, products, sqrt, the two additions), so each side is within γ₄·M of the
    // exact value and the two within 2γ₄·M; charged 2γ₈·M (libm-free rule, margin ×2).
    const value = y + h * (0.5 * y + s0) + sh * z;
    const M = Math.abs(y) + h * (0.5 * Math.abs(y) + Math.abs(s0)) + sh * Math.abs(z);
    return { value, bound: 2 * gamma(8) * M + ABS };
  }
  if (name === 'exponential-integrator') {
    // module: exp(h/2)·y + 2 expm1(h/2)·s + √(expm1 h)·z. Each term: one libm call (≤ 1 ulp = 2
    // roundings), ≤ 1 product, ≤ 1 sqrt, 2 additions here and in the module: ≤ 6 roundings each
    // side, both within γ₆·M of the exact value; charged 2γ₈·M.
    const em = Math.expm1(h / 2);
    const eh2 = 1 + em;
    const value = eh2 * y + 2 * em * s0 + Math.sqrt(em * (2 + em)) * z;
    const M = eh2 * Math.abs(y) + 2 * em * Math.abs(s0) + Math.sqrt(em * (2 + em)) * Math.abs(z);
    return { value, bound: 2 * gamma(8) * M + ABS };
  }
  // stochastic Heun. Both sides' predictors ỹ are within γ₄·Mp of the exact one (Mp = |y| + h(½|y|
  // + |s0|) + √h|z|), so they differ by ≤ 2γ₄·Mp; the score at t − h is L-Lipschitz (L = 1/σ²_{t−h})
  // and its own evaluation errs by ≤ γ₃ L(|ỹ| + |μ_{t−h}|) on each side; the corrector's terms pass
  // ≤ 5 more roundings (Mf = |y| + ½h(|f0| + ½|ỹ| + |s1|) + √h|z|). Total
  //   ≤ 2γ₅ Mf + ½h(½·2γ₄ Mp + L(2γ₄ Mp + 2γ₃(Mp + |μ|))) ≤ 2γ₈ (Mf + h(1 + L)(Mp + |μ_{t−h}|)).
  const f0 = 0.5 * y + s0;
  const pred = y + h * f0 + sh * z;
  const s1 = scoreAt(data, j, pred, t - h);
  const f1 = 0.5 * pred + s1;
  const value = y + 0.5 * h * (f0 + f1) + sh * z;
  const Mp = Math.abs(y) + h * (0.5 * Math.abs(y) + Math.abs(s0)) + sh * Math.abs(z);
  const Mf = Math.abs(y) + 0.5 * h * (Math.abs(f0) + 0.5 * Math.abs(pred) + Math.abs(s1)) + sh * Math.abs(z);
  const L = 1 / sigma2(data.v, t - h);
  const mu = Math.abs(meanAt(data.mean[j]!, t - h));
  return { value, bound: 2 * gamma(8) * (Mf + h * (1 + L) * (Mp + mu)) + ABS };
}

/**
 * The rule names, literal here: the properties iterate over this list, not over SAMPLER_NAMES, so an
 * emptied SAMPLER_NAMES fails the rule-table test instead of breaking collection (which Stryker counted
 * as a survivor).
 */
const RULE_NAMES: readonly SamplerName[] = ['euler-maruyama', 'exponential-integrator', 'stochastic-heun'];

const SENTINEL = 12345.678;

/** Apply STEP_RULES[name].step to m particles in a buffer one number longer than m·d, scratch filled with NaN. */
function applyStep(rule: StepRule, data: GaussianData, xs: readonly number[], zs: readonly number[], m: number, t: number, h: number): Float64Array {
  const d = data.mean.length;
  const x = new Float64Array(m * d + 1);
  for (let i = 0; i < m * d; i++) x[i] = xs[i]!;
  x[m * d] = SENTINEL;
  const z = Float64Array.from(zs.slice(0, m * d));
  const work = new Float64Array(WORK_PER_PARTICLE * m * d).fill(Number.NaN);
  rule.step(x, m, d, t, h, gaussianScore(data), z, work);
  return x;
}

const dataArb = fc.record({
  mean: fc.array(boundedDouble(-3, 3), { minLength: 1, maxLength: 3 }),
  v: logUniformDouble(0.05, 20),
});

describe('§1 reverse SDE, one step of each rule = its formula (normals supplied)', () => {
  test.prop(
    [dataArb, fc.integer({ min: 1, max: 4 }), fc.array(boundedDouble(-5, 5), { minLength: 12, maxLength: 12 }), fc.array(boundedDouble(-4, 4), { minLength: 12, maxLength: 12 }), logUniformDouble(1e-3, 1), boundedDouble(0, 4)],
    { numRuns: 60 },
  )('Euler–Maruyama, exponential integrator, stochastic Heun; nothing past the m·d numbers is written', (data, m, xs, zs, h, extra) => {
    const d = data.mean.length;
    const t = h + extra;
    for (const name of RULE_NAMES) {
      const x = applyStep(STEP_RULES[name], data, xs, zs, m, t, h);
      for (let i = 0; i < m * d; i++) {
        const { value, bound } = oneStep(name, data, i % d, xs[i]!, zs[i]!, t, h);
        expect(Math.abs(x[i]! - value), `${name} coordinate ${i}`).toBeLessThanOrEqual(bound);
      }
      // StepRule.step advances the m particles it is given: a longer buffer's tail is not touched
      expect(x[m * d]).toBe(SENTINEL);
    }
  });

  test('hand case: d = 2, m = 3, h = 0.3, t = 1.1, m = (1, −2), v = 0.4 (every coordinate and rule)', () => {
    const data = { mean: [1, -2], v: 0.4 };
    const xs = [0.5, -1.5, 2, 0.25, -3, 1];
    const zs = [1.25, -0.5, 0.75, 2, -1, 0.125];
    for (const name of RULE_NAMES) {
      const x = applyStep(STEP_RULES[name], data, xs, zs, 3, 1.1, 0.3);
      for (let i = 0; i < 6; i++) {
        const { value, bound } = oneStep(name, data, i % 2, xs[i]!, zs[i]!, 1.1, 0.3);
        expect(Math.abs(x[i]! - value), `${name} coordinate ${i}`).toBeLessThanOrEqual(bound);
      }
      expect(x[6]).toBe(SENTINEL);
    }
  });

  test('the rule table: names, the exported rule objects, orders and score evaluations (docs: EM 1/1/1, EI 1/1/1, Heun 2/1/2)', () => {
    expect([...SAMPLER_NAMES]).toEqual([...RULE_NAMES]);
    expect(Object.keys(STEP_RULES).sort()).toEqual([...RULE_NAMES].sort());
    expect(STEP_RULES['euler-maruyama']).toBe(eulerMaruyamaStep);
    expect(STEP_RULES['exponential-integrator']).toBe(exponentialIntegratorStep);
    expect(STEP_RULES['stochastic-heun']).toBe(stochasticHeunStep);
    for (const name of RULE_NAMES) {
      expect(STEP_RULES[name].name).toBe(name);
      expect(sampler(name).rule).toBe(STEP_RULES[name]);
    }
    const data = (r: StepRule) => [r.weakOrder, r.strongOrder, r.scoreEvaluationsPerStep];
    expect(data(eulerMaruyamaStep)).toEqual([1, 1, 1]);
    expect(data(exponentialIntegratorStep)).toEqual([1, 1, 1]);
    expect(data(stochasticHeunStep)).toEqual([2, 1, 2]);
    expect(WORK_PER_PARTICLE).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// The driver: blocks, noise, grid, call sequence
// ---------------------------------------------------------------------------------------------

/**
 * The driver's output replayed per particle: particle i is in block b = ⌊i/256⌋ (m_b = min(256,
 * n − 256 b) particles); block b's stream is noise root .derive(b), read as K successive fills of
 * m_b·d normals (Rng.normals(c) = fillNormal of c numbers, spare carried across fills); particle i
 * takes entries [(i − 256 b) d, +d) of fill k at step k, t = times[k], h = times[k] − times[k+1].
 * Each particle is stepped ALONE (m = 1). The rules are coordinate-wise (each output number uses
 * only its own x, score and z number) and the test score is per particle, so the replay must give
 * the same bits as the driver's block-wise run.
 */
function replay(rule: StepRule, x0: Float64Array, n: number, d: number, grid: TimeGrid, score: ScoreField, noiseRoot: () => Rng, range?: { from: number; to: number }): Float64Array {
  const out = Float64Array.from(x0);
  const K = grid.times.length - 1;
  for (let b = 0; 256 * b < n; b++) {
    if (range && !(b >= range.from && b < range.to)) continue;
    const mb = Math.min(256, n - 256 * b);
    const stream = noiseRoot().derive(b);
    const fills: Float64Array[] = [];
    for (let k = 0; k < K; k++) fills.push(stream.normals(mb * d));
    for (let p = 0; p < mb; p++) {
      const xi = out.subarray((256 * b + p) * d, (256 * b + p + 1) * d);
      const work = new Float64Array(WORK_PER_PARTICLE * d);
      for (let k = 0; k < K; k++) {
        const t = grid.times[k]!;
        rule.step(xi, 1, d, t, t - grid.times[k + 1]!, score, fills[k]!.slice(p * d, (p + 1) * d), work);
      }
    }
  }
  return out;
}

/** Strictly decreasing dyadic grids (every t − h is exactly the next time) and two computed ones. */
const GRIDS: readonly TimeGrid[] = [
  explicitGrid([2, 1.5, 0.75, 0.25]),
  explicitGrid([3, 2.5, 1.25, 1, 0.125]),
  explicitGrid([1, 0.5]),
  uniformGrid(2, 0.05, 3),
];
const DATA: GaussianData = { mean: [0.75, -1.5, 2], v: 0.3 };
const restrict = (data: GaussianData, d: number): GaussianData => ({ mean: data.mean.slice(0, d), v: data.v });

function startValues(seed: number, n: number, d: number): Float64Array {
  const x = Rng.fromSeed(seed).derive('start').normals(n * d);
  for (let i = 0; i < x.length; i++) x[i] = 2 * x[i]! + 0.5;
  return x;
}

describe('§1 runReverseSde walks the grid block by block, noise of block b = noise.derive(b)', () => {
  test('BLOCK_SIZE = 256 (noise-blocks.ts; re-exported unchanged by reverse-sde.ts)', () => {
    expect(NOISE_BLOCK_SIZE).toBe(256);
    expect(BLOCK_SIZE).toBe(NOISE_BLOCK_SIZE);
  });

  test('hand cases: n ∈ {1, 256, 300, 600} × d ∈ {1, 2, 3} × every rule = the per-particle replay, bit for bit', () => {
    for (const n of [1, 256, 300, 600])
      for (const d of [1, 2, 3])
        for (const name of RULE_NAMES) {
          const grid = GRIDS[(n + d) % GRIDS.length]!;
          const data = restrict(DATA, d);
          const x0 = startValues(n * 7 + d, n, d);
          const x = Float64Array.from(x0);
          runReverseSde(STEP_RULES[name], x, { dim: d, n, grid, score: gaussianScore(data), noise: Rng.fromSeed(n).derive('noise') });
          expectSameBits(x, replay(STEP_RULES[name], x0, n, d, grid, gaussianScore(data), () => Rng.fromSeed(n).derive('noise')), `${name} n = ${n} d = ${d}`);
        }
  });

  test.prop(
    [fc.integer(), fc.constantFrom(...RULE_NAMES), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: GRIDS.length - 1 }), fc.option(fc.record({ from: fc.integer({ min: 0, max: 3 }), len: fc.integer({ min: 0, max: 4 }) }))],
    { numRuns: 15 },
  )('random (seed, rule, d, n, grid, block range) = the per-particle replay; blocks outside the range untouched', (seed, name, d, n, g, r) => {
    const range = r ? { from: r.from, to: r.from + r.len } : undefined;
    const data = restrict(DATA, d);
    const x0 = startValues(seed, n, d);
    const x = Float64Array.from(x0);
    const grid = GRIDS[g]!;
    runReverseSde(STEP_RULES[name], x, { dim: d, n, grid, score: gaussianScore(data), noise: Rng.fromSeed(seed).derive('noise'), ...(range ? { blocks: range } : {}) });
    expectSameBits(x, replay(STEP_RULES[name], x0, n, d, grid, gaussianScore(data), () => Rng.fromSeed(seed).derive('noise'), range), `${name} n = ${n} d = ${d}`);
  });

  /**
   * The exact sequence of calls, written out: for each block b of the range in increasing order,
   * `derive b`, then per step k `fill m_b·d` and the rule's score evaluations: (times[k], m_b) and,
   * for Heun, (times[k] − h = times[k+1], m_b) (dyadic grid: exact). Blocks past ⌈n/256⌉ are never
   * derived even when the range asks for them.
   */
  test('call sequence: derive, fill, score evaluations at (t, m), per block; ranges capped at ⌈n/256⌉', () => {
    const grid = GRIDS[0]!; // 2, 1.5, 0.75, 0.25
    const d = 2;
    const cases: { n: number; range?: { from: number; to: number }; blocks: number[] }[] = [
      { n: 300, blocks: [0, 1] },
      { n: 256, blocks: [0] },
      { n: 513, blocks: [0, 1, 2] },
      { n: 300, range: { from: 1, to: 9 }, blocks: [1] },
      { n: 600, range: { from: 0, to: 2 }, blocks: [0, 1] },
      { n: 600, range: { from: 2, to: 2 }, blocks: [] },
    ];
    for (const c of cases)
      for (const name of RULE_NAMES) {
        const log: LogEntry[] = [];
        const x = startValues(1, c.n, d);
        runReverseSde(STEP_RULES[name], x, { dim: d, n: c.n, grid, score: gaussianScore(restrict(DATA, d), log), noise: scriptedNoise(log, 0.5), ...(c.range ? { blocks: c.range } : {}) });
        const expected: LogEntry[] = [];
        for (const b of c.blocks) {
          const mb = Math.min(256, c.n - 256 * b);
          expected.push(`derive ${b}`);
          for (let k = 0; k < 3; k++) {
            expected.push(`fill ${mb * d}`, `eval ${grid.times[k]} ${mb}`);
            if (STEP_RULES[name].scoreEvaluationsPerStep === 2) expected.push(`eval ${grid.times[k + 1]} ${mb}`);
          }
        }
        expect(log, `${name} n = ${c.n} ${JSON.stringify(c.range)}`).toEqual(expected);
      }
  });

  test('guards: exact messages for a wrong particle count and a score of another dimension (generic and fused routes)', () => {
    const grid = GRIDS[2]!;
    const score2 = gaussianScore({ mean: [0, 1], v: 1 });
    const noise = Rng.fromSeed(5);
    for (const name of RULE_NAMES) {
      expect(() => runReverseSde(STEP_RULES[name], new Float64Array(5), { dim: 2, n: 3, grid, score: score2, noise })).toThrow(new Error('runReverseSde: 5 numbers for 3 particles of dimension 2'));
      expect(() => runReverseSde(STEP_RULES[name], new Float64Array(6), { dim: 3, n: 2, grid, score: score2, noise })).toThrow(new Error('runReverseSde: score dimension 2 ≠ 3'));
      expect(() => sampler(name).run(new Float64Array(7), { dim: 2, n: 3, grid, score: score2, noise })).toThrow(new Error('runReverseSde: 7 numbers for 3 particles of dimension 2'));
    }
    // the fused route (a GMM score declaring its fused path) checks the length itself, same message
    const fused = gaussianMixtureScore(singleGaussianMixture(isotropicGaussian([0, 1], 0.5)));
    expect(() => sampler('euler-maruyama').run(new Float64Array(5), { dim: 2, n: 3, grid, score: fused, noise })).toThrow(new Error('runReverseSde: 5 numbers for 3 particles of dimension 2'));
  });
});

// ---------------------------------------------------------------------------------------------
// Zero noise: the deterministic limit
// ---------------------------------------------------------------------------------------------

/**
 * Data N(0, I): s(y, t) = −y, so with z = 0 each rule multiplies y by a factor per step (x = h/2):
 *   EM  1 − x,   EI  e^{x} − 2(e^{x} − 1) = 2 − e^{x},   Heun  1 − x + x²/2,
 * and the ODE dy/dτ = ½y − y has the solution y(t0) = e^{−(T − t0)/2} y_T = Π e^{−x_k} y_T.
 * Per step |ln factor + x| ≤ δ(x) (0 < x ≤ ¼):
 *   EM    |ln(1 − x) + x| ≤ x²/(2(1 − x))                     (Taylor, alternating-free tail bound)
 *   EI    ln(2 − e^{x}) + x = ln(1 − (e^{x} − 1)²), |·| ≤ w/(1 − w), w = (e^{x} − 1)²
 *   Heun  0 ≤ 1 − x + x²/2 − e^{−x} ≤ x³/6, so 0 ≤ ln(factor·e^{x}) ≤ e^{x} x³/6
 * so |Π factor − e^{−(T−t0)/2}| ≤ e^{−(T−t0)/2} (e^{Σδ} − 1).
 */
const FACTOR: Record<SamplerName, (x: number) => number> = {
  'euler-maruyama': (x) => 1 - x,
  'exponential-integrator': (x) => 1 - Math.expm1(x),
  'stochastic-heun': (x) => 1 - x + (x * x) / 2,
};
const LOG_DEFECT: Record<SamplerName, (x: number) => number> = {
  'euler-maruyama': (x) => (x * x) / (2 * (1 - x)),
  'exponential-integrator': (x) => {
    const w = Math.expm1(x) ** 2;
    return w / (1 - w);
  },
  'stochastic-heun': (x) => (Math.exp(x) * x ** 3) / 6,
};

describe('§1 zero noise: the sampler is the discretised ODE, and tends to its closed form', () => {
  test.prop(
    [fc.array(logUniformDouble(0.01, 0.5), { minLength: 1, maxLength: 10 }), boundedDouble(0, 1), fc.array(boundedDouble(-4, 4), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 3 })],
    { numRuns: 40 },
  )('s = −y: Π factor(h_k) exactly (to rounding), and within the proven distance of e^{−(T − t0)/2} y_T', (steps, t0, yT, d) => {
    const times = [t0];
    for (let k = steps.length - 1; k >= 0; k--) times.unshift(times[0]! + steps[k]!);
    const grid = explicitGrid(times);
    const n = 2;
    const x0 = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) x0[i] = yT[i % d]! * (i < d ? 1 : -0.5);
    const log: LogEntry[] = [];
    for (const name of RULE_NAMES) {
      const x = Float64Array.from(x0);
      runReverseSde(STEP_RULES[name], x, { dim: d, n, grid, score: gaussianScore({ mean: [0, 0, 0].slice(0, d), v: 1 }), noise: scriptedNoise(log) });
      // the discrete product and the rounding it may differ by: the module's step forms a·y + b·(−y)
      // with ≤ 8 roundings over terms of total size ≤ (1 + 2h + h²)|y| (all three rules, h ≤ ½), i.e.
      // relative ρ_k = γ₈ (1 + 2h + h²)/factor per step; the product here adds ≤ 4 roundings per
      // factor and one per multiplication: γ_{5K}. Bound |y_T| Π·((1 + ρ)^K-style) = |y| (e^{Σρ} − 1 + γ_{5K}).
      let product = 1;
      let rho = 0;
      let defect = 0;
      let span = 0;
      for (let k = 0; k < steps.length; k++) {
        const h = grid.times[k]! - grid.times[k + 1]!;
        const f = FACTOR[name](h / 2);
        product *= f;
        rho += (gamma(16) * (1 + 2 * h + h * h)) / f;
        defect += LOG_DEFECT[name](h / 2);
        span += h;
      }
      const ode = Math.exp(-span / 2);
      for (let i = 0; i < n * d; i++) {
        const discrete = product * x0[i]!;
        const roundingBound = Math.abs(discrete) * (Math.expm1(rho) + gamma(5 * steps.length + 2)) + ABS;
        expect(Math.abs(x[i]! - discrete), `${name}: discrete product, coordinate ${i}`).toBeLessThanOrEqual(roundingBound);
        const odeBound = ode * Math.abs(x0[i]!) * Math.expm1(defect) + roundingBound + gamma(4) * ode * Math.abs(x0[i]!);
        expect(Math.abs(x[i]! - ode * x0[i]!), `${name}: ODE limit, coordinate ${i}`).toBeLessThanOrEqual(odeBound);
      }
    }
  });

  /**
   * Data N(m, I) (σ_t² = 1): the exact ODE path from y_T = μ_T is y = μ_t (the drift ½μ_t + s(μ_t) =
   * ½μ_t = −dμ_t/dt). The exponential integrator is exact on it: s(μ_t) = 0 and e^{h/2} μ_t =
   * μ_{t−h}. Rounding: a per-step error ε is multiplied by |e^{h/2} − 2(e^{h/2} − 1)| = 2 − e^{h/2} < 1
   * (h ≤ ½), and each step adds ≤ 2γ₈(e^{h/2}|y| + 2(e^{h/2} − 1)(|y| + |μ_t|)) + γ₄|μ| ≤ 6γ₈ max|m|
   * (|y|, |μ_t| ≤ |m|(1 + γ₈)); the final μ_{t0} here errs by γ₃|m|: charged (6K + 1)γ₈ max|m|.
   * Euler–Maruyama is not exact on it: (1 + h/2)μ_t − μ_{t−h} ≈ −h²μ_t/8 per step.
   */
  test.prop(
    [fc.array(logUniformDouble(0.01, 0.5), { minLength: 1, maxLength: 10 }), boundedDouble(0, 1), fc.array(boundedDouble(-3, 3), { minLength: 1, maxLength: 3 })],
    { numRuns: 40 },
  )('exponential integrator, data N(m, I), start μ_T: stays on μ_t = e^{−t/2} m to rounding', (steps, t0, mean) => {
    const times = [t0];
    for (let k = steps.length - 1; k >= 0; k--) times.unshift(times[0]! + steps[k]!);
    const grid = explicitGrid(times);
    const d = mean.length;
    const T = grid.times[0]!;
    const x = Float64Array.from(mean, (m) => meanAt(m, T));
    runReverseSde(exponentialIntegratorStep, x, { dim: d, n: 1, grid, score: gaussianScore({ mean, v: 1 }), noise: scriptedNoise([]) });
    const maxM = Math.max(...mean.map(Math.abs));
    for (let j = 0; j < d; j++) {
      expect(Math.abs(x[j]! - meanAt(mean[j]!, t0))).toBeLessThanOrEqual((6 * steps.length + 1) * gamma(8) * maxM + ABS);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// sampler(name): lookup and the fused-kernel routing
// ---------------------------------------------------------------------------------------------

/** A GMM score (exactly the score of P_t q, fused path declared) whose evaluations are counted. */
function countedGmmScore(q: ReturnType<typeof gaussianMixture>): { score: ScoreField; calls: () => number } {
  const inner = gaussianMixtureScore(q);
  let calls = 0;
  const score: ScoreField = {
    dim: inner.dim,
    ...(inner.fusedPath ? { fusedPath: inner.fusedPath } : {}),
    evaluate(t, x, m, out) {
      calls++;
      inner.evaluate(t, x, m, out);
    },
  };
  return { score, calls: () => calls };
}

describe('§1 sampler(name): the rule of that name; Euler–Maruyama on a non-full GMM score runs the fused kernel', () => {
  test('unknown name: exact message listing the known ones', () => {
    expect(() => sampler('midpoint' as SamplerName)).toThrow(new Error('unknown sampler "midpoint" (known: euler-maruyama, exponential-integrator, stochastic-heun)'));
  });

  const isoDiag = gaussianMixture([0.3, 0.7], [isotropicGaussian([1, -1], 0.4), diagonalGaussian([-2, 0.5], [0.6, 1.5])]);
  const withFull = gaussianMixture([0.5, 0.5], [isotropicGaussian([1, -1], 0.4), fullGaussian([-1, 1], [1, 0.3, 0.3, 0.8])]);
  const grid = uniformGrid(2, 0.05, 4);
  const n = 300;

  test('routing: EM + isotropic/diagonal GMM → no score evaluation, = generic EM bit for bit; other rules, full components or no fused path → generic', () => {
    const start = drawStart('exact', isoDiag, 2, n, Rng.fromSeed(11).derive('start'));
    const generic = (rule: StepRule, q: typeof isoDiag, blocks?: { from: number; to: number }) => {
      const x = Float64Array.from(start);
      runReverseSde(rule, x, { dim: 2, n, grid, score: gaussianMixtureScore(q), noise: Rng.fromSeed(11).derive('noise'), ...(blocks ? { blocks } : {}) });
      return x;
    };
    const viaSampler = (name: SamplerName, q: typeof isoDiag, blocks?: { from: number; to: number }) => {
      const { score, calls } = countedGmmScore(q);
      const x = Float64Array.from(start);
      sampler(name).run(x, { dim: 2, n, grid, score, noise: Rng.fromSeed(11).derive('noise'), ...(blocks ? { blocks } : {}) });
      return { x, calls: calls() };
    };
    const em = viaSampler('euler-maruyama', isoDiag);
    expect(em.calls).toBe(0);
    expectSameBits(em.x, generic(eulerMaruyamaStep, isoDiag), 'fused EM');
    // a block range goes to the fused kernel too: only block 1 moves
    const part = viaSampler('euler-maruyama', isoDiag, { from: 1, to: 2 });
    expect(part.calls).toBe(0);
    expectSameBits(part.x, generic(eulerMaruyamaStep, isoDiag, { from: 1, to: 2 }), 'fused EM, blocks [1, 2)');
    expectSameBits(part.x.subarray(0, 256 * 2), start.subarray(0, 256 * 2), 'block 0 untouched');
    // per step: one evaluation per block for EM/EI, two for Heun (2 blocks, 4 steps)
    for (const name of ['exponential-integrator', 'stochastic-heun'] as const) {
      const r = viaSampler(name, isoDiag);
      expect(r.calls).toBe(2 * 4 * STEP_RULES[name].scoreEvaluationsPerStep);
      expectSameBits(r.x, generic(STEP_RULES[name], isoDiag), name);
    }
    const full = viaSampler('euler-maruyama', withFull);
    expect(full.calls).toBe(2 * 4);
    expectSameBits(full.x, generic(eulerMaruyamaStep, withFull), 'EM with a full component');
    // a field without a fused path (the closed-form score here) runs the generic rule
    const log: LogEntry[] = [];
    const x = Float64Array.from(start);
    sampler('euler-maruyama').run(x, { dim: 2, n, grid, score: gaussianScore({ mean: [1, -1], v: 0.4 }, log), noise: Rng.fromSeed(11).derive('noise') });
    expect(log.length).toBe(2 * 4);
    const y = Float64Array.from(start);
    runReverseSde(eulerMaruyamaStep, y, { dim: 2, n, grid, score: gaussianScore({ mean: [1, -1], v: 0.4 }), noise: Rng.fromSeed(11).derive('noise') });
    expectSameBits(x, y, 'EM, plain score');
  });
});

// ---------------------------------------------------------------------------------------------
// drawStart: the start law at time T
// ---------------------------------------------------------------------------------------------

describe('§1 / D-2 start law: exact = P_T q, standard-normal = N(0, I)', () => {
  test('START_LAWS lists the two laws', () => {
    expect([...START_LAWS]).toEqual(['exact', 'standard-normal']);
  });

  test.prop([fc.integer(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), boundedDouble(0, 5)], { numRuns: 30 })(
    'standard-normal: the stream\'s n·d normals, whatever q and T',
    (seed, d, n, T) => {
      const q = singleGaussianMixture(isotropicGaussian(Array.from({ length: d }, (_, j) => 3 + j), 0.25));
      const x = drawStart('standard-normal', q, T, n, Rng.fromSeed(seed));
      expectSameBits(x, Rng.fromSeed(seed).normals(n * d), 'standard-normal start');
    },
  );

  /**
   * q = N(m, v I): P_T q = N(a m, (a² v + 1 − a²) I), a = e^{−T/2}. A single-component draw consumes
   * the stream the same way for every (m, v), so the same seed's draws of N(0, I) (sampleMixture,
   * src/distributions: z exactly) give the exact start as a m + √(a² v + 1 − a²) z. Rounding: the
   * module forms a (libm, 2u), a² v + σ² (σ² = −expm1(−T): 3 more), its sqrt (1), the product and sum
   * (2): ≤ 8u relative on each term; the formula here as many: charged 2γ₈(|a m| + √(·)|z|) + ABS.
   */
  test.prop([fc.integer(), fc.array(boundedDouble(-4, 4), { minLength: 1, maxLength: 3 }), logUniformDouble(0.01, 10), boundedDouble(0.01, 6), fc.integer({ min: 1, max: 20 })], { numRuns: 30 })(
    'exact: a·m + √(a²v + 1 − a²)·z with the stream\'s standard draws z, a = e^{−T/2}',
    (seed, mean, v, T, n) => {
      const d = mean.length;
      const q = singleGaussianMixture(isotropicGaussian(mean, v));
      const x = drawStart('exact', q, T, n, Rng.fromSeed(seed));
      expect(x.length).toBe(n * d);
      const z = sampleMixture(singleGaussianMixture(standardGaussian(d)), n, Rng.fromSeed(seed));
      const a = Math.exp(-T / 2);
      const sd = Math.sqrt(a * a * v - Math.expm1(-T));
      for (let i = 0; i < n * d; i++) {
        const expected = a * mean[i % d]! + sd * z[i]!;
        expect(Math.abs(x[i]! - expected)).toBeLessThanOrEqual(2 * gamma(8) * (Math.abs(a * mean[i % d]!) + sd * Math.abs(z[i]!)) + ABS);
      }
    },
  );

  test('exact at T = 0 of an atom is the atom; standard-normal ignores q (hand case, d = 2)', () => {
    const atom = singleGaussianMixture(isotropicGaussian([1.5, -2], 0));
    const x = drawStart('exact', atom, 0, 5, Rng.fromSeed(3));
    expect(Array.from(x)).toEqual([1.5, -2, 1.5, -2, 1.5, -2, 1.5, -2, 1.5, -2]);
    expectSameBits(drawStart('standard-normal', atom, 0, 5, Rng.fromSeed(3)), Rng.fromSeed(3).normals(10), 'standard-normal of an atom');
  });
});
