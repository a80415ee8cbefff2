/**
 * Audit power and false-failure control, correct samplers (issue 7): every correct in-process JS
 * sampler (Euler–Maruyama, exponential integrator, stochastic Heun, fixtures/samplers/js) gets
 * `pass` on the full default problem set. False-failure probability per audit ≤ ASSERTION_DELTA
 * (audit-support.ts). Power of each check is stated in the audit's own report (checks.ts).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { auditFile, describeResult, JS, ONCE } from './audit-support.ts';

describe('audit: correct samplers pass (false-failure probability ≤ δ per audit)', () => {
  for (const scheme of ['em', 'ei', 'heun']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`correct-${scheme}.mjs passes`, async (seed) => {
      const r = await auditFile(JS(`correct-${scheme}.mjs`), seed);
      expect(r.verdict, describeResult(r)).toBe('pass');
      expect(r.checks.length).toBe(28);
      for (const c of r.checks) {
        expect(c.delta).toBeGreaterThan(0);
        expect(Number.isFinite(c.power) && c.power > 0).toBe(true);
      }
    });
  }
});
