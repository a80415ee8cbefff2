/**
 * `collapse-check verify [--claim ID|GLOB ...] [--claims FILE-GLOB ...] [--only-user-claims]
 *  [--tier default|deep] [--seed N] [--json] [--out DIR] [--shard i/n] [--workers N]`
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
 * User claims (issue 16; src/claims/user-claims.ts, docs/writing-a-claim.md): `--claims GLOB`
 * (repeatable; else the key `claims` of collapse-check.config.json) loads the user's claim files,
 * validated at the boundary (bad record, id colliding with a built-in or another file's: exit 2).
 * Their checks run in this process through the same verdict engine (`checkProperty`, the run's
 * seed), their entries join the ledger (sorted after the catalogue's), each claim gets a summary
 * like a catalogue claim's and the same judgement; `--only-user-claims` skips the built-in suite.
 * `--claim` patterns select among built-in and user ids. Sharding: the k-th selected claim file
 * (sorted by path) runs in shard (k mod n) + 1.
 *
 * A shard run shows a claim whose property files all ran in other shards (or, for a user claim,
 * whose file belongs to another shard) as `in another shard` in its table, its --json (`status`) and
 * a note in its report; it exits by the judgement of its own entries (rule 1 of judgement.ts).
 *
 * Exit: 1 if any verdict differs from its expected one (src/ledger/judgement.ts: inconclusive and
 * weak included; a claim without entries only if the catalogue does not mark it pending; a shard
 * judges its entries only) or vitest reported a failed test or a user check threw; 2 for bad usage
 * or a bad claim file; else 0.
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
import { CLAIMS, claimPropertyFiles, isClaimId, propertyFilesForClaims } from '../../claims/registry.ts';
import { UserClaimError, configClaimPatterns, expandClaimGlobs, loadUserClaims, userClaimShard, type LoadedUserClaim } from '../../claims/user-claims.ts';
import type { ClaimSummary, Ledger, LedgerEntry } from '../../verdict/types.ts';
import { checkProperty, type CheckSpec } from '../../verdict/engine.ts';
import { LEDGER_DIR_ENV } from '../../verdict/ledger-env.ts';
import { buildLedger, collectEntries, collectSpend, rollUpSummary, sortEntries } from '../../ledger/ledger.ts';
import { claimDelta } from '../../statistics/budget.ts';
import { catalogueClaims, type ClaimInfo, type ClaimLookup } from '../../report/claims.ts';
import { budgetLines, budgetShares, claimTable, jsonSummary, IN_ANOTHER_SHARD } from '../../ledger/summary.ts';
import { describeUnexpected, pendingUnchecked, runExitCode, unexpectedVerdicts } from '../../ledger/judgement.ts';
import { writeLedgerFiles } from '../../ledger/output.ts';
import { writeCiOutputs } from '../../report/ci-outputs.ts';
import { replayLine } from '../../report/replay.ts';
import { checkJunitPath, prepareJunitPath } from './merge.ts';
import { savedCounterexamples } from '../../fuzz/fixtures.ts';
import type { RunInfo } from '../../report/run-info.ts';
import { SUITE_FALSE_ALARM_BUDGET } from '../../statistics/budget.ts';
import { DEFAULT_RUN_SEED } from '../../verdict/engine.ts';
import { DEFAULT_REPLAY_TEMPLATE, gitCommit, machineInfo } from '../../report/run-info.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface VerifyOptions {
  claim?: string[];
  /** globs of the user's claim files (src/claims/user-claims.ts) */
  claims?: string[];
  onlyUserClaims?: boolean;
  tier: string;
  seed?: string;
  json?: boolean;
  out?: string;
  shard?: string;
  workers?: string;
  dryRun?: boolean;
  junit?: string;
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

/**
 * Minimal reporter: progress on stderr, counts, failure messages (vitest output never reaches
 * stdout); `ran` receives the project-relative files vitest runs. Under --shard, vitest passes
 * every selected file to onTestRunStart and shards afterwards: the files of this shard are the
 * modules it queues and reports at the end (`summary.files` is their count).
 */
function makeReporter(summary: VitestSummary, quietProgress: boolean, ran?: Set<string>) {
  let bar: ReturnType<typeof progress> | null = null;
  let done = 0;
  return {
    onTestRunStart(specs: ReadonlyArray<unknown>) {
      summary.files = specs.length;
      if (!quietProgress) bar = progress('verify', specs.length);
      bar?.tick(0);
    },
    onTestModuleQueued(mod: { moduleId: string }) {
      ran?.add(relative(PROJECT_ROOT, mod.moduleId).split('\\').join('/'));
    },
    onTestModuleEnd(mod: { moduleId: string }) {
      ran?.add(relative(PROJECT_ROOT, mod.moduleId).split('\\').join('/'));
      done++;
      bar?.tick(done, relative(PROJECT_ROOT, mod.moduleId));
    },
    onTestRunEnd(modules: ReadonlyArray<any>, unhandled: ReadonlyArray<unknown>) {
      bar?.end();
      summary.files = modules.length;
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

// ---------- user claims (src/claims/user-claims.ts) ----------

/** The user's claim files: `--claims` globs, else collapse-check.config.json's `claims`; loaded and validated. */
async function userClaimsOf(opts: VerifyOptions, cwd: string): Promise<{ patterns: string[]; claims: LoadedUserClaim[] }> {
  try {
    const patterns = opts.claims && opts.claims.length ? opts.claims : configClaimPatterns(cwd);
    if (opts.onlyUserClaims && patterns.length === 0) throw new UserClaimError('--only-user-claims: no claim files given (use --claims GLOB or the key "claims" of collapse-check.config.json)');
    return { patterns, claims: await loadUserClaims(expandClaimGlobs(patterns, cwd), cwd) };
  } catch (err) {
    if (err instanceof UserClaimError) throw new UsageError(err.message);
    throw err;
  }
}

/** `*` any run of characters, `?` one; case-insensitive (as src/claims/registry.ts selectClaims). */
function idPattern(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
}

/**
 * `--claim` patterns over built-in and user ids: built-in ids to run (undefined = every one, the
 * vitest include list) and the selected user claims. A pattern that matches nothing is bad usage.
 */
function selectClaimIds(patterns: readonly string[] | undefined, user: readonly LoadedUserClaim[], onlyUser: boolean): { builtin: string[] | undefined; user: LoadedUserClaim[] } {
  const builtinIds = onlyUser ? [] : CLAIMS.map((c) => c.id);
  if (!patterns || patterns.length === 0) return { builtin: onlyUser ? [] : undefined, user: [...user] };
  const b = new Set<string>();
  const u = new Set<LoadedUserClaim>();
  for (const p of patterns) {
    const re = idPattern(p);
    const hitsB = builtinIds.filter((id) => re.test(id));
    const hitsU = user.filter((x) => re.test(x.claim.id));
    if (hitsB.length + hitsU.length === 0) throw new UsageError(`--claim ${p}: matches no claim id (known: ${[...builtinIds, ...user.map((x) => x.claim.id)].join(', ')})`);
    for (const h of hitsB) b.add(h);
    for (const h of hitsU) u.add(h);
  }
  return { builtin: builtinIds.filter((id) => b.has(id)), user: user.filter((x) => u.has(x)) };
}

/**
 * Runs the checks of the given user claims through the verdict engine with the run's seed: one
 * ledger entry per check (its `file` the claim file). A check whose evaluation throws is a bug of
 * the check, not evidence: no entry, one failure line (the run fails, as a failed vitest test does).
 */
function runUserClaims(claims: readonly LoadedUserClaim[], seed: number, human: (l: string) => void): { entries: LedgerEntry[]; failures: string[] } {
  const entries: LedgerEntry[] = [];
  const failures: string[] = [];
  const total = claims.reduce((a, u) => a + u.claim.checks.length, 0);
  if (total === 0) return { entries, failures };
  const bar = progress('user claims', total);
  let done = 0;
  for (const u of claims) {
    for (const c of u.claim.checks) {
      const spec = { ...c, claimId: u.claim.id, expected: c.expected ?? u.claim.expected, seed } as unknown as CheckSpec<unknown>;
      try {
        entries.push({ ...checkProperty(spec).entry, file: u.file });
      } catch (err) {
        failures.push(`${u.file} > ${u.claim.id} / ${c.check}: ${err instanceof Error ? err.message : String(err)}`);
      }
      bar.tick(++done, u.claim.id);
    }
  }
  bar.end();
  human(`user claims: ${claims.length} claim(s), ${total} check(s) run`);
  return { entries, failures };
}

/** A user claim's summary, rolled up from its entries as src/ledger/ledger.ts `summarise` does for catalogue claims. */
/** A user claim's summary: its record, with verdict, counts, δ, power and margin rolled up from its entries (src/ledger/ledger.ts). */
function userClaimSummary(u: LoadedUserClaim, entries: readonly LedgerEntry[]): ClaimSummary {
  const record: ClaimSummary = {
    id: u.claim.id,
    title: u.claim.title ?? u.claim.id,
    statement: u.claim.statement,
    source: u.claim.source,
    expected: u.claim.expected,
    verdict: 'not-yet-checked',
    checks: 0,
    cases: 0,
    delta: 0,
    allocation: claimDelta(u.claim.id),
    power: null,
    worstMargin: null,
    assumptions: [...u.claim.assumptions],
    oracle: u.claim.oracle ?? '(user claim: see its claim file)',
    propertyFiles: [u.file],
  };
  return rollUpSummary(record, entries);
}

/** The report's claim metadata: the catalogue's, then the user claims' (no vitest replay line: they are not vitest files). */
function reportClaims(user: readonly LoadedUserClaim[], warning: string | null): ClaimLookup {
  const claims = new Map<string, ClaimInfo>(catalogueClaims().claims);
  for (const u of user) {
    claims.set(u.claim.id, {
      id: u.claim.id,
      title: u.claim.title ?? u.claim.id,
      statement: u.claim.statement,
      source: `${u.claim.source} (user claim file ${u.file})`,
      expected: u.claim.expected,
      assumptions: u.claim.assumptions,
      ...(u.claim.oracle ? { oracle: u.claim.oracle } : {}),
    });
  }
  return { claims, warning };
}

/** Shell-quoted word (single quotes), for the replay command of a run with --claims. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./*?{},=:@%+-]+$/.test(s) && !/[*?{]/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
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
  const cwd = process.cwd();
  const user = await userClaimsOf(opts, cwd);
  const selected = selectClaimIds(opts.claim, user.claims, Boolean(opts.onlyUserClaims));
  const claimIds = selected.builtin;
  const shardParts = shard ? shard.split('/').map(Number) : null;
  // the k-th selected claim file (sorted by path) runs in shard (k mod n) + 1
  const userHere = shardParts ? selected.user.filter((_, k) => userClaimShard(k, shardParts[1]!) === shardParts[0]) : selected.user;
  let filters: string[] = [];
  if (claimIds) {
    filters = propertyFilesForClaims(claimIds);
    const unchecked = claimIds.filter((id) => claimPropertyFiles(id).length === 0);
    if (unchecked.length) human(`no property file in the catalogue for: ${unchecked.join(', ')} (reported as not-yet-checked)`);
  }

  // the output directory is checked before any work (issue 17 row 6); created after the run
  const started = new Date();
  const outDir = checkOutputDir(opts.out ?? defaultReportDir('verify', runLabel(seed, tier, shard), started));
  const junitPath = opts.junit !== undefined ? checkJunitPath(opts.junit) : undefined;
  if (opts.dryRun) {
    const doc = {
      seed,
      tier,
      claims: [...(claimIds ?? CLAIMS.map((c) => c.id)), ...selected.user.map((u) => u.claim.id)],
      files: claimIds ? filters : 'all (vitest include list, as npm test)',
      userClaimFiles: userHere.map((u) => u.file),
      shard: shard ?? null,
    };
    human(`dry run: would run ${claimIds ? `${filters.length} file(s): ${filters.join(', ') || '(none)'}` : 'every property file'}${selected.user.length ? ` and ${userHere.length} user claim file(s)${userHere.length ? `: ${userHere.map((u) => u.file).join(', ')}` : ''}` : ''}; nothing run or written`);
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
  human(`collapse-check verify: seed ${seed}, tier ${tier}${shard ? `, shard ${shard}` : ''}, ${claimIds ? `${claimIds.length} claim(s), ${filters.length} file(s)` : 'all property files (as npm test)'}${selected.user.length ? `; user claims: ${userHere.length} of ${selected.user.length} file(s) in this run` : ''}`);
  const ran = new Set<string>();
  let userRun: { entries: LedgerEntry[]; failures: string[] } = { entries: [], failures: [] };
  try {
    if (!claimIds || filters.length > 0) {
      const { startVitest } = await import('vitest/node');
      const savedExit = process.exitCode;
      const vitest = await startVitest('test', filters, {
        root: PROJECT_ROOT,
        run: true,
        watch: false,
        reporters: [makeReporter(summary, false, ran) as never],
        ...(shard ? { shard } : {}),
        ...(workers ? { maxWorkers: workers } : {}),
        passWithNoTests: true,
      });
      if (!vitest) throw new Error('vitest did not start (see messages above)');
      if (summary.files === 0 && !claimIds && !shard) throw new Error('vitest ran no test file');
      await vitest.close();
      process.exitCode = savedExit;
    }
    userRun = runUserClaims(userHere, seed, human);
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
  const builtinLedger = buildLedger({ seed, tier, budget: SUITE_FALSE_ALARM_BUDGET, entries, ...(claimIds ? { claimIds } : {}) });
  // user claims: entries after the catalogue's (sortEntries), one summary per selected user claim
  const ledger: Ledger = selected.user.length
    ? { ...builtinLedger, entries: sortEntries([...builtinLedger.entries, ...userRun.entries]), claims: [...(builtinLedger.claims ?? []), ...selected.user.map((u) => userClaimSummary(u, userRun.entries))] }
    : builtinLedger;
  // a shard run: claims whose checks all run in other shards are shown `in another shard`
  const inAnotherShard = new Set<string>();
  if (shard) {
    for (const id of claimIds ?? CLAIMS.map((c) => c.id)) {
      const files = claimPropertyFiles(id);
      if (files.length > 0 && !files.some((f) => ran.has(f))) inAnotherShard.add(id);
    }
    for (const u of selected.user) if (!userHere.includes(u)) inAnotherShard.add(u.claim.id);
  }
  const shownElsewhere = (ledger.claims ?? []).filter((c) => c.checks === 0 && inAnotherShard.has(c.id)).map((c) => c.id);
  const failures = [...summary.failures, ...userRun.failures];
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
    commandLine: ['collapse-check', ...argv.map(shellWord)].join(' '),
    budget: {
      total: SUITE_FALSE_ALARM_BUDGET,
      split: [...budgetShares(ledger), ...spend.map((x) => ({ label: `outside the ledger: ${x.label}`, delta: x.delta, note: 'declared with recordSpend' }))],
      spentByLedger: ledger.entries.reduce((a, e) => a + e.delta, 0),
      spentOutsideLedger: outsideSpend,
    },
    ...(shard ? { shard } : {}),
    replayTemplate: opts.claims && opts.claims.length ? DEFAULT_REPLAY_TEMPLATE.replace(' --claim ', ` ${user.patterns.map((p) => `--claims ${shellWord(p)}`).join(' ')} --claim `) : DEFAULT_REPLAY_TEMPLATE,
    claims: [...(claimIds ?? CLAIMS.map((c) => c.id)), ...selected.user.map((u) => u.claim.id)],
    files: filters.length ? filters : claimIds ? [] : 'all',
    ...(selected.user.length ? { userClaims: { files: userHere.map((u) => u.file), failures: userRun.failures } } : {}),
    ...(shownElsewhere.length ? { inAnotherShard: shownElsewhere } : {}),
    vitest: summary,
  };
  createOutputDir(outDir);
  const { ledgerPath } = writeLedgerFiles(outDir, ledger, run);
  // the ledger is written first: a rendering failure (an internal error, exit 1) loses no evidence
  const shardNote = shownElsewhere.length ? `shard ${shard}: ${shownElsewhere.length} claim(s) are ${IN_ANOTHER_SHARD} (their checks run there; \`collapse-check merge\` judges them), listed below as not-yet-checked: ${shownElsewhere.join(', ')}` : null;
  // loaded here, not at start-up: the renderer pulls in vega (≈ 1 s), which bad input and --dry-run never need
  const { renderReport } = await import('../../report/render.ts');
  prepareJunitPath(junitPath);
  const ci = writeCiOutputs({ ledger, env: process.env, run: { commit: git.commit, startedAt: run.startedAt, ...(shard ? { shard } : {}) }, ...(junitPath !== undefined ? { junitPath } : {}) });
  const rendered = await renderReport(ledger, run as RunInfo, outDir, { counterexamples: savedCounterexamples(PROJECT_ROOT), ...(selected.user.length || shardNote ? { claims: reportClaims(selected.user, shardNote) } : {}) }).catch((err: unknown) => ({ failed: err instanceof Error ? err.message : String(err) }));

  for (const l of claimTable(ledger, { inAnotherShard })) human(l);
  human('');
  for (const l of budgetLines(ledger)) human(l);
  human(`declared spend of statistical assertions outside the ledger (recordSpend): ${outsideSpend.toExponential(2)} over ${spend.length} declaration(s); total ${(outsideSpend + ledger.entries.reduce((a, e) => a + e.delta, 0)).toExponential(2)} of ${SUITE_FALSE_ALARM_BUDGET.toExponential(0)}`);
  if (summary.files > 0 || !claimIds || filters.length > 0) human(`vitest: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped (${summary.files} file(s)), wall ${run.wallSeconds.toFixed(1)} s`);
  if (userRun.failures.length) human(`user claims: ${userRun.failures.length} check(s) threw (a bug of the check, not evidence; no entry recorded)`);
  for (const f of failures.slice(0, 20)) human(`  FAILED ${f.split('\n')[0]}`);
  const judged = { partial: shard !== undefined, failedTests: summary.failed + userRun.failures.length };
  const unexpected = unexpectedVerdicts(ledger, judged);
  for (const u of unexpected) {
    const e = u.check !== null ? ledger.entries.find((x) => x.claimId === u.claimId && x.check === u.check) : undefined;
    const cx = e?.counterexample;
    // one case alone for property files; a user claim file reruns its claim (src/report/replay.ts)
    const alone = e?.file?.startsWith('properties/') === true && (e.counterexample?.path ?? e.replayPath ?? '') !== '';
    human(`  UNEXPECTED ${describeUnexpected(u)}${cx ? ` — ${cx.message}` : ''}${e ? ` — ${alone ? 'replay alone' : 'replay'}: ${replayLine(e)}` : ''}`);
  }
  const pending = pendingUnchecked(ledger);
  if (pending.length) human(`pending (no check yet, allowed by the catalogue): ${pending.join(', ')}`);
  for (const u of unlistedEvidence(ledger)) human(`catalogue: ${u.file} recorded ${u.claimId} / ${u.check} but is not listed under ${u.claimId} in src/claims/catalogue.ts`);
  if (shard) human(`shard ${shard}: judged by its own entries; ${shownElsewhere.length} claim(s) ${IN_ANOTHER_SHARD}, claims without entries are judged by merge`);
  human(`ledger: ${ledgerPath}`);
  if (ci.junit) human(`junit: ${ci.junit}`);
  if (ci.stepSummary) human(`step summary appended to ${ci.stepSummary}`);
  if ('failed' in rendered) human(`report: rendering failed (${rendered.failed.split('\n')[0]}); ledger.json and run.json are written`);
  else human(`report: ${join(outDir, 'report.md')}, ${join(outDir, 'index.html')} (${rendered.files.length} files)`);

  const code = runExitCode(ledger, judged) === 1 || 'failed' in rendered ? EXIT_CHECK_FAILED : EXIT_OK;
  const userJson = selected.user.length ? { userClaims: { files: userHere.map((u) => u.file), failures: userRun.failures } } : {};
  if (opts.json) process.stdout.write(toJson(jsonSummary(ledger, { out: outDir, exitCode: code, unexpected, pending, vitest: { passed: summary.passed, failed: summary.failed, skipped: summary.skipped }, ...userJson }, { inAnotherShard })) + '\n');
  return code;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description(COMMAND_SUMMARIES.verify)
    .option('--claim <ids...>', 'claim ids or globs (e.g. P1-3.* D-?), built-in or user claims')
    .option('--claims <glob>', "your claim files (e.g. 'claims/**/*.claim.ts'; repeatable; default: \"claims\" of collapse-check.config.json); see docs/writing-a-claim.md", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--only-user-claims', 'run only the claim files of --claims, not the built-in suite')
    .option('--tier <tier>', 'default | deep', 'default')
    .option('--seed <n>', 'global seed (default COLLAPSE_SEED or 20260226)')
    .option('--json', 'one JSON document on stdout, human text on stderr')
    .option('--out <dir>', 'output directory (default reports/verify-seed<seed>-<tier>-<time>/ under the current directory)')
    .option('--shard <i/n>', "vitest's sharding: run part i of n")
    .option('--workers <n>', 'vitest worker count (default from vitest.config.ts)')
    .option('--junit <file>', 'also write JUnit XML (one testsuite per claim, one testcase per check); with GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file')
    .option('--dry-run', 'print the selected claims and property files; run and write nothing')
    .action(async (opts: VerifyOptions) => {
      setExit(await runVerify(opts, process.argv.slice(2)));
    });
}
