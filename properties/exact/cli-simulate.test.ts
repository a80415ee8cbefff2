/**
 * `collapse-check simulate` end to end as a user runs it: --help, --json contract, exit codes,
 * a bad config names its field and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'collapse-check.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });

describe('collapse-check simulate', () => {
  it('--help exits 0 and lists the options', () => {
    const r = cli(['simulate', '--help']);
    expect(r.status).toBe(0);
    for (const o of ['--config', '--seed', '--json', '--out']) expect(r.stdout).toContain(o);
  });

  it('--json prints one document with the issue contract, non-finite numbers as strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-sim-'));
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({
      data: { weights: [1], components: [{ mean: [2], variance: 0.25 }] },
      alpha: 0.3, generations: 6, T: 4, t0: 0.5,
      trainer: { kind: 'exact' }, sampling: { mode: 'population' },
      metrics: { divergenceSamples: 500, energySamples: 50, etaPaths: 0, etaSteps: 10 },
    }));
    const r = cli(['simulate', '--config', config, '--json', '--seed', '5']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.seed).toBe(5);
    expect(doc.generations).toHaveLength(7);
    for (const key of ['i', 'D', 'I', 'KL', 'epsStar2', 'epsHat2', 'eta', 'mean', 'secondMoment']) expect(doc.generations[0]).toHaveProperty(key);
    expect(doc.generations[6].I).toBeNull();
    // variance 0.25 data, t0 = 0.5: components of p̂^i reach variance ≥ 0.5 = 2·0.25, so D = +∞ (D-3)
    expect(doc.generations.some((g: { D: unknown }) => g.D === 'Infinity')).toBe(true);
    expect(r.stderr).toContain('seed 5');
  });

  it('a bad config exits 2, names the field, writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bad-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ data: { weights: [1], components: [{ mean: [0], variance: 1 }] }, alpha: 1.5, generations: 2, T: 1, t0: 0.1, trainer: { kind: 'exact' }, sampling: { mode: 'population' } }));
    const out = join(dir, 'out');
    const r = cli(['simulate', '--config', config, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/alpha: must lie in \[0, 1\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('malformed JSON and unknown options exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bad-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, '{ "alpha": ');
    expect(cli(['simulate', '--config', config]).status).toBe(2);
    expect(cli(['simulate', '--bogus']).status).toBe(2);
    expect(cli(['simulate', '--seed', 'abc']).status).toBe(2);
  });
});
