/**
 * Size guard of a recursion run (issue 17 rows 12–13): an upper estimate of the peak memory and of
 * the arithmetic work, computed from the sizes alone (before any array is allocated), compared
 * with limits derived from the machine. A run over a limit is refused with the estimate, the limit
 * and the largest contributor, instead of minutes of silence and gigabytes of memory.
 *
 * Notation: d dimension, K data components, G generations, S divergenceSamples, E energySamples,
 * P etaPaths, Q etaSteps, N particles, M steps, n trainer samples. Component counts: in population
 * mode q_i = α p_data + (1−α) p̂^i concatenates components, so p̂^i has up to (i+1)·K (exact,
 * perturbed, population KDE), K + n (KDE of n draws) or K + K_em (EM) components; in particle mode
 * p̂^i is an EM fit with K_fit components.
 *
 * Estimates (constants are deliberately generous: this is a guard, not a benchmark):
 * - memory: every live mixture costs 3·d²·8 bytes per component (covariance, factor, inverse),
 *   3 mixtures live; Monte Carlo blocks S·(d + K_max)·8; particles 4·N·d·8 + N·K_fit·8 + (M+1)·8;
 *   trainer draws n·(d + K_em)·8; η regression P·(F + 4d)·8 with F = 1 + d + d(d+1)/2.
 * - work (multiply–adds), per generation i: divergences 4·S·(K_p + K_q)·(d² + d); energies
 *   64·E·(K_q + K_model)·d²; η P·Q·K_q·d² + P·F²; particles N·M·K_model·d² + EM fit
 *   N·K_fit·d²·200; trainer EM n·K_em·d²·maxIterations; Cholesky K_q·d³.
 */
import { totalmem } from 'node:os';

export interface RecursionShape {
  readonly dim: number;
  readonly components: number;
  readonly generations: number;
  readonly sampling: { readonly mode: 'population' } | { readonly mode: 'particles'; readonly particles: number; readonly steps: number; readonly fitComponents?: number | undefined };
  readonly trainer:
    | { readonly kind: 'exact' | 'perturbed' }
    | { readonly kind: 'kde'; readonly samples?: number | undefined }
    | { readonly kind: 'em'; readonly components: number; readonly samples: number; readonly maxIterations?: number | undefined };
  readonly metrics: { readonly divergenceSamples: number; readonly energySamples: number; readonly etaPaths: number; readonly etaSteps: number };
}

export interface WorkEstimate {
  /** peak bytes (upper estimate) */
  readonly bytes: number;
  /** multiply–adds over the whole run (upper estimate) */
  readonly operations: number;
  /** the term that dominates each estimate, in words */
  readonly largestMemory: string;
  readonly largestWork: string;
}

export interface SizeLimits {
  readonly bytes: number;
  readonly operations: number;
}

/** Fraction of the machine's RAM a run may plan to use. */
export const MEMORY_FRACTION = 0.5;
/**
 * Work limit: 2e13 multiply–adds ≈ 6 h at the ≈ 1e9 per second the fused loops reach on one core
 * (bench/README.md); the shipped configs need ≤ 1e11.
 */
export const WORK_LIMIT = 2e13;
const EM_FIT_ITERATIONS = 200;
const ENERGY_TIME_NODES = 64;
const BYTES = 8;

export function estimateWork(s: RecursionShape): WorkEstimate {
  const d = s.dim;
  const K = s.components;
  const G = s.generations;
  const { divergenceSamples: S, energySamples: E, etaPaths: P, etaSteps: Q } = s.metrics;
  const F = 1 + d + (d * (d + 1)) / 2;
  const t = s.trainer;
  const n = t.kind === 'em' ? t.samples : t.kind === 'kde' ? (t.samples ?? 0) : 0;
  const Kem = t.kind === 'em' ? t.components : 0;
  const particles = s.sampling.mode === 'particles' ? s.sampling : null;
  const Kfit = particles ? (particles.fitComponents ?? K) : 0;
  // components of p̂^i and of the model at generation i
  const lawComponents = (i: number): number => {
    if (particles) return i === 0 ? K : Kfit;
    if (t.kind === 'em') return i === 0 ? K : Kem;
    if (t.kind === 'kde' && t.samples !== undefined) return i === 0 ? K : n;
    return (i + 1) * K;
  };
  const modelComponents = (i: number): number => (t.kind === 'em' ? Kem : t.kind === 'kde' && t.samples !== undefined ? n : K + lawComponents(i));
  const Kmax = Math.max(K + lawComponents(G), modelComponents(G), K + lawComponents(Math.max(G - 1, 0)));

  const memory: [string, number][] = [
    ['mixture components (covariances and factors)', 3 * 3 * Kmax * d * d * BYTES],
    ['Monte Carlo draws of the divergences', S * (d + Kmax) * BYTES],
    ['particles, their EM fit and the time grid', particles ? (4 * particles.particles * d + particles.particles * Kfit + particles.steps + 1) * BYTES : 0],
    ['trainer draws', n * (d + Kem) * BYTES],
    ['η regression paths', P * (F + 4 * d) * BYTES],
    ['energy draws', E * (d + Kmax) * BYTES],
  ];
  // work: sum over generations of a per-generation cost that depends on i only through component counts;
  // for the linearly growing population case Σ_{i<G} (i+1)K = K·G(G+1)/2.
  const sumLaw = particles || t.kind === 'em' || (t.kind === 'kde' && t.samples !== undefined) ? G * lawComponents(Math.max(G, 1)) : (K * G * (G + 1)) / 2;
  const sumModel = t.kind === 'em' ? G * Kem : t.kind === 'kde' && t.samples !== undefined ? G * n : G * K + sumLaw;
  const work: [string, number][] = [
    ['divergences (divergenceSamples × components × d²)', 4 * S * (2 * G * K + 2 * sumLaw) * (d * d + d)],
    ['energies (energySamples × components × d²)', t.kind === 'exact' && !particles ? 0 : ENERGY_TIME_NODES * E * (G * K + sumLaw + sumModel) * d * d],
    ['η regression (etaPaths × etaSteps × components × d²)', P * Q * (G * K + sumLaw) * d * d + G * P * F * F],
    ['particle sampling (particles × steps × components × d²)', particles ? particles.particles * particles.steps * sumModel * d * d : 0],
    ['EM fits of the particles', particles ? G * particles.particles * Kfit * d * d * EM_FIT_ITERATIONS : 0],
    ['trainer EM fits', t.kind === 'em' ? G * n * Kem * d * d * (t.maxIterations ?? EM_FIT_ITERATIONS) : 0],
    ['Cholesky factors', (G * K + sumLaw + sumModel) * d * d * d],
  ];
  const top = (xs: [string, number][]) => xs.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    bytes: memory.reduce((a, [, v]) => a + v, 0),
    operations: work.reduce((a, [, v]) => a + v, 0),
    largestMemory: top(memory)[0],
    largestWork: top(work)[0],
  };
}

function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toPrecision(3)} ${units[u]}${u === units.length - 1 && v >= 1024 ? '+' : ''}`;
}

/** Why the run is refused, or null when it fits. */
export function sizeRefusal(e: WorkEstimate, limits: SizeLimits): string | null {
  if (!(e.bytes <= limits.bytes)) return `needs an estimated ${human(e.bytes)} of memory (mostly ${e.largestMemory}); the limit on this machine is ${human(limits.bytes)} (${MEMORY_FRACTION * 100} % of its RAM): reduce the sizes`;
  if (!(e.operations <= limits.operations)) return `needs an estimated ${e.operations.toExponential(1)} arithmetic operations (mostly ${e.largestWork}); the limit is ${limits.operations.toExponential(0)} (≈ 6 h of CPU): reduce the sizes`;
  return null;
}

export { human as formatBytes };

/** Limits of this machine: MEMORY_FRACTION of its RAM (or of the cgroup limit, if lower) and WORK_LIMIT. */
export function machineSizeLimits(): SizeLimits {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const ram = constrained !== undefined && constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return { bytes: MEMORY_FRACTION * ram, operations: WORK_LIMIT };
}
