/**
 * Certification classes of the bound methods (src/statistics/bound-method.ts) against the table
 * written here from the module's contract (issue 11, mutation item): which methods are exact,
 * certified at every n, normal approximations or asymptotic estimates; a confidence sequence takes
 * its stage method's class (an exact stage counts as certified; no stage method: the conservative
 * normal approximation); the per-class tally of comparisons and δ; the strength order.
 */
import { describe, expect, it } from 'vitest';
import {
  boundCertification,
  isCertified,
  tallyCertification,
  weakerCertification,
  type BoundCertification,
  type BoundMethod,
} from '../../src/statistics/bound-method.ts';

const EXPECTED: Record<BoundMethod, BoundCertification> = {
  exact: 'exact',
  float: 'exact',
  clt: 'normal-approximation',
  'gaussian-exact': 'certified',
  'chi-squared-exact': 'certified',
  'empirical-bernstein': 'certified',
  hoeffding: 'certified',
  'median-of-means': 'certified',
  'confidence-sequence': 'normal-approximation',
  dkw: 'certified',
  quadrature: 'asymptotic-estimate',
};
/** Strongest first (the module's documented order). */
const ORDER: readonly BoundCertification[] = ['exact', 'certified', 'asymptotic-estimate', 'normal-approximation'];

describe('bound methods: certification classes', () => {
  for (const [method, cls] of Object.entries(EXPECTED)) {
    it(`${method} is ${cls}; isCertified iff exact or certified`, () => {
      expect(boundCertification(method)).toBe(cls);
      expect(isCertified(method)).toBe(cls === 'exact' || cls === 'certified');
    });
  }
  it('a confidence sequence takes its stage method\'s class (exact stage ⇒ certified)', () => {
    expect(boundCertification('confidence-sequence', 'empirical-bernstein')).toBe('certified');
    expect(boundCertification('confidence-sequence', 'clt')).toBe('normal-approximation');
    expect(boundCertification('confidence-sequence', 'float')).toBe('certified');
    expect(boundCertification('confidence-sequence', 'quadrature')).toBe('asymptotic-estimate');
    expect(isCertified('confidence-sequence', 'hoeffding')).toBe(true);
    expect(isCertified('confidence-sequence', 'clt')).toBe(false);
    expect(isCertified('confidence-sequence')).toBe(false);
    // a stage method on anything else is ignored
    expect(boundCertification('clt', 'empirical-bernstein')).toBe('normal-approximation');
    expect(boundCertification('hoeffding', 'clt')).toBe('certified');
  });
  it('unknown method names throw (also as a stage method), naming the method', () => {
    expect(() => boundCertification('bootstrap')).toThrow("boundCertification: unknown bound method 'bootstrap'");
    expect(() => boundCertification('confidence-sequence', 'bootstrap')).toThrow("unknown bound method 'bootstrap'");
  });
  // Found by mutation testing: `method in CLASS` also accepted names inherited from Object.prototype
  // ('toString' was classed as a function and tallyCertification then threw a TypeError); the lookup
  // now uses Object.hasOwn.
  it('an inherited property name (toString, constructor) is an unknown method too', () => {
    expect(() => boundCertification('toString')).toThrow("unknown bound method 'toString'");
    expect(() => boundCertification('constructor')).toThrow("unknown bound method 'constructor'");
  });
});

describe('bound methods: tally per class and strength order', () => {
  it('counts comparisons and sums δ per class, every class present (zero when unused)', () => {
    const t = tallyCertification([
      { method: 'clt', delta: 1e-10 },
      { method: 'empirical-bernstein', delta: 2e-10 },
      { method: 'confidence-sequence', stageMethod: 'empirical-bernstein', delta: 4e-10 },
      { method: 'clt', delta: 8e-10 },
      { method: 'float', delta: 0 },
    ]);
    expect(t).toEqual({
      exact: { comparisons: 1, delta: 0 },
      certified: { comparisons: 2, delta: 6e-10 },
      'normal-approximation': { comparisons: 2, delta: 9e-10 },
      'asymptotic-estimate': { comparisons: 0, delta: 0 },
    });
    expect(tallyCertification([])).toEqual({
      exact: { comparisons: 0, delta: 0 },
      certified: { comparisons: 0, delta: 0 },
      'normal-approximation': { comparisons: 0, delta: 0 },
      'asymptotic-estimate': { comparisons: 0, delta: 0 },
    });
    expect(() => tallyCertification([{ method: 'nope', delta: 0 }])).toThrow("unknown bound method 'nope'");
  });
  it('weakerCertification returns the later class in the order exact < certified < asymptotic < normal approximation', () => {
    for (const b of ORDER) expect(weakerCertification(null, b)).toBe(b);
    for (let i = 0; i < ORDER.length; i++) {
      for (let j = 0; j < ORDER.length; j++) expect(weakerCertification(ORDER[i]!, ORDER[j]!)).toBe(ORDER[Math.max(i, j)]);
    }
  });
});
