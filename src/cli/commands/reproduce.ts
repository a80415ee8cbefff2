/**
 * `collapse-check reproduce <experiment> [--runs N] [--seed N] [--json] [--out DIR] [--shard i/n]
 * [--quick] [--merge DIR...]`: re-make the papers' experiments (docs/experiments.md).
 *
 * Experiments: p1-e1 (10-D GMM, KDE score, paper scale), p1-e2 (η̂ by perturbation type on
 * optdigits), p1-e3 (α study on optdigits), p2-e1 (particle recursion vs P2's limit, 1-D and 2-D).
 * Each writes a report section into DIR (default reports/reproduce): `<id>.md`, SVG figures and
 * `<id>.json` (all numbers), and prints a summary (or, with --json, one JSON document on stdout).
 *
 * Sharding (p1-e1, p1-e3): `--runs 10 --shard 2/5` runs the runs r with r mod 5 = 1; `--merge
 * DIR...` joins the `<id>.json` of shard directories (same seed and options) into one section.
 * Interrupts: the experiments give the event loop a turn after every round; SIGINT stops them there,
 * the completed part is written (verdict `partial-run`) and the exit code is 130. `<id>.json` is
 * also rewritten after every completed job, so even a killed run leaves its finished jobs on disk.
 * Exit codes: 0 written (whatever the verdict: an experiment reproduces a paper, it is not a gate),
 * 2 bad usage or input, 130 interrupted.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_OK, UsageError, humanWriter, progress, toJson } from '../io.ts';
import { P1E1_PAPER, runP1E1, type P1E1Options } from '../../experiments/p1-e1-gmm.ts';
import { p1e1Section, type P1E1Result } from '../../experiments/p1-e1-report.ts';
import { P1E2_FULL } from '../../experiments/p1-e2-eta-images.ts';
import { p1e2Section, runP1E2 } from '../../experiments/p1-e2-report.ts';
import { P1E3_FULL } from '../../experiments/p1-e3-alpha-images.ts';
import { p1e3Section, runP1E3, type P1E3Result } from '../../experiments/p1-e3-report.ts';
import { P2E1_FULL } from '../../experiments/p2-e1-limit.ts';
import { p2e1Section, runP2E1Both } from '../../experiments/p2-e1-report.ts';
import { writeSection, type ReportSection } from '../../experiments/report-section.ts';

export const EXPERIMENTS = ['p1-e1', 'p1-e2', 'p1-e3', 'p2-e1'] as const;
export type ExperimentId = (typeof EXPERIMENTS)[number];
export const EXIT_INTERRUPTED = 130;
export const DEFAULT_REPRODUCE_SEED = 1;
export const DEFAULT_OUT = 'reports/reproduce';

interface ReproduceOptions {
  runs?: string;
  seed?: string;
  json?: boolean;
  out?: string;
  shard?: string;
  quick?: boolean;
  merge?: string[];
  generations?: string;
}

/** Smoke-test scale (`--quick`): every experiment in well under a minute. */
const QUICK = {
  'p1-e1': { ...P1E1_PAPER, particles: 2000, metricSamples: 100, energySamples: 50, emParticles: 4, emSteps: 100, populationSamples: 2000 } satisfies P1E1Options,
  'p1-e2': { ...P1E2_FULL, pcaDim: 4, images: 200, paths: 2000, steps: 20 },
  'p1-e3': { ...P1E3_FULL, particles: 300, metricSamples: 100 },
  'p2-e1': { ...P2E1_FULL, generations: 40, particles: 2000 },
};

function parseInteger(name: string, s: string | undefined, fallback: number, min: number): number {
  if (s === undefined) return fallback;
  const v = Number(s);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got "${s}")`);
  return v;
}

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShard(s: string | undefined): { index: number; count: number } | null {
  if (s === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) throw new UsageError(`--shard must look like i/n (got "${s}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UsageError(`--shard ${s}: need 1 ≤ i ≤ n`);
  return { index, count };
}

/** Runs 0..runs−1 that belong to the shard (r mod n = i − 1). */
export function shardRuns(runs: number, shard: { index: number; count: number } | null): number[] {
  const all = Array.from({ length: runs }, (_, r) => r);
  return shard ? all.filter((r) => r % shard.count === shard.index - 1) : all;
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, toJson(value) + '\n');
  renameSync(tmp, path);
}

function readShard(dir: string, id: string): unknown {
  const file = existsSync(join(dir, `${id}.json`)) ? join(dir, `${id}.json`) : dir;
  if (!existsSync(file)) throw new UsageError(`--merge: ${file} not found`);
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8'), (_k: string, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : v)) as { data?: unknown };
    return doc.data ?? doc;
  } catch (e) {
    throw new UsageError(`--merge: ${file}: ${(e as Error).message}`);
  }
}

/** Joins shard results of p1-e1 / p1-e3 (same seed and options; jobs concatenated, sorted by run). */
export function mergeResults(id: 'p1-e1' | 'p1-e3', parts: readonly unknown[]): P1E1Result | P1E3Result {
  if (parts.length === 0) throw new UsageError('--merge: no shard given');
  const first = parts[0] as P1E1Result & P1E3Result;
  for (const p of parts) {
    const q = p as P1E1Result;
    if (q.seed !== first.seed || JSON.stringify(q.options) !== JSON.stringify(first.options)) throw new UsageError('--merge: shards differ in seed or options');
  }
  const jobs = parts.flatMap((p) => (p as { jobs: { run: number; alpha: number }[] }).jobs);
  const seen = new Set<string>();
  for (const j of jobs) {
    const key = `${j.run}/${j.alpha}`;
    if (seen.has(key)) throw new UsageError(`--merge: job run ${j.run}, α = ${j.alpha} appears twice`);
    seen.add(key);
  }
  jobs.sort((a, b) => a.run - b.run || a.alpha - b.alpha);
  const wallSeconds = parts.reduce<number>((s, p) => s + (p as { wallSeconds: number }).wallSeconds, 0);
  const completed = parts.every((p) => (p as { completed: boolean }).completed);
  return { ...first, jobs, wallSeconds, completed } as unknown as P1E1Result | P1E3Result;
}

async function runExperiment(id: ExperimentId, opts: ReproduceOptions, shouldStop: () => boolean, out: string, say: (s: string) => void): Promise<ReportSection> {
  const seed = parseInteger('seed', opts.seed, DEFAULT_REPRODUCE_SEED, -(2 ** 31));
  const shard = parseShard(opts.shard);
  const quick = Boolean(opts.quick);
  let bar: ReturnType<typeof progress> | null = null;
  let barTotal = -1;
  const onProgress = (done: number, total: number, note: string) => {
    if (!bar || total !== barTotal) {
      bar = progress(`reproduce ${id}`, total);
      barTotal = total;
    }
    bar.tick(done, note);
    if (done === total) bar.end();
  };
  const checkpoint = (data: unknown) => writeJsonAtomic(join(out, `${id}.json`), { id, partial: true, data });
  switch (id) {
    case 'p1-e1': {
      const base = quick ? QUICK['p1-e1'] : P1E1_PAPER;
      const G = parseInteger('generations', opts.generations, base.generations, 1);
      const o: P1E1Options = { ...base, generations: G, emRounds: base.emRounds.filter((r) => r < G), scatterGenerations: base.scatterGenerations.filter((g) => g <= G) };
      const runs = shardRuns(parseInteger('runs', opts.runs, 1, 1), shard);
      if (runs.length === 0) throw new UsageError('this shard has no run (more shards than runs)');
      say(`P1-E1: N = ${o.particles}, G = ${o.generations}, α ∈ {${o.alphas.join(', ')}}, runs ${runs.join(', ')}, seed ${seed}`);
      const start = process.hrtime.bigint();
      const res = await runP1E1(o, seed, runs, { shouldStop, onProgress, onJob: (jobs) => checkpoint({ options: o, seed, jobs, population: {}, wallSeconds: Number(process.hrtime.bigint() - start) / 1e9, completed: false }) });
      return p1e1Section({ options: o, seed, ...res, wallSeconds: Number(process.hrtime.bigint() - start) / 1e9 });
    }
    case 'p1-e2': {
      const o = quick ? QUICK['p1-e2'] : P1E2_FULL;
      say(`P1-E2: optdigits ${o.images} images, ${o.pcaDim}-D PCA, ${o.paths} paths × ${o.steps} steps, seed ${seed}`);
      return p1e2Section(await runP1E2(o, seed, quick ? 4 : 8, { shouldStop, onProgress }));
    }
    case 'p1-e3': {
      const base3 = quick ? QUICK['p1-e3'] : P1E3_FULL;
      const G3 = parseInteger('generations', opts.generations, base3.generations, 1);
      const o = { ...base3, generations: G3, gridGenerations: base3.gridGenerations.filter((g) => g <= G3) };
      const runs = shardRuns(parseInteger('runs', opts.runs, 3, 1), shard);
      if (runs.length === 0) throw new UsageError('this shard has no run (more shards than runs)');
      say(`P1-E3: optdigits, ${o.pcaDim}-D PCA, N = ${o.particles}, G = ${o.generations}, runs ${runs.join(', ')}, seed ${seed}`);
      return p1e3Section(await runP1E3(o, seed, runs, { shouldStop, onProgress }));
    }
    case 'p2-e1': {
      const base2 = quick ? QUICK['p2-e1'] : P2E1_FULL;
      const o = { ...base2, generations: parseInteger('generations', opts.generations, base2.generations, 1) };
      say(`P2-E1: α = ${o.alpha}, t0 = ${o.t0}, N = ${o.particles}, G = ${o.generations}, 1-D and 2-D, seed ${seed}`);
      return p2e1Section(await runP2E1Both(o, seed, { shouldStop, onProgress }));
    }
  }
}

function summary(s: ReportSection): Record<string, unknown> {
  return { id: s.id, title: s.title, verdict: s.verdict, completed: s.completed, wallSeconds: s.wallSeconds, reasons: s.verdictReasons, deviations: s.deviations };
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('reproduce')
    .description(COMMAND_SUMMARIES.reproduce)
    .argument('<experiment>', EXPERIMENTS.join(' | '))
    .option('--runs <n>', 'independent runs (p1-e1: default 1, the paper has 10; p1-e3: default 3)')
    .option('--seed <n>', `root seed (default ${DEFAULT_REPRODUCE_SEED})`)
    .option('--json', 'print one JSON document on stdout (human text on stderr)')
    .option('--out <dir>', `directory of the report section (default ${DEFAULT_OUT})`)
    .option('--shard <i/n>', 'p1-e1, p1-e3: run only the runs r with r mod n = i − 1')
    .option('--quick', 'smoke-test scale (seconds to a minute per experiment; not the paper\'s scale)')
    .option('--generations <n>', 'p1-e1, p1-e3, p2-e1: fewer generations than the paper (a stated fraction; timing extrapolation)')
    .option('--merge <dirs...>', 'p1-e1, p1-e3: join the <id>.json of shard output directories instead of running')
    .action(async (experiment: string, opts: ReproduceOptions) => {
      // errors propagate to main.ts, which reports them (one JSON document under --json) with exit code 2
      await reproduceAction(experiment, opts, setExit);
    });
}

async function reproduceAction(experiment: string, opts: ReproduceOptions, setExit: (code: number) => void): Promise<void> {
  {
    {
      if (!(EXPERIMENTS as readonly string[]).includes(experiment)) throw new UsageError(`unknown experiment "${experiment}" (known: ${EXPERIMENTS.join(', ')})`);
      const id = experiment as ExperimentId;
      const say = humanWriter(Boolean(opts.json));
      const out = resolve(opts.out ?? DEFAULT_OUT);
      mkdirSync(out, { recursive: true });
      let section: ReportSection;
      let interrupted = false;
      if (opts.merge) {
        if (id !== 'p1-e1' && id !== 'p1-e3') throw new UsageError('--merge applies to p1-e1 and p1-e3 only');
        const merged = mergeResults(id, opts.merge.map((d) => readShard(d, id)));
        section = id === 'p1-e1' ? p1e1Section(merged as P1E1Result) : p1e3Section(merged as P1E3Result);
      } else {
        const onSigint = () => {
          interrupted = true;
          process.stderr.write('\nreproduce: interrupt received: finishing the current round, then writing what is done\n');
        };
        process.on('SIGINT', onSigint);
        try {
          section = await runExperiment(id, opts, () => interrupted, out, say);
        } finally {
          process.off('SIGINT', onSigint);
        }
      }
      const written = await writeSection(out, section);
      if (opts.json) process.stdout.write(toJson({ ...summary(section), files: written, data: section.data }) + '\n');
      else {
        say(`${section.id}: verdict ${section.verdict} (${section.wallSeconds.toFixed(1)} s)`);
        for (const r of section.verdictReasons) say(`  - ${r}`);
        say(`written: ${written.join(', ')}`);
      }
      setExit(interrupted ? EXIT_INTERRUPTED : EXIT_OK);
    }
  }
}
