/**
 * `npm run report:check` (src/report/report-check.ts) in headless Chromium: a good report passes,
 * and a missing plot, an empty plot, a console error and a network reference are each caught.
 * Deep tier only (starts Chromium, a few seconds) and skipped where Chromium is absent.
 */
import { expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDeep } from '../support/tier.ts';
import { renderReport } from '../../src/report/render.ts';
import { demoLedger, demoRun } from '../../src/report/demo.ts';
import { checkReport } from '../../src/report/report-check.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

describeDeep('report:check catches broken reports (headless Chromium)', () => {
  it.skipIf(!existsSync(CHROMIUM))('passes a good report, fails on missing/empty plot, console error, network reference', async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-check-'));
    try {
      const good = join(root, 'good');
      await renderReport(demoLedger(), demoRun(), good, { claims: null });
      const ok = await checkReport(good, CHROMIUM);
      expect(ok.problems).toEqual([]);
      expect(ok.ok).toBe(true);
      expect(ok.screenshot && readFileSync(ok.screenshot).subarray(1, 4).toString()).toBe('PNG');

      const bad = join(root, 'bad');
      cpSync(good, bad, { recursive: true });
      rmSync(join(bad, 'plots', 'D-3__chi2-infinite__1.svg'));
      writeFileSync(join(bad, 'plots', 'P2-3__hermite-spectrum__1.svg'), '');
      const html = readFileSync(join(bad, 'index.html'), 'utf8').replace('</main>', '<script>console.error("boom")</script><img src="https://example.invalid/x.png"></main>');
      writeFileSync(join(bad, 'index.html'), html);
      const r = await checkReport(bad, CHROMIUM);
      expect(r.ok).toBe(false);
      const all = r.problems.join('\n');
      expect(all).toContain('missing plot file: plots/D-3__chi2-infinite__1.svg');
      expect(all).toContain('empty plot file: plots/P2-3__hermite-spectrum__1.svg');
      expect(all).toContain('plot not shown: plots/D-3__chi2-infinite__1.svg');
      expect(all).toContain('console.error: boom');
      expect(all).toContain('network reference in index.html: https://example.invalid/x.png');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
