/**
 * Run half of the fused GMM score + Euler–Maruyama kernel (see ./gmm-euler-maruyama.ts for the math
 * and the guarantees): the block/step loop over a compiled `GmmEulerMaruyamaSchedule`, with the
 * normal source injected (polar or ziggurat) and the step arithmetic generated from one template
 * (./codegen.ts). Kept free of the schedule compiler's imports
 * (linear algebra, mathjs) so that pool workers start fast.
 */
import type { Rng } from '../random/rng.ts';
import { BLOCK_SIZE } from '../samplers/noise-blocks.ts';
import { loopKernel, stepKernel } from './codegen.ts';
import { fillNormalZiggurat, xoshiroState } from './ziggurat.ts';

export type FusedLayout = 'isotropic' | 'diagonal';

/** Per-step compiled parameters of the whole grid (flat arrays, step-major). */
export interface GmmEulerMaruyamaSchedule {
  readonly dim: number;
  /** components */
  readonly K: number;
  readonly steps: number;
  readonly layout: FusedLayout;
  /** steps·K·d: a_t m_k at t = times[step] */
  readonly means: Float64Array;
  /** steps·K (isotropic: 1/v_k(t)) or steps·K·d (diagonal: 1/v_kj(t)) */
  readonly precision: Float64Array;
  /** steps·K: log w_k − ½ log|S_k(t)| (2π cancels in the softmax) */
  readonly logConst: Float64Array;
  /** steps: h = t_k − t_{k+1}, √h, 1 + h/2 */
  readonly h: Float64Array;
  readonly sqrtH: Float64Array;
  readonly drift: Float64Array;
}

export interface GmmEulerMaruyamaRequest {
  /** particles (x holds n·d numbers: start values in, outputs out) */
  readonly n: number;
  /** root of the Brownian noise; block b uses noise.derive(b) */
  readonly noise: Rng;
  /** run only blocks [from, to) (workers); default all */
  readonly blocks?: { readonly from: number; readonly to: number };
  /**
   * 'auto' (default): the run-time specialised straight-line kernel (./codegen.ts) when
   * K·d ≤ CODEGEN_LIMIT, else the loop kernel; 'loop': always the loop kernel. Same numbers either way.
   */
  readonly kernel?: 'auto' | 'loop';
}

function checkRequest(x: Float64Array, s: GmmEulerMaruyamaSchedule, req: GmmEulerMaruyamaRequest): { from: number; to: number } {
  const d = s.dim;
  if (!Number.isInteger(req.n) || req.n < 0) throw new Error(`runGmmEulerMaruyama: n = ${req.n} must be a non-negative integer`);
  if (x.length !== req.n * d) throw new Error(`runGmmEulerMaruyama: ${x.length} numbers for ${req.n} particles of dimension ${d}`);
  const blocks = Math.ceil(req.n / BLOCK_SIZE);
  return { from: req.blocks?.from ?? 0, to: Math.min(req.blocks?.to ?? blocks, blocks) };
}

/** Scratch of one run: allocated once per call, reused by every block and step. */
interface Scratch {
  z: Float64Array; // BLOCK_SIZE·d normals
  r: Float64Array; // K logits / weights
  s: Float64Array; // d score
}

function scratch(s: GmmEulerMaruyamaSchedule): Scratch {
  return { z: new Float64Array(BLOCK_SIZE * s.dim), r: new Float64Array(s.K), s: new Float64Array(s.dim) };
}

/**
 * The normal source of one run, injected into the block/step loop: `forBlock(b)` prepares block b's
 * stream (derived from the request's noise root) and returns the filler of one step's normals.
 * 'polar': `Rng.fillNormal` on noise.derive(b) (the default samplers' numbers); 'ziggurat':
 * `fillNormalZiggurat` on the same per-block xoshiro state (same law, different numbers).
 */
export interface NormalSource {
  readonly name: 'polar' | 'ziggurat';
  forBlock(noise: Rng, block: number): (z: Float64Array) => void;
}

export const POLAR_NORMALS: NormalSource = {
  name: 'polar',
  forBlock: (noise, block) => {
    const rng = noise.derive(block);
    return (z) => rng.fillNormal(z);
  },
};

export const ZIGGURAT_NORMALS: NormalSource = {
  name: 'ziggurat',
  forBlock: (noise, block) => {
    const state = xoshiroState(noise.derive(block).state().s);
    return (z) => fillNormalZiggurat(state, z, 0, z.length);
  },
};

/**
 * The block/step loop of the fused kernel with the normal source injected: the unrolled kernel
 * (./codegen.ts `stepKernel`) when K·d ≤ CODEGEN_LIMIT and not `kernel: 'loop'`, else the loop
 * kernel generated from the same template (`loopKernel`, one instance per normal source).
 */
export function runGmmEulerMaruyamaWith(normals: NormalSource, x: Float64Array, schedule: GmmEulerMaruyamaSchedule, req: GmmEulerMaruyamaRequest): void {
  const { from, to } = checkRequest(x, schedule, req);
  const sc = scratch(schedule);
  const d = schedule.dim;
  const n = req.n;
  const kern = req.kernel === 'loop' ? null : stepKernel(schedule.layout, d, schedule.K);
  const loop = kern ? null : loopKernel(schedule.layout, normals.name);
  const { means, precision, logConst, h, sqrtH, drift, K } = schedule;
  const pk = schedule.layout === 'isotropic' ? K : K * d;
  for (let b = from; b < to; b++) {
    const start = b * BLOCK_SIZE;
    const m = Math.min(BLOCK_SIZE, n - start);
    const fill = normals.forBlock(req.noise, b);
    const xb = x.subarray(start * d, (start + m) * d);
    const zb = sc.z.subarray(0, m * d);
    for (let k = 0; k < schedule.steps; k++) {
      fill(zb);
      if (kern) kern(means, precision, logConst, k * K * d, k * pk, k * K, h[k]!, sqrtH[k]!, drift[k]!, xb, m, zb);
      else loop!(means, precision, logConst, k * K * d, k * pk, k * K, h[k]!, sqrtH[k]!, drift[k]!, xb, m, zb, d, K, sc.r, sc.s);
    }
  }
}

/** Polar-noise run, bit-identical to `runReverseSde(eulerMaruyamaStep, x, {score: gaussianMixtureScore(q), …})`. */
export function runGmmEulerMaruyama(x: Float64Array, schedule: GmmEulerMaruyamaSchedule, req: GmmEulerMaruyamaRequest): void {
  runGmmEulerMaruyamaWith(POLAR_NORMALS, x, schedule, req);
}

/** Ziggurat-noise run (separately named: same law, different numbers from the default samplers). */
export function runGmmEulerMaruyamaZiggurat(x: Float64Array, schedule: GmmEulerMaruyamaSchedule, req: GmmEulerMaruyamaRequest): void {
  runGmmEulerMaruyamaWith(ZIGGURAT_NORMALS, x, schedule, req);
}
