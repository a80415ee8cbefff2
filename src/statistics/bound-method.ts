/**
 * Where a comparison's error bound comes from, and whether its stated false-alarm level δ is
 * guaranteed at the sample size used (certified) or rests on an approximation.
 *
 * Classes (`boundCertification`):
 * - `exact`: no sampling error; the bound is a floating-point error bound (δ = 0).
 * - `certified`: a finite-sample inequality valid at every n for the stated δ, under assumptions
 *   stated where the bound is computed: `empirical-bernstein`, `hoeffding` (terms in a known range),
 *   `median-of-means` (a stated bound on the variance), `dkw` (Massart's constant), `gaussian-exact`
 *   and `chi-squared-exact` (exact sampling laws of Gaussian data).
 * - `normal-approximation`: `clt` (z_δ · s/√n): its level is asymptotic, and at δ = 1e-10 the
 *   Berry–Esseen error (≈ 0.47 ρ/(σ³√n)) is many orders above δ, so the delivered false-alarm
 *   probability is not guaranteed. Counted separately by the ledger.
 * - `asymptotic-estimate`: `quadrature` (Richardson / step-doubling error estimates, δ = 0 but not a
 *   proven bound).
 * A `confidence-sequence` (union over looks, statistics/bounds.ts `sequentialBound`) inherits the
 * class of its stage method: certified only when the stage bound is; without the stage method it is
 * classed `normal-approximation` (the conservative reading).
 */

/** Bound methods (the verdict layer's `BoundMethod` should be this type; see report to H1). */
export type BoundMethod =
  | 'exact'
  | 'float'
  | 'clt'
  | 'gaussian-exact'
  | 'chi-squared-exact'
  | 'empirical-bernstein'
  | 'hoeffding'
  | 'median-of-means'
  | 'confidence-sequence'
  | 'dkw'
  | 'quadrature';

export type BoundCertification = 'exact' | 'certified' | 'normal-approximation' | 'asymptotic-estimate';

const CLASS: Readonly<Record<BoundMethod, BoundCertification>> = {
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

/**
 * Certification class of a bound method (see file comment). For 'confidence-sequence' pass the
 * stage method: the sequence is certified iff its stage bound is. Throws on an unknown method name
 * (a new method must be classified here before a ledger can count it).
 */
export function boundCertification(method: string, stageMethod?: string): BoundCertification {
  if (!Object.hasOwn(CLASS, method)) throw new Error(`boundCertification: unknown bound method '${method}'`);
  if (method === 'confidence-sequence' && stageMethod !== undefined) {
    const s = boundCertification(stageMethod);
    return s === 'exact' ? 'certified' : s;
  }
  return CLASS[method as BoundMethod];
}

/** True when the comparison's δ is guaranteed at its sample size (or it has no sampling error). */
export function isCertified(method: string, stageMethod?: string): boolean {
  const c = boundCertification(method, stageMethod);
  return c === 'exact' || c === 'certified';
}

/** One comparison as the ledger sees it (the fields of verdict/types.ts `Comparison` this needs). */
export interface CertifiableComparison {
  readonly method: string;
  /** stage method of a confidence sequence (e.g. 'clt' or 'empirical-bernstein') */
  readonly stageMethod?: string;
  /** false-alarm probability charged by the comparison */
  readonly delta: number;
}

export type CertificationTally = Record<BoundCertification, { readonly comparisons: number; readonly delta: number }>;

/**
 * Comparisons and charged δ per certification class, so a ledger can state the budget in two parts:
 * the certified share (a guaranteed union bound) and the normal-approximation share (nominal only).
 * Throws on an unknown method (see boundCertification).
 */
export function tallyCertification(items: Iterable<CertifiableComparison>): CertificationTally {
  const acc: Record<BoundCertification, { comparisons: number; delta: number }> = {
    exact: { comparisons: 0, delta: 0 },
    certified: { comparisons: 0, delta: 0 },
    'normal-approximation': { comparisons: 0, delta: 0 },
    'asymptotic-estimate': { comparisons: 0, delta: 0 },
  };
  for (const it of items) {
    const c = boundCertification(it.method, it.stageMethod);
    acc[c].comparisons++;
    acc[c].delta += it.delta;
  }
  return acc;
}

/** Order of the classes from strongest to weakest (exact < certified < asymptotic < normal approximation). */
const STRENGTH: Readonly<Record<BoundCertification, number>> = { exact: 0, certified: 1, 'asymptotic-estimate': 2, 'normal-approximation': 3 };

/** The weaker of two certification classes (null = none seen yet). */
export function weakerCertification(a: BoundCertification | null, b: BoundCertification): BoundCertification {
  return a === null || STRENGTH[b] > STRENGTH[a] ? b : a;
}
