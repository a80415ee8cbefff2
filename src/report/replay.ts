/**
 * The command that replays one ledger entry ALONE (issue 16: "a printed counterexample (seed +
 * fast-check path) replays alone, without rerunning the whole claim"), shared by the step summary,
 * the JUnit failure text and `collapse-check explain --ledger`.
 *
 * With a counterexample whose fast-check path is known and the entry's property file:
 *
 *   COLLAPSE_SEED=<seed> COLLAPSE_REPLAY_CHECK='<claim id> / <check>' COLLAPSE_REPLAY_PATH=<path> npx vitest run <file>
 *
 * runs that file with the run's seed; the named check evaluates only the recorded case (no
 * shrinking: src/verdict/engine.ts `replayRequest`), the file's other checks run as usual. When
 * the entry records the name of the vitest test that ran the check (optional field `test`, vitest's
 * "describe > … > it"), `-t '<its it-title as a literal regex>'` is added so vitest runs only the
 * tests with that title (vitest matches `-t` anywhere in the full test name). Without a path (an inconclusive or weak check has no
 * counterexample): `COLLAPSE_SEED=<seed> npx vitest run <file>` reruns the check's file. Without a
 * file: `COLLAPSE_SEED=<seed> npx collapse-check verify --claim <id>`. For a user claim file (any file
 * outside `properties/`, run by `verify --claims`): `… verify --claims <file> --claim <id>` (a
 * one-case replay is refused inside a verify run, so the claim reruns whole).
 *
 * Every argument is quoted for a POSIX shell (single quotes; a quote inside as '\''), so a check
 * name with spaces, `$`, `|` or quotes pastes as one argument. Pure; never throws.
 */
import type { LedgerEntry } from '../verdict/types.ts';
import { REPLAY_CHECK_ENV, REPLAY_PATH_ENV } from '../verdict/engine.ts';

/** A POSIX-shell word: bare when it has only safe characters, else single-quoted. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A string as a regular expression that matches it literally (vitest's `-t` is a regex). */
export function regexLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The title of the vitest test that recorded the entry, when the recorder wrote its name (optional
 * field `test`: vitest's `currentTestName`, "describe > … > it"; the part after the last " > ").
 */
function testTitle(entry: LedgerEntry): string | null {
  const t = (entry as LedgerEntry & { readonly test?: unknown }).test;
  if (typeof t !== 'string' || t === '') return null;
  const title = t.slice(t.lastIndexOf(' > ') + (t.includes(' > ') ? 3 : 0));
  return title !== '' ? title : null;
}

/** The one-line command replaying `entry` alone (see the file comment). */
export function replayLine(entry: LedgerEntry): string {
  const cx = entry.counterexample;
  const seed = cx?.seed ?? entry.seed;
  const path = cx ? (cx.path ?? entry.replayPath) : null;
  if (entry.file === undefined || entry.file === '') return `COLLAPSE_SEED=${seed} npx collapse-check verify --claim ${shellQuote(entry.claimId)}`;
  // a user claim file (verify --claims) is not a vitest file: rerun its claim through verify
  if (!entry.file.startsWith('properties/')) return `COLLAPSE_SEED=${seed} npx collapse-check verify --claims ${shellQuote(entry.file)} --claim ${shellQuote(entry.claimId)}`;
  const title = testTitle(entry);
  const only = title !== null ? ` -t ${shellQuote(regexLiteral(title))}` : '';
  if (path === null || path === '') return `COLLAPSE_SEED=${seed} npx vitest run ${shellQuote(entry.file)}${only}`;
  return `COLLAPSE_SEED=${seed} ${REPLAY_CHECK_ENV}=${shellQuote(`${entry.claimId} / ${entry.check}`)} ${REPLAY_PATH_ENV}=${shellQuote(path)} npx vitest run ${shellQuote(entry.file)}${only}`;
}
