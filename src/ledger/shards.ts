/**
 * Which runs may be merged (issue 17 row 4): the inputs of `merge` must be the complete set of
 * shards 1/n … n/n of one run (each exactly once, the same n), or a single unsharded run; every
 * input must have the same seed, tier and false-alarm budget. Returns ONE line naming the offending
 * file and field, or null when the set is mergeable.
 */
import type { Ledger } from '../verdict/types.ts';
import type { RunIdentity } from './schema.ts';

export interface MergeInput {
  /** the ledger.json path (named in messages) */
  readonly file: string;
  /** the run.json path beside it */
  readonly runFile: string;
  readonly ledger: Ledger;
  readonly run: RunIdentity;
}

/** `i/n` → [i, n] (validated by shardSchema). */
function parseShard(s: string): [number, number] {
  const [i, n] = s.split('/').map(Number) as [number, number];
  return [i, n];
}

/** null if the inputs form one complete run, else the problem (one line). */
export function shardSetProblem(inputs: readonly MergeInput[]): string | null {
  if (inputs.length === 0) return 'no input';
  const first = inputs[0]!;
  for (const x of inputs) {
    if (x.run.seed !== x.ledger.seed) return `${x.runFile}: seed: ${x.run.seed} differs from its ledger.json's ${x.ledger.seed}`;
    if (x.run.tier !== x.ledger.tier) return `${x.runFile}: tier: ${x.run.tier} differs from its ledger.json's ${x.ledger.tier}`;
    if (x.ledger.seed !== first.ledger.seed) return `${x.file}: seed: ${x.ledger.seed} differs from ${first.file}'s ${first.ledger.seed}`;
    if (x.ledger.tier !== first.ledger.tier) return `${x.file}: tier: ${x.ledger.tier} differs from ${first.file}'s ${first.ledger.tier}`;
    if (x.ledger.budget !== first.ledger.budget) return `${x.file}: budget: ${x.ledger.budget} differs from ${first.file}'s ${first.ledger.budget}`;
  }
  const unsharded = inputs.filter((x) => x.run.shard === undefined);
  if (unsharded.length > 0) {
    if (inputs.length === 1) return null;
    return `${unsharded[0]!.runFile}: shard: absent (an unsharded run covers every file) but ${inputs.length} runs were given; merge the shards of one run only`;
  }
  const [, n] = parseShard(first.run.shard!);
  const seen = new Map<number, string>();
  for (const x of inputs) {
    const [i, m] = parseShard(x.run.shard!);
    if (m !== n) return `${x.runFile}: shard: ${x.run.shard} is one of ${m} shards, ${first.runFile} one of ${n}`;
    const dup = seen.get(i);
    if (dup !== undefined) return `${x.runFile}: shard: ${i}/${n} given twice (also ${dup})`;
    seen.set(i, x.runFile);
  }
  const missing: string[] = [];
  for (let i = 1; i <= n; i++) if (!seen.has(i)) missing.push(`${i}/${n}`);
  if (missing.length) return `missing shard${missing.length > 1 ? 's' : ''} ${missing.length > 10 ? `${missing.slice(0, 10).join(', ')}, … (${missing.length} in all)` : missing.join(', ')}: merge needs every shard of the run`;
  return null;
}
