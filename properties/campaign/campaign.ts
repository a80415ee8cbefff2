/**
 * Many-seed campaign: runs the default test tier (or a subset of its files) once per fresh seed,
 * in ONE vitest instance (start-up paid once; every test file still runs in its own forked worker,
 * which reads COLLAPSE_SEED at start), and reports every unexpected result with the line that
 * replays it, plus the false-alarm rate the campaign supports.
 *
 *   npm run campaign -- --seeds 50                    # 50 full default-tier runs
 *   npm run campaign -- --seeds 1000 --max-file-seconds 1   # 1 000 seeds of every file that runs in ≤ 1 s
 *   npm run campaign -- --seeds 50 --shard 2/4 --out reports/campaign-A   # shard i of n (machines)
 *   npm run campaign -- --merge reports/campaign-A reports/campaign-B       # merge shard results
 *
 * Resumable: each finished seed is appended as one JSON line to `<out>/results.jsonl` (written when
 * the seed's run ends, so an interrupted campaign loses at most the seed in progress); a rerun with
 * the same --out skips the seeds already there. Seeds are `first + k` for k = 0..seeds−1 (default
 * first = 1 000 003, far from the suite's default seed 20260226); --shard i/n keeps k ≡ i−1 (mod n).
 *
 * What a result means: every test of the default tier asserts a claim's expected verdict or a
 * pipeline property at a stated false-alarm level (the suite budget is 1e-6 per run). A failed test
 * under a fresh seed is therefore either a false alarm (a bound not valid at its δ, a rounding bound
 * missing its absolute term) or a real defect: both are reported, never filtered. With F failing
 * runs out of S the exact Clopper–Pearson 95 % upper bound on the per-run false-alarm probability is
 * printed (src/statistics/binomial-confidence.ts): it is what S runs can show, nothing finer.
 *
 * `--max-file-seconds X`: the first seed runs every selected file and measures each file's duration;
 * later seeds run only the files that took ≤ X s (stated in the summary). Exit 0 iff no run failed.
 *
 * Seed sweep, for the cheap checks (`--sweep-seeds S --max-test-seconds X`, e.g. 1 000 and 1): one
 * measuring run at seed `first` times every test; then every test that passed in ≤ X s runs under
 * seeds first … first + S − 1 in chunks of `--chunk` seeds, each chunk ONE vitest run whose workers
 * repeat each selected test once per seed (properties/support/seed-sweep.ts: vitest's `repeats`,
 * the seed advanced before each repeat), so start-up, transform and import are paid per chunk, not
 * per seed. Each finished chunk is appended to `<out>/sweep.jsonl` (resumable). A failure names its
 * seed(s) and the replay line of that seed. Limit: values computed from the seed at module or
 * describe level stay those of the chunk's first seed.
 */
import { Command } from 'commander';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binomialUpperBound } from '../../src/statistics/binomial-confidence.ts';
import { SWEEP_ENV, seedlessName, type SweepPlan } from '../support/seed-sweep.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface Failure {
  readonly file: string;
  readonly test: string;
  readonly message: string;
}

interface SeedResult {
  readonly seed: number;
  readonly files: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly wallSeconds: number;
  readonly failures: readonly Failure[];
  readonly fileSeconds?: Readonly<Record<string, number>>;
}

function parsePositiveInt(name: string, raw: string): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return v;
}

function parseShard(raw: string | undefined): { index: number; count: number } {
  if (raw === undefined) return { index: 0, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`--shard must be i/n with 1 ≤ i ≤ n, got "${raw}"`);
  return { index: Number(m[1]) - 1, count: Number(m[2]) };
}

/** The JSON lines of `<dir>/<name>` (one record per finished seed or chunk); none if absent. */
function readJsonLines<T>(dir: string, name: string): T[] {
  const file = join(dir, name);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

function readResults(dir: string): SeedResult[] {
  return readJsonLines<SeedResult>(dir, 'results.jsonl');
}

/**
 * One-line shell command that replays a failure alone: `-t` is a regular expression, so the name
 * (without the seed suffix of @fast-check/vitest, which names the seed of the original run) is escaped.
 */
function replayLine(seed: number, f: Pick<Failure, 'file' | 'test'>): string {
  const name = seedlessName(f.test)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/["$`\\]/g, '\\$&');
  return `COLLAPSE_SEED=${seed} npx vitest run ${f.file} -t "${name}"`;
}

function summarise(results: readonly SeedResult[], note: string | null): number {
  const bySeed = new Map<number, SeedResult>();
  for (const r of results) bySeed.set(r.seed, r);
  const all = [...bySeed.values()].sort((a, b) => a.seed - b.seed);
  const failing = all.filter((r) => r.failed > 0);
  const tests = all.reduce((s, r) => s + r.passed + r.failed, 0);
  const wall = all.reduce((s, r) => s + r.wallSeconds, 0);
  process.stdout.write(`campaign: ${all.length} seed(s), ${tests} test executions, ${(wall / 60).toFixed(1)} min of runs\n`);
  if (note) process.stdout.write(`${note}\n`);
  for (const r of failing) for (const f of r.failures) process.stdout.write(`  FAILED seed ${r.seed}: ${f.file} > ${f.test}\n    ${f.message.split('\n')[0]}\n    replay: ${replayLine(r.seed, f)}\n`);
  if (all.length > 0) {
    const ub = binomialUpperBound(failing.length, all.length, 0.05);
    process.stdout.write(
      `unexpected results: ${failing.length} run(s) of ${all.length}; per-run failure probability ≤ ${ub.toPrecision(3)} (Clopper–Pearson, 95 %)\n`,
    );
  }
  return failing.length === 0 ? 0 : 1;
}

async function runCampaign(opts: { seeds: string; first: string; out?: string; shard?: string; maxFileSeconds?: string; files?: string[] }): Promise<number> {
  const count = parsePositiveInt('seeds', opts.seeds);
  const first = Number(opts.first);
  if (!Number.isSafeInteger(first) || first < 0) throw new Error(`--first must be a non-negative integer, got "${opts.first}"`);
  const shard = parseShard(opts.shard);
  const maxFileSeconds = opts.maxFileSeconds === undefined ? null : Number(opts.maxFileSeconds);
  if (maxFileSeconds !== null && !(maxFileSeconds > 0)) throw new Error(`--max-file-seconds must be > 0, got "${opts.maxFileSeconds}"`);
  const out = resolve(opts.out ?? join(ROOT, 'reports', `campaign-first${first}`));
  mkdirSync(out, { recursive: true });
  const done = new Set(readResults(out).map((r) => r.seed));
  const seeds: number[] = [];
  for (let k = 0; k < count; k++) if (k % shard.count === shard.index && !done.has(first + k)) seeds.push(first + k);
  process.stderr.write(`campaign: ${seeds.length} seed(s) to run (${done.size} already in ${relative(ROOT, out) || out}), first ${first}\n`);

  const { createVitest } = await import('vitest/node');
  delete process.env.COLLAPSE_TIER; // default tier only
  const vitest = await createVitest('test', { root: ROOT, run: true, watch: false, reporters: [], passWithNoTests: false });
  await vitest.standalone();
  let specs = await vitest.globTestSpecifications(opts.files ?? []);
  let note: string | null = opts.files ? `files: ${opts.files.join(' ')}` : null;
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('\ncampaign: interrupted; finishing the seed in progress is skipped, results so far are kept\n');
    void vitest.close().then(() => process.exit(130));
  });
  try {
    for (const [i, seed] of seeds.entries()) {
      if (interrupted) break;
      process.env.COLLAPSE_SEED = String(seed);
      const t0 = Date.now();
      const { testModules, unhandledErrors } = await vitest.runTestSpecifications(specs, true);
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const failures: Failure[] = [];
      const fileSeconds: Record<string, number> = {};
      for (const m of testModules) {
        const file = relative(ROOT, m.moduleId);
        fileSeconds[file] = m.diagnostic().duration / 1000;
        let n = 0;
        for (const t of m.children.allTests()) {
          n++;
          const r = t.result();
          if (r.state === 'passed') passed++;
          else if (r.state === 'failed') {
            failed++;
            failures.push({ file, test: t.fullName, message: (r.errors ?? []).map((e) => e.message ?? String(e)).join('; ') });
          } else skipped++;
        }
        if (n === 0 && m.state() === 'failed') {
          failed++;
          failures.push({ file, test: '(module failed to load)', message: (m.errors() ?? []).map((e) => e.message ?? String(e)).join('; ') });
        }
      }
      for (const e of unhandledErrors) {
        failed++;
        failures.push({ file: '(unhandled)', test: '(unhandled error)', message: e instanceof Error ? e.message : String(e) });
      }
      if (interrupted) break;
      const result: SeedResult = { seed, files: testModules.length, passed, failed, skipped, wallSeconds: (Date.now() - t0) / 1000, failures, ...(i === 0 ? { fileSeconds } : {}) };
      appendFileSync(join(out, 'results.jsonl'), JSON.stringify(result) + '\n');
      process.stderr.write(`seed ${seed} (${i + 1}/${seeds.length}): ${passed} passed, ${failed} failed, ${skipped} skipped, ${result.wallSeconds.toFixed(1)} s\n`);
      for (const f of failures) process.stderr.write(`  FAILED ${f.file} > ${f.test}\n    replay: ${replayLine(seed, f)}\n`);
      if (i === 0 && maxFileSeconds !== null) {
        const keep = new Set(Object.entries(fileSeconds).filter(([, s]) => s <= maxFileSeconds).map(([f]) => f));
        specs = specs.filter((s) => keep.has(relative(ROOT, s.moduleId)));
        note = `files of ≤ ${maxFileSeconds} s (measured on the first seed): ${keep.size} of ${Object.keys(fileSeconds).length}`;
        process.stderr.write(`campaign: ${note}\n`);
      }
    }
  } finally {
    await vitest.close();
  }
  return summarise(readResults(out), note);
}

interface SweepFailure {
  readonly file: string;
  readonly test: string;
  readonly seeds: readonly number[];
  readonly message: string;
}

interface SweepChunk {
  readonly firstSeed: number;
  readonly seeds: number;
  readonly tests: number;
  readonly wallSeconds: number;
  readonly failures: readonly SweepFailure[];
}

function readSweep(dir: string): SweepChunk[] {
  return readJsonLines<SweepChunk>(dir, 'sweep.jsonl');
}

function summariseSweep(chunks: readonly SweepChunk[], selection: string | null): number {
  const seeds = chunks.reduce((s, c) => s + c.seeds, 0);
  const wall = chunks.reduce((s, c) => s + c.wallSeconds, 0);
  const tests = chunks.length > 0 ? Math.min(...chunks.map((c) => c.tests)) : 0;
  process.stdout.write(`sweep: ${seeds} seed(s) × ${tests} test(s) in ${chunks.length} chunk(s), ${(wall / 60).toFixed(1)} min of runs\n`);
  if (selection) process.stdout.write(`${selection}\n`);
  const failingSeeds = new Set<number>();
  for (const c of chunks)
    for (const f of c.failures) {
      for (const seed of f.seeds) failingSeeds.add(seed);
      process.stdout.write(`  FAILED ${f.file} > ${f.test} at seed(s) ${f.seeds.join(', ')}\n    ${f.message.split('\n')[0]}\n`);
      for (const seed of f.seeds.slice(0, 3)) process.stdout.write(`    replay: ${replayLine(seed, f)}\n`);
    }
  if (seeds > 0) {
    const ub = binomialUpperBound(failingSeeds.size, seeds, 0.05);
    process.stdout.write(
      `unexpected results: ${failingSeeds.size} seed(s) of ${seeds}; per-seed failure probability of the swept tests ≤ ${ub.toPrecision(3)} (Clopper–Pearson, 95 %)\n`,
    );
  }
  return failingSeeds.size === 0 ? 0 : 1;
}

/** The seed sweep (see the header): measure at `first`, then chunks of repeats per seed. */
async function runSweep(opts: { sweepSeeds: string; first: string; out?: string; maxTestSeconds?: string; chunk: string; files?: string[] }): Promise<number> {
  const total = parsePositiveInt('sweep-seeds', opts.sweepSeeds);
  const chunk = parsePositiveInt('chunk', opts.chunk);
  const first = Number(opts.first);
  if (!Number.isSafeInteger(first) || first < 0) throw new Error(`--first must be a non-negative integer, got "${opts.first}"`);
  const maxTestSeconds = Number(opts.maxTestSeconds ?? '1');
  if (!(maxTestSeconds > 0)) throw new Error(`--max-test-seconds must be > 0, got "${opts.maxTestSeconds}"`);
  const out = resolve(opts.out ?? join(ROOT, 'reports', `sweep-first${first}`));
  mkdirSync(out, { recursive: true });
  const planFile = join(out, 'plan.json');

  const { createVitest } = await import('vitest/node');
  delete process.env.COLLAPSE_TIER; // default tier only
  delete process.env[SWEEP_ENV];
  const vitest = await createVitest('test', { root: ROOT, run: true, watch: false, reporters: [], passWithNoTests: false });
  await vitest.standalone();
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('\nsweep: interrupted; finished chunks are kept\n');
    void vitest.close().then(() => process.exit(130));
  });
  try {
    let plan: SweepPlan & { readonly selection: string; readonly repeatSafe?: boolean };
    if (existsSync(planFile)) plan = JSON.parse(readFileSync(planFile, 'utf8')) as typeof plan;
    else {
      process.env.COLLAPSE_SEED = String(first);
      const specs = await vitest.globTestSpecifications(opts.files ?? []);
      const { testModules } = await vitest.runTestSpecifications(specs, true);
      const tests: Record<string, string[]> = {};
      let kept = 0;
      let all = 0;
      for (const m of testModules)
        for (const t of m.children.allTests()) {
          all++;
          const ms = t.diagnostic()?.duration;
          if (t.result().state !== 'passed' || ms === undefined || ms > maxTestSeconds * 1000) continue;
          (tests[relative(ROOT, m.moduleId)] ??= []).push(seedlessName(t.fullName));
          kept++;
        }
      plan = { firstSeed: first, repeats: 0, tests, selection: `tests that passed in ≤ ${maxTestSeconds} s at seed ${first}: ${kept} of ${all}, in ${Object.keys(tests).length} files` };
      writeFileSync(planFile, JSON.stringify(plan) + '\n');
    }
    if (!('repeatSafe' in plan)) {
      // repeat-safety pass: three repeats under the first seed; a test that fails keeps state
      // between repeats (or depends on the order of repeats) and is left to the full-seed campaign
      const safetyFile = join(out, 'chunk-plan.json');
      writeFileSync(safetyFile, JSON.stringify({ firstSeed: first, repeats: 2, tests: plan.tests, sameSeed: true } satisfies SweepPlan));
      process.env[SWEEP_ENV] = safetyFile;
      process.env.COLLAPSE_SEED = String(first);
      const safetySpecs = await vitest.globTestSpecifications(Object.keys(plan.tests).map((f) => join(ROOT, f)));
      const { testModules } = await vitest.runTestSpecifications(safetySpecs, true);
      const unsafe: string[] = [];
      const tests: Record<string, string[]> = {};
      for (const m of testModules) {
        const file = relative(ROOT, m.moduleId);
        const failed = new Set([...m.children.allTests()].filter((t) => t.result().state === 'failed').map((t) => seedlessName(t.fullName)));
        for (const name of plan.tests[file] ?? []) {
          if (failed.has(name)) unsafe.push(`${file} > ${name}`);
          else (tests[file] ??= []).push(name);
        }
      }
      plan = { ...plan, tests, repeatSafe: true, selection: `${plan.selection}; ${unsafe.length} not repeatable in one worker (left to the full-seed campaign): ${unsafe.join(' | ') || 'none'}` };
      writeFileSync(planFile, JSON.stringify(plan) + '\n');
    }
    process.stderr.write(`sweep: ${plan.selection}\n`);
    const done = new Set(readSweep(out).map((c) => c.firstSeed));
    const files = Object.keys(plan.tests).map((f) => join(ROOT, f));
    const specs = await vitest.globTestSpecifications(files);
    for (let start = first; start < first + total; start += chunk) {
      if (interrupted) break;
      if (done.has(start)) continue;
      const n = Math.min(chunk, first + total - start);
      const chunkPlan: SweepPlan = { firstSeed: start, repeats: n - 1, tests: plan.tests };
      const chunkFile = join(out, 'chunk-plan.json');
      writeFileSync(chunkFile, JSON.stringify(chunkPlan));
      process.env[SWEEP_ENV] = chunkFile;
      process.env.COLLAPSE_SEED = String(start);
      const t0 = Date.now();
      const { testModules, unhandledErrors } = await vitest.runTestSpecifications(specs, true);
      const failures: SweepFailure[] = [];
      let tests = 0;
      for (const m of testModules) {
        const file = relative(ROOT, m.moduleId);
        for (const t of m.children.allTests()) {
          const r = t.result();
          if (r.state === 'skipped') continue;
          tests++;
          if (r.state === 'failed') {
            const seeds = ((t.meta() as { failedSeeds?: number[] }).failedSeeds ?? []).slice();
            failures.push({ file, test: seedlessName(t.fullName), seeds: seeds.length > 0 ? seeds : [start], message: (r.errors ?? []).map((e) => e.message ?? String(e)).join('; ') });
          }
        }
        if (m.state() === 'failed' && [...m.children.allTests()].length === 0)
          failures.push({ file, test: '(module failed to load)', seeds: [start], message: (m.errors() ?? []).map((e) => e.message ?? String(e)).join('; ') });
      }
      for (const e of unhandledErrors) failures.push({ file: '(unhandled)', test: '(unhandled error)', seeds: [start], message: e instanceof Error ? e.message : String(e) });
      if (interrupted) break;
      const rec: SweepChunk = { firstSeed: start, seeds: n, tests, wallSeconds: (Date.now() - t0) / 1000, failures };
      appendFileSync(join(out, 'sweep.jsonl'), JSON.stringify(rec) + '\n');
      process.stderr.write(`sweep chunk seeds ${start}…${start + n - 1}: ${tests} tests × ${n} seeds, ${failures.length} failed, ${rec.wallSeconds.toFixed(1)} s\n`);
      for (const f of failures) process.stderr.write(`  FAILED ${f.file} > ${f.test} at seed(s) ${f.seeds.join(', ')}\n    replay: ${replayLine(f.seeds[0] ?? start, f)}\n`);
    }
    delete process.env[SWEEP_ENV];
    return summariseSweep(readSweep(out), plan.selection);
  } finally {
    await vitest.close();
  }
}

const program = new Command()
  .name('campaign')
  .description('run the default test tier over many fresh seeds; report every failure with its replay line')
  .option('--seeds <n>', 'number of seeds', '50')
  .option('--first <seed>', 'first seed', '1000003')
  .option('--out <dir>', 'results directory (resumable); default reports/campaign-first<seed>')
  .option('--shard <i/n>', 'run the seeds k with k mod n = i−1')
  .option('--max-file-seconds <s>', 'after the first seed, run only files that took ≤ s seconds')
  .option('--files <paths...>', 'restrict to these test files (vitest filters)')
  .option('--merge <dirs...>', 'do not run: merge and summarise the results of these directories')
  .option('--sweep-seeds <n>', 'seed sweep: run every cheap test under n seeds, repeated inside one worker per chunk')
  .option('--max-test-seconds <s>', 'seed sweep: tests that passed in ≤ s seconds on the measuring run', '1')
  .option('--chunk <n>', 'seed sweep: seeds per vitest run', '50')
  .exitOverride();

try {
  program.parse(process.argv);
  const opts = program.opts();
  const code = opts.merge
    ? summarise((opts.merge as string[]).flatMap((d) => readResults(resolve(d))), `merged: ${(opts.merge as string[]).join(' ')}`)
    : opts.sweepSeeds !== undefined
      ? await runSweep(opts as never)
      : await runCampaign(opts as never);
  process.exit(code);
} catch (err) {
  if ((err as { code?: string }).code?.startsWith('commander.')) process.exit((err as { exitCode?: number }).exitCode === 0 ? 0 : 2);
  process.stderr.write(`campaign: ${(err as Error).message}\n`);
  process.exit(2);
}
