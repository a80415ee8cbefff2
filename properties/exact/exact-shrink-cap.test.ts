/**
 * Engine: an exact (δ = 0) check stops shrinking after EXACT_MAX_SHRINK_EVALUATIONS evaluations past
 * its first failure, keeps `fails` and a counterexample that really fails. (P1-4.0 at campaign seed
 * 9000003 shrank for > 1 100 quadrature evaluations until its worker ran out of memory.)
 */
import { describe, expect, it } from 'vitest';
import { assertProp, fc, PROP_MAX_SHRINK_EVALUATIONS } from '../support/prop.ts';
import { representableDouble } from '../support/arbitraries.ts';
import { leqExact } from '../../src/verdict/compare.ts';
import { checkProperty, EXACT_MAX_SHRINK_EVALUATIONS } from '../../src/verdict/engine.ts';

describe('engine: bounded shrinking of exact checks', () => {
  it('40 doubles in [0.5, 1e6], failing when ≥ 20 exceed 0.7: ≤ numRuns + 1 + cap evaluations, verdict fails, counterexample fails', () => {
    // Shrinking moves 20 elements to 0.5 and bisects the other 20 down towards 0.7 (≈ 50 steps each):
    // 1 166 evaluations without the cap (measured with the cap lifted), so the cap is reached.
    let evaluations = 0;
    const count = (xs: readonly number[]) => xs.filter((x) => x > 0.7).length;
    const violated = (xs: readonly number[]) => count(xs) >= 20;
    const { entry, counterexample } = checkProperty({
      claimId: 'SELF',
      check: 'engine shrink cap (test)',
      expected: 'holds',
      // fast-check's double on purpose: its shrinking (bisection over the representable doubles) is the measured workload
      arbitrary: fc.array(representableDouble(0.5, 1e6), { minLength: 40, maxLength: 40 }),
      numRuns: 20,
      seed: 12345,
      evaluate: (xs) => {
        evaluations++;
        return { comparisons: [leqExact('#{x > 0.7} ≤ 19', count(xs), 19, 0)] };
      },
    });
    expect(entry.verdict).toBe('fails');
    expect(counterexample).not.toBeNull();
    expect(violated(counterexample!)).toBe(true);
    expect(evaluations).toBeLessThanOrEqual(20 + 1 + EXACT_MAX_SHRINK_EVALUATIONS);
    // the cap was reached (the input needs more shrink steps than the cap): not a vacuous bound
    expect(evaluations).toBeGreaterThan(EXACT_MAX_SHRINK_EVALUATIONS);
  });

  it('an evaluation that throws is rethrown, also when shrinking later meets a violating input (no masked error)', () => {
    // x ∈ 0…9, evaluate throws for x ≥ 6 and is violated for x = 5 (x ≤ 4.5 with error bound ¼): the
    // first failing input at seed 42 throws; shrinking towards 0 passes 5, a violation. Before the fix
    // the violation replaced the error: verdict fails-as-stated, counterexample 5, the bug unseen.
    const run = () =>
      checkProperty({
        claimId: 'SELF',
        check: 'masked',
        expected: 'fails-as-stated',
        arbitrary: fc.integer({ min: 0, max: 9 }),
        numRuns: 20,
        seed: 42,
        evaluate: (x) => {
          if (x >= 6) throw new Error(`bug at ${x}`);
          return { comparisons: [leqExact('x ≤ 4.5', x, 4.5, 0.25)] };
        },
      });
    expect(run).toThrow(/SELF \/ masked: evaluation threw \(seed 42, .*\): bug at [6-9]/);
  });

  it('test.prop (properties/support/prop.ts) stops shrinking the same way: ≤ numRuns + 1 + cap evaluations, the reported counterexample fails', async () => {
    let evaluations = 0;
    const count = (xs: readonly number[]) => xs.filter((x) => x > 0.7).length;
    // fast-check's double on purpose, as above: its shrinking is the workload that must reach the cap
    const arb = fc.array(representableDouble(0.5, 1e6), { minLength: 40, maxLength: 40 });
    let message = '';
    let lastFailing: readonly number[] = [];
    await assertProp([arb], { numRuns: 20, seed: 12345 }, (xs) => {
      evaluations++;
      if (count(xs) >= 20) {
        lastFailing = xs;
        throw new Error(`${count(xs)} elements exceed 0.7`);
      }
    }).catch((e: Error) => {
      message = e.message;
    });
    expect(message).toMatch(/Property failed/);
    // fast-check reports the last failing input it shrank to: it is printed and it fails
    expect(message).toContain(`Counterexample: [[${lastFailing.slice(0, 3).join(',')}`);
    expect(count(lastFailing)).toBeGreaterThanOrEqual(20);
    expect(evaluations).toBeLessThanOrEqual(20 + 1 + PROP_MAX_SHRINK_EVALUATIONS);
    expect(evaluations).toBeGreaterThan(PROP_MAX_SHRINK_EVALUATIONS); // the cap was reached
  });
});
