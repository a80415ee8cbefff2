/**
 * The published package works when installed (issue 16): `npm pack` (prepack builds dist/), then
 * the tarball is installed into a fresh temporary project OUTSIDE the repository (so no package
 * can resolve from the repository's own node_modules) with `npm install --offline --prefer-offline`
 * from the local npm cache, and every kind of command runs once from the installed package:
 * `--version`, `--help`, `simulate` on a shipped config, `audit` on a shipped example sampler,
 * `verify --claim P1-F1` (the built-in property files through vitest), `verify --claims` on a user
 * claim file written in the temporary project (importing 'collapse-check'), `claims` and `explain`
 * (every file the catalogue names is shipped), and the library entry
 * `import('collapse-check')`.
 *
 * Offline install: the npm cache holds the dependency tarballs (by integrity) but not necessarily
 * every registry document (packument) that a fresh resolution needs, so the temporary project gets
 * a package-lock.json derived from the repository's: the repository's non-dev lock entries (the
 * runtime dependency tree, same versions and integrities) plus an entry for the tarball. npm then
 * fetches every package from the cache by integrity without resolving. A package missing from the
 * cache skips the suite with npm's ENOTCACHED message as the stated reason.
 *
 * Exact checks only (exit codes, files, JSON fields); no timing assertions. Start-up CPU is measured
 * by bench/startup.ts. Deep tier: packing builds dist/ (tsc, ~40 s) and the install copies ~150
 * packages.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDeep } from '../support/tier.ts';
import { LEDGER_DIR_ENV } from '../../src/verdict/ledger-env.ts';
import { CLAIMS } from '../../src/claims/registry.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PACK_TIMEOUT_MS = 600_000;
const COMMAND_TIMEOUT_MS = 300_000;

interface LockEntry {
  version?: string;
  dev?: boolean;
  link?: boolean;
  [key: string]: unknown;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
}

/**
 * Environment of the installed CLI: without the outer run's ledger directory (a nested verify must
 * not write its entries into the ledger of the run executing this test), its verify nesting depth,
 * or vitest's worker variables.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env[LEDGER_DIR_ENV];
  delete env.COLLAPSE_VERIFY_DEPTH;
  delete env.COLLAPSE_TIER;
  delete env.COLLAPSE_FROM_SOURCE;
  delete env.NODE_OPTIONS;
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST' || k === 'NODE_ENV') delete env[k];
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeout = COMMAND_TIMEOUT_MS): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
}

function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status} signal ${r.signal}\nstdout: ${r.stdout?.slice(-2000)}\nstderr: ${r.stderr?.slice(-4000)}`;
}

let work = '';
let project = '';
let installed = '';
let tarballFiles: string[] = [];
let skipReason: string | null = null;

/** `npx collapse-check ARGS` in the temporary project (the installed bin, no network). */
const cli = (args: string[]) => run('npx', ['--offline', 'collapse-check', ...args], project);

describeDeep('package: npm pack, offline install into a fresh project, every command once (issue 16)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'collapse-pack-'));
    const pack = run('npm', ['pack', '--json', '--pack-destination', work], ROOT, PACK_TIMEOUT_MS);
    expect(pack.status, explain(pack)).toBe(0);
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(work, info[0]!.filename);
    tarballFiles = info[0]!.files.map((f) => f.path);

    project = join(work, 'project');
    const spec = `file:${tarball}`;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
    const rootEntry = lock.packages['']!;
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    const packages: Record<string, LockEntry> = {
      '': { name: 'collapse-check-install-test', version: '1.0.0', dependencies: { 'collapse-check': spec } },
      'node_modules/collapse-check': {
        version: rootEntry.version,
        resolved: spec,
        integrity,
        license: rootEntry.license,
        dependencies: rootEntry.dependencies,
        bin: rootEntry.bin,
        engines: rootEntry.engines,
      },
    };
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'collapse-check-install-test', version: '1.0.0', private: true, type: 'module', dependencies: { 'collapse-check': spec } }, null, 2),
    );
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'collapse-check-install-test', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
    const install = run('npm', ['install', '--offline', '--prefer-offline', '--no-audit', '--no-fund'], project, PACK_TIMEOUT_MS);
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) {
      skipReason = `the local npm cache lacks a package: ${/request to (\S+)/.exec(install.stderr)?.[1] ?? install.stderr.split('\n')[0]}`;
      return;
    }
    expect(install.status, explain(install)).toBe(0);
    installed = join(project, 'node_modules', 'collapse-check');
  }, PACK_TIMEOUT_MS + COMMAND_TIMEOUT_MS);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball ships dist/ with types and what verify needs, not CI, bench or the test-only tree', () => {
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/BUILD-STAMP', 'dist/parallel/worker-boot.mjs', 'bin/collapse-check.mjs', 'vitest.config.ts', 'properties/setup.ts', 'properties/theorems/p1-f1-refresh-identity.test.ts', 'src/verdict/engine.ts', 'fixtures/configs/gaussian-1d.json', 'fixtures/samplers/js/example-em.mjs', 'README.md', 'package.json']) {
      expect(tarballFiles, f).toContain(f);
    }
    const forbidden = tarballFiles.filter((f) => /^(\.ci|bench|scratch|reports|node_modules|properties\/campaign|properties\/mutation)\//.test(f) || f === 'properties/exact/package-install.test.ts');
    expect(forbidden).toEqual([]);
  });

  test('--version prints the package version', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const r = cli(['--version']);
    expect(r.status, explain(r)).toBe(0);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(r.stdout.trim()).toBe(version);
  });

  test('--help lists every command, none unavailable', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const r = cli(['--help']);
    expect(r.status, explain(r)).toBe(0);
    for (const c of ['verify', 'simulate', 'audit', 'merge', 'reproduce', 'fuzz', 'claims', 'explain']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    expect(r.stdout).not.toContain('unavailable');
  });

  test('the installed bin runs the compiled dist/: --version and --help work with src/cli/ moved away', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    expect(existsSync(join(installed, 'dist', 'BUILD-STAMP'))).toBe(true);
    const cliSources = join(installed, 'src', 'cli');
    const aside = join(installed, 'src', 'cli.moved-by-test');
    renameSync(cliSources, aside);
    try {
      for (const args of [['--version'], ['--help']]) {
        const r = cli(args);
        expect(r.status, explain(r)).toBe(0);
      }
    } finally {
      renameSync(aside, cliSources);
    }
  });

  test('simulate on the shipped gaussian-1d config: one JSON document, one row per generation 0…G', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const config = join(installed, 'fixtures', 'configs', 'gaussian-1d.json');
    const generations = (JSON.parse(readFileSync(config, 'utf8')) as { generations: number }).generations;
    const r = cli(['simulate', '--config', config, '--json']);
    expect(r.status, explain(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { generations: unknown[] };
    expect(doc.generations).toHaveLength(generations + 1);
  });

  test('audit of the shipped example Euler–Maruyama sampler passes and writes its report under --out', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const out = join(project, 'audit-out');
    const r = cli(['audit', '--sampler', join(installed, 'fixtures', 'samplers', 'js', 'example-em.mjs'), '--json', '--out', out]);
    expect(r.status, explain(r)).toBe(0);
    expect((JSON.parse(r.stdout) as { verdict: string }).verdict).toBe('pass');
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  test('verify --claim P1-F1 runs the built-in property file through vitest: holds, ledger written', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const out = join(project, 'verify-out');
    const r = cli(['verify', '--claim', 'P1-F1', '--json', '--out', out]);
    expect(r.status, explain(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { claims: Array<{ id: string; verdict: string }>; vitest: { passed: number; failed: number } };
    expect(doc.claims.map((c) => [c.id, c.verdict])).toEqual([['P1-F1', 'holds']]);
    expect(doc.vitest.failed).toBe(0);
    expect(doc.vitest.passed).toBeGreaterThan(0);
    expect(existsSync(join(out, 'ledger.json'))).toBe(true);
  });

  test('verify --claims runs a user claim file of the temporary project (importing collapse-check): holds, exit 0', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    // the worked example of docs/writing-a-claim.md, as a user writes it: `from 'collapse-check'`
    const source = readFileSync(join(ROOT, 'examples', 'claims', 'ou-w2-contraction.claim.ts'), 'utf8').replaceAll("from '../../src/index.ts'", "from 'collapse-check'");
    expect(source).toContain("from 'collapse-check'");
    expect(source).not.toContain('src/index.ts');
    mkdirSync(join(project, 'claims'), { recursive: true });
    writeFileSync(join(project, 'claims', 'ou-w2.claim.ts'), source);
    const out = join(project, 'user-claims-out');
    const r = cli(['verify', '--only-user-claims', '--claims', 'claims/*.claim.ts', '--json', '--out', out]);
    expect(r.status, explain(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { claims: Array<{ id: string; verdict: string; checks: number }> };
    expect(doc.claims.map((c) => [c.id, c.verdict, c.checks])).toEqual([['OU-W2-CONTRACTION', 'holds', 1]]);
    expect(existsSync(join(out, 'ledger.json'))).toBe(true);
  });

  test('claims --json lists the catalogue, and every property file and oracle module it names is in the installed package', (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const r = cli(['claims', '--json']);
    expect(r.status, explain(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { claims: Array<{ id: string; propertyFiles: string[]; oracles: Array<{ ref: string }> }> };
    expect(doc.claims.map((c) => c.id)).toEqual(CLAIMS.map((c) => c.id));
    const missing = doc.claims.flatMap((c) => [...c.propertyFiles, ...c.oracles.map((o) => o.ref.split('#')[0]!)]).filter((f) => !existsSync(join(installed, f)));
    expect(missing).toEqual([]);
    const one = cli(['explain', 'p1-f1', '--json']);
    expect(one.status, explain(one)).toBe(0);
    expect((JSON.parse(one.stdout) as { claim: { id: string; statement: string } }).claim).toMatchObject({ id: 'P1-F1', statement: CLAIMS.find((c) => c.id === 'P1-F1')!.statement });
  });

  test("the library entry resolves through the exports map: import('collapse-check')", (ctx) => {
    ctx.skip(skipReason !== null, skipReason ?? '');
    const script = "const m = await import('collapse-check'); const pkg = await import('collapse-check/package.json', { with: { type: 'json' } }); process.stdout.write(JSON.stringify({ checkProperty: typeof m.checkProperty, recordAndAssert: typeof m.recordAndAssert, rngForCase: typeof m.rngForCase, delta: m.ASSERTION_DELTA, name: pkg.default.name }));";
    const r = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(r.status, explain(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ checkProperty: 'function', recordAndAssert: 'function', rngForCase: 'function', delta: expect.any(Number), name: 'collapse-check' });
    // a deep import outside the exports map is refused
    const deep = run(process.execPath, ['--input-type=module', '-e', "await import('collapse-check/dist/cli/main.js')"], project);
    expect(deep.status).not.toBe(0);
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
