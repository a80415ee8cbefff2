/**
 * Bench child, "what I tried" for the P1-E1 target: the same population recursion as bench/p1e1.ts
 * (same configs, same `runRecursion` loop, same laws), with the divergence metrics computed by a
 * cheaper route that gives the same estimators:
 *
 * - χ² status: a sufficient finiteness test for isotropic/diagonal mixtures in O(K_p·K_q·d)
 *   (some component k of q with 2 v_kj > v_ij for every component i of p and axis j ⇒ χ² < ∞;
 *   with 3 v_kj > 2 v_ij ⇒ finite variance: criterion (b) of src/divergences/monte-carlo.ts without
 *   its closed-form upper bound, which costs O(K_q·K_p²·d³) and is what dominates bench/p1e1.ts).
 *   When that test does not apply, the project's `chiSquareStatus` decides (it proves +∞ for D_i,
 *   claim D-3); an `unknown` status gives the estimate with a heavy-tail flag, as the project does.
 * - Monte Carlo: x ~ p in blocks of MC_BLOCK (`sampleMixtureInto`, stream rng.derive('mc-block', b)),
 *   log p and log q by the batched kernel src/kernels/mixture-log-density.ts; χ² = mean(p/q) − 1 and
 *   KL = mean(log p − log q), each with SE = sd/√n. I_i and KL_i share one sample of p̂^{i+1}
 *   (two valid estimates, correlated with each other).
 *
 * Usage: node bin/run-ts.mjs bench/p1e1-fast.ts REPEATS → one JSON line like bench/p1e1.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecursionConfig, toRecursionSpec } from '../src/config/recursion-config.ts';
import { sampleMixtureInto, type GaussianMixture } from '../src/distributions/gaussian-mixture.ts';
import { chiSquareStatus, MC_BLOCK } from '../src/divergences/monte-carlo.ts';
import { compileDiagonalMixture, diagonalMixtureLogDensities } from '../src/kernels/mixture-log-density.ts';
import type { Estimate, RecursionMetrics } from '../src/recursion/metrics.ts';
import { runRecursion, type RecursionRecord } from '../src/recursion/recursion.ts';
import { Rng } from '../src/random/rng.ts';

const ROOT = join(import.meta.dirname, '..');
const ALPHAS = ['0.1', '0.5', '0.9'];

function positive(w: Float64Array): number[] {
  const out: number[] = [];
  w.forEach((v, i) => {
    if (v > 0) out.push(i);
  });
  return out;
}

/** Some k of q with c·v_kj > e·v_ij for all i of p and all axes j (isotropic/diagonal only). */
function dominatingComponent(p: GaussianMixture, q: GaussianMixture, c: number, e: number): boolean {
  const d = p.dim;
  const js = positive(p.weights);
  const maxVar = new Float64Array(d);
  for (const i of js) {
    const g = p.components[i]!;
    if (g.kind === 'full') return false;
    for (let j = 0; j < d; j++) maxVar[j] = Math.max(maxVar[j]!, g.cov[j * d + j]!);
  }
  for (const k of positive(q.weights)) {
    const g = q.components[k]!;
    if (g.kind === 'full') continue;
    let ok = true;
    for (let j = 0; j < d && ok; j++) ok = c * g.cov[j * d + j]! > e * maxVar[j]!;
    if (ok) return true;
  }
  return false;
}

interface Pair {
  chi: Estimate;
  kl: Estimate;
}

/** χ²(p‖q) and KL(p‖q) from one sample of p (n draws). */
function divergences(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng, wantChi: boolean, wantKl: boolean): Pair {
  let chiInfinite = false;
  if (wantChi && !dominatingComponent(p, q, 2, 1)) chiInfinite = chiSquareStatus(p, q).finiteness === 'infinite';
  const needSample = wantKl || (wantChi && !chiInfinite);
  let chi: Estimate = { value: Infinity, standardError: 0, method: 'infinite' };
  let kl: Estimate = { value: Number.NaN, standardError: Number.NaN, method: 'monte-carlo' };
  if (!needSample) return { chi, kl };
  const cp = compileDiagonalMixture(p);
  const cq = compileDiagonalMixture(q);
  const d = p.dim;
  const buf = new Float64Array(MC_BLOCK * d);
  const lp = new Float64Array(MC_BLOCK);
  const lq = new Float64Array(MC_BLOCK);
  const scratch = new Float64Array(Math.max(cp.K, cq.K));
  let mr = 0;
  let m2r = 0;
  let ml = 0;
  let m2l = 0;
  let count = 0;
  for (let b = 0; count < n; b++) {
    const m = Math.min(MC_BLOCK, n - count);
    sampleMixtureInto(p, m, rng.derive('mc-block', b), buf, 0);
    diagonalMixtureLogDensities(cp, buf, m, lp, scratch);
    diagonalMixtureLogDensities(cq, buf, m, lq, scratch);
    for (let i = 0; i < m; i++) {
      count++;
      const l = lp[i]! - lq[i]!;
      const r = Math.exp(l);
      let delta = r - mr;
      mr += delta / count;
      m2r += delta * (r - mr);
      delta = l - ml;
      ml += delta / count;
      m2l += delta * (l - ml);
    }
  }
  if (wantChi && !chiInfinite) chi = { value: mr - 1, standardError: Math.sqrt(m2r / (count - 1) / count), method: 'monte-carlo' };
  if (wantKl) kl = { value: ml, standardError: Math.sqrt(m2l / (count - 1) / count), method: 'monte-carlo' };
  return { chi, kl };
}

function fastMetrics(samples: number): RecursionMetrics {
  return {
    chiSquared: (p, q, rng) => divergences(p, q, samples, rng, true, false).chi,
    round: ({ q, output, rng }) => {
      const { chi, kl } = divergences(output, q, samples, rng.derive('I-KL'), true, true);
      return { I: chi, KL: kl, epsStar2: null, epsHat2: null, eta: null };
    },
  };
}

const repeats = Math.max(1, Number(process.argv[2] ?? 3));
const configs = ALPHAS.map((a) => parseRecursionConfig(JSON.parse(readFileSync(join(ROOT, 'fixtures', 'configs', `p1-e1-alpha-${a}.json`), 'utf8'))));
const seconds: number[] = [];
const cpuSeconds: number[] = [];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let last: Record<string, { D: number[]; I: number[]; KL: number[]; KLse: number[] }> = {};
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const c0 = cpuNow();
  const summary: typeof last = {};
  for (const config of configs) {
    const records: RecursionRecord[] = runRecursion(toRecursionSpec(config), Rng.fromSeed(config.seed ?? 0), { metrics: fastMetrics(config.metrics.divergenceSamples) });
    summary[String(config.alpha)] = {
      D: records.map((x) => x.D.value),
      I: records.filter((x) => x.I).map((x) => x.I!.value),
      KL: records.filter((x) => x.KL).map((x) => x.KL!.value),
      KLse: records.filter((x) => x.KL).map((x) => x.KL!.standardError),
    };
  }
  seconds.push((performance.now() - t0) / 1000);
  cpuSeconds.push(cpuNow() - c0);
  last = summary;
}
const sorted = [...seconds].sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({ seconds, cpuSeconds, median: sorted[Math.floor(sorted.length / 2)]!, metrics: 'fast route: diagonal finiteness test + batched log-density kernel, one sample for I and KL', last }, (_k, v) => (v === Infinity ? 'Infinity' : v)) + '\n',
);
