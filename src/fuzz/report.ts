/**
 * Text and JSON renderings of a fuzzing run (no I/O). `fuzzJson` is the `--json` document:
 * { command: 'fuzz', claim, claimIds, title, statement, convention, oracle, expectedAsStated, seed,
 *   budget, search: {tried, errors, stoppedBy, seconds, bestRelativeMargin}, violations: [...],
 *   summary, map: {title, note, x, y, comparison, cells, violatedCells, boundarySegments, svg} | null,
 *   interrupted, seconds, exitCode }  (non-finite numbers as strings via src/cli/io.ts toJson).
 */
import type { FuzzRunResult, FoundViolation } from './run.ts';

export function fuzzJson(r: FuzzRunResult, extra: { svg?: string | null; fixtures?: string[]; includeCells?: boolean } = {}): Record<string, unknown> {
  const t = r.target;
  return {
    command: 'fuzz',
    claim: t.id,
    claimIds: t.claimIds,
    title: t.title,
    statement: t.statement,
    convention: t.convention,
    oracle: t.oracle,
    expectedAsStated: t.expectedAsStated,
    seed: r.seed,
    budget: r.budget,
    search: { tried: r.search.tried, errors: r.search.errors, stoppedBy: r.search.stoppedBy, seconds: r.search.elapsedMs / 1000, bestRelativeMargin: r.search.bestRelativeMargin },
    violations: r.violations.map((v) => ({
      name: v.name,
      attribution: v.attribution,
      insideStatedAssumptions: v.attribution === 'none',
      brokenStated: v.brokenStated,
      brokenUnstated: v.brokenUnstated,
      assumptions: v.assumptions,
      config: v.config,
      comparison: v.comparison,
      margin: v.margin,
      relativeMargin: v.relativeMargin,
      statistics: v.statistics,
      found: v.found,
      shrunk: v.shrunk,
      repaired: v.repaired,
      shrinkEvaluations: v.shrinkEvaluations,
    })),
    summary: r.summary,
    map: r.map
      ? {
          title: r.map.title,
          note: r.map.note,
          x: r.map.x,
          y: r.map.y,
          comparison: r.map.comparison,
          evaluations: r.map.evaluations,
          violatedCells: r.map.violatedCells,
          boundarySegments: r.map.boundaries.length,
          svg: extra.svg ?? null,
          ...(extra.includeCells ? { cells: r.map.cells, boundaries: r.map.boundaries } : {}),
        }
      : null,
    fixtures: extra.fixtures ?? [],
    interrupted: r.interrupted,
    seconds: r.seconds,
    exitCode: r.exitCode,
  };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : x < 0 ? '−∞' : 'NaN';
  if (Number.isInteger(x) && Math.abs(x) < 1e4) return String(x);
  return Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toPrecision(4);
}

export function violationLines(v: FoundViolation): string[] {
  const cfg = Object.entries(v.config)
    .map(([k, x]) => `${k}=${typeof x === 'number' ? fmt(x) : x}`)
    .join(' ');
  return [
    `  ${v.attribution === 'none' ? 'NONE of the stated assumptions broken — counterexample to the claim as stated' : `breaks ${v.attribution}`}${v.brokenUnstated.length ? ` (unstated: ${v.brokenUnstated.join(', ')})` : ''}`,
    `    ${v.comparison.label}: lhs ${fmt(v.comparison.lhs)}, rhs ${fmt(v.comparison.rhs)}, error bound ${fmt(v.comparison.errorBound)}, margin ${fmt(v.margin)} (relative ${v.relativeMargin.toFixed(3)})`,
    `    ${v.shrunk ? 'shrunk' : 'unshrunk'} config: ${cfg}`,
    `    found at evaluation ${v.found.evaluation} after ${v.found.seconds.toFixed(2)} s (${v.found.groupSize} violating configurations in its group); shrink ${v.shrinkEvaluations} evaluations`,
    ...(v.repaired.length ? [`    not needed: ${v.repaired.join(', ')} (broken where it was found; repaired, still violated)`] : []),
    ...v.assumptions.filter((a) => !a.holds).map((a) => `    ✗ ${a.id}: ${a.label} — ${a.detail}`),
  ];
}

export function fuzzText(r: FuzzRunResult): string {
  const lines = [
    `${r.target.id}: ${r.target.title}`,
    `  convention: ${r.target.convention}`,
    `  seed ${r.seed}; ${r.search.tried} configurations tried in ${(r.search.elapsedMs / 1000).toFixed(1)} s (stopped by ${r.search.stoppedBy}${r.search.errors ? `, ${r.search.errors} evaluation errors` : ''})${r.interrupted ? ' — INTERRUPTED: unshrunk results so far' : ''}`,
    `  ${r.summary}`,
    ...r.violations.flatMap(violationLines),
  ];
  if (r.map) lines.push(`  map: ${r.map.title} — ${r.map.violatedCells}/${r.map.cells.length} cells violated, ${r.map.boundaries.length} boundary segments`);
  return lines.join('\n');
}
