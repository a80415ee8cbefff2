/**
 * Shared cases for the accumulation laws P1-4.1i, P1-4.1ii, P1-4.2: error schedules, their
 * arbitraries, and the per-generation quantities of the translation-error recursion
 * (src/oracles/translation-error-recursion.ts) computed with independent oracles:
 *   D_i = χ²(p̂^i ‖ p_data)     closed form, GMM vs Gaussian (src/divergences/mixture-vs-gaussian.ts);
 *   I_i = χ²(p̂^{i+1} ‖ q_i)    1-D quadrature with step-halving error estimate (mixtureChiSquare1d);
 *   ε⋆,i²                      Gauss–Legendre × Gauss–Hermite (src/energies/translation-error-energy.ts).
 */
import fc from 'fast-check';
import { isotropicGaussian } from '../../../src/distributions/gaussian.ts';
import { mixtureChiSquare } from '../../../src/divergences/mixture-vs-gaussian.ts';
import { mixtureChiSquare1d } from '../../../src/divergences/gaussian-mixture-1d.ts';
import { toMixture, translationErrorRecursion, type TranslationRecursion } from '../../../src/oracles/translation-error-recursion.ts';
import { translationErrorEnergy } from '../../../src/energies/translation-error-energy.ts';
import { floatErrorBound } from '../../../src/verdict/compare.ts';
import { currentTier } from '../../support/tier.ts';
import { boundedDouble } from '../../support/arbitraries.ts';

/**
 * Float allowance of a closed-form D = χ²(GMM ‖ Gaussian) with K components: each pair log-integral
 * carries ≲ 10 u (1 + |log term|) absolute rounding, the log-sum-exp over K² pairs K² u more, and
 * exponentiation turns an absolute log error into a relative error of 1 + D. Hence
 * |ΔD| ≤ γ_{8K²+100} (1 + D)(1 + log(1 + D) + LOG_TERM_SCALE) with LOG_TERM_SCALE = 60 bounding the
 * pair log terms met in these cases (|log J| ≤ c²/σ² + 1 ≤ 60 for shifts ≤ 7σ).
 */
export const LOG_TERM_SCALE = 60;
export function chiSquareFloatError(D: number, K: number): number {
  return floatErrorBound((1 + D) * (1 + Math.log1p(D) + LOG_TERM_SCALE), 8 * K * K + 100);
}

/** fast-check runs: the default tier's count, or the deep tier's larger sweep (COLLAPSE_TIER=deep). */
export function runsForTier(defaultRuns: number, deepRuns: number): number {
  return currentTier() === 'deep' ? deepRuns : defaultRuns;
}

/** Horizon of the reverse SDE (P1-E1's T). */
export const HORIZON_T = 4;

/** Energy families: how |b_i| decays (ε⋆,i² ∝ b_i² to leading order). */
export type EnergyFamily = 'harmonic' | 'slow' | 'floor' | 'summable';
/** Sign pattern of the errors: systematic (same direction every round) or alternating (independent-like). */
export type SignPattern = 'systematic' | 'alternating';

/** |b_i| of a family: harmonic b0/√(i+1) (ε² ≍ 1/(i+1)), slow b0 (i+1)^{−1/4}, floor b0, summable b0/(i+1). */
export function shiftSize(family: EnergyFamily, b0: number, i: number): number {
  switch (family) {
    case 'harmonic':
      return b0 / Math.sqrt(i + 1);
    case 'slow':
      return b0 / (i + 1) ** 0.25;
    case 'floor':
      return b0;
    case 'summable':
      return b0 / (i + 1);
  }
}

export function shiftSchedule(family: EnergyFamily, signs: SignPattern, b0: number, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, i) => (signs === 'alternating' && i % 2 === 1 ? -1 : 1) * shiftSize(family, b0, i));
}

/** t0 per round: 0 (smoothing off), constant, or annealed τ/(i+1)² (summable bias). */
export type T0Family = { readonly kind: 'off' } | { readonly kind: 'constant'; readonly t0: number } | { readonly kind: 'annealed'; readonly t0: number };

export function t0Of(f: T0Family): (i: number) => number {
  switch (f.kind) {
    case 'off':
      return () => 0;
    case 'constant':
      return () => f.t0;
    case 'annealed':
      return (i) => f.t0 / (i + 1) ** 2;
  }
}

export const dataArb = fc.record({
  mean: boundedDouble(-1, 1),
  variance: boundedDouble(0.5, 2),
  alpha: boundedDouble(0.1, 0.9),
});

export interface GenerationSeries {
  readonly recursion: TranslationRecursion;
  /** D_0..D_N */
  readonly D: Float64Array;
  /** I_0..I_{N−1} and their quadrature error estimates (empty when not requested) */
  readonly I: Float64Array;
  readonly Ierr: Float64Array;
  /** ε⋆,0²..ε⋆,N−1² and their error estimates (empty when not requested) */
  readonly energy: Float64Array;
  readonly energyErr: Float64Array;
}

/** Cells of the χ² quadrature: the integrands are Gaussian-smooth (trapezoid error decays geometrically); the halving estimate is returned. */
export const I_QUADRATURE_CELLS = 1500;

export function generationSeries(spec: { mean: number; variance: number; alpha: number; shifts: readonly number[]; t0: (i: number) => number }, want: { I?: boolean; energy?: boolean } = {}): GenerationSeries {
  const rec = translationErrorRecursion({ mean: spec.mean, variance: spec.variance, alpha: spec.alpha, shifts: spec.shifts, t0: spec.t0 });
  const g = isotropicGaussian([spec.mean], spec.variance);
  const N = spec.shifts.length;
  const D = Float64Array.from(rec.outputs, (p) => mixtureChiSquare(toMixture(p), g));
  const I = new Float64Array(want.I ? N : 0);
  const Ierr = new Float64Array(want.I ? N : 0);
  const energy = new Float64Array(want.energy ? N : 0);
  const energyErr = new Float64Array(want.energy ? N : 0);
  for (let i = 0; i < N; i++) {
    if (want.I) {
      const r = mixtureChiSquare1d(toMixture(rec.outputs[i + 1]!), toMixture(rec.training[i]!), I_QUADRATURE_CELLS);
      I[i] = r.value;
      Ierr[i] = r.errorEstimate;
    }
    if (want.energy) {
      const r = translationErrorEnergy(rec.training[i]!, spec.shifts[i]!, rec.t0[i]!, HORIZON_T);
      energy[i] = r.value;
      energyErr[i] = r.errorEstimate;
    }
  }
  return { recursion: rec, D, I, Ierr, energy, energyErr };
}

