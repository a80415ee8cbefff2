/**
 * One experiment's report section: markdown (parameters, seeds, wall time, verdict on the paper's
 * qualitative statement, deviations from the paper's protocol, tables) plus SVG figures, written as
 * `<dir>/<id>.md`, `<dir>/<id>-<figure>.svg` and `<dir>/<id>.json` (the numbers, non-finite values
 * as strings). Charts are vega-lite specs rendered by the report's own helper (src/report/plots.ts
 * `renderSvg`); hand-drawn SVGs (image grids) are passed as strings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vl from 'vega-lite';
import { renderSvg } from '../report/plots.ts';
import { toJson } from '../numerics/json.ts';

/** Verdict of an experiment on the paper's qualitative statement. */
export type ExperimentVerdict = 'holds' | 'fails' | 'inconclusive' | 'partial-run';

export interface Figure {
  readonly name: string;
  readonly caption: string;
  /** a vega-lite spec (rendered here) or a ready SVG string */
  readonly spec?: vl.TopLevelSpec;
  readonly svg?: string;
}

export interface Table {
  readonly caption: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly claim: string;
  readonly verdict: ExperimentVerdict;
  readonly verdictReasons: readonly string[];
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly seeds: Readonly<Record<string, unknown>>;
  readonly wallSeconds: number;
  readonly completed: boolean;
  readonly deviations: readonly string[];
  readonly notes: readonly string[];
  readonly tables: readonly Table[];
  readonly figures: readonly Figure[];
  /** every number of the run, for --json and the .json file */
  readonly data: unknown;
}

/** +∞ shown as +∞, NaN as NaN, others to `digits` significant digits. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (v === Infinity) return '+∞';
  if (v === -Infinity) return '−∞';
  if (Number.isNaN(v)) return 'NaN';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** mean ± sd as text (sd omitted for one value). */
export function fmtSpread(values: readonly number[], digits = 4): string {
  if (values.length === 0) return '—';
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1 || !Number.isFinite(m)) return fmt(m, digits);
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  return `${fmt(m, digits)} ± ${fmt(sd, 2)}`;
}

function markdownTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`**${t.caption}**`, '', `| ${t.header.map(esc).join(' | ')} |`, `|${t.header.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** The section's markdown (figures linked as `<id>-<name>.svg`). */
export function sectionMarkdown(s: ReportSection): string {
  const lines: string[] = [];
  lines.push(`## ${s.id}: ${s.title}`, '');
  lines.push(`**Paper's statement.** ${s.claim}`, '');
  lines.push(`**Verdict: ${s.verdict}.**${s.completed ? '' : ' (run interrupted: what is shown is what was completed)'}`, '');
  for (const r of s.verdictReasons) lines.push(`- ${r}`);
  lines.push('', `Wall time: ${s.wallSeconds.toFixed(1)} s.`, '');
  lines.push('**Parameters.**', '', '```json', toJson(s.parameters), '```', '');
  lines.push('**Seeds.**', '', '```json', toJson(s.seeds), '```', '');
  lines.push('**Deviations from the paper\'s protocol.**', '');
  for (const d of s.deviations) lines.push(`- ${d}`);
  lines.push('');
  if (s.notes.length) {
    lines.push('**Notes.**', '');
    for (const n of s.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  for (const t of s.tables) lines.push(markdownTable(t), '');
  for (const f of s.figures) lines.push(`![${f.caption}](${s.id}-${f.name}.svg)`, '', `*${f.caption}*`, '');
  return lines.join('\n');
}

/** Writes `<id>.md`, the SVG figures and `<id>.json` into dir; returns the written paths. */
export async function writeSection(dir: string, s: ReportSection): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of s.figures) {
    const svg = f.svg ?? (f.spec ? await renderSvg(f.spec, `${s.id}-${f.name}`) : null);
    if (svg === null) continue;
    const p = join(dir, `${s.id}-${f.name}.svg`);
    writeFileSync(p, svg);
    written.push(p);
  }
  const md = join(dir, `${s.id}.md`);
  writeFileSync(md, sectionMarkdown(s) + '\n');
  written.push(md);
  const js = join(dir, `${s.id}.json`);
  const { figures, ...rest } = s;
  writeFileSync(js, toJson({ ...rest, figures: figures.map((f) => ({ name: f.name, caption: f.caption })) }) + '\n');
  written.push(js);
  return written;
}

/** Wall-clock seconds since `start` (process.hrtime.bigint()). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
