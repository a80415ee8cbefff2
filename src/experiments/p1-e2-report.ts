/**
 * P1-E2 runner and report section: η̂ per perturbation type on optdigits next to the paper's
 * CIFAR-10 reading (aligned highest, random clearly > 0, time-only ≈ 0, post-transient
 * η̂ ≈ 0.25–0.35). Report-level verdict: the ordering with one-sided normal bounds at
 * REPORT_DELTA per comparison (a CLT approximation; the default-tier property
 * properties/theorems/p1-e2-eta-ordering.test.ts charges the suite's δ).
 */
import { zOneSided } from '../statistics/normal.ts';
import { yieldTurn } from './async-driver.ts';
import { barSpec } from './figures.ts';
import { ETA_TIME_ONLY_MAX, etaForFamily, etaRandomAverage, imageWorld, PAPER_ETA_RANGE, type EtaResult, type P1E2Options } from './p1-e2-eta-images.ts';
import { fmt, type ExperimentVerdict, type ReportSection } from './report-section.ts';

export const REPORT_DELTA = 1e-3;

export interface P1E2Result {
  readonly options: P1E2Options;
  readonly seed: number;
  readonly randomDraws: number;
  readonly explained: number;
  readonly aligned: EtaResult | null;
  readonly random: (EtaResult & { readonly perDraw: readonly EtaResult[] }) | null;
  readonly timeOnly: EtaResult | null;
  readonly timeOnlyOneCycle: EtaResult | null;
  readonly wallSeconds: number;
  readonly completed: boolean;
}

export async function runP1E2(o: P1E2Options, seed: number, randomDraws: number, hooks: { shouldStop?: () => boolean; onProgress?: (done: number, total: number, note: string) => void } = {}): Promise<P1E2Result> {
  const start = process.hrtime.bigint();
  const world = imageWorld(o.pcaDim, o.images);
  const out: { aligned: EtaResult | null; random: P1E2Result['random']; timeOnly: EtaResult | null; timeOnlyOneCycle: EtaResult | null } = { aligned: null, random: null, timeOnly: null, timeOnlyOneCycle: null };
  const steps: [keyof typeof out, () => EtaResult][] = [
    ['aligned', () => etaForFamily(world, 'aligned', o, seed, 0)],
    ['random', () => etaRandomAverage(world, o, seed, 1000, randomDraws)],
    ['timeOnly', () => etaForFamily(world, 'time-only', o, seed, 0)],
    ['timeOnlyOneCycle', () => etaForFamily(world, 'time-only', { ...o, cycles: 1 }, seed + 1, 0)],
  ];
  let done = 0;
  for (const [key, f] of steps) {
    await yieldTurn();
    if (hooks.shouldStop?.()) break;
    (out as Record<string, unknown>)[key] = f();
    hooks.onProgress?.(++done, steps.length, key);
  }
  return { options: o, seed, randomDraws, explained: world.explained, ...out, wallSeconds: Number(process.hrtime.bigint() - start) / 1e9, completed: done === steps.length };
}

function gap(a: EtaResult, b: EtaResult): { diff: number; se: number } {
  return { diff: a.eta - b.eta, se: Math.hypot(a.standardError, b.standardError) };
}

export function p1e2Verdict(r: P1E2Result): { verdict: ExperimentVerdict; reasons: string[] } {
  if (!r.aligned || !r.random || !r.timeOnly) return { verdict: 'partial-run', reasons: ['not every perturbation type was estimated'] };
  const z = zOneSided(REPORT_DELTA);
  const g1 = gap(r.aligned, r.random);
  const g2 = gap(r.random, r.timeOnly);
  const c1 = g1.diff - z * g1.se > 0;
  const c2 = g2.diff - z * g2.se > 0;
  const c3 = r.timeOnly.eta + z * r.timeOnly.standardError < ETA_TIME_ONLY_MAX;
  const reasons = [
    `η_aligned − η_random = ${fmt(g1.diff)} ± ${fmt(g1.se, 2)} (SE): ${c1 ? 'shown > 0' : 'NOT shown > 0'} at δ = ${REPORT_DELTA} (one-sided normal bound)`,
    `η_random − η_time-only = ${fmt(g2.diff)} ± ${fmt(g2.se, 2)}: ${c2 ? 'shown > 0' : 'NOT shown > 0'}`,
    `η_time-only = ${fmt(r.timeOnly.eta)} ± ${fmt(r.timeOnly.standardError, 2)}: ${c3 ? 'shown' : 'NOT shown'} below ${ETA_TIME_ONLY_MAX} ("≈ 0": one fifth of the paper's lowest post-transient value)`,
    `aligned η̂ = ${fmt(r.aligned.eta)} against the paper's post-transient ${PAPER_ETA_RANGE[0]}–${PAPER_ETA_RANGE[1]} (CIFAR-10; a different data set and model: shown for orientation, not checked)`,
    `single random matrices: η̂ = ${r.random.perDraw.map((e) => fmt(e.eta, 3)).join(', ')} (the ordering is a statement about the type, i.e. the mean over W)`,
  ];
  if (!r.completed) return { verdict: 'partial-run', reasons };
  return { verdict: c1 && c2 && c3 ? 'holds' : c1 || c2 ? 'inconclusive' : 'fails', reasons };
}

export function p1e2Section(r: P1E2Result): ReportSection {
  const o = r.options;
  const rows = [
    ['aligned W x (W = λI)', r.aligned, 'highest'],
    [`random W x (mean of ${r.randomDraws} W)`, r.random, 'clearly > 0'],
    [`time-only ξ(t), ${o.cycles} cycles`, r.timeOnly, '≈ 0'],
    ['time-only ξ(t), 1 cycle (extra)', r.timeOnlyOneCycle, '—'],
  ] as const;
  const { verdict, reasons } = p1e2Verdict(r);
  return {
    id: 'p1-e2',
    title: 'η̂ by perturbation type on real images (optdigits)',
    claim: 'At matched ε⋆², aligned W x has the highest η̂, random W x clearly > 0, time-only ξ(t) ≈ 0; post-transient η̂ ≈ 0.25–0.35 (P1 Fig. 2, 9; CIFAR-10).',
    verdict,
    verdictReasons: reasons,
    parameters: { ...o, randomDraws: r.randomDraws, pcaVarianceExplained: r.explained },
    seeds: { root: r.seed, streams: 'paths of type f: Rng.fromPath(seed, "p1-e2", f[, W seed]); random matrices: seeds 1000.. (injected-error streams)' },
    wallSeconds: r.wallSeconds,
    completed: r.completed,
    deviations: [
      'Data: optdigits 8×8 (1 797 images: the UCI test part; issue 13 mentions 5 620) instead of CIFAR-10, in the 8-D PCA subspace of the pixel values scaled to [−1, 1]; the data law is the empirical law of the images, so the score is exact (no trained network).',
      'The paper estimates η̂ along training ("post-transient"); here η̂ is the observability of a fixed injected error on the exact score: no training dynamics.',
      `η̂ by 2-fold cross-fitted regression of M on the quadratic basis of Y_t0: for these non-Gaussian data a LOWER estimate of η. Paths: ${o.paths} per type, ${o.steps} log-spaced Euler–Maruyama steps, T = ${o.T}, t0 = ${o.t0}.`,
      '"random W x" is the mean over several random matrices (a single W varies a lot; one W in 8-D reached the aligned value).',
      'Matched energy: ε⋆² = 1 for every type, in closed form from the data\'s first two moments (exact for affine errors).',
    ],
    notes: [],
    tables: [
      {
        caption: 'η̂ per perturbation type (SE from the regression\'s influence function) next to the paper',
        header: ['type', 'λ', 'ε⋆² (closed form)', 'Var M (sample)', 'η̂', 'SE', 'paper (CIFAR-10)', 'seconds'],
        rows: rows.map(([name, e, paper]) => [name, e ? fmt(e.lambda) : '—', e ? fmt(e.epsStar2) : '—', e ? fmt(e.varM) : '—', e ? fmt(e.eta) : '—', e ? fmt(e.standardError, 2) : '—', paper, e ? e.seconds.toFixed(1) : '—']),
      },
    ],
    figures: [
      {
        name: 'eta',
        caption: 'η̂ ± SE per perturbation type (optdigits, 8-D PCA); the paper reports aligned > random > time-only ≈ 0 on CIFAR-10',
        spec: barSpec('P1-E2 η̂ by perturbation type (matched ε⋆² = 1)', rows.filter(([, e]) => e !== null).map(([name, e]) => ({ label: name.split(' (')[0]!.split(',')[0]!, value: e!.eta, err: e!.standardError, group: 'optdigits (this suite)' })), 'η̂'),
      },
    ],
    data: r,
  };
}
