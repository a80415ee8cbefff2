/**
 * The fuzz targets' closed forms (src/fuzz/targets/) against independent routes, so that a
 * violation the fuzzer reports is a property of the claim, not of its oracle:
 *  - time-only η (src/fuzz/time-only-eta.ts, an RK4 solve of C' = F C − b) against closed forms
 *    written here: stationary N(0, I) data (docs/theory.md §2: 4(1 − e^{−s/2})²/s for a constant shift,
 *    2ω²(1 − e^{−s/2})²/((ω² + ¼)² s) for a whole-cycle oscillation) and, on N(m, v I) data, the
 *    Gaussian-reversal propagator: η = s_t0 (∫ e^{−(t−t0)/2}/s_t dt)²/(T − t0) for a constant shift;
 *  - the P1-4.1 compensated fixed point: the output law from the linear-Gaussian moment ODE
 *    (src/oracles/linear-gaussian.ts) is p_data, ε⋆² from idealPathEnergy, η from the RK4 route;
 *  - the P2-5 certified W2 bounds against the quantile quadrature `mixtureW2Distance1d`;
 *  - the D-3 variance criterion against the project's general witness search.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, mixMixtures } from '../../src/distributions/gaussian-mixture.ts';
import { adaptiveGaussLegendre, idealPathEnergy } from '../../src/energies/score-error-energy.ts';
import { linearGaussianProblem, solveMomentOde } from '../../src/oracles/linear-gaussian.ts';
import { limitLaw, translateMixture } from '../../src/oracles/gmm-recursion.ts';
import { mixtureW2Distance1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { affineField, injectedError } from '../../src/scores/injected-error.ts';
import { timeOnlyEta } from '../../src/fuzz/time-only-eta.ts';
import { floorFamily, evaluateCollapseFloor } from '../../src/fuzz/targets/collapse-floor.ts';
import { evaluateW2Ball, kappaParams, limitMoments, w2UpperToLimit } from '../../src/fuzz/targets/w2-ball.ts';
import { evaluateKde, kdeModel } from '../../src/fuzz/targets/kde-finiteness.ts';
import { chiSquareInfinityWitness } from '../../src/divergences/monte-carlo.ts';
import { chiInterval } from '../../src/fuzz/targets/sandwich.ts';
import { floatErrorBound } from '../../src/verdict/compare.ts';

/** absolute rounding floor of the η comparisons: η ≤ 1, ~100 roundings */
const ETA_ABS = 1e-12;
/** quadrature rtol of the propagator integral: 1e-13 relative on a value O(1) */
const GL_RTOL = 1e-13;
/** ODE output vs p_data: the ODE's own step-doubling estimate × 10 (safety, as in the D-2 property) + rounding */
const ODE_SAFETY = 10;

describe('time-only η (fuzz oracle for P1-3.3) against closed forms', () => {
  // λ log-uniform: η is scale-free in λ, so each decade of the error scale is an equally good case
  test.prop([fc.integer({ min: 1, max: 3 }), boundedDouble(0.05, 0.5), boundedDouble(1, 6), logUniformDouble(0.01, 2), fc.integer({ min: 1, max: 3 })], { numRuns: 15 })(
    'stationary N(0, I): constant shift and whole-cycle oscillation',
    (d, t0, span, lambda, cycles) => {
      const T = t0 + span;
      const data = isotropicGaussian(new Array(d).fill(0), 1);
      const shift = injectedError({ family: 'constant-shift', scale: lambda }, d, t0, T);
      const e1 = timeOnlyEta(shift, 1, t0, T, idealPathEnergy(data, shift, t0, T));
      const exact1 = (4 * (-Math.expm1(-span / 2)) ** 2) / span;
      expect(Math.abs(e1.eta - exact1)).toBeLessThanOrEqual(e1.errorBound + ETA_ABS);
      const osc = injectedError({ family: 'time-oscillation', scale: lambda, cycles }, d, t0, T);
      const e2 = timeOnlyEta(osc, 1, t0, T, idealPathEnergy(data, osc, t0, T));
      const w = (2 * Math.PI * cycles) / span;
      const exact2 = (2 * w * w * (-Math.expm1(-span / 2)) ** 2) / ((w * w + 0.25) ** 2 * span);
      expect(Math.abs(e2.eta - exact2)).toBeLessThanOrEqual(e2.errorBound + ETA_ABS);
    },
  );

  // t0 log-uniform over its 3 decades (small t0 is where S(t0) = e^{−t0}v + 1 − e^{−t0} → v)
  test.prop([boundedDouble(-2, 2), boundedDouble(0.1, 4), logUniformDouble(0.001, 1), boundedDouble(1, 6)], { numRuns: 15 })(
    'N(m, v): constant shift against the Gaussian-reversal propagator',
    (m, v, t0, span) => {
      const T = t0 + span;
      const sAt = (t: number) => Math.exp(-t) * v - Math.expm1(-t);
      const integral = adaptiveGaussLegendre((t) => Math.exp(-(t - t0) / 2) / sAt(t), t0, T, GL_RTOL).value;
      const exact = (sAt(t0) * integral * integral) / span;
      const data = isotropicGaussian([m], v);
      const shift = injectedError({ family: 'constant-shift', scale: 0.3 }, 1, t0, T);
      const e = timeOnlyEta(shift, v, t0, T, idealPathEnergy(data, shift, t0, T));
      expect(Math.abs(e.eta - exact)).toBeLessThanOrEqual(e.errorBound + ETA_ABS + GL_RTOL * 10 * exact);
    },
  );
});

describe('P1-4.1 compensated fixed point: closed forms against the moment ODE', () => {
  // t0 and the floor ε are scales spanning 2 and 3.7 decades: log-uniform
  test.prop([fc.integer({ min: 1, max: 3 }), boundedDouble(0.2, 3), logUniformDouble(0.01, 1), boundedDouble(1, 8), logUniformDouble(1e-3, 5), fc.integer({ min: 1, max: 3 })], { numRuns: 12 })(
    'the output law is p_data, ε⋆² and η match',
    (d, m, t0, span, epsFloor, cycles) => {
      const T = t0 + span;
      const f = floorFamily(m, t0, T, cycles, epsFloor);
      const u = Array.from({ length: d }, () => 1 / Math.sqrt(d));
      const w = (2 * Math.PI * cycles) / span;
      const b = new Float64Array(d);
      const error = affineField(d, () => null, (t) => {
        const s = f.c1 + f.c2 * Math.sin(w * (t - t0));
        for (let i = 0; i < d; i++) b[i] = s * u[i]!;
        return b;
      });
      const data = isotropicGaussian(u.map((x) => m * x), 1);
      const sol = solveMomentOde(linearGaussianProblem(data, T, t0, error), { start: 'exact' });
      // RK4 rounding: ≤ 8 roundings per step and component at the scale 1 + m of the moments
      const tol = ODE_SAFETY * sol.errorEstimate + floatErrorBound(1 + m, 8 * sol.steps + 100);
      for (let i = 0; i < d; i++) expect(Math.abs(sol.final.mean[i]! - m * u[i]!)).toBeLessThanOrEqual(tol);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Math.abs(sol.final.cov[i * d + j]! - (i === j ? 1 : 0))).toBeLessThanOrEqual(tol);
      const eps = idealPathEnergy(data, error, t0, T);
      expect(Math.abs(eps.value - f.epsStar2)).toBeLessThanOrEqual(eps.errorEstimate + 1e-12 * Math.max(1, f.epsStar2));
      const eta = timeOnlyEta(error, 1, t0, T, eps);
      expect(Math.abs(eta.eta - f.eta)).toBeLessThanOrEqual(eta.errorBound + ETA_ABS);
      expect(evaluateCollapseFloor({ d, mean: m, t0, T, alpha: 0.5, epsFloor, cycles }).statistics.limsupD).toBe(0);
    },
  );
});

describe('P2-5 certified W2 bounds against the quantile quadrature', () => {
  it('lower bound ≤ W2(p̃^g, p*) and W2(p̃^0, p*) ≤ upper bound', () => {
    const cases = [
      { kappa: 0.3, t0Share: 0.5, w: 0.2, g: 3, m: 1, v: 1, shift: 0.5 },
      { kappa: 0.5, t0Share: 0.2, w: 0.05, g: 4, m: -1, v: 0.5, shift: 1 },
      { kappa: 0.2, t0Share: 0.9, w: 0.5, g: 2, m: 2, v: 2, shift: 0 },
    ];
    for (const c of cases) {
      const { t0, alpha } = kappaParams(c.kappa, c.t0Share);
      const data = gaussianMixture([1], [isotropicGaussian([c.m], c.v)]);
      const p0 = translateMixture(data, [c.shift]);
      let p = p0;
      for (let i = 0; i < c.g; i++) p = translateMixture(pushMixture(mixMixtures(alpha, data, p), t0), [c.w]);
      const star = limitLaw(data, alpha, t0, { tolerance: 1e-10 });
      const wq = mixtureW2Distance1d(p, star.law, 160);
      const w0 = mixtureW2Distance1d(p0, star.law, 160);
      const e = evaluateW2Ball({ kappa: c.kappa, t0Share: c.t0Share, delta: 1, perturbation: c.w, kind: 'translate', generations: c.g, mean: c.m, variance: c.v, startShift: c.shift });
      expect(Number(e.statistics.w2LowerBound)).toBeLessThanOrEqual(wq.value + wq.errorEstimate + star.w2Bound + 1e-12);
      const up = w2UpperToLimit(c.m + c.shift, Math.sqrt(c.v), c.m, c.v, alpha, t0).value;
      expect(w0.value - w0.errorEstimate - star.w2Bound).toBeLessThanOrEqual(up + 1e-12);
      // p*'s moments from the series against the truncated mixture's moments
      const ms = limitMoments(c.m, c.v, alpha, t0);
      let mean = 0;
      star.law.components.forEach((g, k) => (mean += star.law.weights[k]! * g.mean[0]!));
      // the truncated mixture misses mass (1−α)^K ≤ 1e-10 on N(0, 1) (mean 0), so |Δmean| ≤ 1e-10·|m| + rounding
      expect(Math.abs(mean - ms.mean)).toBeLessThanOrEqual(1e-10 * Math.abs(c.m) + 1e-13);
    }
  });
});

describe('D-3 fuzz criterion against the general χ² infinity witness', () => {
  test.prop([fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), boundedDouble(0, 3), boundedDouble(0.05, 4), boundedDouble(0.05, 3), fc.integer({ min: 1, max: 5 }), boundedDouble(0, 1), fc.boolean()], { numRuns: 40 })(
    'violated ⇒ a witness of +∞; clearly finite ⇒ no witness',
    (d, components, separation, sigma2, hRatio, generation, alpha, on) => {
      const c = { d, components, separation, sigma2, hRatio, generation, alpha, truncation: on ? 'on' : 'off', t0: 0.1 };
      const e = evaluateKde(c);
      const cmp = e.comparisons[0]!;
      const witness = chiSquareInfinityWitness(kdeModel(c).model, kdeModel(c).data);
      if (cmp.margin < 0) expect(witness).not.toBeNull();
      else if (cmp.rhs - cmp.lhs > 1e-9 * cmp.rhs) expect(witness).toBeNull();
    },
  );
});

describe('sandwich χ² interval', () => {
  test.prop([boundedDouble(0, 800), boundedDouble(0, 1)])('lower ≤ central ≤ upper', (L, a) => {
    const i = chiInterval(L, a);
    expect(i.lower).toBeLessThanOrEqual(i.central);
    expect(i.central).toBeLessThanOrEqual(i.upper);
  });
});
