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
 * Not kept: re-running vitest's beforeEach/afterEach hooks around every generated case (no property
 * here relies on it: the only file with hooks restores mocks that its properties do not use).
 * `test` is vitest's own `test` otherwise (a Proxy adds `.prop`; calls and modifiers pass through).
 */
import fc from 'fast-check';
import { test as vitestTest } from 'vitest';

export { fc };

type Arbitraries<Ts extends unknown[]> = { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };

function prop<Ts extends [unknown, ...unknown[]]>(arbitraries: Arbitraries<Ts>, params?: fc.Parameters<Ts>) {
  return (name: string, body: (...values: Ts) => unknown, timeout?: number): void => {
    const parameters: fc.Parameters<Ts> = { ...params };
    if (parameters.seed === undefined) parameters.seed = fc.readConfigureGlobal().seed ?? Date.now();
    const asyncProperty = fc.asyncProperty as unknown as (...args: unknown[]) => fc.IAsyncPropertyWithHooks<Ts>;
    const property = asyncProperty(...(arbitraries as unknown[]), async (...values: Ts) => {
      await body(...values);
    });
    vitestTest(`${name} (with seed=${parameters.seed})`, async () => {
      await fc.assert(property, parameters);
    }, timeout);
  };
}

/** vitest's `test`, plus `test.prop` (see the file comment). */
export const test: typeof vitestTest & { readonly prop: typeof prop } = new Proxy(vitestTest, {
  get(target, key, receiver) {
    return key === 'prop' ? prop : Reflect.get(target, key, receiver);
  },
}) as typeof vitestTest & { readonly prop: typeof prop };
