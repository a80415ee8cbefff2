import { defineConfig } from 'vitest/config';

/**
 * vitest configuration for mutation testing: the default-tier property files that exercise the
 * mutated modules (properties/mutation/stryker.config.mjs). Override with MUTATION_TESTS (comma list);
 * MUTATION_TEST_NAME keeps only the tests whose full name matches that regular expression (the cheap
 * unit tests of a file whose Monte Carlo experiments would cost minutes per mutant).
 */
export default defineConfig({
  test: {
    include: (process.env.MUTATION_TESTS ?? 'properties/exact/**/*.test.ts,properties/statistical/bound-calibration.test.ts,properties/theorems/verdict-engine-self-test.test.ts').split(','),
    exclude: ['properties/exact/report-*.test.ts', 'properties/exact/cli-*.test.ts', 'properties/exact/worker-pool.test.ts'],
    setupFiles: ['properties/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    ...(process.env.MUTATION_TEST_NAME ? { testNamePattern: process.env.MUTATION_TEST_NAME } : {}),
  },
});
