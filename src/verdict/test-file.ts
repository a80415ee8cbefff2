/**
 * Which property file is running, for the `file` field of recorded ledger entries, without the
 * verdict layer importing the test runner: the runner's setup (properties/setup.ts) registers a
 * provider of the running test file's absolute path; outside a test run there is none and entries
 * carry no file.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let provider: (() => string | undefined) | null = null;

/** Registers (or with null, removes) the provider of the running test file's absolute path. */
export function setTestFileProvider(p: (() => string | undefined) | null): void {
  provider = p;
}

/** Project-relative path of the running test file, or undefined (no provider, or it has none). */
export function currentTestFile(): string | undefined {
  let p: string | undefined;
  try {
    p = provider?.();
  } catch {
    return undefined;
  }
  return p ? relative(ROOT, p).split('\\').join('/') : undefined;
}

let nameProvider: (() => string | undefined) | null = null;

/** Registers (or with null, removes) the provider of the running test's name ("describe > … > it"). */
export function setTestNameProvider(p: (() => string | undefined) | null): void {
  nameProvider = p;
}

/** The running test's name, or undefined (no provider, or it has none). */
export function currentTestName(): string | undefined {
  try {
    const n = nameProvider?.();
    return typeof n === 'string' && n !== '' ? n : undefined;
  } catch {
    return undefined;
  }
}
