/**
 * `collapse-check audit` end to end (issue 7): exit codes (0 pass, 1 fail / protocol error, 2 bad
 * usage), `--json` (one document on stdout), and the report is always written, also after a
 * protocol error. Deterministic: no δ spent.
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PY, ROOT } from './audit-support.ts';

const misbehave = (mode: string) => `python3 ${PY('misbehave.py')} ${mode}`;

describe('audit CLI: exit codes, --json, report written for every audit that ran', () => {
  const cli = join(ROOT, 'bin', 'collapse-check.mjs');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, 'audit', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  test('bad usage → exit 2', () => {
    expect(run([]).status).toBe(2);
    expect(run(['--sampler', 'a.mjs', '--command', 'b']).status).toBe(2);
    expect(run(['--sampler', 'a.mjs', '--problems', 'huge']).status).toBe(2);
  });

  test('protocol error → exit 1, JSON verdict on stdout, report.md and audit.json written', () => {
    const out = mkdtempSync(join(tmpdir(), 'audit-'));
    const r = run(['--command', misbehave('garbage'), '--json', '--out', out]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('protocol-error');
    expect(doc.sampler).toContain('misbehave.py');
    expect(Array.isArray(doc.checks)).toBe(true);
    expect(existsSync(join(out, 'audit.json'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('not-json');
  });

  test('a sampler that calls process.exit(0) → exit 1 with a protocol-error verdict, never a pass (issue 17 row 1)', () => {
    const out = mkdtempSync(join(tmpdir(), 'audit-'));
    const r = run(['--sampler', join(ROOT, 'fixtures/samplers/js/hostile-exit-in-sample.mjs'), '--json', '--out', out]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).protocolError.failure).toBe('early-exit');
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  test('missing sampler file → exit 2 (bad input, issue 17 row 18), one line naming the file, nothing written', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'audit-')), 'report');
    const r = run(['--sampler', 'no/such/file.mjs', '--json', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sampler no\/such\/file\.mjs: no such file/);
    expect(JSON.parse(r.stdout).error.kind).toBe('bad-input');
    expect(existsSync(out)).toBe(false);
  });
});
