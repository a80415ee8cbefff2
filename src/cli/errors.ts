/**
 * One error model for every command (issue 17):
 * - bad usage or input (a flag, a config field, a file, a path): `BadInput`, reported as ONE line
 *   naming the flag / field / file and what is allowed, exit code 2, nothing written;
 * - a check that failed: the command returns exit code 1 itself (not an error);
 * - anything else is an internal error (a bug of collapse-check): exit code 1 with a one-line
 *   message; the stack trace only with `--debug` (or COLLAPSE_DEBUG=1).
 * With `--json` the error is also one JSON document on stdout (`errorDocument`), so stdout is
 * never empty.
 */
import { terminalSafe } from '../numerics/text.ts';

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
/** Internal error (a collapse-check bug, not the user's input): same code as a failed check, so CI fails. */
export const EXIT_INTERNAL = 1;

/** Bad usage or input: one line naming the flag, field or file and what is allowed; exit 2. */
export class BadInput extends Error {
  override readonly name: string = 'BadInput';
}

export type ErrorKind = 'bad-input' | 'internal';

export interface ReportedError {
  readonly kind: ErrorKind;
  readonly exitCode: number;
  /** one line, terminal-safe */
  readonly message: string;
  /** the stack, only when asked for (--debug) */
  readonly stack?: string;
}

/** Classifies an error thrown by a command (BadInput → 2, anything else → internal, 1). */
export function classifyError(err: unknown, debug: boolean): ReportedError {
  if (err instanceof BadInput) return { kind: 'bad-input', exitCode: EXIT_USAGE, message: oneLine(err.message) };
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const stack = debug && err instanceof Error && err.stack ? err.stack : undefined;
  return { kind: 'internal', exitCode: EXIT_INTERNAL, message: `internal error: ${oneLine(message)}`, ...(stack ? { stack } : {}) };
}

/** The JSON document printed on stdout for an error under --json. */
export function errorDocument(e: ReportedError, command: string | null): Record<string, unknown> {
  return { ok: false, command, error: { kind: e.kind, message: e.message, exitCode: e.exitCode, ...(e.stack ? { stack: e.stack } : {}) } };
}

/** Human line on stderr: `collapse-check: message` (+ stack under --debug, + a hint otherwise). */
export function errorText(e: ReportedError): string {
  if (e.kind === 'internal') return `collapse-check: ${e.message}\n${e.stack ? e.stack + '\n' : '(this is a bug in collapse-check; rerun with --debug for the stack trace)\n'}`;
  return `collapse-check: ${e.message}\n`;
}

function oneLine(s: string): string {
  const first = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return terminalSafe(first.length > 500 ? first.slice(0, 500) + '…' : first);
}
