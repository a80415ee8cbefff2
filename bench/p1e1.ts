/**
 * Bench child: time of the population P1-E1 recursion (docs/theory.md §3, P1-E1): 3 α ∈ {0.1, 0.5, 0.9} ×
 * 20 generations, 10-D, population KDE h = 0.6, exact mixture laws (p̂^{i+1} = P_{t0}(q_i ∗ N(0,h²I))),
 * χ² and KL by Monte Carlo with standard errors (+∞ when a closed-form criterion proves it, D-3).
 *
 * Uses the project's own pieces: the shipped configs fixtures/configs/p1-e1-alpha-*.json, the
 * recursion loop `runRecursion` (src/recursion/recursion.ts) and its metrics
 * `defaultRecursionMetrics` (src/recursion/recursion-metrics.ts): D_i = χ²(p̂^i‖p_data),
 * I_i = χ²(p̂^{i+1}‖q_i) and KL(p̂^{i+1}‖q_i) from one shared Monte Carlo sample of the configs'
 * `divergenceSamples` draws, +∞ when a closed-form criterion proves it; energies and η are switched
 * off (`energySamples: 0`), they are not part of this benchmark.
 *
 * Usage: node bin/run-ts.mjs bench/p1e1.ts REPEATS  → prints one JSON line
 *   {"seconds": [...], "median": s, "cumulativeSecondsAfterAlpha": {...}, "metrics": "...", "last": {...}}
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecursionConfig, toRecursionSpec } from '../src/config/recursion-config.ts';
import { defaultRecursionMetrics } from '../src/recursion/recursion-metrics.ts';
import { runRecursion, type RecursionRecord } from '../src/recursion/recursion.ts';
import { Rng } from '../src/random/rng.ts';

const ROOT = join(import.meta.dirname, '..');
const ALPHAS = ['0.1', '0.5', '0.9'];

const repeats = Math.max(1, Number(process.argv[2] ?? 3));
const configs = ALPHAS.map((a) => parseRecursionConfig(JSON.parse(readFileSync(join(ROOT, 'fixtures', 'configs', `p1-e1-alpha-${a}.json`), 'utf8'))));
const seconds: number[] = [];
const cpuSeconds: number[] = [];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const perAlpha: Record<string, number[]> = {};
let kind = '';
let last: Record<string, { D: number[]; I: number[]; KL: number[]; KLse: number[] }> = {};
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const c0 = cpuNow();
  const summary: typeof last = {};
  for (const config of configs) {
    const spec = toRecursionSpec(config);
    kind = 'project metrics (defaultRecursionMetrics): χ² and KL by Monte Carlo from one shared sample, +∞ when proven; energies and η off';
    const metrics = defaultRecursionMetrics({ ...config.metrics, energySamples: 0, etaPaths: 0 });
    const records: RecursionRecord[] = runRecursion(spec, Rng.fromSeed(config.seed ?? 0), { metrics });
    (perAlpha[String(config.alpha)] ??= []).push((performance.now() - t0) / 1000);
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
const median = sorted[Math.floor(sorted.length / 2)]!;
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, median, cumulativeSecondsAfterAlpha: perAlpha, metrics: kind, last }, (_k, v) => (v === Infinity ? 'Infinity' : v)) + '\n');
