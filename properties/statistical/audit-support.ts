/**
 * Shared helpers of the audit self-tests (properties/statistical/audit-*.test.ts).
 *
 * Budget: one audit of a sampler expected to pass is ONE statistical assertion: the audit splits
 * δ = ASSERTION_DELTA (src/statistics/budget.ts) over all its comparisons by union bound, so the
 * probability that a correct sampler is reported `fail` is ≤ ASSERTION_DELTA (given the ladder
 * assumption RHO_MAX, checked exactly for the Gaussian problems in audit-allowance.test.ts).
 * Properties run once (numRuns 1) with endOnFailure (no shrinking: a shrink would be another
 * evaluation, i.e. another δ) and take the audit seed from the generated integer, so a failure replays
 * with the printed seed.
 */
import { resolve } from 'node:path';
import { loadInProcessSampler } from '../../src/audit/driver-in-process.ts';
import { startCommandSampler } from '../../src/audit/driver-command.ts';
import { runAudit, type AuditResult } from '../../src/audit/run.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const JS = (name: string) => resolve(ROOT, 'fixtures/samplers/js', name);
export const PY = (name: string) => resolve(ROOT, 'fixtures/samplers/python', name);

/** Per-request limit in tests: generous for a loaded 2-core machine, short enough to never stall CI. */
export const TEST_TIMEOUT_SECONDS = 120;

/**
 * Problems on which the default tier audits the buggy samplers (power claims): the default set
 * without gauss-10d and gmm-2d, the two costliest (≈ 40 % of an audit's time). Measured on seeds
 * 1–5: every bug of parts A and B still fails 4–13 checks (start-standard-normal: 1, short-T's
 * moments, as on the full set, where only short-T can see it); the full set runs in the deep tier.
 */
export const BUGGY_PROBLEMS: readonly string[] = ['gauss-1d', 'gauss-2d', 'gmm-1d', 'short-T', 'perturbed-score'];

export async function auditFile(file: string, seed: number, only?: readonly string[]): Promise<AuditResult> {
  const driver = await loadInProcessSampler(file, TEST_TIMEOUT_SECONDS);
  return runAudit(driver, { problems: 'default', seed, delta: ASSERTION_DELTA, only });
}

export async function auditCommand(command: string, seed: number, only?: readonly string[], timeoutSeconds = TEST_TIMEOUT_SECONDS): Promise<AuditResult> {
  const driver = startCommandSampler(command, timeoutSeconds, ROOT);
  return runAudit(driver, { problems: 'default', seed, delta: ASSERTION_DELTA, only });
}

/** One-line description of a result for assertion messages. */
export function describeResult(r: AuditResult): string {
  const bad = r.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict}: ${c.summary}`);
  return `${r.sampler}: ${r.verdict} (${r.summary})${bad.length ? '\n  ' + bad.join('\n  ') : ''}`;
}

/** fast-check parameters: one evaluation, no shrinking (see module comment). */
export const ONCE = { numRuns: 1, endOnFailure: true } as const;
