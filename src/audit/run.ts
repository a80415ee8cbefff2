/**
 * Audit orchestration: drives a sampler (in-process or command) through the problem set, runs the
 * checks, and returns the verdict record written to audit.json. Never throws for sampler
 * misbehaviour: a ProtocolError becomes the `protocol-error` verdict with what and where.
 *
 * Reproducibility: every start point set and every request seed is a function of (--seed, problem
 * id, ladder level) through derived RNG streams, so an audit replays exactly for a deterministic
 * sampler.
 *
 * Sampler kind and order (issue 15): `kind` (`sde` | `ode`) selects the exact law of each problem
 * (problems.ts) and, for `ode`, makes the replicate run reuse the K run's start points (with a
 * different seed) so the replicate check tests determinism; `order` (1 | 2) is the declared weak
 * order used by the bias allowance (checks.ts); for `ode` the K, 2K, 4K runs also share their start
 * points (paired differences, checks.ts). Precedence: the option (CLI `--kind` / `--order`),
 * else what the driver reports the sampler declared (`SamplerDriver.declared`), else `sde` / 1.
 */
import { sampleMixture } from '../distributions/gaussian-mixture.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import { Rng } from '../random/rng.ts';
import { problemChecks, type CheckResult, type DeclaredOrder, type WeakOrderEstimate } from './checks.ts';
import { auditProblems, exactMoments, servedScore, type AuditProblem, type ProblemSet, type SamplerKind } from './problems.ts';
import { ProtocolError, type CapturedText, type SampleRequest, type SamplerDriver, type ScoreFn } from './protocol.ts';

/** Default false-failure probability of one CLI audit (all checks together, union bound). */
export const DEFAULT_AUDIT_DELTA = 1e-6;
/** Default per-request time limit, seconds (a stdlib Python sampler needs ≈ 10 s per request here). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

export type AuditVerdict = 'pass' | 'fail' | 'inconclusive' | 'protocol-error';

export interface AuditOptions {
  readonly problems: ProblemSet;
  readonly seed: number;
  readonly delta: number;
  /** progress lines (stderr in the CLI) */
  readonly onProgress?: (line: string) => void;
  /** restrict to these problem ids (tests); default all of the set */
  readonly only?: readonly string[];
  /** sampler kind (overrides the sampler's declaration; default: declared, else `sde`) */
  readonly kind?: SamplerKind;
  /** declared weak order (overrides the sampler's declaration; default: declared, else 1) */
  readonly order?: DeclaredOrder;
}

export interface RequestRecord {
  readonly index: number;
  readonly label: string;
  readonly problem: string;
  readonly steps: number;
  readonly n: number;
  readonly seconds: number;
  readonly scoreCalls: number;
}

export interface ProblemRecord {
  readonly id: string;
  readonly description: string;
  readonly dim: number;
  readonly n: number;
  readonly T: number;
  readonly t0: number;
  readonly ladder: readonly number[];
  readonly exactMean: readonly number[];
  readonly exactCov: readonly number[];
  readonly weakOrder: WeakOrderEstimate | null;
}

export interface AuditResult {
  readonly sampler: string;
  readonly verdict: AuditVerdict;
  readonly driver: 'in-process' | 'command';
  readonly problemSet: ProblemSet;
  /** sampler kind the exact laws were computed for (optional: records built before issue 15 lack it) */
  readonly samplerKind?: SamplerKind;
  /** weak order used by the bias allowance (optional, as samplerKind) */
  readonly declaredOrder?: DeclaredOrder;
  readonly seed: number;
  readonly delta: number;
  readonly deltaPerCheck: number;
  readonly protocolError: { readonly failure: string; readonly request: number | null; readonly at: string | null; readonly message: string } | null;
  readonly checks: readonly CheckResult[];
  readonly problems: readonly ProblemRecord[];
  readonly requests: readonly RequestRecord[];
  readonly wallSeconds: number;
  readonly stderr: CapturedText;
  readonly summary: string;
}

function requestSeed(seed: number, problem: string, label: string): number {
  return Rng.fromPath('audit', seed, problem, label, 'seed').nextUint32() >>> 1;
}

/** Overall verdict: protocol-error ≻ fail ≻ inconclusive ≻ pass. */
export function overallVerdict(checks: readonly CheckResult[], protocolError: boolean): AuditVerdict {
  if (protocolError) return 'protocol-error';
  if (checks.some((c) => c.verdict === 'fail')) return 'fail';
  if (checks.some((c) => c.verdict === 'inconclusive')) return 'inconclusive';
  return checks.length > 0 ? 'pass' : 'inconclusive';
}

export async function runAudit(driver: SamplerDriver, opts: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const kind: SamplerKind = opts.kind ?? driver.declared?.kind ?? 'sde';
  const declaredOrder: DeclaredOrder = opts.order ?? driver.declared?.order ?? 1;
  const all = auditProblems(opts.problems, kind);
  const problems = opts.only ? all.filter((p) => opts.only!.includes(p.id)) : all;
  const deltaPerCheck = opts.delta / (problems.length * 4);
  const checks: CheckResult[] = [];
  const records: ProblemRecord[] = [];
  const requests: RequestRecord[] = [];
  let protocolError: AuditResult['protocolError'] = null;
  let index = 0;
  const log = opts.onProgress ?? (() => {});
  try {
    for (const p of problems) {
      const outputs: Float64Array[] = [];
      // [label, steps, level whose start points are used]: for an ODE every level reuses the K
      // run's x0 (paired ladder differences; the replicate becomes the determinism check)
      const shared = kind === 'ode';
      const levels: [string, number, string][] = [
        ['K', p.steps, 'K'],
        ['2K', 2 * p.steps, shared ? 'K' : '2K'],
        ['4K', 4 * p.steps, shared ? 'K' : '4K'],
        ['K-replicate', p.steps, shared ? 'K' : 'K-replicate'],
      ];
      for (const [levelLabel, steps, startLevel] of levels) {
        index++;
        const label = `${p.id} ${levelLabel}=${steps}`;
        const out = await runOne(driver, p, steps, levelLabel, startLevel, opts.seed, { index, label }, requests);
        outputs.push(out);
        log(`audit: request ${index} ${label} done (${requests[requests.length - 1]!.seconds.toFixed(1)} s)`);
      }
      const { checks: cs, order } = problemChecks({ problem: p, ladder: [outputs[0]!, outputs[1]!, outputs[2]!], replicate: outputs[3]!, sharedStart: shared }, deltaPerCheck, { order: declaredOrder });
      checks.push(...cs);
      records.push(problemRecord(p, order));
      log(`audit: ${p.id}: ${cs.map((c) => `${c.kind} ${c.verdict}`).join(', ')}`);
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    protocolError = { failure: err.failure, request: err.request?.index ?? null, at: err.request?.label ?? null, message: err.message };
    log(`audit: protocol error: ${err.message}`);
  } finally {
    await driver.close();
  }
  const verdict = overallVerdict(checks, protocolError !== null);
  const failed = checks.filter((c) => c.verdict === 'fail');
  const summary =
    verdict === 'protocol-error'
      ? `protocol error: ${protocolError!.message}`
      : verdict === 'fail'
        ? `${failed.length} of ${checks.length} checks fail: ${failed.map((c) => c.id).join(', ')}`
        : verdict === 'inconclusive'
          ? `no check fails, ${checks.filter((c) => c.verdict === 'inconclusive').length} inconclusive`
          : `all ${checks.length} checks pass`;
  return {
    sampler: driver.name,
    verdict,
    driver: driver.kind,
    problemSet: opts.problems,
    samplerKind: kind,
    declaredOrder,
    seed: opts.seed,
    delta: opts.delta,
    deltaPerCheck,
    protocolError,
    checks,
    problems: records,
    requests,
    wallSeconds: (Date.now() - started) / 1000,
    stderr: driver.stderr(),
    summary,
  };
}

function problemRecord(p: AuditProblem, order: WeakOrderEstimate | null): ProblemRecord {
  const { mean, cov } = exactMoments(p);
  return {
    id: p.id,
    description: p.description,
    dim: p.dim,
    n: p.n,
    T: p.T,
    t0: p.t0,
    ladder: [p.steps, 2 * p.steps, 4 * p.steps],
    exactMean: Array.from(mean),
    exactCov: Array.from(cov),
    weakOrder: order,
  };
}

async function runOne(driver: SamplerDriver, p: AuditProblem, steps: number, level: string, startLevel: string, seed: number, ctx: { index: number; label: string }, requests: RequestRecord[]): Promise<Float64Array> {
  const x0 = sampleMixture(pushMixture(p.data, p.T), p.n, Rng.fromPath('audit', seed, p.id, startLevel, 'x0'));
  const req: SampleRequest = { dim: p.dim, n: p.n, T: p.T, t0: p.t0, steps, seed: requestSeed(seed, p.id, level), x0 };
  const field = servedScore(p);
  let calls = 0;
  const score: ScoreFn = (t, x) => {
    calls++;
    if (!(x instanceof Float64Array)) x = Float64Array.from(x as ArrayLike<number>);
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ProtocolError('bad-message', ctx, `score called with t = ${String(t)} (need a finite number ≥ 0)`);
    const m = x.length / p.dim;
    if (!Number.isInteger(m) || m < 1) throw new ProtocolError('wrong-shape', ctx, `score called with ${x.length} numbers, not a positive multiple of dim = ${p.dim}`);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) throw new ProtocolError('non-finite', ctx, `score called with x[${i}] = ${x[i]}`);
    }
    const out = new Float64Array(x.length);
    field.evaluate(t, x, m, out);
    return out;
  };
  const t = Date.now();
  const out = await driver.sample(req, score, ctx);
  requests.push({ index: ctx.index, label: ctx.label, problem: p.id, steps, n: p.n, seconds: (Date.now() - t) / 1000, scoreCalls: calls });
  return out;
}
