/**
 * vitest setup: one global fast-check seed for the whole run, from COLLAPSE_SEED (fixed default),
 * printed once so any run replays with `COLLAPSE_SEED=<seed> npm test`.
 */
import fc from 'fast-check';
import { suiteSeed } from './support/seed.ts';

const seed = suiteSeed();
fc.configureGlobal({ seed, numRuns: 100 });
if (!(globalThis as { __collapseSeedPrinted?: boolean }).__collapseSeedPrinted) {
  (globalThis as { __collapseSeedPrinted?: boolean }).__collapseSeedPrinted = true;
  process.stderr.write(`[collapse-check] fast-check seed ${seed} (set COLLAPSE_SEED to replay)\n`);
}
