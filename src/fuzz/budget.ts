/**
 * `--budget` of `collapse-check fuzz`: seconds ("60s", "2m") and/or an evaluation count ("500"),
 * comma-separated ("60s,500"). Missing parts take the claim's default; an evaluation count alone
 * means no time limit (fully deterministic run). Throws BudgetError naming the flag and what is allowed (the CLI reports it as bad usage, exit 2).
 */
import type { Budget } from './target.ts';

export const MAX_EVALUATIONS = 10_000_000;

export class BudgetError extends Error {
  override readonly name = 'BudgetError';
}

/** Parses --budget ("60s", "2m", "500", "60s,500"); throws BudgetError naming the flag. */
export function parseBudget(raw: string | undefined, fallback: Budget): Budget {
  if (raw === undefined) return fallback;
  let seconds: number | null = null;
  let evaluations: number | null = null;
  for (const part of raw.split(',').map((s) => s.trim())) {
    const m = /^(\d+(?:\.\d+)?)(s|m|min)?$/.exec(part);
    if (!m) throw new BudgetError(`--budget: "${part}" is not allowed; use seconds ("60s", "2m"), an evaluation count ("500"), or both ("60s,500")`);
    const v = Number(m[1]);
    if (m[2] === undefined) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_EVALUATIONS) throw new BudgetError(`--budget: evaluation count must be an integer in [1, ${MAX_EVALUATIONS}] (got "${part}")`);
      evaluations = v;
    } else {
      const s = m[2] === 's' ? v : 60 * v;
      if (!(s > 0) || s > 86400) throw new BudgetError(`--budget: seconds must be in (0, 86400] (got "${part}")`);
      seconds = s;
    }
  }
  if (seconds === null && evaluations !== null) return { evaluations, seconds: Infinity };
  return { evaluations: evaluations ?? fallback.evaluations, seconds: seconds ?? fallback.seconds };
}

