/**
 * `merge` refuses bad input before writing anything (issue 17 rows 4 and 5): every ledger.json is
 * validated against its schema (src/ledger/schema.ts), run.json's seed/tier/shard i/n against the
 * ledger, and the inputs must be the complete set of shards of one run (src/ledger/shards.ts). Each
 * refusal is ONE line naming the file and the field (BadInput → exit 2), and the output directory is
 * not created. A complete set merges to the unsharded ledger, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedger, serialiseLedger } from '../../src/ledger/ledger.ts';
import { checkLedgerText, fieldName } from '../../src/ledger/schema.ts';
import { readMergeInputs, runMerge } from '../../src/cli/commands/merge.ts';
import { BadInput } from '../../src/cli/errors.ts';
import { toJson } from '../../src/numerics/json.ts';
import type { LedgerEntry } from '../../src/verdict/types.ts';

const entry = (claimId: string, check: string): LedgerEntry => ({
  claimId, check, verdict: 'holds', expected: 'holds', cases: 3, n: 0, statistics: { x: Infinity }, worstMargin: 0.5, delta: 0, power: null, seed: 7, replayPath: null, counterexample: null,
});
const A = [entry('P1-F1', 'a'), entry('P1-F1', 'b')];
const B = [entry('SELF', 'c')];
const IDS = ['P1-F1', 'SELF'];
const ledgerOf = (entries: LedgerEntry[], over: Record<string, unknown> = {}) => ({ ...buildLedger({ seed: 7, tier: 'default', budget: 1e-6, entries, claimIds: IDS }), ...over });

let root = '';
let n = 0;
/** Writes a verify-like output directory (ledger.json as text or object, run.json object or absent). */
function dir(ledger: unknown, run: Record<string, unknown> | null): string {
  const d = join(root, `in${n++}`);
  mkdirSync(d);
  writeFileSync(join(d, 'ledger.json'), typeof ledger === 'string' ? ledger : toJson(ledger, 2) + '\n');
  if (run) writeFileSync(join(d, 'run.json'), toJson(run, 2) + '\n');
  return d;
}
const run = (shard?: string, over: Record<string, unknown> = {}) => ({ seed: 7, tier: 'default', ...(shard ? { shard } : {}), vitest: { passed: 1, failed: 0, skipped: 0 }, ...over });
/** The BadInput message of readMergeInputs (fails the test if it does not throw BadInput). */
function refusal(dirs: string[]): string {
  try {
    readMergeInputs(dirs);
  } catch (err) {
    expect(err).toBeInstanceOf(BadInput);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    return (err as Error).message;
  }
  throw new Error('merge accepted the inputs');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'merge-input-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('issue 17 row 4: merge needs every shard of one run, each once', () => {
  it('shard 1/2 alone: missing shard 2/2', () => {
    expect(refusal([dir(ledgerOf(A), run('1/2'))])).toMatch(/missing shard 2\/2/);
  });
  it('shard 1/2 with a 1/999999 run: different shard counts, naming the file and field', () => {
    const m = refusal([dir(ledgerOf(A), run('1/2')), dir(ledgerOf(B), run('1/999999'))]);
    expect(m).toMatch(/run\.json: shard: 1\/999999 is one of 999999 shards/);
  });
  it('the same shard twice; an unsharded run with a shard; a malformed shard record', () => {
    expect(refusal([dir(ledgerOf(A), run('1/2')), dir(ledgerOf(B), run('1/2'))])).toMatch(/shard: 1\/2 given twice/);
    expect(refusal([dir(ledgerOf(A), run()), dir(ledgerOf(B), run('2/2'))])).toMatch(/shard: absent/);
    expect(refusal([dir(ledgerOf(A), run('3/2'))])).toMatch(/run\.json: shard: shard index above the shard count/);
    expect(refusal([dir(ledgerOf(A), run('0/2'))])).toMatch(/run\.json: shard: expected "i\/n"/);
  });
  it('seeds, tiers and budgets must agree (ledger vs ledger and ledger vs its run.json)', () => {
    expect(refusal([dir(ledgerOf(A), run('1/2')), dir(ledgerOf(B, { seed: 8 }), run('2/2', { seed: 8 }))])).toMatch(/ledger\.json: seed: 8 differs/);
    expect(refusal([dir(ledgerOf(A), run('1/2')), dir(ledgerOf(B, { tier: 'deep' }), run('2/2', { tier: 'deep' }))])).toMatch(/ledger\.json: tier: deep differs/);
    expect(refusal([dir(ledgerOf(A), run('1/2')), dir(ledgerOf(B, { budget: 2e-6 }), run('2/2'))])).toMatch(/ledger\.json: budget: 0\.000002 differs/);
    expect(refusal([dir(ledgerOf(A), run('1/1', { seed: 9 }))])).toMatch(/run\.json: seed: 9 differs from its ledger\.json's 7/);
  });
  it('a missing run.json is refused (it records the shard)', () => {
    expect(refusal([dir(ledgerOf(A), null)])).toMatch(/run\.json \(it records the seed, tier and shard i\/n\) not found/);
  });
});

describe('issue 17 row 5: every ledger.json is validated against its schema', () => {
  const bad = (mutate: (l: Record<string, any>) => void) => {
    const l = JSON.parse(toJson(ledgerOf(A))) as Record<string, any>;
    mutate(l);
    return refusal([dir(l, run())]);
  };
  it('names the field: bogus verdict, negative cases, unknown claim id, {} entry, missing tier or budget', () => {
    expect(bad((l) => (l.entries[0].verdict = 'bogus'))).toMatch(/ledger\.json: entries\[0\]\.verdict: /);
    expect(bad((l) => (l.entries[1].cases = -5))).toMatch(/entries\[1\]\.cases: /);
    expect(bad((l) => (l.entries[0].claimId = 'P9-9'))).toMatch(/entries\[0\]\.claimId: unknown claim id/);
    expect(bad((l) => (l.entries[0] = {}))).toMatch(/entries\[0\]\.claimId: /);
    expect(bad((l) => delete l.tier)).toMatch(/ledger\.json: tier: /);
    expect(bad((l) => delete l.budget)).toMatch(/ledger\.json: budget: /);
    expect(bad((l) => (l.entries[0].statistics = { x: 'Infinity', y: [1] }))).toMatch(/entries\[0\]\.statistics\.y: /);
  });
  it('not JSON, not a file, a directory without ledger.json', () => {
    expect(refusal([dir('{"seed": 7,', run())])).toMatch(/ledger\.json: not JSON/);
    expect(refusal([join(root, 'nowhere')])).toMatch(/ledger\.json not found/);
    const d = join(root, 'dir-ledger');
    mkdirSync(join(d, 'ledger.json'), { recursive: true });
    expect(refusal([d])).toMatch(/ledger\.json: ledger\.json is not a regular file/);
  });
  it('the schema accepts what the ledger writes (non-finite numbers as strings included)', () => {
    const r = checkLedgerText(serialiseLedger(ledgerOf([...A, ...B]) as ReturnType<typeof buildLedger>));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.entries[0]!.statistics.x).toBe(Infinity);
    expect(fieldName(['entries', 3, 'verdict'])).toBe('entries[3].verdict');
  });
});

describe('merge writes nothing until every input is valid; a complete set merges byte for byte', () => {
  it('a refused merge creates no output directory and leaves the inputs as they were', async () => {
    const s1 = dir(ledgerOf(A), run('1/2'));
    const before = readFileSync(join(s1, 'ledger.json'), 'utf8');
    const out = join(root, 'out-refused');
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(runMerge([s1], { out, json: true }, [])).rejects.toThrow(/missing shard 2\/2/);
    } finally {
      quiet.mockRestore();
    }
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(s1, 'ledger.json'), 'utf8')).toBe(before);
    expect(readdirSync(s1).sort()).toEqual(['ledger.json', 'run.json']);
  });
  it('--out naming an input directory is refused', async () => {
    const s1 = dir(ledgerOf(A), run());
    await expect(runMerge([s1], { out: s1, json: true }, [])).rejects.toThrow(/is an input directory/);
  });
  it('shards 2/2 + 1/2 give the unsharded ledger.json, exit 0', async () => {
    const whole = serialiseLedger(buildLedger({ seed: 7, tier: 'default', budget: 1e-6, entries: [...A, ...B], claimIds: IDS }));
    const s1 = dir(buildLedger({ seed: 7, tier: 'default', budget: 1e-6, entries: A, claimIds: IDS }), run('1/2'));
    const s2 = dir(buildLedger({ seed: 7, tier: 'default', budget: 1e-6, entries: B, claimIds: IDS }), run('2/2'));
    const out = join(root, 'out-ok');
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const quietErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runMerge([s2, s1], { out, json: true }, []);
    } finally {
      quiet.mockRestore();
      quietErr.mockRestore();
    }
    expect(code).toBe(0);
    expect(readFileSync(join(out, 'ledger.json'), 'utf8')).toBe(whole);
  }, 30_000);
});
