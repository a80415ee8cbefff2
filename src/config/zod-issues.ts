/**
 * Turns the first zod issue of a failed parse into a ConfigError that names the key (issue 17
 * row 17): nested unions report the branch the input was meant for (not "Invalid input"), unknown
 * keys are named with the closest known key ("unknown key 'varaince'; did you mean 'variance'?"),
 * invalid choices list the allowed values.
 *
 * Branch choice inside a union: drop the branches that reject the input's type at the union's own
 * position (the input is an object, the branch wants a number); among the rest take the one whose
 * first issue lies deepest (it got furthest through the input). Unknown-key issues are reported
 * before missing-key issues of the same object (a typo causes both).
 */
import type { z } from 'zod';
import { ConfigError } from '../recursion/spec-error.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export function pathString(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Levenshtein distance (small strings; keys). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within edit distance ≤ max(1, ⌊len/3⌋), else null. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}

function depth(i: Issue): number {
  return i.path.length + (i.code === 'invalid_union' && i.errors.length > 0 ? 1 : 0);
}

function rank(issues: readonly Issue[]): Issue[] {
  const order = (i: Issue) => (i.code === 'unrecognized_keys' ? 0 : 1);
  return [...issues].sort((a, b) => order(a) - order(b));
}

/** The most specific issue: unions resolved to their intended branch, paths made absolute. */
export function innermostIssue(issue: Issue, prefix: Path = []): { issue: Issue; path: Path } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0));
    if (branches.length > 0) {
      const best = branches.map(rank).reduce((a, b) => (depth(b[0]!) > depth(a[0]!) ? b : a));
      return innermostIssue(best[0]!, path);
    }
  }
  return { issue, path };
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** ConfigError for the first issue; `knownKeys` are every key the schema knows (for suggestions). */
export function configErrorFromIssues(issues: readonly Issue[], knownKeys: ReadonlySet<string>): ConfigError {
  const { issue, path } = innermostIssue(rank(issues)[0]!);
  const where = pathString(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      const guess = closest(key, knownKeys);
      const more = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more: ${issue.keys.slice(1).map((k) => `'${k}'`).join(', ')})` : '';
      return new ConfigError(where, `unknown key '${key}'${guess ? `; did you mean '${guess}'?` : ''}${more}`);
    }
    case 'invalid_union': {
      const opts = (issue as { options?: unknown }).options;
      if (Array.isArray(opts) && opts.length > 0) {
        const options = opts.map(describe);
        return new ConfigError(where, `must be one of ${options.join(', ')}`);
      }
      return new ConfigError(where, issue.message === 'Invalid input' ? 'has the wrong type or shape (see README "Config format")' : issue.message);
    }
    case 'invalid_value': {
      const options = issue.values.map(describe);
      return new ConfigError(where, `must be ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}`);
    }
    case 'invalid_type':
      return new ConfigError(where, issue.message.startsWith('Invalid input: expected') && /received undefined$/.test(issue.message) ? `is required (${issue.expected})` : issue.message.replace(/^Invalid input: /, ''));
    default:
      return new ConfigError(where, issue.message);
  }
}
