/**
 * Sampler audit protocol, version 1 (issue 7): the request a sampler receives, the score callback
 * it may call, and the JSON-lines wire format used by `--command` samplers.
 *
 * Wire format (one JSON object per line, blank lines ignored):
 * - harness → sampler `{"type":"sample","protocol":1,"dim":d,"n":n,"T":T,"t0":t0,"steps":K,"seed":s,"x0":[[...],...]}`
 * - sampler → harness `{"type":"score","t":t,"x":[[...],...]}` (any number of times, m ≥ 1 rows)
 * - harness → sampler `{"type":"score","s":[[...],...]}` (same shape)
 * - sampler → harness `{"type":"result","x":[[...],...]}` (n rows of d numbers) or `{"type":"error","message":"..."}`
 * - harness → sampler `{"type":"close"}`, after which the sampler exits.
 * NaN and ±Infinity are not JSON: a line containing them is a protocol error (named as such).
 */

export const PROTOCOL_VERSION = 1;

/**
 * What a sampler declares about itself (issue 15): its kind (`sde` stochastic reverse SDE, `ode`
 * deterministic probability-flow ODE) and its method's weak order (1 | 2). Either may be absent.
 */
export interface SamplerDeclaration {
  readonly kind?: 'sde' | 'ode';
  readonly order?: 1 | 2;
}

/** One sampling request, as the in-process `sample(request, score)` receives it. */
export interface SampleRequest {
  readonly dim: number;
  readonly n: number;
  readonly T: number;
  readonly t0: number;
  readonly steps: number;
  readonly seed: number;
  /** n·dim start points, row-major, drawn by the harness from the exact law at T */
  readonly x0: Float64Array;
  /**
   * The forward process of the problem (issue 15), as a JSON object naming it and its parameters,
   * e.g. `{"name":"vp-linear","betaMin":0.1,"betaMax":20}`; absent: the default constant-β VP-OU
   * process dX = −½X dt + dW on [t0, T]. The time argument of the score callback is this process's
   * time (for the σ-parametrised `edm` process: σ). Described in docs/audit.md.
   */
  readonly process?: ProcessDescription;
  /**
   * What the harness's callback returns (issue 15): `score` ∇log p_t(x) (default), `eps` the
   * noise prediction ε(x, t) = −σ(t)·∇log p_t(x), or `denoiser` D(x, σ) = x + σ²∇log p_σ(x).
   */
  readonly serves?: ServedField;
}

/** A forward process as the protocol carries it: a name and numeric / string parameters. */
export interface ProcessDescription {
  readonly name: string;
  readonly [parameter: string]: number | string;
}

/** The field conventions the harness can serve. */
export type ServedField = 'score' | 'eps' | 'denoiser';

/** Score callback: m·dim numbers in, m·dim numbers out (synchronous). */
export type ScoreFn = (t: number, x: Float64Array) => Float64Array;

/** Where in the audit a request sits (named in protocol errors). */
export interface RequestContext {
  /** 1-based index of the request in the session */
  readonly index: number;
  /** problem id and ladder level, e.g. `gauss-2d K=40` */
  readonly label: string;
}

/** What went wrong with a sampler at the protocol level. */
export type ProtocolFailure =
  | 'load' // module could not be imported / has no valid default export
  | 'spawn' // command could not be started
  | 'crash' // process exited (non-zero or by signal) or the sampler threw
  | 'early-exit' // process exited with code 0 before the request was answered
  | 'timeout'
  | 'not-json' // a line that is not JSON
  | 'non-finite' // NaN / Infinity in output
  | 'bad-message' // JSON, but not a valid protocol message
  | 'wrong-shape' // rows of the wrong length / wrong number of rows / not an array of numbers
  | 'flood' // over-long line, too many score calls, too much blank output
  | 'sampler-error' // the sampler answered {"type":"error"}
  | 'aborted'; // the audit was interrupted (SIGINT)

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly failure: ProtocolFailure,
    readonly request: RequestContext | null,
    message: string,
  ) {
    super(request ? `${failure} at request ${request.index} (${request.label}): ${message}` : `${failure}: ${message}`);
  }
}

/** A sampler as the harness drives it, whatever the way in. */
export interface SamplerDriver {
  readonly kind: 'in-process' | 'command';
  /** display name (module's `name`, or the command line) */
  readonly name: string;
  /** what the sampler declared (in-process: exported `kind` / `order`), if the driver knows it */
  readonly declared?: SamplerDeclaration;
  sample(req: SampleRequest, score: ScoreFn, ctx: RequestContext): Promise<Float64Array>;
  /** ask the sampler to exit, kill it if it does not; never throws */
  close(): Promise<void>;
  /** interrupt a running request (the pending sample rejects with `aborted`) */
  abort(reason: string): void;
  /** captured standard error (command samplers; in-process: the worker's stderr and stdout) */
  stderr(): CapturedText;
  /** id of the process group the command driver started (its shell's pid); absent in-process */
  readonly processGroup?: number | null;
}

export interface CapturedText {
  readonly bytes: number;
  readonly head: string;
  readonly tail: string;
  readonly truncated: boolean;
}

/** Encode n·d numbers as n rows: `[[...],...]` (shortest round-trip decimal of each double). */
export function encodeRows(x: Float64Array, d: number): string {
  const n = x.length / d;
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let row = '[';
    for (let j = 0; j < d; j++) {
      if (j > 0) row += ',';
      row += String(x[i * d + j]);
    }
    parts[i] = row + ']';
  }
  return '[' + parts.join(',') + ']';
}

export function sampleMessage(req: SampleRequest): string {
  return (
    `{"type":"sample","protocol":${PROTOCOL_VERSION},"dim":${req.dim},"n":${req.n},"T":${req.T},"t0":${req.t0},` +
    `"steps":${req.steps},"seed":${req.seed},` +
    (req.process !== undefined ? `"process":${JSON.stringify(req.process)},` : '') +
    (req.serves !== undefined ? `"serves":${JSON.stringify(req.serves)},` : '') +
    `"x0":${encodeRows(req.x0, req.dim)}}`
  );
}

export function scoreReply(s: Float64Array, d: number): string {
  return `{"type":"score","s":${encodeRows(s, d)}}`;
}

/**
 * Decode a JSON value that must be rows of d finite numbers. `rows` = expected row count, or null
 * for any count ≥ 1 up to `maxRows`. Throws ProtocolError ('wrong-shape' | 'non-finite').
 */
export function decodeRows(value: unknown, d: number, rows: number | null, maxRows: number, what: string, ctx: RequestContext): Float64Array {
  if (!Array.isArray(value)) throw new ProtocolError('wrong-shape', ctx, `${what} is not an array of rows`);
  const m = value.length;
  if (rows !== null && m !== rows) throw new ProtocolError('wrong-shape', ctx, `${what} has ${m} rows, expected ${rows}`);
  if (rows === null && (m < 1 || m > maxRows)) throw new ProtocolError('wrong-shape', ctx, `${what} has ${m} rows (allowed 1..${maxRows})`);
  const out = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    const row = value[i];
    if (!Array.isArray(row)) throw new ProtocolError('wrong-shape', ctx, `${what} row ${i} is not an array`);
    if (row.length !== d) throw new ProtocolError('wrong-shape', ctx, `${what} row ${i} has ${row.length} numbers, expected dim = ${d}`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        if (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === null) throw new ProtocolError('non-finite', ctx, `${what}[${i}][${j}] is ${JSON.stringify(v)} (not a finite number)`);
        throw new ProtocolError('wrong-shape', ctx, `${what}[${i}][${j}] is ${typeof v}, not a number`);
      }
      if (!Number.isFinite(v)) throw new ProtocolError('non-finite', ctx, `${what}[${i}][${j}] = ${v}`);
      out[i * d + j] = v;
    }
  }
  return out;
}

/** Check an in-process result: n·d finite numbers (Float64Array or array of numbers). */
export function checkFlatResult(value: unknown, n: number, d: number, ctx: RequestContext): Float64Array {
  if (!(value instanceof Float64Array) && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new ProtocolError('wrong-shape', ctx, `sample() returned ${value === null ? 'null' : typeof value}, expected a Float64Array of n·dim = ${n * d} numbers`);
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== n * d) throw new ProtocolError('wrong-shape', ctx, `sample() returned ${arr.length} numbers, expected n·dim = ${n}·${d} = ${n * d}`);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const v = arr[i];
    if (typeof v !== 'number') throw new ProtocolError('wrong-shape', ctx, `result[${i}] is ${typeof v}, not a number`);
    if (!Number.isFinite(v)) throw new ProtocolError('non-finite', ctx, `result row ${Math.floor(i / d)} coordinate ${i % d} = ${v}`);
    out[i] = v;
  }
  return out;
}
