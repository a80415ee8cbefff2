/**
 * Issue 16 CI outputs: the JUnit XML of a ledger (src/report/junit.ts) is valid against the Ant
 * JUnit schema (fixtures/junit/JUnit.xsd, validated by libxml2: properties/exact/junit-schema.ts)
 * and marks exactly the checks the run's exit rule fails (inconclusive and weak included); the
 * step summary (src/report/step-summary.ts) lists the unexpected verdicts first with the command that
 * replays each alone; writeCiOutputs (src/report/ci-outputs.ts) writes/appends them; worst margins
 * print without subnormal noise (src/numerics/text.ts formatMargin).
 *
 * Oracles: hand-written expectations for a hand-built ledger (which testcase fails, the counts, the
 * replay line); the schema validator (libxml2) for validity, shown to reject each kind of defect
 * first; a character-level XML 1.0 spec and entity decoder written here for the escaping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedger } from '../../src/ledger/ledger.ts';
import { junitXml, junitTimestamp, xmlAttr, xmlText } from '../../src/report/junit.ts';
import { stepSummaryMarkdown } from '../../src/report/step-summary.ts';
import { writeCiOutputs } from '../../src/report/ci-outputs.ts';
import { formatMargin, MIN_NORMAL } from '../../src/numerics/text.ts';
import type { Ledger, LedgerEntry, Verdict } from '../../src/verdict/types.ts';
import { JUNIT_XSD_SHA256, junitXsd, schemaErrors, sha256 } from './junit-schema.ts';
import { suiteSeed } from '../support/seed.ts';
import { representableDouble } from '../support/arbitraries.ts';

type Over = Partial<Omit<LedgerEntry, 'claimId' | 'check' | 'verdict' | 'expected'>>;
const entry = (claimId: string, check: string, verdict: Verdict, expected: 'holds' | 'fails-as-stated', over: Over = {}): LedgerEntry => ({
  claimId, check, verdict, expected, cases: 5, n: 0, statistics: {}, worstMargin: 0.25, delta: 0, power: null, seed: 4242, replayPath: null, counterexample: null, ...over,
});

const CX_FILE = 'properties/theorems/p1-3.1-girsanov-kl.test.ts';
const ENTRIES: LedgerEntry[] = [
  entry('P1-F1', 'a', 'holds', 'holds', { worstMargin: 9.9993e-319 }),
  entry('P1-F1', 'b', 'inconclusive', 'holds', { worstMargin: 0.0056, notes: ['2 case(s) could not separate holds from fails'] }),
  entry('P1-3.1', 'c', 'weak', 'holds', { delta: 2.5e-8, power: 0.3 }),
  entry('P1-3.1', 'd <&> "q"', 'fails', 'holds', {
    worstMargin: -0.1686, file: CX_FILE, replayPath: '3:1:0',
    counterexample: { seed: 4242, path: '3:1:0', input: { x: 1 }, comparison: null, message: 'lhs 0.73 > rhs 0.56' },
  }),
  entry('P1-4.2', 'e', 'fails-as-stated', 'fails-as-stated'),
  entry('P1-4.2', 'f', 'inconclusive', 'fails-as-stated'),
  entry('D-2', 'g', 'holds', 'holds', { alsoServes: ['P1-3.4'] }),
];
const IDS = ['P1-F1', 'P1-3.1', 'P1-4.2', 'D-2', 'P1-3.4', 'P2-E1'];
const LEDGER: Ledger = buildLedger({ seed: 4242, tier: 'default', budget: 1e-6, entries: ENTRIES, claimIds: IDS });
const NONE_PENDING = new Set<string>();
const OPTS = { commit: 'c0ffee', timestamp: '2026-12-01T21:00:00.500Z', pending: NONE_PENDING };

/** Test-local reading of the document: per testsuite name, its attributes and testcases (name, outcome). */
function readSuites(xml: string): Map<string, { attrs: Record<string, string>; cases: { name: string; outcome: 'pass' | 'failure' | 'skipped'; type?: string }[] }> {
  const out = new Map<string, { attrs: Record<string, string>; cases: { name: string; outcome: 'pass' | 'failure' | 'skipped'; type?: string }[] }>();
  const attrsOf = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
  for (const s of xml.split('<testsuite ').slice(1)) {
    const attrs = attrsOf(s.slice(0, s.indexOf('>')));
    const cases = s.split('<testcase ').slice(1).map((c) => {
      const a = attrsOf(c.slice(0, c.indexOf('>')));
      const selfClosed = /^[^>]*\/>/.test(c);
      const f = /^[^>]*>\s*<failure type="([^"]*)"/.exec(c);
      return { name: a.name!, outcome: selfClosed ? ('pass' as const) : f ? ('failure' as const) : ('skipped' as const), ...(f ? { type: f[1]! } : {}) };
    });
    out.set(attrs.name!, { attrs, cases });
  }
  return out;
}

/** Decodes the five predefined entities and numeric character references (XML 1.0 §4.6, §4.1). */
function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_m, k: string) =>
    k === 'amp' ? '&' : k === 'lt' ? '<' : k === 'gt' ? '>' : k === 'quot' ? '"' : k === 'apos' ? "'" : String.fromCodePoint(k[1] === 'x' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10)),
  );
}

/** XML 1.0 Char production (§2.2), written out here: the characters a document may carry at all. */
const isXmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'junit-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('issue 16 JUnit output: valid Ant JUnit XML, failures = the exit rule (src/ledger/judgement.ts)', () => {
  it('the schema fixture is the copied file (SHA-256 as fixtures/junit/README.md states)', () => {
    expect(sha256(junitXsd())).toBe(JUNIT_XSD_SHA256);
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'junit', 'README.md'), 'utf8')).toContain(JUNIT_XSD_SHA256);
  });

  it('the validator has power: each kind of defect is rejected (missing attribute, zone in the timestamp, unknown element, raw "<")', async () => {
    const good = junitXml(LEDGER, OPTS);
    const docs = {
      'good.xml': good,
      'no-errors-attr.xml': good.replace(' errors="0"', ''),
      'zoned-timestamp.xml': good.replace(/timestamp="([^"]*)"/, 'timestamp="$1Z"'),
      'unknown-element.xml': good.replace('<system-err>', '<bogus/><system-err>'),
      'raw-lt.xml': good.replace('name="P1-F1"', 'name="P1<F1"'),
      'no-classname.xml': good.replace(/ classname="[^"]*"/, ''),
    };
    const errs = await schemaErrors(docs);
    expect(errs['good.xml']).toEqual([]);
    for (const bad of Object.keys(docs).filter((n) => n !== 'good.xml')) expect(errs[bad]!.length, bad).toBeGreaterThan(0);
    expect(errs['']).toBeUndefined();
  });

  it('whole run: one suite per claim, one case per check, failures exactly where the verdict differs (hand-written)', async () => {
    const xml = junitXml(LEDGER, OPTS);
    expect(await schemaErrors({ 'run.xml': xml })).toEqual({ 'run.xml': [] });
    const suites = readSuites(xml);
    expect([...suites.keys()]).toEqual(['P1-F1', 'P1-3.1', 'P1-3.4', 'P1-4.2', 'D-2', 'P2-E1']); // catalogue order
    const cases = (id: string) => suites.get(id)!.cases.map((c) => `${c.name}:${c.outcome}${c.type ? `(${c.type})` : ''}`);
    expect(cases('P1-F1')).toEqual(['a:pass', 'b:failure(inconclusive)']);
    expect(cases('P1-3.1')).toEqual(['c:failure(weak)', 'd <&> "q":failure(fails)']);
    expect(cases('P1-4.2')).toEqual(['e:pass', 'f:failure(inconclusive)']);
    expect(cases('D-2')).toEqual(['g:pass']);
    expect(cases('P1-3.4')).toEqual(['g (recorded under D-2):pass']);
    // P2-E1: no check and not pending ⇒ the claim-level finding of rule 3
    expect(cases('P2-E1')).toEqual(['claim verdict:failure(not-yet-checked)']);
    const a = suites.get('P1-3.1')!.attrs;
    expect([a.tests, a.failures, a.errors, a.skipped, a.id, a.package, a.timestamp, a.hostname]).toEqual(['2', '2', '0', '0', '1', 'collapse-check', '2026-12-01T21:00:00', 'localhost']);
    for (const p of ['<property name="seed" value="4242"/>', '<property name="commit" value="c0ffee"/>']) expect(xml).toContain(p);
    // the failure text carries the counterexample and the command replaying it alone
    expect(xml).toContain(`replay: COLLAPSE_SEED=4242 COLLAPSE_REPLAY_CHECK='P1-3.1 / d &lt;&amp;&gt; "q"' COLLAPSE_REPLAY_PATH=3:1:0 npx vitest run ${CX_FILE}`);
  });

  it('pending claim without checks: skipped, not failed; shard run: claims without checks are "in another shard"', async () => {
    const pendingXml = junitXml(LEDGER, { ...OPTS, pending: new Set(['P2-E1']) });
    const shardXml = junitXml(LEDGER, { ...OPTS, shard: '1/2' });
    expect(await schemaErrors({ 'pending.xml': pendingXml, 'shard.xml': shardXml })).toEqual({ 'pending.xml': [], 'shard.xml': [] });
    expect(readSuites(pendingXml).get('P2-E1')!.cases).toEqual([{ name: 'pending', outcome: 'skipped' }]);
    const shard = readSuites(shardXml);
    expect(shard.get('P2-E1')!.cases).toEqual([{ name: 'in another shard', outcome: 'skipped' }]);
    expect(shard.get('P2-E1')!.attrs.skipped).toBe('1');
    // a shard judges its entries only (rule 1): the same four checks fail
    expect([...shard.values()].flatMap((s) => s.cases.filter((c) => c.outcome === 'failure').map((c) => c.name))).toEqual(['b', 'c', 'd <&> "q"', 'f']);
    expect(shardXml).toContain('<property name="shard" value="1/2"/>');
  });

  it('the timestamp is UTC without zone or fraction (the schema pattern); an invalid one throws', () => {
    expect(junitTimestamp('2026-12-01T23:59:59.999+02:00')).toBe('2026-12-01T21:59:59');
    expect(() => junitTimestamp('unknown')).toThrow(/invalid timestamp/);
  });

  // any UTF-16 string: specials, controls, lone surrogates, U+FFFE/U+FFFF, astral characters
  const hostile = fc.string({
    unit: fc.oneof(
      fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff', '\ufffe', '\uffff', ']]>', '&amp;', '😀'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 30,
  });

  it('escaping: attribute and text values decode to the input with non-XML characters made visible (fast-check)', () => {
    // the spec, written here: XML characters kept, others as \xNN (≤ U+00FF) or \u{hex}
    const spec = (s: string) => [...s].map((ch) => (isXmlChar(ch.codePointAt(0)!) ? ch : ch.codePointAt(0)! <= 0xff ? `\\x${ch.codePointAt(0)!.toString(16).padStart(2, '0')}` : `\\u{${ch.codePointAt(0)!.toString(16)}}`)).join('');
    fc.assert(
      fc.property(hostile, (s) => {
        const a = xmlAttr(s);
        const t = xmlText(s);
        expect(decode(a)).toBe(spec(s));
        expect(decode(t)).toBe(spec(s));
        // nothing that could end the attribute or open markup, no raw tab/LF/CR in attributes (normalised by parsers), no raw CR in text
        expect(a).not.toMatch(/["<>\t\n\r]|&(?!(amp|lt|gt|quot|#[0-9]+);)/);
        expect(t).not.toMatch(/[<>\r]|&(?!(amp|lt|gt|#[0-9]+);)/);
        for (const ch of a + t) expect(isXmlChar(ch.codePointAt(0)!)).toBe(true);
      }),
    );
  });

  it('escaping: documents whose check names, messages and notes are hostile strings are schema-valid (25 sampled cases, one xmllint call)', async () => {
    const samples = fc.sample(fc.tuple(hostile, hostile), { numRuns: 25, seed: suiteSeed() });
    const entries = samples.map(([name, msg], k) =>
      entry('P1-F1', `${k} ${name}`, k % 2 === 0 ? 'fails' : 'holds', 'holds', {
        notes: [msg],
        ...(k % 2 === 0 ? { file: `${name}.ts`, counterexample: { seed: 1, path: '0', input: null, comparison: null, message: msg } } : {}),
      }),
    );
    const ledger = buildLedger({ seed: 1, tier: 'default', budget: 1e-6, entries, claimIds: ['P1-F1'] });
    const xml = junitXml(ledger, { ...OPTS, commit: samples[0]![1], hostname: samples[1]![0] });
    expect(await schemaErrors({ 'hostile.xml': xml })).toEqual({ 'hostile.xml': [] });
    expect(readSuites(xml).get('P1-F1')!.cases.filter((c) => c.outcome === 'failure')).toHaveLength(13);
  });
});

describe('issue 16 step summary (src/report/step-summary.ts) and writeCiOutputs (src/report/ci-outputs.ts)', () => {
  const md = stepSummaryMarkdown(LEDGER, { commit: 'c0ffee1234567890', pending: NONE_PENDING });

  it('outcome, then the unexpected verdicts with their replay lines, then the claims table', () => {
    expect(md).toContain('**FAIL**: 5 verdicts differ from the expected one.');
    const unexpectedAt = md.indexOf('### Unexpected verdicts');
    const claimsAt = md.indexOf('### Claims');
    expect(unexpectedAt).toBeGreaterThan(0);
    expect(claimsAt).toBeGreaterThan(unexpectedAt);
    const head = md.slice(unexpectedAt, claimsAt);
    for (const line of ['P1-F1 / b: verdict inconclusive, expected holds', 'P1-3.1 / c: verdict weak, expected holds', 'P1-4.2 / f: verdict inconclusive, expected fails-as-stated', 'P2-E1: no check recorded']) expect(head).toContain(line);
    expect(head).toContain(`  COLLAPSE_SEED=4242 COLLAPSE_REPLAY_CHECK='P1-3.1 / d <&> "q"' COLLAPSE_REPLAY_PATH=3:1:0 npx vitest run ${CX_FILE}`);
    // an inconclusive check has no counterexample: it reruns with the run's seed (no file recorded ⇒ verify --claim)
    expect(head).toContain('  COLLAPSE_SEED=4242 npx collapse-check verify --claim P1-F1');
  });

  it('claims table: verdict, expected, worst margin WITH its check (subnormal margin as ≈0), δ spent; cells escaped', () => {
    expect(md).toContain('| claim | verdict | expected | worst margin (check) | δ spent |');
    expect(md).toContain('| P1-F1 | inconclusive ❌ | holds | ≈0 (a) | 0 |');
    expect(md).toContain('| P1-3.1 | fails ❌ | holds | -0.1686 (d &lt;&amp;&gt; "q") | 2.5e-8 |');
    expect(md).toContain('| P1-3.4 | holds | holds | 0.25 (g) | 0 |');
    expect(md).toContain('| P2-E1 | not-yet-checked ❌ | holds | — | 0 |');
    const shard = stepSummaryMarkdown(LEDGER, { commit: 'c0ffee', shard: '2/2', pending: NONE_PENDING });
    expect(shard).toContain('| P2-E1 | in another shard | holds | — | 0 |');
    expect(shard).toContain('## collapse-check shard 2/2');
  });

  it('writeCiOutputs: writes the JUnit file, APPENDS to $GITHUB_STEP_SUMMARY, writes nothing else', () => {
    const summary = join(tmp, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const junit = join(tmp, 'junit.xml');
    const w = writeCiOutputs({ ledger: LEDGER, junitPath: junit, env: { GITHUB_STEP_SUMMARY: summary }, run: { commit: 'c0ffee', startedAt: OPTS.timestamp }, pending: NONE_PENDING });
    expect(w).toEqual({ junit, stepSummary: summary });
    expect(readFileSync(junit, 'utf8')).toBe(junitXml(LEDGER, OPTS));
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('earlier step\n## collapse-check run')).toBe(true);
    const none = writeCiOutputs({ ledger: LEDGER, env: {}, run: { commit: 'c0ffee', startedAt: OPTS.timestamp } });
    expect(none).toEqual({});
    expect(existsSync(join(tmp, 'other.xml'))).toBe(false);
  });
});

describe('issue 16 margins print without subnormal noise (src/numerics/text.ts formatMargin)', () => {
  it('hand-written values (the ones the issue saw: 1.00e-318 and a 0 hiding 0.006)', () => {
    const table: [unknown, string][] = [
      [9.9993e-319, '≈0'],
      [-9.9993e-319, '-9.999e-319'],
      [0, '0'],
      [0.0022265250419506205, '0.002227'],
      [0.005574770552288284, '0.005575'],
      [4.749395121354764e-18, '4.749e-18'],
      [1e-300, '1e-300'],
      [MIN_NORMAL, '2.225e-308'],
      [-0.16859999999999997, '-0.1686'],
      [12345.6, '1.235e4'],
      ['Infinity', '+∞'],
      [-Infinity, '−∞'],
      [null, '—'],
    ];
    for (const [v, s] of table) expect(formatMargin(v), String(v)).toBe(s);
  });

  it('any finite double: the sign is kept and 4 significant digits are right; only positive subnormals print as ≈0 (fast-check)', () => {
    // Oracle: the double's own 20-digit decimal (toExponential(19), exact to 20 digits) as mantissa
    // m ∈ [1, 10) and exponent k; the printed value as mantissa m' and exponent k' (k' = k, or k + 1
    // after rounding up to 10). 4 significant digits: |m'·10^(k'−k) − m| ≤ ½·10^(−3) ≤ 5e-4·m; the
    // 1e-12 slack covers the binary reading of the decimal mantissas (a few ulps of numbers ≤ 10).
    const HALF_UNIT_4TH_DIGIT = 0.5e-3 + 1e-12;
    const split = (t: string) => {
      const [m, e] = t.split('e');
      return { m: Number(m), k: Number(e) };
    };
    fc.assert(
      // every binade and the subnormals are the point of a formatter: fast-check's representable doubles
      fc.property(representableDouble(-Number.MAX_VALUE, Number.MAX_VALUE), (v) => {
        const s = formatMargin(v);
        if (v === 0) {
          expect(s).toBe('0');
          return;
        }
        if (v > 0 && v < MIN_NORMAL) {
          expect(s).toBe('≈0');
          return;
        }
        expect(s.startsWith('-')).toBe(v < 0);
        const want = split(Math.abs(v).toExponential(19));
        const got = s.includes('e') ? split(s.replace(/^-/, '')) : split(Math.abs(Number(s)).toExponential(19));
        expect([0, 1]).toContain(got.k - want.k);
        expect(Math.abs(got.m * 10 ** (got.k - want.k) - want.m)).toBeLessThanOrEqual(HALF_UNIT_4TH_DIGIT);
      }),
    );
  });
});

describe('issue 16 the report shows worst margins through formatMargin (src/report/render.ts)', () => {
  it('a subnormal margin is ≈0 in the summary table, the legend says what ≈0 means, a negative one keeps its digits', async () => {
    const { renderReport } = await import('../../src/report/render.ts');
    const out = join(tmp, 'report');
    await renderReport(LEDGER, { seed: 4242, commit: 'c0ffee', startedAt: OPTS.timestamp, finishedAt: OPTS.timestamp, wallSeconds: 1, nodeVersion: 'v20', machine: { cpus: 2, model: 'test' }, tier: 'default', commandLine: 'collapse-check verify', budget: { total: 1e-6, split: [] } }, out, { claims: null });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| P1-F1 \| \[a\]\([^)]*\) \| \*\*holds\*\* \| holds \| 5 \| ≈0 \| exact \| 0 \|/);
    expect(md).toMatch(/\| P1-3\.1 \| \[d [^\]]*\]\(#check-P1-3\.1__d-q\) \| \*\*fails\*\* \| holds \| 5 \| -0\.1686 \| exact \| 0 \|/);
    expect(md).toContain('≈0 = positive but below 2.2e-308');
    // the summary table shows no subnormal digits; the per-check evidence table keeps the exact value
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('\n## ', md.indexOf('## Summary') + 1));
    expect(summary).not.toMatch(/e-31[0-9]/);
    expect(md).toContain('| worst margin | 9.9993e-319 |');
  });
});
