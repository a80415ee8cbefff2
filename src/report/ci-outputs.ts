/**
 * The CI outputs of a run, written by `verify` and `merge` through this one function (issue 16):
 *  - `junitPath` given: the JUnit XML of the ledger (src/report/junit.ts), written to that file
 *    (its directory must exist: the CLI checks and creates it before the run);
 *  - `env.GITHUB_STEP_SUMMARY` set (GitHub Actions sets it in every step): the Markdown summary
 *    (src/report/step-summary.ts) APPENDED to that file (several steps share it).
 * Nothing else is written; the exit code stays the caller's (the judgement is the same rule:
 * src/ledger/judgement.ts). Throws when a file cannot be written (the caller reports it).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Ledger } from '../verdict/types.ts';
import { junitXml } from './junit.ts';
import { stepSummaryMarkdown } from './step-summary.ts';

/** Environment variable GitHub Actions sets to the step summary file. */
export const STEP_SUMMARY_ENV = 'GITHUB_STEP_SUMMARY';

export interface CiOutputsInput {
  readonly ledger: Ledger;
  /** where to write the JUnit XML (absolute or relative to the current directory); absent: none */
  readonly junitPath?: string;
  /** the environment to read GITHUB_STEP_SUMMARY from (pass process.env) */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** the run's identity: commit, start time (ISO), shard `i/n` when the ledger is one shard */
  readonly run: { readonly commit: string; readonly startedAt: string; readonly shard?: string };
  /** claim ids treated as pending (default: the catalogue's) */
  readonly pending?: ReadonlySet<string>;
}

export interface CiOutputsWritten {
  readonly junit?: string;
  readonly stepSummary?: string;
}

/** Writes the JUnit file and/or appends the step summary (see the file comment); returns the paths written. */
export function writeCiOutputs(input: CiOutputsInput): CiOutputsWritten {
  const { ledger, run } = input;
  const common = { commit: run.commit, ...(run.shard !== undefined ? { shard: run.shard } : {}), ...(input.pending ? { pending: input.pending } : {}) };
  let junit: string | undefined;
  if (input.junitPath !== undefined) {
    writeFileSync(input.junitPath, junitXml(ledger, { ...common, timestamp: run.startedAt }));
    junit = input.junitPath;
  }
  const summaryFile = input.env[STEP_SUMMARY_ENV];
  let stepSummary: string | undefined;
  if (summaryFile !== undefined && summaryFile !== '') {
    appendFileSync(summaryFile, stepSummaryMarkdown(ledger, common));
    stepSummary = summaryFile;
  }
  return { ...(junit !== undefined ? { junit } : {}), ...(stepSummary !== undefined ? { stepSummary } : {}) };
}
