/**
 * Claim metadata shown by the report, read from the claim catalogue (src/claims/catalogue.ts): the
 * same records the ledger's summaries and the exit rule read. Callers may pass their own lookup
 * (tests) or `null` (ids only).
 */
import { CLAIMS, claimPropertyFiles } from '../claims/registry.ts';

/** What a report shows about a claim (every field optional but the id). */
export interface ClaimInfo {
  readonly id: string;
  /** short name, e.g. `refresh identity` */
  readonly title?: string;
  readonly statement?: string;
  /** source and tag, e.g. `P1 Prop 3.1 [V]` */
  readonly source?: string;
  readonly expected?: string;
  readonly assumptions?: readonly string[];
  /** property files (catalogue evidence and support files) */
  readonly properties?: readonly string[];
  readonly oracle?: string;
  /** oracles as `module#export` references */
  readonly oracleRefs?: readonly string[];
  readonly pending?: boolean;
}

export interface ClaimLookup {
  readonly claims: ReadonlyMap<string, ClaimInfo>;
  /** a one-line problem to show in the report, or null */
  readonly warning: string | null;
}

export const EMPTY_CLAIMS: ClaimLookup = { claims: new Map(), warning: null };

/** The catalogue as the report's lookup (catalogue order). */
export function catalogueClaims(): ClaimLookup {
  const claims = new Map<string, ClaimInfo>();
  for (const c of CLAIMS) {
    claims.set(c.id, {
      id: c.id,
      title: c.title,
      statement: c.statement,
      source: `${c.source} ${c.tag}`,
      expected: c.expected,
      assumptions: c.assumptions,
      properties: claimPropertyFiles(c.id),
      oracle: c.oracle,
      oracleRefs: c.oracles.map((o) => o.ref),
      ...(c.pending ? { pending: true } : {}),
    });
  }
  return { claims, warning: null };
}
