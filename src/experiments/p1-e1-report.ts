/**
 * P1-E1 report section (./report-section.ts) from the jobs of ./p1-e1-gmm.ts: per-generation
 * tables (mean ± sd over runs), dispersion curves with the exact population reference, D_i, I_i,
 * KL_i against ½ε̂²_i and 4ε⋆²_i (P1 Fig. 3, 4), the PCA scatter per α and generation (Fig. 1),
 * the contribution matrix (1−α)^{2(N−i)} ε⋆,i² over (N, i) (Fig. 5, the discounted weights of
 * P1-4.2), and the verdict on the dispersion ordering.
 */
import { perGenerationChart, type Curve } from '../report/plots.ts';
import { facetScatterSpec, heatmapSpec, type HeatCell, type ScatterPoint } from './figures.ts';
import type { P1E1Job, P1E1Options, PopulationGeneration } from './p1-e1-gmm.ts';
import { fmt, fmtSpread, type ExperimentVerdict, type ReportSection, type Table } from './report-section.ts';

export interface P1E1Result {
  readonly options: P1E1Options;
  readonly seed: number;
  readonly jobs: readonly P1E1Job[];
  readonly population: Readonly<Record<string, PopulationGeneration[]>>;
  readonly wallSeconds: number;
  readonly completed: boolean;
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
}

/** Verdict: at the last generation reached by every job, outside(0.1) > outside(0.5) > outside(0.9) in every run and for the population law. */
export function p1e1Verdict(r: P1E1Result): { verdict: ExperimentVerdict; reasons: string[] } {
  const alphas = [...r.options.alphas].sort((a, b) => a - b);
  const reasons: string[] = [];
  if (alphas.length < 2) return { verdict: 'inconclusive', reasons: ['fewer than two α values: no ordering to check'] };
  const G = Math.min(...r.jobs.map((j) => j.dispersion.length - 1));
  if (!Number.isFinite(G) || G < 1) return { verdict: 'partial-run', reasons: ['no completed round'] };
  const runs = [...new Set(r.jobs.map((j) => j.run))];
  let ok = true;
  for (const run of runs) {
    const vals = alphas.map((a) => r.jobs.find((j) => j.run === run && j.alpha === a)?.dispersion[G]?.outside);
    if (vals.some((v) => v === undefined)) continue;
    const ordered = vals.every((v, k) => k === 0 || v! < vals[k - 1]!);
    if (!ordered) ok = false;
    reasons.push(`run ${run}, generation ${G}: fraction outside radius ${r.options.outsideRadius} = ${alphas.map((a, k) => `${fmt(vals[k]!, 3)} (α = ${a})`).join(', ')}${ordered ? '' : ' — NOT ordered'}`);
  }
  const pop = alphas.map((a) => r.population[String(a)]?.[G]?.outside);
  if (pop.every((v) => v !== undefined)) {
    const ordered = pop.every((v, k) => k === 0 || v! < pop[k - 1]!);
    if (!ordered) ok = false;
    reasons.push(`population law (N → ∞), generation ${G}: ${alphas.map((a, k) => `${fmt(pop[k]!, 3)} (α = ${a})`).join(', ')}`);
  }
  reasons.push('statement checked: dispersion decreasing in α (α = 0.1 spreads most, 0.9 least); the confidence-bounded version of this check is the default-tier property properties/theorems/p1-e1-dispersion-ordering.test.ts');
  if (!r.completed) return { verdict: 'partial-run', reasons };
  return { verdict: ok ? 'holds' : 'fails', reasons };
}

export function p1e1Section(r: P1E1Result): ReportSection {
  const o = r.options;
  const alphas = o.alphas;
  const G = o.generations;
  const gens = Array.from({ length: G + 1 }, (_, i) => i);
  const byAlpha = (a: number) => r.jobs.filter((j) => j.alpha === a);
  const series = (a: number, f: (j: P1E1Job, i: number) => number | undefined) => gens.map((i) => {
    const v = byAlpha(a).map((j) => f(j, i)).filter((x): x is number => x !== undefined && Number.isFinite(x));
    return v.length ? mean(v) : null;
  });
  const tables: Table[] = [];
  for (const a of alphas) {
    const js = byAlpha(a);
    const pop = r.population[String(a)] ?? [];
    const col = (f: (j: P1E1Job) => number | undefined) => fmtSpread(js.map(f).filter((x): x is number => x !== undefined));
    tables.push({
      caption: `α = ${a}: per generation, mean ± sd over ${js.length} run(s); round columns (KL, I, ε²) describe the round i → i+1`,
      header: ['i', 'spread', 'outside', 'spread (pop.)', 'D_i', 'D_i (pop.)', 'I_i', 'KL_i', 'KL vs P_t0 q_i', '½ε̂²_i', 'ε⋆²_i'],
      rows: gens.map((i) => [
        String(i),
        col((j) => j.dispersion[i]?.spread),
        col((j) => j.dispersion[i]?.outside),
        fmt(pop[i]?.spread),
        i === 0 ? '0' : col((j) => j.rounds[i - 1]?.Dnext.value),
        fmt(pop[i]?.D),
        col((j) => j.rounds[i]?.I.value),
        col((j) => j.rounds[i]?.KL.value),
        col((j) => j.rounds[i]?.KLideal.value),
        col((j) => (j.rounds[i]?.epsHat2 ? 0.5 * j.rounds[i]!.epsHat2!.value : undefined)),
        col((j) => j.rounds[i]?.epsStar2?.value),
      ]),
    });
  }
  const em = r.jobs.flatMap((j) => j.em.map((e) => ({ ...e, alpha: j.alpha, run: j.run })));
  if (em.length) {
    tables.push({
      caption: 'Euler–Maruyama sampler (exact KDE score, exact start P_T q̃) against exact draws of P_t0 q̃ of the same model',
      header: ['α', 'run', 'round', 'EM particles', 'steps', 'seconds', 'E‖x‖²/d EM', 'E‖x‖²/d exact', 'spread EM', 'spread exact'],
      rows: em.map((e) => [String(e.alpha), String(e.run), String(e.round), String(e.particles), String(e.steps), e.seconds.toFixed(1), `${fmt(e.em.secondMoment.value)} ± ${fmt(e.em.secondMoment.standardError, 2)}`, `${fmt(e.exact.secondMoment.value)} ± ${fmt(e.exact.secondMoment.standardError, 2)}`, fmt(e.em.spread), fmt(e.exact.spread)]),
    });
  }
  const dispCurves: Curve[] = alphas.flatMap((a) => [
    { name: `α = ${a} (N = ${o.particles})`, values: series(a, (j, i) => j.dispersion[i]?.spread) },
    { name: `α = ${a} population (theory)`, values: gens.map((i) => r.population[String(a)]?.[i]?.spread ?? null), role: 'bound' as const },
  ]);
  const figures: ReportSection['figures'][number][] = [
    { name: 'dispersion', caption: 'Spread E min_k‖x − m_k‖²/d per generation (data: σ² = 0.36); dashed: exact population recursion', spec: perGenerationChart('P1-E1 dispersion per generation', gens, dispCurves, { yLabel: 'spread', yScale: 'linear' }).spec },
  ];
  for (const a of alphas) {
    const rounds = gens.slice(0, G);
    figures.push({
      name: `divergences-alpha-${a}`,
      caption: `α = ${a}: KL_i against ½ε̂²_i (P1-3.1) and the ideal-output KL (D-2), I_i against 4ε⋆²_i (P1-3.4 leading term), mean over runs`,
      spec: perGenerationChart(`P1-E1 α = ${a}: round divergences vs energies`, rounds, [
        { name: 'KL_i = KL(p̂^{i+1} ‖ q_i)', values: rounds.map((i) => series(a, (j) => j.rounds[i]?.KL.value)[i] ?? null) },
        { name: 'KL(p̂^{i+1} ‖ P_t0 q_i)', values: rounds.map((i) => series(a, (j) => j.rounds[i]?.KLideal.value)[i] ?? null) },
        { name: '½ ε̂²_i (bound)', values: rounds.map((i) => series(a, (j) => (j.rounds[i]?.epsHat2 ? 0.5 * j.rounds[i]!.epsHat2!.value : undefined))[i] ?? null), role: 'bound' },
        { name: 'I_i = χ²(p̂^{i+1} ‖ q_i)', values: rounds.map((i) => series(a, (j) => j.rounds[i]?.I.value)[i] ?? null) },
        { name: '4 ε⋆²_i (bound)', values: rounds.map((i) => series(a, (j) => (j.rounds[i]?.epsStar2 ? 4 * j.rounds[i]!.epsStar2!.value : undefined))[i] ?? null), role: 'bound' },
      ], { yScale: 'log' }).spec,
    });
  }
  const pts: ScatterPoint[] = [];
  for (const a of alphas) {
    const j = byAlpha(a)[0];
    if (!j) continue;
    for (const s of j.scatter) for (let k = 0; k + 1 < s.xy.length; k += 2) pts.push({ x: s.xy[k]!, y: s.xy[k + 1]!, row: `α = ${a}`, col: `gen ${String(s.i).padStart(2, '0')}` });
  }
  if (pts.length) figures.push({ name: 'pca-scatter', caption: 'Particles projected on the data\'s first two principal axes, per α (rows) and generation (columns), first run (P1 Fig. 1)', spec: facetScatterSpec('P1-E1 PCA scatter (first run)', pts, { x: 'PC 1', y: 'PC 2', row: 'α', col: 'generation' }) });
  const cells: HeatCell[] = [];
  for (const a of alphas) {
    const eps = gens.slice(0, G).map((i) => series(a, (j) => j.rounds[i]?.epsStar2?.value)[i]);
    for (let n = 0; n < G; n++) for (let i = 0; i <= n; i++) {
      const e = eps[i];
      if (e !== null && e !== undefined) cells.push({ x: i, y: n, value: (1 - a) ** (2 * (n - i)) * e, panel: `α = ${a}` });
    }
  }
  if (cells.length) figures.push({ name: 'contribution-matrix', caption: 'Contribution of round i\'s error to generation N: (1−α)^{2(N−i)} ε⋆,i² (P1-4.2 discounted weights, P1 Fig. 5)', spec: heatmapSpec('P1-E1 contribution matrix', cells, { x: 'round i', y: 'generation N', value: 'contribution', panel: 'α' }) });
  const { verdict, reasons } = p1e1Verdict(r);
  return {
    id: 'p1-e1',
    title: '10-D Gaussian mixture, KDE score, α study at the paper\'s scale',
    claim: 'α = 0.1 keeps spreading, α = 0.5 widens but keeps its structure, α = 0.9 is stable (P1 §5).',
    verdict,
    verdictReasons: reasons,
    parameters: { ...o },
    seeds: { root: r.seed, streams: 'job (run, α) uses Rng.fromPath(seed, "p1-e1", run, α); population reference Rng.fromPath(seed, "p1-e1", "population", α)', runs: [...new Set(r.jobs.map((j) => j.run))] },
    wallSeconds: r.wallSeconds,
    completed: r.completed,
    deviations: [
      'Component means (3·e_k, k = 1..5) and equal weights are our choice: the paper does not publish them.',
      `Sampling: the paper samples every generation with 500 Euler–Maruyama steps; here p̂^{i+1} is drawn exactly from the KDE model's output law P_t0 q̃_i (a GMM) at full N = ${o.particles}; the Euler–Maruyama sampler with the exact KDE score runs on ${o.emParticles} particles at round(s) ${o.emRounds.join(', ')} of the first α only (round 0 has the same law q_0 = p_data for every α), to measure what discretisation adds (table above). It is single-threaded: one particle costs 500 × N kernel evaluations.`,
      `Runs: the paper reports 10 runs; this section has ${new Set(r.jobs.map((j) => j.run)).size} (use --runs, --shard i/n and merge the JSON files).`,
      `Divergences per round from ${o.metricSamples} exact draws of p̂^{i+1}; ε̂², ε⋆² from ${o.energySamples} Monte Carlo points with log-uniform times (stated standard errors; the KDE's score error is concentrated near t0 and heavy-tailed, so these are noisy).`,
      'D_i and I_i of the finite-sample KDE are proven finite (criterion (b) on the component variances 0.3727 < 2·0.36), but each kernel centred on a tail draw x_j contributes ∝ exp(‖x_j − m‖²/(2σ² − s²)), whose expectation over x_j is infinite: the χ² values are dominated by a few extreme training points and their Monte Carlo estimates (with standard errors) are lower estimates of unknown quality. The population-level D_i is +∞ from generation 1 (D-3) and is reported as +∞.',
      'The χ² sandwich\'s lower side ⅛ η ε⋆² needs η, which is not estimated at this scale (it needs paths of the 10⁵-component score); the table gives I_i next to 4 ε⋆²_i only.',
    ],
    notes: ['The population recursion is exact in law (mixtures pushed and smoothed in closed form); its spread and outside fraction come from exact draws of that law; its D_i from the closed-form finiteness criteria of src/divergences/monte-carlo.ts.', 'Each particle at generation i has exactly the population law p̄^i as its marginal (src/experiments/kde-particle-recursion.ts), so the dispersion curves must agree with the dashed ones up to Monte Carlo error.'],
    tables,
    figures,
    data: r,
  };
}
