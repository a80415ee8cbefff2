// Small committed summary of one Stryker JSON report (the big JSON/HTML in reports/mutation/ are
// git-ignored): counts per status, the score (killed + timeout over all valid mutants, Stryker's
// definition), and every surviving / uncovered mutant with its line and replacement.
// Usage: node properties/mutation/summarise.mjs <report name> <tests> <minutes>
//   reads reports/mutation/<name>.json, writes properties/mutation/results/<name>.json
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const [name, tests = '', minutes = ''] = process.argv.slice(2);
if (!name) throw new Error('usage: summarise.mjs <report name> <tests> <minutes>');
const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8'));
const out = { report: name, tests: tests.split(',').filter(Boolean), minutes: minutes === '' ? null : Number(minutes), modules: {} };
for (const [file, f] of Object.entries(report.files)) {
  const count = {};
  for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const killed = count.Killed ?? 0;
  const timeout = count.Timeout ?? 0;
  const survived = count.Survived ?? 0;
  const noCoverage = count.NoCoverage ?? 0;
  const valid = killed + timeout + survived + noCoverage;
  out.modules[file] = {
    mutants: f.mutants.length,
    killed,
    timeout,
    survived,
    noCoverage,
    errors: (count.CompileError ?? 0) + (count.RuntimeError ?? 0),
    score: valid === 0 ? null : Math.round((10000 * (killed + timeout)) / valid) / 100,
    remaining: f.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => `${m.status} L${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${m.replacement.replace(/\s+/g, ' ').slice(0, 120)}`),
  };
}
mkdirSync('properties/mutation/results', { recursive: true });
writeFileSync(`properties/mutation/results/${name}.json`, JSON.stringify(out, null, 2) + '\n');
for (const [file, s] of Object.entries(out.modules)) {
  console.log(`${file}: ${s.mutants} mutants, ${s.killed} killed, ${s.timeout} timeout, ${s.survived} survived, ${s.noCoverage} no coverage → ${s.score} %`);
  for (const r of s.remaining) console.log('  ' + r);
}
