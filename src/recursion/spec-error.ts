/**
 * The recursion's bad-input error: `path` is the JSON path of the offending config field
 * ('alpha', 't0', 'data.components[0].covariance', '' for the document), `reason` says what is
 * allowed. Thrown by the config parser (src/config/recursion-config.ts) and by the one validation
 * of a RecursionSpec (src/recursion/spec-check.ts); the CLI turns it into BadInput (exit 2).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(config)'}: ${reason}`);
  }
}
