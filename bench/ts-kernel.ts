/**
 * Bench child (one configuration per process, so no JIT feedback is shared between configurations:
 * shared/TOOLING.md's megamorphic pitfall): times the fused GMM-score + Euler–Maruyama kernel.
 *
 *   node bin/run-ts.mjs bench/ts-kernel.ts '{"d":10,"K":5,"n":20000,"steps":200,"threads":0,
 *        "noise":"polar","repeats":3,"out":"bench/out/ts-d10.f64"}'
 *
 * threads 0 = in-process single thread (`runGmmEulerMaruyama` / `runGmmEulerMaruyamaZiggurat`),
 * threads ≥ 1 = the worker pool (`createGmmPool`), warmed up (start-up + one untimed run) first.
 * Law: the bench law of ./law.ts; start N(0, I) from a fixed stream, the same for every repeat and
 * configuration, noise root `Rng.fromSeed('bench-noise')`: equal configurations give equal bits.
 * Prints one JSON line {"seconds": [...], "cpuSeconds": [...], ...}; writes the output particles to `out` (float64 LE).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compileGmmEulerMaruyamaSchedule, runGmmEulerMaruyama, runGmmEulerMaruyamaZiggurat } from '../src/kernels/gmm-euler-maruyama.ts';
import { createGmmPool } from '../src/parallel/gmm-pool.ts';
import { Rng } from '../src/random/rng.ts';
import { benchGrid, benchLaw } from './law.ts';

interface Config {
  d: number;
  K: number;
  n: number;
  steps: number;
  threads: number;
  noise: 'polar' | 'ziggurat';
  repeats: number;
  out?: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
const law = benchLaw(cfg.d, cfg.K);
const grid = benchGrid(cfg.steps);
const start = Rng.fromSeed('bench-start').normals(cfg.n * cfg.d);
const noise = Rng.fromSeed('bench-noise');
const seconds: number[] = [];
/** process CPU seconds (user + system, all threads of this process) per repeat: less load-sensitive than wall time */
const cpuSeconds: number[] = [];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let x = new Float64Array(0);

if (cfg.threads === 0) {
  const t0 = performance.now();
  const schedule = compileGmmEulerMaruyamaSchedule(law, grid);
  const compileSeconds = (performance.now() - t0) / 1000;
  for (let r = 0; r < cfg.repeats; r++) {
    x = start.slice();
    const c = cpuNow();
    const t = performance.now();
    if (cfg.noise === 'polar') runGmmEulerMaruyama(x, schedule, { n: cfg.n, noise });
    else runGmmEulerMaruyamaZiggurat(x, schedule, { n: cfg.n, noise });
    seconds.push((performance.now() - t) / 1000);
    cpuSeconds.push(cpuNow() - c);
  }
  report({ compileSeconds });
} else {
  const pool = createGmmPool({ threads: cfg.threads });
  const t0 = performance.now();
  await pool.warm();
  await pool.run(start.slice(), { law, grid, n: cfg.n, noise, noiseKind: cfg.noise }); // JIT warm-up, untimed
  const warmSeconds = (performance.now() - t0) / 1000;
  for (let r = 0; r < cfg.repeats; r++) {
    x = start.slice();
    const c = cpuNow();
    const t = performance.now();
    await pool.run(x, { law, grid, n: cfg.n, noise, noiseKind: cfg.noise }); // includes schedule compile + copies
    seconds.push((performance.now() - t) / 1000);
    cpuSeconds.push(cpuNow() - c);
  }
  await pool.destroy();
  report({ warmSeconds });
}

function report(extra: Record<string, number>): void {
  if (cfg.out) {
    mkdirSync(dirname(cfg.out), { recursive: true });
    writeFileSync(cfg.out, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  }
  process.stdout.write(JSON.stringify({ ...cfg, seconds, cpuSeconds, ...extra }) + '\n');
}
