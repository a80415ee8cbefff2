import { defineConfig } from 'vitest/config';

/**
 * Tiers: `exact`, `statistical`, `theorems` run by default; `diagnostics` (slow, write to reports/)
 * and the deep sweeps run only with COLLAPSE_TIER=deep (see properties/tier.ts).
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
