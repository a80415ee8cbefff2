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
import type { DiffusionProcess, ProcessParameters } from '../processes/diffusion-process.ts';
import { checkProcessTime } from '../processes/diffusion-process.ts';
import type { ServedConvention } from '../processes/process-fields.ts';
import { Rng } from '../random/rng.ts';
import { checksPerProblem, particlesForEffect, problemChecks, type CheckResult, type DeclaredOrder, type WeakOrderEstimate } from './checks.ts';
import { auditProblems, exactMoments, servedScore, startLaw, type AuditProblem, type ProblemSet, type SamplerKind } from './problems.ts';
import { momentFeatures, sortedProjection } from './statistics.ts';
import { ProtocolError, WIRE_ROUNDING, type CapturedText, type SampleRequest, type SamplerDriver, type ScoreFn, type WireFormat } from './protocol.ts';

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
  /**
   * forward process (issue 15; default: constant-β VP-OU, β = 1, and the request carries no
   * `process`); when given, every request names it (`process`) and the problem windows, start laws,
   * served fields and exact laws are those of src/audit/problems.ts under this process
   */
  readonly process?: DiffusionProcess;
  /** what the harness's callback returns (default `score`; when given, every request names it) */
  readonly serves?: ServedConvention;
  /**
   * power on demand (issue 15): size every problem's n so that a K-independent effect of this size
   * (scale units for moments, CDF distance for projections) is detected with probability ≥ 0.99
   * (checks.ts particlesForEffect), add the `extrapolation` check, and estimate the wall time from
   * one calibration request per problem before the audit proper starts
   */
  readonly minEffect?: number;
}

/** Calibration requests of --min-effect: this fraction of the sized n (at least CALIBRATION_MIN_PARTICLES) and twice it, base K. */
export const CALIBRATION_FRACTION = 0.01;
export const CALIBRATION_MIN_PARTICLES = 2000;
/** Particle-steps of one problem's four requests (K + 2K + 4K + K) per particle-step of a calibration request at K. */
const REQUESTS_PER_CALIBRATION = 8;

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
  /** forward process and served convention (absent: the default vp-constant β = 1, `score`) */
  readonly process?: ProcessParameters;
  readonly serves?: ServedConvention;
  /** --min-effect, and the wall time estimated from the calibration requests before the audit proper (seconds) */
  readonly minEffect?: number;
  readonly expectedSeconds?: number;
  /** what a command sampler spoke (protocol v1 JSON, or v2 with its encoding); absent in process */
  readonly wire?: WireFormat;
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
  const all = auditProblems(opts.problems, kind, { ...(opts.process ? { process: opts.process } : {}), ...(opts.serves ? { serves: opts.serves } : {}) });
  const wire = { ...(opts.process ? { process: opts.process.parameters } : {}), ...(opts.serves ? { serves: opts.serves } : {}) };
  const problems = opts.only ? all.filter((p) => opts.only!.includes(p.id)) : all;
  const checkOptions = { order: declaredOrder, extrapolation: opts.minEffect !== undefined };
  const deltaPerCheck = opts.delta / (problems.length * checksPerProblem(checkOptions));
  // --min-effect: particles per problem, fixed before any sampler output is seen (throws if too many)
  const sizedN = opts.minEffect === undefined ? problems.map((p) => p.n) : problems.map((p) => particlesForEffect(p, opts.minEffect!, deltaPerCheck, declaredOrder));
  let expectedSeconds: number | undefined;
  const checks: CheckResult[] = [];
  const records: ProblemRecord[] = [];
  const requests: RequestRecord[] = [];
  let protocolError: AuditResult['protocolError'] = null;
  let index = 0;
  const log = opts.onProgress ?? (() => {});
  try {
    if (opts.minEffect !== undefined) {
      // two calibration requests per problem at K steps, n_c and 2n_c particles: their time
      // difference is the cost of n_c particles (slope), the rest a fixed per-request overhead
      // (start-up, JIT, transfer set-up) that must not be scaled with n
      let estimate = 0;
      for (const [i, p] of problems.entries()) {
        const nCal = Math.min(Math.ceil(sizedN[i]! / 2), Math.max(CALIBRATION_MIN_PARTICLES, Math.ceil(CALIBRATION_FRACTION * sizedN[i]!)));
        const seconds: number[] = [];
        for (const m of [nCal, 2 * nCal]) {
          index++;
          // timed with the harness's own per-request work (start points, score evaluations) and the
          // moment features and sorted projections the checks compute for every output
          const t = Date.now();
          const out = await runOne(driver, p, p.steps, `calibration-${m}`, `calibration-${m}`, opts.seed, { index, label: `${p.id} calibration K=${p.steps} n=${m}` }, requests, wire, m);
          const { mean, cov } = exactMoments(p);
          momentFeatures(out, m, p.dim, mean, cov);
          for (const u of p.projections) sortedProjection(out, m, p.dim, u);
          seconds.push((Date.now() - t) / 1000);
        }
        const perParticle = seconds[1]! > seconds[0]! ? (seconds[1]! - seconds[0]!) / nCal : seconds[1]! / (2 * nCal);
        const overhead = Math.max(0, seconds[0]! - perParticle * nCal);
        estimate += 4 * overhead + perParticle * sizedN[i]! * REQUESTS_PER_CALIBRATION;
      }
      expectedSeconds = estimate;
      log(`audit: --min-effect ${opts.minEffect}: n = ${problems.map((p, i) => `${p.id} ${sizedN[i]}`).join(', ')}; expected wall time ≈ ${estimate.toFixed(0)} s (from ${2 * problems.length} calibration requests)`);
    }
    for (const [pi, base] of problems.entries()) {
      const p: AuditProblem = sizedN[pi] === base.n ? base : { ...base, n: sizedN[pi]! };
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
        const out = await runOne(driver, p, steps, levelLabel, startLevel, opts.seed, { index, label }, requests, wire);
        outputs.push(out);
        log(`audit: request ${index} ${label} done (${requests[requests.length - 1]!.seconds.toFixed(1)} s)`);
      }
      // values rounded on the wire (protocol v2 f32) widen the exact determinism comparison (checks.ts)
      const wireRounding = WIRE_ROUNDING[driver.wire?.encoding ?? 'json'];
      const { checks: cs, order } = problemChecks({ problem: p, ladder: [outputs[0]!, outputs[1]!, outputs[2]!], replicate: outputs[3]!, sharedStart: shared, wireRounding }, deltaPerCheck, checkOptions);
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
    ...(driver.wire ? { wire: driver.wire } : {}),
    problemSet: opts.problems,
    samplerKind: kind,
    declaredOrder,
    ...(opts.process ? { process: opts.process.parameters } : {}),
    ...(opts.serves ? { serves: opts.serves } : {}),
    ...(opts.minEffect !== undefined ? { minEffect: opts.minEffect } : {}),
    ...(expectedSeconds !== undefined ? { expectedSeconds } : {}),
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

async function runOne(
  driver: SamplerDriver,
  p: AuditProblem,
  steps: number,
  level: string,
  startLevel: string,
  seed: number,
  ctx: { index: number; label: string },
  requests: RequestRecord[],
  wire: Pick<SampleRequest, 'process' | 'serves'> = {},
  n: number = p.n,
): Promise<Float64Array> {
  const x0 = sampleMixture(startLaw(p), n, Rng.fromPath('audit', seed, p.id, startLevel, 'x0'));
  const req: SampleRequest = { dim: p.dim, n, T: p.T, t0: p.t0, steps, seed: requestSeed(seed, p.id, level), x0, ...wire };
  const field = servedScore(p);
  let calls = 0;
  const score: ScoreFn = (t, x) => {
    calls++;
    if (!(x instanceof Float64Array)) x = Float64Array.from(x as ArrayLike<number>);
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ProtocolError('bad-message', ctx, `score called with t = ${String(t)} (need a finite number ≥ 0)`);
    if (p.serves === 'denoiser' && !(t > 0)) throw new ProtocolError('bad-message', ctx, `denoiser called with σ = ${t} (need σ > 0)`);
    if (p.serves !== 'denoiser') {
      try {
        checkProcessTime(p.process, t, 'score time');
      } catch (err) {
        throw new ProtocolError('bad-message', ctx, `score called with ${err instanceof Error ? err.message : String(err)}`);
      }
    }
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
  requests.push({ index: ctx.index, label: ctx.label, problem: p.id, steps, n, seconds: (Date.now() - t) / 1000, scoreCalls: calls });
  return out;
}
