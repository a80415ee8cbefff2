/**
 * The ladder bias allowance of the audit (src/audit/checks.ts, LADDER ALLOWANCE) checked EXACTLY on
 * the Gaussian audit problems: the exact moments of the discretised EM / exponential-integrator /
 * Heun chains (linear-Gaussian oracle, src/oracles/linear-gaussian.ts, an independent route) give the
 * true biases b_K of every mean and covariance entry, and the audit's assumption
 *   |b_{4K}| ≤ BIAS_ALLOWANCE_FACTOR · |b_{2K} − b_{4K}| + MOMENT_BIAS_FLOOR · scale
 * must hold for each, at the ladder (2K, 4K) the audit uses (the perturbed-score problem with its
 * affine error included; its exact law comes from the moment ODE). No Monte Carlo: tolerance is float
 * rounding (FLOAT_TOL relative to the feature scale, ~1e3 ulps of O(1) moments after ≤ 80 steps).
 * and the ratio b_{4K}/b_{2K} ≤ RHO_MAX wherever the bias is above the floor.
 * GMM problems have no exact chain moments: there the correct samplers' passing audits are the check.
 */
import { describe, expect, test } from 'vitest';
import { auditProblems, exactMoments } from '../../src/audit/problems.ts';
import { BIAS_ALLOWANCE_FACTOR, MOMENT_BIAS_FLOOR, RHO_MAX } from '../../src/audit/checks.ts';
import { chainMoments, linearGaussianProblem } from '../../src/oracles/linear-gaussian.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { SAMPLER_NAMES } from '../../src/samplers/reverse-sde.ts';

/** Rounding allowance, relative to each feature's scale (≈ 1e3 ulps). */
const FLOAT_TOL = 1e-12;

describe('audit ladder allowance (checks.ts RHO_MAX): exact on Gaussian problems', () => {
  const gaussian = auditProblems('default').filter((p) => p.data.components.length === 1);
  for (const p of gaussian) {
    for (const name of SAMPLER_NAMES) {
      test(`${p.id} · ${name}: |b_4K| ≤ ${BIAS_ALLOWANCE_FACTOR.toFixed(2)}·|b_2K − b_4K| + floor`, () => {
        const lg = linearGaussianProblem(p.data.components[0]!, p.T, p.t0, p.error);
        const { mean, cov } = exactMoments(p);
        const d = p.dim;
        const at = (K: number) => chainMoments(lg, name, uniformGrid(p.T, p.t0, K)).final;
        const m2 = at(2 * p.steps);
        const m4 = at(4 * p.steps);
        const feats = (m: { mean: Float64Array; cov: Float64Array }) => [...m.mean, ...Array.from({ length: d * d }, (_, k) => m.cov[k]!)];
        const exact = feats({ mean, cov });
        const f2 = feats(m2);
        const f4 = feats(m4);
        let worstRatio = 0;
        for (let k = 0; k < exact.length; k++) {
          const i = k < d ? k : Math.floor((k - d) / d);
          const j = k < d ? k : (k - d) % d;
          const scale = Math.sqrt(cov[i * d + i]! * (k < d ? 1 : cov[j * d + j]!));
          const b2 = f2[k]! - exact[k]!;
          const b4 = f4[k]! - exact[k]!;
          expect(Math.abs(b4), `feature ${k}: b2 = ${b2}, b4 = ${b4}`).toBeLessThanOrEqual(BIAS_ALLOWANCE_FACTOR * Math.abs(b2 - b4) + (MOMENT_BIAS_FLOOR + FLOAT_TOL) * scale);
          if (Math.abs(b2) > MOMENT_BIAS_FLOOR * scale) worstRatio = Math.max(worstRatio, Math.abs(b4 / b2));
        }
        expect(worstRatio).toBeLessThanOrEqual(RHO_MAX);
      });
    }
  }
});
