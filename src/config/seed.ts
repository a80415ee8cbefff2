/**
 * The one rule for seeds, shared by every command (`--seed`, `COLLAPSE_SEED`) and by the config
 * files (`seed`, `trainer.error.seed`): an integer from 0 to 2^53 − 1 (Number.MAX_SAFE_INTEGER).
 * Every such integer is represented exactly by a double, so two different seeds never alias
 * (2^64 + 1 would round to 2^64), and `Rng.fromSeed` keys on its decimal form.
 */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** What a seed may be, in the words every error message uses. */
export const SEED_RULE = `an integer from 0 to ${MAX_SEED} (2^53 − 1)`;

/** True iff `v` is a valid seed value (see SEED_RULE). */
export function isSeed(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SEED;
}
