/**
 * Audit power, buggy samplers part A (issue 7): drift and noise bugs with an O(1) effect on the
 * output law must get `fail` on the default problem set. These are power claims (a miss is not a
 * false alarm): the effects here are several times the stated minimum detectable discrepancy of at
 * least one check (see the audit report's power column), so a miss is very unlikely.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { describeDeep } from '../support/tier.ts';
import { auditFile, BUGGY_PROBLEMS, describeResult, JS, ONCE } from './audit-support.ts';


describe('audit: buggy samplers fail (drift / noise bugs)', () => {
  for (const bug of ['noise-scale', 'drift-sign', 'score-x2', 'score-half', 'no-linear-drift']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`bug-${bug}.mjs fails`, async (seed) => {
      const r = await auditFile(JS(`bug-${bug}.mjs`), seed, BUGGY_PROBLEMS);
      expect(r.verdict, describeResult(r)).toBe('fail');
    });
  }
});

describeDeep('audit: buggy samplers fail on the full default problem set (drift / noise bugs; deep)', () => {
  for (const bug of ['noise-scale', 'drift-sign', 'score-x2', 'score-half', 'no-linear-drift']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`bug-${bug}.mjs fails (all problems)`, async (seed) => {
      const r = await auditFile(JS(`bug-${bug}.mjs`), seed);
      expect(r.verdict, describeResult(r)).toBe('fail');
    });
  }
});
