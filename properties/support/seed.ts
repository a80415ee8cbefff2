/** Default global seed of the suite (fast-check and every Monte Carlo stream derived from cases). */
export const DEFAULT_SEED = 20260226;

/** The run's seed: COLLAPSE_SEED if set (an integer), else DEFAULT_SEED. Throws on a malformed value. */
export function suiteSeed(): number {
  const raw = process.env.COLLAPSE_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const v = Number(raw);
  if (!Number.isInteger(v)) throw new Error(`COLLAPSE_SEED must be an integer, got "${raw}"`);
  return v | 0;
}
