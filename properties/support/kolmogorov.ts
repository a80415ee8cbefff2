/**
 * Kolmogorov distance of a sorted sample to a CDF, and the Dvoretzky–Kiefer–Wolfowitz radius with
 * Massart's constant: P(sup_x |F_n(x) − F(x)| > ε) ≤ 2 e^{−2nε²}, valid for every n. One
 * implementation, in src/audit/statistics.ts; these are the names the property files use.
 */
export { ksDistance, dkwEpsilon as dkwRadius } from '../../src/audit/statistics.ts';
