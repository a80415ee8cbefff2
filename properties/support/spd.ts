/** Σ = L Lᵀ + c I from a generated d×d factor L (row-major) and c > 0: SPD by construction, no filtering. */
export function spdFromFactor(L: readonly number[], c: number, d: number): Float64Array {
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += L[i * d + k]! * L[j * d + k]!;
      S[i * d + j] = s + (i === j ? c : 0);
    }
  return S;
}
