/**
 * Issue 17, audit rows 1–3, 18, 20: hostile samplers are contained. An in-process sampler runs in a
 * worker thread, so `process.exit` ends only the worker (protocol-error `early-exit`, never a
 * pass), a CPU loop that never yields is stopped at the time limit, and an interrupt stops it at
 * once; the command driver kills its whole process group in every outcome, also after the shell has
 * exited (no descendant survives); unusable module files are bad input. Deterministic outcomes: no
 * δ spent (no audit here reaches a statistical check).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkSamplerFile, loadInProcessSampler, SamplerLoadError } from '../../src/audit/driver-in-process.ts';
import { startCommandSampler } from '../../src/audit/driver-command.ts';
import { ProtocolError } from '../../src/audit/protocol.ts';
import { runAudit, type AuditResult } from '../../src/audit/run.ts';
import { renderMarkdown } from '../../src/audit/report.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const JS = (f: string) => join(ROOT, 'fixtures', 'samplers', 'js', f);
const PY = (f: string) => join(ROOT, 'fixtures', 'samplers', 'python', f);
const ONE = ['gauss-1d'];
/** Short per-request limit of the looping sampler: it burns CPU until stopped, so keep it small. */
const LOOP_TIMEOUT_S = 1;
/** Time limit of the module that loops while loading (it burns CPU until stopped). */
const LOAD_LOOP_TIMEOUT_S = 0.5;
/** Wall-clock bound around it: limit + worker start + termination, wide for a loaded 2-core machine. */
const LOOP_WALL_LIMIT_MS = 10_000;
const audit = (driver: Parameters<typeof runAudit>[0]) => runAudit(driver, { problems: 'default', seed: 1, delta: 1e-10, only: ONE });

/** Live (not zombie: a killed process stays listed until its new parent reaps it) members of process group `pgid`. */
function liveMembers(pgid: number): string {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === pgid && f[2] !== undefined && !f[2].startsWith('Z'))
    .map((f) => f.join(' '))
    .join('; ');
}

/** Polls until the group has no live member or KILL_WAIT_MS passed (SIGKILL is asynchronous); returns what is left. */
const KILL_WAIT_MS = 5000;
async function waitForMember(pgid: number, text: string): Promise<boolean> {
  const until = Date.now() + KILL_WAIT_MS;
  while (Date.now() < until) {
    if (liveMembers(pgid).includes(text)) return true;
    await new Promise((res) => setTimeout(res, 20));
  }
  return false;
}
async function survivors(pgid: number): Promise<string> {
  const until = Date.now() + KILL_WAIT_MS;
  for (;;) {
    const left = liveMembers(pgid);
    if (left === '' || Date.now() > until) return left;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('issue 17 row 1: a sampler that calls process.exit is a protocol error, never a pass', () => {
  it('row 1: process.exit(0) inside sample() → protocol-error early-exit at request 1', async () => {
    const r = await audit(await loadInProcessSampler(JS('hostile-exit-in-sample.mjs'), 30));
    expect(r.verdict).toBe('protocol-error');
    expect(r.protocolError).toMatchObject({ failure: 'early-exit', request: 1 });
    expect(r.protocolError!.message).toMatch(/process\.exit\(0\)/);
  });
  it('row 1: process.exit(0) at the module top level → ProtocolError early-exit while loading (the CLI reports protocol-error, exit 1)', async () => {
    const err = await loadInProcessSampler(JS('hostile-exit-at-load.mjs'), 30).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).failure).toBe('early-exit');
  });
});

describe('issue 17 row 3: an in-process CPU loop is stopped at the time limit and by an interrupt', () => {
  it('row 3: for(;;){} with --timeout 1 → protocol-error timeout, the harness stays responsive', async () => {
    const t = Date.now();
    const r = await audit(await loadInProcessSampler(JS('hostile-cpu-loop.mjs'), LOOP_TIMEOUT_S));
    expect(r.protocolError).toMatchObject({ failure: 'timeout', request: 1 });
    expect(Date.now() - t).toBeLessThan(LOOP_WALL_LIMIT_MS);
  });
  it('row 3: an interrupt (what the CLI does on Ctrl-C) stops the looping sampler at once → aborted', async () => {
    const driver = await loadInProcessSampler(JS('hostile-cpu-loop.mjs'), 600);
    const t = Date.now();
    // the harness thread is free while the sampler loops: this timer fires
    setTimeout(() => driver.abort('interrupted by the user (SIGINT)'), 300);
    const r = await audit(driver);
    expect(r.protocolError).toMatchObject({ failure: 'aborted', request: 1 });
    expect(Date.now() - t).toBeLessThan(LOOP_WALL_LIMIT_MS);
  });
});

describe('issue 17 row 3 (load phase): a module that loops at its top level', () => {
  it('row 3: is stopped at the time limit while loading → ProtocolError timeout', async () => {
    const t = Date.now();
    const err = await loadInProcessSampler(JS('hostile-load-loop.mjs'), LOAD_LOOP_TIMEOUT_S).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).failure).toBe('timeout');
    expect(Date.now() - t).toBeLessThan(LOOP_WALL_LIMIT_MS);
  });
  it('row 3: is stopped by an interrupt while loading → ProtocolError aborted', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 200);
    const t = Date.now();
    const err = await loadInProcessSampler(JS('hostile-load-loop.mjs'), 600, { signal: ctl.signal }).catch((e: unknown) => e);
    expect((err as ProtocolError).failure).toBe('aborted');
    expect(Date.now() - t).toBeLessThan(LOOP_WALL_LIMIT_MS);
  });
});

describe('issue 17 row 2: the command driver kills the whole process group, also after the shell has exited', () => {
  it('row 2: "sleep 301 & true" — the shell exits at once, sleep must not survive', async () => {
    const driver = startCommandSampler('sleep 301 & true', 30, ROOT);
    const pgid = driver.processGroup!;
    expect(pgid).toBeGreaterThan(0);
    // non-vacuous: the descendant exists (and outlives its shell) before the harness cleans up
    expect(await waitForMember(pgid, 'sleep 301')).toBe(true);
    const r = await audit(driver);
    expect(r.protocolError?.failure).toBe('early-exit');
    expect(await survivors(pgid), 'no descendant of the sampler command may survive').toBe('');
  });
  it('row 2: "sleep 302 & exec python3 misbehave.py early-exit" — the exec\'d sampler exits 0 unasked, its sibling must not survive', async () => {
    const driver = startCommandSampler(`sleep 302 & exec python3 ${PY('misbehave.py')} early-exit`, 30, ROOT);
    const pgid = driver.processGroup!;
    expect(await waitForMember(pgid, 'sleep 302')).toBe(true);
    const r = await audit(driver);
    expect(r.protocolError?.failure).toBe('early-exit');
    expect(await survivors(pgid)).toBe('');
  });
});

describe('issue 17 row 18: an unusable --sampler file is bad input (exit 2), not a protocol error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-sampler-'));
  writeFileSync(join(dir, 'sampler.py'), 'print(1)\n');
  const cases: [string, () => unknown, RegExp][] = [
    ['row 18: missing file', () => checkSamplerFile(join(dir, 'missing.mjs')), /no such file/],
    ['row 18: a directory', () => checkSamplerFile(dir), /is a directory/],
    ['row 18: a .py file', () => checkSamplerFile(join(dir, 'sampler.py')), /not a JavaScript\/TypeScript module.*--command/],
    ['row 18: ""', () => checkSamplerFile(''), /must name a module file/],
  ];
  for (const [what, f, reason] of cases) {
    it(what, () => {
      expect(f).toThrow(SamplerLoadError);
      expect(f).toThrow(reason);
    });
  }
  it('row 18: a syntax error and a module without default export', async () => {
    await expect(loadInProcessSampler(JS('hostile-syntax-error.mjs'), 30)).rejects.toThrow(/syntax error/);
    await expect(loadInProcessSampler(JS('robust-no-default.mjs'), 30)).rejects.toBeInstanceOf(SamplerLoadError);
  });
});

describe('issue 17 row 20: sampler names are escaped in the report', () => {
  it('row 20: report.md shows a name with ANSI escapes, CR and a bidi override as visible escapes', () => {
    const r: AuditResult = {
      sampler: 'evil\u001b[31mRED\r\u202eeman',
      verdict: 'protocol-error',
      driver: 'in-process',
      problemSet: 'default',
      seed: 1,
      delta: 1e-6,
      deltaPerCheck: 0,
      protocolError: { failure: 'crash', request: 1, at: 'gauss-1d K=10', message: 'sample() threw: \u001b[2J' },
      checks: [],
      problems: [],
      requests: [],
      wallSeconds: 0,
      stderr: { bytes: 0, head: '', tail: '', truncated: false },
      summary: 'protocol error',
    };
    const md = renderMarkdown(r);
    expect(md).toContain('evil\\x1b[31mRED\\x0d\\u{202e}eman');
    expect(md).not.toMatch(/[\u001b\r\u202e]/);
  });
});
