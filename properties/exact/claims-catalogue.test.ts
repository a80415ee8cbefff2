/**
 * The claim catalogue (src/claims/catalogue.ts) against the repository (issue 10):
 *  - the catalogue and properties/ agree both ways: every property file that records a claim
 *    (a literal `claimId: '<id>'` in a *.test.ts) is listed as evidence of that claim, every
 *    `alsoServes: [...]` is listed as `via` evidence, and every listed file exists, mentions its
 *    claim (directly or through a module it imports), and contains each named check;
 *  - every oracle is a `module#export` reference that resolves by importing it;
 *  - the theory text stands alone (no path outside the repository);
 *  - docs/claims.md is the current rendering of the catalogue.
 * Static text checks only (no property runs): what a file records at run time is checked by the
 * ledger (summaries list the files that recorded entries).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOGUE } from '../../src/claims/catalogue.ts';
import { CLAIMS, claimPropertyFiles, isClaimId, propertyFilesForClaims, selectClaims, theoryClaimIds } from '../../src/claims/registry.ts';
import { CLAIMS_DOC_PATH, renderClaimsDoc } from '../../src/claims/docs.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Test files that build ledger entries as fixtures for the engine, ledger and report machinery and
 * never record them into a run's ledger (their claim ids are data, not evidence).
 */
const FIXTURE_ENTRY_FILES = new Set([
  'properties/exact/verdict-engine.test.ts',
  'properties/exact/report-render.test.ts',
  'properties/exact/claims-catalogue.test.ts',
  'properties/exact/layering.test.ts',
  // hand-built ledgers for the JUnit / step-summary writers and the CI recipe's merge
  'properties/exact/junit.test.ts',
  'properties/exact/ci-recipe.test.ts',
  // user claims (verify --claims) are not catalogue claims: their ids live in their claim files
  'properties/exact/user-claims.test.ts',
  // engine and record machinery under test (mutation kills, the exact-check shrink cap): their
  // checks run with claim ids as data and record only into temporary ledgers they create
  'properties/exact/verdict-engine-mutation.test.ts',
  'properties/exact/verdict-record.test.ts',
  'properties/exact/exact-shrink-cap.test.ts',
]);

/**
 * Claim ids a file uses for checks it runs as test subjects without recording them: the engine's
 * self-test runs deliberately wrong P1-F1 / P1-3.1 bounds and records only SELF entries about them.
 */
const SUBJECT_ONLY_IDS: Readonly<Record<string, readonly string[]>> = {
  'properties/theorems/verdict-engine-self-test.test.ts': ['P1-F1', 'P1-3.1'],
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(ROOT, p).split('\\').join('/'));
  }
  return out;
}

const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const testFiles = walk(join(ROOT, 'properties')).filter((f) => f.endsWith('.test.ts'));

/** Claim ids a source text records with a literal `claimId: '<id>'` (or "…"). */
function recordedIds(text: string): Set<string> {
  return new Set([...text.matchAll(/claimId:\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!));
}

/** Claim ids in literal `alsoServes: [...]` lists of a source text. */
function servedIds(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/alsoServes:\s*\[([^\]]*)\]/g)) for (const q of m[1]!.matchAll(/['"]([^'"]+)['"]/g)) out.add(q[1]!);
  return out;
}

/** The file's text plus the texts of the project modules it imports relatively (one level). */
function textWithImports(rel: string): string {
  const text = read(rel);
  const parts = [text];
  for (const m of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = relative(ROOT, resolve(ROOT, dirname(rel), m[1]!)).split('\\').join('/');
    if (existsSync(join(ROOT, target))) parts.push(read(target));
  }
  return parts.join('\n');
}

describe('claim catalogue: one typed record per claim', () => {
  it('ids are unique and well formed; fields are filled; pending only on claims expected to hold', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATALOGUE) {
      expect(c.id).toMatch(/^(P1-[0-9A-Za-z.]+|P2-[0-9A-Za-z.]+|D-\d+|SELF)$/);
      expect(c.title.length, c.id).toBeGreaterThan(0);
      expect(c.statement.length, c.id).toBeGreaterThan(0);
      expect(c.source.length, c.id).toBeGreaterThan(0);
      expect(c.oracle.length, c.id).toBeGreaterThan(0);
      expect(c.oracles.length, `${c.id}: at least one oracle reference`).toBeGreaterThan(0);
      if (!c.pending) expect(c.evidence.length, `${c.id} is not pending, so it needs evidence`).toBeGreaterThan(0);
      for (const e of c.evidence) if (e.via !== undefined) expect(isClaimId(e.via) && e.via !== c.id, `${c.id}: via ${e.via}`).toBe(true);
    }
    // the ids of the two papers and the derived claims, and the engine's self-tests
    expect(theoryClaimIds()).toEqual(['P1-F1', 'P1-3.1', 'P1-3.2', 'P1-3.3', 'P1-3.4', 'P1-4.0', 'P1-4.1i', 'P1-4.1ii', 'P1-4.2', 'P1-12', 'P1-E1', 'P1-E2', 'P1-E3', 'D-1', 'D-2', 'D-3', 'P2-1', 'P2-2', 'P2-3', 'P2-4', 'P2-5', 'P2-E1']);
    expect(CLAIMS).toBe(CATALOGUE);
  });

  it('the theory text stands alone: no path outside the repository', () => {
    const text = JSON.stringify(CATALOGUE) + read('src/claims/catalogue.ts') + renderClaimsDoc();
    expect(text).not.toMatch(/\/work\/|\.\.\/shared|THEORY\.md/);
  });

  it('globs select claims; unknown patterns throw', () => {
    expect(selectClaims(['P1-3.*'])).toEqual(['P1-3.1', 'P1-3.2', 'P1-3.3', 'P1-3.4']);
    expect(selectClaims(['d-?'])).toEqual(['D-1', 'D-2', 'D-3']);
    expect(() => selectClaims(['P9-*'])).toThrow(/matches no claim/);
  });
});

describe('claim catalogue and properties/ agree both ways', () => {
  it('every test file that records a claim is listed as evidence of that claim', () => {
    const missing: string[] = [];
    for (const f of testFiles) {
      if (FIXTURE_ENTRY_FILES.has(f)) continue;
      const text = read(f);
      for (const id of recordedIds(text)) {
        if (SUBJECT_ONLY_IDS[f]?.includes(id)) continue;
        if (!isClaimId(id)) missing.push(`${f} records unknown claim id ${id}`);
        else if (!CLAIMS.find((c) => c.id === id)!.evidence.some((e) => e.file === f && e.via === undefined)) missing.push(`${f} records ${id}: add { file: '${f}', checks: [...] } to ${id}'s evidence in src/claims/catalogue.ts`);
      }
      for (const id of servedIds(text)) {
        if (!isClaimId(id)) missing.push(`${f} serves unknown claim id ${id}`);
        else if (!CLAIMS.find((c) => c.id === id)!.evidence.some((e) => e.file === f && e.via !== undefined)) missing.push(`${f} has alsoServes ${id}: add { file: '${f}', checks: [...], via: '<its claimId>' } to ${id}'s evidence`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every listed file exists, mentions its claim, and contains each named check', () => {
    const problems: string[] = [];
    for (const c of CATALOGUE) {
      for (const f of claimPropertyFiles(c.id)) if (!existsSync(join(ROOT, f))) problems.push(`${c.id}: ${f} does not exist`);
      for (const e of c.evidence) {
        if (!existsSync(join(ROOT, e.file))) continue;
        const text = read(e.file);
        const recorded = e.via ?? c.id;
        if (!textWithImports(e.file).includes(`'${recorded}'`) && !textWithImports(e.file).includes(`"${recorded}"`)) problems.push(`${c.id}: ${e.file} never mentions '${recorded}'`);
        if (e.via !== undefined && !servedIds(text).has(c.id)) problems.push(`${c.id}: ${e.file} is listed via ${e.via} but has no alsoServes: ['${c.id}']`);
        for (const k of e.checks) if (!text.includes(k)) problems.push(`${c.id}: check "${k}" not found in ${e.file}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('verify --claim selects exactly the catalogue files (no grepping)', () => {
    expect(propertyFilesForClaims(['P2-2'])).toEqual(['properties/theorems/p2-2-limit-dd.test.ts', 'properties/theorems/p2-2-limit.test.ts', 'properties/theorems/p2-oracle.test.ts']);
    expect(propertyFilesForClaims(['P1-12'])).toEqual(CLAIMS.find((c) => c.id === 'P1-12')!.evidence.map((e) => e.file).sort());
  });
});

describe('claim catalogue: oracles resolve', () => {
  it('every module#export reference imports and names an export', async () => {
    const problems: string[] = [];
    for (const c of CATALOGUE) {
      for (const o of c.oracles) {
        const [mod, name] = o.ref.split('#') as [string, string];
        if (!existsSync(join(ROOT, mod))) {
          problems.push(`${c.id}: ${mod} does not exist`);
          continue;
        }
        const ns = (await import(pathToFileURL(join(ROOT, mod)).href)) as Record<string, unknown>;
        if (ns[name] === undefined) problems.push(`${c.id}: ${mod} has no export ${name}`);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('docs/claims.md is generated from the catalogue', () => {
  it('is current (regenerate: node bin/run-ts.mjs src/claims/docs.ts)', () => {
    const path = join(ROOT, CLAIMS_DOC_PATH);
    expect(existsSync(path), `${CLAIMS_DOC_PATH} missing`).toBe(true);
    expect(read(CLAIMS_DOC_PATH) === renderClaimsDoc(), `${CLAIMS_DOC_PATH} is stale: run node bin/run-ts.mjs src/claims/docs.ts`).toBe(true);
  });
});
