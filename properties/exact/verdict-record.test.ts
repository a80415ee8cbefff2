/**
 * The recording API of the verdict layer (src/verdict/record.ts) pinned byte by byte (issue 11,
 * mutation item): what `recordCheck` and `recordSpend` write under `verify` (COLLAPSE_LEDGER_DIR set)
 * and that they write nothing otherwise, the claim-id guards, `CheckFailed`'s message, the
 * assertion rule of `assertCheck` (throws iff verdict ≠ expected) and the order of
 * `recordAndAssert` (the entry is recorded before the assertion throws).
 *
 * Oracles: the expected JSON lines are written out literally in the test (non-finite numbers as
 * the strings "Infinity" / "-Infinity" / "NaN", the project's JSON convention documented in
 * src/numerics/json.ts); the test file and test name come from vitest's own state here; the
 * known claim ids are the catalogue's (SELF, P1-F1, P1-3.4). No number is computed, so no tolerance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCheck, CheckFailed, LEDGER_DIR_ENV, recordAndAssert, recordCheck, recordSpend } from '../../src/verdict/record.ts';
import { setTestFileProvider, setTestNameProvider } from '../../src/verdict/test-file.ts';
import type { LedgerEntry, Verdict } from '../../src/verdict/types.ts';

const THIS_FILE = 'properties/exact/verdict-record.test.ts';

/** A minimal entry with a non-finite statistic (written as a string). */
function entry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  return { claimId: 'SELF', check: 'c', verdict: 'holds', expected: 'holds', cases: 2, n: 0, statistics: { x: Infinity }, worstMargin: 0.5, delta: 0, power: null, seed: 7, replayPath: null, counterexample: null, ...over };
}
/** Its JSON line body (keys in the entry's order), without the file/test keys. */
const BODY = '"claimId":"SELF","check":"c","verdict":"holds","expected":"holds","cases":2,"n":0,"statistics":{"x":"Infinity"},"worstMargin":0.5,"delta":0,"power":null,"seed":7,"replayPath":null,"counterexample":null';

let dirs: string[] = [];
/** A fresh ledger directory path (not yet created: recordCheck must create it, nested). */
function ledgerDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'record-'));
  dirs.push(root);
  return join(root, 'a', 'b');
}

/** Runs fn with COLLAPSE_LEDGER_DIR set to `dir` (undefined = unset), restoring it afterwards. */
function withLedgerDir<R>(dir: string | undefined, fn: () => R): R {
  const saved = process.env[LEDGER_DIR_ENV];
  if (dir === undefined) delete process.env[LEDGER_DIR_ENV];
  else process.env[LEDGER_DIR_ENV] = dir;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[LEDGER_DIR_ENV];
    else process.env[LEDGER_DIR_ENV] = saved;
  }
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n');

afterEach(() => {
  // restore the providers properties/setup.ts installs, remove temporary directories
  setTestFileProvider(() => expect.getState().testPath);
  setTestNameProvider(() => expect.getState().currentTestName);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('SELF recordCheck writes one JSON line per entry under verify, nothing otherwise', () => {
  it('the variable is COLLAPSE_LEDGER_DIR', () => {
    expect(LEDGER_DIR_ENV).toBe('COLLAPSE_LEDGER_DIR');
  });

  it('lines are appended to entries-<pid>.jsonl in a created (nested) directory, with this file and test name', () => {
    const dir = ledgerDir();
    const name = expect.getState().currentTestName!;
    expect(name).toBe('SELF recordCheck writes one JSON line per entry under verify, nothing otherwise > lines are appended to entries-<pid>.jsonl in a created (nested) directory, with this file and test name');
    withLedgerDir(dir, () => {
      recordCheck(entry());
      recordCheck(entry({ check: 'd', statistics: { y: -Infinity, z: Number.NaN } }));
    });
    expect(readdirSync(dir)).toEqual([`entries-${process.pid}.jsonl`]);
    const tail = `,"file":"${THIS_FILE}","test":${JSON.stringify(name)}}`;
    expect(lines(join(dir, `entries-${process.pid}.jsonl`))).toEqual([
      `{${BODY}${tail}`,
      `{${BODY.replace('"check":"c"', '"check":"d"').replace('{"x":"Infinity"}', '{"y":"-Infinity","z":"NaN"}')}${tail}`,
      '',
    ]);
  });

  it('an entry’s own file and test win; without providers the keys are absent', () => {
    const dir = ledgerDir();
    withLedgerDir(dir, () => {
      recordCheck(entry({ file: 'elsewhere.test.ts', test: 'named' }));
      setTestFileProvider(null);
      setTestNameProvider(null);
      recordCheck(entry());
      setTestFileProvider(() => '');
      setTestNameProvider(() => '');
      recordCheck(entry());
    });
    expect(lines(join(dir, `entries-${process.pid}.jsonl`))).toEqual([`{${BODY},"file":"elsewhere.test.ts","test":"named"}`, `{${BODY}}`, `{${BODY}}`, '']);
  });

  it('unset or empty COLLAPSE_LEDGER_DIR: nothing is written (and no directory is made)', () => {
    const dir = ledgerDir();
    for (const value of [undefined, '']) {
      withLedgerDir(value, () => {
        expect(() => recordCheck(entry())).not.toThrow();
        expect(() => recordSpend('s', 1e-10)).not.toThrow();
      });
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('unknown claim ids (own or served) and a claim serving itself are refused, also without a ledger directory', () => {
    withLedgerDir(undefined, () => {
      expect(() => recordCheck(entry({ claimId: 'P9-9' }))).toThrow('recordCheck: unknown claim id "P9-9" (see src/claims/catalogue.ts)');
      expect(() => recordCheck(entry({ alsoServes: ['P1-F1', 'nope'] }))).toThrow('recordCheck: unknown claim id "nope" (see src/claims/catalogue.ts)');
      expect(() => recordCheck(entry({ claimId: 'P1-F1', alsoServes: ['P1-3.4', 'P1-F1'] }))).toThrow('recordCheck: P1-F1 / c: alsoServes repeats its own claim id');
      expect(() => recordCheck(entry({ claimId: 'P1-F1', alsoServes: ['P1-3.4'] }))).not.toThrow();
    });
    // refused before anything is written
    const dir = ledgerDir();
    withLedgerDir(dir, () => expect(() => recordCheck(entry({ claimId: 'P9-9' }))).toThrow(/unknown claim id/));
    expect(existsSync(dir)).toBe(false);
  });
});

describe('SELF recordSpend declares δ outside the ledger (spend-<pid>.jsonl)', () => {
  it('writes label, δ and this file; δ = 0 is accepted', () => {
    const dir = ledgerDir();
    withLedgerDir(dir, () => {
      recordSpend('a: MC vs quadrature', 4e-9);
      recordSpend('b', 0);
      setTestFileProvider(null);
      recordSpend('c', 1e-10);
    });
    expect(readdirSync(dir)).toEqual([`spend-${process.pid}.jsonl`]);
    expect(lines(join(dir, `spend-${process.pid}.jsonl`))).toEqual([
      `{"label":"a: MC vs quadrature","delta":4e-9,"file":"${THIS_FILE}"}`,
      `{"label":"b","delta":0,"file":"${THIS_FILE}"}`,
      '{"label":"c","delta":1e-10}',
      '',
    ]);
  });

  it('a negative, NaN or infinite δ throws, naming the label and the value', () => {
    for (const [d, text] of [[-1e-10, '-1e-10'], [Number.NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      expect(() => recordSpend('lbl', d)).toThrow(`recordSpend(lbl): δ = ${text}`);
    }
  });
});

describe('SELF assertCheck throws iff the verdict differs from the expected one (issue 11)', () => {
  const VERDICTS: Verdict[] = ['holds', 'fails', 'fails-as-stated', 'inconclusive', 'weak', 'not-yet-checked'];
  it('every verdict against both expectations', () => {
    for (const expected of ['holds', 'fails-as-stated'] as const) {
      for (const verdict of VERDICTS) {
        const e = entry({ verdict, expected });
        if (verdict === expected) expect(() => assertCheck(e)).not.toThrow();
        else expect(() => assertCheck(e)).toThrow(CheckFailed);
      }
    }
  });

  it('CheckFailed: name, entry, and a message with the notes and the counterexample’s replay line', () => {
    const plain = new CheckFailed(entry({ verdict: 'weak' }));
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('CheckFailed');
    expect(plain.message).toBe('SELF / c: verdict weak, expected holds');
    const notes = entry({ verdict: 'inconclusive', notes: ['first', 'second'] });
    expect(new CheckFailed(notes).message).toBe('SELF / c: verdict inconclusive, expected holds\n  first\n  second');
    expect(new CheckFailed(entry({ notes: [] })).message).toBe('SELF / c: verdict holds, expected holds');
    const ce = entry({
      verdict: 'fails',
      notes: ['n'],
      counterexample: { seed: 42, path: '0:2', input: { x: 5, y: Infinity }, comparison: null, message: 'x ≤ 4.5: lhs 5 > rhs 4.5' },
    });
    const err = new CheckFailed(ce);
    expect(err.entry).toBe(ce);
    expect(err.message).toBe('SELF / c: verdict fails, expected holds\n  n\n  x ≤ 4.5: lhs 5 > rhs 4.5\n  replay: seed 42, path "0:2"\n  input: {"x":5,"y":"Infinity"}');
    const noPath = new CheckFailed(entry({ verdict: 'fails', counterexample: { seed: 1, path: null, input: 3, comparison: null, message: 'violation' } }));
    expect(noPath.message).toBe('SELF / c: verdict fails, expected holds\n  violation\n  replay: seed 1, path null\n  input: 3');
    let thrown: unknown;
    try {
      assertCheck(ce);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CheckFailed);
    expect((thrown as CheckFailed).entry).toBe(ce);
  });
});

describe('SELF recordAndAssert records first, then asserts', () => {
  it('a holding entry is written and passes; a failing one is written, then throws; an unknown id throws before either', () => {
    const dir = ledgerDir();
    withLedgerDir(dir, () => {
      expect(() => recordAndAssert(entry())).not.toThrow();
      expect(() => recordAndAssert(entry({ check: 'bad', verdict: 'inconclusive' }))).toThrow('SELF / bad: verdict inconclusive, expected holds');
      expect(() => recordAndAssert(entry({ claimId: 'P9-9', verdict: 'fails' }))).toThrow('recordCheck: unknown claim id "P9-9"');
    });
    const written = lines(join(dir, `entries-${process.pid}.jsonl`)).filter(Boolean).map((l) => (JSON.parse(l) as LedgerEntry).check + ':' + (JSON.parse(l) as LedgerEntry).verdict);
    expect(written).toEqual(['c:holds', 'bad:inconclusive']);
  });
});
