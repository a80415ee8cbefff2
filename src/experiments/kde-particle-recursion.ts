/**
 * The finite-sample recursion with a Gaussian-KDE score model and exact sampling of its output law
 * (docs/theory.md §1 and §5.2; P1-E1, P1-E3, P2-E1):
 *
 *   p̂^0 = p_data (N fresh draws);  round i: n training draws of q_i = α p_data + (1−α) p̂^i (each
 *   draw fresh with probability α, else a uniformly resampled particle of p̂^i); the model is the
 *   KDE q̃_i = empirical(training) ∗ N(0, h² I); its sampler started from its own exact start P_T q̃_i
 *   outputs exactly P_{t0} q̃_i, so the N particles of p̂^{i+1} are drawn as
 *   x = a_{t0} y_J + √(a_{t0}² h² + σ_{t0}²) z, J uniform on the training set, z ~ N(0, I).
 *
 * h = 0 is the perfect score of the empirical training law (P2's setting with finite samples).
 * Unbiasedness: conditionally on p̂^i the law of one new particle is P_{t0}((α p_data + (1−α)
 * emp(p̂^i)) ∗ N(0, h²I)), so by induction the marginal law of any single particle at generation i
 * is exactly the population recursion's law p̄^i (the N → ∞ limit); the finite sample adds
 * dependence between particles (shared ancestors), not bias in any linear statistic.
 *
 * Streams: round i uses r = rng.derive('round', i): the fresh/resample choices, the fresh draws and
 * the output draws are consumed from r in that order; p̂^0 uses rng.derive('start'). (One
 * derivation per round: deriving costs ≈ 40 µs, more than a whole small round.) Memory O((N + n)·d); no per-particle allocation. Throws on invalid sizes.
 */
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import type { Rng } from '../random/rng.ts';

/** Draws `count` points of p_data into out[0 .. count·d). */
export type FreshSampler = (count: number, rng: Rng, out: Float64Array) => void;

export interface KdeRecursionSpec {
  readonly dim: number;
  readonly alpha: number;
  /** KDE bandwidth h ≥ 0 (0: perfect score of the empirical training law) */
  readonly bandwidth: number;
  readonly t0: number;
  readonly generations: number;
  /** particles of every p̂^i */
  readonly particles: number;
  /** training draws per round (default: particles) */
  readonly trainingSize?: number;
  readonly fresh: FreshSampler;
}

export interface RoundView {
  /** generation of the training law q_i */
  readonly i: number;
  /** particles of p̂^i (N·d) */
  readonly particles: Float64Array;
  /** the n training draws of q_i (n·d) */
  readonly training: Float64Array;
  /** particles of p̂^{i+1} (N·d) */
  readonly next: Float64Array;
}

export interface KdeRecursionHooks {
  readonly onGeneration?: (i: number, particles: Float64Array) => void;
  readonly onRound?: (view: RoundView) => void;
  readonly shouldStop?: () => boolean;
}

/**
 * Runs the recursion; `onGeneration(i, particles)` sees p̂^i for i = 0..G, `onRound` each round
 * i → i+1 (before onGeneration(i+1)). `shouldStop()` (checked before each round) ends the run early
 * (interrupts). Returns the number of completed rounds.
 */
export function runKdeRecursion(
  spec: KdeRecursionSpec,
  rng: Rng,
  hooks: KdeRecursionHooks = {},
): number {
  let done = 0;
  for (const i of kdeRecursionRounds(spec, rng, hooks)) done = i + 1;
  return done;
}

/**
 * Same as `runKdeRecursion` as a generator that yields the index i of each completed round
 * (after onGeneration(i+1)), so an async driver can give the event loop a turn between rounds
 * (SIGINT handlers, progress) and stop by not resuming it.
 */
export function* kdeRecursionRounds(spec: KdeRecursionSpec, rng: Rng, hooks: KdeRecursionHooks = {}): Generator<number, void, void> {
  const { dim: d, alpha, bandwidth: h, t0, generations: G, particles: N } = spec;
  const n = spec.trainingSize ?? N;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`runKdeRecursion: α = ${alpha}`);
  if (!(h >= 0) || !(t0 >= 0)) throw new Error('runKdeRecursion: h and t0 must be ≥ 0');
  if (!Number.isInteger(N) || N < 1 || !Number.isInteger(n) || n < 1 || !Number.isInteger(G) || G < 0) throw new Error('runKdeRecursion: sizes must be positive integers');
  const a = ouMeanFactor(t0);
  const s = Math.sqrt(a * a * h * h + ouVariance(t0));
  let x = new Float64Array(N * d);
  spec.fresh(N, rng.derive('start'), x);
  hooks.onGeneration?.(0, x);
  const training = new Float64Array(n * d);
  const freshBuf = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < G; i++) {
    if (hooks.shouldStop?.()) return;
    const r = rng.derive('round', i);
    const pick = r;
    // which rows are fresh: count first, then draw them in one call
    const isFresh = new Uint8Array(n);
    let nf = 0;
    for (let k = 0; k < n; k++) if (pick.uniform() < alpha) {
      isFresh[k] = 1;
      nf++;
    }
    if (nf > 0) spec.fresh(nf, r, freshBuf);
    let f = 0;
    for (let k = 0; k < n; k++) {
      if (isFresh[k]) {
        training.set(freshBuf.subarray(f * d, f * d + d), k * d);
        f++;
      } else {
        const j = pick.int(N);
        training.set(x.subarray(j * d, j * d + d), k * d);
      }
    }
    const next = new Float64Array(N * d);
    const out = r;
    for (let k = 0; k < N; k++) {
      const j = out.int(n);
      out.fillNormal(z);
      for (let c = 0; c < d; c++) next[k * d + c] = a * training[j * d + c]! + s * z[c]!;
    }
    hooks.onRound?.({ i, particles: x, training, next });
    x = next;
    hooks.onGeneration?.(i + 1, x);
    yield i;
  }
}
