/**
 * In-process driver: `collapse-check audit --sampler FILE` with FILE a .mjs/.js/.ts module whose
 * default export is `{ name, sample(request, score) }` (issue 7, way in 1). `.ts` loads because
 * bin/collapse-check.mjs registers tsx before the CLI starts.
 *
 * Time limit: a sampler that awaits is interrupted by the timer; a synchronous sampler cannot be
 * pre-empted in the same thread, so the score callback throws once the deadline has passed (any
 * sampler that asks for scores is stopped within one score call) and a result that arrives after
 * the deadline is still a `timeout`. A pure CPU loop that never calls score cannot be interrupted:
 * audit untrusted code with `--command`, which runs it in a child process.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { checkFlatResult, ProtocolError, type CapturedText, type RequestContext, type SampleRequest, type SamplerDriver, type ScoreFn } from './protocol.ts';

interface SamplerModule {
  readonly name: string;
  sample(request: SampleRequest, score: ScoreFn): Float64Array | Promise<Float64Array>;
}

class DeadlinePassed extends Error {}

export async function loadInProcessSampler(file: string, timeoutSeconds: number): Promise<SamplerDriver> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ProtocolError('load', null, `sampler file ${file} does not exist`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    throw new ProtocolError('load', null, `cannot import ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const s = mod.default as Partial<SamplerModule> | undefined;
  if (!s || typeof s !== 'object' || typeof s.sample !== 'function') {
    throw new ProtocolError('load', null, `${file} has no default export { name, sample(request, score) }`);
  }
  const name = typeof s.name === 'string' && s.name.length > 0 ? s.name : file;
  const sampler = s as SamplerModule;
  let abortReject: ((e: Error) => void) | null = null;
  let aborted: string | null = null;
  return {
    kind: 'in-process',
    name,
    async sample(req: SampleRequest, score: ScoreFn, ctx: RequestContext): Promise<Float64Array> {
      if (aborted !== null) throw new ProtocolError('aborted', ctx, aborted);
      const deadline = Date.now() + timeoutSeconds * 1000;
      let timedOut = false;
      const guarded: ScoreFn = (t, x) => {
        if (aborted !== null) throw new DeadlinePassed('aborted');
        if (Date.now() > deadline) {
          timedOut = true;
          throw new DeadlinePassed(`audit deadline passed (${timeoutSeconds} s)`);
        }
        return score(t, x);
      };
      const request: SampleRequest = { ...req, x0: Float64Array.from(req.x0) };
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProtocolError('timeout', ctx, `no result after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
        abortReject = (e) => reject(e);
      });
      let value: unknown;
      try {
        value = await Promise.race([Promise.resolve().then(() => sampler.sample(request, guarded)), limit]);
      } catch (err) {
        if (err instanceof ProtocolError) throw err;
        if (aborted !== null) throw new ProtocolError('aborted', ctx, aborted);
        if (timedOut || err instanceof DeadlinePassed) throw new ProtocolError('timeout', ctx, `no result after ${timeoutSeconds} s`);
        throw new ProtocolError('crash', ctx, `sample() threw: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        clearTimeout(timer);
        abortReject = null;
      }
      if (Date.now() > deadline) throw new ProtocolError('timeout', ctx, `result arrived after the ${timeoutSeconds} s limit`);
      return checkFlatResult(value, req.n, req.dim, ctx);
    },
    async close() {},
    abort(reason: string) {
      aborted = reason;
      abortReject?.(new ProtocolError('aborted', null, reason));
    },
    stderr(): CapturedText {
      return { bytes: 0, head: '', tail: '', truncated: false };
    },
  };
}
