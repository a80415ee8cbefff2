/**
 * JUnit XML of a ledger (`verify|merge --junit FILE`, issue 16), for CI dashboards. Valid against
 * the Apache Ant JUnit schema (fixtures/junit/JUnit.xsd, tested in properties/exact/junit.test.ts):
 *
 *   <testsuites>
 *     <testsuite package="collapse-check" id="k" name="<claim id>" timestamp hostname tests failures errors="0" skipped time="0">
 *       <properties> seed, commit, tier, budget, shard (if any), expected, verdict, δ spent </properties>
 *       <testcase name="<check>" classname="collapse-check.<claim id>" time="0"> [<failure …>|<skipped/>] </testcase> …
 *       <system-out>title and statement</system-out><system-err/>
 *     </testsuite> …
 *   </testsuites>
 *
 * One testsuite per claim of the ledger (ledger.claims, catalogue order), one testcase per check
 * that gives evidence for it (recorded under it, or serving it via `alsoServes`: such a testcase is
 * named "<check> (recorded under <id>)" and fails in both suites). A `<failure>` marks exactly the
 * findings of the run's exit rule (src/ledger/judgement.ts `unexpectedVerdicts`: any verdict other
 * than the expected one, inconclusive and weak included; a claim-level finding gets its own testcase
 * "claim verdict"); its `type` is the verdict, its text the reason, the counterexample and the
 * command replaying it alone (src/report/replay.ts). A claim without checks is one `<skipped/>`
 * testcase: "in another shard" in a shard run (merge judges it), "pending" when the catalogue marks
 * it pending; otherwise it is a failure (rule 3 of the judgement).
 *
 * Times: the ledger records none per check (it is byte-stable), so every `time` is 0 and the
 * `timing` property says so. `timestamp` is the run's start in UTC without a zone (the schema's
 * pattern). Text: the five XML specials are escaped; characters XML 1.0 cannot carry at all (C0
 * controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) become the visible `\xNN` /
 * `\u{NNNN}`; tab, LF and CR in attributes are character references (so they survive attribute
 * normalisation). Pure; throws only on an invalid timestamp.
 */
import type { Ledger, LedgerEntry } from '../verdict/types.ts';
import { entriesForClaim } from '../ledger/ledger.ts';
import { describeUnexpected, pendingUnchecked, unexpectedVerdicts, type UnexpectedVerdict } from '../ledger/judgement.ts';
import { formatMargin } from '../numerics/text.ts';
import { replayLine } from './replay.ts';

export interface JunitOptions {
  /** commit of the run (property `commit`) */
  readonly commit: string;
  /** start of the run, any Date-parsable string (written as UTC `YYYY-MM-DDTHH:MM:SS`) */
  readonly timestamp: string;
  /** host name (default `localhost`, as the schema advises when it is not known) */
  readonly hostname?: string;
  /** `i/n` when the ledger is one shard of a run: per-entry judgement only, claims without checks skipped */
  readonly shard?: string;
  /** claim ids treated as pending (default: the catalogue's) */
  readonly pending?: ReadonlySet<string>;
}

/** Testsuite `package` attribute (the schema requires one in an aggregated document). */
export const JUNIT_PACKAGE = 'collapse-check';

/** Replaces what XML 1.0 cannot carry (see the file comment); keeps every other character. */
export function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    out += ok ? ch : c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
  }
  return out;
}

/** Text content: XML characters only, `&`, `<`, `>` escaped, CR as a reference (a parser would turn a raw CR into LF). */
export function xmlText(s: string): string {
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute value (double-quoted): as text, plus `"`, and tab/LF/CR as references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** UTC `YYYY-MM-DDTHH:MM:SS` (the schema's ISO8601_DATETIME_PATTERN: no fraction, no zone). */
export function junitTimestamp(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) throw new Error(`junit: invalid timestamp "${ts}"`);
  return d.toISOString().slice(0, 19);
}

interface Case {
  readonly name: string;
  readonly failure?: { readonly type: string; readonly message: string; readonly text: string };
  readonly skipped?: string;
}

function entryFailureText(e: LedgerEntry, u: UnexpectedVerdict): string {
  const lines = [describeUnexpected(u), `worst margin ${formatMargin(e.worstMargin)}, cases ${e.cases}, δ ${e.delta}, power ${e.power ?? 'exact'}`];
  if (e.counterexample) lines.push(`counterexample: ${e.counterexample.message}`, `seed ${e.counterexample.seed}, path ${e.counterexample.path ?? '—'}`);
  for (const n of e.notes ?? []) lines.push(n);
  lines.push(`replay: ${replayLine(e)}`);
  return lines.join('\n');
}

function casesOfClaim(ledger: Ledger, id: string, findings: readonly UnexpectedVerdict[], shard: string | undefined, pending: readonly string[]): Case[] {
  const cases: Case[] = [];
  for (const e of entriesForClaim(ledger.entries, id)) {
    const name = e.claimId === id ? e.check : `${e.check} (recorded under ${e.claimId})`;
    const u = findings.find((f) => f.claimId === e.claimId && f.check === e.check);
    cases.push(u ? { name, failure: { type: u.verdict, message: describeUnexpected(u), text: entryFailureText(e, u) } } : { name });
  }
  for (const u of findings.filter((f) => f.claimId === id && f.check === null)) {
    cases.push({ name: 'claim verdict', failure: { type: u.verdict, message: describeUnexpected(u), text: describeUnexpected(u) } });
  }
  if (cases.length === 0) {
    if (shard !== undefined) cases.push({ name: 'in another shard', skipped: `no check of ${id} ran in shard ${shard}: merge judges the claim` });
    else if (pending.includes(id)) cases.push({ name: 'pending', skipped: `${id} has no check yet and the catalogue marks it pending` });
  }
  return cases;
}

/** The JUnit XML document of `ledger` (see the file comment). */
export function junitXml(ledger: Ledger, opts: JunitOptions): string {
  const timestamp = junitTimestamp(opts.timestamp);
  const hostname = opts.hostname && opts.hostname.trim() !== '' ? opts.hostname : 'localhost';
  const judged = { partial: opts.shard !== undefined, ...(opts.pending ? { pending: opts.pending } : {}) };
  const findings = unexpectedVerdicts(ledger, judged);
  const pending = pendingUnchecked(ledger, judged);
  const claims = ledger.claims ?? [...new Set(ledger.entries.map((e) => e.claimId))].map((id) => ({ id, title: '', statement: '', expected: '', verdict: '', delta: ledger.entries.filter((e) => e.claimId === id).reduce((s, e) => s + e.delta, 0) }));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  claims.forEach((c, k) => {
    const cases = casesOfClaim(ledger, c.id, findings, opts.shard, pending);
    const failures = cases.filter((x) => x.failure).length;
    const skipped = cases.filter((x) => x.skipped !== undefined).length;
    const props: [string, string][] = [
      ['seed', String(ledger.seed)],
      ['commit', opts.commit],
      ['tier', ledger.tier],
      ['budget', String(ledger.budget)],
      ...(opts.shard !== undefined ? ([['shard', opts.shard]] as [string, string][]) : []),
      ['expected', c.expected],
      ['verdict', c.verdict],
      ['delta', String(c.delta)],
      ['timing', 'not recorded per check (ledger.json is byte-stable); run.json has the wall time'],
    ];
    out.push(
      `  <testsuite package="${JUNIT_PACKAGE}" id="${k}" name="${xmlAttr(c.id)}" timestamp="${timestamp}" hostname="${xmlAttr(hostname)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
      '    <properties>',
      ...props.map(([n, v]) => `      <property name="${xmlAttr(n)}" value="${xmlAttr(v)}"/>`),
      '    </properties>',
    );
    for (const x of cases) {
      const open = `    <testcase name="${xmlAttr(x.name)}" classname="${xmlAttr(`${JUNIT_PACKAGE}.${c.id}`)}" time="0"`;
      if (x.failure) out.push(`${open}>`, `      <failure type="${xmlAttr(x.failure.type)}" message="${xmlAttr(x.failure.message)}">${xmlText(x.failure.text)}</failure>`, '    </testcase>');
      else if (x.skipped !== undefined) out.push(`${open}>`, `      <skipped message="${xmlAttr(x.skipped)}"/>`, '    </testcase>');
      else out.push(`${open}/>`);
    }
    out.push(`    <system-out>${xmlText([c.title, c.statement].filter((s) => s !== '').join('\n'))}</system-out>`, '    <system-err></system-err>', '  </testsuite>');
  });
  out.push('</testsuites>', '');
  return out.join('\n');
}
