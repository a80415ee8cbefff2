/**
 * A user's own claims (issue 16, "your own claims"): claim files in the user's repository, run by
 * `collapse-check verify --claims GLOB` next to (default) or instead of (`--only-user-claims`) the
 * built-in catalogue, with the same budget, ledger, exit rule, report and sharding.
 *
 * A claim file (`*.claim.ts`, `.mts`, `.js` or `.mjs`) default-exports ONE claim record:
 *
 *   export default {
 *     id: 'MY-OU-1',                       // letters, digits, . _ -; not a built-in id
 *     title: 'OU mean contraction',        // optional (default: the id)
 *     statement: '…',                      // the claim in words or formula
 *     assumptions: ['t ≥ 0', …],
 *     source: 'my paper, Lemma 2',
 *     expected: 'holds',                   // or 'fails-as-stated'
 *     oracle: '…',                         // optional: what the checks compare against
 *     checks: [{ check: 'name', arbitrary, numRuns, evaluate, statistical?, expected?, notes? }],
 *   };
 *
 * Each check is a `checkProperty` specification (src/verdict/engine.ts) without `claimId`, `seed`
 * and `path` (verify supplies the claim's id and the run's seed): a fast-check arbitrary of valid
 * cases and an `evaluate(case, { delta })` returning comparisons built with the library's
 * `leqExact`, `eqExact`, `leqStatistical`, … A check's `expected` defaults to the claim's.
 *
 * This module (the claims layer) validates and loads; it does not run checks (the verdict engine is
 * one layer up: `verify` runs them). The record is validated with zod at the boundary: a bad record
 * is a `UserClaimError` naming the file, the field and what is allowed (the CLI exits 2), as are a
 * claim id equal to a built-in one (case-insensitively: `--claim` globs ignore case) or to another
 * claim file's, a duplicated check name, a pattern that matches no file, a file that fails to load.
 *
 * Where the claim files come from: `--claims GLOB` (repeatable), else the key `claims` (a glob or a
 * list of globs) of `collapse-check.config.json` in the current directory, else none. Globs are
 * relative to the current directory: `*` and `?` within one path segment, `**` any number of
 * segments, `{a,b}` alternatives; node_modules and dot-directories are not searched by a wildcard.
 *
 * Loading runs the file's top-level code in the verify process (through tsx for TypeScript), as a
 * test runner would: a claim file that exits the process or never returns stops the run.
 */
import { z } from 'zod';
import type { Arbitrary } from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLAIMS } from './registry.ts';
import { configErrorFromIssues } from '../config/zod-issues.ts';

/** Bad input about a user claim or its file (the CLI maps it to exit 2). */
export class UserClaimError extends Error {
  override readonly name = 'UserClaimError';
}

export type ExpectedVerdict = 'holds' | 'fails-as-stated';

/** A comparison as the engine reads it (the library's `leqExact`, `eqExact`, … build full ones). */
export interface UserComparison {
  readonly label: string;
  readonly lhs: number;
  readonly rhs: number;
  readonly errorBound: number;
  readonly margin: number;
  readonly delta: number;
}

/** One check of a user claim: a `checkProperty` specification without claimId, seed and path. */
export interface UserCheck<T = any> {
  readonly check: string;
  /** default: the claim's expected verdict */
  readonly expected?: ExpectedVerdict;
  readonly arbitrary: Arbitrary<T>;
  readonly numRuns: number;
  readonly evaluate: (input: T, ctx: { readonly delta: number }) => { readonly comparisons: readonly UserComparison[]; readonly statistics?: Readonly<Record<string, number>> };
  /** present for Monte Carlo checks (δ per comparison, comparisons per evaluation): see checkProperty */
  readonly statistical?: { readonly comparisonsPerEvaluation: number; readonly maxShrinkEvaluations?: number; readonly deltaPerComparison?: number };
  readonly notes?: readonly string[];
}

/** The default export of a claim file. */
export interface UserClaim {
  readonly id: string;
  readonly title?: string;
  readonly statement: string;
  readonly assumptions: readonly string[];
  readonly source: string;
  readonly expected: ExpectedVerdict;
  readonly oracle?: string;
  readonly checks: readonly UserCheck[];
}

/** Identity with types: `export default defineClaim({ … })` gives the checks' `evaluate` their case type. */
export function defineClaim(claim: UserClaim): UserClaim {
  return claim;
}

/** Identity with types for one check, so `evaluate`'s input is typed by the arbitrary. */
export function defineCheck<T>(check: UserCheck<T>): UserCheck<T> {
  return check;
}

/** Claim ids: a letter, then letters, digits, '.', '_' or '-'; at most 64 characters. */
export const USER_CLAIM_ID = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

const expectedSchema = z.enum(['holds', 'fails-as-stated']);
const text = z.string().trim().min(1, { message: 'must be a non-empty string' });
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function (case, { delta }) => ({ comparisons })' });
const arbitrary = z.custom<Arbitrary<unknown>>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { generate?: unknown }).generate === 'function' && typeof (v as { shrink?: unknown }).shrink === 'function',
  { message: 'must be a fast-check arbitrary (fc.record(…), fc.double(…), …)' },
);

const checkSchema = z
  .object({
    check: text,
    expected: expectedSchema.optional(),
    arbitrary,
    numRuns: z.number().int().min(1).max(1_000_000),
    evaluate: fn,
    statistical: z
      .object({
        comparisonsPerEvaluation: z.number().int().min(1),
        maxShrinkEvaluations: z.number().int().min(0).optional(),
        deltaPerComparison: z.number().positive().max(1).optional(),
      })
      .strict()
      .optional(),
    notes: z.array(z.string()).optional(),
  })
  .strict();

/** The zod schema of a claim file's default export (unknown keys are refused: typo guard). */
export const userClaimSchema = z
  .object({
    id: z.string().regex(USER_CLAIM_ID, { message: 'must start with a letter and contain only letters, digits, ".", "_" or "-" (at most 64 characters)' }),
    title: text.optional(),
    statement: text,
    assumptions: z.array(z.string()),
    source: text,
    expected: expectedSchema,
    oracle: z.string().optional(),
    checks: z.array(checkSchema).min(1, { message: 'must list at least one check' }),
  })
  .strict();

const KNOWN_KEYS = new Set(['id', 'title', 'statement', 'assumptions', 'source', 'expected', 'oracle', 'checks', 'check', 'arbitrary', 'numRuns', 'evaluate', 'statistical', 'notes', 'comparisonsPerEvaluation', 'maxShrinkEvaluations', 'deltaPerComparison']);

/** A validated claim with the file it came from (project-relative, `/`-separated). */
export interface LoadedUserClaim {
  readonly file: string;
  readonly claim: UserClaim;
}

/** Validates a default export; throws UserClaimError naming the file and the first bad field. */
export function parseUserClaim(value: unknown, file: string): UserClaim {
  if (value === undefined) throw new UserClaimError(`${file}: no default export (export default { id, statement, assumptions, source, expected, checks })`);
  const r = userClaimSchema.safeParse(value);
  if (!r.success) {
    const e = configErrorFromIssues(r.error.issues, KNOWN_KEYS);
    throw new UserClaimError(`${file}: claim record field ${e.path || '(top level)'}: ${e.reason}`);
  }
  const claim = r.data as unknown as UserClaim;
  const seen = new Set<string>();
  for (const c of claim.checks) {
    if (seen.has(c.check)) throw new UserClaimError(`${file}: claim ${claim.id}: check name "${c.check}" is used twice (check names are unique within a claim)`);
    seen.add(c.check);
  }
  return claim;
}

/**
 * Refuses an id equal (ignoring case) to a built-in claim's or to another claim file's: throws
 * UserClaimError naming the file(s) and the id.
 */
export function checkIdCollisions(claims: readonly LoadedUserClaim[], builtinIds: readonly string[] = CLAIMS.map((c) => c.id)): void {
  const builtin = new Map(builtinIds.map((id) => [id.toLowerCase(), id]));
  const seen = new Map<string, LoadedUserClaim>();
  for (const u of claims) {
    const key = u.claim.id.toLowerCase();
    const b = builtin.get(key);
    if (b !== undefined) throw new UserClaimError(`${u.file}: claim id "${u.claim.id}" collides with the built-in claim ${b} (\`collapse-check claims\` lists the built-in ids): choose another id`);
    const other = seen.get(key);
    if (other) throw new UserClaimError(`${u.file}: claim id "${u.claim.id}" is also the id of ${other.file}: claim ids must be unique`);
    seen.set(key, u);
  }
}

// ---------- finding the files ----------

/** Extensions a claim file may have (TypeScript loads through tsx). */
export const CLAIM_FILE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** Name of the optional config file (current directory) whose key `claims` lists claim globs. */
export const CONFIG_FILE = 'collapse-check.config.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

const configSchema = z.object({ claims: z.union([z.string(), z.array(z.string())]).optional() }).passthrough();

/** The `claims` globs of `collapse-check.config.json` in `cwd` ([] without the file or the key). */
export function configClaimPatterns(cwd: string): string[] {
  const path = join(cwd, CONFIG_FILE);
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (!st.isFile()) throw new UserClaimError(`${CONFIG_FILE}: not a regular file`);
  if (st.size > MAX_CONFIG_BYTES) throw new UserClaimError(`${CONFIG_FILE}: larger than ${MAX_CONFIG_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserClaimError(`${CONFIG_FILE}: not valid JSON: ${(e as Error).message}`);
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new UserClaimError(`${CONFIG_FILE}: field claims: must be a glob string or a list of glob strings`);
  const c = r.data.claims;
  return c === undefined ? [] : typeof c === 'string' ? [c] : c;
}

const GLOB_CHARS = /[*?{]/;

/** Regular expression of one glob over `/`-separated relative paths (see the file comment). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) throw new UserClaimError(`--claims ${glob}: unclosed "{"`);
      re += '(?:' + glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\*?]/g, '\\$&')).join('|') + ')';
      i = end;
    } else re += ch.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

const posix = (p: string) => p.split('\\').join('/');

/**
 * The files matched by the globs (relative to `cwd`, or absolute), sorted and without duplicates,
 * as absolute paths. Throws UserClaimError for a pattern that matches nothing, a named file that
 * does not exist, or a matched file whose extension is not a module's.
 */
export function expandClaimGlobs(patterns: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.trim() === '') throw new UserClaimError('--claims: an empty pattern');
    const p = posix(pattern);
    const abs = isAbsolute(p);
    const segs = p.split('/');
    const firstGlob = segs.findIndex((s) => GLOB_CHARS.test(s));
    const hits: string[] = [];
    if (firstGlob < 0) {
      const file = resolve(cwd, pattern);
      if (!existsSync(file) || !statSync(file).isFile()) throw new UserClaimError(`--claims ${pattern}: no such file`);
      hits.push(file);
    } else {
      const base = resolve(cwd, segs.slice(0, firstGlob).join('/') || '.');
      const re = globToRegExp(segs.slice(firstGlob).join('/'));
      const all: string[] = [];
      walk(base, all);
      for (const f of all) if (re.test(posix(relative(base, f)))) hits.push(f);
      if (hits.length === 0) throw new UserClaimError(`--claims ${pattern}: matches no file (globs are relative to ${abs ? '/' : cwd})`);
    }
    for (const h of hits) {
      if (!(CLAIM_FILE_EXTENSIONS as readonly string[]).includes(extname(h))) throw new UserClaimError(`--claims ${pattern}: ${posix(relative(cwd, h))} is not a claim module (allowed extensions: ${CLAIM_FILE_EXTENSIONS.join(', ')})`);
      found.add(h);
    }
  }
  return [...found].sort();
}

/** The file's path as shown and recorded: relative to `cwd` when below it, `/`-separated. */
export function shownPath(file: string, cwd: string): string {
  const r = relative(cwd, file);
  return posix(r.startsWith('..') || isAbsolute(r) ? file : r);
}

/**
 * Imports each claim file (through tsx: TypeScript and JavaScript alike), validates its default
 * export and refuses id collisions. Throws UserClaimError naming the file on any problem.
 */
export async function loadUserClaims(files: readonly string[], cwd: string): Promise<LoadedUserClaim[]> {
  const out: LoadedUserClaim[] = [];
  if (files.length === 0) return out;
  const { tsImport } = await import('tsx/esm/api');
  for (const f of files) {
    const shown = shownPath(f, cwd);
    let mod: { default?: unknown };
    try {
      mod = (await tsImport(pathToFileURL(f).href, import.meta.url)) as { default?: unknown };
    } catch (e) {
      throw new UserClaimError(`${shown}: cannot be loaded: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
    }
    out.push({ file: shown, claim: parseUserClaim(mod.default, shown) });
  }
  checkIdCollisions(out);
  return out;
}

/**
 * The shard (1-based) that runs the k-th claim file (0-based, in sorted order) of a run split into
 * n shards: round robin, so every file runs in exactly one shard and shards differ by ≤ 1 file.
 */
export function userClaimShard(k: number, n: number): number {
  return (k % n) + 1;
}
