/**
 * `collapse-check simulate [--config FILE.json] [--seed N] [--json] [--out DIR]`: run one recursion
 * (embedded default: fixtures/configs/gaussian-1d.json) and print a table, or one JSON document.
 *
 * Inputs are checked before any work (issue 17): the config file is read bounded
 * (src/cli/config-file.ts), validated with field paths (ConfigError → BadInput, exit 2), refused
 * when it cannot fit the machine (size guard) or is numerically degenerate; --seed follows the one
 * seed rule; --out is checked writable first. Only ConfigError/BadInput are bad input: any other
 * error is internal (exit 1). Progress goes to stderr from the start, before generation 0 ends.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseRecursionConfig, recursionShape, toRecursionSpec, type RecursionConfig } from '../../config/recursion-config.ts';
import { DEFAULT_CONFIG_PATH } from '../../config/default-config.ts';
import { Rng } from '../../random/rng.ts';
import { runRecursion, type RecursionRecord } from '../../recursion/recursion.ts';
import { defaultRecursionMetrics } from '../../recursion/recursion-metrics.ts';
import { estimateWork, formatBytes } from '../../recursion/work-estimate.ts';
import type { RecursionSpec } from '../../recursion/recursion.ts';
import type { Estimate } from '../../recursion/metrics.ts';
import { BadInput, EXIT_OK } from '../errors.ts';
import { humanWriter, progress, toJson } from '../io.ts';
import { readJsonFile } from '../config-file.ts';
import { checkOutputDir, createOutputDir } from '../output-dir.ts';
import { seedOption } from '../seed.ts';
import { terminalSafe } from '../../numerics/text.ts';

interface SimulateOptions {
  config?: string;
  seed?: string;
  json?: boolean;
  out?: string;
}

export const DEFAULT_SIMULATE_SEED = 1;

const COLUMNS_HELP = `
Columns (one row per generation i; p̂^0 = p_data, q_i = α·p_data + (1−α)·p̂^i):
  D       χ²(p̂^i ‖ p_data): how far generation i has drifted from the data law
  I       χ²(p̂^{i+1} ‖ q_i): the error of round i, against the law it was trained on
  KL      KL(p̂^{i+1} ‖ q_i): the same round error in Kullback–Leibler divergence
  ε⋆², ε̂²  score-error energies of round i under the true / learned path; η their observability ratio
  ‖mean‖, E‖x‖²  norm of the mean and second moment of p̂^i
  Values: x±s is a Monte Carlo estimate with its standard error; +∞ is proven infinite;
  exp(L)−1 is finite but beyond the double range; n/a could not be computed (see the warnings).

Bad input (config field, flag, file) exits 2 with one line naming it and writes nothing;
files are written only with --out (simulation.json, table.txt).
`;

/** Config (file or embedded default) → validated config and spec; every failure is a BadInput naming the file and field. */
export function loadSimulation(path: string | undefined): { config: RecursionConfig; spec: RecursionSpec; source: string } {
  const source = path ?? DEFAULT_CONFIG_PATH;
  const raw = readJsonFile(source, path === undefined ? 'embedded default config' : '--config');
  try {
    const config = parseRecursionConfig(raw);
    return { config, spec: toRecursionSpec(config), source };
  } catch (e) {
    if (e instanceof ConfigError) throw new BadInput(`config ${terminalSafe(path ?? 'embedded default')}: ${e.message}`);
    throw e;
  }
}

/** JSON shape of one generation (issue contract): numbers, "Infinity"/"NaN" strings via toJson. */
export function generationJson(r: RecursionRecord): Record<string, unknown> {
  // NaN never reaches the output: a value that could not be computed is null, its reason in `warnings`
  const v = (e: Estimate | null) => (e === null || Number.isNaN(e.value) ? null : e.value);
  const se = (e: Estimate | null) => (e === null || Number.isNaN(e.standardError) ? null : e.standardError);
  const named: [string, Estimate | null][] = [['D', r.D], ['I', r.I], ['KL', r.KL], ['epsStar2', r.epsStar2], ['epsHat2', r.epsHat2], ['eta', r.eta]];
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
    warnings: named.flatMap(([k, e]) => [...(e?.warning ? [`${k}: ${e.warning}`] : []), ...(e && Number.isNaN(e.value) && !e.warning ? [`${k}: could not be computed`] : [])]),
    methods: { D: r.D.method, I: r.I?.method ?? null, KL: r.KL?.method ?? null },
    law: r.law,
    model: r.model,
  };
}

function fmt(e: Estimate | null): string {
  if (e === null) return '—';
  if (e.value === Infinity) return '+∞';
  if (e.logOnePlus !== undefined) return `exp(${e.logOnePlus.toFixed(1)})−1`;
  if (Number.isNaN(e.value)) return 'n/a';
  const v = Math.abs(e.value) >= 1e4 || (Math.abs(e.value) < 1e-3 && e.value !== 0) ? e.value.toExponential(3) : e.value.toFixed(4);
  return e.standardError > 0 && Number.isFinite(e.standardError) ? `${v}±${e.standardError.toExponential(1)}` : e.standardError === Infinity ? `${v}±∞` : v;
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
    .description(COMMAND_SUMMARIES.simulate)
    .option('--config <file>', 'recursion config (JSON); see README "Config format"')
    .option('--seed <n>', "root seed, an integer 0 … 2^53−1 (default: the config's seed, else 1)")
    .option('--json', 'print one JSON document on stdout (human text on stderr)')
    .option('--out <dir>', 'also write simulation.json and table.txt into DIR (checked writable before the run)')
    .addHelpText('after', COLUMNS_HELP)
    .action(async (opts: SimulateOptions) => {
      const say = humanWriter(Boolean(opts.json));
      // every input is checked before any work
      const { config, spec } = loadSimulation(opts.config);
      const seed = seedOption(opts.seed, config.seed ?? DEFAULT_SIMULATE_SEED);
      const outDir = opts.out !== undefined ? checkOutputDir(opts.out) : null;
      const estimate = estimateWork(recursionShape(config));
      const name = terminalSafe(config.name ?? (opts.config ?? 'embedded default'));
      say(`collapse-check simulate: ${name} · seed ${seed} · ${spec.generations} generations · α = ${spec.alpha} · ${spec.sampling.mode} · estimated ≤ ${estimate.operations.toExponential(1)} operations, ≤ ${formatBytes(estimate.bytes)}`);
      const bar = progress('simulate', spec.generations + 1);
      bar.tick(0, 'generation 0 running');
      let records: RecursionRecord[];
      try {
        records = runRecursion(spec, Rng.fromSeed(seed), {
          metrics: defaultRecursionMetrics(config.metrics),
          onGeneration: (r) => bar.tick(r.i + 1, `D = ${fmt(r.D)}`),
          onStage: (i, st) => bar.tick(i, `generation ${i}: ${st}`),
        });
      } catch (e) {
        // a config whose run cannot be carried out in double precision (e.g. particles overflowing): bad input, nothing written
        if (e instanceof ConfigError) throw new BadInput(`config ${terminalSafe(opts.config ?? 'embedded default')}: ${e.message}`);
        throw e;
      } finally {
        bar.end();
      }
      const doc = { config, seed, generations: records.map(generationJson) };
      const table = formatTable(records);
      if (outDir !== null) {
        createOutputDir(outDir);
        writeFileSync(join(outDir, 'simulation.json'), toJson(doc) + '\n');
        writeFileSync(join(outDir, 'table.txt'), table + '\n');
      }
      if (opts.json) process.stdout.write(toJson(doc) + '\n');
      else say(table);
      for (const w of doc.generations.flatMap((g) => (g.warnings as string[]).map((x) => `generation ${String(g.i)}: ${x}`)).slice(0, 10)) process.stderr.write(`warning: ${terminalSafe(w)}\n`);
      setExit(EXIT_OK);
    });
}
