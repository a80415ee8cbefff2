/**
 * Audit report: `audit.json` (the full AuditResult), `report.md` (verdict, per-check table with δ
 * and power, evidence, ladder allowance, weak-order estimates, protocol error, stderr excerpt,
 * timings) and SVG plots through src/report/plots.ts (vega-lite, headless).
 *
 * Plot failures never prevent the report: the markdown says which plot could not be drawn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChart, marginOverviewChart, renderSvg } from '../report/plots.ts';
import { toJson } from '../numerics/json.ts';
import { terminalSafe } from '../numerics/text.ts';
import type { Ledger, LedgerEntry } from '../verdict/types.ts';
import { biasAllowanceFactor, KS_BIAS_FLOOR, MOMENT_BIAS_FLOOR, rhoForOrder, type CheckResult } from './checks.ts';
import type { AuditResult } from './run.ts';

const VERDICT_MAP: Record<string, 'holds' | 'fails' | 'inconclusive'> = { pass: 'holds', fail: 'fails', inconclusive: 'inconclusive' };

/** Markdown table-safe and terminal-safe (control and bidi characters escaped, src/numerics/text.ts). */
function mdEscape(s: string): string {
  return terminalSafe(s.replace(/\|/g, '\\|').replace(/\n/g, ' '));
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? Number(v.toPrecision(3)).toString() : v.toExponential(2);
}

/** Worst margin of a check for the overview chart (negative ⇒ violation): −excess. */
function checkMargin(c: CheckResult): number | null {
  const e = c.evidence.worstExcessScaled ?? c.evidence.worstExcess;
  return typeof e === 'number' && Number.isFinite(e) ? -e : null;
}

/**
 * The audit as a verdict-engine ledger (src/verdict/types.ts), one entry per check, claim id
 * `AUDIT/<problem>`: pass → holds, fail → fails, inconclusive → inconclusive; `delta` and `power`
 * as stated by the check; worstMargin = −(worst excess). Written as ledger.json so the shared report
 * tooling (src/report/render.ts) can consume it. A protocol error yields an empty ledger.
 */
export function auditLedger(r: AuditResult): Ledger {
  const entries: LedgerEntry[] = r.checks.map((c) => {
    const p = r.problems.find((q) => q.id === c.problem);
    return {
      claimId: `AUDIT/${c.problem}`,
      check: c.kind,
      verdict: VERDICT_MAP[c.verdict]!,
      expected: 'holds',
      cases: 1,
      n: p?.n ?? 0,
      statistics: { ...c.evidence, power: c.power, powerUnit: c.powerUnit, summary: c.summary },
      worstMargin: checkMargin(c),
      delta: c.delta,
      power: c.power,
      seed: r.seed,
      replayPath: null,
      counterexample: null,
      notes: c.notes,
    };
  });
  return { seed: r.seed, tier: r.problemSet === 'deep' ? 'deep' : 'default', budget: r.delta, entries };
}

export async function writeAuditReport(result: AuditResult, dir: string): Promise<{ files: string[]; plotErrors: string[] }> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const plotErrors: string[] = [];
  writeFileSync(join(dir, 'audit.json'), toJson(result) + '\n');
  files.push('audit.json');
  writeFileSync(join(dir, 'ledger.json'), toJson(auditLedger(result)) + '\n');
  files.push('ledger.json');
  const plots: { file: string; title: string }[] = [];
  const tryPlot = async (file: string, title: string, build: () => ReturnType<typeof buildChart>) => {
    try {
      const svg = await renderSvg(build().spec, file.replace(/\W/g, '-'));
      writeFileSync(join(dir, file), svg);
      files.push(file);
      plots.push({ file, title });
    } catch (err) {
      plotErrors.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (result.checks.length > 0) {
    await tryPlot('margins.svg', 'Worst margin per check', () =>
      marginOverviewChart(result.checks.map((c) => ({ claimId: c.problem, check: c.kind, verdict: VERDICT_MAP[c.verdict]!, worstMargin: checkMargin(c) }))),
    );
  }
  for (const p of result.problems) {
    const moments = result.checks.find((c) => c.id === `${p.id}/moments`);
    const ladder = result.checks.find((c) => c.id === `${p.id}/ladder`);
    if (!moments || !ladder) continue;
    const worst = String(moments.evidence.worstStatistic);
    const ladderRow = ladder.rows.find((r) => r.statistic === worst);
    const momentRow = moments.rows.find((r) => r.statistic === worst);
    if (!ladderRow || !momentRow) continue;
    const e = Number(momentRow.exact);
    const at4 = Number(momentRow.at4K);
    const at2 = Number(momentRow.at2K);
    const atK = at2 + Number(ladderRow.diffK2K);
    await tryPlot(`ladder-${p.id}.svg`, `${p.id}: ${worst} along the step ladder`, () =>
      buildChart({
        kind: 'ratio-vs-scale',
        title: `${p.id}: ${worst} vs steps (exact ${fmt(e)})`,
        x: { label: 'steps K', values: p.ladder, scale: 'log' },
        y: { label: worst, scale: 'linear' },
        curves: [
          { name: 'sampler', values: [atK, at2, at4], role: 'measured' },
          { name: 'exact', values: [e, e, e], role: 'bound' },
          { name: 'allowed at 4K (upper)', values: [null, null, e + Number(momentRow.allowance) + Number(momentRow.noise)], role: 'bound' },
          { name: 'allowed at 4K (lower)', values: [null, null, e - Number(momentRow.allowance) - Number(momentRow.noise)], role: 'bound' },
        ],
        notes: [`bias allowance ${fmt(biasAllowanceFactor(result.declaredOrder ?? 1))}×|F(2K)−F(4K)| + ${MOMENT_BIAS_FLOOR} scale units + Monte Carlo bound`],
      }),
    );
  }
  writeFileSync(join(dir, 'report.md'), renderMarkdown(result, plots, plotErrors));
  files.push('report.md');
  return { files, plotErrors };
}

export function renderMarkdown(r: AuditResult, plots: readonly { file: string; title: string }[] = [], plotErrors: readonly string[] = []): string {
  const L: string[] = [];
  L.push(`# Sampler audit: ${mdEscape(r.sampler)}`, '');
  L.push(`**Verdict: ${r.verdict.toUpperCase()}** — ${mdEscape(r.summary)}`, '');
  L.push(`- way in: ${r.driver}; problem set: ${r.problemSet}; seed: ${r.seed} (replay with \`--seed ${r.seed}\`)`);
  L.push(`- false-failure probability of the whole audit δ = ${fmt(r.delta)} (union bound), ${fmt(r.deltaPerCheck)} per check`);
  L.push(`- wall time ${r.wallSeconds.toFixed(1)} s over ${r.requests.length} requests`);
  if (r.wire) L.push(`- wire: protocol ${r.wire.protocol}, ${r.wire.encoding}${r.wire.encoding === 'f32' ? ' (outputs rounded to float32: the determinism tolerance adds 3·2^-24; moments and KS move by ≤ 1e-6 sd / 1e-7, below their floors)' : ''}`);
  L.push(
    `- sampler kind: ${r.samplerKind ?? 'sde'}, declared order ${r.declaredOrder ?? 1}; exact law: ${(r.samplerKind ?? 'sde') === 'ode' ? "the probability-flow ODE's law at t0 with the served field (P_{t0} q when the served field is the exact score)" : "the reverse SDE's law at t0 with the served field (P_{t0} q when it is the exact score)"}. ` +
      `Discretisation bias allowed at 4K: ${fmt(biasAllowanceFactor(r.declaredOrder ?? 1))} × the measured 2K–4K difference + a remainder floor of ${MOMENT_BIAS_FLOOR} scale units (KS: ${KS_BIAS_FLOOR}) ` +
      `(bias ratio per halving ≤ ${rhoForOrder(r.declaredOrder ?? 1)} for the declared order). A bug whose effect is O(1/K) (e.g. stopping one step early) is a consistent first-order scheme: it is not separable from a correct sampler by these checks; its estimated order is reported, not judged.`,
  );
  L.push(
    `- forward process: ${r.process ? mdEscape(JSON.stringify(r.process)) : 'vp-constant, β = 1 (default)'}; the harness served: ${r.serves ?? 'score'} (docs/audit.md, "Forward processes and field conventions")`,
  );
  if (r.minEffect !== undefined) {
    L.push(
      `- --min-effect ${r.minEffect}: n sized so that a K-independent effect of ${r.minEffect} (sd units for moments, CDF distance for projections) is detected with probability ≥ 0.99 before the discretisation allowance; each moments / projection-ks / extrapolation check reports its achieved \`effectPower\` including the allowance this sampler's ladder needed; expected wall time (calibration) ${r.expectedSeconds !== undefined ? r.expectedSeconds.toFixed(0) + ' s' : '—'}`,
    );
  }
  L.push('');
  if (r.protocolError) {
    L.push('## Protocol error', '');
    L.push(`- what: **${r.protocolError.failure}**`);
    L.push(`- where: request ${r.protocolError.request ?? '—'} (${r.protocolError.at ?? 'before the first request'})`);
    L.push(`- message: ${mdEscape(r.protocolError.message)}`, '');
  }
  if (r.checks.length > 0) {
    L.push('## Checks', '');
    L.push('| check | verdict | δ | power (min. detectable, P ≥ 0.99) | evidence |');
    L.push('|---|---|---|---|---|');
    for (const c of r.checks) L.push(`| ${c.id} | ${c.verdict} | ${fmt(c.delta)} | ${fmt(c.power)} ${mdEscape(c.powerUnit)} | ${mdEscape(c.summary)} |`);
    L.push('');
  }
  if (r.problems.length > 0) {
    L.push('## Problems and estimated weak order', '');
    L.push('| problem | d | n | T | t0 | ladder K | estimated weak order |');
    L.push('|---|---|---|---|---|---|---|');
    for (const p of r.problems) {
      const o = p.weakOrder;
      const order = o && o.estimate !== null ? `${o.estimate} [${o.lower ?? '−∞'}, ${o.upper ?? '+∞'}] (${o.note})` : (o?.note ?? '—');
      L.push(`| ${p.id}: ${mdEscape(p.description)} | ${p.dim} | ${p.n} | ${p.T} | ${p.t0} | ${p.ladder.join(', ')} | ${mdEscape(order)} |`);
    }
    L.push('');
  }
  const failing = r.checks.filter((c) => c.verdict !== 'pass');
  if (failing.length > 0) {
    L.push('## Evidence of failing / inconclusive checks', '');
    for (const c of failing) {
      L.push(`### ${c.id} (${c.verdict})`, '', mdEscape(c.summary), '');
      const rows = [...c.rows].sort((a, b) => Number(b.excessScaled ?? b.excess ?? 0) - Number(a.excessScaled ?? a.excess ?? 0)).slice(0, 6);
      if (rows.length > 0) {
        const keys = Object.keys(rows[0]!);
        L.push(`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`);
        for (const row of rows) L.push(`| ${keys.map((k) => mdEscape(String(row[k] ?? ''))).join(' | ')} |`);
        L.push('');
      }
      for (const n of c.notes) L.push(`- ${mdEscape(n)}`);
      L.push('');
    }
  }
  if (plots.length > 0 || plotErrors.length > 0) {
    L.push('## Plots', '');
    for (const p of plots) L.push(`![${p.title}](${p.file})`, '');
    for (const e of plotErrors) L.push(`- plot not drawn: ${mdEscape(e)}`);
    L.push('');
  }
  L.push('## Requests', '');
  L.push('| # | request | n | steps | score calls | seconds |');
  L.push('|---|---|---|---|---|---|');
  for (const q of r.requests) L.push(`| ${q.index} | ${q.label} | ${q.n} | ${q.steps} | ${q.scoreCalls} | ${q.seconds.toFixed(2)} |`);
  L.push('');
  if (r.stderr.bytes > 0) {
    L.push('## Sampler stderr', '');
    L.push(`${r.stderr.bytes} bytes${r.stderr.truncated ? ' (only the first and last parts are kept)' : ''}.`, '');
    const clip = (s: string) => (s.length > 4000 ? s.slice(0, 4000) + '\n…' : s);
    L.push('```', clip(r.stderr.head).replace(/```/g, "'''"), '```');
    if (r.stderr.tail) L.push('', '…', '', '```', clip(r.stderr.tail.slice(-4000)).replace(/```/g, "'''"), '```');
    L.push('');
  }
  return L.join('\n');
}
