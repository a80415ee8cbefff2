/**
 * The t0-schedule module's own guards and helpers, tested directly (the config layer validates first,
 * so the end-to-end tests never reach them; a Stryker run left 50 mutants of this module alive, see
 * docs/mutation.md). Oracles: brute-force loops over the generations written here.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { checkSchedule, MIN_T0, scheduleExtremes, t0At, type T0Schedule } from '../../src/recursion/t0-schedule.ts';
import { ConfigError } from '../../src/recursion/spec-error.ts';

/** t0 of generation i from the definitions in the module comment (independent of rawT0). */
function definition(s: T0Schedule, i: number): number {
  if (s.kind === 'constant') return s.t0;
  if (s.kind === 'geometric') return s.t0 * Math.pow(s.ratio, i);
  if (s.kind === 'harmonic') return s.t0 / (i + 1);
  if (s.kind === 'polynomial') return s.t0 / Math.pow(i + 1, s.power);
  return s.values[Math.min(i, s.values.length - 1)]!;
}

function configError(f: () => void): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const scheduleArb: fc.Arbitrary<T0Schedule> = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), t0: logUniformDouble(1e-6, 1) }),
  fc.record({ kind: fc.constant('geometric' as const), t0: logUniformDouble(1e-6, 1), ratio: boundedDouble(0.01, 1) }),
  fc.record({ kind: fc.constant('harmonic' as const), t0: logUniformDouble(1e-6, 1) }),
  fc.record({ kind: fc.constant('polynomial' as const), t0: logUniformDouble(1e-6, 1), power: boundedDouble(0.1, 4) }),
  fc.record({ kind: fc.constant('explicit' as const), values: fc.array(boundedDouble(0, 2), { minLength: 1, maxLength: 12 }) }),
);

describe('t0 schedules: values, extremes and the guards (P2-4 annealing inputs)', () => {
  test.prop([scheduleArb, fc.integer({ min: 0, max: 40 })])('t0At follows the definition, generation by generation', (s, i) => {
    expect(t0At(s, i)).toBe(definition(s, i));
  });

  it('t0At refuses negative, NaN and infinite values and an empty list; 0 is allowed', () => {
    for (const bad of [-1e-300, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => t0At({ kind: 'explicit', values: [bad] }, 0)).toThrow(/finite and ≥ 0/);
    expect(() => t0At({ kind: 'explicit', values: [] }, 0)).toThrow(/empty/);
    expect(t0At({ kind: 'explicit', values: [0] }, 3)).toBe(0);
    expect(t0At({ kind: 'constant', t0: 0 }, 0)).toBe(0);
  });

  test.prop([scheduleArb, fc.integer({ min: 0, max: 30 })])('scheduleExtremes = first argmin / argmax over the first `generations` rounds (brute force)', (s, G) => {
    const ext = scheduleExtremes(s, G);
    if (G === 0) {
      expect(ext).toBeNull();
      return;
    }
    const vals = Array.from({ length: G }, (_, i) => definition(s, i));
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    expect(ext).not.toBeNull();
    expect(definition(s, ext!.min)).toBe(lo);
    expect(definition(s, ext!.max)).toBe(hi);
    expect(ext!.min).toBeLessThan(G);
    expect(ext!.max).toBeLessThan(G);
    if (s.kind === 'explicit') {
      expect(ext!.min).toBe(vals.indexOf(lo));
      expect(ext!.max).toBe(vals.indexOf(hi));
    }
  });

  it('scheduleExtremes of a negative generation count is null', () => {
    expect(scheduleExtremes({ kind: 'constant', t0: 0.1 }, -1)).toBeNull();
  });

  test.prop([scheduleArb, fc.integer({ min: 1, max: 30 }), boundedDouble(0.05, 3)])(
    'checkSchedule accepts iff every t0 of the first generations lies in [MIN_T0, T); a refusal names the first offending generation',
    (s, G, T) => {
      const vals = Array.from({ length: G }, (_, i) => definition(s, i));
      const tooLarge = vals.findIndex((v) => !(v < T));
      const tooSmall = vals.findIndex((v) => !(v >= MIN_T0));
      if (tooLarge < 0 && tooSmall < 0) {
        expect(() => checkSchedule(s, G, T)).not.toThrow();
        return;
      }
      const e = configError(() => checkSchedule(s, G, T));
      expect(e.path).toBe('t0');
      if (tooLarge >= 0) expect(e.reason).toMatch(new RegExp(`must be < T = ${T} in every generation`));
      else expect(e.reason).toContain(`generation ${tooSmall} (of 0 … ${G - 1})`);
    },
  );

  it('checkSchedule: an empty list, a ratio outside (0, 1], underflow to 0 (named), and 0 generations', () => {
    expect(configError(() => checkSchedule({ kind: 'explicit', values: [] }, 3, 1)).path).toBe('t0.values');
    for (const ratio of [0, -0.5, 1.5, Number.NaN]) expect(configError(() => checkSchedule({ kind: 'geometric', t0: 0.1, ratio }, 3, 1)).path).toBe('t0.ratio');
    expect(() => checkSchedule({ kind: 'geometric', t0: 0.1, ratio: 1 }, 3, 1)).not.toThrow();
    // 0.1 · 2^-i is exactly 0 from i = 1078 on (below the smallest subnormal); the first i below MIN_T0 = 1e-12 is 37
    const under = configError(() => checkSchedule({ kind: 'geometric', t0: 0.1, ratio: 0.5 }, 1100, 1));
    expect(under.reason).toContain('generation 37 (of 0 … 1099)');
    const zero = configError(() => checkSchedule({ kind: 'explicit', values: [0.1, 0] }, 2, 1));
    expect(zero.reason).toContain('generation 1');
    expect(zero.reason).toContain('(underflow)');
    const tiny = configError(() => checkSchedule({ kind: 'explicit', values: [0.1, 1e-13] }, 2, 1));
    expect(tiny.reason).not.toContain('(underflow)');
    expect(() => checkSchedule({ kind: 'constant', t0: 5 }, 0, 1)).not.toThrow();
  });

  it('boundaries and ties: t0 = T is refused, t0 = MIN_T0 accepted, ties resolve to the first generation; messages say what is allowed', () => {
    expect(scheduleExtremes({ kind: 'explicit', values: [0.5, 0.2, 0.2] }, 3)).toEqual({ min: 1, max: 0 });
    expect(scheduleExtremes({ kind: 'explicit', values: [0.2, 0.5, 0.5] }, 3)).toEqual({ min: 0, max: 1 });
    expect(configError(() => checkSchedule({ kind: 'constant', t0: 1 }, 2, 1)).path).toBe('t0');
    expect(() => checkSchedule({ kind: 'explicit', values: [0.5, MIN_T0] }, 2, 1)).not.toThrow();
    expect(configError(() => checkSchedule({ kind: 'explicit', values: [0.5, MIN_T0, 1e-13] }, 3, 1)).reason).toContain('generation 2 (of 0 … 2)');
    expect(() => checkSchedule({ kind: 'geometric', t0: MIN_T0 * 4, ratio: 0.5 }, 3, 1)).not.toThrow(); // last t0 = MIN_T0 exactly
    expect(configError(() => checkSchedule({ kind: 'geometric', t0: MIN_T0 * 4, ratio: 0.5 }, 4, 1)).reason).toContain('generation 3 (of 0 … 3)');
    expect(configError(() => checkSchedule({ kind: 'explicit', values: [] }, 3, 1)).reason).toBe('must list at least one t0');
    expect(configError(() => checkSchedule({ kind: 'geometric', t0: 0.1, ratio: 2 }, 3, 1)).reason).toBe('must lie in (0, 1], got 2');
    expect(configError(() => checkSchedule({ kind: 'explicit', values: [0.1, 1e-13] }, 2, 1)).reason).toBe(
      `must stay ≥ ${MIN_T0} in every generation, but generation 1 (of 0 … 1) has t0 = 1e-13: use fewer generations or a slower schedule`,
    );
  });
});
