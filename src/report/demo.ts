/**
 * A synthetic ledger that exercises every report feature (all verdict kinds, a counterexample,
 * every plot kind, zero / negative values on log axes, ±∞ and null values, `panel/` keys, plot
 * hints). Used by properties/exact/report-render.test.ts and for looking at the output:
 *
 *   node bin/run-ts.mjs src/report/demo.ts [OUT_DIR]     (default reports/demo)
 *   npm run report:check -- reports/demo
 *
 * The numbers are made up (they illustrate layouts, not results).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Ledger, LedgerEntry } from '../verdict/types.ts';
import type { RunInfo } from './run-info.ts';
import { renderReport } from './render.ts';

const base = { n: 0, statistics: {}, delta: 0, power: null, seed: 20260226, replayPath: null, counterexample: null } as const;

export function demoLedger(): Ledger {
  const entries: LedgerEntry[] = [
    {
      ...base,
      claimId: 'P1-3.1',
      check: 'kl-gaussian-exact',
      verdict: 'holds',
      expected: 'holds',
      cases: 100,
      statistics: { maxRatio: 0.4871234567891, meanRatio: 0.2512, method: 'closed form' },
      worstMargin: 0.0012345678,
      delta: 0,
      power: null,
      series: {
        case: [0, 1, 2, 3, 4, 5, 6, 7],
        bound: [0.5, 0.02, 1.3, 4e-4, 0.08, 2.2, 0.31, 7.5e-3],
        measured: [0.21, 0.004, 0.9, 1.1e-4, 0.05, 1.9, 0.2, 0],
      },
      notes: ['bound ½ ε̂², measured KL in closed form'],
    },
    {
      ...base,
      claimId: 'P1-3.1',
      check: 'kl-gmm-monte-carlo',
      verdict: 'weak',
      expected: 'holds',
      cases: 40,
      n: 20000,
      statistics: { worstLhs: 0.0311, worstRhs: 0.0302, ci: 0.0044 },
      worstMargin: -0.0035,
      delta: 2.5e-8,
      power: 0.0125,
      series: {
        measured: [0.03, 0.011, 0.2, 0.0311],
        'measured.lo': [0.026, 0.008, 0.18, 0.0267],
        'measured.hi': [0.034, 0.014, 0.22, 0.0355],
        bound: [0.05, 0.02, 0.25, 0.0302],
      },
    },
    {
      ...base,
      claimId: 'P1-F1',
      check: 'refresh-identity-wrong-constant',
      verdict: 'fails',
      expected: 'holds',
      cases: 17,
      n: 0,
      statistics: { lhs: 0.7311, rhs: 0.5625, relativeGap: 0.2997 },
      worstMargin: -0.16859999999999997,
      delta: 0,
      power: null,
      seed: 1234567,
      replayPath: '16:0:2',
      counterexample: {
        seed: 1234567,
        path: '16:0:2',
        input: { dim: 1, alpha: 0.25, t0: 0.01, T: 4, family: 'aligned', scale: 0.5, extreme: Infinity },
        comparison: { label: 'D_{i+1} ≤ (1-α) D_i + …', lhs: 0.7311, rhs: 0.5625, errorBound: 2.2e-16, margin: -0.16859999999999997, method: 'float', delta: 0 },
        message: 'self-test: (1-α) in place of (1-α)² is violated at dim 1',
      },
    },
    {
      ...base,
      claimId: 'P1-4.2',
      check: 'multiplicative-form',
      verdict: 'fails-as-stated',
      expected: 'fails-as-stated',
      cases: 1,
      statistics: { cBias: 0.0123 },
      worstMargin: -0.0123,
      seed: 99,
      replayPath: '0',
      counterexample: { seed: 99, path: '0', input: { alpha: 0.5, errors: 'summable' }, comparison: null, message: 'RHS → 0 while LHS ≥ C_bias > 0' },
      series: {
        generation: [0, 1, 2, 3, 4, 5, 6],
        D: [0.3, 0.12, 0.05, 0.0, 0.013, 0.0126, 0.0124],
        bound: [0.3, 0.075, 0.019, 0.0047, 0.0012, 2.9e-4, 7.3e-5],
      },
      plots: [{ yScale: 'log', title: 'P1-4.2: D_i against the discounted sum (log y)' }],
    },
    {
      ...base,
      claimId: 'D-1',
      check: 'leading-order-ratio',
      verdict: 'inconclusive',
      expected: 'holds',
      cases: 12,
      n: 5000,
      statistics: { slope: 1.93, slopeCi: 0.3 },
      worstMargin: null,
      delta: 1e-9,
      power: 0.21,
      series: {
        scale: [1, 0.5, 0.25, 0.125, 0.0625, 0.03125],
        ratio: [0.82, 0.91, 0.96, 0.99, 1.0, -0.2],
        'ratio.lo': [0.7, 0.8, 0.85, 0.9, 0.88, -0.6],
        'ratio.hi': [0.94, 1.02, 1.07, 1.08, 1.12, 0.2],
        'chi2/scale': [1, 0.1, 0.01, 0.001],
        'chi2/measured': [0.9, 0.0095, 1e-4, Infinity],
        'chi2/predicted': [1, 0.01, 1e-4, 1e-6],
      },
      plots: [{ panel: 'chi2', xScale: 'log', yScale: 'log', yLabel: 'χ²' }],
    },
    {
      ...base,
      claimId: 'P2-3',
      check: 'hermite-spectrum',
      verdict: 'holds',
      expected: 'holds',
      cases: 30,
      statistics: { maxAbsError: 3.3e-16 },
      worstMargin: 4.4e-16,
      series: {
        mode: [0, 1, 2, 3, 4, 5, 6],
        lambda: [1, 0.9, 0.79, 0.68, 0.0, 0.52, -1e-3],
        'density/x': [-3, -2, -1, 0, 1, 2, 3],
        'density/data': [0.004, 0.054, 0.242, 0.399, 0.242, 0.054, 0.004],
        'density/limit': [0.01, 0.07, 0.23, 0.35, 0.23, 0.07, null],
      },
    },
    {
      ...base,
      claimId: 'D-3',
      check: 'chi2-infinite',
      verdict: 'holds',
      expected: 'holds',
      cases: 25,
      statistics: { chi2: Infinity, criterion: 'h² ≥ σ²' },
      worstMargin: Infinity,
      series: { generation: [1, 2, 3], chi2: [Infinity, Infinity, 2.5] },
    },
    { ...base, claimId: 'P1-12', check: 'none', verdict: 'not-yet-checked', expected: 'holds', cases: 0, worstMargin: null },
  ];
  return { seed: 20260226, tier: 'default', budget: 1e-6, entries };
}

export function demoRun(): RunInfo {
  return {
    seed: 20260226,
    commit: '0123456789abcdef0123456789abcdef01234567',
    dirty: false,
    startedAt: '2026-11-26T02:00:00.000Z',
    finishedAt: '2026-11-26T02:02:31.500Z',
    wallSeconds: 151.5,
    nodeVersion: 'v20.19.1',
    machine: { cpus: 2, model: 'Demo CPU @ 2.0GHz', platform: 'linux 6.1.0' },
    tier: 'default',
    commandLine: 'collapse-check verify --tier default',
    budget: {
      total: 1e-6,
      split: [
        { label: 'P1-3.1', delta: 2.5e-7, note: 'clt per case, shrinking included' },
        { label: 'D-1', delta: 2.5e-7 },
        { label: 'reserve', delta: 5e-7 },
      ],
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? 'reports/demo');
  const { files } = await renderReport(demoLedger(), demoRun(), out);
  process.stdout.write(`${files.length} files written to ${out}\n`);
}
