#!/usr/bin/env node
// `npm run build` (run by `prepack`): compiles src/**/*.ts to dist/ (JavaScript + .d.ts) with
// tsconfig.build.json, then copies the plain-JavaScript modules of src/ (worker boot files such as
// src/parallel/worker-boot.mjs) into dist/ with their relative `.ts` specifiers rewritten to `.js`
// (tsc emits `.js` for every `.ts` module; it neither copies nor rewrites `.mjs` files).
// Finally writes dist/BUILD-STAMP, whose mtime bin/collapse-check.mjs compares with src/.
// The build goes to a fresh sibling directory that replaces dist/ at the end (two renames), so a
// CLI started meanwhile in the same checkout sees the old build or the new one, not half of one.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const finalDist = join(root, 'dist');
const dist = join(root, `dist.build-${process.pid}`);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  process.stderr.write(`build: tsc failed (exit ${r.status ?? r.signal})\n`);
  process.exit(1);
}

/** Relative specifiers ending in `.ts` inside string literals: './x.ts' → './x.js'. */
const TS_SPECIFIER = /(['"])(\.{1,2}\/[^'"\n]*?)\.ts\1/g;
let copied = 0;
function copyPlainModules(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) copyPlainModules(p);
    else if (/\.(mjs|cjs|js)$/.test(e.name)) {
      const target = join(dist, relative(src, p));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(p, 'utf8').replace(TS_SPECIFIER, '$1$2.js$1'));
      copied++;
    } else if (e.name.endsWith('.json')) {
      const target = join(dist, relative(src, p));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(p, target);
      copied++;
    }
  }
}
copyPlainModules(src);
writeFileSync(join(dist, 'BUILD-STAMP'), `built ${new Date().toISOString()} from src/ by bin/build.mjs\n`);
// another build may swap its dist/ in between our two renames: move whatever is there aside again
const old = join(root, `dist.old-${process.pid}`);
for (let attempt = 0; ; attempt++) {
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(finalDist, old);
  } catch {
    // no previous build
  }
  try {
    renameSync(dist, finalDist);
    break;
  } catch (err) {
    if (attempt >= 5) throw err;
  }
}
rmSync(old, { recursive: true, force: true });
process.stderr.write(`build: dist/ written (${copied} plain module(s) copied)\n`);
