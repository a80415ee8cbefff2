/**
 * Boundary map of a claim: a grid over two parameters (the others at the map's base configuration),
 * each cell coloured by the relative margin of one comparison (src/fuzz/target.ts
 * `relativeMargin`: negative = violated beyond the evaluation's error), and the boundaries of the
 * named assumptions as grid-edge segments between neighbouring cells whose assumption status
 * differs (a staircase trace of the boundary at the grid's resolution).
 *
 * Axes: real parameters are sampled linearly or geometrically (log parameters) at `steps` points,
 * integer parameters at every integer (at most `steps`). Cell edges sit halfway between sample
 * points (geometric mean on log axes). Cells whose evaluation throws are kept with margin null.
 */
import type { IntParam, ParamSpec, RealParam } from './space.ts';
import { isViolated, relativeMargin, worstComparison, type FuzzTarget, type MapAxis } from './target.ts';
import { evaluateOne } from './search.ts';

export interface MapCell {
  readonly i: number;
  readonly j: number;
  readonly x: number;
  readonly y: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly margin: number | null;
  readonly relativeMargin: number | null;
  readonly violated: boolean;
  readonly assumptions: Readonly<Record<string, boolean>>;
  readonly error: string | null;
}

export interface BoundarySegment {
  readonly assumption: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface BoundaryMap {
  readonly claim: string;
  readonly title: string;
  readonly note: string;
  readonly x: { readonly param: string; readonly label: string; readonly log: boolean; readonly values: number[] };
  readonly y: { readonly param: string; readonly label: string; readonly log: boolean; readonly values: number[] };
  readonly comparison: string;
  readonly cells: MapCell[];
  readonly boundaries: BoundarySegment[];
  readonly assumptionLabels: Readonly<Record<string, string>>;
  readonly evaluations: number;
  readonly violatedCells: number;
}

function axisValues(space: readonly ParamSpec[], axis: MapAxis): { values: number[]; log: boolean } {
  const p = space.find((s) => s.name === axis.param);
  if (!p || p.kind === 'choice') throw new Error(`boundary map: axis ${axis.param} is not a numeric parameter`);
  if (p.kind === 'int') {
    const q = p as IntParam;
    const lo = axis.min ?? q.min;
    const hi = axis.max ?? q.max;
    const n = Math.min(axis.steps, hi - lo + 1);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(Math.round(lo + (n === 1 ? 0 : (k * (hi - lo)) / (n - 1))));
    return { values: [...new Set(out)], log: false };
  }
  const r = p as RealParam;
  const lo = axis.min ?? r.min;
  const hi = axis.max ?? r.max;
  const n = axis.steps;
  const log = Boolean(r.log);
  const values = Array.from({ length: n }, (_, k) => {
    const u = n === 1 ? 0.5 : k / (n - 1);
    return log ? lo * Math.pow(hi / lo, u) : lo + u * (hi - lo);
  });
  return { values, log };
}

function edges(values: number[], log: boolean): number[] {
  const n = values.length;
  const mid = (a: number, b: number) => (log ? Math.sqrt(a * b) : 0.5 * (a + b));
  const out: number[] = [];
  for (let k = 0; k <= n; k++) {
    if (n === 1) out.push(k === 0 ? (log ? values[0]! / 1.5 : values[0]! - 0.5) : log ? values[0]! * 1.5 : values[0]! + 0.5);
    else if (k === 0) out.push(log ? (values[0]! * values[0]!) / mid(values[0]!, values[1]!) : 2 * values[0]! - mid(values[0]!, values[1]!));
    else if (k === n) out.push(log ? (values[n - 1]! * values[n - 1]!) / mid(values[n - 2]!, values[n - 1]!) : 2 * values[n - 1]! - mid(values[n - 2]!, values[n - 1]!));
    else out.push(mid(values[k - 1]!, values[k]!));
  }
  return out;
}

export function boundaryMap(target: FuzzTarget, stop?: { stopped: boolean }): BoundaryMap {
  const spec = target.map;
  const xs = axisValues(target.space, spec.x);
  const ys = axisValues(target.space, spec.y);
  const xe = edges(xs.values, xs.log);
  const ye = edges(ys.values, ys.log);
  const cells: MapCell[] = [];
  const labels: Record<string, string> = {};
  let evaluations = 0;
  for (let j = 0; j < ys.values.length; j++) {
    for (let i = 0; i < xs.values.length; i++) {
      if (stop?.stopped) break;
      const config = { ...spec.base, [spec.x.param]: xs.values[i]!, [spec.y.param]: ys.values[j]! };
      const e = evaluateOne(target, config);
      evaluations++;
      const ev = e.evaluation;
      const c = ev ? (spec.comparison ? (ev.comparisons.find((k) => k.label === spec.comparison) ?? null) : worstComparison(ev)) : null;
      const assumptions: Record<string, boolean> = {};
      if (ev) for (const a of ev.assumptions) if (spec.boundaries.includes(a.id)) {
        assumptions[a.id] = a.holds;
        labels[a.id] = a.label;
      }
      cells.push({
        i,
        j,
        x: xs.values[i]!,
        y: ys.values[j]!,
        x0: xe[i]!,
        x1: xe[i + 1]!,
        y0: ye[j]!,
        y1: ye[j + 1]!,
        margin: c ? c.margin : null,
        relativeMargin: c ? relativeMargin(c) : null,
        violated: c ? isViolated(c) : false,
        assumptions,
        error: e.error,
      });
    }
  }
  const at = (i: number, j: number) => cells.find((c) => c.i === i && c.j === j);
  const boundaries: BoundarySegment[] = [];
  for (const id of spec.boundaries) {
    for (const c of cells) {
      const right = at(c.i + 1, c.j);
      if (right && id in c.assumptions && id in right.assumptions && c.assumptions[id] !== right.assumptions[id]) boundaries.push({ assumption: id, x0: c.x1, x1: c.x1, y0: c.y0, y1: c.y1 });
      const up = at(c.i, c.j + 1);
      if (up && id in c.assumptions && id in up.assumptions && c.assumptions[id] !== up.assumptions[id]) boundaries.push({ assumption: id, x0: c.x0, x1: c.x1, y0: c.y1, y1: c.y1 });
    }
  }
  const first = cells.find((c) => c.margin !== null);
  return {
    claim: target.id,
    title: spec.title,
    note: spec.note,
    x: { param: spec.x.param, label: spec.x.label, log: xs.log, values: xs.values },
    y: { param: spec.y.param, label: spec.y.label, log: ys.log, values: ys.values },
    comparison: spec.comparison ?? (first ? 'worst comparison' : ''),
    cells,
    boundaries,
    assumptionLabels: labels,
    evaluations,
    violatedCells: cells.filter((c) => c.violated).length,
  };
}
