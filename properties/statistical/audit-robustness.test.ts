/**
 * Robustness of the audit harness itself (issue 7): samplers that crash, hang, print garbage or
 * non-JSON, return NaN/Infinity, wrong shapes or the wrong number of rows, flood their output, exit
 * early, or report an error get a `protocol-error` verdict naming what went wrong and at which
 * request; the harness never hangs, kills the process group it started, and the CLI always writes
 * its report. A correct sampler that writes a lot to stderr passes. Deterministic outcomes: no δ,
 * except the stderr-heavy sampler's audit (one assertion at ASSERTION_DELTA, audit-support.ts).
 */
import { describe, expect, test } from 'vitest';
import { fc, test as propTest } from '../support/prop.ts';
import { spawnSync } from 'node:child_process';
import { auditCommand, auditFile, describeResult, JS, ONCE, PY } from './audit-support.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';


const ONE = ['gauss-1d'];
/** Per-request limit for the misbehaving samplers: each fails within its first request (< 5 s CPU). */
const MISBEHAVE_TIMEOUT_S = 60;
/** --timeout of the hang case, and the most the whole audit may take around it: 2 s limit + kill +
 * Python start-up and harness set-up, with a wide margin for a loaded 2-core machine. */
const HANG_TIMEOUT_S = 2;
const HANG_WALL_LIMIT_MS = 15_000;
const PYTHON = 'python3';
const misbehave = (mode: string) => `${PYTHON} ${PY('misbehave.py')} ${mode}`;

describe('audit harness: protocol errors name what and where (command samplers)', () => {
  const cases: [string, string, number][] = [
    ['crash', 'crash', 2],
    ['garbage', 'not-json', 1],
    ['nan', 'non-finite', 1],
    ['infinity', 'non-finite', 1],
    ['wrong-shape', 'wrong-shape', 1],
    ['wrong-rows', 'wrong-shape', 1],
    ['flood', 'flood', 1],
    ['early-exit', 'early-exit', 1],
    ['error', 'sampler-error', 1],
  ];
  for (const [mode, failure, request] of cases) {
    test(`misbehave.py ${mode} → protocol-error ${failure} at request ${request}`, async () => {
      const r = await auditCommand(misbehave(mode), 1, ONE, MISBEHAVE_TIMEOUT_S);
      expect(r.verdict, describeResult(r)).toBe('protocol-error');
      expect(r.protocolError?.failure).toBe(failure);
      expect(r.protocolError?.request).toBe(request);
      expect(r.protocolError?.message).toMatch(new RegExp(`at request ${request} \\(gauss-1d`));
    });
  }

  test('hang → timeout after --timeout, process group killed', async () => {
    const t = Date.now();
    // a marker argument unique to this run (misbehave.py reads only argv[1]), so pgrep finds this
    // run's sampler and not one of another test run on the same machine (a campaign beside it)
    const marker = `run-${process.pid}-${Date.now()}`;
    const r = await auditCommand(`${misbehave('hang')} ${marker}`, 1, ONE, HANG_TIMEOUT_S);
    expect(r.verdict).toBe('protocol-error');
    expect(r.protocolError?.failure).toBe('timeout');
    expect(r.protocolError?.request).toBe(1);
    expect(Date.now() - t).toBeLessThan(HANG_WALL_LIMIT_MS);
    await new Promise((res) => setTimeout(res, 200));
    const ps = spawnSync('pgrep', ['-f', `misbehave.py hang ${marker}`], { encoding: 'utf8' });
    expect(ps.stdout.trim(), 'the hanging sampler must have been killed').toBe('');
  });

  test('crash keeps the sampler stderr for the report', async () => {
    const r = await auditCommand(misbehave('crash'), 1, ONE, MISBEHAVE_TIMEOUT_S);
    expect(r.stderr.head).toContain('about to fail in request 2');
    expect(r.protocolError?.message).toContain('exited with code 1');
  });

  test('a command that does not exist → protocol-error at request 1', async () => {
    const r = await auditCommand('definitely-not-a-sampler-command-xyz', 1, ONE, 10);
    expect(r.verdict).toBe('protocol-error');
    expect(['crash', 'spawn']).toContain(r.protocolError?.failure);
  });
});

describe('audit harness: in-process samplers', () => {
  const cases: [string, string, number | null][] = [
    ['robust-throws.mjs', 'crash', 2],
    ['robust-nan.mjs', 'non-finite', 1],
    ['robust-wrong-length.mjs', 'wrong-shape', 1],
  ];
  for (const [file, failure, request] of cases) {
    test(`${file} → protocol-error ${failure}`, async () => {
      const r = await auditFile(JS(file), 1, ONE);
      expect(r.verdict).toBe('protocol-error');
      expect(r.protocolError?.failure).toBe(failure);
      expect(r.protocolError?.request).toBe(request);
    });
  }
  test('robust-hang.mjs (never resolves) and robust-busy-loop.mjs (sync score loop) → timeout', async () => {
    const { loadInProcessSampler } = await import('../../src/audit/driver-in-process.ts');
    const { runAudit } = await import('../../src/audit/run.ts');
    for (const f of ['robust-hang.mjs', 'robust-busy-loop.mjs']) {
      const r = await runAudit(await loadInProcessSampler(JS(f), HANG_TIMEOUT_S), { problems: 'default', seed: 1, delta: 1e-10, only: ONE });
      expect(r.protocolError?.failure, f).toBe('timeout');
      expect(r.protocolError?.request).toBe(1);
    }
  });
  test('robust-no-default.mjs → load error', async () => {
    await expect(auditFile(JS('robust-no-default.mjs'), 1, ONE)).rejects.toThrow(/no default export/);
  });
});

describe('audit harness: a correct sampler with heavy stderr passes', () => {
  propTest.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)('stderr-heavy.mjs over the wire (gauss-1d)', async (seed) => {
    chargePipeline('audit-robustness.test.ts'); // the one audit expected to pass
    const r = await auditCommand(`node ${JS('stderr-heavy.mjs')}`, seed, ['gauss-1d']);
    expect(r.verdict, describeResult(r)).toBe('pass');
    expect(r.stderr.bytes).toBeGreaterThan(4 * 2_000_000);
    expect(r.stderr.truncated).toBe(true);
  });
});

