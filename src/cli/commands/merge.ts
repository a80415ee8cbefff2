/**
 * `collapse-check merge DIR... [--out DIR] [--junit FILE] [--json]`: joins the ledgers of `verify --shard i/n`
 * runs (each DIR holds a ledger.json, or is the ledger.json itself) into one ledger (same seed and
 * tier required), writes ledger.json + run.json (shards' run.json summarised) and the report.
 * The merged ledger.json equals the unsharded run's byte for byte (src/ledger/ledger.ts).
 * Exit: 0, or 1 if any verdict differs from its expected one (src/ledger/judgement.ts, whole-run
 * rules: unchecked claims not marked pending fail too) or a shard recorded vitest failures, 2 on bad
 * input, before anything is written: a ledger.json or run.json that is missing, not a regular file,
 * too large, not JSON, or fails its schema (src/ledger/schema.ts: the field is named); seeds, tiers
 * or budgets that differ; a shard missing, given twice, or of a different count n (run.json records
 * `shard: "i/n"`; src/ledger/shards.ts); duplicate checks; an output directory that cannot be
 * written or is one of the inputs; a --junit FILE that is a directory or cannot be created.
 * CI outputs (src/report/ci-outputs.ts, shared with verify): --junit FILE writes the JUnit XML; when
 * GITHUB_STEP_SUMMARY is set, the Markdown summary is appended to that file.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeCiOutputs } from '../../report/ci-outputs.ts';
import { BadInput } from '../errors.ts';
import { dirname, join, resolve } from 'node:path';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, humanWriter, terminalSafe } from '../io.ts';
import { checkOutputDir, createOutputDir, defaultReportDir } from '../output-dir.ts';
import { toJson } from '../../numerics/json.ts';
import { mergeLedgers } from '../../ledger/ledger.ts';
import { checkLedgerText, checkRunText } from '../../ledger/schema.ts';
import { shardSetProblem, type MergeInput } from '../../ledger/shards.ts';
import { budgetLines, budgetShares, claimTable, jsonSummary } from '../../ledger/summary.ts';
import { describeUnexpected, pendingUnchecked, runExitCode, unexpectedVerdicts } from '../../ledger/judgement.ts';
import { writeLedgerFiles } from '../../ledger/output.ts';
import { fileURLToPath } from 'node:url';
import { replayLine } from '../../report/replay.ts';
import { savedCounterexamples } from '../../fuzz/fixtures.ts';
import type { RunInfo } from '../../report/run-info.ts';
import { SUITE_FALSE_ALARM_BUDGET } from '../../statistics/budget.ts';
import { DEFAULT_REPLAY_TEMPLATE, gitCommit, machineInfo } from '../../report/run-info.ts';
import type { Ledger } from '../../verdict/types.ts';

interface ShardRun {
  startedAt?: string;
  finishedAt?: string;
  wallSeconds?: number;
  shard?: string;
  commit?: string;
  vitest?: { passed: number; failed: number; skipped: number; failures?: string[] };
  budget?: { spentOutsideLedger?: number };
}

/** Largest ledger.json / run.json merge reads (a full deep-tier ledger is a few MB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads a regular file of bounded size, or throws BadInput naming it. */
function readInput(file: string, what: string): string {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`merge: ${terminalSafe(file)}: ${what} not found (each input is a verify output directory with ledger.json and run.json, or its ledger.json)`);
  }
  if (!st.isFile()) throw new UsageError(`merge: ${terminalSafe(file)}: ${what} is not a regular file`);
  if (st.size > MAX_INPUT_BYTES) throw new UsageError(`merge: ${terminalSafe(file)}: ${what} is ${st.size} bytes, above the ${MAX_INPUT_BYTES}-byte limit`);
  return readFileSync(file, 'utf8');
}

/**
 * Reads and validates every input (ledger.json against its schema, run.json's seed/tier/shard),
 * then checks that they form one complete run: throws BadInput (one line, file and field) on the
 * first problem. Nothing is written here.
 */
export function readMergeInputs(dirs: readonly string[]): { inputs: MergeInput[]; runs: ShardRun[] } {
  const inputs: MergeInput[] = [];
  const runs: ShardRun[] = [];
  for (const d of dirs) {
    const p = resolve(d);
    const file = existsSync(p) && statSync(p).isDirectory() ? join(p, 'ledger.json') : p;
    const ledger = checkLedgerText(readInput(file, 'ledger.json'));
    if (!ledger.ok) throw new UsageError(`merge: ${terminalSafe(file)}: ${terminalSafe(ledger.problem)}`);
    const runFile = join(dirname(file), 'run.json');
    const runText = readInput(runFile, 'run.json (it records the seed, tier and shard i/n)');
    const run = checkRunText(runText);
    if (!run.ok) throw new UsageError(`merge: ${terminalSafe(runFile)}: ${terminalSafe(run.problem)}`);
    inputs.push({ file, runFile, ledger: ledger.value, run: run.value });
    runs.push(JSON.parse(runText) as ShardRun);
  }
  const problem = shardSetProblem(inputs);
  if (problem !== null) throw new UsageError(`merge: ${terminalSafe(problem)}`);
  return { inputs, runs };
}

/**
 * Checks a `--junit FILE` path before any work (issue 17 row 6 for output paths): not empty, not an
 * existing directory, and its directory exists and is writable or can be created (checkOutputDir on
 * the parent, nothing left behind). Returns the absolute path; throws BadInput (exit 2). Used by
 * verify and merge.
 */
export function checkJunitPath(raw: string, flag = '--junit'): string {
  if (raw.trim() === '') throw new BadInput(`${flag} must name a file, got an empty string`);
  const abs = resolve(raw);
  let st: ReturnType<typeof statSync> | null = null;
  try {
    st = statSync(abs);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new BadInput(`${flag} "${terminalSafe(raw)}" is a directory: give a file name for the JUnit XML`);
  try {
    checkOutputDir(dirname(abs), `${flag} directory`);
  } catch (err) {
    if (err instanceof BadInput) throw new BadInput(`${flag} "${terminalSafe(raw)}": the file cannot be created there (${err.message})`);
    throw err;
  }
  return abs;
}

/** Creates the --junit file's directory (checked by checkJunitPath) before the file is written. */
export function prepareJunitPath(abs: string | undefined): void {
  if (abs !== undefined) createOutputDir(dirname(abs));
}

export async function runMerge(dirs: string[], opts: { out?: string; json?: boolean; junit?: string }, argv: string[]): Promise<number> {
  const human = humanWriter(Boolean(opts.json));
  if (dirs.length === 0) throw new UsageError('merge: give at least one shard directory');
  // every check before any write: the output paths, inputs, their completeness
  const junitPath = opts.junit !== undefined ? checkJunitPath(opts.junit) : undefined;
  const { inputs, runs } = readMergeInputs(dirs);
  let ledger: Ledger;
  try {
    ledger = mergeLedgers(inputs.map((x) => x.ledger));
  } catch (err) {
    throw new UsageError(`merge: ${terminalSafe((err as Error).message)}`);
  }
  const outDir = checkOutputDir(opts.out ?? defaultReportDir('merge', `seed${ledger.seed}-${ledger.tier}`));
  for (const x of inputs) {
    if (resolve(dirname(x.file)) === outDir) throw new UsageError(`merge: --out ${terminalSafe(outDir)} is an input directory: its ledger.json would be overwritten`);
  }
  const git = gitCommit();
  const starts = runs.map((r) => r.startedAt).filter((x): x is string => typeof x === 'string').sort();
  const ends = runs.map((r) => r.finishedAt).filter((x): x is string => typeof x === 'string').sort();
  const vitest = runs.reduce((s, r) => ({ passed: s.passed + (r.vitest?.passed ?? 0), failed: s.failed + (r.vitest?.failed ?? 0), skipped: s.skipped + (r.vitest?.skipped ?? 0) }), { passed: 0, failed: 0, skipped: 0 });
  const run = {
    seed: ledger.seed,
    commit: runs[0]?.commit ?? git.commit,
    startedAt: starts[0] ?? new Date().toISOString(),
    finishedAt: ends[ends.length - 1] ?? new Date().toISOString(),
    wallSeconds: Math.max(0, ...runs.map((r) => r.wallSeconds ?? 0)),
    nodeVersion: process.version,
    machine: machineInfo(),
    tier: ledger.tier,
    commandLine: ['collapse-check', ...argv].join(' '),
    budget: {
      total: SUITE_FALSE_ALARM_BUDGET,
      split: budgetShares(ledger),
      spentByLedger: ledger.entries.reduce((a, e) => a + e.delta, 0),
      spentOutsideLedger: runs.reduce((a, r) => a + (r.budget?.spentOutsideLedger ?? 0), 0),
    },
    replayTemplate: DEFAULT_REPLAY_TEMPLATE,
    shards: runs.map((r) => ({ shard: r.shard ?? null, wallSeconds: r.wallSeconds ?? null, vitest: r.vitest ?? null })),
    vitest,
  };
  createOutputDir(outDir);
  const { ledgerPath } = writeLedgerFiles(outDir, ledger, run);
  const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
  // loaded here, not at start-up: the renderer pulls in vega (≈ 1 s), which bad input never needs
  // (and verify imports checkJunitPath from this module without paying for it)
  const { renderReport } = await import('../../report/render.ts');
  const rendered = await renderReport(ledger, run as unknown as RunInfo, outDir, { counterexamples: savedCounterexamples(projectRoot) }).catch((err: unknown) => ({ failed: err instanceof Error ? err.message : String(err) }));
  human(`collapse-check merge: ${dirs.length} shard(s), seed ${ledger.seed}, tier ${ledger.tier}`);
  for (const l of claimTable(ledger)) human(l);
  human('');
  for (const l of budgetLines(ledger)) human(l);
  human(`vitest (all shards): ${vitest.passed} passed, ${vitest.failed} failed, ${vitest.skipped} skipped`);
  human(`ledger: ${ledgerPath}`);
  human('failed' in rendered ? `report: rendering failed (${rendered.failed.split('\n')[0]}); ledger.json and run.json are written` : `report: ${join(outDir, 'report.md')} (${rendered.files.length} files)`);
  prepareJunitPath(junitPath);
  const ci = writeCiOutputs({ ledger, env: process.env, run: { commit: run.commit, startedAt: run.startedAt }, ...(junitPath !== undefined ? { junitPath } : {}) });
  if (ci.junit) human(`junit: ${ci.junit}`);
  if (ci.stepSummary) human(`step summary appended to ${ci.stepSummary}`);
  const unexpected = unexpectedVerdicts(ledger);
  for (const u of unexpected) {
    const e = u.check !== null ? ledger.entries.find((x) => x.claimId === u.claimId && x.check === u.check) : undefined;
    human(`  UNEXPECTED ${describeUnexpected(u)}${e ? ` — replay alone: ${replayLine(e)}` : ''}`);
  }
  const pending = pendingUnchecked(ledger);
  if (pending.length) human(`pending (no check yet, allowed by the catalogue): ${pending.join(', ')}`);
  const code = runExitCode(ledger, { failedTests: vitest.failed }) === 1 || 'failed' in rendered ? EXIT_CHECK_FAILED : EXIT_OK;
  if (opts.json) process.stdout.write(toJson(jsonSummary(ledger, { out: outDir, exitCode: code, unexpected, pending, shards: dirs.length, ...(ci.junit ? { junit: ci.junit } : {}) })) + '\n');
  return code;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description(COMMAND_SUMMARIES.merge)
    .argument('<dirs...>', 'shard output directories (or their ledger.json files)')
    .option('--out <dir>', 'output directory (default: reports/merge-seed<seed>-<tier>-<time>/ under the current directory)')
    .option('--junit <file>', 'also write JUnit XML (one testsuite per claim, one testcase per check); with GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file')
    .option('--json', 'one JSON document on stdout, human text on stderr')
    .action(async (dirs: string[], opts: { out?: string; json?: boolean; junit?: string }) => {
      setExit(await runMerge(dirs, opts, process.argv.slice(2)));
    });
}
