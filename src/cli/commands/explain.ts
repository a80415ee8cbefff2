/**
 * `collapse-check explain ID [--ledger FILE] [--json]`: one claim's full catalogue record
 * (src/claims/catalogue.ts): statement, source and tag, assumptions, anchors (worked examples
 * pinning the statement), expected verdict, evidence (property file → named checks, and the claim
 * id a shared check is recorded under), support files, the oracle description and oracle
 * references, and the commands that check it and replay a failing case. Runs nothing, writes no file.
 *
 * --ledger FILE (a ledger.json, or a verify/merge output directory holding one): also the claim's
 * checks in that run and, for its worst case (the check with the smallest worst margin) and every
 * check whose verdict differs from the expected one, the ONE command that replays it alone
 * (src/report/replay.ts: the recorded fast-check seed and path through COLLAPSE_REPLAY_CHECK and
 * COLLAPSE_REPLAY_PATH, src/verdict/engine.ts), without rerunning the whole claim.
 *
 * ID is matched exactly, else case-insensitively. Exit 0; 2 for a missing or unknown ID (the message
 * lists the known ids), or a --ledger that is missing or fails the ledger schema (src/ledger/schema.ts).
 * --json: `{ claim: ClaimDocument & { anchors, evidence, supportFiles, oracle, commands, run? } }`
 * on stdout (errors: the JSON error document of src/cli/main.ts).
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { EXIT_OK, UsageError, humanWriter, terminalSafe, toJson } from '../io.ts';
import { CLAIMS, claim, isClaimId } from '../../claims/registry.ts';
import { claimDocument, claimSummaryLines } from './claims.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkLedgerText } from '../../ledger/schema.ts';
import { entriesForClaim } from '../../ledger/ledger.ts';
import { replayLine } from '../../report/replay.ts';
import { formatMargin } from '../../numerics/text.ts';
import { REPLAY_CHECK_ENV, REPLAY_PATH_ENV } from '../../verdict/engine.ts';
import type { LedgerEntry } from '../../verdict/types.ts';

/** One check of the claim in a given run, with the command replaying it alone. */
export interface CheckInRun {
  readonly check: string;
  readonly recordedUnder: string;
  readonly verdict: string;
  readonly expected: string;
  readonly worstMargin: string;
  readonly worstCase: boolean;
  /** null when the verdict is the expected one and it is not the worst case */
  readonly replay: string | null;
}

/** Reads --ledger (file or directory) and returns the claim's checks in that run; throws UsageError. */
export function checksInRun(ledgerArg: string, claimId: string): { file: string; seed: number; checks: CheckInRun[] } {
  const p = resolve(ledgerArg);
  const file = existsSync(p) && statSync(p).isDirectory() ? join(p, 'ledger.json') : p;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`explain: --ledger ${terminalSafe(file)}: ledger.json not found (give a verify/merge output directory or its ledger.json)`);
  }
  const checked = checkLedgerText(text);
  if (!checked.ok) throw new UsageError(`explain: --ledger ${terminalSafe(file)}: ${terminalSafe(checked.problem)}`);
  const mine: LedgerEntry[] = entriesForClaim(checked.value.entries, claimId);
  let worst: LedgerEntry | null = null;
  for (const e of mine) if (e.worstMargin !== null && (worst === null || e.worstMargin < worst.worstMargin!)) worst = e;
  const checks = mine.map((e) => {
    const off = e.verdict !== e.expected;
    return { check: e.check, recordedUnder: e.claimId, verdict: e.verdict, expected: e.expected, worstMargin: formatMargin(e.worstMargin), worstCase: e === worst, replay: off || e === worst ? replayLine(e) : null };
  });
  return { file, seed: checked.value.seed, checks };
}

/** The catalogue id for ID (exact, else the one case-insensitive match); throws UsageError otherwise. */
export function resolveClaimId(id: string): string {
  if (isClaimId(id)) return id;
  const hit = CLAIMS.find((c) => c.id.toLowerCase() === id.toLowerCase());
  if (hit) return hit.id;
  throw new UsageError(`explain: unknown claim id "${terminalSafe(id)}" (known: ${CLAIMS.map((c) => c.id).join(', ')})`);
}

export function runExplain(rawId: string, opts: { json?: boolean; ledger?: string }): number {
  const c = claim(resolveClaimId(rawId));
  const doc = claimDocument(c);
  const inRun = opts.ledger !== undefined ? checksInRun(opts.ledger, c.id) : null;
  const commands = {
    check: `collapse-check verify --claim ${c.id}`,
    checkDeep: `collapse-check verify --claim ${c.id} --tier deep`,
    replay:
      `one recorded case alone: COLLAPSE_SEED=<seed> ${REPLAY_CHECK_ENV}='${c.id} / <check>' ${REPLAY_PATH_ENV}=<path> npx vitest run <file> ` +
      '(seed, path and file from the ledger entry; `explain ' + c.id + ' --ledger <run dir>` prints the exact line)' +
      (doc.propertyFiles.length ? `; this claim's files: ${doc.propertyFiles.join(', ')}` : ''),
  };
  if (opts.json) {
    process.stdout.write(
      toJson({
        claim: {
          ...doc,
          anchors: [...c.anchors],
          evidence: c.evidence.map((e) => ({ file: e.file, checks: [...e.checks], ...(e.via ? { via: e.via } : {}) })),
          supportFiles: [...c.supportFiles],
          oracle: c.oracle,
          commands,
          ...(inRun ? { run: inRun } : {}),
        },
      }) + '\n',
    );
    return EXIT_OK;
  }
  const human = humanWriter(false);
  const [head, ...rest] = claimSummaryLines(doc);
  human(head!);
  for (const l of rest.filter((l) => !/^\s+(files|oracles):/.test(l))) human(l);
  human('  anchors:');
  for (const a of c.anchors) human(`    - ${a}`);
  human('  evidence:');
  if (c.evidence.length === 0) human('    (none yet)');
  for (const e of c.evidence) {
    human(`    ${e.file}${e.via ? ` (recorded under ${e.via})` : ''}`);
    for (const k of e.checks) human(`      - ${k}`);
  }
  human(`  support files: ${c.supportFiles.length ? c.supportFiles.join(', ') : '(none)'}`);
  human(`  oracle: ${c.oracle}`);
  for (const o of c.oracles) human(`    - ${o.ref}: ${o.role}`);
  human('  check:');
  human(`    ${commands.check}`);
  human(`    ${commands.checkDeep}`);
  human(`  replay: ${commands.replay}`);
  if (inRun) {
    human(`  in ${inRun.file} (seed ${inRun.seed}):${inRun.checks.length ? '' : ' no check of this claim'}`);
    for (const k of inRun.checks) {
      human(`    - ${k.check}${k.recordedUnder !== c.id ? ` (recorded under ${k.recordedUnder})` : ''}: ${k.verdict}${k.verdict !== k.expected ? ` (UNEXPECTED, expected ${k.expected})` : ''}, worst margin ${k.worstMargin}${k.worstCase ? ' (worst case of the claim)' : ''}`);
      if (k.replay) human(`      replay alone: ${k.replay}`);
    }
  }
  return EXIT_OK;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description(COMMAND_SUMMARIES.explain)
    .argument('<id>', 'claim id, e.g. P1-F1 (case-insensitive)')
    .option('--ledger <file>', "a run's ledger.json (or its output directory): the claim's checks there and the command replaying its worst case alone")
    .option('--json', 'one JSON document { claim: {...} } on stdout')
    .action((id: string, opts: { json?: boolean; ledger?: string }) => {
      setExit(runExplain(id, opts));
    });
}
