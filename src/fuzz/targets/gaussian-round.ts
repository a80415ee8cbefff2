/**
 * One round of the pipeline in the Gaussian world (docs/theory.md §5.1), shared by the fuzz targets of
 * P1-3.1 and P1-3.3/3.4: data q = N(m·1, v I) in d dimensions, an injected affine score error
 * (src/scores/injected-error.ts, with a sign so that contracting errors are reachable), the exact
 * output law p̂ from the linear-Gaussian moment ODE (its step-doubling error estimate kept), the
 * ideal output P_t0 q and the truncation law in closed form, ε⋆² by adaptive Gauss–Legendre.
 *
 * Error allowance of a χ² or KL between the ODE output and a closed-form Gaussian (as in the D-2
 * property): the ODE's max-abs moment error e moves log(1 + χ²) (and KL) by at most
 * ≈ (d + ‖m‖)·e/σ²_min to first order; ODE_SAFETY = 10 covers the estimate's own error and second
 * order terms; plus 1e3 ulp of rounding relative to the value. `divergenceAllowance` returns it.
 */
import { fullGaussian, isotropicGaussian, type Gaussian } from '../../distributions/gaussian.ts';
import { idealPathEnergy, gaussianPathEnergy, type NumericalValue } from '../../energies/score-error-energy.ts';
import { linearGaussianProblem, solveMomentOde } from '../../oracles/linear-gaussian.ts';
import { pushGaussian } from '../../processes/ornstein-uhlenbeck.ts';
import { affineField, injectedError, type AffineErrorField, type ErrorFamily } from '../../scores/injected-error.ts';
import type { FuzzConfig, ParamSpec } from '../space.ts';

/** Seed of the `random` family's matrix (fixed: the fuzzer varies the scale, not the draw). */
export const RANDOM_ERROR_SEED = 11;
const ODE_SAFETY = 10;
/** ODE tolerances: looser than the oracle's defaults (speed); the achieved error enters the allowance. */
const ODE_RTOL = 1e-8;
const ODE_ATOL = 1e-10;

/** The Gaussian-round parameters (ranges deliberately beyond every assumption). */
export const GAUSSIAN_ROUND_SPACE: readonly ParamSpec[] = [
  { kind: 'int', name: 'd', min: 1, max: 3, simplest: 1, doc: 'dimension' },
  { kind: 'real', name: 'mean', min: -3, max: 3, simplest: 0, doc: 'data mean, every coordinate' },
  { kind: 'real', name: 'variance', min: 0.1, max: 4, log: true, simplest: 1, doc: 'data variance v (covariance v I)' },
  { kind: 'real', name: 'T', min: 1.5, max: 10, simplest: 4, doc: 'horizon (> every t0)' },
  { kind: 'real', name: 't0', min: 1e-3, max: 1, log: true, simplest: 0.01, doc: 'truncation time' },
  { kind: 'choice', name: 'family', choices: ['constant-shift', 'time-oscillation', 'aligned', 'random'], simplest: 'constant-shift', doc: 'error family' },
  { kind: 'real', name: 'scale', min: 1e-3, max: 3, log: true, simplest: 0.1, doc: 'error scale λ' },
  { kind: 'choice', name: 'sign', choices: ['+', '-'], simplest: '+', doc: 'sign of the error (− contracts for aligned)' },
  { kind: 'choice', name: 'start', choices: ['exact', 'standard-normal'], simplest: 'exact', doc: 'start law of both paths: P_T q or N(0, I)' },
  { kind: 'choice', name: 'reference', choices: ['ideal', 'data'], simplest: 'ideal', doc: 'reference law of the divergence: P_t0 q (ideal output) or q itself (as P1 writes it)' },
];

export interface GaussianRound {
  readonly d: number;
  readonly data: Gaussian;
  readonly error: AffineErrorField;
  readonly timeOnly: boolean;
  readonly output: Gaussian;
  readonly odeError: number;
  readonly ideal: Gaussian;
  readonly reference: Gaussian;
  readonly epsStar2: NumericalValue;
  readonly meanNorm: number;
  readonly sigma2Min: number;
  readonly T: number;
  readonly t0: number;
  readonly start: 'exact' | 'standard-normal';
}

function negated(e: AffineErrorField): AffineErrorField {
  const d = e.dim;
  const W = new Float64Array(d * d);
  const b = new Float64Array(d);
  return affineField(
    d,
    (t) => {
      const m = e.matrix(t);
      if (!m) return null;
      for (let i = 0; i < d * d; i++) W[i] = -m[i]!;
      return W;
    },
    (t) => {
      const o = e.offset(t);
      if (!o) return null;
      for (let i = 0; i < d; i++) b[i] = -o[i]!;
      return b;
    },
    e.spec,
  );
}

/** The error field of a configuration (sign applied). */
export function roundError(c: FuzzConfig, d: number, t0: number, T: number): AffineErrorField {
  const family = c.family as ErrorFamily;
  const e = injectedError({ family, scale: Number(c.scale), ...(family === 'random' ? { seed: RANDOM_ERROR_SEED } : {}) }, d, t0, T);
  return c.sign === '-' ? negated(e) : e;
}

export function gaussianRound(c: FuzzConfig): GaussianRound {
  const d = Number(c.d);
  const T = Number(c.T);
  const t0 = Number(c.t0);
  const v = Number(c.variance);
  const data = isotropicGaussian(new Array(d).fill(Number(c.mean)), v);
  const error = roundError(c, d, t0, T);
  const start = c.start === 'standard-normal' ? 'standard-normal' : 'exact';
  const sol = solveMomentOde(linearGaussianProblem(data, T, t0, error), { start, rtol: ODE_RTOL, atol: ODE_ATOL });
  const output = fullGaussian(sol.final.mean, sol.final.cov);
  const ideal = pushGaussian(data, t0);
  const reference = c.reference === 'data' ? data : ideal;
  const epsStar2 = idealPathEnergy(data, error, t0, T);
  const timeOnly = c.family === 'constant-shift' || c.family === 'time-oscillation';
  return { d, data, error, timeOnly, output, odeError: sol.errorEstimate, ideal, reference, epsStar2, meanNorm: Math.abs(Number(c.mean)) * Math.sqrt(d), sigma2Min: Math.min(v, 1, minVariance(output)), T, t0, start };
}

function minVariance(g: Gaussian): number {
  let m = Infinity;
  for (let i = 0; i < g.dim; i++) m = Math.min(m, g.cov[i * g.dim + i]!);
  return m;
}

/** Learned-path energy ε̂² (the error drives the path) from the round's start law. */
export function learnedEnergy(r: GaussianRound): NumericalValue {
  return gaussianPathEnergy(linearGaussianProblem(r.data, r.T, r.t0, r.error), { start: r.start, path: 'learned', rtol: ODE_RTOL, atol: ODE_ATOL });
}

/** Allowance on log(1 + χ²) or KL between the ODE output and a closed-form law (file comment). */
export function divergenceAllowance(r: GaussianRound): number {
  return (ODE_SAFETY * (r.d + r.meanNorm) * r.odeError) / r.sigma2Min + 1e3 * Number.EPSILON;
}
