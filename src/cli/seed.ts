/**
 * The one seed parser of the command line (issue 17 row 9, issue 10): `--seed` of every command and
 * `COLLAPSE_SEED`. Accepts decimal digits only (surrounding blanks trimmed) whose value is a seed
 * (src/config/seed.ts: an integer from 0 to 2^53 − 1); anything else, including "", " ", "1e3",
 * "-1", "0x10", "2.5" and values above 2^53 − 1, is a BadInput naming the source and the rule.
 * Config files use the same rule through `seedSchema` (src/config/recursion-config.ts).
 *
 * API (for every command):
 *   parseSeed(raw: string, source = '--seed'): number              throws BadInput
 *   seedOption(raw: string | undefined, fallback: number, source?): number
 *   seedFromEnv(fallback: number, name = 'COLLAPSE_SEED'): number    unset or '' → fallback
 */
import { BadInput } from './errors.ts';
import { isSeed, MAX_SEED, SEED_RULE } from '../config/seed.ts';
import { terminalSafe } from '../numerics/text.ts';

export { MAX_SEED, SEED_RULE };

export function parseSeed(raw: string, source = '--seed'): number {
  const t = raw.trim();
  const v = /^[0-9]+$/.test(t) ? Number(t) : Number.NaN;
  if (!isSeed(v)) throw new BadInput(`${source} must be ${SEED_RULE}, got "${terminalSafe(raw)}"`);
  return v;
}

/** `--seed` when given, else `fallback` (itself checked: a config's seed follows the same rule). */
export function seedOption(raw: string | undefined, fallback: number, source = '--seed'): number {
  if (raw !== undefined) return parseSeed(raw, source);
  if (!isSeed(fallback)) throw new BadInput(`the default seed ${fallback} is not ${SEED_RULE}`);
  return fallback;
}

/** The environment variable `name` as a seed; unset or empty → `fallback`. */
export function seedFromEnv(fallback: number, name = 'COLLAPSE_SEED'): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return parseSeed(raw, name);
}
