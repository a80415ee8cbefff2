/**
 * `collapse-check audit (--sampler FILE | --command "CMD") [--problems default|deep]
 *  [--timeout SECONDS] [--seed N] [--json] [--out DIR]` (issue 7; docs/audit.md).
 *
 * Drives a sampler implementation on problems with exact output laws (src/audit/problems.ts) and
 * prints a verdict: pass / fail / inconclusive / protocol-error. Always writes the report
 * (audit.json, report.md, plots) to --out or reports/audit-<name>-<time>/, also after a protocol
 * error or Ctrl-C. Exit codes: 0 pass, 1 fail / inconclusive / protocol error, 2 bad usage.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadInProcessSampler } from '../../audit/driver-in-process.ts';
import { startCommandSampler } from '../../audit/driver-command.ts';
import { ProtocolError, type SamplerDriver } from '../../audit/protocol.ts';
import { DEFAULT_AUDIT_DELTA, DEFAULT_TIMEOUT_SECONDS, runAudit, type AuditResult } from '../../audit/run.ts';
import type { ProblemSet } from '../../audit/problems.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, humanWriter, toJson, UsageError } from '../io.ts';

/** Default --seed: fixed, so that two audits of a deterministic sampler are identical. */
export const DEFAULT_AUDIT_SEED = 1;

interface AuditCliOptions {
  sampler?: string;
  command?: string;
  problems: string;
  timeout: string;
  seed: string;
  delta: string;
  json?: boolean;
  out?: string;
}

function slug(s: string): string {
  return s.replace(/^.*\//, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'sampler';
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('audit')
    .description('check a sampler implementation against the exact reverse-SDE law (see docs/audit.md)')
    .option('--sampler <file>', 'in-process sampler module (.mjs/.js/.ts) with default export { name, sample(request, score) }')
    .option('--command <cmd>', 'sampler command speaking JSON lines protocol v1 on stdin/stdout (run through the shell)')
    .option('--problems <set>', 'problem set: default | deep', 'default')
    .option('--timeout <seconds>', 'time limit per request', String(DEFAULT_TIMEOUT_SECONDS))
    .option('--seed <n>', 'seed of start points and request seeds (replayable)', String(DEFAULT_AUDIT_SEED))
    .option('--delta <p>', 'false-failure probability of the whole audit', String(DEFAULT_AUDIT_DELTA))
    .option('--json', 'write the verdict record as one JSON document to stdout')
    .option('--out <dir>', 'report directory (default reports/audit-<name>-<time>/)')
    .action(async (opts: AuditCliOptions) => {
      if ((opts.sampler === undefined) === (opts.command === undefined)) throw new UsageError('audit: give exactly one of --sampler FILE or --command "CMD"');
      if (opts.problems !== 'default' && opts.problems !== 'deep') throw new UsageError(`audit: --problems must be default or deep, got "${opts.problems}"`);
      const timeout = Number(opts.timeout);
      if (!(timeout > 0) || !Number.isFinite(timeout)) throw new UsageError(`audit: --timeout must be a positive number of seconds, got "${opts.timeout}"`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new UsageError(`audit: --seed must be an integer, got "${opts.seed}"`);
      const delta = Number(opts.delta);
      if (!(delta > 0 && delta < 1)) throw new UsageError(`audit: --delta must be in (0, 1), got "${opts.delta}"`);
      const json = Boolean(opts.json);
      const say = humanWriter(json);
      const name = opts.sampler ?? opts.command!;
      const outDir = resolve(opts.out ?? `reports/audit-${slug(name)}-${stamp()}`);

      let driver: SamplerDriver | null = null;
      let result: AuditResult;
      const onSigint = () => {
        process.stderr.write('\naudit: interrupted, stopping the sampler and writing the report\n');
        driver?.abort('interrupted by the user (SIGINT)');
      };
      process.once('SIGINT', onSigint);
      try {
        try {
          driver = opts.sampler !== undefined ? await loadInProcessSampler(opts.sampler, timeout) : startCommandSampler(opts.command!, timeout);
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
          result = loadFailure(name, opts.sampler !== undefined ? 'in-process' : 'command', err, opts.problems as ProblemSet, seed, delta);
        }
        if (driver) {
          result = await runAudit(driver, {
            problems: opts.problems as ProblemSet,
            seed,
            delta,
            onProgress: (line) => process.stderr.write(line + '\n'),
          });
        }
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      // report module loaded lazily: vega/vega-lite are heavy and not needed for usage errors
      const { writeAuditReport } = await import('../../audit/report.ts');
      const { plotErrors } = await writeAuditReport(result!, outDir);
      const r = result!;
      if (json) process.stdout.write(toJson(r) + '\n');
      say(`audit ${r.sampler}: ${r.verdict.toUpperCase()} — ${r.summary}`);
      for (const c of r.checks) if (c.verdict !== 'pass') say(`  ${c.id}: ${c.verdict}: ${c.summary}`);
      say(`  δ = ${r.delta} (whole audit), wall time ${r.wallSeconds.toFixed(1)} s, report: ${outDir}/report.md`);
      for (const e of plotErrors) say(`  (plot not drawn: ${e})`);
      setExit(r.verdict === 'pass' ? EXIT_OK : EXIT_CHECK_FAILED);
    });
}

function loadFailure(name: string, kind: 'in-process' | 'command', err: ProtocolError, problems: ProblemSet, seed: number, delta: number): AuditResult {
  return {
    sampler: name,
    verdict: 'protocol-error',
    driver: kind,
    problemSet: problems,
    seed,
    delta,
    deltaPerCheck: 0,
    protocolError: { failure: err.failure, request: null, at: null, message: err.message },
    checks: [],
    problems: [],
    requests: [],
    wallSeconds: 0,
    stderr: { bytes: 0, head: '', tail: '', truncated: false },
    summary: `protocol error: ${err.message}`,
  };
}
