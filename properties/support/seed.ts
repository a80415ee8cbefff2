/** Default global seed of the suite (fast-check and every Monte Carlo stream derived from cases). */
import { parseSeed } from '../../src/cli/seed.ts';

export const DEFAULT_SEED = 20260226;

/**
 * The run's seed: COLLAPSE_SEED if set, else DEFAULT_SEED. The same rule as every command's
 * `--seed` (src/cli/seed.ts: an integer from 0 to 2^53 − 1, no wrapping); throws on anything else.
 */
export function suiteSeed(): number {
  const raw = process.env.COLLAPSE_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  return parseSeed(raw, 'COLLAPSE_SEED');
}
