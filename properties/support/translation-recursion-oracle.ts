/**
 * Test oracle (shared by translation-error-recursion.test.ts and contribution-matrix.test.ts): the
 * 1-D translation-error recursion p̂^{N} = P_t0(α p_data + (1 − α) p̂^{N−1}) shifted by b_{N−1}, with
 * p_data = N(μ, σ²), unrolled by hand. The component that entered at round j has weight
 * α(1−α)^{N−1−j} (the data component (1−α)^N), mean a^k μ + Σ_{l ≥ j} a^{N−l} b_l and variance
 * a^{2k}σ² + 1 − a^{2k}, with k = N − j and a = e^{−t0/2} (σ² itself when t0 = 0, exactly).
 * Newest component first; components of weight exactly 0 (α = 0 or 1) are not kept.
 */
export interface Component {
  w: number;
  m: number;
  v: number;
}

export function closedFormOutput(mu: number, s2: number, alpha: number, shifts: readonly number[], t0: number, N: number): Component[] {
  const a = Math.exp(-t0 / 2);
  const component = (j: number, w: number): Component => {
    const k = N - j;
    let m = Math.pow(a, k) * mu;
    for (let l = j; l < N; l++) m += Math.pow(a, N - l) * shifts[l]!;
    const a2k = Math.pow(a, 2 * k);
    return { w, m, v: t0 === 0 ? s2 : a2k * s2 + (1 - a2k) };
  };
  const out: Component[] = [];
  for (let j = N - 1; j >= 0; j--) out.push(component(j, alpha * Math.pow(1 - alpha, N - 1 - j)));
  out.push(component(0, Math.pow(1 - alpha, N)));
  return out.filter((c) => c.w > 0);
}
