/**
 * Report plots: vega-lite spec builders and headless SVG rendering.
 *
 * Numbers come from the ledger (`LedgerEntry.series`), never recomputed: the builders only
 * reshape them into rows. A log axis never silently receives non-positive values: such points are
 * dropped and the chart's subtitle says how many ("N non-positive values omitted"); likewise for
 * ±∞ / NaN (not drawable) and null (missing) values. Requested-log axes with no positive value at
 * all fall back to linear, and say so.
 *
 * Series key conventions (documented in src/report/README.md):
 *  - `panel/key` splits one entry's series into several plots; keys without `/` form panel ''.
 *  - x key: the first present of X_KEYS (`generation`, `scale`, `mode`, `x`, `case`, `t`, `n`, `index`),
 *    else the array index.
 *  - `key.lo` / `key.hi` are a confidence band (error bars) around `key`.
 *  - `measured` + `bound` without a generation/scale/mode/x key ⇒ a bound-vs-measured scatter with
 *    the diagonal y = x (points under it satisfy lhs ≤ rhs).
 *  - keys that name a bound (`bound`, `rhs`, `limit`, `predicted`, `theory`, `*bound*`) are dashed.
 *
 * Rendering: `renderSvg(spec, idPrefix)` = vega.View(vega.parse(vl.compile(spec).spec), 'none').toSVG(),
 * with element ids renumbered per chart (vega's clip ids come from a process-global counter), so the
 * same spec gives the same bytes and several SVGs can be inlined in one page.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { LedgerEntry, PlotHint, PlotKind } from '../verdict/types.ts';

export type AxisScale = 'linear' | 'log';
export type ScaleRequest = AxisScale | 'auto';

/** One curve (y values aligned with the chart's x values), optionally with a band `[lo, hi]`. */
export interface Curve {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly lo?: readonly (number | null)[];
  readonly hi?: readonly (number | null)[];
  /** 'bound' curves are dashed */
  readonly role?: 'bound' | 'measured';
}

/** Input of the generic chart builder. */
export interface ChartInput {
  readonly kind: PlotKind;
  readonly title: string;
  readonly x: { readonly label: string; readonly values: readonly (number | null)[]; readonly scale?: ScaleRequest; readonly integer?: boolean };
  readonly y: { readonly label: string; readonly scale?: ScaleRequest };
  readonly curves: readonly Curve[];
  /** extra lines for the subtitle (in addition to the omitted-value notes) */
  readonly notes?: readonly string[];
  readonly width?: number;
  readonly height?: number;
}

/** A built chart: the vega-lite spec plus what was omitted (also in the spec's subtitle). */
export interface Chart {
  readonly kind: PlotKind;
  readonly title: string;
  readonly spec: vl.TopLevelSpec;
  /** human notes: omitted values, scale fallbacks, length mismatches (all shown on the chart) */
  readonly notes: readonly string[];
  readonly xScale: AxisScale;
  readonly yScale: AxisScale;
  /** number of drawn points */
  readonly points: number;
}

/** x keys, in order of preference (see module doc). */
export const X_KEYS = ['generation', 'scale', 'mode', 'x', 'case', 't', 'n', 'index'] as const;

/** A key names a bound (drawn dashed). */
export function isBoundKey(key: string): boolean {
  return /bound|^rhs$|^limit$|^predicted$|^theory$/i.test(key);
}

/** Smallest span (max/min of positive values) at which an 'auto' axis turns logarithmic. */
export const AUTO_LOG_SPAN = 1e3;

const DEFAULT_WIDTH = 520;
/** Series names longer than this put the legend in one column. */
const LEGEND_INLINE_CHARS = 24;
/** Lines mark their points only up to this many points per curve. */
const MAX_POINTS_MARKED = 60;
const DEFAULT_HEIGHT = 240;
const PALETTE = ['#1f5fa8', '#c23b22', '#2a8a3e', '#7b4bb3', '#d9822b', '#5b6770', '#b8448a', '#178a8a', '#8c6d1f', '#5aa0e0', '#e07b91', '#7fbf5f'];
const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Title / subtitle line lengths (characters) that fit DEFAULT_WIDTH at 14 px bold / 11 px. */
const TITLE_CHARS = 68;
const SUBTITLE_CHARS = 100;

/**
 * Greedy word wrap into lines of at most `max` characters (a longer word gets its own line), so long
 * titles do not widen the SVG (which would then be shrunk to fit the page).
 */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= max) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Resolve 'auto': log iff every finite non-null value is > 0, at least two, spanning ≥ AUTO_LOG_SPAN. */
export function resolveScale(request: ScaleRequest | undefined, values: Iterable<number | null>): AxisScale {
  if (request === 'linear' || request === 'log') return request;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v <= 0) return 'linear';
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return count >= 2 && max / min >= AUTO_LOG_SPAN ? 'log' : 'linear';
}

interface Row {
  x: number;
  y: number;
  series: string;
  lo?: number;
  hi?: number;
}

interface Omitted {
  missing: number;
  posInf: number;
  negInf: number;
  nan: number;
  nonPositiveX: number;
  nonPositiveY: number;
  bandDropped: number;
}

function countNonFinite(v: number, o: Omitted): void {
  if (Number.isNaN(v)) o.nan++;
  else if (v > 0) o.posInf++;
  else o.negInf++;
}

function omittedNotes(o: Omitted): string[] {
  const notes: string[] = [];
  if (o.nonPositiveY > 0) notes.push(`${plural(o.nonPositiveY, 'non-positive value', 'non-positive values')} omitted (log y axis)`);
  if (o.nonPositiveX > 0) notes.push(`${plural(o.nonPositiveX, 'non-positive x value', 'non-positive x values')} omitted (log x axis)`);
  const inf = o.posInf + o.negInf + o.nan;
  if (inf > 0) {
    const parts: string[] = [];
    if (o.posInf > 0) parts.push(`+∞ ×${o.posInf}`);
    if (o.negInf > 0) parts.push(`−∞ ×${o.negInf}`);
    if (o.nan > 0) parts.push(`NaN ×${o.nan}`);
    notes.push(`${plural(inf, 'non-finite value', 'non-finite values')} omitted (${parts.join(', ')})`);
  }
  if (o.missing > 0) notes.push(`${plural(o.missing, 'missing (null) value', 'missing (null) values')} omitted`);
  if (o.bandDropped > 0) notes.push(`${plural(o.bandDropped, 'error bar', 'error bars')} omitted (non-finite or non-positive on log axis)`);
  return notes;
}

/** Finite values of a column, for scale resolution. */
function* finiteValues(arrays: readonly (readonly (number | null)[] | undefined)[]): Generator<number | null> {
  for (const a of arrays) if (a) for (const v of a) yield v;
}

/**
 * Build rows for the chart: drop missing / non-finite points, and non-positive ones on a log axis,
 * counting each kind (the counts become subtitle notes).
 */
function buildRows(xs: readonly (number | null)[], curves: readonly Curve[], xScale: AxisScale, yScale: AxisScale, o: Omitted): Row[] {
  const rows: Row[] = [];
  for (const c of curves) {
    const len = Math.min(xs.length, c.values.length);
    for (let i = 0; i < len; i++) {
      const x = xs[i];
      const y = c.values[i];
      if (x === null || y === null || x === undefined || y === undefined) {
        o.missing++;
        continue;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        if (!Number.isFinite(y)) countNonFinite(y, o);
        else countNonFinite(x, o);
        continue;
      }
      if (xScale === 'log' && x <= 0) {
        o.nonPositiveX++;
        continue;
      }
      if (yScale === 'log' && y <= 0) {
        o.nonPositiveY++;
        continue;
      }
      const row: Row = { x, y, series: c.name };
      if (c.lo || c.hi) {
        const lo = c.lo?.[i] ?? y;
        const hi = c.hi?.[i] ?? y;
        const ok = lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi) && (yScale !== 'log' || (lo > 0 && hi > 0));
        if (ok) {
          row.lo = lo;
          row.hi = hi;
        } else o.bandDropped++;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** Relative extent below which an axis is degenerate (all values equal up to a few ulps). */
const DEGENERATE_EXTENT = 1e-9;

/** Explicit domain for a degenerate extent (null otherwise, or when forced and there are no values). */
function paddedDomain(values: readonly number[], scale: AxisScale, force = false): [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  if (!force && hi - lo > DEGENERATE_EXTENT * mag && hi > lo) return null;
  if (force && hi - lo > DEGENERATE_EXTENT * mag && hi > lo) {
    // shared domain for the diagonal chart: the union, nice-free
    return [lo, hi];
  }
  if (scale === 'log') return [lo / 2, hi * 2];
  const pad = mag > 0 ? mag * 0.01 : 1;
  return [lo - pad, hi + pad];
}

function axisFormat(scale: AxisScale, integer = false): Record<string, unknown> {
  if (integer) return { format: 'd', tickMinStep: 1 };
  return scale === 'log' ? { format: '.0e', tickCount: 6 } : { format: '~g' };
}

/**
 * Generic builder: lines (+ points) per curve, error bars from `lo`/`hi`, dashed bound curves.
 * `kind` selects marks: 'bound-vs-measured' ⇒ points + diagonal y = x (x = bound, y = measured,
 * one shared scale); 'spectrum' ⇒ stems + points over integer modes (bars when linear); others ⇒ lines.
 */
export function buildChart(input: ChartInput): Chart {
  const notes: string[] = [];
  const allY = finiteValues([...input.curves.map((c) => c.values)]);
  const diagonal = input.kind === 'bound-vs-measured';
  let xScale = resolveScale(input.x.scale, input.x.values);
  let yScale = resolveScale(input.y.scale, allY);
  if (diagonal) {
    // one scale for both axes so that y = x is a straight diagonal
    const both = resolveScale(input.y.scale ?? input.x.scale, finiteValues([input.x.values, ...input.curves.map((c) => c.values)]));
    xScale = both;
    yScale = both;
  }
  const hasPositive = (vals: Iterable<number | null>) => {
    for (const v of vals) if (v !== null && Number.isFinite(v) && v > 0) return true;
    return false;
  };
  if (xScale === 'log' && !hasPositive(input.x.values)) {
    xScale = 'linear';
    notes.push('log x axis requested but no positive x value: linear axis');
  }
  if (yScale === 'log' && !hasPositive(finiteValues(input.curves.map((c) => c.values)))) {
    yScale = 'linear';
    notes.push('log y axis requested but no positive value: linear axis');
  }
  if (diagonal && xScale !== yScale) xScale = yScale = 'linear';
  for (const c of input.curves) {
    if (c.values.length !== input.x.values.length) {
      notes.push(`series "${c.name}" has ${c.values.length} values for ${input.x.values.length} x values: extra values not drawn`);
    }
  }
  const omitted: Omitted = { missing: 0, posInf: 0, negInf: 0, nan: 0, nonPositiveX: 0, nonPositiveY: 0, bandDropped: 0 };
  const rows = buildRows(input.x.values, input.curves, xScale, yScale, omitted);
  notes.unshift(...omittedNotes(omitted));
  if (rows.length === 0) notes.push('no drawable value');
  notes.push(...(input.notes ?? []));

  const names = input.curves.map((c) => c.name);
  const dashed = input.curves.filter((c) => c.role === 'bound' || (c.role === undefined && isBoundKey(c.name))).map((c) => c.name);
  const xIsInteger = input.x.integer ?? false;
  // degenerate extents (all values equal up to rounding) get an explicit padded domain: vega's
  // "nice" on a range of a few ulps yields unreadable ticks and points outside the frame
  const xs = rows.map((r) => r.x);
  const ys = rows.flatMap((r) => (r.lo !== undefined ? [r.y, r.lo, r.hi!] : [r.y]));
  let xDomain = paddedDomain(xs, xScale);
  let yDomain = paddedDomain(ys, yScale);
  if (diagonal && (xDomain || yDomain)) xDomain = yDomain = paddedDomain([...xs, ...ys], yScale, true);
  if (xDomain || yDomain) notes.push(`${xDomain && yDomain ? 'all values' : xDomain ? 'all x values' : 'all y values'} equal up to rounding: axis range padded`);
  const scaleOf = (type: AxisScale, domain: [number, number] | null) =>
    domain ? { type, domain, nice: false, ...(type === 'linear' ? { zero: false } : {}) } : type === 'log' ? { type } : { type, zero: false, nice: true };
  const xField = { field: 'x', type: 'quantitative' as const, title: input.x.label, scale: scaleOf(xScale, xDomain), axis: axisFormat(xScale, xIsInteger) };
  const yField = { field: 'y', type: 'quantitative' as const, title: input.y.label, scale: scaleOf(yScale, yDomain), axis: axisFormat(yScale) };
  // long series names (formulas) get one legend row each instead of being cut
  const longNames = names.some((n) => n.length > LEGEND_INLINE_CHARS);
  const legend =
    names.length > 1 || diagonal
      ? { orient: 'bottom' as const, direction: longNames ? ('vertical' as const) : ('horizontal' as const), labelLimit: DEFAULT_WIDTH, symbolStrokeWidth: 2 }
      : null;
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: names, range: PALETTE.slice(0, Math.max(1, Math.min(names.length, PALETTE.length))) },
    legend,
  };
  const strokeDash = {
    field: 'series',
    type: 'nominal' as const,
    scale: { domain: names, range: names.map((n) => (dashed.includes(n) ? [6, 3] : [1, 0])) },
    legend,
  };

  const layers: Record<string, unknown>[] = [];
  if (rows.some((r) => r.lo !== undefined)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'rule', opacity: 0.6 },
      encoding: { x: xField, y: { ...yField, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  if (diagonal) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      lo = Math.min(lo, r.x, r.y);
      hi = Math.max(hi, r.x, r.y);
    }
    if (xDomain) [lo, hi] = xDomain; // padded (degenerate) domain: draw the diagonal across it
    if (rows.length > 0) {
      layers.push({
        data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
        mark: { type: 'line', color: '#888', strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x: xField, y: yField },
      });
    }
    layers.push({ mark: { type: 'point', filled: true, size: 36, opacity: 0.8 }, encoding: { x: xField, y: yField, color } });
    notes.push('dashed diagonal: measured = bound (points on or below it satisfy the claim)');
  } else if (input.kind === 'spectrum') {
    if (names.length > 1 && yScale === 'log') {
      // several spectra: stems would overlap; lines + points instead
      layers.push({ mark: { type: 'line', point: { filled: true, size: 28 }, strokeWidth: 1.4 }, encoding: { x: xField, y: yField, color, strokeDash } });
    } else if (yScale === 'linear') {
      layers.push({ mark: { type: 'bar', opacity: 0.85, width: { band: 0.7 } }, encoding: { x: { ...xField, type: 'ordinal', scale: undefined, axis: { labelAngle: 0 } }, xOffset: { field: 'series' }, y: yField, color } });
    } else {
      layers.push({ mark: { type: 'rule', opacity: 0.5 }, encoding: { x: xField, y: yField, y2: { value: 'height' } as unknown, color } });
      layers.push({ mark: { type: 'point', filled: true, size: 40 }, encoding: { x: xField, y: yField, color } });
    }
  } else {
    // points only where they stay readable (dense grids, e.g. densities, are drawn as plain lines)
    const perCurve = rows.length / Math.max(1, names.length);
    const point = perCurve <= MAX_POINTS_MARKED ? { filled: true, size: 28 } : false;
    layers.push({ mark: { type: 'line', point, strokeWidth: 1.8 }, encoding: { x: xField, y: yField, color, strokeDash } });
  }

  const subtitle = notes.length > 0 ? notes.flatMap((n) => wrapText(n, SUBTITLE_CHARS)) : undefined;
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    width: input.width ?? DEFAULT_WIDTH,
    height: input.height ?? DEFAULT_HEIGHT,
    background: 'white',
    padding: 8,
    title: { text: wrapText(input.title, TITLE_CHARS), anchor: 'start', fontSize: 14, ...(subtitle ? { subtitle, subtitleColor: '#8a4b00', subtitleFontSize: 11 } : {}) },
    data: { values: rows },
    layer: layers,
    config: {
      font: 'Helvetica, Arial, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 11 },
      view: { stroke: '#ccc' },
    },
  } as unknown as vl.TopLevelSpec;
  return { kind: input.kind, title: input.title, spec, notes, xScale, yScale, points: rows.length };
}

// ---------- thin builders for the named plot kinds ----------

/** Bound vs measured per case: scatter of measured (lhs) against bound (rhs) with y = x. */
export function boundVsMeasuredChart(title: string, bound: readonly (number | null)[], measured: readonly (number | null)[], opts: { lo?: readonly (number | null)[]; hi?: readonly (number | null)[]; scale?: ScaleRequest } = {}): Chart {
  return buildChart({
    kind: 'bound-vs-measured',
    title,
    x: { label: 'bound (rhs)', values: bound, scale: opts.scale },
    y: { label: 'measured (lhs)', scale: opts.scale },
    curves: [{ name: 'measured', values: measured, lo: opts.lo, hi: opts.hi, role: 'measured' }],
  });
}

/** Per-generation curves (e.g. D_i and its bound). */
export function perGenerationChart(title: string, generation: readonly (number | null)[], curves: readonly Curve[], opts: { yScale?: ScaleRequest; yLabel?: string } = {}): Chart {
  return buildChart({ kind: 'per-generation', title, x: { label: 'generation i', values: generation, scale: 'linear', integer: true }, y: { label: opts.yLabel ?? 'value', scale: opts.yScale }, curves });
}

/** Ratio (or any quantity) against the error scale λ; both axes 'auto' (log when spanning decades). */
export function ratioVsScaleChart(title: string, scale: readonly (number | null)[], curves: readonly Curve[], opts: { xScale?: ScaleRequest; yScale?: ScaleRequest; yLabel?: string } = {}): Chart {
  return buildChart({ kind: 'ratio-vs-scale', title, x: { label: 'error scale', values: scale, scale: opts.xScale ?? 'auto' }, y: { label: opts.yLabel ?? 'ratio', scale: opts.yScale }, curves });
}

/** Spectrum over modes |n| (log y by default: non-positive modes are omitted and counted). */
export function spectrumChart(title: string, mode: readonly (number | null)[], curves: readonly Curve[], opts: { yScale?: ScaleRequest; yLabel?: string } = {}): Chart {
  return buildChart({ kind: 'spectrum', title, x: { label: 'mode |n|', values: mode, scale: 'linear', integer: true }, y: { label: opts.yLabel ?? 'coefficient', scale: opts.yScale ?? 'log' }, curves });
}

/** Densities on a grid x (linear y by default). */
export function densityChart(title: string, x: readonly (number | null)[], curves: readonly Curve[], opts: { yScale?: ScaleRequest; yLabel?: string } = {}): Chart {
  return buildChart({ kind: 'density', title, x: { label: 'x', values: x, scale: 'linear' }, y: { label: opts.yLabel ?? 'density', scale: opts.yScale ?? 'linear' }, curves });
}

// ---------- ledger entry → charts ----------

/** A plot panel of an entry: its name ('' for unprefixed keys) and its keys (prefix stripped). */
export interface Panel {
  readonly name: string;
  readonly series: ReadonlyMap<string, readonly (number | null)[]>;
}

/** Split `series` into panels by the `panel/` key prefix (order: first appearance). */
export function panelsOf(series: Readonly<Record<string, readonly (number | null)[]>>): Panel[] {
  const panels = new Map<string, Map<string, readonly (number | null)[]>>();
  for (const [key, values] of Object.entries(series)) {
    const slash = key.indexOf('/');
    const panel = slash >= 0 ? key.slice(0, slash) : '';
    const sub = slash >= 0 ? key.slice(slash + 1) : key;
    if (!panels.has(panel)) panels.set(panel, new Map());
    panels.get(panel)!.set(sub, (values ?? []).map(asNumber));
  }
  return [...panels].map(([name, s]) => ({ name, series: s }));
}

/** Ledger numbers may arrive JSON-encoded ("Infinity", "-Infinity", "NaN" strings; src/numerics/json.ts). */
export function asNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (v === 'Infinity' || v === '+Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

function inferKind(keys: readonly string[], xKey: string | null): PlotKind {
  switch (xKey) {
    case 'generation':
      return 'per-generation';
    case 'scale':
      return 'ratio-vs-scale';
    case 'mode':
      return 'spectrum';
    case 'x':
      return 'density';
    default:
      return keys.includes('measured') && keys.includes('bound') ? 'bound-vs-measured' : 'series';
  }
}

const KIND_LABEL: Record<PlotKind, string> = {
  'bound-vs-measured': 'bound vs measured',
  'per-generation': 'per generation',
  'ratio-vs-scale': 'against error scale',
  spectrum: 'spectrum',
  density: 'densities',
  series: 'series',
};

const X_LABEL: Record<PlotKind, string> = {
  'bound-vs-measured': 'bound (rhs)',
  'per-generation': 'generation i',
  'ratio-vs-scale': 'error scale',
  spectrum: 'mode |n|',
  density: 'x',
  series: 'index',
};

/** Chart of one panel under an (optional) hint; see the module doc for the inference rules. */
export function chartForPanel(entry: Pick<LedgerEntry, 'claimId' | 'check'>, panel: Panel, hint: PlotHint = {}): Chart {
  const keys = [...panel.series.keys()];
  const bandOf = (k: string) => ({ lo: panel.series.get(`${k}.lo`), hi: panel.series.get(`${k}.hi`) });
  const isBand = (k: string) => /\.(lo|hi)$/.test(k) && panel.series.has(k.slice(0, -3));
  const notes: string[] = [];
  let xKey: string | null = hint.x ?? X_KEYS.find((k) => panel.series.has(k)) ?? null;
  if (xKey !== null && !panel.series.has(xKey)) {
    notes.push(`x series "${xKey}" not found: index used`);
    xKey = null;
  }
  const kind = hint.kind ?? inferKind(keys, xKey);
  let xValues: readonly (number | null)[];
  let xLabel = hint.xLabel ?? (xKey && kind !== 'bound-vs-measured' ? xKey : X_LABEL[kind]);
  let yKeys: string[];
  if (kind === 'bound-vs-measured') {
    const bx = hint.x ?? 'bound';
    xValues = panel.series.get(bx) ?? [];
    if (!panel.series.has(bx)) notes.push(`bound series "${bx}" not found`);
    xLabel = hint.xLabel ?? (bx === 'bound' ? 'bound (rhs)' : bx);
    yKeys = hint.y ? [...hint.y] : keys.filter((k) => k !== bx && !isBand(k) && !(X_KEYS as readonly string[]).includes(k));
  } else {
    const len = Math.max(0, ...keys.map((k) => panel.series.get(k)!.length));
    xValues = xKey !== null ? panel.series.get(xKey)! : Array.from({ length: len }, (_, i) => i);
    yKeys = hint.y ? [...hint.y] : keys.filter((k) => k !== xKey && !isBand(k));
  }
  const missing = yKeys.filter((k) => !panel.series.has(k));
  if (missing.length > 0) notes.push(`series not found: ${missing.join(', ')}`);
  const curves: Curve[] = yKeys
    .filter((k) => panel.series.has(k))
    .map((k) => ({ name: k, values: panel.series.get(k)!, ...bandOf(k), role: isBoundKey(k) ? ('bound' as const) : ('measured' as const) }));
  const title = hint.title ?? `${entry.claimId} · ${entry.check}${panel.name ? ` · ${panel.name}` : ''} — ${KIND_LABEL[kind]}`;
  const yLabel = hint.yLabel ?? (curves.length === 1 ? (kind === 'bound-vs-measured' ? 'measured (lhs)' : curves[0].name) : 'value');
  const defaultY: ScaleRequest = kind === 'spectrum' ? 'log' : kind === 'density' ? 'linear' : 'auto';
  const defaultX: ScaleRequest = kind === 'ratio-vs-scale' || kind === 'bound-vs-measured' ? 'auto' : 'linear';
  const integerX = kind === 'per-generation' || kind === 'spectrum' || xKey === 'case';
  return buildChart({
    kind,
    title,
    x: { label: xLabel, values: xValues, scale: hint.xScale ?? (kind === 'bound-vs-measured' ? hint.yScale ?? defaultX : defaultX), integer: integerX && !hint.xScale },
    y: { label: yLabel, scale: hint.yScale ?? defaultY },
    curves,
    notes,
  });
}

/** Every chart of an entry: one per hint (hints name panels), plus one per panel without a hint. */
export function chartsForEntry(entry: LedgerEntry): Chart[] {
  if (!entry.series || Object.keys(entry.series).length === 0) return [];
  const panels = panelsOf(entry.series);
  const byName = new Map(panels.map((p) => [p.name, p]));
  const charts: Chart[] = [];
  const hinted = new Set<string>();
  for (const hint of entry.plots ?? []) {
    const name = hint.panel ?? '';
    const panel = byName.get(name);
    if (!panel) continue; // reported by hintProblems()
    hinted.add(name);
    charts.push(chartForPanel(entry, panel, hint));
  }
  for (const p of panels) if (!hinted.has(p.name)) charts.push(chartForPanel(entry, p));
  return charts;
}

/** Hints that name a panel absent from `series` (shown in the report as notes). */
export function hintProblems(entry: LedgerEntry): string[] {
  if (!entry.plots || entry.plots.length === 0) return [];
  const names = new Set(entry.series ? panelsOf(entry.series).map((p) => p.name) : []);
  return entry.plots.filter((h) => !names.has(h.panel ?? '')).map((h) => `plot hint for panel "${h.panel ?? ''}" has no series (keys "${h.panel ? h.panel + '/…' : '…'}")`);
}

// ---------- rendering ----------

/**
 * Renumber every element id of an SVG as `<prefix>-<k>` (k in order of first appearance) and
 * rewrite its references (`url(#id)`, `href="#id"`): vega numbers clip paths from a process-global
 * counter, which would make bytes depend on what was rendered before and collide when inlined.
 */
export function normalizeSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alt = [...ids.keys()].map(esc).join('|');
  return svg
    .replace(new RegExp(`\\bid="(${alt})"`, 'g'), (_m, id: string) => `id="${ids.get(id)}"`)
    .replace(new RegExp(`url\\(#(${alt})\\)`, 'g'), (_m, id: string) => `url(#${ids.get(id)})`)
    .replace(new RegExp(`href="#(${alt})"`, 'g'), (_m, id: string) => `href="#${ids.get(id)}"`);
}

/** Render a vega-lite spec to an SVG string headless (no canvas, no network: data must be inline). */
export async function renderSvg(spec: vl.TopLevelSpec, idPrefix = 'plot'): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return normalizeSvgIds(svg, idPrefix) + (svg.endsWith('\n') ? '' : '\n');
  } finally {
    view.finalize();
  }
}

// ---------- overview ----------

/** Decades of |margin| shown logarithmically in the overview (below: linear around 0). */
export const SYMLOG_DECADES = 6;

/** Verdict colours shared by the plots and the HTML page. */
export const VERDICT_COLOURS: Readonly<Record<string, string>> = {
  holds: '#2a8a3e',
  fails: '#c23b22',
  'fails-as-stated': '#d9822b',
  inconclusive: '#5b6770',
  weak: '#c9a400',
  'not-yet-checked': '#a0a4a8',
};

/**
 * Worst margin of every check (horizontal bars on a symlog axis: negative ⇒ violation established),
 * coloured by verdict. Checks with a null or non-finite margin are omitted and counted in the subtitle.
 */
export function marginOverviewChart(entries: readonly Pick<LedgerEntry, 'claimId' | 'check' | 'verdict' | 'worstMargin'>[]): Chart {
  const rows: { label: string; margin: number; verdict: string }[] = [];
  let none = 0;
  const nonFinite: Omitted = { missing: 0, posInf: 0, negInf: 0, nan: 0, nonPositiveX: 0, nonPositiveY: 0, bandDropped: 0 };
  const seen = new Map<string, number>();
  for (const e of entries) {
    const m = asNumber(e.worstMargin);
    let label = `${e.claimId} · ${e.check}`;
    const k = (seen.get(label) ?? 0) + 1;
    seen.set(label, k);
    if (k > 1) label += ` (${k})`;
    if (m === null) none++;
    else if (!Number.isFinite(m)) countNonFinite(m, nonFinite);
    else rows.push({ label, margin: m, verdict: e.verdict });
  }
  const notes = omittedNotes(nonFinite);
  if (none > 0) notes.push(`${plural(none, 'check', 'checks')} without a margin omitted`);
  notes.push('symmetric-log axis; a negative margin establishes a violation');
  const verdicts = Object.keys(VERDICT_COLOURS);
  // symlog is linear for |x| < constant: put the switch SYMLOG_DECADES below the largest |margin| so
  // margins over that many decades stay distinguishable (default constant 1 would make |m| ≪ 1 linear)
  const maxAbs = rows.reduce((m, r) => Math.max(m, Math.abs(r.margin)), 0);
  const constant = maxAbs > 0 ? maxAbs * 10 ** -SYMLOG_DECADES : 1;
  // ticks at ±10^k every other decade (vega's own symlog ticks bunch up), plus 0
  const ticks: number[] = [0];
  if (maxAbs > 0) {
    const top = Math.ceil(Math.log10(maxAbs));
    const hasNeg = rows.some((r) => r.margin < 0);
    const hasPos = rows.some((r) => r.margin > 0);
    for (let k = top; k >= top - SYMLOG_DECADES; k -= 2) {
      if (hasPos) ticks.push(10 ** k);
      if (hasNeg) ticks.push(-(10 ** k));
    }
    ticks.sort((a, b) => a - b);
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    width: DEFAULT_WIDTH,
    height: { step: 18 },
    background: 'white',
    padding: 8,
    title: { text: 'Worst margin per check', anchor: 'start', fontSize: 14, subtitle: notes, subtitleColor: '#8a4b00', subtitleFontSize: 11 },
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', height: { band: 0.7 } }, encoding: {
        y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } },
        x: { field: 'margin', type: 'quantitative', title: 'worst margin (rhs − lhs − error bound)', scale: { type: 'symlog', constant }, axis: { values: ticks, labelExpr: "datum.value === 0 ? '0' : format(datum.value, '~e')", labelAngle: -30, labelAlign: 'right', labelFlush: false } },
        color: { field: 'verdict', type: 'nominal', title: null, scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_COLOURS[v]) }, legend: { orient: 'bottom', direction: 'horizontal' } },
      } },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, view: { stroke: '#ccc' } },
  } as unknown as vl.TopLevelSpec;
  return { kind: 'series', title: 'Worst margin per check', spec, notes, xScale: 'linear', yScale: 'linear', points: rows.length };
}
