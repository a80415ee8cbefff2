/**
 * `collapse-check fuzz --claim ID [--budget 60s|N|60s,N] [--seed N] [--json] [--out DIR]
 *  [--fixtures DIR] [--no-map]`: search a claim's configuration space beyond its assumptions for
 * the configurations that most violate it, shrink each violation, attribute it to the assumption
 * it breaks (or "none"), and draw the claim's boundary map (src/fuzz/).
 *
 * --budget: seconds ("60s", "2m") and/or evaluations ("500"), comma-separated; missing parts take
 * the claim's default. The configurations tried are a function of (claim, seed, evaluation budget):
 * a time budget only cuts the sequence short, and the output says how many were tried.
 * --out DIR: fuzz-<claim>.json (with the map's cells), map-<claim>.svg, counterexamples/<claim>/*.json.
 * --fixtures DIR: also write the shrunk counterexamples as regression fixtures DIR/<claim>/<name>.json.
 * SIGINT: the search stops, what was found so far is written (unshrunk), then the command exits.
 * Exit: 0 no counterexample inside the stated assumptions (or the claim is registered as failing as
 * stated), 1 a counterexample to the claim as stated, 2 bad usage (--json: an error document).
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_USAGE, UsageError, humanWriter, progress, toJson } from '../io.ts';
import { FUZZ_TARGETS, findTarget } from '../../fuzz/targets/index.ts';
import { runFuzz } from '../../fuzz/run.ts';
import { fuzzJson, fuzzText } from '../../fuzz/report.ts';
import { boundaryMapSvg } from '../../fuzz/map-svg.ts';
import { claimSlug, fixtureOf } from '../../fuzz/fixtures.ts';
import { BudgetError, parseBudget } from '../../fuzz/budget.ts';

interface FuzzOptions {
  claim?: string;
  budget?: string;
  seed?: string;
  json?: boolean;
  out?: string;
  fixtures?: string;
  map?: boolean;
}

export const DEFAULT_FUZZ_SEED = 1;

function parseSeed(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_FUZZ_SEED;
  const v = Number(raw);
  if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31) throw new UsageError(`--seed must be a 32-bit integer (got "${raw}")`);
  return v;
}

async function run(opts: FuzzOptions, setExit: (code: number) => void): Promise<void> {
  const allowed = FUZZ_TARGETS.map((t) => t.id).join(', ');
  if (!opts.claim) throw new UsageError(`--claim is required; allowed: ${allowed}`);
  const target = findTarget(opts.claim);
  if (!target) throw new UsageError(`--claim: unknown claim "${opts.claim}"; allowed: ${allowed} (aliases: ${FUZZ_TARGETS.flatMap((t) => t.aliases).join(', ')})`);
  let budget;
  try {
    budget = parseBudget(opts.budget, target.defaultBudget);
  } catch (e) {
    if (e instanceof BudgetError) throw new UsageError(e.message);
    throw e;
  }
  const seed = parseSeed(opts.seed);
  const say = humanWriter(Boolean(opts.json));
  say(`collapse-check fuzz: ${target.id} · seed ${seed} · budget ${Number.isFinite(budget.seconds) ? `${budget.seconds} s, ` : ''}${budget.evaluations} evaluations`);
  const stop = { stopped: false };
  const onSigint = () => {
    stop.stopped = true;
    process.stderr.write('\ncollapse-check fuzz: interrupted, writing what was found so far\n');
  };
  process.once('SIGINT', onSigint);
  const bar = progress(`fuzz ${target.id}`, budget.evaluations);
  let result;
  try {
    result = await runFuzz(target, {
      seed,
      budget,
      withMap: opts.map !== false,
      stop,
      onProgress: (stage, done, note) => {
        if (stage === 'search') bar.tick(done, note);
      },
    });
  } finally {
    bar.end();
    process.removeListener('SIGINT', onSigint);
  }
  const slug = claimSlug(target.id);
  const command = `npx collapse-check fuzz --claim ${target.id} --seed ${seed} --budget ${opts.budget ?? `${budget.seconds}s,${budget.evaluations}`}`;
  let svgPath: string | null = null;
  const fixtureFiles: string[] = [];
  const writeFixtures = (dir: string) => {
    mkdirSync(join(dir, slug), { recursive: true });
    for (const v of result.violations) {
      if (!v.shrunk) continue;
      const file = join(dir, slug, `${v.name}.json`);
      writeFileSync(file, toJson(fixtureOf(target, v, seed, command)) + '\n');
      fixtureFiles.push(file);
    }
  };
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    if (result.map) {
      svgPath = join(opts.out, `map-${slug}.svg`);
      writeFileSync(svgPath, await boundaryMapSvg(result.map));
    }
    writeFixtures(join(opts.out, 'counterexamples'));
    writeFileSync(join(opts.out, `fuzz-${slug}.json`), toJson(fuzzJson(result, { svg: svgPath, fixtures: fixtureFiles, includeCells: true })) + '\n');
  }
  if (opts.fixtures) writeFixtures(opts.fixtures);
  if (opts.json) process.stdout.write(toJson(fuzzJson(result, { svg: svgPath, fixtures: fixtureFiles })) + '\n');
  else {
    say(fuzzText(result));
    if (svgPath) say(`  map written to ${svgPath}`);
    for (const f of fixtureFiles) say(`  fixture written: ${f}`);
  }
  setExit(result.exitCode);
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('fuzz')
    .description(COMMAND_SUMMARIES.fuzz)
    .option('--claim <id>', `claim to fuzz: ${FUZZ_TARGETS.map((t) => t.id).join(', ')}`)
    .option('--budget <spec>', 'seconds ("60s", "2m") and/or evaluations ("500"), e.g. "60s,3000" (default: the claim\'s)')
    .option('--seed <n>', `root seed (default ${DEFAULT_FUZZ_SEED})`)
    .option('--json', 'print one JSON document on stdout (human text on stderr)')
    .option('--out <dir>', 'write fuzz-<claim>.json, map-<claim>.svg and counterexamples/ into DIR')
    .option('--fixtures <dir>', 'write the shrunk counterexamples as regression fixtures DIR/<claim>/<name>.json')
    .option('--no-map', 'skip the boundary map')
    .action(async (opts: FuzzOptions) => {
      try {
        await run(opts, setExit);
      } catch (e) {
        if (opts.json && e instanceof UsageError) {
          process.stdout.write(toJson({ command: 'fuzz', error: e.message, exitCode: EXIT_USAGE }) + '\n');
          process.stderr.write(`collapse-check: ${e.message}\n`);
          setExit(EXIT_USAGE);
          return;
        }
        throw e;
      }
    });
}
