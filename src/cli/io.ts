/**
 * CLI conventions shared by every command: `--json` writes exactly one JSON document to stdout and
 * human text to stderr; exit codes; progress on a terminal vs plain lines in CI; JSON encoding of
 * non-finite numbers as the strings "Infinity", "-Infinity", "NaN".
 */
export { EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL } from './errors.ts';
/** Bad usage or input (the one error type, src/cli/errors.ts): one line, exit code 2, nothing written. */
export { BadInput as UsageError, BadInput } from './errors.ts';
export { terminalSafe } from '../numerics/text.ts';

/** The one JSON codec (non-finite numbers as strings, typed arrays as arrays): src/numerics/json.ts. */
export { toJson, jsonReplacer } from '../numerics/json.ts';

/** Human output: stdout normally, stderr under --json (stdout then holds only the JSON document). */
export function humanWriter(json: boolean): (line: string) => void {
  return (line) => (json ? process.stderr : process.stdout).write(line + '\n');
}

/**
 * Progress reporter: an in-place line on an interactive terminal (stderr is a TTY and CI unset),
 * otherwise plain lines, at most one per `plainEveryMs`.
 */
export function progress(label: string, total: number, plainEveryMs = 5000): { tick(done: number, note?: string): void; end(): void } {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let last = 0;
  return {
    tick(done, note = '') {
      const now = Date.now();
      if (tty) {
        const width = 24;
        const filled = Math.round((width * done) / Math.max(total, 1));
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}`.padEnd(80));
      } else if (now - last >= plainEveryMs || done === total) {
        last = now;
        process.stderr.write(`${label}: ${done}/${total}${note ? ' ' + note : ''}\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
