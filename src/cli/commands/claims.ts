/**
 * `collapse-check claims [--json]`: every claim of the catalogue (src/claims/catalogue.ts), in
 * registry order, with its statement, source and source tag, assumptions, expected verdict, the
 * property files `verify --claim ID` runs (evidence files, then support files) and its oracles
 * (module reference and role). Reads the catalogue only: runs nothing, writes no file.
 *
 * Human text: one block per claim on stdout. --json: one document `{ claims: ClaimDocument[] }` on
 * stdout. Exit 0; 2 for bad usage (commander). `collapse-check explain ID` prints one claim in full.
 */
import { COMMAND_SUMMARIES } from '../command-summaries.ts';
import type { Command } from 'commander';
import { EXIT_OK, humanWriter, toJson } from '../io.ts';
import { CLAIMS, claimPropertyFiles, type ClaimRecord } from '../../claims/registry.ts';

/** One claim as `claims --json` and `explain --json` print it (a stable, flat view of the record). */
export interface ClaimDocument {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: string;
  readonly tag: string;
  readonly assumptions: readonly string[];
  readonly expected: 'holds' | 'fails-as-stated';
  /** true: no check yet, a run without entries does not fail (catalogue `pending`) */
  readonly pending: boolean;
  /** the files `verify --claim ID` runs: evidence files, then support files */
  readonly propertyFiles: readonly string[];
  readonly oracles: ReadonlyArray<{ readonly ref: string; readonly role: string }>;
}

export function claimDocument(c: ClaimRecord): ClaimDocument {
  return {
    id: c.id,
    title: c.title,
    statement: c.statement,
    source: c.source,
    tag: c.tag,
    assumptions: [...c.assumptions],
    expected: c.expected,
    pending: c.pending === true,
    propertyFiles: claimPropertyFiles(c.id),
    oracles: c.oracles.map((o) => ({ ref: o.ref, role: o.role })),
  };
}

/** The human block of one claim in the listing (explain prints more). */
export function claimSummaryLines(d: ClaimDocument): string[] {
  return [
    `${d.id}  ${d.title}  (expected: ${d.expected}${d.pending ? ', pending' : ''})`,
    `  statement:   ${d.statement}`,
    `  source:      ${d.source} ${d.tag}`,
    `  assumptions: ${d.assumptions.length ? d.assumptions.join('; ') : '(none)'}`,
    `  files:       ${d.propertyFiles.length ? d.propertyFiles.join(', ') : '(none yet)'}`,
    `  oracles:     ${d.oracles.length ? d.oracles.map((o) => o.ref).join(', ') : '(none)'}`,
  ];
}

export function runClaims(opts: { json?: boolean }): number {
  const docs = CLAIMS.map(claimDocument);
  if (opts.json) {
    process.stdout.write(toJson({ claims: docs }) + '\n');
    return EXIT_OK;
  }
  const human = humanWriter(false);
  for (const d of docs) {
    for (const l of claimSummaryLines(d)) human(l);
    human('');
  }
  human(`${docs.length} claims; \`collapse-check explain ID\` prints one in full, \`collapse-check verify --claim ID\` checks it.`);
  return EXIT_OK;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('claims')
    .description(COMMAND_SUMMARIES.claims)
    .option('--json', 'one JSON document { claims: [...] } on stdout')
    .action((opts: { json?: boolean }) => {
      setExit(runClaims(opts));
    });
}
