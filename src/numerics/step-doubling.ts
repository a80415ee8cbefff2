/**
 * Global error control of a fourth-order one-step integrator by step doubling (Richardson): runs
 * with N and 2N steps of a method of order 4 differ by ≈ (2⁴ − 1)·err(2N), so
 * `estimate = max_i |y_N[i] − y_2N[i]| / 15` estimates the max-abs error of the 2N-step result; N
 * doubles from `initialSteps` until estimate ≤ atol + rtol·max_i |y_2N[i]|. The estimate is
 * asymptotic (exact as the steps shrink for smooth coefficients), not a proven bound.
 * `run(N)` returns the final state of an N-step integration (compared entrywise), or, with
 * `restrictFine`, any state (e.g. a whole path of nodes) of which `restrictFine(y_2N, N)` extracts the
 * entries that correspond one-to-one to y_N's (the path at the coarse nodes); the scale is then
 * taken over those entries. `convergenceRatio` = previous difference / last difference (≈ 16 in the
 * asymptotic regime of a fourth-order method; null after one doubling or when the difference is 0).
 * Throws (naming `name`) when N would exceed `maxSteps`.
 */
export function refineByStepDoubling(
  run: (steps: number) => Float64Array,
  opts: {
    readonly name: string;
    readonly initialSteps: number;
    readonly maxSteps: number;
    readonly rtol: number;
    readonly atol: number;
    readonly restrictFine?: (fine: Float64Array, coarseSteps: number) => Float64Array;
  },
): { readonly fine: Float64Array; readonly steps: number; readonly estimate: number; readonly convergenceRatio: number | null } {
  let N = opts.initialSteps;
  let coarse = run(N);
  let prevDiff: number | null = null;
  for (;;) {
    const N2 = 2 * N;
    if (N2 > opts.maxSteps) throw new Error(`${opts.name}: tolerance not reached within ${opts.maxSteps} steps`);
    const fine = run(N2);
    const matched = opts.restrictFine ? opts.restrictFine(fine, N) : fine;
    if (matched.length !== coarse.length) throw new Error(`${opts.name}: step doubling compares ${matched.length} entries with ${coarse.length}`);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < matched.length; i++) {
      diff = Math.max(diff, Math.abs(matched[i]! - coarse[i]!));
      scale = Math.max(scale, Math.abs(matched[i]!));
    }
    const estimate = diff / 15;
    const convergenceRatio = prevDiff === null || diff === 0 ? null : prevDiff / diff;
    if (estimate <= opts.atol + opts.rtol * scale) return { fine, steps: N2, estimate, convergenceRatio };
    prevDiff = diff;
    coarse = fine;
    N = N2;
  }
}
