/**
 * The boundary map as a vega-lite chart (rendered headless to SVG by src/report/plots.ts
 * `renderSvg`): cells as rectangles coloured by relative margin on a diverging scale fixed to
 * [−1, 0, 1] (red = violated side, white = margin 0, blue = slack), a cross on every cell whose
 * violation is established beyond its error bound, and each assumption boundary as black segments
 * (dash pattern per assumption). Log axes for log parameters (all their values are > 0 by the
 * space's construction). Cells whose evaluation failed are left blank and counted in the subtitle.
 */
import type * as vl from 'vega-lite';
import { renderSvg } from '../report/plots.ts';
import type { BoundaryMap } from './boundary-map.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function boundaryMapSpec(map: BoundaryMap): vl.TopLevelSpec {
  const rows = map.cells.filter((c) => c.relativeMargin !== null).map((c) => ({ x0: c.x0, x1: c.x1, y0: c.y0, y1: c.y1, x: c.x, y: c.y, rm: c.relativeMargin, violated: c.violated }));
  const failed = map.cells.length - rows.length;
  const segs = map.boundaries.map((b) => ({ ...b, assumption: `${b.assumption}: ${map.assumptionLabels[b.assumption] ?? ''}` }));
  const xDomain = [Math.min(...map.cells.map((c) => c.x0)), Math.max(...map.cells.map((c) => c.x1))];
  const yDomain = [Math.min(...map.cells.map((c) => c.y0)), Math.max(...map.cells.map((c) => c.y1))];
  const xs = { type: map.x.log ? 'log' : 'linear', domain: xDomain, nice: false, zero: false } as const;
  const ys = { type: map.y.log ? 'log' : 'linear', domain: yDomain, nice: false, zero: false } as const;
  const subtitle = [
    map.note,
    `colour: relative margin of "${map.comparison}" (< 0 red: violated; × = violation beyond the error bound)`,
    `${map.violatedCells} of ${map.cells.length} cells violated${failed > 0 ? `; ${failed} cells not evaluable (blank)` : ''}${segs.length === 0 ? '; no assumption boundary crosses this plane' : ''}`,
  ];
  return {
    $schema: SCHEMA,
    title: { text: `${map.claim}: ${map.title}`, subtitle, anchor: 'start' },
    width: 440,
    height: 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'x0', type: 'quantitative', scale: xs, title: map.x.label },
          x2: { field: 'x1' },
          y: { field: 'y0', type: 'quantitative', scale: ys, title: map.y.label },
          y2: { field: 'y1' },
          color: { field: 'rm', type: 'quantitative', scale: { domain: [-1, 0, 1], range: ['#c23b22', '#f7f7f7', '#2a6fb0'] }, title: 'relative margin' },
        },
      },
      {
        data: { values: rows.filter((r) => r.violated) },
        mark: { type: 'point', shape: 'cross', size: 30, color: '#3a0a00', filled: true },
        encoding: { x: { field: 'x', type: 'quantitative', scale: xs }, y: { field: 'y', type: 'quantitative', scale: ys } },
      },
      {
        data: { values: segs },
        mark: { type: 'rule', strokeWidth: 2.5, color: 'black' },
        encoding: {
          x: { field: 'x0', type: 'quantitative', scale: xs },
          x2: { field: 'x1' },
          y: { field: 'y0', type: 'quantitative', scale: ys },
          y2: { field: 'y1' },
          strokeDash: { field: 'assumption', type: 'nominal', title: 'assumption boundary', legend: { orient: 'bottom', labelLimit: 600 } },
        },
      },
    ],
  } as vl.TopLevelSpec;
}

export async function boundaryMapSvg(map: BoundaryMap): Promise<string> {
  return renderSvg(boundaryMapSpec(map), `fuzz-${map.claim.replace(/[^A-Za-z0-9]+/g, '-')}`);
}
