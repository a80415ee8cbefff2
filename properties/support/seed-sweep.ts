/**
 * Seed sweep (campaign `--sweep-seeds`): run selected tests many times in ONE worker, each repeat
 * under its own seed, as if the file had been run once per seed — without paying vitest's start-up,
 * transform and import per seed. Used only when COLLAPSE_SWEEP names a plan file; inert otherwise.
 *
 * Plan (JSON): `{ "firstSeed": s, "repeats": R, "tests": { "<file relative to root>": ["<full name>", …] } }`.
 * For every listed test vitest runs R + 1 repeats (its `repeats` option, set on the collected task
 * before the file runs); repeat r runs under seed s + r: fast-check's global seed (which the verdict
 * engine reads) and COLLAPSE_SEED (which `suiteSeed()` reads) are both set before the test body.
 * Tests of the file that are not listed are skipped. A repeat that adds an error to the test's
 * result records its seed in `task.meta.failedSeeds`, which the campaign reads to print replay lines.
 *
 * Properties declared with @fast-check/vitest's `test.prop` fix their seed when the file is
 * collected (the global seed then, s, also in their name "(with seed=s)"); for them, repeat r maps
 * the seed s to s + r in fast-check's random source (`randomType`: fast-check's default generator,
 * xorshift128plus, seeded with s + r instead of s), which is exactly the stream a run at seed s + r
 * uses. Names are matched without that suffix.
 *
 * Limits (stated in the campaign summary): any other value computed from the seed at module or
 * describe level, before the first repeat, stays that of seed s in every repeat; a test that keeps
 * state between repeats (files made in beforeAll, module-level temporary paths) cannot be repeated
 * in one worker — the campaign finds such tests by a repeat-safety pass (three repeats under ONE
 * seed, `sameSeed`) and leaves them to the full-seed campaign. The pipeline plan's tally is reset
 * before each repeat (a repeat is one run).
 *
 * vitest's runner adds one 'abort' listener to a test's AbortSignal per repeat (runWithCancel in
 * @vitest/runner 4.1, never removed), so past 10 repeats Node printed a MaxListenersExceededWarning
 * on the worker's stderr — inside whatever test was capturing stderr at the time (hostile-input-cli
 * row 6 failed on it in the sweep at eb41b53). The sweep raises the default listener limit of new
 * EventTargets to R + 11 (`events.setMaxListeners`), the number it knowingly adds; a real leak past
 * that still warns.
 */
import fc from 'fast-check';
import { setMaxListeners } from 'node:events';
import { xorshift128plus } from 'pure-rand/generator/xorshift128plus';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { resetPipelineTally } from './pipeline-spend.ts';

export interface SweepPlan {
  readonly firstSeed: number;
  readonly repeats: number;
  readonly tests: Readonly<Record<string, readonly string[]>>;
  /** every repeat under firstSeed (the repeat-safety pass: a test that fails then keeps state between repeats) */
  readonly sameSeed?: boolean;
}

export const SWEEP_ENV = 'COLLAPSE_SWEEP';

/** A test's name without @fast-check/vitest's seed suffix " (with seed=N)". */
export function seedlessName(name: string): string {
  return name.replace(/ \(with seed=-?\d+\)$/, '');
}

interface TaskLike {
  type: string;
  name: string;
  fullName?: string;
  mode: string;
  repeats?: number;
  tasks?: TaskLike[];
  meta: Record<string, unknown>;
  result?: { repeatCount?: number; errors?: unknown[] };
}

/** Install the sweep hooks when COLLAPSE_SWEEP is set (called by properties/setup.ts). */
export function installSeedSweep(root: string): void {
  const planFile = process.env[SWEEP_ENV];
  if (planFile === undefined || planFile === '') return;
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as SweepPlan;
  setMaxListeners(plan.repeats + 11); // one abort listener per repeat on each test's signal (file comment)
  const errorsBefore = new WeakMap<object, number>();
  const seedOf = (task: TaskLike) => (plan.sameSeed ? plan.firstSeed : plan.firstSeed + (task.result?.repeatCount ?? 0));

  // eslint-disable-next-line no-empty-pattern
  beforeAll(({}, suite: unknown) => {
    const file = relative(root, expect.getState().testPath ?? '');
    const wanted = new Set(plan.tests[file] ?? []);
    const walk = (s: TaskLike, prefix: string): void => {
      for (const t of s.tasks ?? []) {
        const name = prefix === '' ? t.name : `${prefix} > ${t.name}`;
        if (t.type === 'test') {
          if (wanted.has(seedlessName(name))) t.repeats = plan.repeats;
          else t.mode = 'skip';
        } else walk(t, name);
      }
    };
    walk(suite as TaskLike, '');
  });

  beforeEach(({ task }) => {
    const t = task as unknown as TaskLike;
    const seed = seedOf(t);
    fc.configureGlobal({ ...fc.readConfigureGlobal(), seed, randomType: (s: number) => xorshift128plus(s === plan.firstSeed ? seed : s) });
    process.env.COLLAPSE_SEED = String(seed);
    // each repeat is a run of its own: the pipeline plan (properties/support/pipeline-spend.ts) is
    // counted afresh per repeat, not summed over the repeats of one worker
    if ((t.result?.repeatCount ?? 0) > 0) resetPipelineTally();
    errorsBefore.set(task, t.result?.errors?.length ?? 0);
  });

  afterEach(({ task }) => {
    const t = task as unknown as TaskLike;
    if ((t.result?.errors?.length ?? 0) > (errorsBefore.get(task) ?? 0)) {
      const seeds = (t.meta.failedSeeds as number[] | undefined) ?? [];
      seeds.push(seedOf(t));
      t.meta.failedSeeds = seeds;
    }
  });
}
