/**
 * Old path of the expectation–maximisation trainer, kept while importers outside the trainers
 * (src/recursion/recursion.ts) are re-pointed to ./expectation-maximisation.ts.
 */
export { fitGaussianMixtureEm, type EmOptions, type EmResult } from './expectation-maximisation.ts';
