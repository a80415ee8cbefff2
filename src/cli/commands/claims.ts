/**
 * `collapse-check claims [--claims GLOB ...] [--reports DIR] [--json]`: every claim of the catalogue
 * (src/claims/catalogue.ts), in registry order, with its statement, source and source tag,
 * assumptions, expected verdict, the property files `verify --claim ID` runs (evidence files, then
 * support files) and its oracles (module reference and role); then the user's claims of
 * `--claims GLOB` (else the key `claims` of collapse-check.config.json; src/claims/user-claims.ts),
 * loaded and validated as `verify --claims` does. Runs no check, writes no file.
 *
 * Last verdict: each claim's summary verdict in the most recent ledger.json (by modification time)
 * that checked it, among DIR/ledger.json and DIR/<run>/ledger.json (DIR: --reports, default
 * `reports` under the current directory, where verify and merge write), at most MAX_LEDGERS_READ of
 * them; "never run" when none did. A ledger that cannot be read or parsed is skipped.
 *
 * Human text: one block per claim on stdout. --json: one document `{ claims: ClaimDocument[] }` on
 * stdout. Exit 0; 2 for bad usage (commander) or a bad claim file (a record field, an id colliding
 * with a built-in one). `collapse-check explain ID` prints one catalogue claim in full.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT_OK, UsageError, humanWriter, toJson } from '../io.ts';
import { CLAIMS, claimPropertyFiles, type ClaimRecord } from '../../claims/registry.ts';
import { UserClaimError, configClaimPatterns, expandClaimGlobs, loadUserClaims, type LoadedUserClaim } from '../../claims/user-claims.ts';

/** One claim as `claims --json` and `explain --json` print it (a stable, flat view of the record). */
export interface ClaimDocument {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: string;
  readonly tag: string;
  readonly assumptions: readonly string[];
  readonly expected: 'holds' | 'fails-as-stated';
  /** true: no check yet, a run without entries does not fail (catalogue `pending`) */
  readonly pending: boolean;
  /** the files `verify --claim ID` runs: evidence files, then support files */
  readonly propertyFiles: readonly string[];
  readonly oracles: ReadonlyArray<{ readonly ref: string; readonly role: string }>;
  /** a user claim: its claim file (absent for catalogue claims) */
  readonly file?: string;
  /** `claims` only: the claim's verdict in the most recent ledger that checked it (null: never run) */
  readonly lastVerdict?: LastVerdict | null;
}

/** A claim's verdict in the most recent ledger that checked it. */
export interface LastVerdict {
  readonly verdict: string;
  /** the ledger.json it comes from (relative to the current directory when below it) */
  readonly ledger: string;
  /** the ledger file's modification time, ISO 8601 */
  readonly at: string;
}

/** Ledgers read at most, newest first (a full ledger is a few MB). */
export const MAX_LEDGERS_READ = 50;

/** DIR/ledger.json and DIR/<run>/ledger.json, newest first (modification time). */
function ledgerFiles(dir: string): { path: string; mtime: number }[] {
  const out: { path: string; mtime: number }[] = [];
  const add = (p: string) => {
    try {
      const st = statSync(p);
      if (st.isFile()) out.push({ path: p, mtime: st.mtimeMs });
    } catch {
      // no ledger there
    }
  };
  if (!existsSync(dir)) return out;
  add(join(dir, 'ledger.json'));
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) add(join(dir, n, 'ledger.json'));
  return out.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? -1 : 1));
}

/** Last verdict of each id (see the file comment); ids never checked are absent. */
export function lastVerdicts(ids: readonly string[], dir: string, cwd = process.cwd()): Map<string, LastVerdict> {
  const found = new Map<string, LastVerdict>();
  for (const f of ledgerFiles(dir).slice(0, MAX_LEDGERS_READ)) {
    if (found.size === ids.length) break;
    let claims: unknown;
    try {
      claims = (JSON.parse(readFileSync(f.path, 'utf8')) as { claims?: unknown }).claims;
    } catch {
      continue;
    }
    if (!Array.isArray(claims)) continue;
    const rel = relative(cwd, f.path);
    for (const c of claims as { id?: unknown; verdict?: unknown; checks?: unknown }[]) {
      if (typeof c?.id !== 'string' || found.has(c.id) || !ids.includes(c.id)) continue;
      if (typeof c.verdict !== 'string' || !(typeof c.checks === 'number' && c.checks > 0)) continue;
      found.set(c.id, { verdict: c.verdict, ledger: rel.startsWith('..') ? f.path : rel, at: new Date(f.mtime).toISOString() });
    }
  }
  return found;
}

/** A user claim as `claims` lists it. */
export function userClaimDocument(u: LoadedUserClaim): ClaimDocument {
  return {
    id: u.claim.id,
    title: u.claim.title ?? u.claim.id,
    statement: u.claim.statement,
    source: u.claim.source,
    tag: '(user claim)',
    assumptions: [...u.claim.assumptions],
    expected: u.claim.expected,
    pending: false,
    propertyFiles: [u.file],
    oracles: u.claim.oracle ? [{ ref: u.file, role: u.claim.oracle }] : [],
    file: u.file,
  };
}

export function claimDocument(c: ClaimRecord): ClaimDocument {
  return {
    id: c.id,
    title: c.title,
    statement: c.statement,
    source: c.source,
    tag: c.tag,
    assumptions: [...c.assumptions],
    expected: c.expected,
    pending: c.pending === true,
    propertyFiles: claimPropertyFiles(c.id),
    oracles: c.oracles.map((o) => ({ ref: o.ref, role: o.role })),
  };
}

/** The human block of one claim in the listing (explain prints more). */
export function claimSummaryLines(d: ClaimDocument): string[] {
  return [
    `${d.id}  ${d.title}  (expected: ${d.expected}${d.pending ? ', pending' : ''})`,
    `  statement:   ${d.statement}`,
    `  source:      ${d.source} ${d.tag}`,
    `  assumptions: ${d.assumptions.length ? d.assumptions.join('; ') : '(none)'}`,
    `  files:       ${d.propertyFiles.length ? d.propertyFiles.join(', ') : '(none yet)'}`,
    `  oracles:     ${d.oracles.length ? d.oracles.map((o) => o.ref).join(', ') : '(none)'}`,
    ...(d.lastVerdict === undefined ? [] : [`  last verdict: ${d.lastVerdict === null ? 'never run' : `${d.lastVerdict.verdict} (${d.lastVerdict.ledger}, ${d.lastVerdict.at})`}`]),
  ];
}

export interface ClaimsOptions {
  json?: boolean;
  claims?: string[];
  reports?: string;
}

export async function runClaims(opts: ClaimsOptions): Promise<number> {
  const cwd = process.cwd();
  let user: LoadedUserClaim[];
  try {
    const patterns = opts.claims && opts.claims.length ? opts.claims : configClaimPatterns(cwd);
    user = await loadUserClaims(expandClaimGlobs(patterns, cwd), cwd);
  } catch (err) {
    if (err instanceof UserClaimError) throw new UsageError(err.message);
    throw err;
  }
  const base = [...CLAIMS.map(claimDocument), ...user.map(userClaimDocument)];
  const last = lastVerdicts(base.map((d) => d.id), resolve(cwd, opts.reports ?? 'reports'), cwd);
  const docs = base.map((d) => ({ ...d, lastVerdict: last.get(d.id) ?? null }));
  if (opts.json) {
    process.stdout.write(toJson({ claims: docs }) + '\n');
    return EXIT_OK;
  }
  const human = humanWriter(false);
  for (const d of docs) {
    for (const l of claimSummaryLines(d)) human(l);
    human('');
  }
  human(`${docs.length} claims (${user.length} user claim${user.length === 1 ? '' : 's'}); \`collapse-check explain ID\` prints a catalogue claim in full, \`collapse-check verify --claim ID\` checks it (add --claims GLOB for a user claim).`);
  return EXIT_OK;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('claims')
    .description(COMMAND_SUMMARIES.claims)
    .option('--json', 'one JSON document { claims: [...] } on stdout')
    .option('--claims <glob>', 'also list your claim files (repeatable; default: "claims" of collapse-check.config.json)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--reports <dir>', 'where to find the last verdicts: a run directory with ledger.json, or a directory of runs (default: reports)')
    .action(async (opts: ClaimsOptions) => {
      setExit(await runClaims(opts));
    });
}
