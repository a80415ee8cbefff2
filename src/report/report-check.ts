/**
 * `npm run report:check [-- DIR]`: open a report's `index.html` (DIR, or the newest folder under
 * reports/ with an index.html) in headless Chromium and fail (exit 1) on a missing or empty plot or
 * on a console error. Exit 2: no report / no Chromium.
 *
 * Two independent layers:
 *  1. static: every `<img src>` is a relative file that exists and is well-formed SVG with a size;
 *     no `src`/`href` points to the network;
 *  2. browser: Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`):
 *     console errors (`Runtime.consoleAPICalled` error/assert), uncaught exceptions, and log
 *     entries at level error (failed loads, CSP violations) are collected; after `load` the page's
 *     own status (`data-report-status`, written by an inline script in index.html: images that did
 *     not load or have zero size, script errors) is read; a full-page screenshot is saved as
 *     `DIR/report-check.png` (with `--tiles`, also 1400-px slices `report-check-<k>.png`).
 * Chromium: $CHROMIUM or /usr/bin/chromium, flags: --headless --no-sandbox --disable-gpu --disable-background-networking (no network, no sandbox as root).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { svgProblem } from './xml-check.ts';

export interface CheckResult {
  readonly ok: boolean;
  readonly problems: string[];
  readonly warnings: string[];
  readonly screenshot: string | null;
  readonly plots: number;
}

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--mute-audio'];
const PAGE_WIDTH = 1200;
const MAX_SCREENSHOT_HEIGHT = 60000;
const LOAD_TIMEOUT_MS = 60_000;

/** Newest folder (by index.html mtime) under `root` that holds an index.html, or null. */
export function newestReportDir(root: string): string | null {
  if (!existsSync(root)) return null;
  let best: { dir: string; t: number } | null = null;
  for (const name of readdirSync(root)) {
    const f = join(root, name, 'index.html');
    if (!existsSync(f)) continue;
    const t = statSync(f).mtimeMs;
    if (!best || t > best.t) best = { dir: join(root, name), t };
  }
  return best?.dir ?? null;
}

/** Static checks of index.html and the files it references. */
export function staticCheck(dir: string): { problems: string[]; plots: number } {
  const problems: string[] = [];
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]);
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*["']?\s*((?:https?:|ftp:)?\/\/[^"'\s>]+)/gi)) problems.push(`network reference in index.html: ${m[1]}`);
  for (const m of html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^)"']+)/gi)) problems.push(`network reference in CSS: ${m[1]}`);
  for (const m of html.matchAll(/@import\b/gi)) problems.push(`@import in index.html at ${m.index}`);
  const expected = Number(/data-expected-plots="(\d+)"/.exec(html)?.[1] ?? NaN);
  if (Number.isFinite(expected) && srcs.length < expected) problems.push(`index.html declares ${expected} plots but has ${srcs.length} <img>`);
  for (const src of srcs) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('data:')) {
      problems.push(`plot not relative: ${src}`);
      continue;
    }
    if (src.startsWith('data:')) continue;
    const f = resolve(dir, decodeURIComponent(src));
    if (!f.startsWith(resolve(dir) + sep)) problems.push(`plot outside the report folder: ${src}`);
    else if (!existsSync(f)) problems.push(`missing plot file: ${src}`);
    else if (statSync(f).size === 0) problems.push(`empty plot file: ${src}`);
    else if (f.endsWith('.svg')) {
      const p = svgProblem(readFileSync(f, 'utf8'));
      if (p) problems.push(`broken SVG ${src}: ${p}`);
    }
  }
  return { problems, plots: srcs.length };
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, any>;
  result?: Record<string, any>;
  error?: { message: string };
  sessionId?: string;
}

/** Minimal DevTools-protocol client over Chromium's pipe (fd 3 in, fd 4 out; NUL-separated JSON). */
class PipeCdp {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (r: Record<string, any>) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: CdpMessage) => void)[] = [];

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buffer += chunk;
      let z: number;
      while ((z = this.buffer.indexOf('\0')) >= 0) {
        const raw = this.buffer.slice(0, z);
        this.buffer = this.buffer.slice(z + 1);
        let msg: CdpMessage;
        try {
          msg = JSON.parse(raw) as CdpMessage;
        } catch {
          continue;
        }
        if (msg.id !== undefined && this.pending.has(msg.id)) {
          const p = this.pending.get(msg.id)!;
          this.pending.delete(msg.id);
          if (msg.error) p.reject(new Error(msg.error.message));
          else p.resolve(msg.result ?? {});
        } else for (const l of this.listeners) l(msg);
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, any>> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.out.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  on(listener: (m: CdpMessage) => void): void {
    this.listeners.push(listener);
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Open index.html in headless Chromium; collect errors, page status and a full-page screenshot. */
export async function browserCheck(dir: string, chromium: string, screenshot: string, tileHeight = 0): Promise<{ problems: string[]; warnings: string[]; screenshot: string | null }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const userDir = mkdtempSync(join(tmpdir(), 'report-check-'));
  const child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${userDir}`, '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const cdp = new PipeCdp(child.stdio[3] as Writable, child.stdio[4] as Readable);
  child.on('error', (e) => cdp.failAll(e));
  child.on('exit', (code) => cdp.failAll(new Error(`chromium exited (${code}): ${stderr.split('\n').filter((l) => !/dbus|Fontconfig/i.test(l)).slice(-3).join(' | ')}`)));
  let shot: string | null = null;
  try {
    const { targetId } = await withTimeout(cdp.send('Target.createTarget', { url: 'about:blank' }), 20_000, 'create target');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    let loaded!: () => void;
    const loadFired = new Promise<void>((r) => (loaded = r));
    cdp.on((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Page.loadEventFired') loaded();
      else if (m.method === 'Runtime.consoleAPICalled') {
        const text = (p.args ?? []).map((a: any) => (a.value !== undefined ? String(a.value) : (a.description ?? a.type))).join(' ');
        if (p.type === 'error' || p.type === 'assert') problems.push(`console.${p.type}: ${text}`);
        else if (p.type === 'warning') warnings.push(`console.warn: ${text}`);
      } else if (m.method === 'Runtime.exceptionThrown') {
        const d = p.exceptionDetails ?? {};
        problems.push(`uncaught exception: ${d.exception?.description ?? d.text ?? 'unknown'}`);
      } else if (m.method === 'Log.entryAdded') {
        const e = p.entry ?? {};
        const line = `${e.source ?? 'log'}: ${e.text ?? ''}${e.url ? ` (${e.url})` : ''}`;
        if (e.level === 'error') problems.push(`console error (${line})`);
        else if (e.level === 'warning') warnings.push(line);
      }
    });
    await cdp.send('Runtime.enable', {}, sessionId);
    await cdp.send('Log.enable', {}, sessionId);
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: PAGE_WIDTH, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    const url = pathToFileURL(join(dir, 'index.html')).href;
    const nav = await cdp.send('Page.navigate', { url }, sessionId);
    if (nav.errorText) problems.push(`navigation failed: ${nav.errorText}`);
    await withTimeout(loadFired, LOAD_TIMEOUT_MS, 'page load');
    // let pending console/log events arrive
    await new Promise((r) => setTimeout(r, 300));
    const ev = await cdp.send('Runtime.evaluate', { expression: "document.documentElement.getAttribute('data-report-status')", returnByValue: true }, sessionId);
    const raw = ev.result?.value as string | null | undefined;
    let height = 900;
    if (!raw || raw === 'pending') problems.push(`page status not reported (data-report-status = ${JSON.stringify(raw ?? null)}): the inline check script did not run`);
    else {
      const st = JSON.parse(raw) as { ok: boolean; images: number; errors: string[]; missing: string[]; height: number };
      for (const e of st.errors) problems.push(`page: ${e}`);
      for (const m of st.missing) problems.push(`plot not shown: ${m}`);
      height = st.height || height;
    }
    const h = Math.min(Math.max(height, 600), MAX_SCREENSHOT_HEIGHT);
    if (height > MAX_SCREENSHOT_HEIGHT) warnings.push(`screenshot cut at ${MAX_SCREENSHOT_HEIGHT}px of ${height}px`);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: PAGE_WIDTH, height: h, deviceScaleFactor: 1, mobile: false }, sessionId);
    const png = await withTimeout(cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: PAGE_WIDTH, height: h, scale: 1 } }, sessionId), 30_000, 'screenshot');
    writeFileSync(screenshot, Buffer.from(png.data as string, 'base64'));
    shot = screenshot;
    // optional tiles (easier to read than one tall image): <screenshot>-1.png, -2.png, …
    for (let k = 0, y = 0; tileHeight > 0 && y < h; k++, y += tileHeight) {
      const clip = { x: 0, y, width: PAGE_WIDTH, height: Math.min(tileHeight, h - y), scale: 1 };
      const tile = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip }, sessionId);
      writeFileSync(screenshot.replace(/\.png$/, `-${k + 1}.png`), Buffer.from(tile.data as string, 'base64'));
    }
    await cdp.send('Browser.close').catch(() => undefined);
  } catch (err) {
    problems.push(`browser check failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(killer);
    rmSync(userDir, { recursive: true, force: true });
  }
  return { problems, warnings, screenshot: shot };
}

/** Static + browser check of the report in `dir`. */
export async function checkReport(dir: string, chromium = process.env.CHROMIUM ?? '/usr/bin/chromium', tileHeight = 0): Promise<CheckResult> {
  const st = staticCheck(dir);
  const br = await browserCheck(dir, chromium, join(dir, 'report-check.png'), tileHeight);
  const problems = [...st.problems, ...br.problems];
  return { ok: problems.length === 0, problems, warnings: br.warnings, screenshot: br.screenshot, plots: st.plots };
}

async function main(argv: string[]): Promise<number> {
  const tiles = argv.includes('--tiles');
  const args = argv.filter((a) => a !== '--tiles');
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    process.stderr.write('usage: report-check [--tiles] [DIR]   (DIR: a report folder; default: newest under reports/)\n');
    return 2;
  }
  const arg = args[0];
  const root = resolve(dirname(new URL(import.meta.url).pathname), '../../reports');
  const dir = arg ? resolve(arg) : newestReportDir(root);
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    process.stderr.write(`report:check: no index.html in ${dir ?? `${root}/*`}\n`);
    return 2;
  }
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    process.stderr.write(`report:check: Chromium not found at ${chromium} (apt-get install -y chromium, or set CHROMIUM)\n`);
    return 2;
  }
  const r = await checkReport(dir, chromium, tiles ? 1400 : 0);
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const p of r.problems) process.stderr.write(`problem: ${p}\n`);
  process.stdout.write(`report:check ${r.ok ? 'ok' : 'FAILED'}: ${dir} (${r.plots} plots, ${r.problems.length} problems${r.screenshot ? `, screenshot ${r.screenshot}` : ''})\n`);
  return r.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
