/**
 * Global error control of a fourth-order one-step integrator by step doubling (Richardson): runs
 * with N and 2N steps of a method of order 4 differ by ≈ (2⁴ − 1)·err(2N), so
 * `estimate = max_i |y_N[i] − y_2N[i]| / 15` estimates the max-abs error of the 2N-step result; N
 * doubles from `initialSteps` until estimate ≤ atol + rtol·max_i |y_2N[i]|. The estimate is
 * asymptotic (exact as the steps shrink for smooth coefficients), not a proven bound.
 * `run(N)` returns the final state of an N-step integration (compared entrywise).
 * Throws (naming `name`) when N would exceed `maxSteps`.
 */
export function refineByStepDoubling(
  run: (steps: number) => Float64Array,
  opts: { readonly name: string; readonly initialSteps: number; readonly maxSteps: number; readonly rtol: number; readonly atol: number },
): { readonly fine: Float64Array; readonly steps: number; readonly estimate: number } {
  let N = opts.initialSteps;
  let coarse = run(N);
  for (;;) {
    N *= 2;
    if (N > opts.maxSteps) throw new Error(`${opts.name}: tolerance not reached within ${opts.maxSteps} steps`);
    const fine = run(N);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < fine.length; i++) {
      diff = Math.max(diff, Math.abs(fine[i]! - coarse[i]!));
      scale = Math.max(scale, Math.abs(fine[i]!));
    }
    const estimate = diff / 15;
    if (estimate <= opts.atol + opts.rtol * scale) return { fine, steps: N, estimate };
    coarse = fine;
  }
}
