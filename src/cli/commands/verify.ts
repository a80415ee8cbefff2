/**
 * `collapse-check verify [--claim ID|GLOB ...] [--tier default|deep] [--seed N] [--json] [--out DIR]
 *  [--shard i/n] [--workers N]`
 *
 * Runs the SAME property files as `npm test` (one source of truth) through vitest's Node API
 * (`startVitest`), with COLLAPSE_LEDGER_DIR set so every `recordCheck(entry)` call in a property
 * writes a JSON line; afterwards the lines are collected, sorted and written as `ledger.json`
 * (byte-stable for a seed), with `run.json` (timings, commit, machine, budget split) beside it, and
 * the report rendered if src/report/render.ts exports `renderReport`.
 *
 * File selection: without --claim, vitest's own include list (every properties/**\/*.test.ts, as
 * `npm test`). With --claim, exactly the catalogue's property files of the selected claims
 * (src/claims/catalogue.ts: evidence and support files); the ledger then keeps only the selected
 * claims (and entries serving them via `alsoServes`). --shard is vitest's sharding; merge the shard directories with
 * `collapse-check merge`.
 *
 * Exit: 1 if any verdict differs from its expected one (src/ledger/judgement.ts: inconclusive and
 * weak included; a claim without entries only if the catalogue does not mark it pending; a shard
 * judges its entries only) or vitest reported a failed test; 2 for bad usage; else 0.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, humanWriter, progress } from '../io.ts';
import { parseSeed, seedFromEnv } from '../seed.ts';
import { checkOutputDir, createOutputDir, defaultReportDir } from '../output-dir.ts';
import { removeOnInterrupt } from '../interrupt.ts';
import { toJson } from '../../numerics/json.ts';
import { CLAIMS, claimPropertyFiles, isClaimId, propertyFilesForClaims, selectClaims } from '../../claims/registry.ts';
import type { Ledger } from '../../verdict/types.ts';
import { LEDGER_DIR_ENV } from '../../verdict/ledger-env.ts';
import { buildLedger, collectEntries, collectSpend } from '../../ledger/ledger.ts';
import { budgetLines, budgetShares, claimTable, jsonSummary } from '../../ledger/summary.ts';
import { describeUnexpected, pendingUnchecked, runExitCode, unexpectedVerdicts } from '../../ledger/judgement.ts';
import { writeLedgerFiles } from '../../ledger/output.ts';
import { renderReport } from '../../report/render.ts';
import { savedCounterexamples } from '../../fuzz/fixtures.ts';
import type { RunInfo } from '../../report/run-info.ts';
import { SUITE_FALSE_ALARM_BUDGET } from '../../statistics/budget.ts';
import { DEFAULT_RUN_SEED } from '../../verdict/engine.ts';
import { DEFAULT_REPLAY_TEMPLATE, gitCommit, machineInfo } from '../../report/run-info.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface VerifyOptions {
  claim?: string[];
  tier: string;
  seed?: string;
  json?: boolean;
  out?: string;
  shard?: string;
  workers?: string;
  dryRun?: boolean;
}

/** `--seed`, else COLLAPSE_SEED, else the default: one parser for every command (src/cli/seed.ts). */
function runSeedOption(raw: string | undefined): number {
  return raw !== undefined ? parseSeed(raw, '--seed') : seedFromEnv(DEFAULT_RUN_SEED);
}

function parseShard(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n, got "${raw}"`);
  return raw;
}

interface VitestSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
  files: number;
}

/** Minimal reporter: progress on stderr, counts, failure messages (vitest output never reaches stdout). */
function makeReporter(summary: VitestSummary, quietProgress: boolean) {
  let bar: ReturnType<typeof progress> | null = null;
  let done = 0;
  return {
    onTestRunStart(specs: ReadonlyArray<unknown>) {
      summary.files = specs.length;
      if (!quietProgress) bar = progress('verify', specs.length);
      bar?.tick(0);
    },
    onTestModuleEnd(mod: { moduleId: string }) {
      done++;
      bar?.tick(done, relative(PROJECT_ROOT, mod.moduleId));
    },
    onTestRunEnd(modules: ReadonlyArray<any>, unhandled: ReadonlyArray<unknown>) {
      bar?.end();
      for (const m of modules) {
        let count = 0;
        for (const t of m.children.allTests()) {
          count++;
          const r = t.result();
          if (r.state === 'passed') summary.passed++;
          else if (r.state === 'failed') {
            summary.failed++;
            const msg = (r.errors ?? []).map((e: { message?: string }) => e.message ?? String(e)).join('; ');
            summary.failures.push(`${relative(PROJECT_ROOT, m.moduleId)} > ${t.fullName}: ${msg}`);
          } else summary.skipped++;
        }
        if (count === 0 && m.state() === 'failed') {
          summary.failed++;
          const errs = (m.errors?.() ?? []).map((e: { message?: string }) => e.message ?? String(e)).join('; ');
          summary.failures.push(`${relative(PROJECT_ROOT, m.moduleId)}: failed to load ${errs}`);
        }
      }
      for (const e of unhandled) {
        summary.failed++;
        summary.failures.push(`unhandled error: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

function runLabel(seed: number, tier: string, shard: string | undefined): string {
  return `seed${seed}-${tier}${shard ? `-shard${shard.replace('/', 'of')}` : ''}`;
}

/** Entries recorded by a file the catalogue does not list under the entry's claim (or a claim it serves). */
function unlistedEvidence(ledger: Ledger): { file: string; claimId: string; check: string }[] {
  const out: { file: string; claimId: string; check: string }[] = [];
  for (const e of ledger.entries) {
    if (e.file === undefined) continue;
    for (const id of [e.claimId, ...(e.alsoServes ?? [])]) {
      if (isClaimId(id) && !claimPropertyFiles(id).includes(e.file)) out.push({ file: e.file, claimId: id, check: e.check });
    }
  }
  return out;
}

/** Nesting guard: a property that runs `verify` (the deep determinism self-test) may nest once. */
export const VERIFY_DEPTH_ENV = 'COLLAPSE_VERIFY_DEPTH';
export const MAX_VERIFY_DEPTH = 2;

export async function runVerify(opts: VerifyOptions, argv: string[]): Promise<number> {
  const human = humanWriter(Boolean(opts.json));
  const depth = Number(process.env[VERIFY_DEPTH_ENV] ?? 0) || 0;
  if (depth >= MAX_VERIFY_DEPTH) {
    throw new UsageError(`verify nested ${depth} deep inside verify runs: refused (a property file that runs verify was selected by its own claim?)`);
  }
  const tier = opts.tier;
  if (tier !== 'default' && tier !== 'deep') throw new UsageError(`--tier must be default or deep, got "${tier}"`);
  const seed = runSeedOption(opts.seed);
  const shard = parseShard(opts.shard);
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    workers = Number(opts.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers must be a positive integer, got "${opts.workers}"`);
  }
  let claimIds: string[] | undefined;
  try {
    claimIds = opts.claim && opts.claim.length ? selectClaims(opts.claim) : undefined;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let filters: string[] = [];
  if (claimIds) {
    filters = propertyFilesForClaims(claimIds);
    const unchecked = claimIds.filter((id) => claimPropertyFiles(id).length === 0);
    if (unchecked.length) human(`no property file in the catalogue for: ${unchecked.join(', ')} (reported as not-yet-checked)`);
  }

  // the output directory is checked before any work (issue 17 row 6); created after the run
  const started = new Date();
  const outDir = checkOutputDir(opts.out ?? defaultReportDir('verify', runLabel(seed, tier, shard), started));
  if (opts.dryRun) {
    const doc = { seed, tier, claims: claimIds ?? CLAIMS.map((c) => c.id), files: claimIds ? filters : 'all (vitest include list, as npm test)', shard: shard ?? null };
    human(`dry run: would run ${claimIds ? `${filters.length} file(s): ${filters.join(', ') || '(none)'}` : 'every property file'}; nothing run or written`);
    if (opts.json) process.stdout.write(toJson(doc) + '\n');
    return EXIT_OK;
  }
  const entryDir = mkdtempSync(join(tmpdir(), 'collapse-ledger-'));
  const stopCleanup = removeOnInterrupt(entryDir); // Ctrl-C leaves no temporary directory (issue 17 row 21)
  const summary: VitestSummary = { passed: 0, failed: 0, skipped: 0, failures: [], files: 0 };
  const saved = { dir: process.env[LEDGER_DIR_ENV], seed: process.env.COLLAPSE_SEED, tier: process.env.COLLAPSE_TIER };
  process.env[LEDGER_DIR_ENV] = entryDir;
  process.env[VERIFY_DEPTH_ENV] = String(depth + 1);
  process.env.COLLAPSE_SEED = String(seed);
  process.env.COLLAPSE_TIER = tier;
  human(`collapse-check verify: seed ${seed}, tier ${tier}${shard ? `, shard ${shard}` : ''}, ${claimIds ? `${claimIds.length} claim(s), ${filters.length} file(s)` : 'all property files (as npm test)'}`);
  try {
    if (!claimIds || filters.length > 0) {
      const { startVitest } = await import('vitest/node');
      const savedExit = process.exitCode;
      const vitest = await startVitest('test', filters, {
        root: PROJECT_ROOT,
        run: true,
        watch: false,
        reporters: [makeReporter(summary, false) as never],
        ...(shard ? { shard } : {}),
        ...(workers ? { maxWorkers: workers } : {}),
        passWithNoTests: true,
      });
      if (!vitest) throw new Error('vitest did not start (see messages above)');
      if (summary.files === 0 && !claimIds) throw new Error('vitest ran no test file');
      await vitest.close();
      process.exitCode = savedExit;
    }
  } finally {
    if (saved.dir === undefined) delete process.env[LEDGER_DIR_ENV];
    else process.env[LEDGER_DIR_ENV] = saved.dir;
    if (saved.seed === undefined) delete process.env.COLLAPSE_SEED;
    else process.env.COLLAPSE_SEED = saved.seed;
    if (saved.tier === undefined) delete process.env.COLLAPSE_TIER;
    else process.env.COLLAPSE_TIER = saved.tier;
    if (depth === 0) delete process.env[VERIFY_DEPTH_ENV];
    else process.env[VERIFY_DEPTH_ENV] = String(depth);
  }
  const finished = new Date();
  const entries = collectEntries(entryDir);
  const spend = collectSpend(entryDir);
  const outsideSpend = spend.reduce((a, x) => a + x.delta, 0);
  rmSync(entryDir, { recursive: true, force: true });
  stopCleanup();
  const ledger = buildLedger({ seed, tier, budget: SUITE_FALSE_ALARM_BUDGET, entries, ...(claimIds ? { claimIds } : {}) });
  const git = gitCommit(PROJECT_ROOT);
  const run = {
    seed,
    commit: git.commit,
    dirty: git.dirty,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (finished.getTime() - started.getTime()) / 1000,
    nodeVersion: process.version,
    machine: machineInfo(),
    tier,
    commandLine: ['collapse-check', ...argv].join(' '),
    budget: {
      total: SUITE_FALSE_ALARM_BUDGET,
      split: [...budgetShares(ledger), ...spend.map((x) => ({ label: `outside the ledger: ${x.label}`, delta: x.delta, note: 'declared with recordSpend' }))],
      spentByLedger: ledger.entries.reduce((a, e) => a + e.delta, 0),
      spentOutsideLedger: outsideSpend,
    },
    ...(shard ? { shard } : {}),
    replayTemplate: DEFAULT_REPLAY_TEMPLATE,
    claims: claimIds ?? CLAIMS.map((c) => c.id),
    files: filters.length ? filters : 'all',
    vitest: summary,
  };
  createOutputDir(outDir);
  const { ledgerPath } = writeLedgerFiles(outDir, ledger, run);
  // the ledger is written first: a rendering failure (an internal error, exit 1) loses no evidence
  const rendered = await renderReport(ledger, run as RunInfo, outDir, { counterexamples: savedCounterexamples(PROJECT_ROOT) }).catch((err: unknown) => ({ failed: err instanceof Error ? err.message : String(err) }));

  for (const l of claimTable(ledger)) human(l);
  human('');
  for (const l of budgetLines(ledger)) human(l);
  human(`declared spend of statistical assertions outside the ledger (recordSpend): ${outsideSpend.toExponential(2)} over ${spend.length} declaration(s); total ${(outsideSpend + ledger.entries.reduce((a, e) => a + e.delta, 0)).toExponential(2)} of ${SUITE_FALSE_ALARM_BUDGET.toExponential(0)}`);
  human(`vitest: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped (${summary.files} file(s)), wall ${run.wallSeconds.toFixed(1)} s`);
  for (const f of summary.failures.slice(0, 20)) human(`  FAILED ${f.split('\n')[0]}`);
  const judged = { partial: shard !== undefined, failedTests: summary.failed };
  const unexpected = unexpectedVerdicts(ledger, judged);
  for (const u of unexpected) {
    const e = u.check !== null ? ledger.entries.find((x) => x.claimId === u.claimId && x.check === u.check) : undefined;
    const cx = e?.counterexample;
    human(`  UNEXPECTED ${describeUnexpected(u)}${cx ? ` — ${cx.message} (replay: COLLAPSE_SEED=${cx.seed} path ${cx.path})` : ''}`);
  }
  const pending = pendingUnchecked(ledger);
  if (pending.length) human(`pending (no check yet, allowed by the catalogue): ${pending.join(', ')}`);
  for (const u of unlistedEvidence(ledger)) human(`catalogue: ${u.file} recorded ${u.claimId} / ${u.check} but is not listed under ${u.claimId} in src/claims/catalogue.ts`);
  if (shard) human(`shard ${shard}: claims without entries are judged by merge, not here`);
  human(`ledger: ${ledgerPath}`);
  if ('failed' in rendered) human(`report: rendering failed (${rendered.failed.split('\n')[0]}); ledger.json and run.json are written`);
  else human(`report: ${join(outDir, 'report.md')}, ${join(outDir, 'index.html')} (${rendered.files.length} files)`);

  const code = runExitCode(ledger, judged) === 1 || 'failed' in rendered ? EXIT_CHECK_FAILED : EXIT_OK;
  if (opts.json) process.stdout.write(toJson(jsonSummary(ledger, { out: outDir, exitCode: code, unexpected, pending, vitest: { passed: summary.passed, failed: summary.failed, skipped: summary.skipped } })) + '\n');
  return code;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description(COMMAND_SUMMARIES.verify)
    .option('--claim <ids...>', 'claim ids or globs (e.g. P1-3.* D-?)')
    .option('--tier <tier>', 'default | deep', 'default')
    .option('--seed <n>', 'global seed (default COLLAPSE_SEED or 20260226)')
    .option('--json', 'one JSON document on stdout, human text on stderr')
    .option('--out <dir>', 'output directory (default reports/verify-seed<seed>-<tier>-<time>/ under the current directory)')
    .option('--shard <i/n>', "vitest's sharding: run part i of n")
    .option('--workers <n>', 'vitest worker count (default from vitest.config.ts)')
    .option('--dry-run', 'print the selected claims and property files; run and write nothing')
    .action(async (opts: VerifyOptions) => {
      setExit(await runVerify(opts, process.argv.slice(2)));
    });
}
