/**
 * A user's own claims through the CLI (issue 16; src/claims/user-claims.ts, docs/writing-a-claim.md):
 * `collapse-check verify --only-user-claims --claims …` on the worked example of examples/claims/ —
 *  - the true bound (OU contracts W2 at rate ½), run as shard 1/2 of both example files ⇒ verdict
 *    holds, exit 0; the false variant, whose file falls in shard 2/2, is shown `in another shard`
 *    (not not-yet-checked) and does not count against shard 1;
 *  - the false variant (rate 1, declared `holds` as its author believed), shard 2/2 ⇒ verdict
 *    fails, exit 1, and the report names the shrunk counterexample with its replay command;
 *  - `merge` of the two shards ⇒ both claims with their verdicts, exit 1 (the false one fails);
 *  - a claim id equal to a built-in one (ignoring case) ⇒ exit 2 naming the file and the id;
 *  - a record with a bad field ⇒ exit 2 naming the field and the allowed values.
 *
 * Cost: five CLI processes (four verify, one merge), started two or three at a time (≈ 1.5 s CPU for a run with a report, ≈ 0.6 s for
 * bad input, from the TypeScript sources; less from dist/); the example checks are exact (δ = 0),
 * 200 cases each. The bad claim files are written to a temporary directory and import nothing (a
 * duck-typed stand-in for an arbitrary is enough: loading fails before any check runs).
 */
import { describe, expect, it, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'collapse-check.mjs');
const TRUE_CLAIM = 'examples/claims/ou-w2-contraction.claim.ts';
const FALSE_CLAIM = 'examples/claims/rejected/ou-w2-contraction-too-strong.claim.ts';
const GLOB = 'examples/claims/**/*.claim.ts';
const tmp = mkdtempSync(join(tmpdir(), 'collapse-user-claims-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly doc: Record<string, any>;
  readonly stderr: string;
}

/** Runs the CLI with --json in the repository root; the JSON document of stdout, parsed. */
function cli(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env.COLLAPSE_LEDGER_DIR; // the child verify collects its own ledger
    const child = spawn(process.execPath, [CLI, ...args, '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        done({ code, doc: JSON.parse(out), stderr: err });
      } catch {
        fail(new Error(`no JSON on stdout (exit ${code}): ${out.slice(0, 500)}\nstderr: ${err.slice(-2000)}`));
      }
    });
  });
}

/** A claim file without imports: `fields` override a valid record. */
function claimFile(name: string, fields: Record<string, string>): string {
  const record: Record<string, string> = {
    id: "'MY-CLAIM-1'",
    statement: "'x ≤ x + 1'",
    assumptions: '[]',
    source: "'test fixture'",
    expected: "'holds'",
    checks: "[{ check: 'c', numRuns: 1, arbitrary: { generate() {}, shrink() {} }, evaluate: () => ({ comparisons: [] }) }]",
    ...fields,
  };
  const path = join(tmp, name);
  writeFileSync(path, `export default {\n${Object.entries(record).map(([k, v]) => `  ${k}: ${v},`).join('\n')}\n};\n`);
  return path;
}

const runs = (async () => {
  const collision = claimFile('collision.claim.mjs', { id: "'p1-f1'" });
  const badRecord = claimFile('bad-record.claim.mjs', { expected: "'probably'" });
  const verify = (out: string, ...args: string[]) => ['verify', '--only-user-claims', '--out', join(tmp, out), ...args];
  // claim files sorted by path: ou-w2-contraction.claim.ts (shard 1), rejected/… (shard 2)
  const [ok, wrong] = await Promise.all([cli(verify('shard1', '--claims', GLOB, '--shard', '1/2')), cli(verify('false', '--claims', GLOB, '--shard', '2/2'))]);
  const [coll, bad, merged] = await Promise.all([
    cli(verify('collision', '--claims', collision)),
    cli(verify('bad', '--claims', badRecord)),
    cli(['merge', join(tmp, 'shard1'), join(tmp, 'false'), '--out', join(tmp, 'merged')]),
  ]);
  return { ok, wrong, coll, bad, merged, collision, badRecord };
})();

describe('user claims: verify --claims runs a claim file through the same engine, ledger and judgement', () => {
  it('the true bound (OU W2 contraction at rate ½) holds: exit 0 (shard 1/2; the false variant is in another shard)', async () => {
    const { ok } = await runs;
    expect(ok.code, ok.stderr.slice(-2000)).toBe(0);
    expect(ok.doc.claims).toEqual([
      expect.objectContaining({ id: 'OU-W2-CONTRACTION', verdict: 'holds', expected: 'holds', checks: 1, cases: 200 }),
      expect.objectContaining({ id: 'OU-W2-CONTRACTION-TOO-STRONG', verdict: 'not-yet-checked', status: 'in another shard', checks: 0 }),
    ]);
    expect(ok.doc.userClaims.files).toEqual([TRUE_CLAIM]);
    const ledger = JSON.parse(readFileSync(join(tmp, 'shard1', 'ledger.json'), 'utf8'));
    expect(ledger.entries.map((e: { claimId: string; file: string }) => [e.claimId, e.file])).toEqual([['OU-W2-CONTRACTION', TRUE_CLAIM]]);
    expect(ok.stderr).toMatch(/OU-W2-CONTRACTION-TOO-STRONG +in another shard/);
    expect(readFileSync(join(tmp, 'shard1', 'report.md'), 'utf8')).toContain('1 claim(s) are in another shard');
  }, 60_000);

  it('the false variant (rate 1, shard 2/2) is rejected: verdict fails, exit 1, the report names the counterexample', async () => {
    const { wrong } = await runs;
    expect(wrong.code, wrong.stderr.slice(-2000)).toBe(1);
    expect(wrong.doc.claims).toEqual([
      expect.objectContaining({ id: 'OU-W2-CONTRACTION', verdict: 'not-yet-checked', status: 'in another shard' }),
      expect.objectContaining({ id: 'OU-W2-CONTRACTION-TOO-STRONG', verdict: 'fails', expected: 'holds' }),
    ]);
    expect(wrong.doc.unexpected).toEqual([expect.objectContaining({ claimId: 'OU-W2-CONTRACTION-TOO-STRONG', verdict: 'fails' })]);
    const entry = JSON.parse(readFileSync(join(tmp, 'false', 'ledger.json'), 'utf8')).entries[0];
    // the shrunk case violates e^{−2t}: t > 0 and distinct means (else both sides are equal)
    expect(entry.counterexample.input.t).toBeGreaterThan(0);
    expect(entry.counterexample.comparison.lhs).toBeGreaterThan(entry.counterexample.comparison.rhs);
    const report = readFileSync(join(tmp, 'false', 'report.md'), 'utf8');
    expect(report).toContain('#### Counterexample');
    expect(report).toContain('W2²(P_t μ, P_t ν) ≤ e^{−2t} W2²(μ, ν): lhs');
    expect(report).toContain(`--claims '${GLOB}' --claim OU-W2-CONTRACTION-TOO-STRONG`); // the glob quoted for the shell
    expect(wrong.stderr).toMatch(/UNEXPECTED OU-W2-CONTRACTION-TOO-STRONG \/ .*: verdict fails, expected holds — .*replay: COLLAPSE_SEED=/);
  }, 60_000);

  it('merging the two shards gives both user claims their verdicts; the failing one fails the merge (exit 1)', async () => {
    const { merged } = await runs;
    expect(merged.code, merged.stderr.slice(-2000)).toBe(1);
    const ledger = JSON.parse(readFileSync(join(tmp, 'merged', 'ledger.json'), 'utf8'));
    expect(ledger.claims.map((c: { id: string; verdict: string; checks: number }) => [c.id, c.verdict, c.checks])).toEqual([
      ['OU-W2-CONTRACTION', 'holds', 1],
      ['OU-W2-CONTRACTION-TOO-STRONG', 'fails', 1],
    ]);
    expect(ledger.entries.map((e: { claimId: string; file: string }) => [e.claimId, e.file])).toEqual([
      ['OU-W2-CONTRACTION', TRUE_CLAIM],
      ['OU-W2-CONTRACTION-TOO-STRONG', FALSE_CLAIM],
    ]);
  }, 60_000);

  it('a claim id equal to a built-in one (any case) is bad input: exit 2 naming the file and the id', async () => {
    const { coll, collision } = await runs;
    expect(coll.code).toBe(2);
    expect(coll.doc.error.message).toContain(collision);
    expect(coll.doc.error.message).toContain('claim id "p1-f1" collides with the built-in claim P1-F1');
  }, 60_000);

  it('a bad record field is bad input: exit 2 naming the field and the allowed values', async () => {
    const { bad, badRecord } = await runs;
    expect(bad.code).toBe(2);
    expect(bad.doc.error.message).toContain(badRecord);
    expect(bad.doc.error.message).toContain("field expected: must be one of 'holds', 'fails-as-stated'");
  }, 60_000);
});
