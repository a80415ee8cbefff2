/**
 * `collapse-check audit (--sampler FILE | --command "CMD") [--problems default|deep]
 *  [--kind sde|ode] [--order 1|2] [--process vp-constant|vp-linear|vp-cosine|ve|edm
 *  [--beta B] [--beta-min B0 --beta-max B1] [--cosine-s S] [--sigma-min S0 --sigma-max S1]]
 *  [--serves score|eps|denoiser] [--min-effect E] [--timeout SECONDS] [--seed N] [--json] [--out DIR]`
 * (issue 7, issue 15; docs/audit.md). `--kind ode` audits a deterministic probability-flow ODE
 * sampler against the PF-ODE's exact laws; `--order 2` declares a second-order method. `--process`
 * and its parameters name the forward process (src/processes/diffusion-process.ts; default
 * vp-constant β = 1), `--serves` what the harness's callback returns (src/processes/process-fields.ts),
 * `--min-effect E` sizes n for power ≥ 0.99 at effect E and prints the expected wall time first.
 *
 * Drives a sampler implementation on problems with exact output laws (src/audit/problems.ts) and
 * prints a verdict: pass / fail / inconclusive / protocol-error. Writes the report (audit.json,
 * report.md, plots) to --out or reports/audit-<name>-<time>/ under the current directory, also after
 * a protocol error or Ctrl-C. Exit codes: 0 pass, 1 fail / inconclusive / protocol error,
 * 2 bad usage or input (issue 17: every flag, the sampler file and --out are checked before the
 * sampler starts: a missing / non-module / unimportable file or one without a default export is
 * bad input, not a protocol error; nothing is written then).
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { loadInProcessSampler, checkSamplerFile, SamplerLoadError } from '../../audit/driver-in-process.ts';
import { startCommandSampler } from '../../audit/driver-command.ts';
import { ProtocolError, type SamplerDriver } from '../../audit/protocol.ts';
import { DEFAULT_AUDIT_DELTA, DEFAULT_TIMEOUT_SECONDS, runAudit, type AuditResult } from '../../audit/run.ts';
import type { ProblemSet, SamplerKind } from '../../audit/problems.ts';
import { MOMENT_BIAS_FLOOR, type DeclaredOrder } from '../../audit/checks.ts';
import { PROCESS_NAMES, processFromDescription, type DiffusionProcess } from '../../processes/diffusion-process.ts';
import { SERVED_CONVENTIONS, type ServedConvention } from '../../processes/process-fields.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, humanWriter, toJson, UsageError } from '../io.ts';
import { checkOutputDir, createOutputDir, defaultReportDir } from '../output-dir.ts';
import { parseSeed } from '../seed.ts';
import { terminalSafe } from '../../numerics/text.ts';

/** Default --seed: fixed, so that two audits of a deterministic sampler are identical. */
export const DEFAULT_AUDIT_SEED = 1;

interface AuditCliOptions {
  sampler?: string;
  command?: string;
  problems: string;
  kind?: string;
  order?: string;
  process?: string;
  beta?: string;
  betaMin?: string;
  betaMax?: string;
  cosineS?: string;
  sigmaMin?: string;
  sigmaMax?: string;
  serves?: string;
  minEffect?: string;
  timeout: string;
  seed: string;
  delta: string;
  json?: boolean;
  out?: string;
}

/**
 * Largest --timeout: one day. Node's timers hold at most 2^31 − 1 ms ≈ 24.8 days; a larger delay
 * fires after 1 ms with a TimeoutOverflowWarning per timer (issue 17 row 19: 20 019 warnings).
 */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** Process parameters per --process, as (flag, protocol key) pairs. */
const PROCESS_FLAGS: Readonly<Record<string, readonly (readonly [keyof AuditCliOptions, string, string])[]>> = {
  'vp-constant': [['beta', 'beta', '--beta']],
  'vp-linear': [['betaMin', 'betaMin', '--beta-min'], ['betaMax', 'betaMax', '--beta-max']],
  'vp-cosine': [['cosineS', 's', '--cosine-s']],
  ve: [['sigmaMin', 'sigmaMin', '--sigma-min'], ['sigmaMax', 'sigmaMax', '--sigma-max']],
  edm: [],
};

/**
 * --process and its parameter flags → a DiffusionProcess, or undefined when none of them is given
 * (the default process, and requests without a `process` field). A parameter flag of another
 * process, a non-numeric or invalid value is a usage error.
 */
export function parseProcess(opts: Pick<AuditCliOptions, 'process' | 'beta' | 'betaMin' | 'betaMax' | 'cosineS' | 'sigmaMin' | 'sigmaMax'>): DiffusionProcess | undefined {
  const all = Object.values(PROCESS_FLAGS).flat();
  const given = all.filter(([key]) => opts[key as keyof typeof opts] !== undefined);
  if (opts.process === undefined) {
    if (given.length > 0) throw new UsageError(`audit: ${given.map(([, , flag]) => flag).join(', ')} need --process`);
    return undefined;
  }
  if (!(PROCESS_NAMES as readonly string[]).includes(opts.process)) throw new UsageError(`audit: --process must be one of ${PROCESS_NAMES.join(', ')}, got "${terminalSafe(opts.process)}"`);
  const own = PROCESS_FLAGS[opts.process]!;
  const desc: Record<string, string | number> = { name: opts.process };
  for (const [key, wire, flag] of given) {
    if (!own.some(([k]) => k === key)) throw new UsageError(`audit: ${flag} does not apply to --process ${opts.process}`);
    const raw = String(opts[key as keyof typeof opts]);
    const v = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(v)) throw new UsageError(`audit: ${flag} must be a number, got "${terminalSafe(raw)}"`);
    desc[wire] = v;
  }
  try {
    return processFromDescription(desc);
  } catch (err) {
    throw new UsageError(`audit: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** --min-effect: a number in (2·MOMENT_BIAS_FLOOR, 1) (checks.ts particlesForEffect). */
export function parseMinEffect(raw: string): number {
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!(v > 2 * MOMENT_BIAS_FLOOR && v < 1)) throw new UsageError(`audit: --min-effect must be a number in (${2 * MOMENT_BIAS_FLOOR}, 1) (scale units for moments, CDF distance for projections), got "${terminalSafe(raw)}"`);
  return v;
}

/** --timeout: a number of seconds in (0, MAX_TIMEOUT_SECONDS]. */
export function parseTimeout(raw: string): number {
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!(v > 0 && v <= MAX_TIMEOUT_SECONDS)) throw new UsageError(`audit: --timeout must be a number of seconds in (0, ${MAX_TIMEOUT_SECONDS}], got "${terminalSafe(raw)}"`);
  return v;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('audit')
    .description(COMMAND_SUMMARIES.audit)
    .option('--sampler <file>', 'in-process sampler module (.mjs/.js/.ts) with default export { name, sample(request, score) }')
    .option('--command <cmd>', 'sampler command speaking the JSON-lines protocol on stdin/stdout, v1 or v2 (negotiated; docs/audit.md) (run through the shell)')
    .option('--problems <set>', 'problem set: default | deep', 'default')
    .option('--kind <kind>', 'sampler kind: sde (stochastic reverse SDE) | ode (deterministic probability-flow ODE); default: the sampler\'s declaration, else sde')
    .option('--order <p>', 'weak order of the sampler\'s method, 1 | 2 (tightens the bias allowance); default: declared, else 1')
    .option('--process <name>', `forward process: ${PROCESS_NAMES.join(' | ')} (default vp-constant, β = 1)`)
    .option('--beta <b>', 'vp-constant: β (default 1)')
    .option('--beta-min <b>', 'vp-linear: β_min (default 0.1)')
    .option('--beta-max <b>', 'vp-linear: β_max (default 20)')
    .option('--cosine-s <s>', 'vp-cosine: offset s (default 0.008)')
    .option('--sigma-min <s>', 've: σ_min (default 0.01)')
    .option('--sigma-max <s>', 've: σ_max (default 50)')
    .option('--serves <field>', `what the callback returns: ${SERVED_CONVENTIONS.join(' | ')} (default score; docs/audit.md)`)
    .option('--min-effect <E>', 'size n so a K-independent effect E (sd units for moments, KS distance for projections) is detected with probability ≥ 0.99; prints the expected wall time first')
    .option('--timeout <seconds>', `time limit per request, seconds in (0, ${MAX_TIMEOUT_SECONDS}]`, String(DEFAULT_TIMEOUT_SECONDS))
    .option('--seed <n>', 'seed of start points and request seeds (replayable), an integer 0 … 2^53−1', String(DEFAULT_AUDIT_SEED))
    .option('--delta <p>', 'false-failure probability of the whole audit', String(DEFAULT_AUDIT_DELTA))
    .option('--json', 'write the verdict record as one JSON document to stdout')
    .option('--out <dir>', 'report directory, checked writable before the sampler starts (default ./reports/audit-<name>-<time>/)')
    .action(async (opts: AuditCliOptions) => {
      if ((opts.sampler === undefined) === (opts.command === undefined)) throw new UsageError('audit: give exactly one of --sampler FILE or --command "CMD"');
      if (opts.problems !== 'default' && opts.problems !== 'deep') throw new UsageError(`audit: --problems must be default or deep, got "${terminalSafe(opts.problems)}"`);
      if (opts.kind !== undefined && opts.kind !== 'sde' && opts.kind !== 'ode') throw new UsageError(`audit: --kind must be sde or ode, got "${terminalSafe(opts.kind)}"`);
      if (opts.order !== undefined && opts.order !== '1' && opts.order !== '2') throw new UsageError(`audit: --order must be 1 or 2, got "${terminalSafe(opts.order)}"`);
      const kind = opts.kind as SamplerKind | undefined;
      const forward = parseProcess(opts);
      if (opts.serves !== undefined && !(SERVED_CONVENTIONS as readonly string[]).includes(opts.serves)) throw new UsageError(`audit: --serves must be one of ${SERVED_CONVENTIONS.join(', ')}, got "${terminalSafe(opts.serves)}"`);
      const serves = opts.serves as ServedConvention | undefined;
      const minEffect = opts.minEffect === undefined ? undefined : parseMinEffect(opts.minEffect);
      const order = opts.order === undefined ? undefined : (Number(opts.order) as DeclaredOrder);
      const timeout = parseTimeout(opts.timeout);
      const seed = parseSeed(opts.seed);
      const delta = opts.delta.trim() === '' ? Number.NaN : Number(opts.delta);
      if (!(delta > 0 && delta < 1)) throw new UsageError(`audit: --delta must be in (0, 1), got "${terminalSafe(opts.delta)}"`);
      if (opts.command !== undefined && opts.command.trim() === '') throw new UsageError('audit: --command must be a command line, got an empty string');
      const json = Boolean(opts.json);
      const say = humanWriter(json);
      const name = opts.sampler ?? opts.command!;
      // every input is checked before the sampler starts: the module file, then the output directory
      try {
        if (opts.sampler !== undefined) checkSamplerFile(opts.sampler);
      } catch (err) {
        if (err instanceof SamplerLoadError) throw new UsageError(err.message);
        throw err;
      }
      const outDir = checkOutputDir(opts.out ?? defaultReportDir('audit', name));

      let driver: SamplerDriver | null = null;
      let result: AuditResult;
      const interrupt = new AbortController();
      const onSigint = () => {
        process.stderr.write('\naudit: interrupted, stopping the sampler and writing the report\n');
        interrupt.abort();
        driver?.abort('interrupted by the user (SIGINT)');
      };
      process.once('SIGINT', onSigint);
      try {
        try {
          driver = opts.sampler !== undefined ? await loadInProcessSampler(opts.sampler, timeout, { signal: interrupt.signal }) : startCommandSampler(opts.command!, timeout);
        } catch (err) {
          if (err instanceof SamplerLoadError) throw new UsageError(err.message);
          if (!(err instanceof ProtocolError)) throw err;
          result = loadFailure(name, opts.sampler !== undefined ? 'in-process' : 'command', err, opts.problems as ProblemSet, seed, delta, kind ?? 'sde', order ?? 1);
        }
        if (driver) {
          result = await runAudit(driver, {
            problems: opts.problems as ProblemSet,
            seed,
            delta,
            ...(kind !== undefined ? { kind } : {}),
            ...(order !== undefined ? { order } : {}),
            ...(forward !== undefined ? { process: forward } : {}),
            ...(serves !== undefined ? { serves } : {}),
            ...(minEffect !== undefined ? { minEffect } : {}),
            onProgress: (line) => process.stderr.write(terminalSafe(line) + '\n'),
          });
        }
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      // report module loaded lazily: vega/vega-lite are heavy and not needed for usage errors
      const { writeAuditReport } = await import('../../audit/report.ts');
      const { plotErrors } = await writeAuditReport(result!, createOutputDir(outDir));
      const r = result!;
      if (json) process.stdout.write(toJson(r) + '\n');
      say(`audit ${terminalSafe(r.sampler)}: ${r.verdict.toUpperCase()} — ${terminalSafe(r.summary)}`);
      for (const c of r.checks) if (c.verdict !== 'pass') say(`  ${c.id}: ${c.verdict}: ${terminalSafe(c.summary)}`);
      if (r.minEffect !== undefined) say(`  --min-effect ${r.minEffect}: ${minEffectSummary(r)}`);
      say(`  δ = ${r.delta} (whole audit), wall time ${r.wallSeconds.toFixed(1)} s${r.expectedSeconds !== undefined ? ` (expected ${r.expectedSeconds.toFixed(0)} s)` : ''}, report: ${terminalSafe(outDir)}/report.md`);
      for (const e of plotErrors) say(`  (plot not drawn: ${terminalSafe(e)})`);
      setExit(r.verdict === 'pass' ? EXIT_OK : EXIT_CHECK_FAILED);
    });
}

/**
 * Achieved power of a --min-effect audit: per problem the smallest K-independent moment effect
 * detected with probability ≥ 0.99 (the smaller of the moments and extrapolation checks'
 * `effectPower`), worst over problems, and the worst projection one.
 */
export function minEffectSummary(r: AuditResult): string {
  let moments = 0;
  let ks = 0;
  for (const p of r.problems) {
    const get = (kind: string) => {
      const v = r.checks.find((c) => c.problem === p.id && c.kind === kind)?.evidence.effectPower;
      return typeof v === 'number' ? v : Infinity;
    };
    moments = Math.max(moments, Math.min(get('moments'), get('extrapolation')));
    ks = Math.max(ks, get('projection-ks'));
  }
  return `a K-independent effect of ${Number(moments.toPrecision(3))} sd (moments) / ${Number(ks.toPrecision(3))} (KS) is detected with probability ≥ 0.99 (requested ${r.minEffect}; the excess, if any, is the discretisation allowance this sampler's ladder needs)`;
}

function loadFailure(name: string, kind: 'in-process' | 'command', err: ProtocolError, problems: ProblemSet, seed: number, delta: number, samplerKind: SamplerKind, declaredOrder: DeclaredOrder): AuditResult {
  return {
    sampler: name,
    verdict: 'protocol-error',
    driver: kind,
    problemSet: problems,
    samplerKind,
    declaredOrder,
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
