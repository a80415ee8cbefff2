/**
 * Time grids are values (k-diffusion style): a strictly decreasing Float64Array from T down to the
 * truncation time t0, `times[0] = T`, `times[K] = t0`, K steps. The reverse sampler walks it in order.
 */

export interface TimeGrid {
  readonly kind: 'uniform' | 'geometric' | 'explicit';
  readonly times: Float64Array;
}

function check(T: number, t0: number, steps: number, where: string): void {
  if (!Number.isFinite(T) || !Number.isFinite(t0)) throw new Error(`${where}: T and t0 must be finite`);
  if (!(t0 >= 0)) throw new Error(`${where}: t0 = ${t0} must be ≥ 0`);
  if (!(t0 < T)) throw new Error(`${where}: need t0 < T (got t0 = ${t0}, T = ${T})`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: steps = ${steps} must be a positive integer`);
}

/** K equal steps from T to t0. */
export function uniformGrid(T: number, t0: number, steps: number): TimeGrid {
  check(T, t0, steps, 'uniformGrid');
  const times = new Float64Array(steps + 1);
  const h = (T - t0) / steps;
  for (let k = 0; k <= steps; k++) times[k] = T - k * h;
  times[steps] = t0;
  return { kind: 'uniform', times };
}

/**
 * Log-spaced (geometric) grid: t_k = t0 · (T/t0)^{1 − k/K}; small steps near t0 where the score of
 * a smooth-but-peaked law varies fastest. Needs t0 > 0.
 */
export function geometricGrid(T: number, t0: number, steps: number): TimeGrid {
  check(T, t0, steps, 'geometricGrid');
  if (!(t0 > 0)) throw new Error('geometricGrid: t0 must be > 0 for a log-spaced grid');
  const times = new Float64Array(steps + 1);
  const ratio = Math.log(T / t0);
  for (let k = 0; k <= steps; k++) times[k] = t0 * Math.exp(ratio * (1 - k / steps));
  times[0] = T;
  times[steps] = t0;
  return { kind: 'geometric', times };
}

/** A user-given grid; must be strictly decreasing, finite, ≥ 0, with at least two points. */
export function explicitGrid(times: ArrayLike<number>): TimeGrid {
  if (times.length < 2) throw new Error('explicitGrid: need at least two times');
  const t = Float64Array.from(times);
  for (let k = 0; k < t.length; k++) {
    if (!Number.isFinite(t[k]!) || t[k]! < 0) throw new Error(`explicitGrid: times[${k}] = ${t[k]} must be finite and ≥ 0`);
    if (k > 0 && !(t[k]! < t[k - 1]!)) throw new Error(`explicitGrid: times must decrease strictly (times[${k}] = ${t[k]} ≥ times[${k - 1}] = ${t[k - 1]})`);
  }
  return { kind: 'explicit', times: t };
}

export function gridSteps(grid: TimeGrid): number {
  return grid.times.length - 1;
}

export function gridStart(grid: TimeGrid): number {
  return grid.times[0]!;
}

export function gridEnd(grid: TimeGrid): number {
  return grid.times[grid.times.length - 1]!;
}
