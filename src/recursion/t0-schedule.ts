/**
 * Truncation-time schedules t0^{(i)} per generation (P2-4 annealing). A schedule is a value; `t0At`
 * evaluates it. Every t0 must stay in (0, T): checked where the schedule meets T.
 *
 * - constant:   t0_i = t0
 * - geometric:  t0_i = t0 · r^i        (0 < r < 1 anneals to 0; r = 1 is constant)
 * - harmonic:   t0_i = t0 / (i + 1)
 * - polynomial: t0_i = t0 / (i + 1)^p  (p > 0)
 * - explicit:   t0_i = values[i]; generations past the list keep its last value
 */
export type T0Schedule =
  | { readonly kind: 'constant'; readonly t0: number }
  | { readonly kind: 'geometric'; readonly t0: number; readonly ratio: number }
  | { readonly kind: 'harmonic'; readonly t0: number }
  | { readonly kind: 'polynomial'; readonly t0: number; readonly power: number }
  | { readonly kind: 'explicit'; readonly values: readonly number[] };

/**
 * t0 of generation i (round i maps p̂^i to p̂^{i+1}). t0 = 0 is allowed here (the exact recursion
 * is defined there: no smoothing); the sampling loop additionally needs 0 < t0 < T (checkSchedule).
 * Throws on a negative or non-finite value, or an empty explicit list.
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

/** Throws unless every t0 of the first `generations` rounds lies in (0, T). */
export function checkSchedule(schedule: T0Schedule, generations: number, T: number): void {
  for (let i = 0; i < generations; i++) {
    const t0 = rawT0(schedule, i);
    if (!(t0 > 0 && t0 < T)) throw new Error(`t0 of generation ${i} is ${t0}: it must satisfy 0 < t0 < T = ${T}`);
  }
}
