/** Environment variable naming the directory where recordCheck writes entry lines (set by `verify`). */
export const LEDGER_DIR_ENV = 'COLLAPSE_LEDGER_DIR';
