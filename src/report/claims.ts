/**
 * Claim metadata for reports, read defensively from `src/claims/registry.ts` (written by the
 * verify engineer): if the file is absent the report shows the ledger's claim ids only; if it is
 * present but fails to load, the report says so and carries on. Any export that is an array, a Map
 * or an id-keyed object of claim-like records is accepted (fields picked by common names).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a report shows about a claim (every field optional but the id). */
export interface ClaimInfo {
  readonly id: string;
  /** short name, e.g. `refresh identity` */
  readonly title?: string;
  readonly statement?: string;
  /** source tag, e.g. `Prop 3.1 [V]` */
  readonly source?: string;
  readonly expected?: string;
  readonly assumptions?: readonly string[];
  readonly properties?: readonly string[];
  readonly oracle?: string;
}

export interface ClaimLookup {
  readonly claims: ReadonlyMap<string, ClaimInfo>;
  /** a one-line problem to show in the report (registry present but unreadable), or null */
  readonly warning: string | null;
}

export const EMPTY_CLAIMS: ClaimLookup = { claims: new Map(), warning: null };

const REGISTRY_URL = new URL('../claims/registry.ts', import.meta.url);

function pickString(o: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const parts = Object.values(v as Record<string, unknown>).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
      if (parts.length > 0) return parts.join(' ');
    }
  }
  return undefined;
}

function pickStrings(o: Record<string, unknown>, names: readonly string[]): string[] | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' && v.trim() !== '') return [v];
    if (Array.isArray(v)) {
      const s = v.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? pickString(x as Record<string, unknown>, ['file', 'path', 'name', 'id']) : undefined)).filter((x): x is string => typeof x === 'string');
      if (s.length > 0) return s;
    }
  }
  return undefined;
}

/** Normalise one claim-like record (returns null if it has no id). */
export function toClaimInfo(value: unknown, fallbackId?: string): ClaimInfo | null {
  if (!value || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  const id = pickString(o, ['id', 'claimId', 'claim']) ?? fallbackId;
  if (!id) return null;
  const source = pickString(o, ['source', 'provenance', 'ref']);
  const tag = pickString(o, ['tag', 'sourceTag']);
  const statement = pickString(o, ['statement', 'text', 'description', 'summary']);
  const title = pickString(o, ['title', 'name']);
  const info: ClaimInfo = {
    id,
    title: title && title !== statement ? title : undefined,
    statement: statement ?? title,
    source: source && tag && !source.includes(tag) ? `${source} ${tag}` : (source ?? tag),
    expected: pickString(o, ['expected', 'expectedStatus', 'status']),
    assumptions: pickStrings(o, ['assumptions', 'assumes']),
    properties: pickStrings(o, ['properties', 'propertyFiles', 'files', 'checks']),
    oracle: pickString(o, ['oracle', 'oracles']),
  };
  return info;
}

/** Claims found in a module namespace (see the module doc for what is accepted). */
export function claimsFromModule(mod: Record<string, unknown>): Map<string, ClaimInfo> {
  const preferred = ['CLAIMS', 'claims', 'REGISTRY', 'registry', 'CLAIM_REGISTRY', 'claimRegistry', 'default'];
  const names = [...preferred.filter((n) => n in mod), ...Object.keys(mod).filter((n) => !preferred.includes(n)).sort()];
  const out = new Map<string, ClaimInfo>();
  const add = (c: ClaimInfo | null) => {
    if (c && !out.has(c.id)) out.set(c.id, c);
  };
  for (const name of names) {
    const v = mod[name];
    if (Array.isArray(v)) v.forEach((x) => add(toClaimInfo(x)));
    else if (v instanceof Map) for (const [k, x] of v) add(toClaimInfo(x, typeof k === 'string' ? k : undefined));
    else if (v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length > 0 && entries.every(([, x]) => x && typeof x === 'object')) for (const [k, x] of entries) add(toClaimInfo(x, k));
    }
  }
  return out;
}

/** Load `src/claims/registry.ts` if present (never throws). */
export async function loadClaimRegistry(url: URL = REGISTRY_URL): Promise<ClaimLookup> {
  if (!existsSync(fileURLToPath(url))) return EMPTY_CLAIMS;
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    return { claims: claimsFromModule(mod), warning: null };
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { claims: new Map(), warning: `claim registry src/claims/registry.ts could not be loaded (${msg}): claim ids only` };
  }
}
