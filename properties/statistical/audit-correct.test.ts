/**
 * Audit power and false-failure control, correct samplers (issue 7): every correct in-process JS
 * sampler (Euler–Maruyama, exponential integrator, stochastic Heun, fixtures/samplers/js, and the
 * self-contained docs example example-em.mjs) gets
 * `pass` on the full default problem set. False-failure probability per audit ≤ ASSERTION_DELTA
 * (audit-support.ts). Power of each check is stated in the audit's own report (checks.ts).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { auditFile, describeResult, JS, ONCE } from './audit-support.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';


describe('audit: correct samplers pass (false-failure probability ≤ δ per audit)', () => {
  for (const file of ['correct-em.mjs', 'correct-ei.mjs', 'correct-heun.mjs', 'example-em.mjs']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`${file} passes`, async (seed) => {
      chargePipeline('audit-correct.test.ts'); // one audit expected to pass, at total δ = ASSERTION_DELTA
      const r = await auditFile(JS(file), seed);
      expect(r.verdict, describeResult(r)).toBe('pass');
      expect(r.checks.length).toBe(28);
      for (const c of r.checks) {
        expect(c.delta).toBeGreaterThan(0);
        expect(Number.isFinite(c.power) && c.power > 0).toBe(true);
      }
    });
  }
});
