/**
 * Report renderer: `renderReport(ledger, run, outDir)` writes `report.md`, `plots/*.svg` and
 * `index.html` (self-contained: inline CSS and script, plots referenced relatively, a CSP that
 * forbids network loads). `ledger.json` / `run.json` are written by the caller (verify).
 *
 * Every number shown comes from the ledger (or the run info): summary tables use a compact
 * 4-significant-digit form (worst margins through src/numerics/text.ts `formatMargin`: a positive
 * margin below 2⁻¹⁰²², an exact check's underflow allowance, shows as `≈0`), the per-check evidence tables the exact shortest round-trip form
 * (`String(x)`; non-finite as `+Infinity`, `-Infinity`, `NaN`). Output is a pure function of
 * (ledger, run, claim catalogue): no clock, no random ids, so the same inputs give the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Counterexample, Ledger, LedgerEntry, Verdict } from '../verdict/types.ts';
import { DEFAULT_REPLAY_TEMPLATE, type RunInfo } from './run-info.ts';
import { asNumber, chartsForEntry, hintProblems, renderSvg, VERDICT_COLOURS, type Chart } from './plots.ts';
import { EMPTY_CLAIMS, catalogueClaims, type ClaimInfo, type ClaimLookup } from './claims.ts';
import { jsonReplacer, nonFiniteReviver } from '../numerics/json.ts';
import { formatMargin, MARGIN_LEGEND, UNDERFLOW_MARGIN } from '../numerics/text.ts';
import { describeUnexpected, pendingUnchecked, unexpectedVerdicts, type UnexpectedVerdict } from '../ledger/judgement.ts';

export type { RunInfo } from './run-info.ts';

export interface RenderOptions {
  /** claim metadata; default: the claim catalogue (src/claims/catalogue.ts); `null`: ids only */
  readonly claims?: ClaimLookup | null;
  /** saved fuzzer counterexamples per claim id (shown in the claim's section; `collapse-check fuzz`) */
  readonly counterexamples?: Readonly<Record<string, readonly SavedCounterexample[]>>;
}

/** One saved counterexample fixture, as the report shows it (fixtures/counterexamples/…). */
export interface SavedCounterexample {
  /** project-relative fixture path */
  readonly file: string;
  /** "none" (inside the stated assumptions: a counterexample to the claim as stated) or the broken assumptions */
  readonly attribution: string;
  readonly label: string;
  readonly lhs: number;
  readonly rhs: number;
}

const SAVED_HEAD = ['fixture', 'assumption broken', 'violated comparison', 'lhs', 'rhs'] as const;

function savedRows(list: readonly SavedCounterexample[]): string[][] {
  return list.map((c) => [c.file, c.attribution === 'none' ? 'none (inside the stated assumptions)' : c.attribution, c.label, formatCompact(c.lhs), formatCompact(c.rhs)]);
}

/** Verdict display order (summary counts). */
export const VERDICT_ORDER: readonly Verdict[] = ['fails', 'inconclusive', 'weak', 'fails-as-stated', 'holds', 'not-yet-checked'];

// ---------- number formatting ----------

/** Exact form: shortest round-trip decimal; `+Infinity`, `-Infinity`, `NaN`; null ⇒ `—`. */
export function formatExact(v: unknown): string {
  if (typeof v === 'string') {
    const n = asNumber(v);
    if (n !== null && !Number.isFinite(n)) return formatExact(n);
    return v;
  }
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** Compact form: integers as is (|x| < 1e6), else 4 significant digits (exponent form outside [1e-3, 1e4)). */
export function formatCompact(v: unknown): string {
  const n = typeof v === 'string' ? asNumber(v) : v;
  if (typeof n !== 'number') return v === null || v === undefined ? '—' : String(v);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+∞';
  if (n === -Infinity) return '−∞';
  if (n === 0) return '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  const a = Math.abs(n);
  if (a >= 1e4 || a < 1e-3) {
    const [mant, exp] = n.toExponential(3).split('e');
    return `${mant.replace(/\.?0+$/, '')}e${exp.replace('+', '')}`;
  }
  return n.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Longest check-name part of plot file names and anchors. */
const MAX_SLUG = 40;

const NOT_CHECKED = 'No check for this claim yet: it is registered, and not counted as passing.';

// ---------- small helpers ----------

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${head.map(mdCell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map(mdCell).join(' | ')} |`);
  return lines.join('\n');
}

function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** JSON with non-finite numbers as strings (as ledger.json has them), capped in length. */
function jsonBlock(v: unknown, max = 4000): string {
  // same encoding as ledger.json (src/numerics/json.ts), so a ledger read back from JSON renders the same bytes
  const s = JSON.stringify(v, jsonReplacer, 2) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters: see ledger.json)` : s;
}

/** The replay command of a counterexample (template of RunInfo.replayTemplate). */
export function replayCommand(entry: LedgerEntry, cx: Counterexample, run: RunInfo): string {
  const tpl = run.replayTemplate ?? DEFAULT_REPLAY_TEMPLATE;
  const vals: Record<string, string> = { seed: String(cx.seed), claimId: entry.claimId, check: entry.check, path: cx.path ?? entry.replayPath ?? '' };
  return tpl.replace(/\{(seed|claimId|check|path)\}/g, (_m, k: string) => vals[k]);
}

/** Command replaying the whole run: the run's own command line under its seed. */
export function runReplayCommand(ledger: Ledger, run: RunInfo): string {
  const seed = formatExact(ledger.seed);
  const cmd = run.commandLine.startsWith('collapse-check ') ? run.commandLine.replace(/\s--seed[ =]\S+/g, '') : `collapse-check verify --tier ${ledger.tier}`;
  return `COLLAPSE_SEED=${seed} npx ${cmd}`;
}

/** A second replay route through vitest when the registry names the claim's property files. */
export function vitestReplayCommand(cx: Counterexample, info: ClaimInfo | undefined): string | null {
  const files = info?.properties?.filter((f) => f.endsWith('.ts')) ?? [];
  return files.length > 0 ? `COLLAPSE_SEED=${cx.seed} npx vitest run ${files.join(' ')}` : null;
}

/** The build outcome implied by the ledger: verify's exit rule (src/ledger/judgement.ts); a shard run judges its entries only. */
export function unexpectedOutcome(ledger: Ledger, run: Pick<RunInfo, 'shard'>): UnexpectedVerdict[] {
  return unexpectedVerdicts(ledger, { partial: Boolean(run.shard) });
}

// ---------- plan: which plots go where ----------

interface PlannedPlot {
  readonly file: string; // relative to outDir, e.g. plots/P1-3.1__kl__1.svg
  readonly chart: Chart;
}

interface PlannedEntry {
  readonly entry: LedgerEntry;
  readonly index: number;
  readonly anchor: string;
  readonly plots: readonly PlannedPlot[];
  readonly plotProblems: readonly string[];
}

interface ClaimGroup {
  readonly claimId: string;
  readonly anchor: string;
  readonly info: ClaimInfo | undefined;
  readonly entries: PlannedEntry[];
}

function plan(ledger: Ledger, claims: ClaimLookup): { groups: ClaimGroup[]; all: PlannedEntry[]; overview: PlannedPlot | null } {
  const groups = new Map<string, ClaimGroup>();
  const usedFiles = new Set<string>();
  const usedAnchors = new Set<string>();
  const unique = (base: string, used: Set<string>) => {
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    return name;
  };
  const all: PlannedEntry[] = [];
  ledger.entries.forEach((entry, index) => {
    // check names can be sentences: keep file names and anchors short (uniqueness by suffix)
    const base = `${slug(entry.claimId)}__${slug(entry.check).slice(0, MAX_SLUG).replace(/-+$/, '')}`;
    const charts = chartsForEntry(entry);
    const plots = charts.map((chart, k) => ({ file: `plots/${unique(`${base}__${k + 1}`, usedFiles)}.svg`, chart }));
    const planned: PlannedEntry = { entry, index, anchor: unique(`check-${base}`, usedAnchors), plots, plotProblems: hintProblems(entry) };
    all.push(planned);
    let g = groups.get(entry.claimId);
    if (!g) {
      g = { claimId: entry.claimId, anchor: unique(`claim-${slug(entry.claimId)}`, usedAnchors), info: claims.claims.get(entry.claimId), entries: [] };
      groups.set(entry.claimId, g);
    }
    g.entries.push(planned);
  });
  // (a worst-margin overview chart exists in plots.ts but margins of different claims are in
  // different units: the summary table shows them instead)
  const overview: PlannedPlot | null = null;
  return { groups: [...groups.values()], all, overview };
}

// ---------- evidence rows (shared by markdown and HTML) ----------

function evidenceRows(e: LedgerEntry): [string, string][] {
  return [
    ['verdict', e.verdict],
    ['expected', e.expected],
    ['cases', formatExact(e.cases)],
    ['n (samples per case)', formatExact(e.n)],
    ['worst margin', formatExact(e.worstMargin)],
    ['δ (false-failure probability spent)', formatExact(e.delta)],
    ['power (min. detectable violation, prob. ≥ 0.99)', e.power !== null ? formatExact(e.power) : e.verdict === 'not-yet-checked' ? '—' : '— (exact check)'],
    ['seed', formatExact(e.seed)],
    ['replay path', e.replayPath ?? '—'],
  ];
}

function comparisonRows(c: NonNullable<Counterexample['comparison']>): [string, string][] {
  return [
    ['label', c.label],
    ['lhs', formatExact(c.lhs)],
    ['rhs', formatExact(c.rhs)],
    ['error bound', formatExact(c.errorBound)],
    ['margin', formatExact(c.margin)],
    ['method', c.method],
    ['δ', formatExact(c.delta)],
  ];
}

function summaryRow(e: LedgerEntry): string[] {
  const power = e.power !== null ? formatCompact(e.power) : e.verdict === 'not-yet-checked' ? '—' : 'exact';
  return [e.claimId, e.check, e.verdict, e.expected, formatCompact(e.cases), formatMargin(e.worstMargin), power, formatCompact(e.delta)];
}

const SUMMARY_HEAD = ['claim', 'check', 'verdict', 'expected', 'cases', 'worst margin', 'power', 'δ'];

/** Some worst margin prints as `≈0` (then the tables get the margin legend). */
function hasUnderflowMargin(ledger: Ledger): boolean {
  return ledger.entries.some((e) => formatMargin(e.worstMargin) === UNDERFLOW_MARGIN);
}

function verdictCounts(ledger: Ledger): [Verdict, number][] {
  return VERDICT_ORDER.map((v) => [v, ledger.entries.filter((e) => e.verdict === v).length] as [Verdict, number]).filter(([, n]) => n > 0);
}

function outcomeLine(ledger: Ledger, run: RunInfo): string {
  const bad = unexpectedOutcome(ledger, run);
  const pending = pendingUnchecked(ledger);
  const pend = pending.length ? `; pending, not yet checked: ${pending.join(', ')}` : '';
  return bad.length === 0
    ? `PASS: every verdict is the expected one (${ledger.entries.length} checks${pend})`
    : `FAIL: ${bad.length} verdict${bad.length === 1 ? '' : 's'} differ${bad.length === 1 ? 's' : ''} from the expected one (${bad.map(describeUnexpected).join('; ')})${pend}`;
}

function runRows(ledger: Ledger, run: RunInfo): [string, string][] {
  const rows: [string, string][] = [
    ['seed', `${formatExact(ledger.seed)}${run.seed !== ledger.seed ? ` (run.json says ${formatExact(run.seed)})` : ''}`],
    ['commit', `${run.commit}${run.dirty ? ' (uncommitted changes)' : ''}`],
    ['tier', `${ledger.tier}${run.tier !== ledger.tier ? ` (run.json says ${run.tier})` : ''}`],
    ['false-alarm budget', `${formatExact(ledger.budget)} (suite-wide${run.budget.total !== ledger.budget ? `; run.json says ${formatExact(run.budget.total)}` : ''})`],
    ['command', run.commandLine],
    ['started', run.startedAt],
    ['finished', run.finishedAt],
    ['wall time', `${formatExact(run.wallSeconds)} s`],
    ['node', run.nodeVersion],
    ['machine', `${run.machine.cpus} × ${run.machine.model}${run.machine.platform ? ` (${run.machine.platform})` : ''}`],
  ];
  if (run.shard) rows.push(['shard', run.shard]);
  return rows;
}

function claimMetaRows(g: ClaimGroup): [string, string][] {
  const i = g.info;
  const rows: [string, string][] = [];
  if (i?.source) rows.push(['source', i.source]);
  if (i?.expected) rows.push(['expected', i.expected]);
  if (i?.assumptions?.length) rows.push(['assumptions', i.assumptions.join('; ')]);
  if (i?.oracle) rows.push(['oracle', i.oracle]);
  if (i?.oracleRefs?.length) rows.push(['oracle code', i.oracleRefs.join(', ')]);
  if (i?.pending) rows.push(['status', 'pending: checks being written (not-yet-checked does not fail the run)']);
  if (i?.properties?.length) rows.push(['property files', i.properties.join(', ')]);
  return rows;
}

// ---------- markdown ----------

const CLAIMS_HEAD = ['claim', 'verdict', 'expected', 'checks', 'cases', 'statement'] as const;

/** One row per registered claim (ledger.claims), including claims with no check: `not-yet-checked`, never passing. */
function claimRows(ledger: Ledger): string[][] {
  return (ledger.claims ?? []).map((c) => [c.id, c.verdict, c.expected, String(c.checks), String(c.cases), c.title || c.statement]);
}

function renderMarkdown(ledger: Ledger, run: RunInfo, p: ReturnType<typeof plan>, claims: ClaimLookup, saved: RenderOptions['counterexamples'] = {}): string {
  const out: string[] = [];
  out.push(`# collapse-check report — seed ${formatExact(ledger.seed)}, commit ${run.commit.slice(0, 12)}`, '');
  out.push(`**${outcomeLine(ledger, run)}.** False-alarm budget ${formatCompact(ledger.budget)} for the whole run (seed ${formatExact(ledger.seed)}).`, '');
  out.push(mdTable(['run', ''], runRows(ledger, run)), '');
  out.push(`Replay the whole run: \`${runReplayCommand(ledger, run)}\``, '');
  if (claims.warning) out.push(`> Note: ${claims.warning}`, '');
  const claimTable = claimRows(ledger);
  if (claimTable.length > 0) {
    out.push('## Claims', '');
    out.push(mdTable(CLAIMS_HEAD, claimTable.map((r) => r.map((c, k) => (k === 1 ? `**${c}**` : c)))), '');
  }
  out.push('## Summary', '');
  out.push(verdictCounts(ledger).map(([v, n]) => `${v}: ${n}`).join(' · ') || 'no checks', '');
  out.push(mdTable(SUMMARY_HEAD, p.all.map((pe) => summaryRow(pe.entry).map((c, k) => (k === 1 ? `[${c}](#${pe.anchor})` : k === 2 ? `**${c}**` : c)))), '');
  if (hasUnderflowMargin(ledger)) out.push(`*${MARGIN_LEGEND}.*`, '');
  if (p.overview) out.push(`![${p.overview.chart.title}](${p.overview.file})`, '');
  if (run.budget.split.length > 0) {
    out.push('### False-alarm budget split', '');
    out.push(mdTable(['share', 'δ', 'note'], run.budget.split.map((s) => [s.label, formatCompact(s.delta), s.note ?? ''])), '');
  }
  for (const g of p.groups) {
    out.push(`## ${g.claimId}${g.info?.title ? ` — ${g.info.title}` : ''}`, '');
    out.push(g.info?.statement ? `**Statement.** ${g.info.statement}` : `**Statement.** (not in the claim catalogue: claim id only)`, '');
    const meta = claimMetaRows(g);
    if (meta.length > 0) out.push(meta.map(([k, v]) => `- **${k}:** ${v}`).join('\n'), '');
    const fx = saved?.[g.claimId] ?? [];
    if (fx.length > 0) out.push(`**Fuzzer counterexamples** (saved fixtures, replayed by the default tier; \`collapse-check fuzz --claim ${g.claimId}\`):`, '', mdTable(SAVED_HEAD, savedRows(fx)), '');
    for (const pe of g.entries) {
      const e = pe.entry;
      out.push(`<a id="${pe.anchor}"></a>`, '', `### ${e.claimId} · check \`${e.check}\` — **${e.verdict}**`, '');
      if (e.verdict !== e.expected && e.verdict !== 'not-yet-checked') out.push(`> **Unexpected verdict**: this check is expected to give ${e.expected}.`, '');
      if (e.verdict === 'not-yet-checked') out.push(`> ${NOT_CHECKED}`, '');
      out.push(mdTable(['evidence', 'value'], evidenceRows(e)), '');
      const stats = Object.entries(e.statistics ?? {});
      if (stats.length > 0) out.push(mdTable(['statistic', 'value'], stats.map(([k, v]) => [k, formatExact(v)])), '');
      if (e.counterexample) {
        const cx = e.counterexample;
        out.push('#### Counterexample', '');
        out.push(cx.message ? `${cx.message}` : '(no message)', '');
        out.push(`fast-check seed \`${formatExact(cx.seed)}\`, path \`${cx.path ?? '—'}\`. Replay:`, '');
        const alt = vitestReplayCommand(cx, g.info);
        out.push('```sh', replayCommand(e, cx, run), ...(alt ? [alt] : []), '```', '');
        if (cx.comparison) out.push(mdTable(['comparison', 'value'], comparisonRows(cx.comparison)), '');
        out.push('Shrunk input:', '', '```json', jsonBlock(cx.input), '```', '');
      }
      if (e.notes?.length) out.push(e.notes.map((n) => `- ${n}`).join('\n'), '');
      for (const pl of pe.plots) {
        out.push(`![${pl.chart.title}](${pl.file})`, '');
        if (pl.chart.notes.length > 0) out.push(`*Plot notes: ${pl.chart.notes.join('; ')}.*`, '');
      }
      for (const prob of pe.plotProblems) out.push(`*Plot problem: ${prob}.*`, '');
    }
  }
  out.push('---', '', 'Raw data: `ledger.json` (byte-stable for a seed), `run.json` (timings, commit, machine).', '');
  return out.join('\n');
}

// ---------- HTML ----------

const CSS = `
:root{--fg:#1d232a;--muted:#5b6770;--line:#e1e4e8;--bg:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 32px 72px}
h1{font-size:26px;margin:0 0 6px}h2{font-size:21px;margin:36px 0 8px;padding-top:8px;border-top:2px solid var(--line)}
h3{font-size:17px;margin:22px 0 8px}h4{font-size:15px;margin:14px 0 6px}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:13px}
pre{background:#eef0f3;border-radius:6px;padding:10px 12px;overflow:auto;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse;margin:8px 0 14px;background:#fff;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num,table.summary td:nth-child(n+5){font-variant-numeric:tabular-nums;text-align:right}
table.summary tr:hover td{background:#f5f8ff}
.badge{display:inline-block;padding:0 9px;border-radius:10px;font-weight:600;font-size:13px;white-space:nowrap;color:#fff}
.outcome{display:inline-block;padding:6px 12px;border-radius:6px;font-weight:600;margin:8px 0}
.outcome.pass{background:#e3f4e7;color:#1a6b34}.outcome.fail{background:#fde3e0;color:#a3241a}
.check{background:#fff;border:1px solid var(--line);border-left:6px solid #ccc;border-radius:6px;padding:4px 18px 12px;margin:14px 0}
.statement{font-size:16px;background:#fff;border-left:4px solid #9aa5b1;padding:8px 14px;margin:6px 0 10px}
.meta{color:var(--muted);font-size:14px;margin:0 0 6px}
.unexpected{color:#a3241a;font-weight:700}
figure{margin:14px 0;padding:8px;background:#fff;border:1px solid var(--line);border-radius:6px;display:inline-block;max-width:100%}
figure img{display:block;max-width:100%;height:auto}
figcaption{font-size:13px;color:#8a4b00;margin-top:4px}
.tables{display:flex;flex-wrap:wrap;gap:0 18px;align-items:flex-start}
.warn{background:#fff6db;border:1px solid #f0d78c;padding:8px 12px;border-radius:6px}
nav.toc{font-size:14px;columns:3 220px;margin:6px 0 12px}
nav.toc a{text-decoration:none}
footer{margin-top:40px;color:var(--muted);font-size:13px}
`;

/**
 * Inline self-check for `npm run report:check`: records script errors, console.error calls, failed
 * resources and images that did not load (or have zero size) into `data-report-status` on <html>.
 */
const STATUS_SCRIPT = `(function(){
var errors=[],root=document.documentElement;root.setAttribute('data-report-status','pending');
window.addEventListener('error',function(e){var t=e.target;if(t&&t!==window&&t.tagName){errors.push('resource failed: '+(t.getAttribute('src')||t.getAttribute('href')||t.tagName));}else{errors.push('script error: '+(e.message||String(e.error)));}},true);
window.addEventListener('unhandledrejection',function(e){errors.push('unhandled rejection: '+String(e.reason));});
var ce=console.error;console.error=function(){errors.push('console.error: '+Array.prototype.map.call(arguments,String).join(' '));return ce.apply(console,arguments);};
window.addEventListener('load',function(){
var missing=[],imgs=document.images,i;
for(i=0;i<imgs.length;i++){var im=imgs[i];if(!im.complete||im.naturalWidth===0||im.naturalHeight===0)missing.push(im.getAttribute('src'));}
var svgs=document.querySelectorAll('body svg');
for(i=0;i<svgs.length;i++){var b=svgs[i].getBoundingClientRect();if(!svgs[i].firstElementChild||b.width===0||b.height===0)missing.push('inline svg #'+i);}
var expected=Number(root.getAttribute('data-expected-plots'))||0;
if(imgs.length+svgs.length<expected)missing.push('expected '+expected+' plots, found '+(imgs.length+svgs.length));
root.setAttribute('data-report-status',JSON.stringify({ok:errors.length===0&&missing.length===0,images:imgs.length,svgs:svgs.length,expectedPlots:expected,errors:errors,missing:missing,height:Math.ceil(root.scrollHeight)}));
});
})();`;

const CSP = "default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

function badge(v: string): string {
  return `<span class="badge" style="background:${VERDICT_COLOURS[v] ?? '#777'}">${esc(v)}</span>`;
}

function kvTable(rows: readonly [string, string][], head: [string, string], code = false): string {
  return htmlTable(head.map(esc), rows.map(([k, v]) => [esc(k), code ? `<code>${esc(v)}</code>` : esc(v)]));
}

function figure(pl: PlannedPlot): string {
  // the chart's own subtitle shows its notes; the alt text repeats them for screen readers
  const alt = [pl.chart.title, ...pl.chart.notes].join('. ');
  return `<figure><img src="${esc(pl.file)}" alt="${esc(alt)}" loading="eager"></figure>`;
}

function renderHtml(ledger: Ledger, run: RunInfo, p: ReturnType<typeof plan>, claims: ClaimLookup, saved: RenderOptions['counterexamples'] = {}): string {
  const nPlots = p.all.reduce((s, pe) => s + pe.plots.length, 0) + (p.overview ? 1 : 0);
  const bad = unexpectedOutcome(ledger, run);
  const b: string[] = [];
  b.push(`<h1>collapse-check report</h1>`);
  b.push(`<p class="meta">seed <code>${esc(formatExact(ledger.seed))}</code> · commit <code>${esc(run.commit.slice(0, 12))}</code> · tier ${esc(ledger.tier)} · false-alarm budget <code>${esc(formatCompact(ledger.budget))}</code></p>`);
  b.push(`<div class="outcome ${bad.length === 0 ? 'pass' : 'fail'}">${esc(outcomeLine(ledger, run))}</div>`);
  if (claims.warning) b.push(`<p class="warn">${esc(claims.warning)}</p>`);
  b.push(kvTable(runRows(ledger, run), ['run', '']));
  b.push(`<p>Replay the whole run: <code>${esc(runReplayCommand(ledger, run))}</code></p>`);
  const claimTable = claimRows(ledger);
  if (claimTable.length > 0) {
    b.push(`<h2>Claims</h2>`);
    b.push(htmlTable(CLAIMS_HEAD.map(esc), claimTable.map((r) => r.map((c, k) => (k === 1 ? badge(c) : esc(c))))));
  }
  b.push(`<h2>Summary</h2>`);
  b.push(`<p>${verdictCounts(ledger).map(([v, n]) => `${badge(v)} ${n}`).join(' &nbsp; ') || 'no checks'}</p>`);
  b.push(
    htmlTable(
      SUMMARY_HEAD.map(esc),
      p.all.map((pe) => {
        const e = pe.entry;
        const cells = summaryRow(e).map(esc);
        cells[1] = `<a href="#${esc(pe.anchor)}">${cells[1]}</a>`;
        cells[2] = badge(e.verdict) + (e.verdict !== e.expected && e.verdict !== 'not-yet-checked' ? ' <span class="unexpected">unexpected</span>' : '');
        cells[5] = `<span title="${esc(formatExact(e.worstMargin))}">${cells[5]}</span>`;
        return cells;
      }),
      'summary',
    ),
  );
  if (hasUnderflowMargin(ledger)) b.push(`<p class="meta">${esc(MARGIN_LEGEND)}.</p>`);
  if (p.overview) b.push(figure(p.overview));
  if (run.budget.split.length > 0) {
    b.push(`<h3>False-alarm budget split</h3>`);
    b.push(htmlTable(['share', 'δ', 'note'], run.budget.split.map((s) => [esc(s.label), `<code title="${esc(formatExact(s.delta))}">${esc(formatCompact(s.delta))}</code>`, esc(s.note ?? '')])));
  }
  b.push(`<nav class="toc">${p.groups.map((g) => `<div><a href="#${esc(g.anchor)}">${esc(g.claimId)}</a> ${g.entries.map((pe) => badge(pe.entry.verdict)).join(' ')}</div>`).join('')}</nav>`);
  for (const g of p.groups) {
    b.push(`<section id="${esc(g.anchor)}"><h2>${esc(g.claimId)}${g.info?.title ? ` — ${esc(g.info.title)}` : ''}</h2>`);
    b.push(`<div class="statement">${g.info?.statement ? esc(g.info.statement) : '<em>not in the claim catalogue: claim id only</em>'}</div>`);
    const meta = claimMetaRows(g);
    if (meta.length > 0) b.push(`<p class="meta">${meta.map(([k, v]) => `<strong>${esc(k)}:</strong> ${esc(v)}`).join(' · ')}</p>`);
    const fx = saved?.[g.claimId] ?? [];
    if (fx.length > 0) b.push(`<p class="meta"><strong>Fuzzer counterexamples</strong> (saved fixtures, replayed by the default tier)</p>${htmlTable([...SAVED_HEAD], savedRows(fx))}`);
    for (const pe of g.entries) {
      const e = pe.entry;
      b.push(`<div class="check" id="${esc(pe.anchor)}" style="border-left-color:${VERDICT_COLOURS[e.verdict] ?? '#ccc'}">`);
      b.push(`<h3>check <code>${esc(e.check)}</code> ${badge(e.verdict)}${e.verdict !== e.expected && e.verdict !== 'not-yet-checked' ? ` <span class="unexpected">unexpected: expected ${esc(e.expected)}</span>` : ''}</h3>`);
      if (e.verdict === 'not-yet-checked') b.push(`<p class="warn">${esc(NOT_CHECKED)}</p>`);
      const stats = Object.entries(e.statistics ?? {});
      b.push(`<div class="tables">${kvTable(evidenceRows(e), ['evidence', 'value'], true)}${stats.length > 0 ? kvTable(stats.map(([k, v]) => [k, formatExact(v)]), ['statistic', 'value'], true) : ''}</div>`);
      if (e.counterexample) {
        const cx = e.counterexample;
        b.push(`<h4>Counterexample</h4><p>${esc(cx.message || '(no message)')}</p>`);
        b.push(`<p>fast-check seed <code>${esc(formatExact(cx.seed))}</code>, path <code>${esc(cx.path ?? '—')}</code>. Replay:</p><pre>${esc([replayCommand(e, cx, run), vitestReplayCommand(cx, g.info)].filter((x) => x !== null).join('\n'))}</pre>`);
        if (cx.comparison) b.push(kvTable(comparisonRows(cx.comparison), ['comparison', 'value'], true));
        b.push(`<p>Shrunk input:</p><pre>${esc(jsonBlock(cx.input))}</pre>`);
      }
      if (e.notes?.length) b.push(`<ul>${e.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
      for (const pl of pe.plots) b.push(figure(pl));
      for (const prob of pe.plotProblems) b.push(`<p class="warn">${esc(prob)}</p>`);
      b.push(`</div>`);
    }
    b.push(`</section>`);
  }
  b.push(`<footer>Raw data: <a href="ledger.json">ledger.json</a> (byte-stable for a seed) · <a href="run.json">run.json</a> (timings, commit, machine). Numbers are the ledger's; hover a worst margin for its exact value.</footer>`);
  return `<!doctype html>
<html lang="en" data-expected-plots="${nPlots}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>collapse-check report · seed ${esc(formatExact(ledger.seed))} · ${esc(run.commit.slice(0, 12))}</title>
<script>${STATUS_SCRIPT}</script>
<style>${CSS}</style>
</head>
<body><main>
${b.join('\n')}
</main></body>
</html>
`;
}

// ---------- entry point ----------

/** Fill what a partial run record (e.g. from `merge`, or an older run.json) lacks, from the ledger. */
export function normalizeRun(run: Partial<RunInfo> | null | undefined, ledger: Ledger): RunInfo {
  const r = run ?? {};
  const str = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);
  return {
    ...r,
    seed: typeof r.seed === 'number' ? r.seed : ledger.seed,
    commit: str(r.commit, 'unknown'),
    startedAt: str(r.startedAt, 'unknown'),
    finishedAt: str(r.finishedAt, 'unknown'),
    wallSeconds: typeof r.wallSeconds === 'number' ? r.wallSeconds : NaN,
    nodeVersion: str(r.nodeVersion, 'unknown'),
    machine: { cpus: r.machine?.cpus ?? 0, model: str(r.machine?.model, 'unknown'), ...(r.machine?.platform ? { platform: r.machine.platform } : {}) },
    tier: r.tier ?? ledger.tier,
    commandLine: str(r.commandLine, 'unknown'),
    budget: { total: typeof r.budget?.total === 'number' ? r.budget.total : ledger.budget, split: Array.isArray(r.budget?.split) ? r.budget.split : [] },
  };
}

/**
 * Write `report.md`, `plots/*.svg` and `index.html` for `ledger` into `outDir` (created if needed).
 * Returns the absolute paths written, sorted. Claim statements come from `options.claims`, else
 * from the claim catalogue. Existing files in outDir are overwritten, others kept.
 */
export async function renderReport(ledger: Ledger, run: RunInfo, outDir: string, options: RenderOptions = {}): Promise<{ files: string[] }> {
  const claims = options.claims === null ? EMPTY_CLAIMS : (options.claims ?? catalogueClaims());
  run = normalizeRun(run, ledger);
  const dir = resolve(outDir);
  const p = plan(ledger, claims);
  await mkdir(join(dir, 'plots'), { recursive: true });
  const files: string[] = [];
  const plots = [...(p.overview ? [p.overview] : []), ...p.all.flatMap((pe) => pe.plots)];
  for (const pl of plots) {
    const name = pl.file.slice('plots/'.length, -'.svg'.length);
    const svg = await renderSvg(pl.chart.spec, slug(name));
    const abs = join(dir, pl.file);
    await writeFile(abs, svg);
    files.push(abs);
  }
  const md = join(dir, 'report.md');
  await writeFile(md, renderMarkdown(ledger, run, p, claims, options.counterexamples));
  files.push(md);
  const html = join(dir, 'index.html');
  await writeFile(html, renderHtml(ledger, run, p, claims, options.counterexamples));
  files.push(html);
  return { files: files.sort() };
}

/** JSON reviver undoing ledger.json's encoding of non-finite numbers (src/numerics/json.ts). */
export { nonFiniteReviver } from '../numerics/json.ts';

/** Re-render a report folder from its `ledger.json` and `run.json` (missing run.json ⇒ run fields 'unknown'). */
export async function rerenderDir(dir: string, outDir = dir, options: RenderOptions = {}): Promise<{ files: string[] }> {
  const { readFile } = await import('node:fs/promises');
  const ledger = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8'), nonFiniteReviver) as Ledger;
  let run: Partial<RunInfo> = {};
  try {
    run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'), nonFiniteReviver) as Partial<RunInfo>;
  } catch {
    // no run.json: normalizeRun fills 'unknown'
  }
  return renderReport(ledger, normalizeRun(run, ledger), outDir, options);
}

// `node bin/run-ts.mjs src/report/render.ts DIR [OUT]`: re-render DIR's ledger.json + run.json (into OUT)
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dir, out] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: render.ts DIR [OUT]   (DIR holds ledger.json and run.json)\n');
    process.exitCode = 2;
  } else {
    const { files } = await rerenderDir(resolve(dir), resolve(out ?? dir));
    process.stdout.write(`${files.length} files written to ${resolve(out ?? dir)}\n`);
  }
}
