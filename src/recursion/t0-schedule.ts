/**
 * Truncation-time schedules t0^{(i)} per generation (P2-4 annealing). A schedule is a value; `t0At`
 * evaluates it. Every t0 must stay in [MIN_T0, T): checked once, where the schedule meets T
 * (`checkSchedule`, called by the spec validation src/recursion/spec-check.ts).
 *
 * - constant:   t0_i = t0
 * - geometric:  t0_i = t0 · r^i        (0 < r < 1 anneals to 0; r = 1 is constant)
 * - harmonic:   t0_i = t0 / (i + 1)
 * - polynomial: t0_i = t0 / (i + 1)^p  (p > 0)
 * - explicit:   t0_i = values[i]; generations past the list keep its last value
 */
import { ConfigError } from './spec-error.ts';

export type T0Schedule =
  | { readonly kind: 'constant'; readonly t0: number }
  | { readonly kind: 'geometric'; readonly t0: number; readonly ratio: number }
  | { readonly kind: 'harmonic'; readonly t0: number }
  | { readonly kind: 'polynomial'; readonly t0: number; readonly power: number }
  | { readonly kind: 'explicit'; readonly values: readonly number[] };

/**
 * Smallest t0 the sampling loop accepts (issue 17 rows 10, 16). A geometric schedule with ratio
 * 0.5 reaches the subnormal range after ~1020 generations and exactly 0 after 1075 (t0·r^i
 * underflows); values that small make the step sizes of a geometric grid and the score's scale
 * 1/(1 − e^{−t}) ≈ 1/t lose every significant digit. 1e-12 keeps 1/t0 ≤ 1e12, far inside the
 * double range, and is far below any t0 the theory is used with (≥ 1e-4 in every shipped config).
 */
export const MIN_T0 = 1e-12;

/**
 * t0 of generation i (round i maps p̂^i to p̂^{i+1}). t0 = 0 is allowed here (the exact recursion
 * is defined there: no smoothing; the oracles use it); the sampling loop additionally needs
 * MIN_T0 ≤ t0 < T (checkSchedule). Throws on a negative or non-finite value, or an empty list.
 */
export function t0At(schedule: T0Schedule, generation: number): number {
  const t = rawT0(schedule, generation);
  if (!(t >= 0) || !Number.isFinite(t)) throw new Error(`t0 of generation ${generation} is ${t}: it must be finite and ≥ 0`);
  return t;
}

function rawT0(schedule: T0Schedule, generation: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.t0;
    case 'geometric':
      return schedule.t0 * schedule.ratio ** generation;
    case 'harmonic':
      return schedule.t0 / (generation + 1);
    case 'polynomial':
      return schedule.t0 / (generation + 1) ** schedule.power;
    case 'explicit': {
      const v = schedule.values;
      if (v.length === 0) throw new Error('explicit t0 schedule is empty');
      return v[Math.min(generation, v.length - 1)]!;
    }
  }
}

/**
 * The generations (among 0 … generations − 1) with the smallest and the largest t0, in O(1) for
 * the monotone schedules (constant; geometric with r ≤ 1, harmonic, polynomial: non-increasing)
 * and O(list) for explicit ones. `null` when there is no round (generations = 0).
 */
export function scheduleExtremes(schedule: T0Schedule, generations: number): { min: number; max: number } | null {
  if (generations <= 0) return null;
  if (schedule.kind !== 'explicit') return { min: generations - 1, max: 0 };
  let min = 0;
  let max = 0;
  const last = Math.min(generations, schedule.values.length) - 1;
  for (let i = 1; i <= last; i++) {
    if (!(rawT0(schedule, i) >= rawT0(schedule, min))) min = i;
    if (!(rawT0(schedule, i) <= rawT0(schedule, max))) max = i;
  }
  return { min, max };
}

/** Throws ConfigError('t0', …) unless every t0 of the first `generations` rounds lies in [MIN_T0, T). */
export function checkSchedule(schedule: T0Schedule, generations: number, T: number): void {
  if (schedule.kind === 'explicit' && schedule.values.length === 0) throw new ConfigError('t0.values', 'must list at least one t0');
  if (schedule.kind === 'geometric' && !(schedule.ratio > 0 && schedule.ratio <= 1)) throw new ConfigError('t0.ratio', `must lie in (0, 1], got ${schedule.ratio}`);
  const ext = scheduleExtremes(schedule, generations);
  if (!ext) return;
  const hi = rawT0(schedule, ext.max);
  const lo = rawT0(schedule, ext.min);
  if (!(hi < T)) throw new ConfigError('t0', `must be < T = ${T} in every generation (generation ${ext.max} has t0 = ${hi})`);
  if (!(lo >= MIN_T0)) {
    // first offending generation: binary search on the non-increasing schedules, a scan on explicit lists
    let first = ext.min;
    if (schedule.kind !== 'explicit') {
      let a = 0;
      let b = ext.min;
      while (a < b) {
        const m = Math.floor((a + b) / 2);
        if (rawT0(schedule, m) >= MIN_T0) a = m + 1;
        else b = m;
      }
      first = a;
    } else first = schedule.values.findIndex((v) => !(v >= MIN_T0));
    const t = rawT0(schedule, first);
    throw new ConfigError('t0', `must stay ≥ ${MIN_T0} in every generation, but generation ${first} (of 0 … ${generations - 1}) has t0 = ${t}${t === 0 ? ' (underflow)' : ''}: use fewer generations or a slower schedule`);
  }
}
