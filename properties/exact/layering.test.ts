/**
 * Layers import only downward (issue 10): numerics → statistics → (the mathematical modules) →
 * claims → verdict → ledger → report → applications → CLI. A small import-graph test over src/:
 * every relative import (static, `export … from`, `import type`, and literal dynamic imports) is an
 * edge between top-level directories of src/, and an edge to a higher rank fails with the file, the
 * line and the target. Also: no module below the CLI imports the test runner, and no project module
 * is loaded through a computed path (existsSync + dynamic import hides an edge from this test).
 *
 * Directories of the same rank may import each other (the mathematical modules form one rank here;
 * their internal structure is not this test's subject).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Rank of each top-level directory of src/ (lower = more basic). A new directory must be added here. */
export const LAYER_RANK: Readonly<Record<string, number>> = {
  numerics: 0,
  linalg: 0,
  random: 0,
  statistics: 1,
  // the mathematical modules (laws, processes, scores, samplers, divergences, oracles, …)
  distributions: 2,
  processes: 2,
  scores: 2,
  kernels: 2,
  samplers: 2,
  parallel: 2,
  divergences: 2,
  energies: 2,
  trainers: 2,
  estimators: 2,
  recursion: 2,
  oracles: 2,
  config: 2,
  claims: 3,
  verdict: 4,
  ledger: 5,
  report: 6,
  // applications built on verdicts and reports
  experiments: 7,
  fuzz: 7,
  audit: 7,
  cli: 8,
  // the library entry point (src/index.ts) re-exports every layer's public API
  'index.ts': 9,
};

/**
 * Named temporary exceptions to the layering (none today): `'from -> to'` with a reason; the test
 * fails on a stale exception too, so the list stays the truth.
 */
const TEMPORARY_EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Files that load code by a computed path on purpose (a user's sampler module, not a project module). */
const COMPUTED_IMPORT_ALLOWED = new Set(['src/audit/driver-in-process.ts']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');
const topDir = (p: string) => rel(p).split('/')[1]!;

/** Relative imports of one file (static, re-exports, type-only, literal dynamic), with line numbers. */
export function importsOf(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const target = resolve(dirname(file), m[1]!);
    out.push({ from: rel(file), to: rel(target), line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

const files = walk(SRC);
const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

describe('layers import only downward: numerics → statistics → … → verdict → ledger → report → CLI', () => {
  it('every top-level directory of src/ has a rank', () => {
    const dirs = readdirSync(SRC).filter((d) => statSync(join(SRC, d)).isDirectory());
    expect(dirs.filter((d) => LAYER_RANK[d] === undefined)).toEqual([]);
  });

  it('no import goes to a higher layer (except the named temporary exceptions)', () => {
    const offending: string[] = [];
    const seenExceptions = new Set<string>();
    for (const f of files) {
      for (const e of importsOf(f, texts.get(f)!)) {
        if (!e.to.startsWith('src/')) {
          offending.push(`${e.from}:${e.line} imports ${e.to} (outside src/)`);
          continue;
        }
        const a = LAYER_RANK[e.from.split('/')[1]!]!;
        const b = LAYER_RANK[e.to.split('/')[1]!];
        if (b === undefined || b <= a) continue;
        const key = `${e.from} -> ${e.to}`;
        if (TEMPORARY_EXCEPTIONS.has(key)) seenExceptions.add(key);
        else offending.push(`${e.from}:${e.line} imports ${e.to} (${e.from.split('/')[1]} rank ${a} → ${e.to.split('/')[1]} rank ${b})`);
      }
    }
    expect(offending).toEqual([]);
    // a fixed exception must be removed from the list, so the list stays the truth
    expect([...TEMPORARY_EXCEPTIONS.keys()].filter((k) => !seenExceptions.has(k))).toEqual([]);
  });

  it('below the CLI nothing imports the test runner', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (topDir(f) === 'cli') continue;
      const text = texts.get(f)!;
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](vitest[^'"]*|@vitest\/[^'"]*|@fast-check\/vitest)['"]/g)) bad.push(`${rel(f)}:${text.slice(0, m.index).split('\n').length} imports ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });

  it('no project module is loaded through a computed path', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (COMPUTED_IMPORT_ALLOWED.has(rel(f))) continue;
      const text = texts.get(f)!;
      for (const m of text.matchAll(/\bimport\s*\(\s*([^'"\s)][^)]*)\)/g)) bad.push(`${rel(f)}:${text.slice(0, m.index).split('\n').length} import(${m[1]})`);
    }
    expect(bad).toEqual([]);
  });

  it('the graph reader sees static, type-only, re-export and literal dynamic imports (self-check)', () => {
    const f = join(SRC, 'verdict', 'x.ts');
    const text = ["import { a } from '../cli/io.ts';", "import type { B } from '../report/run-info.ts';", "export { c } from './y.ts';", "const m = await import('../ledger/ledger.ts');", "import '../report/side-effect.ts';"].join('\n');
    expect(importsOf(f, text).map((e) => `${e.to}:${e.line}`)).toEqual(['src/cli/io.ts:1', 'src/report/run-info.ts:2', 'src/verdict/y.ts:3', 'src/ledger/ledger.ts:4', 'src/report/side-effect.ts:5']);
    expect(existsSync(join(SRC, 'verdict', 'engine.ts'))).toBe(true);
  });
});
