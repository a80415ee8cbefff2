/**
 * collapse-check as a library: the public API, the package's semver surface.
 *
 * `import { … } from 'collapse-check'` resolves here (package.json `exports["."]` →
 * dist/index.js + dist/index.d.ts). Everything exported from this file is covered by semantic
 * versioning from 1.0 on (before 1.0, a minor version may change it): a removal or an incompatible
 * signature change needs a new major version. Modules not re-exported here (the CLI, the ledger,
 * the report, the fuzzing and experiment drivers, the kernels, the audit driver) are internal:
 * deep imports are not part of the contract and the `exports` map does not expose them.
 *
 * Layers, bottom to top (each only imports downward):
 * - numerics and randomness: seeded splittable RNG (`rngForCase`), rounding bounds, JSON with ±∞;
 * - laws: Gaussians and Gaussian mixtures (densities, moments, sampling);
 * - the forward Ornstein–Uhlenbeck process and time grids;
 * - scores (exact mixture scores, injected score errors), samplers (reverse SDE step rules), trainers
 *   (EM fit), the recursion (train → sample → retrain, with metrics);
 * - oracles (closed forms and independent numerical solutions the checks compare against),
 *   divergences (closed form, quadrature, Monte Carlo) and score-error energies / observability;
 * - statistics: confidence bounds (Hoeffding, empirical Bernstein, sequential), binomial bounds,
 *   the false-alarm budget constants (`ASSERTION_DELTA`, `claimDelta`, …);
 * - the claim machinery: `checkProperty` (a claim check over fast-check arbitraries → a verdict),
 *   the comparisons (`leqExact`, `leqStatistical`, …), `recordAndAssert` (ledger entry + assertion),
 *   and the verdict and ledger entry types; the built-in claim catalogue (`CLAIMS`, `claim`).
 *
 * Where two modules export the same name, the ambiguity is resolved below by an explicit
 * re-export (the name keeps the meaning stated in its comment) and the other one is exported under
 * a prefixed alias. See docs/library.md for an example.
 */

// numerics and randomness
export * from './random/rng.ts';
export * from './numerics/rounding.ts';
export { toJson, parseJson, jsonReplacer, nonFiniteReviver, jsonSafe } from './numerics/json.ts';
export * from './linalg/dense.ts';

// laws
export * from './distributions/gaussian.ts';
export * from './distributions/gaussian-mixture.ts';

// forward process and time grids
export * from './processes/ornstein-uhlenbeck.ts';
export * from './processes/time-grid.ts';

// scores, samplers, trainers, recursion
export * from './scores/gaussian-mixture-score.ts';
export * from './scores/injected-error.ts';
export * from './scores/model-score-error.ts';
export * from './scores/vector-field.ts';
export * from './samplers/reverse-sde.ts';
export * from './samplers/start-law.ts';
export * from './trainers/trainer.ts';
export * from './trainers/expectation-maximisation.ts';
export * from './recursion/recursion.ts';
export * from './recursion/metrics.ts';
export * from './recursion/recursion-metrics.ts';
export * from './recursion/t0-schedule.ts';
export { ConfigError } from './recursion/spec-error.ts';
export { parseRecursionConfig, toRecursionSpec, recursionConfigSchema, type RecursionConfig } from './config/recursion-config.ts';

// oracles
export * from './oracles/contribution-matrix.ts';
export * from './oracles/fokker-planck-1d.ts';
export {
  scheduleT0,
  mergeIdenticalComponents,
  roundMap,
  iterateRecursion,
  limitTermsForTolerance,
  limitLaw,
  roundMapParameterError,
  maxParameterError,
  gaussianDataLimitMean,
  translateMixture,
  type LimitLaw,
  type RecursionOptions as OracleRecursionOptions,
} from './oracles/gmm-recursion.ts';
export * from './oracles/hermite.ts';
export * from './oracles/innovation-distance.ts';
export * from './oracles/linear-gaussian-deviation.ts';
export * from './oracles/linear-gaussian-observability.ts';
export * from './oracles/linear-gaussian.ts';
export * from './oracles/translation-error-recursion.ts';

// divergences
export * from './divergences/gaussian.ts';
export * from './divergences/gaussian-mixture-1d.ts';
export * from './divergences/mixture-vs-gaussian.ts';
export * from './divergences/monte-carlo.ts';
export * from './divergences/quadrature-1d.ts';

// energies and observability
export * from './energies/gauss-hermite.ts';
export * from './energies/observability.ts';
export * from './energies/score-error-energy.ts';
export * from './energies/translation-error-energy.ts';

// statistics and the false-alarm budget
export * from './statistics/bounds.ts';
export * from './statistics/budget.ts';
export * from './statistics/binomial-confidence.ts';
export * from './statistics/median-of-means.ts';
export * from './statistics/normal.ts';
export * from './statistics/chi-square.ts';

// names exported by two modules: the explicit export wins over both `export *`
/** Unit roundoff u = 2⁻⁵³ of binary64 (numerics/rounding.ts; oracles/hermite.ts has the same value). */
export { UNIT_ROUNDOFF } from './numerics/rounding.ts';
/** A 1-D mixture for quadrature (divergences/quadrature-1d.ts). */
export type { Mixture1d } from './divergences/quadrature-1d.ts';
/** A 1-D mixture of the translation-error recursion oracle (oracles/translation-error-recursion.ts). */
export type { Mixture1d as TranslationMixture1d } from './oracles/translation-error-recursion.ts';

// claim machinery
export * from './verdict/compare.ts';
export * from './verdict/engine.ts';
export * from './verdict/record.ts';
export * from './verdict/types.ts';
export * from './verdict/arbitraries.ts';
export { CLAIMS, claim, isClaimId, selectClaims, claimPropertyFiles } from './claims/registry.ts';
export type { ClaimRecord, Evidence, OracleRef, ModuleRef, SourceTag } from './claims/catalogue.ts';
export { defineClaim, defineCheck, type UserClaim, type UserCheck, type UserComparison } from './claims/user-claims.ts';
