/**
 * Configuration spaces of `collapse-check fuzz`, as data: each claim's parameters with their ranges
 * (wider than the claim's assumptions: the fuzzer looks beyond them), their simplest value (the
 * shrinker's target) and a unit-cube encoding used by the targeted search.
 *
 * - `real`: [min, max], linear or logarithmic (`log: true`, then 0 < min); encoded u ∈ [0, 1].
 * - `int`: integers in [min, max]; u ↦ min + ⌊u (max − min + 1)⌋ (clamped).
 * - `choice`: one of `choices`; u ↦ choices[⌊u n⌋] (clamped).
 *
 * Round numbers (shrinking): `roundCandidates(spec, v)` gives the simplest value, then v rounded to
 * 1, 2 and 3 significant digits and the 1-2-5 numbers around it, all inside [min, max]; `complexity`
 * counts significant digits (reals), distance to the simplest value (ints) and non-default choices.
 *
 * Throws (`specError`) on an empty range, a log range with min ≤ 0, or a simplest value outside it.
 */
import fc from 'fast-check';

export interface RealParam {
  readonly kind: 'real';
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly log?: boolean;
  readonly simplest: number;
  /** what the parameter means (help, report) */
  readonly doc: string;
}

export interface IntParam {
  readonly kind: 'int';
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly simplest: number;
  readonly doc: string;
}

export interface ChoiceParam {
  readonly kind: 'choice';
  readonly name: string;
  readonly choices: readonly string[];
  readonly simplest: string;
  readonly doc: string;
}

export type ParamSpec = RealParam | IntParam | ChoiceParam;
export type ParamValue = number | string;
export type FuzzConfig = Readonly<Record<string, ParamValue>>;

/** Checks a space; throws on the first malformed parameter. */
export function validateSpace(space: readonly ParamSpec[]): void {
  const names = new Set<string>();
  for (const p of space) {
    if (names.has(p.name)) throw new Error(`space: duplicate parameter ${p.name}`);
    names.add(p.name);
    if (p.kind === 'choice') {
      if (p.choices.length === 0 || !p.choices.includes(p.simplest)) throw new Error(`space: ${p.name}: simplest ${p.simplest} not among the choices`);
      continue;
    }
    if (!(p.min <= p.max)) throw new Error(`space: ${p.name}: empty range [${p.min}, ${p.max}]`);
    if (p.kind === 'real' && p.log && !(p.min > 0)) throw new Error(`space: ${p.name}: log range needs min > 0`);
    if (!(p.simplest >= p.min && p.simplest <= p.max)) throw new Error(`space: ${p.name}: simplest ${p.simplest} outside [${p.min}, ${p.max}]`);
    if (p.kind === 'int' && !(Number.isInteger(p.min) && Number.isInteger(p.max) && Number.isInteger(p.simplest))) throw new Error(`space: ${p.name}: integer bounds`);
  }
}

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/** Value of parameter `p` at unit coordinate u (clamped to [0, 1]). */
export function decodeParam(p: ParamSpec, u: number): ParamValue {
  const v = clamp01(u);
  if (p.kind === 'choice') return p.choices[Math.min(p.choices.length - 1, Math.floor(v * p.choices.length))]!;
  if (p.kind === 'int') return Math.min(p.max, p.min + Math.floor(v * (p.max - p.min + 1)));
  if (p.log) return Math.min(p.max, Math.max(p.min, p.min * Math.pow(p.max / p.min, v)));
  return Math.min(p.max, Math.max(p.min, p.min + v * (p.max - p.min)));
}

/** Unit coordinate of a value (the centre of its cell for ints and choices). */
export function encodeParam(p: ParamSpec, value: ParamValue): number {
  if (p.kind === 'choice') {
    const i = p.choices.indexOf(String(value));
    if (i < 0) throw new Error(`space: ${p.name}: unknown choice ${String(value)}`);
    return (i + 0.5) / p.choices.length;
  }
  const x = Number(value);
  if (p.kind === 'int') return p.max === p.min ? 0.5 : clamp01((x - p.min + 0.5) / (p.max - p.min + 1));
  if (p.max === p.min) return 0.5;
  if (p.log) return clamp01(Math.log(x / p.min) / Math.log(p.max / p.min));
  return clamp01((x - p.min) / (p.max - p.min));
}

export function decodeConfig(space: readonly ParamSpec[], u: ArrayLike<number>): FuzzConfig {
  const out: Record<string, ParamValue> = {};
  space.forEach((p, i) => (out[p.name] = decodeParam(p, u[i]!)));
  return out;
}

export function encodeConfig(space: readonly ParamSpec[], c: FuzzConfig): Float64Array {
  return Float64Array.from(space, (p) => encodeParam(p, c[p.name]!));
}

/** The simplest configuration (every parameter at its simplest value). */
export function simplestConfig(space: readonly ParamSpec[]): FuzzConfig {
  const out: Record<string, ParamValue> = {};
  for (const p of space) out[p.name] = p.simplest;
  return out;
}

/**
 * Checks a user/fixture configuration against the space: every parameter present, in range, of the
 * right kind. Returns the problems (empty = valid).
 */
export function configProblems(space: readonly ParamSpec[], c: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const p of space) {
    const v = c[p.name];
    if (v === undefined) out.push(`${p.name}: missing`);
    else if (p.kind === 'choice') {
      if (typeof v !== 'string' || !p.choices.includes(v)) out.push(`${p.name}: ${JSON.stringify(v)} not one of ${p.choices.join(', ')}`);
    } else if (typeof v !== 'number' || !Number.isFinite(v) || v < p.min || v > p.max || (p.kind === 'int' && !Number.isInteger(v))) {
      out.push(`${p.name}: ${JSON.stringify(v)} not ${p.kind === 'int' ? 'an integer' : 'a number'} in [${p.min}, ${p.max}]`);
    }
  }
  for (const k of Object.keys(c)) if (!space.some((p) => p.name === k)) out.push(`${k}: not a parameter`);
  return out;
}

/**
 * fast-check arbitrary of the whole space. Reals are drawn on a grid of 2^20 + 1 unit-cube points
 * (decoded linearly or geometrically), so fast-check's bias towards the ends of the integer range
 * probes the range ends, and no denormal or −0 values appear.
 */
export const REAL_GRID = 2 ** 20;
export function spaceArbitrary(space: readonly ParamSpec[]): fc.Arbitrary<FuzzConfig> {
  const parts: Record<string, fc.Arbitrary<ParamValue>> = {};
  for (const p of space) {
    if (p.kind === 'choice') parts[p.name] = fc.constantFrom(...p.choices);
    else if (p.kind === 'int') parts[p.name] = fc.integer({ min: p.min, max: p.max });
    else parts[p.name] = fc.integer({ min: 0, max: REAL_GRID }).map((k) => decodeParam(p, k / REAL_GRID));
  }
  return fc.record(parts) as fc.Arbitrary<FuzzConfig>;
}

/** Significant decimal digits of x (0 for 0; ≤ 17). */
export function significantDigits(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  for (let k = 1; k <= 17; k++) if (Number(x.toPrecision(k)) === x) return k;
  return 17;
}

/** Shrink cost of one value (0 = simplest). */
export function paramComplexity(p: ParamSpec, v: ParamValue): number {
  if (p.kind === 'choice') return v === p.simplest ? 0 : 1 + p.choices.indexOf(String(v));
  if (v === p.simplest) return 0;
  const x = Number(v);
  if (p.kind === 'int') return Math.abs(x - p.simplest);
  return significantDigits(x);
}

export function configComplexity(space: readonly ParamSpec[], c: FuzzConfig): number {
  let s = 0;
  for (const p of space) s += paramComplexity(p, c[p.name]!);
  return s;
}

/** Candidate simpler values of one parameter, most preferred first, all in range and ≠ v. */
export function roundCandidates(p: ParamSpec, v: ParamValue): ParamValue[] {
  const out: ParamValue[] = [];
  const push = (c: ParamValue) => {
    if (c === v || out.includes(c)) return;
    if (p.kind !== 'choice') {
      const x = Number(c);
      if (!Number.isFinite(x) || x < p.min || x > p.max) return;
      if (p.kind === 'int' && !Number.isInteger(x)) return;
    }
    out.push(c);
  };
  push(p.simplest);
  if (p.kind === 'choice') {
    for (const c of p.choices) push(c);
    return out;
  }
  const x = Number(v);
  if (p.kind === 'int') {
    // halfway towards the simplest value, then one step
    push(Math.round((x + p.simplest) / 2));
    push(x > p.simplest ? x - 1 : x + 1);
    return out;
  }
  for (let k = 1; k <= 3; k++) push(Number(x.toPrecision(k)));
  if (x !== 0) {
    const e = Math.floor(Math.log10(Math.abs(x)));
    const sign = Math.sign(x);
    for (const m of [1, 2, 5, 10]) push(sign * m * 10 ** e);
  }
  push(0);
  return out;
}

/** Stable text key of a configuration (dedupe). */
export function configKey(space: readonly ParamSpec[], c: FuzzConfig): string {
  return space.map((p) => `${p.name}=${String(c[p.name])}`).join(';');
}
