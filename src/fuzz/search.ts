/**
 * Targeted search for the configurations that most violate a claim.
 *
 * 1. Random phase: `randomShare` of the evaluation budget drawn by fast-check from the space
 *    (`fc.sample(spaceArbitrary, { seed })`: its bias towards range ends and small values probes the
 *    corners).
 * 2. Climb phase, in the spirit of Hypothesis' `target()`: a (1+1) evolution strategy per incumbent
 *    on the unit-cube encoding, minimising the relative margin (src/fuzz/target.ts `score`): Gaussian
 *    step of size σ on every coordinate (ints/choices are also resampled with probability 1/4),
 *    success ⇒ σ × 1.5, failure ⇒ σ × 0.85 (≈ the 1/5 success rule), restart from a random pool
 *    member when σ < 1e-3. Half of the incumbents minimise the margin freely; the other half
 *    minimise it INSIDE the stated assumptions (a configuration breaking k stated assumptions
 *    scores 1 + k), so violations of the claim as stated are looked for, not only the easy ones.
 *
 * Determinism: the sequence of configurations is a function of (target, seed, budget) only; a time
 * budget or an interrupt only cuts it short (`tried` says where). The search yields to the event
 * loop every ~50 ms so SIGINT can stop it.
 *
 * Violations are grouped by signature (broken stated + unstated assumptions + which comparisons are
 * violated, e.g. the upper or the lower side of a two-sided claim); the most violating
 * configuration of each group is kept with the evaluation index and time of the group's first hit.
 * An evaluation that throws counts as tried and as an error (never as a violation).
 */
import fc from 'fast-check';
import { Rng } from '../random/rng.ts';
import { decodeConfig, encodeConfig, spaceArbitrary, type FuzzConfig } from './space.ts';
import { brokenAssumptions, isViolated, score, violated, type Evaluation, type FuzzTarget } from './target.ts';

export interface Evaluated {
  readonly index: number;
  readonly config: FuzzConfig;
  readonly evaluation: Evaluation | null;
  readonly error: string | null;
  readonly score: number;
  readonly violated: boolean;
  readonly signature: string;
  readonly elapsedMs: number;
}

export interface ViolationGroup {
  readonly signature: string;
  best: Evaluated;
  readonly firstIndex: number;
  readonly firstMs: number;
  count: number;
}

export interface SearchOptions {
  readonly seed: number;
  readonly maxEvaluations: number;
  /** stop the search after this many ms (Infinity: evaluations only) */
  readonly maxMs: number;
  readonly randomShare?: number;
  readonly stop?: { stopped: boolean };
  readonly onProgress?: (tried: number, groups: number, bestScore: number) => void;
}

export interface SearchResult {
  readonly tried: number;
  readonly errors: number;
  readonly stoppedBy: 'evaluations' | 'time' | 'interrupt';
  readonly groups: ViolationGroup[];
  readonly best: Evaluated | null;
  readonly elapsedMs: number;
  /** the first few configurations tried (determinism checks) */
  readonly firstConfigs: FuzzConfig[];
}

/** Group key: broken stated | broken unstated | labels of the violated comparisons. */
export function signatureOf(e: Evaluation): string {
  const b = brokenAssumptions(e);
  const which = e.comparisons.filter(isViolated).map((c) => (c.label.includes(':') ? c.label.split(':')[0] : 'claim'));
  return `${b.stated.join('+') || 'none'}|${b.unstated.join('+')}|${which.join('+')}`;
}

function evaluateSafely(target: FuzzTarget, config: FuzzConfig, index: number, t0: number): Evaluated {
  try {
    const evaluation = target.evaluate(config);
    const v = violated(evaluation);
    return { index, config, evaluation, error: null, score: score(evaluation), violated: v, signature: signatureOf(evaluation), elapsedMs: performance.now() - t0 };
  } catch (e) {
    return { index, config, evaluation: null, error: e instanceof Error ? e.message : String(e), score: Infinity, violated: false, signature: '', elapsedMs: performance.now() - t0 };
  }
}

/** Public helper: evaluate one configuration without throwing. */
export function evaluateOne(target: FuzzTarget, config: FuzzConfig): Evaluated {
  return evaluateSafely(target, config, 0, performance.now());
}

const insideScore = (e: Evaluated): number => {
  if (!e.evaluation) return Infinity;
  const k = brokenAssumptions(e.evaluation).stated.length;
  return k === 0 ? e.score : 1 + k;
};

interface Incumbent {
  x: Float64Array;
  value: number;
  sigma: number;
  readonly inside: boolean;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function search(target: FuzzTarget, opts: SearchOptions): Promise<SearchResult> {
  const space = target.space;
  const start = performance.now();
  const groups = new Map<string, ViolationGroup>();
  const tried: Evaluated[] = [];
  let errors = 0;
  let best: Evaluated | null = null;
  let stoppedBy: SearchResult['stoppedBy'] = 'evaluations';
  let lastYield = performance.now();
  const firstConfigs: FuzzConfig[] = [];

  const record = (e: Evaluated) => {
    tried.push(e);
    if (firstConfigs.length < 20) firstConfigs.push(e.config);
    if (e.error !== null) errors++;
    if (best === null || e.score < best.score) best = e;
    if (e.violated) {
      const g = groups.get(e.signature);
      if (!g) groups.set(e.signature, { signature: e.signature, best: e, firstIndex: e.index, firstMs: e.elapsedMs, count: 1 });
      else {
        g.count++;
        if (e.score < g.best.score) g.best = e;
      }
    }
  };
  const shouldStop = async (): Promise<boolean> => {
    if (tried.length >= opts.maxEvaluations) {
      stoppedBy = 'evaluations';
      return true;
    }
    if (performance.now() - start >= opts.maxMs) {
      stoppedBy = 'time';
      return true;
    }
    if (performance.now() - lastYield > 50) {
      await yieldToLoop();
      lastYield = performance.now();
      opts.onProgress?.(tried.length, groups.size, best?.score ?? Infinity);
    }
    if (opts.stop?.stopped) {
      stoppedBy = 'interrupt';
      return true;
    }
    return false;
  };

  const nRandom = Math.max(1, Math.min(opts.maxEvaluations, Math.round(opts.maxEvaluations * (opts.randomShare ?? 0.3))));
  const randomConfigs = fc.sample(spaceArbitrary(space), { seed: opts.seed, numRuns: nRandom });
  let stopped = false;
  for (const c of randomConfigs) {
    if (await shouldStop()) {
      stopped = true;
      break;
    }
    record(evaluateSafely(target, c, tried.length, start));
  }
  if (!stopped) {
    const rng = Rng.fromPath('fuzz-climb', target.id, opts.seed);
    const pool = tried.filter((e) => e.error === null);
    const byFree = [...pool].sort((a, b) => a.score - b.score);
    const byInside = [...pool].sort((a, b) => insideScore(a) - insideScore(b));
    const incumbents: Incumbent[] = [];
    for (let k = 0; k < 2 && k < byFree.length; k++) incumbents.push({ x: encodeConfig(space, byFree[k]!.config), value: byFree[k]!.score, sigma: 0.2, inside: false });
    for (let k = 0; k < 2 && k < byInside.length; k++) incumbents.push({ x: encodeConfig(space, byInside[k]!.config), value: insideScore(byInside[k]!), sigma: 0.2, inside: true });
    const restartFrom = (inc: Incumbent) => {
      const src = pool.length > 0 ? pool[rng.int(pool.length)]! : null;
      inc.x = src ? encodeConfig(space, src.config) : Float64Array.from(space, () => rng.uniform());
      inc.value = src ? (inc.inside ? insideScore(src) : src.score) : Infinity;
      inc.sigma = 0.3;
    };
    let turn = 0;
    while (incumbents.length > 0 && !(await shouldStop())) {
      const inc = incumbents[turn++ % incumbents.length]!;
      const y = new Float64Array(inc.x.length);
      for (let i = 0; i < y.length; i++) {
        const p = space[i]!;
        const resample = p.kind !== 'real' && rng.uniform() < 0.25;
        const v = resample ? rng.uniform() : inc.x[i]! + inc.sigma * rng.normal();
        y[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      const e = evaluateSafely(target, decodeConfig(space, y), tried.length, start);
      record(e);
      const value = inc.inside ? insideScore(e) : e.score;
      if (value < inc.value) {
        inc.x = y;
        inc.value = value;
        inc.sigma = Math.min(0.5, inc.sigma * 1.5);
      } else inc.sigma *= 0.85;
      if (inc.sigma < 1e-3) restartFrom(inc);
    }
  }
  opts.onProgress?.(tried.length, groups.size, (best as Evaluated | null)?.score ?? Infinity);
  return { tried: tried.length, errors, stoppedBy, groups: [...groups.values()], best, elapsedMs: performance.now() - start, firstConfigs };
}
