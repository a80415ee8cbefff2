/**
 * vitest setup: one global fast-check seed for the whole run, from COLLAPSE_SEED (fixed default),
 * printed once so any run replays with `COLLAPSE_SEED=<seed> npm test`; and the provider of the
 * running test file for recorded ledger entries (src/verdict/test-file.ts), so src/verdict needs no
 * import of vitest. With COLLAPSE_SWEEP set, the campaign's seed sweep (properties/support/seed-sweep.ts).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { suiteSeed } from './support/seed.ts';
import { installSeedSweep } from './support/seed-sweep.ts';
import { setTestFileProvider, setTestNameProvider } from '../src/verdict/test-file.ts';

const seed = suiteSeed();
fc.configureGlobal({ seed, numRuns: 100 });
setTestFileProvider(() => expect.getState().testPath);
setTestNameProvider(() => expect.getState().currentTestName);
installSeedSweep(process.cwd());
if (!(globalThis as { __collapseSeedPrinted?: boolean }).__collapseSeedPrinted) {
  (globalThis as { __collapseSeedPrinted?: boolean }).__collapseSeedPrinted = true;
  process.stderr.write(`[collapse-check] fast-check seed ${seed} (set COLLAPSE_SEED to replay)\n`);
}
