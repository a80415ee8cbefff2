/**
 * Report renderer (issue 5, "Reports"): files written, SVGs well formed, log axes never receive
 * non-positive values (and say how many were omitted), numbers in report.md are the ledger's
 * (checked against hand-written strings and `String(x)` of the ledger values), output is
 * deterministic (same ledger ⇒ same bytes, also after a JSON round trip of the ledger), and the
 * page passes the static part of report:check (no network references, every plot present).
 * No Chromium here (report:check's browser part is `npm run report:check`).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { test as fcTest, fc } from '../support/prop.ts';
import { logUniformDouble, representableDouble } from '../support/arbitraries.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { renderReport } from '../../src/report/render.ts';
import { demoLedger, demoRun } from '../../src/report/demo.ts';
import { buildChart, chartsForEntry } from '../../src/report/plots.ts';
import { catalogueClaims } from '../../src/report/claims.ts';
import { CLAIMS } from '../../src/claims/registry.ts';
import { svgProblem } from '../../src/report/xml-check.ts';
import { staticCheck } from '../../src/report/report-check.ts';
import { toJson } from '../../src/cli/io.ts';
import type { Ledger, LedgerEntry } from '../../src/verdict/types.ts';

// Claim ids are never written as quoted literals in this file: `collapse-check verify` runs every test
// file that quotes a claim id as a check of that claim, and this file checks the renderer, not claims.
const ID_31 = ['P1', '3.1'].join('-');
const ID_42 = ['P1', '4.2'].join('-');
const ID_P22 = ['P2', '2'].join('-');

const ledger = demoLedger();
const run = demoRun();
const claims = {
  claims: new Map([[ID_31, { id: ID_31, title: 'KL bound', statement: 'KL(p̂ ‖ q) ≤ ½ ε̂² | pipes escaped', source: 'Prop 3.1 [V]' }]]),
  warning: null,
};

let dirA = '';
let dirB = '';
let dirJson = '';
let filesA: string[] = [];

function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The markdown section of one check (from its `### claim · check` heading to the next `##`). */
function section(md: string, e: LedgerEntry): string {
  const start = md.indexOf(`### ${e.claimId} · check \`${e.check}\``);
  expect(start, `section of ${e.claimId}/${e.check}`).toBeGreaterThanOrEqual(0);
  const rest = md.slice(start + 4);
  const next = rest.search(/\n#{2,3} /);
  return next < 0 ? rest : rest.slice(0, next);
}

beforeAll(async () => {
  dirA = mkdtempSync(join(tmpdir(), 'report-a-'));
  dirB = mkdtempSync(join(tmpdir(), 'report-b-'));
  dirJson = mkdtempSync(join(tmpdir(), 'report-json-'));
  filesA = (await renderReport(ledger, run, dirA, { claims })).files;
  await renderReport(ledger, run, dirB, { claims });
  // as `merge` would see it: ledger.json encodes ±∞/NaN as strings
  const fromJson = JSON.parse(toJson(ledger)) as Ledger;
  await renderReport(fromJson, run, dirJson, { claims });
}, 60_000);

afterAll(() => {
  for (const d of [dirA, dirB, dirJson]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('report renderer: files', () => {
  it('writes report.md, index.html and one SVG per plot panel', () => {
    const rel = filesA.map((f) => relative(dirA, f)).sort();
    // plot panels of the demo ledger, counted by hand: P1-3.1 ×2, P1-F1 0, P1-4.2 1, D-1 2, P2-3 2, D-3 1, P1-12 0
    const svgs = rel.filter((f) => f.startsWith('plots/') && f.endsWith('.svg'));
    expect(svgs).toHaveLength(8);
    expect(rel).toContain('report.md');
    expect(rel).toContain('index.html');
    expect([...readTree(dirA).keys()].sort()).toEqual(rel);
  });

  it('the SVG checker itself: accepts "=" inside attribute values, rejects real defects', () => {
    expect(svgProblem('<svg width="10" height="5"><g aria-label="n=1, n=2 a=b"><rect width="1" height="1"/></g></svg>')).toBeNull();
    expect(svgProblem('<svg width="10" height="5"><g a="1" a="2"><rect/></g></svg>')).toMatch(/duplicate attribute/);
    expect(svgProblem('<svg width="10" height="5"><g><rect/></svg>')).toMatch(/does not match/);
    expect(svgProblem('<svg width="10" height="5"><g><rect/></g>')).toMatch(/unclosed/);
    expect(svgProblem('<svg width="0" height="5"><rect/></svg>')).toMatch(/width/);
    expect(svgProblem('<svg width="10" height="5"><text>a & b</text></svg>')).toMatch(/entity/);
  });

  it('every SVG is well-formed with a positive size, and ids are per-chart', () => {
    const tree = readTree(dirA);
    const seen = new Set<string>();
    for (const [name, buf] of tree) {
      if (!name.endsWith('.svg')) continue;
      const svg = buf.toString('utf8');
      expect(svgProblem(svg), name).toBeNull();
      for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
        expect(seen.has(m[1]), `id ${m[1]} repeated across SVGs`).toBe(false);
        seen.add(m[1]);
      }
    }
  });

  it('is deterministic: same ledger ⇒ same bytes; a JSON round trip of the ledger changes nothing', () => {
    const a = readTree(dirA);
    for (const other of [readTree(dirB), readTree(dirJson)]) {
      expect([...other.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [name, buf] of a) expect(other.get(name)!.equals(buf), name).toBe(true);
    }
  });

  it('no timestamps except the run info', () => {
    for (const [name, buf] of readTree(dirA)) {
      const stamps = [...buf.toString('utf8').matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g)].map((m) => m[0]);
      const allowed = [run.startedAt.slice(0, 16), run.finishedAt.slice(0, 16)];
      for (const s of stamps) expect(allowed, `${name}: ${s}`).toContain(s);
      if (name.endsWith('.svg')) expect(stamps, name).toEqual([]);
    }
  });

  it('index.html passes the static report check (plots present, no network references)', () => {
    const r = staticCheck(dirA);
    expect(r.problems).toEqual([]);
    expect(r.plots).toBe(8);
    const html = readFileSync(join(dirA, 'index.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('data-expected-plots="8"');
    expect(html).not.toMatch(/\b(?:src|href)="https?:/);
  });
});

describe('report renderer: log axes and omitted values', () => {
  const svg = (prefix: string) => {
    const tree = readTree(dirA);
    const hits = [...tree].filter(([n]) => n.startsWith(`plots/${prefix}`)).map(([, b]) => b.toString('utf8'));
    expect(hits.length, prefix).toBeGreaterThan(0);
    return hits.join('\n');
  };

  it('says on the chart how many non-positive / non-finite / missing values were left out', () => {
    // P1-4.2: D has one 0 on a requested log y axis
    expect(svg('P1-4.2__multiplicative-form__1')).toContain('1 non-positive value omitted (log y axis)');
    // P2-3 spectrum (log y by default): λ has a 0 and a negative value
    expect(svg('P2-3__hermite-spectrum__1')).toContain('2 non-positive values omitted (log y axis)');
    // D-1 chi2 panel: one +∞ measured value
    expect(svg('D-1__leading-order-ratio__1')).toContain('1 non-finite value omitted (+∞ ×1)');
    // D-3: two +∞ χ² values
    expect(svg('D-3__chi2-infinite__1')).toContain('2 non-finite values omitted (+∞ ×2)');
    // P2-3 density panel: one null
    expect(svg('P2-3__hermite-spectrum__2')).toContain('1 missing (null) value omitted');
  });

  it('the notes are in report.md too', () => {
    const md = readFileSync(join(dirA, 'report.md'), 'utf8');
    expect(md).toContain('*Plot notes: 1 non-positive value omitted (log y axis)');
    expect(md).toContain('2 non-positive values omitted (log y axis)');
  });

  const value = fc.oneof(
    fc.constantFrom(0, -0, -1, 1e-300, Infinity, -Infinity, NaN, null),
    representableDouble(-Number.MAX_VALUE, Number.MAX_VALUE), // hostile input: every finite double (NaN, ±∞ come from the constants)
    logUniformDouble(1e-12, 1e12), // plottable positive values, every decade alike
  );
  fcTest.prop([fc.array(fc.tuple(value, value, value), { minLength: 0, maxLength: 30 }), fc.constantFrom('log', 'linear', 'auto'), fc.constantFrom('log', 'linear', 'auto')])(
    'a log axis only ever receives finite positive values, and every dropped value is counted on the chart',
    (triples, xScale, yScale) => {
      const xs = triples.map((t) => t[0]);
      const a = triples.map((t) => t[1]);
      const b = triples.map((t) => t[2]);
      const chart = buildChart({
        kind: 'series',
        title: 't',
        x: { label: 'x', values: xs, scale: xScale as 'log' },
        y: { label: 'y', scale: yScale as 'log' },
        curves: [
          { name: 'a', values: a },
          { name: 'b', values: b },
        ],
      });
      const rows = (chart.spec as unknown as { data: { values: { x: number; y: number }[] } }).data.values;
      for (const r of rows) {
        expect(Number.isFinite(r.x) && Number.isFinite(r.y)).toBe(true);
        if (chart.xScale === 'log') expect(r.x).toBeGreaterThan(0);
        if (chart.yScale === 'log') expect(r.y).toBeGreaterThan(0);
      }
      // independent count of the points that may be drawn
      let drawable = 0;
      let nonPosY = 0;
      let nonFinite = 0;
      let missing = 0;
      let nonPosX = 0;
      for (let i = 0; i < xs.length; i++) {
        for (const y of [a[i], b[i]]) {
          const x = xs[i];
          if (x === null || y === null) missing++;
          else if (!Number.isFinite(x) || !Number.isFinite(y)) nonFinite++;
          else if (chart.xScale === 'log' && x <= 0) nonPosX++;
          else if (chart.yScale === 'log' && y <= 0) nonPosY++;
          else drawable++;
        }
      }
      expect(rows.length).toBe(drawable);
      const notes = chart.notes.join('; ');
      const count = (re: RegExp) => Number(re.exec(notes)?.[1] ?? 0);
      expect(count(/(\d+) non-positive values? omitted \(log y axis\)/)).toBe(nonPosY);
      expect(count(/(\d+) non-positive x values? omitted/)).toBe(nonPosX);
      expect(count(/(\d+) non-finite values? omitted/)).toBe(nonFinite);
      expect(count(/(\d+) missing \(null\) values? omitted/)).toBe(missing);
      // the notes are the chart's subtitle (word-wrapped)
      const title = (chart.spec as unknown as { title: { subtitle?: string[] } }).title;
      expect((title.subtitle ?? []).join(' ')).toBe(chart.notes.join(' '));
    },
  );

  it('degenerate extents (values equal up to a few ulps) get a padded domain containing every point', () => {
    const measured = [1, 1, 1, 0.9999999999999998, 1];
    const [chart] = chartsForEntry({ ...ledger.entries[0], series: { measured, bound: [1, 1, 1, 1, 1] }, plots: undefined });
    expect(chart.kind).toBe('bound-vs-measured');
    expect(chart.notes.join('; ')).toContain('equal up to rounding: axis range padded');
    const spec = chart.spec as unknown as { layer: { encoding?: { y?: { scale?: { domain?: number[] } } } }[] };
    const domain = spec.layer.map((l) => l.encoding?.y?.scale?.domain).find((d) => d !== undefined)!;
    expect(domain[0]).toBeLessThan(0.9999999999999998);
    expect(domain[1]).toBeGreaterThan(1);
  });

  it('inference from key names: generation ⇒ per-generation, scale ⇒ ratio-vs-scale, mode ⇒ spectrum, x ⇒ density, measured+bound ⇒ bound-vs-measured, panel/ prefixes split', () => {
    const kinds = (series: Record<string, (number | null)[]>) => chartsForEntry({ ...ledger.entries[0], series, plots: undefined }).map((c) => c.kind);
    expect(kinds({ generation: [0, 1], D: [1, 2] })).toEqual(['per-generation']);
    expect(kinds({ scale: [1, 2], ratio: [1, 2] })).toEqual(['ratio-vs-scale']);
    expect(kinds({ mode: [0, 1], lambda: [1, 0.5] })).toEqual(['spectrum']);
    expect(kinds({ x: [0, 1], p: [1, 0.5] })).toEqual(['density']);
    expect(kinds({ case: [0, 1], measured: [1, 2], bound: [2, 3] })).toEqual(['bound-vs-measured']);
    expect(kinds({ 'a/generation': [0], 'a/D': [1], 'b/mode': [0], 'b/c': [1], v: [1, 2] })).toEqual(['per-generation', 'spectrum', 'series']);
  });
});

describe('report renderer: numbers are the ledger’s', () => {
  let md = '';
  beforeAll(() => {
    md = readFileSync(join(dirA, 'report.md'), 'utf8');
  });

  it('header names seed, commit and the false-alarm budget', () => {
    expect(md.split('\n')[0]).toBe('# collapse-check report — seed 20260226, commit 0123456789ab');
    expect(md).toContain('False-alarm budget 1e-6 for the whole run');
    expect(md).toContain('| false-alarm budget | 0.000001 (suite-wide) |');
    expect(md).toContain('| P1-3.1 | 2.5e-7 | clt per case, shrinking included |');
    expect(md).toContain('Replay the whole run: `COLLAPSE_SEED=20260226 npx collapse-check verify --tier default`');
  });

  it('summary rows: claim / check / verdict / expected / cases / worst margin / power / δ (hand-written)', () => {
    expect(md).toContain('| P1-3.1 | [kl-gaussian-exact](#check-P1-3.1__kl-gaussian-exact) | **holds** | holds | 100 | 0.001235 | exact | 0 |');
    expect(md).toContain('| P1-3.1 | [kl-gmm-monte-carlo](#check-P1-3.1__kl-gmm-monte-carlo) | **weak** | holds | 40 | -0.0035 | 0.0125 | 2.5e-8 |');
    expect(md).toContain('| P1-F1 | [refresh-identity-wrong-constant](#check-P1-F1__refresh-identity-wrong-constant) | **fails** | holds | 17 | -0.1686 | exact | 0 |');
    expect(md).toContain('| D-1 | [leading-order-ratio](#check-D-1__leading-order-ratio) | **inconclusive** | holds | 12 | — | 0.21 | 1e-9 |');
    expect(md).toContain('| P2-3 | [hermite-spectrum](#check-P2-3__hermite-spectrum) | **holds** | holds | 30 | 4.4e-16 | exact | 0 |');
    expect(md).toContain('| D-3 | [chi2-infinite](#check-D-3__chi2-infinite) | **holds** | holds | 25 | +∞ | exact | 0 |');
    // the run's exit rule (src/ledger/judgement.ts): weak, fails, inconclusive and an unchecked entry all differ from `holds`
    expect(md).toContain('FAIL: 4 verdicts differ from the expected one (P1-3.1 / kl-gmm-monte-carlo: verdict weak, expected holds; P1-F1 / refresh-identity-wrong-constant: verdict fails, expected holds; D-1 / leading-order-ratio: verdict inconclusive, expected holds; P1-12 / none: verdict not-yet-checked, expected holds)');
  });

  it('evidence and statistics of every check: exact values (String(x), ±Infinity)', () => {
    for (const e of ledger.entries) {
      const s = section(md, e);
      const exact = (v: number | null) => (v === null ? '—' : v === Infinity ? '+Infinity' : v === -Infinity ? '-Infinity' : String(v));
      expect(s).toContain(`| worst margin | ${exact(e.worstMargin)} |`);
      expect(s).toContain(`| cases | ${e.cases} |`);
      expect(s).toContain(`| δ (false-failure probability spent) | ${exact(e.delta)} |`);
      if (e.power !== null) expect(s).toContain(`| power (min. detectable violation, prob. ≥ 0.99) | ${exact(e.power)} |`);
      for (const [k, v] of Object.entries(e.statistics)) expect(s).toContain(`| ${k} | ${typeof v === 'number' ? exact(v) : String(v)} |`);
    }
    // spot checks, hand-written
    expect(md).toContain('| worst margin | -0.16859999999999997 |');
    expect(md).toContain('| maxRatio | 0.4871234567891 |');
    expect(md).toContain('| chi2 | +Infinity |');
  });

  it('counterexample: message, comparison numbers, replay command with the seed, shrunk input', () => {
    const e = ledger.entries.find((x) => x.check === 'refresh-identity-wrong-constant')!;
    const s = section(md, e);
    expect(s).toContain('self-test: (1-α) in place of (1-α)² is violated at dim 1');
    expect(s).toContain('COLLAPSE_SEED=1234567 npx collapse-check verify --claim P1-F1');
    expect(s).toContain('fast-check seed `1234567`, path `16:0:2`');
    expect(s).toContain('| lhs | 0.7311 |');
    expect(s).toContain('| margin | -0.16859999999999997 |');
    expect(s).toContain('| method | float |');
    expect(s).toContain('"extreme": "Infinity"');
  });

  it('claim statement and source from the registry lookup (pipes escaped), ids only without it', async () => {
    expect(md).toContain('## P1-3.1 — KL bound');
    expect(md).toContain('**Statement.** KL(p̂ ‖ q) ≤ ½ ε̂² | pipes escaped');
    expect(md).toContain('- **source:** Prop 3.1 [V]');
    expect(md).toContain('## D-1\n\n**Statement.** (not in the claim catalogue: claim id only)');
    const bare = mkdtempSync(join(tmpdir(), 'report-bare-'));
    try {
      const one: Ledger = { ...ledger, entries: [ledger.entries[6]] };
      await renderReport(one, run, bare, { claims: null });
      const m = readFileSync(join(bare, 'report.md'), 'utf8');
      expect(m).toContain('## D-3\n\n**Statement.** (not in the claim catalogue: claim id only)');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('the README example entry: a per-generation log plot and a bound-vs-measured panel, omissions counted', () => {
    const entry: LedgerEntry = {
      claimId: ID_42, check: 'geometric-decay', verdict: 'holds', expected: 'holds',
      cases: 50, n: 0, statistics: { maxRelErr: 2.1e-15 }, worstMargin: 3.4e-16, delta: 0, power: null,
      seed: 20260226, replayPath: null, counterexample: null,
      series: {
        generation: [0, 1, 2, 3, 4],
        D: [0.3, 0.075, 0.019, 0.0047, 0],
        bound: [0.3, 0.075, 0.019, 0.0047, 0.0012],
        'D.lo': [0.29, 0.07, 0.018, 0.0045, 0],
        'D.hi': [0.31, 0.08, 0.020, 0.0049, 1e-4],
        'cases/measured': [0.1, 0.2, 0.05],
        'cases/bound': [0.12, 0.3, 0.05],
      },
      plots: [{ yScale: 'log', title: 'P1-4.2: D_i and (1-α)^{2i} D_0' }],
    };
    const charts = chartsForEntry(entry);
    expect(charts.map((c) => [c.kind, c.yScale])).toEqual([['per-generation', 'log'], ['bound-vs-measured', 'linear']]);
    expect(charts[0].notes).toContain('1 non-positive value omitted (log y axis)');
    expect(charts[0].points).toBe(9);
    expect(charts[1].points).toBe(3);
  });

  it('the report reads the claim catalogue: one ClaimInfo per catalogued claim, same statement and files', () => {
    const r = catalogueClaims();
    expect(r.warning).toBeNull();
    expect([...r.claims.keys()]).toEqual(CLAIMS.map((c) => c.id));
    for (const c of CLAIMS) {
      const info = r.claims.get(c.id)!;
      expect(info.statement).toBe(c.statement);
      expect(info.source).toBe(`${c.source} ${c.tag}`);
      expect(info.oracleRefs).toEqual(c.oracles.map((o) => o.ref));
      for (const e of c.evidence) expect(info.properties).toContain(e.file);
    }
  });
});
