/**
 * Config validation at the boundary (src/config/recursion-config.ts): every shipped fixture parses;
 * each kind of bad input is rejected with the offending field's path and a reason.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, representableDouble } from '../support/arbitraries.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseRecursionConfig, toRecursionSpec } from '../../src/config/recursion-config.ts';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'configs');
const fixtures = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json'));
const base = () => JSON.parse(readFileSync(join(CONFIG_DIR, 'gaussian-1d.json'), 'utf8'));

function rejection(mutate: (c: any) => void): ConfigError {
  const c = base();
  mutate(c);
  try {
    toRecursionSpec(parseRecursionConfig(c));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('config was accepted');
}

describe('shipped configs are valid', () => {
  it('has the required fixtures', () => {
    for (const f of ['gaussian-1d.json', 'gmm-2d.json', 'p1-e1-alpha-0.1.json', 'p1-e1-alpha-0.5.json', 'p1-e1-alpha-0.9.json']) expect(fixtures).toContain(f);
  });
  for (const f of fixtures) {
    it(`${f} parses into a recursion spec`, () => {
      const spec = toRecursionSpec(parseRecursionConfig(JSON.parse(readFileSync(join(CONFIG_DIR, f), 'utf8'))));
      expect(spec.generations).toBeGreaterThan(0);
    });
  }
});

describe('bad configs name the field and the reason', () => {
  const cases: [string, (c: any) => void, string, RegExp][] = [
    ['α above 1', (c) => (c.alpha = 1.2), 'alpha', /\[0, 1\]/],
    ['α negative', (c) => (c.alpha = -0.1), 'alpha', /\[0, 1\]/],
    ['t0 ≥ T', (c) => (c.t0 = 5), 't0', /< T/],
    ['t0 = 0', (c) => (c.t0 = 0), 't0', /./],
    ['negative variance', (c) => (c.data.components[0].variance = -1), 'data.components[0].variance', /> 0/],
    ['weights not summing to 1', (c) => (c.data.weights = [0.7]), 'data.weights', /sum/],
    ['negative weight', (c) => { c.data.weights = [1.5, -0.5]; c.data.components.push({ mean: [0], variance: 1 }); }, 'data.weights[1]', /≥ 0/],
    ['dimension mismatch', (c) => c.data.components.push({ mean: [0, 1], variance: 1 }) && (c.data.weights = [0.5, 0.5]), 'data.components[1].mean', /dimension/],
    ['not positive definite', (c) => (c.data.components[0] = { mean: [0, 0], covariance: [[1, 2], [2, 1]] }), 'data.components[0].covariance', /positive definite/],
    ['not symmetric', (c) => (c.data.components[0] = { mean: [0, 0], covariance: [[1, 0.2], [0.3, 1]] }), 'data.components[0].covariance', /symmetric/],
    ['unknown trainer', (c) => (c.trainer = { kind: 'magic' }), 'trainer.kind', /./],
    ['unknown sampler', (c) => (c.sampling = { mode: 'particles', sampler: 'rk45', particles: 10, steps: 5 }), 'sampling.sampler', /./],
    ['unknown field', (c) => (c.alhpa = 0.3), '', /alhpa/],
    ['perturbed score at population level', (c) => (c.trainer = { kind: 'perturbed', error: { family: 'aligned', scale: 0.1 } }), 'sampling.mode', /particles/],
    ['non-integer generations', (c) => (c.generations = 2.5), 'generations', /integer/],
    ['NaN smuggled as string', (c) => (c.T = 'NaN'), 'T', /./],
  ];
  for (const [what, mutate, path, reason] of cases) {
    it(what, () => {
      const e = rejection(mutate);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(reason);
    });
  }

  // hostile input: fast-check's doubles over both whole half-lines (its bias to −MIN_VALUE, 1 + ε, ±MAX_VALUE) and
  // ±∞, plus moderate values near the interval (−1 … 0, 1 … 2), which the representable draws almost never reach
  const outsideUnitInterval = fc.oneof(
    representableDouble(-Number.MAX_VALUE, -Number.MIN_VALUE),
    representableDouble(1 + Number.EPSILON, Number.MAX_VALUE),
    boundedDouble(-1, -Number.MIN_VALUE),
    boundedDouble(1 + Number.EPSILON, 2),
    fc.constantFrom(-Infinity, Infinity),
  );
  test.prop([outsideUnitInterval])('any α outside [0, 1] is rejected', (a) => {
    expect(rejection((c) => (c.alpha = a)).path).toBe('alpha');
  });
});
