/**
 * Writing a run's ledger files: `ledger.json` (byte-stable) and `run.json` (timings, commit,
 * machine, budget split: everything not byte-stable). The report is rendered by the caller (the
 * CLI, src/report/render.ts), one layer up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../verdict/types.ts';
import { serialiseLedger } from './ledger.ts';
import { toJson } from '../numerics/json.ts';

export function writeLedgerFiles(outDir: string, ledger: Ledger, run: object): { ledgerPath: string; runPath: string } {
  mkdirSync(outDir, { recursive: true });
  const ledgerPath = join(outDir, 'ledger.json');
  const runPath = join(outDir, 'run.json');
  writeFileSync(ledgerPath, serialiseLedger(ledger));
  writeFileSync(runPath, toJson(run, 2) + '\n');
  return { ledgerPath, runPath };
}
