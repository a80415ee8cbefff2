/**
 * Validation of JUnit XML against the Apache Ant JUnit schema (fixtures/junit/JUnit.xsd, provenance
 * and licence in fixtures/junit/README.md) with libxml2's XSD validator compiled to WebAssembly
 * (`xmllint-wasm`, a pinned devDependency: no native build, no network). Shared by
 * properties/exact/junit.test.ts and properties/exact/ci-recipe.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

export const JUNIT_XSD_PATH = join(import.meta.dirname, '..', '..', 'fixtures', 'junit', 'JUnit.xsd');

/** SHA-256 of the fixture as copied (fixtures/junit/README.md states the same). */
export const JUNIT_XSD_SHA256 = '3b2fd1f2859dc271f56a319cf37afd457b9628b3b3a47e345bd5cf199bcb4a9e';

export function junitXsd(): string {
  return readFileSync(JUNIT_XSD_PATH, 'utf8');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Validates each document (one xmllint call for all of them); returns, per document name, the
 * schema or well-formedness errors found in it (empty: valid). Errors without a file position are
 * returned under the key '' (none expected); position-less context lines go with the error before them.
 */
export async function schemaErrors(docs: Readonly<Record<string, string>>): Promise<Record<string, string[]>> {
  const names = Object.keys(docs);
  const res = await validateXML({ xml: names.map((n) => ({ fileName: n, contents: docs[n]! })), schema: [{ fileName: 'JUnit.xsd', contents: junitXsd() }] });
  const out: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, [] as string[]]));
  // a parser error is followed by context lines without a position: they belong to the error before
  let last = '';
  for (const e of res.errors) {
    if (e.loc) last = e.loc.fileName;
    (out[last] ??= []).push(e.message);
  }
  if (!res.valid && res.errors.length === 0) (out[''] ??= []).push(`xmllint reported invalid without a message: ${res.rawOutput}`);
  return out;
}
