/**
 * The probabilists' Gauss–Hermite rule (src/energies/gauss-hermite.ts): E[f(Z)] ≈ Σ_k w_k f(z_k),
 * Z ~ N(0, 1), exact for polynomials of degree ≤ 2n − 1. Oracles, all written here:
 * - closed forms for n ≤ 5: the zeros of He_n (He_2 = x² − 1, He_3 = x³ − 3x, He_4 = x⁴ − 6x² + 3,
 *   He_5 = x⁵ − 10x³ + 15x) and the Christoffel weights w = n!/(n² He_{n−1}(z)²);
 * - the published table of Abramowitz & Stegun, Table 25.10 (physicists' form, n = 10), mapped to
 *   the probabilists' form (z = √2 x, w = W/√π);
 * - exact Gaussian moments E[Z^{2k}] = (2k − 1)!!, E[Z^{2k+1}] = 0 for 2k + 1 ≤ 2n − 1;
 * - the orthonormal probabilists' Hermite recurrence ĥ_0 = 1, ĥ_1 = x,
 *   ĥ_{k+1} = (x ĥ_k − √k ĥ_{k−1})/√(k+1) (the module uses the physicists' one): every node is a
 *   zero of ĥ_n (a Newton step ĥ_n/(√n ĥ_{n−1}) computed here is ≈ 0), every weight is
 *   1/(n ĥ_{n−1}(z)²), and the rule integrates ĥ_j ĥ_k to δ_jk for j + k ≤ 2n − 1, up to n = 200.
 *   (Before the Sturm-bracket fix, n = 199 and 200 returned a rule whose positive nodes had all
 *   converged to the largest zero: the orthonormality check was off by ≈ 20.)
 * And the documented contract: n an integer in [1, 200] (throws otherwise), Σ w = 1, nodes
 * increasing and symmetric, rules cached per n.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussHermite } from '../../src/energies/gauss-hermite.ts';

const U = 2 ** -53;

/**
 * Closed forms (n ≤ 5, 10): the module's values come from ≈ 3n roundings of a three-term recurrence
 * at the converged node plus one division; the closed form here from ≤ 6 operations and √: a
 * relative tolerance of 64u covers both for n ≤ 10 (measured: ≤ 4u).
 */
const REL_CLOSED = 64 * U;

function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/** ĥ_k(x) for k = 0..K (orthonormal probabilists' Hermite polynomials under N(0, 1)). */
function hermiteOrthonormal(x: number, K: number): Float64Array {
  const h = new Float64Array(K + 1);
  h[0] = 1;
  if (K >= 1) h[1] = x;
  for (let k = 1; k < K; k++) h[k + 1] = (x * h[k]! - Math.sqrt(k) * h[k - 1]!) / Math.sqrt(k + 1);
  return h;
}

/** (2k − 1)!! exactly (k ≤ 12: ≤ 23!! = 3.2e11 < 2^53). */
function doubleFactorialOdd(k: number): number {
  let p = 1;
  for (let j = 2 * k - 1; j > 1; j -= 2) p *= j;
  return p;
}

function expectRuleEqual(n: number, nodes: number[], weights: number[]): void {
  const r = gaussHermite(n);
  expect(r.nodes.length).toBe(n);
  expect(r.weights.length).toBe(n);
  for (let i = 0; i < n; i++) {
    if (nodes[i] === 0) expect(Math.abs(r.nodes[i]!)).toBeLessThanOrEqual(REL_CLOSED);
    else expectRel(r.nodes[i]!, nodes[i]!, REL_CLOSED);
    expectRel(r.weights[i]!, weights[i]!, REL_CLOSED);
  }
}

describe('gaussHermite: contract', () => {
  it('throws for n outside the integers 1..200, with the documented message', () => {
    for (const n of [0, -1, 201, 1000, 1.5, 199.5, Number.NaN, Infinity, -Infinity]) {
      expect(() => gaussHermite(n)).toThrow(/^gaussHermite: n = .* must be an integer in \[1, 200\]$/);
    }
    expect(() => gaussHermite(1)).not.toThrow();
    expect(() => gaussHermite(200)).not.toThrow();
  });

  it('n = 1: the single node 0 with weight 1', () => {
    const r = gaussHermite(1);
    expect(Array.from(r.nodes)).toHaveLength(1);
    expect(Math.abs(r.nodes[0]!)).toBeLessThanOrEqual(1e-15);
    expectRel(r.weights[0]!, 1, 2 * U);
  });

  it('rules are cached per n: the same object twice, a different one for another n', () => {
    const a = gaussHermite(7);
    expect(gaussHermite(7)).toBe(a);
    expect(gaussHermite(8)).not.toBe(a);
    expect(gaussHermite(8).nodes.length).toBe(8);
  });
});

describe('gaussHermite: closed forms and the published table', () => {
  it('n = 2: ±1, weights ½', () => expectRuleEqual(2, [-1, 1], [0.5, 0.5]));
  it('n = 3: 0, ±√3, weights ⅔ and ⅙', () => expectRuleEqual(3, [-Math.sqrt(3), 0, Math.sqrt(3)], [1 / 6, 2 / 3, 1 / 6]));
  it('n = 4: ±√(3 ± √6), weights (3 ∓ √6)/12', () => {
    const s6 = Math.sqrt(6);
    const outer = Math.sqrt(3 + s6);
    const inner = Math.sqrt(3 - s6);
    // w = n!/(n² He_3(z)²) = 24/(16 (z³ − 3z)²); at z² = 3 ± √6 this is (3 ∓ √6)/12
    expectRuleEqual(4, [-outer, -inner, inner, outer], [(3 - s6) / 12, (3 + s6) / 12, (3 + s6) / 12, (3 - s6) / 12]);
  });
  it('n = 5: 0, ±√(5 ± √10), weights 8/15 and (7 ∓ 2√10)/60', () => {
    const s10 = Math.sqrt(10);
    const outer = Math.sqrt(5 + s10);
    const inner = Math.sqrt(5 - s10);
    const wo = (7 - 2 * s10) / 60;
    const wi = (7 + 2 * s10) / 60;
    expectRuleEqual(5, [-outer, -inner, 0, inner, outer], [wo, wi, 8 / 15, wi, wo]);
  });
  it('n = 10: Abramowitz & Stegun Table 25.10 (physicists’ x, W; 15 and 13 significant digits)', () => {
    const x = [0.342901327223705, 1.036610829789514, 1.756683649299882, 2.53273167423279, 3.436159118837738];
    const W = [6.108626337353e-1, 2.401386110823e-1, 3.387439445548e-2, 1.343645746781e-3, 7.640432855233e-6];
    const r = gaussHermite(10);
    const sqrtPi = Math.sqrt(Math.PI);
    for (let k = 0; k < 5; k++) {
      // the table's last digit: half a unit of the 15th (x) or 13th (W) significant digit
      expectRel(r.nodes[5 + k]!, Math.SQRT2 * x[k]!, 1e-14);
      expectRel(r.nodes[4 - k]!, -Math.SQRT2 * x[k]!, 1e-14);
      expectRel(r.weights[5 + k]!, W[k]! / sqrtPi, 1e-12);
      expectRel(r.weights[4 - k]!, W[k]! / sqrtPi, 1e-12);
    }
  });
});

describe('gaussHermite: every n is an exact rule of degree 2n − 1 for N(0, 1)', () => {
  /**
   * Σ w_i z_i^p against E[Z^p]. Rounding: each term w z^p carries the weight's relative error
   * (≤ 4n·u: the recurrence's ≈ 3n roundings at the node, then 2/pp²) and p times the node's
   * (≤ 4n·u·(1 + |z|)/|z|, from the Newton step's rounding), and the sum adds γ_n·Σ|terms|.
   * With |z| ≥ smallest nonzero node ≥ 0.1 for n ≤ 24 (and the term of a zero node is 0): relative
   * error ≤ (4n + 44n·p + n)·u·Σ|terms| → the bound below (Σ|terms| = E|Z|^p-weighted sum computed here).
   */
  const momentTol = (n: number, p: number, absSum: number): number => (5 * n + 44 * n * p) * U * absSum;

  test.prop([fc.integer({ min: 1, max: 24 })])('Σ w = 1, nodes increasing and exactly symmetric, moments (2k − 1)!! and 0 up to degree 2n − 1', (n) => {
    const { nodes, weights } = gaussHermite(n);
    let sw = 0;
    for (let i = 0; i < n; i++) {
      sw += weights[i]!;
      expect(weights[i]!).toBeGreaterThan(0);
      // exact mirror pairs; the middle node of an odd n is 0 up to Newton's last step (≤ 1e-15)
      if (2 * i + 1 === n) expect(Math.abs(nodes[i]!)).toBeLessThanOrEqual(1e-15);
      else expect(nodes[i]! + nodes[n - 1 - i]! === 0).toBe(true);
      expect(weights[i]!).toBe(weights[n - 1 - i]!);
      if (i > 0) expect(nodes[i]!).toBeGreaterThan(nodes[i - 1]!);
    }
    expect(Math.abs(sw - 1)).toBeLessThanOrEqual(momentTol(n, 0, sw));
    for (let p = 1; p <= 2 * n - 1 && p <= 23; p++) {
      let s = 0;
      let absSum = 0;
      for (let i = 0; i < n; i++) {
        const term = weights[i]! * nodes[i]! ** p;
        s += term;
        absSum += Math.abs(term);
      }
      const exact = p % 2 === 1 ? 0 : doubleFactorialOdd(p / 2);
      expect(Math.abs(s - exact), `n = ${n}, p = ${p}`).toBeLessThanOrEqual(momentTol(n, p, absSum));
    }
  });

  it('degree 2n is NOT integrated exactly (n = 1..6): E Z^{2n} − Σ w z^{2n} = n!·(the leading-coefficient remainder) > 0', () => {
    // Gauss remainder: E f(Z) − Q f = f^{(2n)}(ξ)/(2n)! · E[He_n(Z)²] = n! for f = z^{2n}
    for (let n = 1; n <= 6; n++) {
      const { nodes, weights } = gaussHermite(n);
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** (2 * n);
      let nf = 1;
      for (let j = 2; j <= n; j++) nf *= j;
      expectRel(doubleFactorialOdd(n) - s, nf, 1e-12);
    }
  });

  /**
   * Against the probabilists' orthonormal recurrence written here (errors in units of u = 2^-53):
   * - node: the Newton step δ = ĥ_n(z)/(√n ĥ_{n−1}(z)) of this recurrence. Each of its n steps rounds
   *   ≤ 3 operations on terms of size ≤ (1 + |z|)·|ĥ_{n−1}|·√n near a zero, so its own error is
   *   ≤ 2n·u·(1 + |z|), the module's node error at most as much again: |δ| ≤ NODE_ERR = 4n·u·(1 + |z|);
   * - weight: w = 1/(n ĥ_{n−1}(z)²); at a zero of He_n the ODE He_n'' = z He_n' − n He_n gives
   *   d log ĥ_{n−1}/dz = z, so a node error NODE_ERR moves w by 2|z|·NODE_ERR relative, and each side's
   *   recurrence + division rounds ≤ 4n·u: relative tolerance 2|z|·NODE_ERR + 8n·u;
   * - orthonormality Σ w ĥ_j ĥ_k = δ_jk (j + k ≤ 2n − 1): each term's error is its weight's relative
   *   error plus the recurrences' rounding (≤ 6n·u relative) plus the node error times the
   *   derivative of ĥ_j ĥ_k (= √j ĥ_{j−1} ĥ_k + √k ĥ_j ĥ_{k−1}), and the sum rounds γ_n·Σ|terms|.
   */
  it.each([20, 64, 100, 199, 200])('n = %i: nodes are zeros of ĥ_n, weights 1/(n ĥ_{n−1}²), ĥ_j ĥ_k orthonormal under the rule', (n) => {
    const { nodes, weights } = gaussHermite(n);
    const H: Float64Array[] = [];
    const nodeErr: number[] = [];
    const relW: number[] = [];
    for (let i = 0; i < n; i++) {
      const z = nodes[i]!;
      const h = hermiteOrthonormal(z, n + 1);
      H.push(h);
      nodeErr.push(4 * n * U * (1 + Math.abs(z)));
      relW.push(2 * Math.abs(z) * nodeErr[i]! + 8 * n * U);
      const delta = h[n]! / (Math.sqrt(n) * h[n - 1]!);
      expect(Math.abs(delta), `node ${i}`).toBeLessThanOrEqual(nodeErr[i]!);
      const wExact = 1 / (n * h[n - 1]! * h[n - 1]!);
      expect(Math.abs(weights[i]! - wExact), `weight ${i}`).toBeLessThanOrEqual(relW[i]! * wExact);
      if (i > 0) expect(z).toBeGreaterThan(nodes[i - 1]!);
    }
    const pairs: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 0],
      [n - 1, n - 1],
      [n - 1, n],
      [n - 2, n + 1],
      [Math.floor(n / 2), Math.floor(n / 2)],
      [Math.floor(n / 3), n - 1],
    ];
    for (const [j, k] of pairs) {
      let s = 0;
      let tol = 0;
      for (let i = 0; i < n; i++) {
        const h = H[i]!;
        const term = weights[i]! * h[j]! * h[k]!;
        s += term;
        const dTerm = Math.sqrt(j) * Math.abs((h[j - 1] ?? 0) * h[k]!) + Math.sqrt(k) * Math.abs(h[j]! * (h[k - 1] ?? 0));
        tol += Math.abs(term) * (relW[i]! + 6 * n * U + n * U) + weights[i]! * nodeErr[i]! * dTerm;
      }
      expect(Math.abs(s - (j === k ? 1 : 0)), `(${j}, ${k})`).toBeLessThanOrEqual(tol);
    }
  });
});
