/**
 * Run metadata for a report (`run.json`): everything that is *not* byte-stable (times, commit,
 * machine), kept out of `ledger.json`. The `verify` command fills it; `renderReport` only prints it.
 */
import { cpus, platform, release } from 'node:os';
import { execFileSync } from 'node:child_process';

import type { BudgetShare } from '../ledger/summary.ts';

export type { BudgetShare } from '../ledger/summary.ts';

/** Machine the run executed on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly model: string;
  /** e.g. `linux 6.1.0` */
  readonly platform?: string;
}

/** Metadata of one run (written by `verify` as `run.json`; rendered in the report header). */
export interface RunInfo {
  /** the run's global seed (COLLAPSE_SEED) */
  readonly seed: number;
  /** git commit sha (or 'unknown'); `dirty` when the tree had uncommitted changes */
  readonly commit: string;
  readonly dirty?: boolean;
  /** ISO 8601 times */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
  /** `process.version`, e.g. `v20.19.1` */
  readonly nodeVersion: string;
  readonly machine: MachineInfo;
  readonly tier: 'default' | 'deep';
  /** the command line as typed (e.g. `collapse-check verify --tier default`) */
  readonly commandLine: string;
  /** suite-wide false-alarm budget and its split across claims / fast-check runs */
  readonly budget: { readonly total: number; readonly split: readonly BudgetShare[] };
  /** `i/n` when the run is one shard of several */
  readonly shard?: string;
  /**
   * Replay command template for counterexamples; placeholders `{seed}` (the counterexample's
   * fast-check seed), `{claimId}`, `{check}`, `{path}` (fast-check path, '' if none).
   * Default: `COLLAPSE_SEED={seed} npx collapse-check verify --claim {claimId}`.
   */
  readonly replayTemplate?: string;
}

/** Default replay template (see `RunInfo.replayTemplate`). */
export const DEFAULT_REPLAY_TEMPLATE = 'COLLAPSE_SEED={seed} npx collapse-check verify --claim {claimId}';

/** The current machine (cpu count and model, OS). */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return { cpus: list.length, model: (list[0]?.model ?? 'unknown').trim(), platform: `${platform()} ${release()}` };
}

/** `git rev-parse HEAD` and whether the tree is dirty, in `cwd`; `{commit: 'unknown'}` outside git. */
export function gitCommit(cwd = process.cwd()): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}
