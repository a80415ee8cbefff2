/**
 * Test tiers. `exact`, `statistical`, `theorems` run by default; `deep` sweeps and `diagnostics`
 * (slow, write to reports/) run only with COLLAPSE_TIER=deep (`npm run test:deep`).
 */
import { describe } from 'vitest';

export type Tier = 'default' | 'deep';

export function currentTier(): Tier {
  return process.env.COLLAPSE_TIER === 'deep' ? 'deep' : 'default';
}

/** describe() that runs only in the deep tier (reported as skipped otherwise). */
export const describeDeep: typeof describe.skip = (currentTier() === 'deep' ? describe : describe.skip) as typeof describe.skip;
