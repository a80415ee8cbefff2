/**
 * Start-up CPU of the `collapse-check` CLI (issue 16: `collapse-check --help` ≤ 0.3 s CPU from the
 * installed package).
 *
 *   node bin/run-ts.mjs bench/startup.ts [PACKAGE_DIR] [--repeats N] [--json]
 *
 * PACKAGE_DIR is the root of a collapse-check package: an installed one
 * (`<project>/node_modules/collapse-check`, the case the target is about) or a checkout (default:
 * this repository; it runs dist/ when an up-to-date build exists, else the sources through tsx).
 * Each command line (`--version`, `--help`, `help verify`) runs REPEATS times (default 7), each in a
 * fresh `node PACKAGE_DIR/bin/collapse-check.mjs` process; the process measures itself: a
 * `--import` hook records `process.cpuUsage()` (user + system CPU of all the process's threads since
 * it started, so Node's own bootstrap is included) when the process exits and writes it to a file.
 * Reports the median and the minimum per command line. CPU time, not wall time: less sensitive to
 * the other jobs on a shared machine, but cache and frequency effects remain; the minimum is the
 * closest to a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const TARGET_HELP_CPU_SECONDS = 0.3;
const COMMAND_LINES: readonly (readonly string[])[] = [['--version'], ['--help'], ['help', 'verify']];

function parseArgs(argv: string[]): { dir: string; repeats: number; json: boolean } {
  let dir = resolve(import.meta.dirname, '..');
  let repeats = 7;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--repeats') {
      repeats = Number(argv[++i]);
      if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer, got "${argv[i]}"`);
    } else dir = resolve(a);
  }
  return { dir, repeats, json };
}

/** CPU seconds (user + system) of one CLI process, measured by the process itself at exit. */
function cpuOfOneRun(bin: string, args: readonly string[], scratch: string, i: number): number {
  const file = join(scratch, `cpu-${i}.json`);
  const hook = `data:text/javascript,${encodeURIComponent(
    `import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(${JSON.stringify(file)}, JSON.stringify(u)); });`,
  )}`;
  const r = spawnSync(process.execPath, ['--import', hook, bin, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`collapse-check ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const u = JSON.parse(readFileSync(file, 'utf8')) as { user: number; system: number };
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const { dir, repeats, json } = parseArgs(process.argv.slice(2));
const bin = join(dir, 'bin', 'collapse-check.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'collapse-startup-'));
const results: Array<{ args: string; medianCpuSeconds: number; minCpuSeconds: number; runs: number[] }> = [];
try {
  let i = 0;
  for (const args of COMMAND_LINES) {
    const runs: number[] = [];
    for (let k = 0; k < repeats; k++) runs.push(cpuOfOneRun(bin, args, scratch, i++));
    results.push({ args: args.join(' '), medianCpuSeconds: median(runs), minCpuSeconds: Math.min(...runs), runs });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const help = results.find((r) => r.args === '--help')!;
if (json) {
  process.stdout.write(JSON.stringify({ package: dir, repeats, target: { args: '--help', cpuSeconds: TARGET_HELP_CPU_SECONDS }, results }) + '\n');
} else {
  process.stdout.write(`collapse-check start-up CPU (user + system), ${repeats} runs each, package ${dir}\n`);
  for (const r of results) process.stdout.write(`  ${r.args.padEnd(14)} median ${r.medianCpuSeconds.toFixed(3)} s   min ${r.minCpuSeconds.toFixed(3)} s\n`);
  process.stdout.write(`  target: --help ≤ ${TARGET_HELP_CPU_SECONDS} s CPU: median ${help.medianCpuSeconds <= TARGET_HELP_CPU_SECONDS ? 'meets' : 'misses'} it\n`);
}
