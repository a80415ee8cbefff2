/**
 * Output directories (issue 17 rows 6–8, issue 16 "one rule for where output goes").
 *
 * Rule: a command writes files only into `--out DIR`; without `--out`, commands that always write a
 * report (verify, audit, merge) use `reports/<run>/` under the CURRENT directory
 * (`defaultReportDir`); `simulate` writes files only when `--out` is given.
 *
 * `checkOutputDir` runs BEFORE any work: it refuses "" and paths that cannot hold a directory we
 * can write — an existing non-directory (`--out FILE`, `--out /dev/null`), a path below a file
 * (`/dev/null/x`), a read-only or pseudo file system (`/sys/x`: EPERM/EROFS, `/proc/x`: ENOENT) —
 * by really creating and removing a probe directory in the directory itself (if it exists) or in
 * its nearest existing ancestor. Nothing is left behind. `createOutputDir` later creates the
 * missing levels one at a time (never `mkdir -p`, whose retry loop spins forever on /proc).
 *
 * API:
 *   checkOutputDir(raw: string, flag = '--out'): string       absolute path; throws BadInput
 *   createOutputDir(abs: string): string                       creates missing levels; returns abs
 *   defaultReportDir(command: string, label: string, now = new Date()): string
 */
import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BadInput } from './errors.ts';
import { terminalSafe } from '../numerics/text.ts';

const PROBE_PREFIX = '.collapse-check-probe-';

function statOrNull(p: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return null; // a component is a file: reported at the ancestor
    throw e;
  }
}

/** Nearest existing ancestor of `abs` (abs itself if it exists). */
function nearestExisting(abs: string): string {
  let p = abs;
  while (statOrNull(p) === null) {
    const up = dirname(p);
    if (up === p) return p;
    p = up;
  }
  return p;
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'directories cannot be created there (a pseudo file system such as /proc?)',
    ENOTDIR: 'a component is not a directory',
    ENOSPC: 'no space left on the device',
    ENAMETOOLONG: 'name too long',
    EEXIST: 'exists',
  };
  return `${why[err.code ?? ''] ?? 'cannot create a directory there'}${err.code ? ` (${err.code})` : ''}`;
}

/** Checks that `raw` names a directory that exists and is writable, or can be created. */
export function checkOutputDir(raw: string, flag = '--out'): string {
  const shown = `${flag} "${terminalSafe(raw)}"`;
  if (raw.trim() === '') throw new BadInput(`${flag} must name a directory, got an empty string`);
  if (raw.includes('\0')) throw new BadInput(`${shown}: a path cannot contain a NUL character`);
  const abs = resolve(raw);
  let base: string;
  try {
    base = nearestExisting(abs);
  } catch (e) {
    throw new BadInput(`${shown}: cannot inspect the path: ${reason(e)}`);
  }
  const st = statOrNull(base);
  if (st && !st.isDirectory()) {
    throw new BadInput(base === abs ? `${shown} exists and is not a directory: give a directory for the output files` : `${shown}: ${terminalSafe(base)} is not a directory, so nothing can be created below it`);
  }
  try {
    rmdirSync(mkdtempSync(join(base, PROBE_PREFIX)));
  } catch (e) {
    throw new BadInput(base === abs ? `${shown}: the directory is not writable: ${reason(e)}` : `${shown}: cannot create ${terminalSafe(abs)} in ${terminalSafe(base)}: ${reason(e)}`);
  }
  return abs;
}

/** Creates the missing levels of `abs` one by one (no recursive mkdir); returns abs. */
export function createOutputDir(abs: string): string {
  const missing: string[] = [];
  for (let p = abs; statOrNull(p) === null; p = dirname(p)) {
    if (dirname(p) === p) break;
    missing.unshift(p);
  }
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrNull(p)?.isDirectory()) continue;
      throw new Error(`cannot create the output directory ${terminalSafe(p)}: ${reason(e)}`);
    }
  }
  if (!statOrNull(abs)?.isDirectory()) throw new Error(`the output path ${terminalSafe(abs)} is not a directory`);
  return abs;
}

/** `reports/<command>-<label>-<UTC stamp>/` under the current directory (the default report place). */
export function defaultReportDir(command: string, label: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const safe = label.replace(/^.*\//, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || command;
  return resolve('reports', `${command}-${safe}-${stamp}`);
}
