// Mutation testing (opt-in: `npm run mutation`; docs/mutation.md). Stryker 9.6.1 with its vitest
// runner (Stryker 10 needs Node ≥ 22). The mutated modules are the numeric core and the
// verdict/statistics layers; the tests are the default-tier files that check them
// (properties/mutation/vitest.mutation.config.ts), run on the suite's default seed so test names
// and per-test coverage are stable.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'properties/mutation/vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: (process.env.MUTATE ?? [
    'src/statistics/binomial-confidence.ts',
    'src/statistics/bound-method.ts',
    'src/statistics/bounds.ts',
    'src/statistics/normal.ts',
    'src/verdict/compare.ts',
    'src/divergences/gaussian.ts',
    'src/processes/ornstein-uhlenbeck.ts',
    'src/recursion/t0-schedule.ts',
    'src/divergences/mixture-vs-gaussian.ts',
    'src/processes/time-grid.ts',
  ].join(',')).split(','),
  reporters: ['clear-text', 'progress', 'json', 'html'],
  // MUTATION_REPORT names the report files (one per module when run sharded)
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'mutation'}.json` },
  htmlReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'mutation'}.html` },
  tempDirName: '.stryker-tmp',
  // STRYKER_CONCURRENCY overrides (the shared 2-core machine: run one test runner at a time)
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // STRYKER_TIMEOUT_MS overrides the additive slack of Stryker's per-mutant timeout (a mutant that
  // loops forever, e.g. a bisection that no longer halves, costs this much each)
  timeoutMS: Number(process.env.STRYKER_TIMEOUT_MS ?? 60000),
  thresholds: { high: 90, low: 85, break: null },
};
