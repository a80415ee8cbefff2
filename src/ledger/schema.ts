/**
 * Schemas of the files `merge` reads (issue 17 rows 4–5): `ledger.json` (src/verdict/types.ts
 * `Ledger`) and the part of `run.json` that identifies a run (seed, tier, shard i/n). Validation
 * runs on the JSON text as written (non-finite numbers are the strings "Infinity", "-Infinity",
 * "NaN": src/numerics/json.ts), so a bad file is refused with ONE line naming the file and the field
 * (`entries[3].verdict: …`) before anything is merged or written.
 *
 * Unknown keys are allowed (a newer writer may add fields); required fields, their types and ranges,
 * verdict and expected vocabularies, and claim ids (catalogue) are enforced.
 */
import { z } from 'zod';
import { USER_CLAIM_ID } from '../claims/user-claims.ts';
import { isClaimId } from '../claims/registry.ts';
import { nonFiniteReviver } from '../numerics/json.ts';
import type { Ledger } from '../verdict/types.ts';

/** A number as ledger.json writes it: finite, or one of the strings for ±∞ and NaN. */
const numberish = z.union([z.number(), z.enum(['Infinity', '-Infinity', 'NaN'])]);
const count = z.number().int().min(0);
/**
 * A catalogue id, or an id of user-claim shape (`verify --claims`: src/claims/user-claims.ts
 * USER_CLAIM_ID). Which ids a ledger may use is decided over the whole ledger (see ledgerSchema):
 * a catalogue id, or a user claim whose summary travels in the same ledger's `claims`.
 */
const claimId = z.string().refine((id) => isClaimId(id) || USER_CLAIM_ID.test(id), { message: 'unknown claim id: neither a catalogue claim id (src/claims/catalogue.ts) nor a user claim id' });
const verdict = z.enum(['holds', 'fails', 'fails-as-stated', 'inconclusive', 'weak', 'not-yet-checked']);
const expected = z.enum(['holds', 'fails-as-stated']);

const counterexample = z.object({
  seed: z.number().int(),
  path: z.string().nullable(),
  input: z.unknown(),
  comparison: z.unknown().nullable(),
  message: z.string(),
});

export const ledgerEntrySchema = z.object({
  claimId,
  check: z.string().min(1),
  alsoServes: z.array(claimId).optional(),
  verdict,
  expected,
  cases: count,
  n: count,
  statistics: z.record(z.string(), z.union([numberish, z.string(), z.null()])),
  worstMargin: numberish.nullable(),
  delta: z.number().min(0),
  certification: z.enum(['exact', 'certified', 'normal-approximation', 'asymptotic-estimate']).optional(),
  power: numberish.nullable(),
  seed: z.number().int(),
  replayPath: z.string().nullable(),
  counterexample: counterexample.nullable(),
  series: z.record(z.string(), z.array(numberish.nullable())).optional(),
  plots: z.array(z.object({}).passthrough()).optional(),
  notes: z.array(z.string()).optional(),
  file: z.string().optional(),
  test: z.string().optional(),
});

const claimSummary = z.object({ id: claimId }).passthrough();

export const ledgerSchema = z
  .object({
    seed: z.number().int(),
    tier: z.enum(['default', 'deep']),
    budget: z.number().positive(),
    entries: z.array(ledgerEntrySchema),
    claims: z.array(claimSummary).optional(),
  })
  .superRefine((ledger, ctx) => {
    // the typo guard: an entry's claim is in the catalogue or summarised in this ledger (user claims)
    const user = new Set((ledger.claims ?? []).map((c) => c.id).filter((id) => !isClaimId(id)));
    const known = (id: string) => isClaimId(id) || user.has(id);
    ledger.entries.forEach((e, i) => {
      if (!known(e.claimId)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'claimId'], message: `unknown claim id ${JSON.stringify(e.claimId)}: not in the catalogue and no user claim of that id is summarised in this ledger` });
      (e.alsoServes ?? []).forEach((id, j) => {
        if (!known(id)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'alsoServes', j], message: `unknown claim id ${JSON.stringify(id)}` });
      });
    });
  });

/** `i/n` with 1 ≤ i ≤ n (as `verify --shard` writes it into run.json). */
export const shardSchema = z
  .string()
  .regex(/^[1-9][0-9]*\/[1-9][0-9]*$/, { message: 'expected "i/n" with positive integers' })
  .refine((s) => Number(s.split('/')[0]) <= Number(s.split('/')[1]), { message: 'shard index above the shard count' });

/** The identifying part of run.json (other fields are informative and not checked). */
export const runIdentitySchema = z
  .object({
    seed: z.number().int(),
    tier: z.enum(['default', 'deep']),
    shard: shardSchema.optional(),
    vitest: z.object({ passed: count, failed: count, skipped: count }).passthrough().optional(),
  })
  .passthrough();

export type RunIdentity = z.infer<typeof runIdentitySchema>;

/** `entries[3].verdict`-style name of a zod issue path. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(top level)' : out;
}

/** Valid ⇒ the value; invalid ⇒ one line naming the first offending field. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${fieldName(issue.path)}: ${issue.message}`;
}

function parseText(text: string): Checked<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: `not JSON (${(err as Error).message.split('\n')[0]})` };
  }
}

/** Validates ledger.json text; the value has non-finite numbers revived. */
export function checkLedgerText(text: string): Checked<Ledger> {
  const raw = parseText(text);
  if (!raw.ok) return raw;
  const r = ledgerSchema.safeParse(raw.value);
  if (!r.success) return { ok: false, problem: firstProblem(r.error) };
  return { ok: true, value: JSON.parse(text, nonFiniteReviver) as Ledger };
}

/** Validates run.json text (identity fields only). */
export function checkRunText(text: string): Checked<RunIdentity> {
  const raw = parseText(text);
  if (!raw.ok) return raw;
  const r = runIdentitySchema.safeParse(raw.value);
  if (!r.success) return { ok: false, problem: firstProblem(r.error) };
  return { ok: true, value: r.data };
}
