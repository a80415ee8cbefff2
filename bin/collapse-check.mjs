#!/usr/bin/env node
// Entry point of the `collapse-check` CLI.
// - an installed package (no .git beside package.json) with dist/: runs the compiled JavaScript
//   (fast start-up, no TypeScript loader). File times say nothing there: npm extracts the tarball
//   in any order, so src/ files may be "newer" than the build stamp.
// - a git checkout with dist/ (after `npm run build`) and no file in src/ newer than
//   dist/BUILD-STAMP: the compiled JavaScript too.
// - otherwise (a fresh clone: `npm ci && npx collapse-check verify` needs no build step, or sources
//   edited after the last build): loads the TypeScript sources through tsx, as before.
// COLLAPSE_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** mtime (ms) of dist/BUILD-STAMP, or -∞ when there is no complete build. */
function buildTime() {
  try {
    return statSync(join(root, 'dist', 'BUILD-STAMP')).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** True when some file under `dir` was modified after `t` (stops at the first one). */
function newerThan(dir, t) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() ? newerThan(p, t) : statSync(p).mtimeMs > t) return true;
  }
  return false;
}

const stamp = process.env.COLLAPSE_FROM_SOURCE === '1' ? -Infinity : buildTime();
let entry;
const checkout = existsSync(join(root, '.git'));
if (stamp > -Infinity && (!checkout || !newerThan(join(root, 'src'), stamp))) {
  entry = join(root, 'dist', 'cli', 'main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'src', 'cli', 'main.ts');
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
