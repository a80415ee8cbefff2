/**
 * Issue 17, config rows (10–14, 16, 17) and the config's seed (row 9): every bad or degenerate
 * recursion config is refused by the one validation route (parseRecursionConfig → toRecursionSpec)
 * with a ConfigError naming the field and what is allowed — before any large array exists — and a
 * run that is accepted never prints NaN or a negative divergence. Deterministic: no δ spent.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble, representableDouble } from '../support/arbitraries.ts';
import { ConfigError, parseRecursionConfig, toRecursionSpec } from '../../src/config/recursion-config.ts';
import { MAX_SEED } from '../../src/config/seed.ts';
import { checkParticlesFinite, runRecursion } from '../../src/recursion/recursion.ts';
import { defaultRecursionMetrics, nonNegativeDivergence } from '../../src/recursion/recursion-metrics.ts';
import { MIN_T0 } from '../../src/recursion/t0-schedule.ts';
import { MAX_ABS_MEAN, MIN_VARIANCE } from '../../src/recursion/spec-check.ts';
import { generationJson } from '../../src/cli/commands/simulate.ts';
import { Rng } from '../../src/random/rng.ts';
import { toJson } from '../../src/cli/io.ts';

/** Fixed limits for the size guard, so the verdicts do not depend on the test machine's RAM: 16 GiB, 2e13 operations. */
const LIMITS = { bytes: 16 * 2 ** 30, operations: 2e13 };

const base = (): any => ({
  name: 'hostile',
  data: { weights: [1], components: [{ mean: [0], variance: 1 }] },
  alpha: 0.5,
  generations: 3,
  T: 1,
  t0: 0.1,
  trainer: { kind: 'exact' },
  sampling: { mode: 'population' },
  metrics: { divergenceSamples: 500, energySamples: 50, etaPaths: 0, etaSteps: 10 },
});

function refusal(mutate: (c: any) => void): ConfigError {
  const c = base();
  mutate(c);
  try {
    toRecursionSpec(parseRecursionConfig(c), LIMITS);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('config was accepted');
}

describe('issue 17 row 10: t0 schedules that underflow are refused, naming the first generation', () => {
  it('row 10: geometric ratio 0.5 over 1100 generations', () => {
    const e = refusal((c) => {
      c.t0 = { schedule: 'geometric', t0: 0.1, ratio: 0.5 };
      c.generations = 1100;
    });
    // first i with 0.1·0.5^i < MIN_T0: i > log2(0.1 / MIN_T0)
    const first = Math.ceil(Math.log2(0.1 / MIN_T0));
    expect(e.path).toBe('t0');
    expect(e.message).toContain(`generation ${first} `);
  });
  it('row 10: geometric ratio 1e-300 underflows to 0 at generation 2', () => {
    const e = refusal((c) => (c.t0 = { schedule: 'geometric', t0: 0.1, ratio: 1e-300 }));
    expect(e.path).toBe('t0');
    expect(e.message).toMatch(/generation 1 /); // 0.1·1e-300 = 1e-301 < MIN_T0 already
  });
  // ratio = 1 − x with x log-uniform in [1e-3, 0.999]: the per-generation decay −ln ratio ≈ x spans its decades
  // equally, so both accepted (x ≲ 25/g) and refused schedules occur at every generation count
  test.prop([logUniformDouble(1e-3, 0.999).map((x) => 1 - x), fc.integer({ min: 1, max: 5000 })])('row 10: any geometric schedule is accepted iff its last t0 ≥ MIN_T0', (ratio, generations) => {
    const c = base();
    c.t0 = { schedule: 'geometric', t0: 0.1, ratio };
    c.generations = generations;
    c.metrics = { divergenceSamples: 1, energySamples: 0, etaPaths: 0, etaSteps: 1 };
    const last = 0.1 * ratio ** (generations - 1);
    const config = parseRecursionConfig(c);
    if (last >= MIN_T0) expect(toRecursionSpec(config, { bytes: Infinity, operations: Infinity }).generations).toBe(generations);
    else expect(() => toRecursionSpec(config, { bytes: Infinity, operations: Infinity })).toThrow(ConfigError);
  });
});

describe('issue 17 rows 11, 16: numerically degenerate configs are refused', () => {
  const cases: [string, (c: any) => void, string, RegExp][] = [
    ['row 11: a component mean of 1e300', (c) => (c.data.components[0].mean = [1e300]), 'data.components[0].mean', new RegExp(`\\[−${MAX_ABS_MEAN}`)],
    ['row 16: variance 1e-300', (c) => (c.data.components[0].variance = 1e-300), 'data.components[0].variance', new RegExp(`≥ ${MIN_VARIANCE}`)],
    ['row 16: covariance [[1, 1−1e-15], [1−1e-15, 1]] (eigenvalue 1e-15)', (c) => (c.data.components[0] = { mean: [0, 0], covariance: [[1, 1 - 1e-15], [1 - 1e-15, 1]] }), 'data.components[0].covariance', /eigenvalue below/],
    ['row 16: variances [1, 1e-12] (diagonal)', (c) => (c.data.components[0] = { mean: [0, 0], variances: [1, 1e-12] }), 'data.components[0].variances', /≥ 1e-10/],
    ['row 16: 1 particle', (c) => (c.sampling = { mode: 'particles', sampler: 'euler-maruyama', particles: 1, steps: 10 }), 'sampling.particles', /at least 3/],
    ['row 16: t0 = 1e-300', (c) => (c.t0 = 1e-300), 't0', /≥ 1e-12/],
  ];
  for (const [what, mutate, path, reason] of cases) {
    it(what, () => {
      const e = refusal(mutate);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(reason);
    });
  }
  it('row 16: the covariance check is an eigenvalue test (a well-conditioned correlated covariance passes)', () => {
    const c = base();
    c.data.components[0] = { mean: [0, 0], covariance: [[1, 0.99], [0.99, 1]] }; // eigenvalues 1.99, 0.01
    expect(toRecursionSpec(parseRecursionConfig(c), LIMITS).data.dim).toBe(2);
  });
});

describe('issue 17 row 16: an accepted run never prints NaN or a negative divergence', () => {
  it('row 16: t0 just above MIN_T0 (closed-form χ² rounds to −1e-16 there) gives only divergences ≥ 0 in the JSON', () => {
    const c = base();
    c.t0 = 2 * MIN_T0;
    c.metrics = { divergenceSamples: 400, energySamples: 0, etaPaths: 0, etaSteps: 1 };
    const config = parseRecursionConfig(c);
    const json = runRecursion(toRecursionSpec(config, LIMITS), Rng.fromSeed(3), { metrics: defaultRecursionMetrics(config.metrics) }).map(generationJson);
    expect(toJson(json)).not.toContain('NaN');
    for (const g of json) for (const k of ['D', 'I', 'KL'] as const) if (typeof g[k] === 'number') expect(g[k] as number).toBeGreaterThanOrEqual(0);
  });
  // v: fast-check's representable doubles on purpose (−0, tiny negatives, subnormals are the hostile sign edge)
  test.prop([representableDouble(-1e-3, 1e3), boundedDouble(0, 1)])('row 16: nonNegativeDivergence keeps values ≥ 0 and reports negatives as 0 with the raw value', (v, se) => {
    const e = nonNegativeDivergence({ value: v, standardError: se, method: 'monte-carlo' }, 'KL');
    if (v >= 0) expect(e.value).toBe(v);
    else {
      expect(e.value).toBe(0);
      expect(e.raw).toBe(v);
      expect(e.warning).toMatch(/reported as 0/);
    }
  });
});

describe('issue 17 "further bad inputs" found by fuzzing the config: extreme trainer parameters', () => {
  const cases: [string, (c: any) => void, string, RegExp][] = [
    ['KDE bandwidth 1e300 (h² overflows every covariance)', (c) => (c.trainer = { kind: 'kde', bandwidth: 1e300 }), 'trainer.bandwidth', /h in \[1e-5, 1e5\]/],
    ['KDE bandwidth 1e-300', (c) => (c.trainer = { kind: 'kde', bandwidth: 1e-300, samples: 50 }), 'trainer.bandwidth', /h in \[1e-5, 1e5\]/],
    ['injected error scale 1e300 (particles grow like e^{λT})', (c) => { c.trainer = { kind: 'perturbed', error: { family: 'aligned', scale: 1e300 } }; c.sampling = { mode: 'particles', sampler: 'euler-maruyama', particles: 100, steps: 10 }; }, 'trainer.error.scale', /scale·T must be ≤ 100/],
  ];
  for (const [what, mutate, path, reason] of cases) {
    it(what, () => {
      const e = refusal(mutate);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(reason);
    });
  }
  it('particles that overflow during a run are reported against sampling.steps, not as an internal error', () => {
    const x = Float64Array.of(0.5, Infinity);
    expect(() => checkParticlesFinite(x, 4, { mode: 'particles', sampler: 'euler-maruyama', particles: 2, steps: 10, grid: 'uniform' }, 2, 0.1)).toThrow(ConfigError);
    expect(() => checkParticlesFinite(x, 4, { mode: 'particles', sampler: 'euler-maruyama', particles: 2, steps: 10, grid: 'uniform' }, 2, 0.1)).toThrow(/generation 4 .*uniform step 0\.190/);
    expect(() => checkParticlesFinite(Float64Array.of(0.5, -3), 4, { mode: 'particles', sampler: 'euler-maruyama', particles: 2, steps: 10, grid: 'uniform' }, 2, 0.1)).not.toThrow();
  });
});

describe('issue 17 rows 12, 13: the size guard refuses runs that cannot fit, with the estimate and the limit', () => {
  const cases: [string, (c: any) => void][] = [
    ['row 12: particle mode with steps 1e12', (c) => (c.sampling = { mode: 'particles', sampler: 'euler-maruyama', particles: 100, steps: 1e12 })],
    ['row 13: generations 1e9', (c) => (c.generations = 1e9)],
    ['row 13: dimension 10 000', (c) => (c.data.components[0].mean = new Array(10_000).fill(0))],
    ['row 13: 1e9 particles', (c) => (c.sampling = { mode: 'particles', sampler: 'euler-maruyama', particles: 1e9, steps: 10 })],
    ['row 13: divergenceSamples 1e10', (c) => (c.metrics.divergenceSamples = 1e10)],
    ['row 13: EM with 1e9 samples', (c) => (c.trainer = { kind: 'em', components: 2, samples: 1e9 })],
    ['row 13: KDE of 1e8 samples', (c) => (c.trainer = { kind: 'kde', bandwidth: 0.1, samples: 1e8 })],
    ['row 13: EM with 1e5 components', (c) => (c.trainer = { kind: 'em', components: 1e5, samples: 1e6 })],
  ];
  for (const [what, mutate] of cases) {
    it(what, () => {
      // refused from the sizes alone, before any allocation (a regression that allocates runs out of
      // memory or into the suite's test timeout; no wall-clock assertion, which fails under load)
      const e = refusal(mutate);
      expect(e.path).toBe('');
      expect(e.message).toMatch(/needs an estimated .* (of memory|arithmetic operations).*the limit/);
    });
  }
});

describe('issue 17 row 17: nested key typos name the key and suggest the right one', () => {
  const cases: [string, (c: any) => void, string, RegExp][] = [
    ['row 17: "varaince" in a component', (c) => (c.data.components[0] = { mean: [0], varaince: 1 }), 'data.components[0]', /unknown key 'varaince'; did you mean 'variance'\?/],
    ['row 17: "schedule": "exponential"', (c) => (c.t0 = { schedule: 'exponential', t0: 0.1 }), 't0.schedule', /one of 'constant', 'geometric', 'harmonic', 'polynomial', 'explicit'/],
    ['row 17: "ration" in a geometric schedule', (c) => (c.t0 = { schedule: 'geometric', t0: 0.1, ration: 0.5 }), 't0', /unknown key 'ration'; did you mean 'ratio'\?/],
    ['row 17: "particels" in sampling', (c) => (c.sampling = { mode: 'particles', sampler: 'euler-maruyama', particels: 10, steps: 5 }), 'sampling', /unknown key 'particels'; did you mean 'particles'\?/],
    ['row 17: a component with no variance form', (c) => (c.data.components[0] = { mean: [0] }), 'data.components[0]', /needs one of "variance"/],
  ];
  for (const [what, mutate, path, reason] of cases) {
    it(what, () => {
      const e = refusal(mutate);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(reason);
    });
  }
});

describe('issue 17 row 9: the config seed follows the one seed rule', () => {
  test.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })])('row 9: every integer in [0, 2^53 − 1] is accepted', (seed) => {
    expect(parseRecursionConfig({ ...base(), seed }).seed).toBe(seed);
  });
  for (const seed of [-1, 2.5, MAX_SEED + 1, 18446744073709551617]) {
    it(`row 9: seed ${seed} is refused`, () => {
      const e = refusal((c) => (c.seed = seed));
      expect(e.path).toBe('seed');
      expect(e.message).toMatch(/0 to 9007199254740991/);
    });
  }
});

describe('issue 17 "further bad inputs": any JSON value at any config position is accepted or refused with a ConfigError', () => {
  /** Every position of the base config (and a few that do not exist) where a hostile value is planted. */
  const PATHS: (string | number)[][] = [
    [], ['name'], ['seed'], ['data'], ['data', 'weights'], ['data', 'weights', 0], ['data', 'components'], ['data', 'components', 0],
    ['data', 'components', 0, 'mean'], ['data', 'components', 0, 'mean', 0], ['data', 'components', 0, 'variance'], ['data', 'components', 0, 'covariance'],
    ['alpha'], ['generations'], ['T'], ['t0'], ['t0', 'schedule'], ['trainer'], ['trainer', 'kind'], ['trainer', 'error'], ['sampling'], ['sampling', 'mode'],
    ['sampling', 'particles'], ['start'], ['metrics'], ['metrics', 'divergenceSamples'], ['extra'],
  ];
  const plant = (c: any, path: (string | number)[], v: unknown): any => {
    if (path.length === 0) return v;
    let o = c;
    for (const k of path.slice(0, -1)) {
      if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
      o = o[k];
    }
    o[path[path.length - 1]!] = v;
    return c;
  };
  test.prop([fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 })])('no other exception escapes the validation route', (path, value) => {
    const c = plant(base(), path, value);
    try {
      const spec = toRecursionSpec(parseRecursionConfig(c), LIMITS);
      expect(spec.generations).toBeGreaterThanOrEqual(0);
    } catch (e) {
      expect(e, String(e)).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).reason.length).toBeGreaterThan(0);
    }
  });
});
