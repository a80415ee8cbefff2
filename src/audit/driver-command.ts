/**
 * Child-process driver: `collapse-check audit --command "CMD"` (issue 7, way in 2). The command runs
 * through the shell in its own process group (so killing the group also kills e.g. the python
 * process under `sh -c`), and speaks JSON lines on stdin/stdout (src/audit/protocol.ts): protocol 1,
 * or protocol 2 (base64 arrays, batched score calls) when the sampler answers the v2 offer that the
 * session's first request carries with a hello (issue 15). The session's wire format is `wire`.
 *
 * Guarantees: every wait has a deadline (per request, and a grace period after `close`); on any
 * protocol error, timeout, abort or close the whole process group gets SIGKILL (also when the shell
 * has already exited, and when the harness itself exits); stdout is read with a
 * bounded line buffer and bounded score-call count (flood limits below); stderr is kept with a cap
 * (head and tail) for the report. The driver never throws anything but ProtocolError from sample().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  base64Length,
  BYTES_PER_NUMBER,
  decodeArray,
  decodeRows,
  decodeScoreRequestV2,
  parseHello,
  ProtocolError,
  sampleMessage,
  sampleMessageV2Parts,
  scoreReply,
  scoreReplyV2Parts,
  type MessageParts,
  type CapturedText,
  type WireEncoding,
  type WireFormat,
  type RequestContext,
  type SampleRequest,
  type SamplerDriver,
  type ScoreFn,
} from './protocol.ts';

/**
 * Longest decimal a double needs in JSON: sign + 17 significant digits + '.' + 'e-308' = 24 chars,
 * plus one separator; 32 per number leaves room for whitespace. A line may carry at most
 * SCORE_ROWS_FACTOR·n rows of d numbers (score requests), so any longer line is a flood.
 */
export const MAX_CHARS_PER_NUMBER = 32;
/** A score request may ask for up to this many times n points at once (batched predictor-corrector). */
export const SCORE_ROWS_FACTOR = 4;
/**
 * Envelope (type, t, brackets) allowance per line, bytes. Also covers a v2 batch's lists: at most
 * MAX_BATCH_BLOCKS = 64 times (≤ 25 chars each with the comma) and row counts (≤ 8 chars) = 2112.
 */
export const LINE_ENVELOPE_BYTES = 4096;

/**
 * Longest line of a session: v1 = SCORE_ROWS_FACTOR·n rows of d decimals (MAX_CHARS_PER_NUMBER
 * each); v2 = the base64 of the same rows as `encoding` numbers (4 chars per 3 bytes: 10.7 chars
 * per f64, 5.3 per f32). Plus the envelope.
 */
export function maxLineBytes(n: number, d: number, encoding: 'json' | WireEncoding): number {
  const rows = SCORE_ROWS_FACTOR * n;
  if (encoding === 'json') return rows * d * MAX_CHARS_PER_NUMBER + LINE_ENVELOPE_BYTES;
  return base64Length(rows * d * BYTES_PER_NUMBER[encoding]) + LINE_ENVELOPE_BYTES;
}
/** Score calls per step a sampler may make before it counts as a flood (Heun uses 2, RK4-like 4–8). */
export const MAX_SCORE_CALLS_PER_STEP = 16;
/** Blank / whitespace bytes tolerated per request (protocol says blank lines are ignored, not unlimited). */
export const MAX_BLANK_BYTES_PER_REQUEST = 1 << 20;
/** Stderr kept for the report: first and last STDERR_KEEP_BYTES bytes (the rest is counted). */
export const STDERR_KEEP_BYTES = 32 * 1024;
/** After `close`, the sampler gets this long to exit before the group is killed. */
export const CLOSE_GRACE_MS = 2000;
/** Excerpts of offending output quoted in errors. */
const EXCERPT_CHARS = 120;

function excerpt(s: string): string {
  const t = s.length > EXCERPT_CHARS ? s.slice(0, EXCERPT_CHARS) + `… (${s.length} chars)` : s;
  return JSON.stringify(t);
}

export function startCommandSampler(command: string, timeoutSeconds: number, cwd = process.cwd()): SamplerDriver {
  let child: ChildProcess;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  try {
    child = spawn(command, { shell: true, cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    throw new ProtocolError('spawn', null, `cannot start "${command}": ${err instanceof Error ? err.message : String(err)}`);
  }
  // ---- stderr capture (bounded) ----
  let errBytes = 0;
  let errHead = '';
  let errTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    errBytes += Buffer.byteLength(chunk);
    if (errHead.length < STDERR_KEEP_BYTES) errHead += chunk.slice(0, STDERR_KEEP_BYTES - errHead.length);
    errTail = (errTail + chunk).slice(-STDERR_KEEP_BYTES);
  });
  // ---- stdout line reader (bounded) ----
  let buffer = '';
  const lines: string[] = [];
  let lineLimit = 1 << 20;
  let overflow = false;
  let waiter: { resolve: () => void } | null = null;
  const wake = () => {
    const w = waiter;
    waiter = null;
    w?.resolve();
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    if (overflow) return;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      lines.push(buffer + chunk.slice(start, nl));
      buffer = '';
      start = nl + 1;
    }
    buffer += chunk.slice(start);
    if (buffer.length > lineLimit) overflow = true;
    wake();
  });
  child.on('error', (err) => {
    spawnError = err;
    wake();
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    wake();
  });
  child.stdin!.on('error', () => {
    /* EPIPE after the child died: reported through 'exit' */
  });
  let aborted: string | null = null;
  let killed = false;
  /** the session's wire format: null until the first request is answered (v2 offer pending) */
  let wire: WireFormat | null = null;
  /**
   * SIGKILL to the whole process group, in every outcome — also when the shell itself has already
   * exited (issue 17 row 2: `sleep 301 & true` left `sleep` running because the kill was skipped
   * once the shell was gone). The group id is the shell's pid (spawned detached, so it leads a new
   * group); ESRCH means the group is empty. Also runs when the harness process exits for any reason.
   */
  const killGroup = () => {
    if (killed) return;
    killed = true;
    process.removeListener('exit', killGroup);
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      if (!exited) {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  };
  process.on('exit', killGroup);
  const send = (line: string) => {
    if (exited || killed) return;
    try {
      child.stdin!.write(line + '\n');
    } catch {
      /* reported through 'exit' */
    }
  };
  /** a v2 message: the base64 payload goes out as latin1 (a byte copy; UTF-8 encoding it cost ≈ 1.4 s per default audit) */
  const sendParts = ([head, payload, tail]: MessageParts) => {
    if (exited || killed) return;
    try {
      child.stdin!.write(head, 'utf8');
      child.stdin!.write(payload, 'latin1');
      child.stdin!.write(tail + '\n', 'utf8');
    } catch {
      /* reported through 'exit' */
    }
  };

  const exitMessage = (): [('crash' | 'early-exit'), string] => {
    const e = exited!;
    const tail = errTail.trim().split('\n').slice(-3).join(' | ');
    const detail = tail ? `; stderr ends: ${excerpt(tail)}` : '';
    if (e.signal) return ['crash', `process killed by ${e.signal}${detail}`];
    if (e.code === 0) return ['early-exit', `process exited (code 0) before answering${detail}`];
    return ['crash', `process exited with code ${e.code}${detail}`];
  };

  /** Next complete line, or a ProtocolError when the deadline passes / the process dies / flood. */
  const nextLine = async (deadline: number, ctx: RequestContext): Promise<string> => {
    for (;;) {
      if (lines.length > 0) return lines.shift()!;
      if (overflow) throw new ProtocolError('flood', ctx, `an output line exceeded ${lineLimit} bytes without a newline`);
      if (aborted !== null) throw new ProtocolError('aborted', ctx, aborted);
      if (spawnError) throw new ProtocolError('spawn', ctx, `cannot run "${command}": ${(spawnError as Error).message}`);
      if (exited) {
        // the 'exit' event may precede the last 'data' events: give stdout a moment to drain
        await new Promise((r) => setTimeout(r, 20));
        if (lines.length > 0) continue;
        const [kind, msg] = exitMessage();
        throw new ProtocolError(kind, ctx, msg);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ProtocolError('timeout', ctx, `no answer within ${timeoutSeconds} s`);
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(() => {
          waiter = null;
          resolveWait();
        }, remaining);
        waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolveWait();
          },
        };
      });
    }
  };

  return {
    kind: 'command',
    name: command,
    processGroup: child.pid ?? null,
    get wire() {
      return wire;
    },
    async sample(req: SampleRequest, score: ScoreFn, ctx: RequestContext): Promise<Float64Array> {
      const d = req.dim;
      const maxRows = SCORE_ROWS_FACTOR * req.n;
      // the first request of the session carries the v2 offer; a hello may answer it, as first line
      const offering = wire === null;
      let firstLine = true;
      lineLimit = maxLineBytes(req.n, d, wire === null ? 'json' : wire.encoding);
      const maxScoreCalls = MAX_SCORE_CALLS_PER_STEP * req.steps + MAX_SCORE_CALLS_PER_STEP;
      const deadline = Date.now() + timeoutSeconds * 1000;
      let blankBytes = 0;
      let scoreCalls = 0;
      try {
        if (wire?.encoding === 'f64' || wire?.encoding === 'f32') sendParts(sampleMessageV2Parts(req, wire.encoding, ctx));
        else send(sampleMessage(req, offering));
        for (;;) {
          const line = await nextLine(deadline, ctx);
          if (line.trim() === '') {
            blankBytes += line.length + 1;
            if (blankBytes > MAX_BLANK_BYTES_PER_REQUEST) throw new ProtocolError('flood', ctx, `more than ${MAX_BLANK_BYTES_PER_REQUEST} bytes of blank output`);
            continue;
          }
          let msg: unknown;
          try {
            msg = JSON.parse(line);
          } catch {
            if (/\b(NaN|-?Infinity)\b/.test(line) && /^\s*\{/.test(line)) {
              throw new ProtocolError('non-finite', ctx, `output contains NaN or Infinity (not valid JSON numbers): ${excerpt(line)}`);
            }
            throw new ProtocolError('not-json', ctx, `output line is not JSON: ${excerpt(line)}`);
          }
          if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) throw new ProtocolError('bad-message', ctx, `expected a JSON object, got ${excerpt(line)}`);
          const m = msg as Record<string, unknown>;
          const answersOffer = offering && firstLine;
          firstLine = false;
          if (m.type === 'hello') {
            if (!answersOffer) throw new ProtocolError('bad-message', ctx, 'hello is only valid as the first line answering the v2 offer of the session\'s first request');
            const agreed = parseHello(m, ctx);
            wire = agreed;
            lineLimit = maxLineBytes(req.n, d, agreed.encoding);
            sendParts(sampleMessageV2Parts(req, agreed.encoding as WireEncoding, ctx));
            continue;
          }
          if (answersOffer) wire = { protocol: 1, encoding: 'json' };
          const encoding = wire !== null && wire.protocol === 2 ? (wire.encoding as WireEncoding) : null;
          if (m.type === 'score') {
            if (encoding === null) {
              scoreCalls++;
              if (scoreCalls > maxScoreCalls) throw new ProtocolError('flood', ctx, `more than ${maxScoreCalls} score calls for ${req.steps} steps`);
              const t = m.t;
              if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ProtocolError('bad-message', ctx, `score request with t = ${JSON.stringify(t)} (need a finite number ≥ 0)`);
              const x = decodeRows(m.x, d, null, maxRows, 'score request x', ctx);
              const s = score(t, x);
              send(scoreReply(s, d));
            } else {
              // a message counts as one call whatever its blocks: its rows are capped like one v1
              // line's (≤ SCORE_ROWS_FACTOR·n), so the harness's work stays bounded as in v1
              scoreCalls++;
              if (scoreCalls > maxScoreCalls) throw new ProtocolError('flood', ctx, `more than ${maxScoreCalls} score messages for ${req.steps} steps`);
              const batch = decodeScoreRequestV2(m, d, encoding, maxRows, ctx);
              let s: Float64Array;
              if (batch.times.length === 1) {
                s = score(batch.times[0]!, batch.x);
              } else {
                s = new Float64Array(batch.x.length);
                let start = 0;
                for (let b = 0; b < batch.times.length; b++) {
                  const end = start + batch.rows[b]! * d;
                  s.set(score(batch.times[b]!, batch.x.subarray(start, end)), start);
                  start = end;
                }
              }
              sendParts(scoreReplyV2Parts(s, d, encoding, ctx));
            }
          } else if (m.type === 'result') {
            return encoding === null ? decodeRows(m.x, d, req.n, req.n, 'result x', ctx) : decodeArray(m.x, d, encoding, req.n, req.n, 'result x', ctx);
          } else if (m.type === 'error') {
            throw new ProtocolError('sampler-error', ctx, `sampler reported: ${excerpt(String(m.message ?? ''))}`);
          } else {
            throw new ProtocolError('bad-message', ctx, `unknown message type ${JSON.stringify(m.type)}: ${excerpt(line)}`);
          }
        }
      } catch (err) {
        killGroup();
        if (err instanceof ProtocolError) throw err;
        throw new ProtocolError('crash', ctx, `harness error: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async close() {
      if (!exited && !killed) {
        send('{"type":"close"}');
        try {
          child.stdin!.end();
        } catch {
          /* ignore */
        }
        const until = Date.now() + CLOSE_GRACE_MS;
        while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      }
      killGroup();
      // release pipes so the event loop can finish
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
    },
    abort(reason: string) {
      aborted = reason;
      killGroup();
      wake();
    },
    stderr(): CapturedText {
      const truncated = errBytes > 2 * STDERR_KEEP_BYTES;
      return { bytes: errBytes, head: errHead, tail: errBytes > STDERR_KEEP_BYTES ? errTail : '', truncated };
    },
  };
}
