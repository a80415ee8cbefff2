/**
 * Saved fuzzer counterexamples appear in the report's claim sections (issue 14: "`verify` shows them
 * in the claim's section"): every fixture under fixtures/counterexamples/ is read back, grouped by
 * each claim id it bears on, and the rendered report.md and index.html name the fixture file in the
 * section of a claim that has entries. The demo ledger of src/report/demo.ts supplies the entries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { savedCounterexamples } from '../../src/fuzz/fixtures.ts';
import { renderReport } from '../../src/report/render.ts';
import { demoLedger, demoRun } from '../../src/report/demo.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fixtureCount(): number {
  const base = join(ROOT, 'fixtures', 'counterexamples');
  let n = 0;
  for (const d of readdirSync(base)) if (statSync(join(base, d)).isDirectory()) n += readdirSync(join(base, d)).filter((f) => f.endsWith('.json')).length;
  return n;
}

describe('report: saved counterexample fixtures in the claim sections', () => {
  const saved = savedCounterexamples(ROOT);

  it('every fixture file is listed under at least one claim id', () => {
    const files = new Set(Object.values(saved).flatMap((l) => l.map((c) => c.file)));
    expect(files.size).toBe(fixtureCount());
  });

  it('a claim of the demo ledger with fixtures shows them in report.md and index.html', async () => {
    const ledger = demoLedger();
    const withFixtures = [...new Set(ledger.entries.map((e) => e.claimId))].find((id) => (saved[id] ?? []).length > 0);
    expect(withFixtures, `the demo ledger has a claim among ${Object.keys(saved).join(', ')}`).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'report-cx-'));
    dirs.push(dir);
    await renderReport(ledger, demoRun(), dir, { counterexamples: saved });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const c of saved[withFixtures!]!) {
      expect(md).toContain(c.file);
      expect(html).toContain(c.file);
    }
    expect(md).toContain('Fuzzer counterexamples');
  });
});
