/**
 * Issue 16 CI recipe: the `npx collapse-check` lines of docs/examples/github-actions.yml (the
 * workflow docs/ci.md describes) run locally — two shards of `verify` and the `merge` — on one
 * cheap claim (D-3: two exact checks), and the merge's JUnit file is valid against the Ant JUnit
 * schema and its step summary says what the ledger says. The commands are read from the YAML file
 * itself, so the documented workflow cannot drift from the command line. Also: the build fails on an
 * unexpected verdict (the documented merge arguments give exit 1), and a printed counterexample replays
 * alone (src/verdict/engine.ts COLLAPSE_REPLAY_CHECK + COLLAPSE_REPLAY_PATH evaluate one case).
 *
 * Substitutions made to run the YAML's lines here, and only these: `${{ matrix.shard }}` → 1, 2 and
 * `${{ strategy.job-total }}` → 2 (two shards; any other `${{ … }}` fails the test);
 * `npx collapse-check` → `node <repo>/bin/collapse-check.mjs` (the bin npx resolves to, without
 * npx's start-up); `--claim D-3` appended to `verify` (one cheap claim instead of the suite).
 * COLLAPSE_SEED: this test run's seed when set, else the workflow's.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkProperty, REPLAY_CHECK_ENV, REPLAY_PATH_ENV } from '../../src/verdict/engine.ts';
import { leqExact } from '../../src/verdict/compare.ts';
import { LEDGER_DIR_ENV } from '../../src/verdict/ledger-env.ts';
import { replayLine } from '../../src/report/replay.ts';
import { parseLedger, serialiseLedger } from '../../src/ledger/ledger.ts';
import type { LedgerEntry } from '../../src/verdict/types.ts';
import { schemaErrors } from './junit-schema.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WORKFLOW = join(ROOT, 'docs', 'examples', 'github-actions.yml');
const BIN = join(ROOT, 'bin', 'collapse-check.mjs');
const CLAIM = 'D-3';
const SHARDS = 2;

/** The YAML's `run: npx collapse-check …` lines (one line each), in file order. */
function collapseCommands(yaml: string): string[] {
  return [...yaml.matchAll(/^\s*run:\s*(npx collapse-check .+?)\s*$/gm)].map((m) => m[1]!);
}

/** A scalar `key: value` (first occurrence, quotes removed), for the structure checks. */
function scalar(yaml: string, key: string): string {
  const m = new RegExp(`^\\s*${key}:\\s*'?([^'\\n#]*?)'?\\s*(#.*)?$`, 'm').exec(yaml);
  if (!m) throw new Error(`${key}: not in the workflow`);
  return m[1]!;
}

function substitute(cmd: string, shard: number): string {
  const out = cmd
    .replaceAll('${{ matrix.shard }}', String(shard))
    .replaceAll('${{ strategy.job-total }}', String(SHARDS))
    .replace(/^npx collapse-check /, `node ${BIN} `);
  if (out.includes('${{')) throw new Error(`unknown workflow expression left in: ${out}`);
  return out;
}

let work = '';
let seed = 0;
let verifyCmd = '';
let mergeCmd = '';
const results: { cmd: string; status: number | null; stderr: string; summary: string | null }[] = [];

function runStep(cmd: string, summaryFile: string): { status: number | null; stderr: string; summary: string | null } {
  const r = spawnSync('bash', ['-c', cmd], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, COLLAPSE_SEED: String(seed), GITHUB_STEP_SUMMARY: summaryFile, CI: 'true', [LEDGER_DIR_ENV]: '', [REPLAY_PATH_ENV]: '', [REPLAY_CHECK_ENV]: '' },
    timeout: 120_000,
  });
  const out = { status: r.status, stderr: `${r.stderr}${r.error ? String(r.error) : ''}`, summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : null };
  results.push({ cmd, ...out });
  return out;
}

beforeAll(() => {
  const yaml = readFileSync(WORKFLOW, 'utf8');
  const cmds = collapseCommands(yaml);
  verifyCmd = cmds.find((c) => c.startsWith('npx collapse-check verify '))!;
  mergeCmd = cmds.find((c) => c.startsWith('npx collapse-check merge '))!;
  seed = process.env.COLLAPSE_SEED ? Number(process.env.COLLAPSE_SEED) : Number(scalar(yaml, 'COLLAPSE_SEED'));
  work = mkdtempSync(join(tmpdir(), 'ci-recipe-'));
  for (let i = 1; i <= SHARDS; i++) runStep(`${substitute(verifyCmd, i)} --claim ${CLAIM}`, join(work, `summary-verify-${i}.md`));
  runStep(substitute(mergeCmd, 0), join(work, 'summary-merge.md'));
}, 240_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('issue 16 CI recipe: docs/examples/github-actions.yml run locally (two shards + merge, one claim)', () => {
  it('the workflow has the documented shape: a shard matrix whose ledgers the merge job downloads to where merge reads them', () => {
    const yaml = readFileSync(WORKFLOW, 'utf8');
    expect(collapseCommands(yaml)).toHaveLength(2);
    expect(verifyCmd).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ strategy\.job-total \}\}/);
    // the verify output directory = <download path>/<artifact name>: the layout merge's glob reads in CI and here
    const out = /--out (.+?)(?= --|$)/.exec(verifyCmd)![1]!;
    expect(out).toBe(scalar(yaml, 'path').replace(/\/$/, '')); // the upload step's path
    expect(scalar(yaml.slice(yaml.indexOf('download-artifact')), 'path')).toBe(out.slice(0, out.indexOf('/')));
    expect(yaml).toMatch(/name: ledger-\$\{\{ matrix\.shard \}\}/);
    expect(yaml).toMatch(/pattern: ledger-\*/);
    expect(mergeCmd).toMatch(/^npx collapse-check merge shards\/ledger-\* .*--junit (\S+)/);
    expect(yaml).toMatch(/fail-fast: false/);
    expect(yaml).toMatch(/merge:\n\s+needs: verify\n\s+if: \$\{\{ !cancelled\(\) \}\}/);
  });

  it('both shards and the merge exit 0 (D-3 holds), each shard wrote its ledger where the merge reads it', () => {
    for (const r of results) expect(r.status, `${r.cmd}\n${r.stderr.slice(-2000)}`).toBe(0);
    for (let i = 1; i <= SHARDS; i++) for (const f of ['ledger.json', 'run.json']) expect(existsSync(join(work, 'shards', `ledger-${i}`, f))).toBe(true);
    const merged = parseLedger(readFileSync(join(work, 'merged', 'ledger.json'), 'utf8'));
    expect(merged.seed).toBe(seed);
    expect(merged.claims!.map((c) => [c.id, c.verdict, c.expected])).toEqual([[CLAIM, 'holds', 'holds']]);
    expect(merged.entries.length).toBeGreaterThan(0);
  });

  it('the JUnit file is valid against the Ant JUnit schema and lists every check of the merged ledger, none failed', async () => {
    const junitPath = /--junit (\S+)/.exec(mergeCmd)![1]!;
    const xml = readFileSync(join(work, junitPath), 'utf8');
    expect(await schemaErrors({ 'junit.xml': xml })).toEqual({ 'junit.xml': [] });
    const merged = parseLedger(readFileSync(join(work, 'merged', 'ledger.json'), 'utf8'));
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml).toContain(`name="${CLAIM}"`);
    expect(xml.match(/<testcase /g)).toHaveLength(merged.entries.length);
    expect(xml).not.toContain('<failure');
    expect(xml).toContain(`<property name="seed" value="${seed}"/>`);
  });

  it('the merge step appended its Markdown summary to $GITHUB_STEP_SUMMARY: PASS and the claim row', () => {
    const summary = results[results.length - 1]!.summary!;
    expect(summary).toContain(`## collapse-check run — seed ${seed}, tier default`);
    expect(summary).toContain('**PASS**: every verdict is the expected one');
    expect(summary).toMatch(new RegExp(`\\| ${CLAIM} \\| holds \\| holds \\| [^|]+ \\| 0 \\|`));
    expect(summary).not.toContain('### Unexpected verdicts');
    // a shard's summary, once verify writes one (src/report/ci-outputs.ts), names its shard
    for (let i = 1; i <= SHARDS; i++) {
      const s = results[i - 1]!.summary;
      if (s !== null) expect(s).toContain(`## collapse-check shard ${i}/${SHARDS}`);
    }
  });

  it('an unexpected verdict fails the build: the documented merge command (run in-process) returns exit 1, JUnit marks the check, the summary gives its replay line', async () => {
    // the same two shards, one check's verdict turned into `inconclusive` (what a weakened check would record)
    const bad = join(work, 'bad');
    cpSync(join(work, 'shards'), join(bad, 'shards'), { recursive: true });
    let doctored: LedgerEntry | null = null;
    for (let i = 1; i <= SHARDS && !doctored; i++) {
      const f = join(bad, 'shards', `ledger-${i}`, 'ledger.json');
      const l = parseLedger(readFileSync(f, 'utf8'));
      if (l.entries.length === 0) continue;
      doctored = { ...l.entries[0]!, verdict: 'inconclusive' };
      writeFileSync(f, serialiseLedger({ ...l, entries: [doctored, ...l.entries.slice(1)] }));
    }
    expect(doctored).not.toBeNull();
    const summaryFile = join(bad, 'summary.md');
    // the documented merge arguments, run through runMerge (the function the CLI calls) to save a
    // process start: the shell glob expanded here, every other token must be --out or --junit
    const words = mergeCmd.replace(/^npx collapse-check merge /, '').split(/\s+/);
    const dirs: string[] = [];
    const opts: { out?: string; junit?: string } = {};
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      if (w === '--out' || w === '--junit') opts[w === '--out' ? 'out' : 'junit'] = join(bad, words[++k]!);
      else if (w.endsWith('/ledger-*')) dirs.push(...readdirSync(join(bad, w.slice(0, -'/ledger-*'.length))).filter((d) => d.startsWith('ledger-')).sort().map((d) => join(bad, w.slice(0, -'ledger-*'.length), d)));
      else throw new Error(`merge argument not understood by this test: ${w}`);
    }
    expect(dirs).toHaveLength(SHARDS);
    const { runMerge } = await import('../../src/cli/commands/merge.ts');
    const saved = process.env.GITHUB_STEP_SUMMARY;
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      process.env.GITHUB_STEP_SUMMARY = summaryFile;
      code = await runMerge(dirs, opts, ['merge']);
    } finally {
      quiet.mockRestore();
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
    }
    expect(code).toBe(1);
    const xml = readFileSync(join(bad, /--junit (\S+)/.exec(mergeCmd)![1]!), 'utf8');
    expect(await schemaErrors({ 'bad.xml': xml })).toEqual({ 'bad.xml': [] });
    expect(xml.match(/<failure type="inconclusive"/g)).toHaveLength(1);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('**FAIL**: 1 verdict differs from the expected one.');
    // Markdown cells escape &, <, > (GitHub renders inline HTML)
    const md = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(summary).toContain(md(`${CLAIM} / ${doctored!.check}: verdict inconclusive, expected holds`));
    expect(summary).toContain(replayLine(doctored!));
  }, 120_000);
});

describe('issue 16 replay a printed counterexample alone (src/verdict/engine.ts, src/report/replay.ts)', () => {
  const CHECK = 'replay demo: x ≤ 699 on 0..1000 (deliberately false)';
  let evaluations = 0;
  const spec = (seed: number) => ({
    claimId: 'SELF',
    check: CHECK,
    expected: 'fails-as-stated' as const,
    arbitrary: fc.integer({ min: 0, max: 1000 }),
    numRuns: 100,
    seed,
    // exact integers: the comparison is exact, error bound 0
    evaluate: (x: number) => {
      evaluations++;
      return { comparisons: [leqExact('x ≤ 699', x, 699, 0)] };
    },
  });
  const withEnv = <T>(vars: Record<string, string | undefined>, f: () => T): T => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    try {
      return f();
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };

  it('COLLAPSE_REPLAY_CHECK + COLLAPSE_REPLAY_PATH: the named check evaluates exactly the recorded case, once; other checks are unaffected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        evaluations = 0;
        const full = withEnv({ [REPLAY_PATH_ENV]: undefined, [REPLAY_CHECK_ENV]: undefined, [LEDGER_DIR_ENV]: undefined }, () => checkProperty(spec(seed)));
        // P(no x ≥ 700 in 100 uniform-ish draws) is astronomically small; fast-check also biases to the bounds
        expect(full.entry.verdict).toBe('fails-as-stated');
        const cx = full.entry.counterexample!;
        const fullEvaluations = evaluations;
        evaluations = 0;
        const replay = withEnv({ [REPLAY_PATH_ENV]: cx.path!, [REPLAY_CHECK_ENV]: `SELF / ${CHECK}`, [LEDGER_DIR_ENV]: undefined }, () => checkProperty(spec(seed)));
        expect(evaluations).toBe(1);
        expect(replay.counterexample).toBe(full.counterexample);
        expect(replay.entry.verdict).toBe('fails-as-stated');
        expect(replay.entry.notes?.some((n) => n.includes('replay of the one case'))).toBe(true);
        // another check's name in COLLAPSE_REPLAY_CHECK: this check runs in full, as without the variables
        evaluations = 0;
        const other = withEnv({ [REPLAY_PATH_ENV]: cx.path!, [REPLAY_CHECK_ENV]: 'SELF / some other check', [LEDGER_DIR_ENV]: undefined }, () => checkProperty(spec(seed)));
        expect(evaluations).toBe(fullEvaluations);
        expect(other.entry).toEqual(full.entry);
      }),
      { numRuns: 5 },
    );
  });

  it('refused: a path without the check name, a malformed path, and replay during a ledger run (verify)', () => {
    const run = (vars: Record<string, string | undefined>) => () => withEnv({ [REPLAY_PATH_ENV]: undefined, [REPLAY_CHECK_ENV]: undefined, [LEDGER_DIR_ENV]: undefined, ...vars }, () => checkProperty(spec(1)));
    expect(run({ [REPLAY_PATH_ENV]: '3:1' })).toThrow(/COLLAPSE_REPLAY_CHECK is not/);
    expect(run({ [REPLAY_PATH_ENV]: '3;rm', [REPLAY_CHECK_ENV]: `SELF / ${CHECK}` })).toThrow(/not a fast-check path/);
    expect(run({ [REPLAY_PATH_ENV]: '3:1', [REPLAY_CHECK_ENV]: `SELF / ${CHECK}`, [LEDGER_DIR_ENV]: join(tmpdir(), 'x') })).toThrow(/ledger run/);
  });

  it('the printed line survives a POSIX shell: the variables it sets are exactly the check name and the path (bash)', () => {
    const names = ["it's $HOME `x` \"q\" | a; b", 'χ² ≤ 4ε⋆² (d 1-4)', 'plain'];
    for (const check of names) {
      const e: LedgerEntry = {
        claimId: 'SELF', check, verdict: 'fails', expected: 'holds', cases: 1, n: 0, statistics: {}, worstMargin: -1, delta: 0, power: null, seed: 77, replayPath: '4:0:2',
        counterexample: { seed: 77, path: '4:0:2', input: 1, comparison: null, message: 'm' }, file: 'properties/x y.test.ts',
      };
      const line = replayLine(e);
      expect(line.endsWith(" npx vitest run 'properties/x y.test.ts'")).toBe(true);
      // run the line's assignments in front of a printer instead of vitest
      const printer = `node -e "process.stdout.write(JSON.stringify([process.env.COLLAPSE_SEED, process.env.${REPLAY_CHECK_ENV}, process.env.${REPLAY_PATH_ENV}, process.argv[1]]))"`;
      const cmd = line.replace(/ npx vitest run /, ` ${printer} `);
      const got = JSON.parse(execFileSync('bash', ['-c', cmd], { encoding: 'utf8' }));
      expect(got).toEqual(['77', `SELF / ${check}`, '4:0:2', 'properties/x y.test.ts']);
      // with the vitest test name recorded (field `test`), -t selects that test by its it-title, as a literal
      const named = replayLine({ ...e, test: `SELF group > it (1+1) ${check}` } as LedgerEntry);
      const t = /^.* -t (.+)$/.exec(named)![1]!;
      const pattern = execFileSync('bash', ['-c', `printf %s ${t}`], { encoding: 'utf8' });
      expect(new RegExp(pattern).test(`SELF group it (1+1) ${check}`)).toBe(true);
      expect(new RegExp(pattern).test(`SELF group it 1+1 ${check}`)).toBe(false);
    }
  });
});

describe('issue 16 --junit FILE is checked before any work; explain --ledger prints the replay line', () => {
  it('merge --junit: an existing directory, an empty name and a path below a file are refused (BadInput, exit 2) before the inputs are read', async () => {
    const { checkJunitPath, runMerge } = await import('../../src/cli/commands/merge.ts');
    const { BadInput } = await import('../../src/cli/errors.ts');
    const dir = mkdtempSync(join(tmpdir(), 'junit-path-'));
    try {
      expect(() => checkJunitPath(dir)).toThrow(BadInput);
      expect(() => checkJunitPath(dir)).toThrow(/is a directory/);
      expect(() => checkJunitPath('  ')).toThrow(/must name a file/);
      const file = join(dir, 'f');
      writeFileSync(file, '');
      expect(() => checkJunitPath(join(file, 'junit.xml'))).toThrow(BadInput);
      // accepted: a new file in a directory still to be created; nothing is created by the check
      expect(checkJunitPath(join(dir, 'new', 'junit.xml'))).toBe(join(dir, 'new', 'junit.xml'));
      expect(existsSync(join(dir, 'new'))).toBe(false);
      // merge refuses the bad --junit first: the (missing) input is never read
      await expect(runMerge([join(dir, 'no-such-shard')], { junit: dir }, [])).rejects.toThrow(/--junit .* is a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explain ID --ledger DIR: the claim\'s checks in that run and the one-case replay line of an unexpected check', async () => {
    const { checksInRun } = await import('../../src/cli/commands/explain.ts');
    const dir = mkdtempSync(join(tmpdir(), 'explain-ledger-'));
    try {
      const e: LedgerEntry = {
        claimId: 'D-3', check: 'a check', verdict: 'fails', expected: 'holds', cases: 3, n: 0, statistics: {}, worstMargin: -2, delta: 0, power: null, seed: 5, replayPath: '1:2',
        counterexample: { seed: 5, path: '1:2', input: 0, comparison: null, message: 'm' }, file: 'properties/theorems/d-3-chi-square-infinite.test.ts',
      };
      const ok: LedgerEntry = { ...e, check: 'b check', verdict: 'holds', worstMargin: 3, counterexample: null, replayPath: null };
      writeFileSync(join(dir, 'ledger.json'), serialiseLedger({ seed: 5, tier: 'default', budget: 1e-6, entries: [e, ok] }));
      const got = checksInRun(dir, 'D-3');
      expect(got.seed).toBe(5);
      expect(got.checks.map((k) => [k.check, k.verdict, k.worstCase, k.replay])).toEqual([
        ['a check', 'fails', true, "COLLAPSE_SEED=5 COLLAPSE_REPLAY_CHECK='D-3 / a check' COLLAPSE_REPLAY_PATH=1:2 npx vitest run properties/theorems/d-3-chi-square-infinite.test.ts"],
        ['b check', 'holds', false, null],
      ]);
      expect(() => checksInRun(join(dir, 'missing'), 'D-3')).toThrow(/ledger.json not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
