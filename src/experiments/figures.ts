/**
 * Figure specs of the experiment reports that the ledger's plot kinds do not cover: faceted 2-D
 * scatter plots (P1-E1's PCA scatter, P1 Fig. 1), a heat map (P1-E1's contribution matrix, P1
 * Fig. 5), and grids of 8×8 grey-scale images drawn as SVG rectangles (P1-E3's sample grids).
 * Line charts use src/report/plots.ts `perGenerationChart` / `spectrumChart` directly.
 * Non-finite values are dropped from the vega-lite data (and counted in the subtitle).
 */
import type * as vl from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  /** facet row and column labels */
  readonly row: string;
  readonly col: string;
}

/** Small-multiple scatter: one panel per (row, col), shared axes. */
export function facetScatterSpec(title: string, points: readonly ScatterPoint[], labels: { x: string; y: string; row: string; col: string }): vl.TopLevelSpec {
  const values = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const dropped = points.length - values.length;
  return {
    $schema: SCHEMA,
    background: 'white',
    title: { text: title, anchor: 'start', ...(dropped ? { subtitle: `${dropped} non-finite points omitted` } : {}) },
    data: { values: values.map((p) => ({ ...p })) },
    mark: { type: 'point', filled: true, size: 6, opacity: 0.45 },
    width: 120,
    height: 120,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: labels.x, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: labels.y, scale: { zero: false } },
      row: { field: 'row', type: 'nominal', title: labels.row },
      column: { field: 'col', type: 'nominal', title: labels.col, sort: null },
      color: { value: '#1f5fa8' },
    },
  } as unknown as vl.TopLevelSpec;
}

export interface HeatCell {
  readonly x: number;
  readonly y: number;
  readonly value: number;
  readonly panel: string;
}

/** Heat map per panel (x, y integer grid), log colour scale when every value is positive. */
export function heatmapSpec(title: string, cells: readonly HeatCell[], labels: { x: string; y: string; value: string; panel: string }): vl.TopLevelSpec {
  const values = cells.filter((c) => Number.isFinite(c.value));
  const log = values.length > 0 && values.every((c) => c.value > 0);
  return {
    $schema: SCHEMA,
    background: 'white',
    title: { text: title, anchor: 'start' },
    data: { values: values.map((c) => ({ ...c })) },
    mark: 'rect',
    width: 200,
    height: 200,
    encoding: {
      x: { field: 'x', type: 'ordinal', title: labels.x },
      y: { field: 'y', type: 'ordinal', title: labels.y, sort: 'descending' },
      color: { field: 'value', type: 'quantitative', title: labels.value, scale: { type: log ? 'log' : 'linear', scheme: 'viridis' } },
      column: { field: 'panel', type: 'nominal', title: labels.panel },
    },
  } as unknown as vl.TopLevelSpec;
}

/**
 * Grid of 8×8 images as an SVG: rows of images (each row one label, e.g. one generation), pixel
 * values clamped to [lo, hi] and mapped to grey (lo white, hi black, as optdigits' ink).
 */
export function imageGridSvg(title: string, rows: readonly { readonly label: string; readonly images: readonly Float64Array[] }[], opts: { side?: number; lo?: number; hi?: number; cell?: number } = {}): string {
  const side = opts.side ?? 8;
  const lo = opts.lo ?? -1;
  const hi = opts.hi ?? 1;
  const cell = opts.cell ?? 4;
  const gap = 4;
  const labelW = 110;
  const img = side * cell;
  const cols = Math.max(1, ...rows.map((r) => r.images.length));
  const width = labelW + cols * (img + gap) + gap;
  const height = 28 + rows.length * (img + gap) + gap;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`, `<rect width="${width}" height="${height}" fill="white"/>`, `<text x="4" y="16" font-family="Helvetica, Arial, sans-serif" font-size="13" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((row, r) => {
    const y0 = 28 + r * (img + gap);
    parts.push(`<text x="4" y="${y0 + img / 2 + 4}" font-family="Helvetica, Arial, sans-serif" font-size="11">${esc(row.label)}</text>`);
    row.images.forEach((im, c) => {
      const x0 = labelW + c * (img + gap);
      for (let p = 0; p < side * side; p++) {
        const v = Math.min(1, Math.max(0, (im[p]! - lo) / (hi - lo)));
        const g = Math.round(255 * (1 - v));
        if (g === 255) continue;
        parts.push(`<rect x="${x0 + (p % side) * cell}" y="${y0 + Math.floor(p / side) * cell}" width="${cell}" height="${cell}" fill="rgb(${g},${g},${g})"/>`);
      }
      parts.push(`<rect x="${x0}" y="${y0}" width="${img}" height="${img}" fill="none" stroke="#bbb" stroke-width="0.5"/>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Bars with error bars (value ± err) per category, plus optional reference ranges drawn as ticks. */
export function barSpec(title: string, bars: readonly { readonly label: string; readonly value: number; readonly err: number; readonly group: string }[], yLabel: string): vl.TopLevelSpec {
  const values = bars.filter((b) => Number.isFinite(b.value)).map((b) => ({ ...b, lo: b.value - b.err, hi: b.value + b.err }));
  return {
    $schema: SCHEMA,
    background: 'white',
    title: { text: title, anchor: 'start' },
    data: { values },
    width: 360,
    height: 220,
    layer: [
      { mark: { type: 'bar', opacity: 0.85 }, encoding: { x: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } }, y: { field: 'value', type: 'quantitative', title: yLabel }, color: { field: 'group', type: 'nominal', title: null } } },
      { mark: { type: 'rule' }, encoding: { x: { field: 'label', type: 'nominal', sort: null }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
    ],
  } as unknown as vl.TopLevelSpec;
}
