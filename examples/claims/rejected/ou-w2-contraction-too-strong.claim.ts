/**
 * The deliberately false variant of ../ou-w2-contraction.claim.ts (docs/writing-a-claim.md):
 * the rate is too strong, W2²(P_t μ, P_t ν) ≤ e^{−2t} W2²(μ, ν), i.e. W2 would contract at rate 1
 * (the variance factor e^{−t} of the OU kernel taken for the mean factor e^{−t/2}).
 *
 * It is declared `expected: 'holds'`, as a researcher who believes it would: the engine finds a
 * counterexample (any t > 0 with m₁ ≠ m₂ and v₁ = v₂ gives e^{−t}|Δm|² > e^{−2t}|Δm|²), the verdict
 * is `fails`, and `verify` exits 1 naming the shrunk case. It lives in a subdirectory so that
 * `verify --claims 'examples/claims/*.claim.ts'` runs only the true claim.
 */
import { cases, contraction, type Case } from '../ou-w2-contraction.claim.ts';

export default {
  id: 'OU-W2-CONTRACTION-TOO-STRONG',
  title: 'OU forward process contracts W2 at rate 1 (false)',
  statement: 'W2²(P_t μ, P_t ν) ≤ e^{−2t} W2²(μ, ν) for the OU process dX = −½X dt + dB, all t ≥ 0',
  assumptions: ['μ, ν with finite second moments (checked on isotropic Gaussians, d ≤ 4)', 't ≥ 0'],
  source: 'worked example of docs/writing-a-claim.md: the constant of the rate is wrong',
  expected: 'holds',
  oracle: 'closed-form W2 between isotropic Gaussians, written in ../ou-w2-contraction.claim.ts',
  checks: [
    {
      check: 'W2² contraction at rate e^{-2t} on isotropic Gaussian pairs',
      arbitrary: cases,
      numRuns: 200,
      evaluate: (c: Case) => ({ comparisons: [contraction(c, (t) => Math.exp(-2 * t), 'W2²(P_t μ, P_t ν) ≤ e^{−2t} W2²(μ, ν)')] }),
    },
  ],
};
