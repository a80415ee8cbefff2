/**
 * Run-time specialised step kernels for the fused GMM score + Euler–Maruyama step.
 *
 * For a given (layout, d, K) we generate, once, a straight-line JavaScript function with every
 * loop over coordinates and components unrolled: the particle's coordinates live in locals, the
 * step's means/precisions/log constants are loaded into locals once per (block, step) (or read at
 * constant offsets when K·d is large), and the JIT sees a single monomorphic function with no inner
 * loops. This removes the per-coordinate bounds checks and loop overhead that dominate the generic
 * loop kernel at small d (≈ 2× on this machine at d = 10).
 *
 * Bit identity. The generated code performs exactly the floating-point operations of
 * `isoKernel` / `diagKernel` (gaussian-mixture-score.ts) + `eulerMaruyamaStep`, in the same order:
 * q = Σ_j diff_j² accumulated in j order (the leading `0 +` is dropped: 0 + a = a for a ≥ +0),
 * logit = lc_k − (0.5·p_k)·q (iso) or lc_k − 0.5·q (diag), max by strict `>` from −∞, sum of
 * exp(logit − max) in k order, coefficient (e_k·inv)·p_k (iso) or (e_k·inv)·p_kj (diag), score
 * s_j = 0 − Σ_k coef·diff in k order with the same `coef === 0` skip, and
 * y ← ((1 + h/2)·y + h·s) + √h·z. Do not "simplify" any of these expressions.
 *
 * Uses `new Function` on code built only from integers (d, K, offsets): no user input reaches it.
 */

/** Signature of a generated step kernel: one EM step of m particles of one block. */
export type StepKernel = (
  mu: Float64Array,
  prec: Float64Array,
  lc: Float64Array,
  mo: number,
  po: number,
  ko: number,
  h: number,
  sh: number,
  c: number,
  x: Float64Array,
  m: number,
  z: Float64Array,
) => void;

/**
 * Above this K·d no kernel is generated and callers use the loop kernel. V8 optimises a function only
 * up to a bytecode size, and a straight-line kernel grows with K·d: measured (K = 5, CPU time, full
 * run incl. noise) d = 50 (K·d = 250): specialised 0.92 vs loop 0.55 M particle-steps/s; d = 80
 * (400): 0.33 vs 0.35; d = 100 (500): 0.14 vs 0.28; d = 130 (650, means at constant offsets): 0.013
 * vs 0.22 (never optimised). Hence 320.
 */
export const CODEGEN_LIMIT = 320;
/** Up to this K·d the means/precisions are hoisted into locals (2.5× faster than constant-offset reads at K·d = 250). */
const HOIST_LIMIT = CODEGEN_LIMIT;

const cache = new Map<string, StepKernel>();

/** The specialised kernel for (layout, d, K), generated on first use; null when K·d > CODEGEN_LIMIT. */
export function stepKernel(layout: 'isotropic' | 'diagonal', d: number, K: number): StepKernel | null {
  if (!Number.isInteger(d) || !Number.isInteger(K) || d < 1 || K < 1) throw new Error(`stepKernel: bad shape d = ${d}, K = ${K}`);
  if (K * d > CODEGEN_LIMIT) return null;
  const key = `${layout}:${d}:${K}`;
  let k = cache.get(key);
  if (!k) {
    k = new Function('mu', 'prec', 'lc', 'mo', 'po', 'ko', 'h', 'sh', 'c', 'x', 'm', 'z', kernelSource(layout, d, K)) as StepKernel;
    cache.set(key, k);
  }
  return k;
}

/** Source of the kernel body (exported for inspection in tests). */
export function kernelSource(layout: 'isotropic' | 'diagonal', d: number, K: number, hoist = K * d <= HOIST_LIMIT): string {
  const iso = layout === 'isotropic';
  const L: string[] = [];
  const M = (k: number, j: number) => (hoist ? `m${k}_${j}` : `mu[mo + ${k * d + j}]`);
  const P = (k: number, j: number) => (iso ? `p${k}` : hoist ? `p${k}_${j}` : `prec[po + ${k * d + j}]`);
  if (hoist) for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) L.push(`const m${k}_${j} = mu[mo + ${k * d + j}];`);
  for (let k = 0; k < K; k++) {
    L.push(`const l${k} = lc[ko + ${k}];`);
    if (iso) L.push(`const p${k} = prec[po + ${k}]; const hp${k} = 0.5 * p${k};`);
    else if (hoist) for (let j = 0; j < d; j++) L.push(`const p${k}_${j} = prec[po + ${k * d + j}];`);
  }
  L.push(`for (let i = 0, b = 0; i < m; i++, b += ${d}) {`);
  for (let j = 0; j < d; j++) L.push(`const x${j} = x[b + ${j}];`);
  L.push('let diff = 0; let q = 0;');
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      L.push(`diff = x${j} - ${M(k, j)};`);
      const term = iso ? 'diff * diff' : `diff * diff * ${P(k, j)}`;
      L.push(j === 0 ? `q = ${term};` : `q += ${term};`);
    }
    L.push(iso ? `const g${k} = l${k} - hp${k} * q;` : `const g${k} = l${k} - 0.5 * q;`);
  }
  L.push('let max = -Infinity;');
  for (let k = 0; k < K; k++) L.push(`if (g${k} > max) max = g${k};`);
  for (let k = 0; k < K; k++) L.push(`const e${k} = Math.exp(g${k} - max);`);
  L.push(`const sum = ${Array.from({ length: K }, (_, k) => `e${k}`).join(' + ')};`);
  L.push('const inv = 1 / sum;');
  for (let j = 0; j < d; j++) L.push(`let s${j} = 0;`);
  for (let k = 0; k < K; k++) {
    if (iso) {
      L.push(`const c${k} = e${k} * inv * p${k};`);
      L.push(`if (c${k} !== 0) {`);
      for (let j = 0; j < d; j++) L.push(`s${j} -= c${k} * (x${j} - ${M(k, j)});`);
    } else {
      L.push(`const w${k} = e${k} * inv;`);
      L.push(`if (w${k} !== 0) {`);
      for (let j = 0; j < d; j++) L.push(`s${j} -= w${k} * ${P(k, j)} * (x${j} - ${M(k, j)});`);
    }
    L.push('}');
  }
  for (let j = 0; j < d; j++) L.push(`x[b + ${j}] = c * x${j} + h * s${j} + sh * z[b + ${j}];`);
  L.push('}');
  return `'use strict';\n${L.join('\n')}`;
}

/**
 * Signature of a loop kernel: one EM step of m particles for any (d, K), with scratch r (K) and s (d).
 * Same offsets as StepKernel (po = ko for isotropic precisions, = mo for diagonal ones).
 */
export type LoopKernel = (...args: [...Parameters<StepKernel>, d: number, K: number, r: Float64Array, s: Float64Array]) => void;

const loopCache = new Map<string, LoopKernel>();

/**
 * The loop kernel for a layout (used when K·d > CODEGEN_LIMIT or on request), generated from the
 * same template as the unrolled kernels' arithmetic (`loopKernelSource`). `instance` names the
 * caller (e.g. the noise source): each instance is its own function object with its own type
 * feedback, so two run loops never share a call site (the reason the hand-written twins existed).
 */
export function loopKernel(layout: 'isotropic' | 'diagonal', instance: string): LoopKernel {
  const key = `${layout}:${instance}`;
  let k = loopCache.get(key);
  if (!k) {
    k = new Function('mu', 'prec', 'lc', 'mo', 'po', 'ko', 'h', 'sh', 'c', 'x', 'm', 'z', 'd', 'K', 'r', 's', loopKernelSource(layout)) as LoopKernel;
    loopCache.set(key, k);
  }
  return k;
}

/**
 * Source of the loop kernel: exactly the operations, in the order, of the unrolled kernel (module
 * comment), with loops over j < d and k < K: q = Σ_j diff_j² (iso) or Σ_j diff_j²·p_kj (diag) from
 * q = 0, logit = lc_k − 0.5·p_k·q (iso, evaluated (0.5·p_k)·q) or lc_k − 0.5·q, max by strict `>`,
 * e_k = exp(logit − max) summed in k order, inv = 1/sum, s_j = 0 − Σ_k coef·diff with the zero skip,
 * y ← c·y + h·s + √h·z. Bit-identical to the generic score + eulerMaruyamaStep (fast-kernel.test.ts).
 */
export function loopKernelSource(layout: 'isotropic' | 'diagonal'): string {
  const iso = layout === 'isotropic';
  return `'use strict';
for (let i = 0; i < m; i++) {
  const base = i * d;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    const mb = mo + k * d;
    let q = 0;
    for (let j = 0; j < d; j++) {
      const diff = x[base + j] - mu[mb + j];
      q += ${iso ? 'diff * diff' : 'diff * diff * prec[po + k * d + j]'};
    }
    const logit = ${iso ? 'lc[ko + k] - 0.5 * prec[po + k] * q' : 'lc[ko + k] - 0.5 * q'};
    r[k] = logit;
    if (logit > max) max = logit;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(r[k] - max);
    r[k] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < d; j++) s[j] = 0;
  for (let k = 0; k < K; k++) {
    ${iso ? 'const coef = r[k] * inv * prec[po + k]; if (coef === 0) continue;' : 'const w = r[k] * inv; if (w === 0) continue;'}
    const mb = mo + k * d;
    for (let j = 0; j < d; j++) s[j] -= ${iso ? 'coef * (x[base + j] - mu[mb + j])' : 'w * prec[po + k * d + j] * (x[base + j] - mu[mb + j])'};
  }
  for (let j = 0; j < d; j++) x[base + j] = c * x[base + j] + h * s[j] + sh * z[base + j];
}`;
}

