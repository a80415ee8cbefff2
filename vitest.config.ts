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
    // One module graph per worker, not per file: measured on 2 cores (2026-12-02, 126 files) the
    // default tier took 197–222 s isolated and 150 s shared, all of the difference being vitest's
    // per-file transform, import and setup. Safe because nothing in src/ or properties/support keeps
    // state that a second file could see: module-level values are constants, pure memo caches
    // (Gauss–Hermite rules, generated kernels) and per-file tallies (pipeline-spend.ts), and tests
    // that touch process.env or spy on stdout restore them in `finally`. setupFiles still run once
    // per file (the fast-check seed is re-set for each).
    isolate: false,
  },
});
