/**
 * The recursion loop's bookkeeping (src/recursion/recursion.ts `runRecursion`), with a recording
 * metrics object in place of the real one: which law each metric sees, with which random stream,
 * in which stage, and what lands in each record. The oracles are written here: the OU push-forward
 * N(a m, a² S + (1 − a²) I) with a = e^{−t0/2}, the α-mixture's weights, the label paths of the
 * streams, and (particle mode) the moments of the particles through the EM fit with one full
 * component, whose mean and ML covariance (plus the fit's stated floor) ARE the particles' first two moments.
 */
import { describe, expect, it } from 'vitest';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian, isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { Rng } from '../../src/random/rng.ts';
import { checkParticlesFinite, runRecursion, type RecursionRecord, type RecursionSpec, type RecursionStage } from '../../src/recursion/recursion.ts';
import type { Estimate, RecursionMetrics, RoundInput } from '../../src/recursion/metrics.ts';
import { ConfigError } from '../../src/recursion/spec-error.ts';
import { mixMixtures } from '../../src/distributions/gaussian-mixture.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { sampler } from '../../src/samplers/reverse-sde.ts';
import { modelScore } from '../../src/scores/model-score-error.ts';
import { geometricGrid, uniformGrid } from '../../src/processes/time-grid.ts';
import { sampleMixture } from '../../src/distributions/gaussian-mixture.ts';
import { train } from '../../src/trainers/trainer.ts';
import { fitGaussianMixtureEm } from '../../src/trainers/expectation-maximisation.ts';
import { injectedError } from '../../src/scores/injected-error.ts';

const SEED = 'loop-test';
/**
 * P_t0 of a component, module vs the closed form written here: each side is ≤ 3 roundings and libm
 * calls (exp, sqrt) on values ≤ 2 (means and covariance entries of the test laws), ≤ 3 ulp of 2 each:
 * |difference| ≤ 6 · 2⁻⁵¹ ≈ 2.7e-15; PUSH_ABS = 5e-15.
 */
const PUSH_ABS = 5e-15;
/** unit roundoff */
const U = 2 ** -53;

interface Recorded {
  readonly chi: { p: GaussianMixture; q: GaussianMixture; path: readonly (string | number)[] }[];
  readonly rounds: (RoundInput & { path: readonly (string | number)[] })[];
}

/** Metrics that record their inputs and return labelled constants (generation k: D = 10 + k, I = 20 + k, …). */
function recordingMetrics(): { metrics: RecursionMetrics; seen: Recorded } {
  const seen: Recorded = { chi: [], rounds: [] };
  const est = (value: number): Estimate => ({ value, standardError: value / 100, method: 'monte-carlo' });
  const metrics: RecursionMetrics = {
    chiSquared(p, q, rng) {
      seen.chi.push({ p, q, path: rng.path });
      return est(10 + seen.chi.length);
    },
    round(input) {
      seen.rounds.push({ ...input, path: input.rng.path });
      const k = seen.rounds.length;
      return { I: est(20 + k), KL: est(30 + k), epsStar2: est(40 + k), epsHat2: null, eta: est(60 + k) };
    },
  };
  return { metrics, seen };
}

function run(spec: RecursionSpec, metrics: RecursionMetrics) {
  const stages: [number, RecursionStage][] = [];
  const emitted: RecursionRecord[] = [];
  const records = runRecursion(spec, Rng.fromSeed(SEED), { metrics, onGeneration: (r) => emitted.push(r), onStage: (i, s) => stages.push([i, s]) });
  return { records, stages, emitted };
}

describe('recursion loop (population): records, streams, stages and the laws each metric sees', () => {
  const t0 = 0.5;
  const alpha = 0.25;
  const a2 = Math.exp(-t0); // a² = e^{−t0}
  const spec = (): RecursionSpec => ({
    data: gaussianMixture([0.5, 0.5], [diagonalGaussian([1, -2], [0.5, 2]), isotropicGaussian([-1, 0], 1)]),
    alpha,
    generations: 3,
    T: 4,
    t0: { kind: 'constant', t0 },
    trainer: { kind: 'exact' },
    sampling: { mode: 'population' },
    start: 'exact',
  });

  it('G + 1 records in order, emitted as they are made; t0 on every round, null on the last; generation 0 has D = 0 exactly', () => {
    const { metrics } = recordingMetrics();
    const { records, emitted } = run(spec(), metrics);
    expect(records.map((r) => r.i)).toEqual([0, 1, 2, 3]);
    expect(emitted).toEqual(records);
    for (let i = 0; i < 4; i++) expect(emitted[i]).toBe(records[i]);
    expect(records.map((r) => r.t0)).toEqual([t0, t0, t0, null]);
    expect(records[0]!.D).toEqual({ value: 0, standardError: 0, method: 'exact' });
    const last = records[3]!;
    expect([last.I, last.KL, last.epsStar2, last.epsHat2, last.eta, last.model]).toEqual([null, null, null, null, null, null]);
    expect(records.map((r) => r.law)).toEqual(['exact', 'exact', 'exact', 'exact']);
  });

  it('D_i is the metric of (p̂^i, p_data) on stream (seed, metrics, D, i); the round metrics land in record i', () => {
    const { metrics, seen } = recordingMetrics();
    const s = spec();
    const { records } = run(s, metrics);
    expect(seen.chi.map((c) => c.path)).toEqual([1, 2, 3].map((i) => [SEED, 'metrics', 'D', i]));
    for (const c of seen.chi) expect(c.q).toBe(s.data);
    // the fake returns D = 10 + call number: generation i ≥ 1 is call i
    expect(records.slice(1).map((r) => r.D.value)).toEqual([11, 12, 13]);
    expect(seen.rounds.map((r) => r.path)).toEqual([0, 1, 2].map((i) => [SEED, 'metrics', 'round', i]));
    expect(records.slice(0, 3).map((r) => [r.I!.value, r.KL!.value, r.epsStar2!.value, r.epsHat2, r.eta!.value])).toEqual([
      [21, 31, 41, null, 61],
      [22, 32, 42, null, 62],
      [23, 33, 43, null, 63],
    ]);
    expect(records.slice(0, 3).map((r) => r.model)).toEqual(['exact score of q_i', 'exact score of q_i', 'exact score of q_i']);
    for (const r of seen.rounds) expect([r.t0, r.T]).toEqual([t0, 4]);
  });

  it('round i trains on q_i = α p_data + (1 − α) p̂^i and outputs p̂^{i+1} = P_t0 q_i, which generation i + 1 measures', () => {
    const { metrics, seen } = recordingMetrics();
    const s = spec();
    run(s, metrics);
    // generation 0: p̂^0 = p_data, so q_0 has weights α/2, α/2, (1−α)/2, (1−α)/2 (dyadic: exact)
    const q0 = seen.rounds[0]!.q;
    expect(Array.from(q0.weights)).toEqual([0.125, 0.125, 0.375, 0.375]);
    expect(q0.components.slice(0, 2)).toEqual(s.data.components);
    // exact trainer: the model is q itself
    for (const r of seen.rounds) expect(r.model.law).toBe(r.q);
    for (let i = 0; i < 3; i++) {
      const { q, output } = seen.rounds[i]!;
      // P_t0: N(m, S) ↦ N(a m, a² S + (1 − a²) I), weights unchanged
      expect(Array.from(output.weights)).toEqual(Array.from(q.weights));
      q.components.forEach((c, k) => {
        const o = output.components[k]!;
        for (let j = 0; j < 2; j++) expect(Math.abs(o.mean[j]! - Math.sqrt(a2) * c.mean[j]!)).toBeLessThanOrEqual(PUSH_ABS);
        for (let e = 0; e < 4; e++) expect(Math.abs(o.cov[e]! - (a2 * c.cov[e]! + (e % 3 === 0 ? 1 - a2 : 0)))).toBeLessThanOrEqual(PUSH_ABS);
      });
      // … and generation i + 1 measures exactly that law, and mixes it into q_{i+1}
      expect(seen.chi[i]!.p).toBe(output);
      if (i < 2) expect(seen.rounds[i + 1]!.q.components.slice(2)).toEqual(output.components);
      if (i < 2) expect(Array.from(seen.rounds[i + 1]!.q.weights.slice(2))).toEqual(Array.from(output.weights).map((w) => (1 - alpha) * w));
    }
  });

  it('stages: training and round metrics each round, the divergence first from generation 1 on, nothing else at population level', () => {
    const { metrics } = recordingMetrics();
    const { stages } = run(spec(), metrics);
    expect(stages).toEqual([
      [0, 'training'],
      [0, 'round metrics'],
      [1, 'divergence D'],
      [1, 'training'],
      [1, 'round metrics'],
      [2, 'divergence D'],
      [2, 'training'],
      [2, 'round metrics'],
      [3, 'divergence D'],
    ]);
  });
});

describe('recursion loop (particles): the particles\' moments, the EM law, the stages', () => {
  const N = 64;
  const spec = (grid: 'uniform' | 'geometric'): RecursionSpec => ({
    data: gaussianMixture([1], [isotropicGaussian([0.5, -1], 0.75)]),
    alpha: 0.5,
    generations: 2,
    T: 1,
    t0: { kind: 'constant', t0: 0.1 },
    trainer: { kind: 'exact' },
    sampling: { mode: 'particles', sampler: 'euler-maruyama', particles: N, steps: 4, grid, fitComponents: 1 },
    start: 'exact',
  });

  it('record i ≥ 1 holds the mean and E‖x‖² of the particles: the one-component full EM fit (mean, ML covariance) measured next', () => {
    for (const grid of ['uniform', 'geometric'] as const) {
      const { metrics, seen } = recordingMetrics();
      const { records, stages } = run(spec(grid), metrics);
      expect(records.map((r) => r.law)).toEqual(['exact', 'em-fit', 'em-fit']);
      for (let i = 1; i <= 2; i++) {
        const fit = seen.chi[i - 1]!.p;
        expect(fit.components.length).toBe(1);
        expect(seen.rounds[i - 1]!.output).toBe(fit);
        const m = fit.components[0]!.mean;
        const c = fit.components[0]!.cov;
        const r = records[i]!;
        const e2 = r.secondMoment;
        // mean: the same N-term sums, divided by N; the EM's own summation order may differ: γ_N·Σ|x|/N ≤ N·u·√E‖x‖² per coordinate
        const tolMean = 2 * N * U * Math.sqrt(e2) + 1e-300;
        for (let j = 0; j < 2; j++) expect(Math.abs(r.mean[j]! - m[j]!)).toBeLessThanOrEqual(tolMean);
        // E‖x‖² = tr(Σ_ML) + ‖μ‖². The full fit adds its floor 1e-6·v̄ (v̄ = tr(Σ_ML)/d, the overall
        // per-coordinate variance) to each of the d diagonal entries: tr(Σ_fit) = (1 + 1e-6)·tr(Σ_ML).
        // Rounding: two N-term sums of non-negative terms bounded by E‖x‖² + ‖μ‖², plus centring: 4(N + 4)u·(E‖x‖² + ‖μ‖²)
        const mu2 = m[0]! * m[0]! + m[1]! * m[1]!;
        expect(Math.abs(e2 - ((c[0]! + c[3]!) / (1 + 1e-6) + mu2))).toBeLessThanOrEqual(4 * (N + 4) * U * (e2 + mu2));
      }
      // generation 0 is p_data's exact moments: mean (0.5, −1), E‖x‖² = 0.25 + 1 + 2·0.75 = 2.75
      expect(Array.from(records[0]!.mean)).toEqual([0.5, -1]);
      expect(records[0]!.secondMoment).toBe(2.75);
      expect(stages).toEqual([
        [0, 'training'],
        [0, 'sampling'],
        [0, 'density fit'],
        [0, 'round metrics'],
        [1, 'divergence D'],
        [1, 'training'],
        [1, 'sampling'],
        [1, 'density fit'],
        [1, 'round metrics'],
        [2, 'divergence D'],
      ]);
    }
  });

  it('generation 0 replayed by hand from its documented parts (start on (seed, start, 0), the named grid, noise on (seed, noise, 0)): record 1 holds those particles\' moments bit for bit', () => {
    for (const [grid, makeGrid] of [['uniform', uniformGrid], ['geometric', geometricGrid]] as const) {
      const sp = spec(grid);
      const { metrics } = recordingMetrics();
      const { records } = run(sp, metrics);
      const root = Rng.fromSeed(SEED);
      const q0 = mixMixtures(sp.alpha, sp.data, sp.data); // p̂^0 = p_data; the exact trainer's model is q_0
      const x = drawStart('exact', q0, sp.T, N, root.derive('start', 0));
      sampler('euler-maruyama').run(x, { dim: 2, n: N, grid: makeGrid(sp.T, 0.1, 4), score: modelScore(q0, null), noise: root.derive('noise', 0) });
      const mean = [0, 0];
      let second = 0;
      for (let r = 0; r < N; r++) {
        for (let j = 0; j < 2; j++) {
          mean[j] += x[r * 2 + j]!;
          second += x[r * 2 + j]! * x[r * 2 + j]!;
        }
      }
      expect(Array.from(records[1]!.mean)).toEqual(mean.map((m) => m / N));
      expect(records[1]!.secondMoment).toBe(second / N);
    }
  });

  it('the training set of round 1 (KDE of n = 24 draws, d = 2): row r is fresh row r of (seed, train-set, 1, fresh) when (…, pick).uniform() < α, else particle pick.int(N) of generation 0', () => {
    const n = 24;
    const sp: RecursionSpec = { ...spec('uniform'), alpha: 0.5, trainer: { kind: 'kde', bandwidth: 0.25, samples: n } };
    const { metrics, seen } = recordingMetrics();
    run(sp, metrics);
    // generation 0 replayed: the KDE model of q_0 (drawn from q_0 itself on (seed, train, 0)), its particles
    const root = Rng.fromSeed(SEED);
    const q0 = mixMixtures(sp.alpha, sp.data, sp.data);
    const model0 = train(sp.trainer, q0, root.derive('train', 0), { t0: 0.1, T: sp.T });
    const x = drawStart('exact', model0.law, sp.T, N, root.derive('start', 0));
    sampler('euler-maruyama').run(x, { dim: 2, n: N, grid: uniformGrid(sp.T, 0.1, 4), score: modelScore(model0.law, null), noise: root.derive('noise', 0) });
    // round 1's KDE model has one atom-smoothed component per training row, in row order
    const rows = seen.rounds[1]!.model.law.components.map((c) => Array.from(c.mean));
    expect(rows.length).toBe(n);
    const setRng = root.derive('train-set', 1);
    const fresh = sampleMixture(sp.data, n, setRng.derive('fresh'));
    const pick = setRng.derive('pick');
    let freshRows = 0;
    for (let r = 0; r < n; r++) {
      if (pick.uniform() < sp.alpha) {
        freshRows++;
        expect(rows[r]).toEqual(Array.from(fresh.subarray(2 * r, 2 * r + 2)));
      } else {
        const p = pick.int(N);
        expect(rows[r]).toEqual(Array.from(x.subarray(2 * p, 2 * p + 2)));
      }
    }
    // both branches were exercised (a Binomial(24, ½) count at 0 or 24 has probability 2⁻²³; the stream is fixed)
    expect(freshRows).toBeGreaterThan(0);
    expect(freshRows).toBeLessThan(n);
    expect(seen.rounds[1]!.model.description).toBe(`KDE of ${n} draws, h = 0.25`);
  });

  it('an EM trainer trains on that training set (trained again here on the replayed rows: the same law), and the density fit is a full-covariance EM with fitComponents components on (seed, fit, i)', () => {
    const n = 24;
    const sp: RecursionSpec = { ...spec('uniform'), alpha: 0.5, trainer: { kind: 'em', components: 1, samples: n }, sampling: { ...(spec('uniform').sampling as Extract<RecursionSpec['sampling'], { mode: 'particles' }>), fitComponents: 2 } };
    const { metrics, seen } = recordingMetrics();
    run(sp, metrics);
    const root = Rng.fromSeed(SEED);
    const q0 = mixMixtures(sp.alpha, sp.data, sp.data);
    const model0 = train(sp.trainer, q0, root.derive('train', 0), { t0: 0.1, T: sp.T });
    expect(seen.rounds[0]!.model.law).toEqual(model0.law);
    const x = drawStart('exact', model0.law, sp.T, N, root.derive('start', 0));
    sampler('euler-maruyama').run(x, { dim: 2, n: N, grid: uniformGrid(sp.T, 0.1, 4), score: modelScore(model0.law, null), noise: root.derive('noise', 0) });
    // the density fit of generation 0's particles: two full components
    const fit0 = fitGaussianMixtureEm(x, N, 2, root.derive('fit', 0), { components: 2, covariance: 'full' }).mixture;
    expect(seen.chi[0]!.p).toEqual(fit0);
    expect(fit0.components.map((c) => c.kind)).toEqual(['full', 'full']);
    // round 1's training rows, replayed as in the KDE test, then the EM model trained on them with its own stream
    const rows = new Float64Array(2 * n);
    const setRng = root.derive('train-set', 1);
    const fresh = sampleMixture(sp.data, n, setRng.derive('fresh'));
    const pick = setRng.derive('pick');
    for (let r = 0; r < n; r++) {
      const p = pick.uniform() < sp.alpha ? -1 : pick.int(N);
      rows.set(p < 0 ? fresh.subarray(2 * r, 2 * r + 2) : x.subarray(2 * p, 2 * p + 2), 2 * r);
    }
    const q1 = seen.rounds[1]!.q;
    expect(seen.rounds[1]!.model.law).toEqual(train(sp.trainer, q1, root.derive('train', 1), { t0: 0.1, T: sp.T }, rows).law);
  });

  it('a perturbed trainer gets the round\'s window [t0, T]: the time-oscillation error equals the one built here for (t0, T) = (0.1, 1)', () => {
    const sp: RecursionSpec = { ...spec('uniform'), generations: 1, trainer: { kind: 'perturbed', error: { family: 'time-oscillation', scale: 0.5, cycles: 2 } } };
    const { metrics, seen } = recordingMetrics();
    run(sp, metrics);
    const expected = injectedError({ family: 'time-oscillation', scale: 0.5, cycles: 2 }, 2, 0.1, 1);
    for (const t of [0.1, 0.3, 0.55, 0.9, 1]) {
      expect(seen.rounds[0]!.model.error!.offset(t)).toEqual(expected.offset(t));
      expect(seen.rounds[0]!.model.error!.matrix(t)).toEqual(expected.matrix(t));
    }
  });

  it('checkParticlesFinite: finite particles pass; the first non-finite one is a ConfigError on sampling.steps naming generation, grid, steps and the step', () => {
    const s = { mode: 'particles', sampler: 'stochastic-heun', particles: 2, steps: 8, grid: 'uniform' } as const;
    expect(() => checkParticlesFinite(Float64Array.of(1, -2, 3e300, 0), 0, s, 4, 0)).not.toThrow();
    let err: unknown;
    try {
      checkParticlesFinite(Float64Array.of(1, Number.NEGATIVE_INFINITY, Number.NaN, 0), 3, s, 4, 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).path).toBe('sampling.steps');
    // step (T − t0)/steps = (4 − 0)/8 = 0.5
    expect((err as ConfigError).reason).toBe(
      'the stochastic-heun particles overflowed to -Infinity in generation 3 (uniform grid, 8 steps, uniform step 0.500): the steps are too large for this score; use more steps or a smaller T',
    );
    // the last entry is checked too, and NaN is named as NaN; t0 enters the step: (4 − 1)/8 = 0.375
    expect(() => checkParticlesFinite(Float64Array.of(1, 2, 3, Number.NaN), 1, { ...s, grid: 'geometric' }, 4, 1)).toThrow(
      'sampling.steps: the stochastic-heun particles overflowed to NaN in generation 1 (geometric grid, 8 steps, uniform step 0.375)',
    );
  });
});
