/**
 * In-process driver: `collapse-check audit --sampler FILE` with FILE a .mjs/.js/.cjs/.ts/.mts module
 * whose default export is `{ name, sample(request, score) }` (issue 7, way in 1).
 *
 * Containment (issue 17 rows 1, 3): the module runs in a worker thread, never in the harness's own
 * thread. So `process.exit()` in the module (top level or `sample`) ends only the worker — a
 * protocol error `early-exit`, never a pass —; a synchronous infinite loop is stopped by
 * `worker.terminate()` when the per-request time limit passes (`timeout`); Ctrl-C reaches the
 * harness, which terminates the worker (`aborted`). The sampler's stdout and stderr are captured
 * (bounded) for the report and never mix with the harness's --json output.
 *
 * Score callback across threads: `score(t, x)` stays synchronous for the sampler. The worker
 * posts (t, x) on a dedicated MessagePort and blocks in `Atomics.wait` on a shared flag (in
 * slices of WAIT_SLICE_MS so termination is never delayed); the harness computes the score, posts
 * the reply and raises the flag; the worker takes the reply with `receiveMessageOnPort`.
 *
 * The module may also export `kind` ('sde' | 'ode') and `order` (1 | 2): reported as `declared`.
 *
 * Bad input (exit 2, BadInput from src/cli/errors.ts — thrown as `SamplerLoadError` here, which the
 * CLI maps): a missing file, a directory, an extension that is not a JS/TS module (e.g. `.py`: use
 * --command), a module that fails to import (syntax error, missing dependency), no valid default
 * export. A module that exits or hangs while loading is a ProtocolError (`early-exit` / `timeout`).
 */
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { extname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkFlatResult, ProtocolError, type CapturedText, type RequestContext, type SampleRequest, type SamplerDriver, type ScoreFn } from './protocol.ts';

/** Extensions a module sampler may have (.ts/.mts load through tsx in the worker). */
export const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs', '.ts', '.mts'] as const;
/** Slice of the worker's blocking wait for a score reply (termination latency bound). */
const WAIT_SLICE_MS = 50;
/** Sampler stdout/stderr kept for the report: first and last KEEP_BYTES bytes. */
const KEEP_BYTES = 32 * 1024;
/**
 * JS heap limit of the sampler's thread: a sampler that exhausts it ends its worker (protocol
 * error `crash`) instead of the harness. Particle arrays are typed arrays, outside this heap.
 */
export const SAMPLER_HEAP_MB = 2048;

/** A sampler module that cannot be used as given: bad input (the CLI exits 2, writes nothing). */
export class SamplerLoadError extends Error {
  override readonly name = 'SamplerLoadError';
}

/** Worker program (CommonJS, evaluated): loads the module, answers `sample` messages. */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const { url, scorePort, flag, slice, tsxApi } = workerData;
const post = (m) => parentPort.postMessage(m);
const describe = (e) => (e && e.message ? e.name + ': ' + e.message : String(e));
function score(t, x) {
  Atomics.store(flag, 0, 0);
  const copy = x instanceof Float64Array ? Float64Array.from(x) : Float64Array.from(Array.from(x ?? []));
  scorePort.postMessage({ t, x: copy }, [copy.buffer]);
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, slice);
  const reply = receiveMessageOnPort(scorePort);
  if (!reply) throw new Error('score reply missing');
  if (reply.message.error !== undefined) throw new Error(reply.message.error);
  return reply.message.s;
}
(async () => {
  let mod;
  try {
    if (tsxApi) (await import(tsxApi)).register();
    mod = await import(url);
  } catch (e) {
    post({ type: 'load-error', kind: e instanceof SyntaxError ? 'syntax' : 'import', message: describe(e) });
    return;
  }
  const s = mod && mod.default;
  if (!s || typeof s !== 'object' || typeof s.sample !== 'function') {
    post({ type: 'load-error', kind: 'no-default', message: 'has no default export { name, sample(request, score) }' });
    return;
  }
  post({ type: 'ready', name: typeof s.name === 'string' ? s.name : null, kind: s.kind === 'sde' || s.kind === 'ode' ? s.kind : null, order: s.order === 1 || s.order === 2 ? s.order : null });
  parentPort.on('message', async (m) => {
    if (m.type !== 'sample') return;
    let value;
    try {
      value = await s.sample(m.req, score);
    } catch (e) {
      post({ type: 'throw', message: describe(e) });
      return;
    }
    try {
      post({ type: 'result', x: value });
    } catch (e) {
      post({ type: 'unsendable', message: describe(e) });
    }
  });
})();
`;

type WorkerMessage =
  | { type: 'ready'; name: string | null; kind: 'sde' | 'ode' | null; order: 1 | 2 | null }
  | { type: 'load-error'; kind: 'syntax' | 'import' | 'no-default'; message: string }
  | { type: 'throw'; message: string }
  | { type: 'result'; x: unknown }
  | { type: 'unsendable'; message: string };

/** Bounded capture of a text stream (head and tail). */
function capture() {
  let bytes = 0;
  let head = '';
  let tail = '';
  return {
    add(chunk: string) {
      bytes += Buffer.byteLength(chunk);
      if (head.length < KEEP_BYTES) head += chunk.slice(0, KEEP_BYTES - head.length);
      tail = (tail + chunk).slice(-KEEP_BYTES);
    },
    text(): CapturedText {
      return { bytes, head, tail: bytes > KEEP_BYTES ? tail : '', truncated: bytes > 2 * KEEP_BYTES };
    },
  };
}

/** Checks the file before any thread starts; throws SamplerLoadError naming the file and what is allowed. */
export function checkSamplerFile(file: string): string {
  if (file.trim() === '') throw new SamplerLoadError('--sampler must name a module file, got an empty string');
  const path = resolve(file);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new SamplerLoadError(`--sampler ${file}: no such file`);
  }
  if (st.isDirectory()) throw new SamplerLoadError(`--sampler ${file}: is a directory; give the module file (${MODULE_EXTENSIONS.join(', ')})`);
  const ext = extname(path).toLowerCase();
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new SamplerLoadError(`--sampler ${file}: a ${ext || 'file without extension'} is not a JavaScript/TypeScript module (${MODULE_EXTENSIONS.join(', ')}); run other programs with --command "…", e.g. --command "python3 ${file}"`);
  }
  return path;
}

/** tsx's loader API for a TypeScript sampler (registered inside the worker), else null. */
function tsxApiFor(path: string): string | null {
  const ext = extname(path).toLowerCase();
  if (ext !== '.ts' && ext !== '.mts') return null;
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    try {
      return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    } catch {
      return null;
    }
  }
}

/**
 * Loads the module in a fresh worker thread. `signal` (the CLI's Ctrl-C) interrupts a load that
 * hangs or loops at the module's top level: ProtocolError `aborted`.
 */
export async function loadInProcessSampler(file: string, timeoutSeconds: number, options: { signal?: AbortSignal } = {}): Promise<SamplerDriver> {
  const path = checkSamplerFile(file);
  if (options.signal?.aborted) throw new ProtocolError('aborted', null, 'interrupted before the sampler was loaded');
  const { port1: harnessPort, port2: workerPort } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url: pathToFileURL(path).href, scorePort: workerPort, flag, slice: WAIT_SLICE_MS, tsxApi: tsxApiFor(path) },
    transferList: [workerPort],
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: SAMPLER_HEAP_MB },
  });
  const out = capture();
  const err = capture();
  worker.stdout.setEncoding('utf8');
  worker.stderr.setEncoding('utf8');
  worker.stdout.on('data', (c: string) => out.add(c));
  worker.stderr.on('data', (c: string) => err.add(c));

  // ---- event plumbing: one pending waiter at a time ----
  let exited: number | null = null;
  let crashed: string | null = null;
  let aborted: string | null = null;
  let terminated = false;
  let pending: ((m: WorkerMessage | { type: 'exit' } | { type: 'error' } | { type: 'abort' }) => void) | null = null;
  const deliver = (m: Parameters<NonNullable<typeof pending>>[0]) => {
    const p = pending;
    pending = null;
    p?.(m);
  };
  worker.on('message', (m: WorkerMessage) => deliver(m));
  worker.on('error', (e) => {
    crashed = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    deliver({ type: 'error' });
  });
  worker.on('exit', (code) => {
    exited = code;
    deliver({ type: 'exit' });
  });
  const terminate = () => {
    if (terminated) return;
    terminated = true;
    harnessPort.close();
    void worker.terminate();
  };

  // score requests from the worker: computed here, answered through the port + shared flag
  let scoreFailure: ProtocolError | null = null;
  let currentScore: ScoreFn | null = null;
  harnessPort.on('message', (m: { t: number; x: Float64Array }) => {
    let reply: { s: Float64Array } | { error: string };
    try {
      if (!currentScore) throw new Error('score called outside a request');
      const s = currentScore(m.t, m.x);
      reply = { s };
    } catch (e) {
      if (e instanceof ProtocolError) scoreFailure = e;
      reply = { error: e instanceof Error ? e.message : String(e) };
    }
    harnessPort.postMessage(reply, 's' in reply ? [reply.s.buffer as ArrayBuffer] : []);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });

  const next = (ms: number) =>
    new Promise<Parameters<NonNullable<typeof pending>>[0] | { type: 'timeout' }>((res) => {
      const timer = setTimeout(() => {
        pending = null;
        res({ type: 'timeout' });
      }, ms);
      pending = (m) => {
        clearTimeout(timer);
        res(m);
      };
    });

  const exitText = () => `the sampler ended its thread (process.exit(${exited ?? '?'})) ${crashed ? `after an uncaught error: ${crashed}` : ''}`.trim();
  const limitMs = Math.round(timeoutSeconds * 1000);

  // ---- load ----
  const onAbort = () => {
    aborted = 'interrupted while the sampler was loading';
    terminate();
    deliver({ type: 'abort' });
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const loaded = await next(limitMs);
  options.signal?.removeEventListener('abort', onAbort);
  if (loaded.type !== 'ready') {
    terminate();
    if (loaded.type === 'abort') throw new ProtocolError('aborted', null, aborted ?? 'interrupted');
    if (loaded.type === 'load-error') {
      if (loaded.kind === 'no-default') throw new SamplerLoadError(`--sampler ${file} ${loaded.message}`);
      throw new SamplerLoadError(`--sampler ${file}: cannot import the module (${loaded.kind === 'syntax' ? 'syntax error' : 'import failed'}): ${loaded.message}`);
    }
    if (loaded.type === 'timeout') throw new ProtocolError('timeout', null, `loading ${file} took longer than ${timeoutSeconds} s`);
    if (loaded.type === 'error') throw new ProtocolError('crash', null, `loading ${file} threw: ${crashed}`);
    throw new ProtocolError('early-exit', null, `${file}: ${exitText()} while loading`);
  }
  const name = loaded.name && loaded.name.length > 0 ? loaded.name : file;
  // what the module declares about itself (issue 15: exported `kind` 'sde' | 'ode', `order` 1 | 2)
  const declared = { ...(loaded.kind ? { kind: loaded.kind } : {}), ...(loaded.order ? { order: loaded.order } : {}) };

  const driver = {
    kind: 'in-process' as const,
    declared,
    name,
    async sample(req: SampleRequest, score: ScoreFn, ctx: RequestContext): Promise<Float64Array> {
      if (aborted !== null) throw new ProtocolError('aborted', ctx, aborted);
      if (terminated || exited !== null) throw new ProtocolError('early-exit', ctx, exitText());
      scoreFailure = null;
      currentScore = score;
      const started = Date.now();
      worker.postMessage({ type: 'sample', req: { ...req, x0: Float64Array.from(req.x0) } });
      try {
        const m = await next(limitMs);
        if (scoreFailure) throw scoreFailure;
        switch (m.type) {
          case 'result':
            if (Date.now() - started > limitMs) throw new ProtocolError('timeout', ctx, `result arrived after the ${timeoutSeconds} s limit`);
            return checkFlatResult(m.x, req.n, req.dim, ctx);
          case 'throw':
            throw new ProtocolError('crash', ctx, `sample() threw: ${m.message}`);
          case 'unsendable':
            throw new ProtocolError('wrong-shape', ctx, `sample() returned a value that cannot be passed back (${m.message}); return a Float64Array of n·dim numbers`);
          case 'timeout':
            throw new ProtocolError('timeout', ctx, `no result after ${timeoutSeconds} s (the sampler's thread was stopped)`);
          case 'abort':
            throw new ProtocolError('aborted', ctx, aborted ?? 'aborted');
          case 'error':
            throw new ProtocolError('crash', ctx, `uncaught error in the sampler: ${crashed}`);
          case 'exit':
            throw new ProtocolError('early-exit', ctx, `${exitText()} before answering`);
          default:
            throw new ProtocolError('bad-message', ctx, `unexpected message ${JSON.stringify((m as { type: unknown }).type)}`);
        }
      } catch (e) {
        terminate();
        throw e;
      } finally {
        currentScore = null;
      }
    },
    async close() {
      terminate();
    },
    abort(reason: string) {
      aborted = reason;
      terminate();
      deliver({ type: 'abort' });
    },
    stderr(): CapturedText {
      const e = err.text();
      const o = out.text();
      if (o.bytes === 0) return e;
      // stdout of an in-process sampler is not protocol: kept with stderr for the report
      return { bytes: e.bytes + o.bytes, head: e.head + (o.head ? `\n[stdout]\n${o.head}` : ''), tail: e.tail + (o.tail ? `\n[stdout]\n${o.tail}` : ''), truncated: e.truncated || o.truncated };
    },
  };
  const typed: SamplerDriver = driver;
  return typed;
}
