/**
 * `test.prop` for vitest and fast-check, with @fast-check/vitest's API (array form):
 *
 *   test.prop([arb1, arb2, …], params?)(name, (v1, v2, …) => void | Promise<void>, timeout?)
 *
 * Why not @fast-check/vitest itself: with vitest 4.1, importing it costs ≈ 2 s of CPU in every test
 * file that does (at import it builds `.prop` for every chain of vitest's test modifiers; measured
 * here: 2.2 s of import for a file that only imports it, 12 ms for fast-check alone, 0.35 s of it in
 * its `buildTest`, the rest in vitest's chain getters and garbage collection). Over the 34 property
 * files that used it that was ≈ 70 s of the default tier's ≈ 390 s of CPU, on a 3-minute budget.
 * The package stays the reference for this API; this module is the part of it the suite uses.
 *
 * Semantics kept from @fast-check/vitest 0.5: the seed is fast-check's global seed when the test is
 * DEFINED (properties/setup.ts sets it from COLLAPSE_SEED; an explicit `params.seed` wins) and is
 * appended to the name as " (with seed=N)", so names are stable per seed and a run replays; `params`
 * pass through to `fc.assert`; the property may be async; vitest's `timeout` argument is passed on.
 * Added: a shrink cap (PROP_MAX_SHRINK_EVALUATIONS). Not kept: re-running vitest's beforeEach/afterEach hooks around every generated case (no property
 * here relies on it: the only file with hooks restores mocks that its properties do not use).
 * `test` is vitest's own `test` otherwise (a Proxy adds `.prop`; calls and modifiers pass through).
 */
import fc from 'fast-check';
import { test as vitestTest } from 'vitest';
import { EXACT_MAX_SHRINK_EVALUATIONS } from '../../src/statistics/budget.ts';

export { fc };

/**
 * Shrink cap (not in @fast-check/vitest; fast-check has no such option): a failing property stops
 * shrinking EXACT_MAX_SHRINK_EVALUATIONS evaluations after its first failure (the engine's cap for
 * exact checks, src/statistics/budget.ts) and reports the smallest failure found by then. Without
 * it, shrinking a double towards a boundary where each evaluation costs a quadrature ran for
 * > 1 000 evaluations (p2-oracle at campaign seed 9000003: 45 min), i.e. a red test looked like a hang.
 */
export const PROP_MAX_SHRINK_EVALUATIONS = EXACT_MAX_SHRINK_EVALUATIONS;

type Arbitraries<Ts extends unknown[]> = { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };

/**
 * fc.assert of `body` over `arbitraries` with the shrink cap: what one `test.prop` test runs (exported
 * so the cap itself can be tested). Rejects with fast-check's report of the smallest failure found.
 */
export async function assertProp<Ts extends [unknown, ...unknown[]]>(arbitraries: Arbitraries<Ts>, parameters: fc.Parameters<Ts>, body: (...values: Ts) => unknown): Promise<void> {
  const asyncProperty = fc.asyncProperty as unknown as (...args: unknown[]) => fc.IAsyncPropertyWithHooks<Ts>;
  let failed = false;
  let shrinkEvaluations = 0;
  const property = asyncProperty(...(arbitraries as unknown[]), async (...values: Ts) => {
    // after the first failure, at most PROP_MAX_SHRINK_EVALUATIONS more evaluations: then every
    // candidate passes unevaluated, which ends shrinking on the smallest failure found so far
    if (failed && shrinkEvaluations++ >= PROP_MAX_SHRINK_EVALUATIONS) return;
    try {
      await body(...values);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
  await fc.assert(property, parameters);
}

function prop<Ts extends [unknown, ...unknown[]]>(arbitraries: Arbitraries<Ts>, params?: fc.Parameters<Ts>) {
  return (name: string, body: (...values: Ts) => unknown, timeout?: number): void => {
    const parameters: fc.Parameters<Ts> = { ...params };
    if (parameters.seed === undefined) parameters.seed = fc.readConfigureGlobal().seed ?? Date.now();
    vitestTest(`${name} (with seed=${parameters.seed})`, () => assertProp(arbitraries, parameters, body), timeout);
  };
}

/** vitest's `test`, plus `test.prop` (see the file comment). */
export const test: typeof vitestTest & { readonly prop: typeof prop } = new Proxy(vitestTest, {
  get(target, key, receiver) {
    return key === 'prop' ? prop : Reflect.get(target, key, receiver);
  },
}) as typeof vitestTest & { readonly prop: typeof prop };
