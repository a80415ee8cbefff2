import { defineConfig } from 'vitest/config';

/**
 * Every properties/**\/*.test.ts runs (directories `exact`, `statistical`, `theorems`); the heavy
 * sweeps inside them are `describeDeep` blocks that run only with COLLAPSE_TIER=deep
 * (properties/support/tier.ts). properties/setup.ts fixes the fast-check seed from COLLAPSE_SEED.
 */
export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    setupFiles: ['properties/setup.ts'],
    reporters: ['default', './properties/plain-summary-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
