/**
 * Lookups over the claim catalogue (src/claims/catalogue.ts, one record per claim): id checks,
 * registry order, glob selection, and the property files of a claim. Claims without a ledger entry
 * are reported as `not-yet-checked`, never as passing (failing the run unless marked `pending`).
 *
 * `verify --claim` runs exactly the catalogue's property files of the selected claims (evidence
 * files, including files whose checks serve the claim via another claim id, and support files);
 * properties/exact/claims-catalogue.test.ts keeps the catalogue and properties/ in agreement.
 */
import { CATALOGUE, type ClaimRecord } from './catalogue.ts';

export type { ClaimRecord, Evidence, ModuleRef, OracleRef, SourceTag } from './catalogue.ts';

/** Every claim, in catalogue order (the ledger's and the report's order). */
export const CLAIMS: readonly ClaimRecord[] = CATALOGUE;

const BY_ID = new Map(CLAIMS.map((c, i) => [c.id, { c, i }]));

export function isClaimId(id: string): boolean {
  return BY_ID.has(id);
}

/** Throws on an unknown id. */
export function claim(id: string): ClaimRecord {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown claim id "${id}"`);
  return r.c;
}

/** Position in the registry (ledger and report order). */
export function claimOrder(id: string): number {
  return BY_ID.get(id)?.i ?? Number.MAX_SAFE_INTEGER;
}

/** Ids of the papers' claims and the derived ones (every id but SELF). */
export function theoryClaimIds(): string[] {
  return CLAIMS.filter((c) => c.id !== 'SELF').map((c) => c.id);
}

/**
 * Claim ids matching ID or GLOB patterns (`*` any run of characters, `?` one; case-insensitive).
 * Throws a message naming the pattern when a pattern matches nothing.
 */
export function selectClaims(patterns: readonly string[]): string[] {
  if (patterns.length === 0) return CLAIMS.map((c) => c.id);
  const out = new Set<string>();
  for (const p of patterns) {
    const re = new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    const hits = CLAIMS.filter((c) => re.test(c.id));
    if (hits.length === 0) throw new Error(`--claim ${p}: matches no claim id (known: ${CLAIMS.map((c) => c.id).join(', ')})`);
    for (const h of hits) out.add(h.id);
  }
  return CLAIMS.map((c) => c.id).filter((id) => out.has(id));
}

/** Property files that record the claim's checks (including checks serving it via another claim id). */
export function evidenceFiles(id: string): string[] {
  return [...new Set(claim(id).evidence.map((e) => e.file))];
}

/** Every property file of the claim: evidence files, then support files (catalogue order, no duplicates). */
export function claimPropertyFiles(id: string): string[] {
  const c = claim(id);
  return [...new Set([...c.evidence.map((e) => e.file), ...c.supportFiles])];
}

/** The property files `verify --claim` runs for these claims: the union of their files, sorted. */
export function propertyFilesForClaims(ids: readonly string[]): string[] {
  return [...new Set(ids.flatMap(claimPropertyFiles))].sort();
}
