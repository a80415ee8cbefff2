/**
 * `collapse-check explain ID [--json]`: one claim's full catalogue record (src/claims/catalogue.ts):
 * statement, source and tag, assumptions, anchors (worked examples pinning the statement), expected
 * verdict, evidence (property file → named checks, and the claim id a shared check is recorded
 * under), support files, the oracle description and oracle references, and the commands that
 * check it and replay a failing case. Reads the catalogue only: runs nothing, writes no file.
 *
 * ID is matched exactly, else case-insensitively. Exit 0; 2 for a missing or unknown ID (the message
 * lists the known ids). --json: `{ claim: ClaimDocument & { anchors, evidence, supportFiles,
 * oracle, commands } }` on stdout (errors: the JSON error document of src/cli/main.ts).
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { EXIT_OK, UsageError, humanWriter, terminalSafe, toJson } from '../io.ts';
import { CLAIMS, claim, isClaimId } from '../../claims/registry.ts';
import { claimDocument, claimSummaryLines } from './claims.ts';

/** The catalogue id for ID (exact, else the one case-insensitive match); throws UsageError otherwise. */
export function resolveClaimId(id: string): string {
  if (isClaimId(id)) return id;
  const hit = CLAIMS.find((c) => c.id.toLowerCase() === id.toLowerCase());
  if (hit) return hit.id;
  throw new UsageError(`explain: unknown claim id "${terminalSafe(id)}" (known: ${CLAIMS.map((c) => c.id).join(', ')})`);
}

export function runExplain(rawId: string, opts: { json?: boolean }): number {
  const c = claim(resolveClaimId(rawId));
  const doc = claimDocument(c);
  const commands = {
    check: `collapse-check verify --claim ${c.id}`,
    checkDeep: `collapse-check verify --claim ${c.id} --tier deep`,
    replay:
      'verify prints a failing case as "replay: COLLAPSE_SEED=<seed> path <path>" and the ledger entry names its file; ' +
      'rerun that property file with that seed: COLLAPSE_SEED=<seed> npx vitest run <file>' +
      (doc.propertyFiles.length ? ` (this claim's files: ${doc.propertyFiles.join(', ')})` : ''),
  };
  if (opts.json) {
    process.stdout.write(
      toJson({
        claim: {
          ...doc,
          anchors: [...c.anchors],
          evidence: c.evidence.map((e) => ({ file: e.file, checks: [...e.checks], ...(e.via ? { via: e.via } : {}) })),
          supportFiles: [...c.supportFiles],
          oracle: c.oracle,
          commands,
        },
      }) + '\n',
    );
    return EXIT_OK;
  }
  const human = humanWriter(false);
  const [head, ...rest] = claimSummaryLines(doc);
  human(head!);
  for (const l of rest.filter((l) => !/^\s+(files|oracles):/.test(l))) human(l);
  human('  anchors:');
  for (const a of c.anchors) human(`    - ${a}`);
  human('  evidence:');
  if (c.evidence.length === 0) human('    (none yet)');
  for (const e of c.evidence) {
    human(`    ${e.file}${e.via ? ` (recorded under ${e.via})` : ''}`);
    for (const k of e.checks) human(`      - ${k}`);
  }
  human(`  support files: ${c.supportFiles.length ? c.supportFiles.join(', ') : '(none)'}`);
  human(`  oracle: ${c.oracle}`);
  for (const o of c.oracles) human(`    - ${o.ref}: ${o.role}`);
  human('  check:');
  human(`    ${commands.check}`);
  human(`    ${commands.checkDeep}`);
  human(`  replay: ${commands.replay}`);
  return EXIT_OK;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description(COMMAND_SUMMARIES.explain)
    .argument('<id>', 'claim id, e.g. P1-F1 (case-insensitive)')
    .option('--json', 'one JSON document { claim: {...} } on stdout')
    .action((id: string, opts: { json?: boolean }) => {
      setExit(runExplain(id, opts));
    });
}
