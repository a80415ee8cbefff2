/**
 * `docs/claims.md`, generated from the claim catalogue (src/claims/catalogue.ts):
 *
 *   node bin/run-ts.mjs src/claims/docs.ts          # rewrite docs/claims.md
 *   node bin/run-ts.mjs src/claims/docs.ts --check  # exit 1 if docs/claims.md is stale
 *
 * `renderClaimsDoc()` is a pure function of the catalogue (no clock), so the document is stable;
 * properties/exact/claims-catalogue.test.ts fails when the committed file differs from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATALOGUE, type ClaimRecord } from './catalogue.ts';

/** Project-relative location of the generated document. */
export const CLAIMS_DOC_PATH = 'docs/claims.md';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Anchor of a claim's section (GitHub's slug of `## <id> — <title>` is not stable; we set our own). */
export function claimAnchor(id: string): string {
  return 'claim-' + id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function section(c: ClaimRecord): string[] {
  const out: string[] = [];
  out.push(`<a id="${claimAnchor(c.id)}"></a>`, '', `## ${c.id} — ${c.title}`, '');
  out.push(`**Statement.** ${c.statement}`, '');
  out.push(`- **source:** ${c.source} ${c.tag}`);
  out.push(`- **expected verdict:** ${c.expected}${c.pending ? ' (pending: checks being written; a run without entries reports not-yet-checked without failing)' : ''}`);
  out.push(`- **assumptions:** ${c.assumptions.length ? c.assumptions.join('; ') : 'none stated'}`);
  if (c.anchors.length) out.push(`- **anchors:** ${c.anchors.join('; ')}`);
  out.push(`- **oracle:** ${c.oracle}`);
  for (const o of c.oracles) out.push(`  - \`${o.ref}\`: ${o.role}`);
  if (c.evidence.length === 0) out.push('- **evidence:** none yet');
  else {
    out.push('- **evidence:**');
    for (const e of c.evidence) {
      out.push(`  - \`${e.file}\`${e.via ? ` (recorded under ${e.via}, serves ${c.id} via alsoServes)` : ''}`);
      for (const k of e.checks) out.push(`    - check \`${k}\``);
    }
  }
  if (c.supportFiles.length) out.push(`- **support files** (test the oracles, record no entry): ${c.supportFiles.map((f) => `\`${f}\``).join(', ')}`);
  out.push('');
  return out;
}

/** The whole document. */
export function renderClaimsDoc(): string {
  const out: string[] = [
    '# Claims checked by collapse-check',
    '',
    '<!-- Generated from src/claims/catalogue.ts by `node bin/run-ts.mjs src/claims/docs.ts`; do not edit by hand. -->',
    '',
    'Each claim has an id used by every property, ledger entry and report line. Source tags: [V] the formula',
    'was seen in the paper, [S] described there in words, [I] derived by this project (a claim to check, not a',
    'fact). A run fails when any verdict differs from the expected one; a claim marked pending may have no',
    'check yet.',
    '',
    '| id | title | expected | source | evidence files |',
    '|---|---|---|---|---|',
    ...CATALOGUE.map((c) => `| [${c.id}](#${claimAnchor(c.id)}) | ${cell(c.title)} | ${c.expected}${c.pending ? ' (pending)' : ''} | ${cell(`${c.source} ${c.tag}`)} | ${new Set(c.evidence.map((e) => e.file)).size} |`),
    '',
  ];
  for (const c of CATALOGUE) out.push(...section(c));
  return out.join('\n');
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const path = resolve(ROOT, CLAIMS_DOC_PATH);
  const text = renderClaimsDoc();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) {
      process.stderr.write(`${CLAIMS_DOC_PATH} is stale: run node bin/run-ts.mjs src/claims/docs.ts\n`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${CLAIMS_DOC_PATH}\n`);
  }
}
