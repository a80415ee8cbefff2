/**
 * `collapse-check simulate [--config FILE.json] [--seed N] [--json] [--out DIR]`: run one recursion
 * (embedded default: fixtures/configs/gaussian-1d.json) and print a table, or one JSON document.
 * Bad config ⇒ one message naming the field, exit 2, nothing written.
 */
import type { Command } from 'commander';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseRecursionConfig, toRecursionSpec, type RecursionConfig } from '../../config/recursion-config.ts';
import { DEFAULT_RECURSION_CONFIG } from '../../config/default-config.ts';
import { Rng } from '../../random/rng.ts';
import { runRecursion, type RecursionRecord } from '../../recursion/recursion.ts';
import { defaultRecursionMetrics } from '../../recursion/recursion-metrics.ts';
import type { Estimate } from '../../recursion/metrics.ts';
import { EXIT_OK, UsageError, humanWriter, progress, toJson } from '../io.ts';

interface SimulateOptions {
  config?: string;
  seed?: string;
  json?: boolean;
  out?: string;
}

export const DEFAULT_SIMULATE_SEED = 1;

function loadConfig(path: string | undefined): RecursionConfig {
  if (!path) return parseRecursionConfig(DEFAULT_RECURSION_CONFIG);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parseRecursionConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`config ${path}: ${e.message}`);
    throw e;
  }
}

function parseSeed(s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const v = Number(s);
  if (!Number.isInteger(v)) throw new UsageError(`--seed must be an integer (got "${s}")`);
  return v;
}

/** JSON shape of one generation (issue contract): numbers, "Infinity"/"NaN" strings via toJson. */
export function generationJson(r: RecursionRecord): Record<string, unknown> {
  const v = (e: Estimate | null) => (e === null ? null : e.value);
  const se = (e: Estimate | null) => (e === null ? null : e.standardError);
  return {
    i: r.i,
    t0: r.t0,
    D: v(r.D),
    I: v(r.I),
    KL: v(r.KL),
    epsStar2: v(r.epsStar2),
    epsHat2: v(r.epsHat2),
    eta: v(r.eta),
    mean: Array.from(r.mean),
    secondMoment: r.secondMoment,
    standardErrors: { D: se(r.D), I: se(r.I), KL: se(r.KL), epsStar2: se(r.epsStar2), epsHat2: se(r.epsHat2), eta: se(r.eta) },
    ...(r.D.logOnePlus !== undefined ? { DLogOnePlus: r.D.logOnePlus } : {}),
    warnings: [r.D, r.I, r.KL].flatMap((e) => (e?.warning ? [e.warning] : [])),
    methods: { D: r.D.method, I: r.I?.method ?? null, KL: r.KL?.method ?? null },
    law: r.law,
    model: r.model,
  };
}

function fmt(e: Estimate | null): string {
  if (e === null) return '—';
  if (e.value === Infinity) return '+∞';
  if (e.logOnePlus !== undefined) return `exp(${e.logOnePlus.toFixed(1)})−1`;
  if (Number.isNaN(e.value)) return 'NaN';
  const v = Math.abs(e.value) >= 1e4 || (Math.abs(e.value) < 1e-3 && e.value !== 0) ? e.value.toExponential(3) : e.value.toFixed(4);
  return e.standardError > 0 ? `${v}±${e.standardError.toExponential(1)}` : v;
}

export function formatTable(records: readonly RecursionRecord[]): string {
  const header = ['i', 't0', 'D', 'I', 'KL', 'ε⋆²', 'ε̂²', 'η', '‖mean‖', 'E‖x‖²'];
  const rows = records.map((r) => [
    String(r.i),
    r.t0 === null ? '—' : r.t0.toPrecision(3),
    fmt(r.D),
    fmt(r.I),
    fmt(r.KL),
    fmt(r.epsStar2),
    fmt(r.epsHat2),
    fmt(r.eta),
    Math.hypot(...r.mean).toFixed(4),
    r.secondMoment.toFixed(4),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('simulate')
    .description('run one recursive-training simulation (embedded default: 1-D Gaussian, perfect score, t0 = 0.1)')
    .option('--config <file>', 'recursion config (JSON); see README "Config format"')
    .option('--seed <n>', 'root seed (default: the config\'s seed, else 1)')
    .option('--json', 'print one JSON document on stdout (human text on stderr)')
    .option('--out <dir>', 'also write simulation.json and table.txt into DIR')
    .action((opts: SimulateOptions) => {
      const say = humanWriter(Boolean(opts.json));
      const config = loadConfig(opts.config);
      let spec;
      try {
        spec = toRecursionSpec(config);
      } catch (e) {
        if (e instanceof ConfigError || e instanceof Error) throw new UsageError(`config${opts.config ? ' ' + opts.config : ''}: ${e.message}`);
        throw e;
      }
      const seed = parseSeed(opts.seed, config.seed ?? DEFAULT_SIMULATE_SEED);
      say(`collapse-check simulate: ${config.name ?? (opts.config ?? 'embedded default')} · seed ${seed} · ${spec.generations} generations · α = ${spec.alpha} · ${spec.sampling.mode}`);
      const bar = progress('simulate', spec.generations + 1);
      const records = runRecursion(spec, Rng.fromSeed(seed), {
        metrics: defaultRecursionMetrics(config.metrics),
        onGeneration: (r) => bar.tick(r.i + 1, `D = ${fmt(r.D)}`),
      });
      bar.end();
      const doc = { config, seed, generations: records.map(generationJson) };
      const table = formatTable(records);
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, 'simulation.json'), toJson(doc) + '\n');
        writeFileSync(join(opts.out, 'table.txt'), table + '\n');
      }
      if (opts.json) process.stdout.write(toJson(doc) + '\n');
      else say(table);
      setExit(EXIT_OK);
    });
}

