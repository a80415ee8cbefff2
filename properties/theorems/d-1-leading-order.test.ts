/**
 * D-1 (ours, THEORY §3): at leading order in the error scale, χ²(p̂ ‖ ideal output) = η ε⋆² + O(ε⋆³)
 * and KL = ½ η ε⋆² + O(ε⋆³).
 *
 * Scope of this check (stated, narrow): the constant-shift family e = λ u on stationary N(0, I) data,
 * where η has the closed form 4(1 − e^{−s/2})²/s (THEORY §2 [I]). The output law comes from the
 * linear-Gaussian moment ODE (an independent route: it knows nothing of η), ε⋆² = λ² s by adaptive
 * quadrature, and χ², KL between Gaussians in closed form. Asserted: the relative deviations
 * |χ²/(η ε⋆²) − 1| and |KL/(½ η ε⋆²) − 1| are at most ε⋆ (the O(ε⋆³) remainder over the leading
 * η ε⋆² term), for λ ∈ [1e-3, 0.3] and s ≤ 6 (so ε⋆ ≤ 0.74); plus the ODE/float allowance.
 * Other families need η by regression (Monte Carlo) and are not checked here.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { fullGaussian, standardGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianChiSquare, gaussianKL } from '../../src/divergences/gaussian.ts';
import { etaConstantShiftStationary } from '../../src/energies/observability.ts';
import { idealPathEnergy } from '../../src/energies/score-error-energy.ts';
import { linearGaussianProblem, solveMomentOde } from '../../src/oracles/linear-gaussian.ts';
import { injectedError } from '../../src/scores/injected-error.ts';
import { leqExact } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';

/**
 * ODE allowance on the relative deviations: the ODE's moment error e_ODE (≤ 1e-9 at its default
 * tolerance) changes χ² ≈ |m|² by ≲ 2|m|·e_ODE + d·e_ODE, i.e. relatively by ≲ (2/|m| + d/|m|²)·e_ODE;
 * with |m| ≥ 2λ(1 − e^{−s/2}) ≥ 1e-4 this is ≤ 1e-9·(2e4 + 4e8) ≈ 0.4 — too coarse, so the ODE is run
 * at rtol 1e-13 and the allowance is computed from its own estimate (ODE_SAFETY × that formula).
 */
const ODE_SAFETY = 10;

describe('D-1 leading order: χ² = η ε⋆² + O(ε⋆³), KL = ½ η ε⋆² + O(ε⋆³)', () => {
  it('constant shift on stationary N(0, I) data (η in closed form), ODE oracle', () => {
    const { entry } = checkProperty({
      claimId: 'D-1',
      check: 'constant shift, stationary N(0,I): |χ²/(ηε⋆²) − 1| ≤ ε⋆ and |KL/(½ηε⋆²) − 1| ≤ ε⋆',
      expected: 'holds',
      arbitrary: fc.record({
        d: fc.integer({ min: 1, max: 4 }),
        lambda: fc.double({ min: 1e-3, max: 0.3, noNaN: true }),
        T: fc.double({ min: 1, max: 6, noNaN: true }),
        t0: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      }),
      numRuns: 40,
      evaluate: (c) => {
        const data = standardGaussian(c.d);
        const s = c.T - c.t0;
        const error = injectedError({ family: 'constant-shift', scale: c.lambda }, c.d, c.t0, c.T);
        const sol = solveMomentOde(linearGaussianProblem(data, c.T, c.t0, error), { start: 'exact', rtol: 1e-13, atol: 1e-15 });
        const out = fullGaussian(sol.final.mean, sol.final.cov);
        const ideal = data; // stationary: P_t0 N(0, I) = N(0, I)
        const eps2 = idealPathEnergy(data, error, c.t0, c.T).value;
        const lead = etaConstantShiftStationary(s) * eps2;
        const chi = gaussianChiSquare(out, ideal);
        const kl = gaussianKL(out, ideal);
        const m = Math.hypot(...sol.final.mean);
        const allowance = ODE_SAFETY * ((2 / m + c.d / (m * m)) * sol.errorEstimate) + 1e3 * Number.EPSILON;
        const eps = Math.sqrt(eps2);
        return {
          comparisons: [
            leqExact('|χ²/(ηε⋆²) − 1| ≤ ε⋆', Math.abs(chi / lead - 1), eps, allowance),
            leqExact('|KL/(½ηε⋆²) − 1| ≤ ε⋆', Math.abs(kl / (0.5 * lead) - 1), eps, allowance),
          ],
          statistics: { chi2: chi, kl, etaEps2: lead, epsStar: eps, chiRatio: chi / lead, klRatio: kl / (0.5 * lead), odeError: sol.errorEstimate },
        };
      },
    });
    recordAndAssert(entry);
  });
});
