/**
 * Writing a run's outputs: `ledger.json` (byte-stable), `run.json` (timings, commit, machine,
 * budget split: everything not byte-stable), and the report through `renderReport(ledger, run,
 * outDir)` from src/report/render.ts when that module exists and exports it (checked at call time;
 * otherwise only the two JSON files are written and the caller says so).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Ledger } from '../verdict/types.ts';
import { serialiseLedger } from './ledger.ts';
import { toJson } from '../cli/io.ts';

export function writeLedgerFiles(outDir: string, ledger: Ledger, run: object): { ledgerPath: string; runPath: string } {
  mkdirSync(outDir, { recursive: true });
  const ledgerPath = join(outDir, 'ledger.json');
  const runPath = join(outDir, 'run.json');
  writeFileSync(ledgerPath, serialiseLedger(ledger));
  writeFileSync(runPath, toJson(run, 2) + '\n');
  return { ledgerPath, runPath };
}

const RENDER_PATH = fileURLToPath(new URL('../report/render.ts', import.meta.url));

/** Calls renderReport if available: returns the files written, or a reason string when not rendered. */
export async function tryRender(ledger: Ledger, run: object, outDir: string): Promise<{ files: string[] } | { skipped: string }> {
  if (!existsSync(RENDER_PATH)) return { skipped: 'src/report/render.ts not present: wrote ledger.json and run.json only' };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(RENDER_PATH).href)) as Record<string, unknown>;
  } catch (err) {
    return { skipped: `src/report/render.ts failed to load (${err instanceof Error ? err.message : String(err)}): wrote ledger.json and run.json only` };
  }
  const render = mod.renderReport;
  if (typeof render !== 'function') return { skipped: 'src/report/render.ts does not export renderReport: wrote ledger.json and run.json only' };
  const res = (await (render as (l: Ledger, r: object, o: string) => Promise<{ files: string[] }>)(ledger, run, outDir)) ?? { files: [] };
  return { files: res.files ?? [] };
}
