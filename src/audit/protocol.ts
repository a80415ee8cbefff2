/**
 * Sampler audit protocol (issue 7: version 1; issue 15: version 2): the request a sampler receives,
 * the score callback it may call, and the JSON-lines wire formats used by `--command` samplers.
 *
 * Version 1 (one JSON object per line, blank lines ignored):
 * - harness → sampler `{"type":"sample","protocol":1,"dim":d,"n":n,"T":T,"t0":t0,"steps":K,"seed":s,"x0":[[...],...]}`
 *   (plus `"process"` / `"serves"` when the request names them)
 * - sampler → harness `{"type":"score","t":t,"x":[[...],...]}` (any number of times, m ≥ 1 rows)
 * - harness → sampler `{"type":"score","s":[[...],...]}` (same shape)
 * - sampler → harness `{"type":"result","x":[[...],...]}` (n rows of d numbers) or `{"type":"error","message":"..."}`
 * - harness → sampler `{"type":"close"}`, after which the sampler exits.
 * NaN and ±Infinity are not JSON: a line containing them is a protocol error (named as such).
 *
 * Version 2 (issue 15: binary arrays and batched score calls; negotiated, v1 stays the default):
 * - Negotiation. The session's FIRST sample message is a v1 message with one extra field,
 *   `"offer":{"protocol":2,"encoding":["f64","f32"]}`. A v1 sampler ignores it and answers in v1
 *   (unknown fields are ignored in v1: `process` / `serves` are added the same way). A v2 sampler
 *   answers, as its first line, `{"type":"hello","protocol":2,"encoding":"f64"|"f32"}` (encoding
 *   default `f64`); the harness then sends the same request again as a v2 sample message, and every
 *   later request in v2. A hello at any other moment, or naming another protocol / encoding, is
 *   `bad-message`. No waiting on a silent sampler, no race: the sampler always speaks second.
 * - Arrays are strings: standard base64 (RFC 4648 §4, alphabet `A–Z a–z 0–9 + /`, `=` padding,
 *   no line breaks, pad bits zero) of the row-major numbers as little-endian IEEE-754 float64 (`f64`)
 *   or float32 (`f32`), in both directions. Text that is not such canonical base64 is `bad-message`; a byte count that is not the
 *   expected number of rows × d × 8 (or 4) is `wrong-shape`; a NaN / ±Infinity bit pattern is
 *   `non-finite`, naming row and coordinate.
 * - harness → sampler `{"type":"sample","protocol":2,"encoding":e,"dim":d,"n":n,"T":T,"t0":t0,"steps":K,"seed":s[,"process":{...}][,"serves":"..."],"x0":"<base64, n·d numbers>"}`
 * - sampler → harness, one block: `{"type":"score","t":t,"x":"<base64, m·d numbers>"}` (m ≥ 1 rows,
 *   m from the byte count); a batch of B blocks: `{"type":"score","t":[t_1,…,t_B],"m":[m_1,…,m_B],"x":"<base64, (Σ m_b)·d numbers>"}`,
 *   block b being the next m_b rows, evaluated at time t_b (1 ≤ B ≤ MAX_BATCH_BLOCKS). A message
 *   counts as one score call for the flood limit, and its rows together obey the v1 per-line limit
 *   (≤ SCORE_ROWS_FACTOR·n, driver-command.ts), so the harness's work per message is bounded as in v1.
 * - harness → sampler `{"type":"score","s":"<base64>"}`: the blocks' scores, concatenated in order.
 * - sampler → harness `{"type":"result","x":"<base64, n·d numbers>"}` or `{"type":"error","message":"..."}`.
 *
 * Float32 (`f32`), what it costs in accuracy (stated, not hidden): the harness rounds x0 and every
 * served score to the nearest float32, and the sampler's score inputs and results are float32. Each
 * value moves by ≤ 2^-24·|v| (normal range) + 2^-150 (subnormal spacing / 2): WIRE_ROUNDING. The audit's
 * statistical checks (moments, KS, ladder, replicate) are NOT widened for it: a relative move of
 * 6e-8 of every coordinate shifts a mean or covariance entry by ≤ 1.2e-7 relative and (rounding is
 * monotone, so the sample keeps its order) a KS distance by ≤ (density bound)·6e-8·|x|, five
 * orders below their remainder floors (0.01 sd,
 * 0.005). The `ode` determinism check (coordinate agreement 1e-9·(1 + |a|)) is NOT met by the wire
 * in general — two float64 outputs that differ by 1e-11 can round to float32 values one float32 ulp
 * (≈ 1.2e-7 relative) apart — so a float32 session must widen it (the driver reports its encoding
 * in `SamplerDriver.wire`); until the check does, use `f64` for `--kind ode` samplers.
 * A served score too large for float32 (|s| > 3.4e38) is `non-finite` (the harness never sends ∞).
 */

export const PROTOCOL_VERSION = 1;
/** Protocol version 2 (base64 binary arrays, batched score calls), negotiated per session (see above). */
export const PROTOCOL_V2 = 2;

/** Number formats of protocol 2 arrays: little-endian IEEE-754 binary64 / binary32. */
export type WireEncoding = 'f64' | 'f32';
export const WIRE_ENCODINGS: readonly WireEncoding[] = ['f64', 'f32'];
/** What a command session speaks: v1 JSON numbers, or v2 with its array encoding. */
export interface WireFormat {
  readonly protocol: 1 | 2;
  readonly encoding: 'json' | WireEncoding;
}
export const BYTES_PER_NUMBER: Readonly<Record<WireEncoding, number>> = { f64: 8, f32: 4 };
/**
 * Rounding of one value carried on the wire: |wire(v) − v| ≤ relative·|v| + absolute.
 * JSON (v1: shortest round-trip decimal) and f64 are exact. f32 rounds to nearest: unit roundoff
 * 2^-24 in the normal range, and half the subnormal spacing, 2^-149 / 2 = 2^-150, below it. Values
 * beyond float32's range are refused (`non-finite`), never rounded to ∞.
 */
export const WIRE_ROUNDING: Readonly<Record<WireFormat['encoding'], { readonly relative: number; readonly absolute: number }>> = {
  json: { relative: 0, absolute: 0 },
  f64: { relative: 0, absolute: 0 },
  f32: { relative: 2 ** -24, absolute: 2 ** -150 },
};
/** Most blocks one batched v2 score message may carry (more is a `flood`). */
export const MAX_BATCH_BLOCKS = 64;
/** The offer the first v1 sample message carries. */
const V2_OFFER = `{"protocol":${PROTOCOL_V2},"encoding":${JSON.stringify(WIRE_ENCODINGS)}}`;

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
   * time (for the σ-parametrised `edm` process: σ). Parameter keys: vp-constant {beta},
   * vp-linear {betaMin, betaMax}, vp-cosine {s}, ve {sigmaMin, sigmaMax}, edm {} (src/processes/
   * diffusion-process.ts processFromDescription). Described in docs/audit.md.
   */
  readonly process?: ProcessDescription;
  /**
   * What the harness's callback returns (issue 15): `score` ∇log p_t(x) (default), `eps` the
   * noise prediction ε(x, t) = −σ(t)·∇log p_t(x), or `denoiser` in k-diffusion's scaled
   * convention: the callback takes (σ̂, x̂) = (σ(t)/a(t), x_t/a(t)) and returns
   * x̂ + σ̂²∇log p̂_σ̂(x̂) = E[x_0 | x_t] (for ve and edm a = 1, so D(x, σ) = x + σ²∇log p_σ(x)).
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
  /**
   * The wire format the session settled on (command driver: `{protocol: 1, encoding: 'json'}` until
   * a sampler answers the v2 offer; null before the first request). Absent in-process (no wire).
   */
  readonly wire?: WireFormat | null;
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

/** Fields shared by the v1 and v2 sample messages (after `protocol`, before `x0`). */
function requestFields(req: SampleRequest): string {
  return (
    `"dim":${req.dim},"n":${req.n},"T":${req.T},"t0":${req.t0},"steps":${req.steps},"seed":${req.seed},` +
    (req.process !== undefined ? `"process":${JSON.stringify(req.process)},` : '') +
    (req.serves !== undefined ? `"serves":${JSON.stringify(req.serves)},` : '')
  );
}

/**
 * The v1 sample message. `offerV2` adds the v2 offer (`"offer":{"protocol":2,"encoding":["f64","f32"]}`),
 * sent with the session's first request only.
 */
export function sampleMessage(req: SampleRequest, offerV2 = false): string {
  return (
    `{"type":"sample","protocol":${PROTOCOL_VERSION},` +
    requestFields(req) +
    (offerV2 ? `"offer":${V2_OFFER},` : '') +
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

// ---------------------------------------------------------------------------------------------
// Protocol 2: base64 arrays, hello, batched score requests
// ---------------------------------------------------------------------------------------------

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of every `width`-byte word in place (big-endian hosts only). */
function swapWords(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Encodes n·d numbers as base64 of little-endian `encoding` values (row-major). For f32 each value
 * is rounded to the nearest float32 (WIRE_ROUNDING); a finite value beyond float32's range throws
 * ProtocolError 'non-finite' naming `what`, row and coordinate (the harness never sends ∞).
 */
export function encodeArray(x: Float64Array, d: number, encoding: WireEncoding, what: string, ctx: RequestContext | null): string {
  let typed: Float64Array | Float32Array = x;
  if (encoding === 'f32') {
    typed = Float32Array.from(x);
    for (let i = 0; i < typed.length; i++) {
      if (!Number.isFinite(typed[i]!)) {
        throw new ProtocolError('non-finite', ctx, `${what} row ${Math.floor(i / d)} coordinate ${i % d} = ${x[i]} is not representable as a finite float32 (|v| > 3.4e38)`);
      }
    }
  }
  let bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (!LITTLE_ENDIAN_HOST) {
    bytes = Uint8Array.from(bytes);
    swapWords(bytes, BYTES_PER_NUMBER[encoding]);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64 characters needed for `bytes` bytes (with padding). */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/**
 * Decodes a v2 array: `value` must be a standard base64 string of rows × d little-endian `encoding`
 * numbers. `rows` = the required row count, or null for any count in 1..maxRows. float32 values are
 * widened to float64 exactly. Throws ProtocolError: `wrong-shape` (not a string, or a byte count that
 * is not a whole number of rows / not the required count; checked first, from the length and
 * padding), `bad-message` (not canonical standard base64: a length that is not a multiple of 4, a
 * character outside `A–Z a–z 0–9 + /`, `=` other than as final padding, non-zero pad bits — checked
 * by decoding and re-encoding, which is exact and ≈ 10× faster than a regular expression here),
 * `non-finite` (a NaN / ±∞ bit pattern; `locate(row)` names the row, default `row i`).
 */
export function decodeArray(
  value: unknown,
  d: number,
  encoding: WireEncoding,
  rows: number | null,
  maxRows: number,
  what: string,
  ctx: RequestContext | null,
  locate: (row: number) => string = (row) => `row ${row}`,
): Float64Array {
  if (typeof value !== 'string') throw new ProtocolError('wrong-shape', ctx, `${what} is ${typeName(value)}, expected a base64 string of ${encoding} numbers (protocol 2)`);
  const notBase64 = () => new ProtocolError('bad-message', ctx, `${what} is not standard padded base64 (RFC 4648 §4: A–Z a–z 0–9 + /, '=' padding only at the end, length a multiple of 4; got ${value.length} chars)`);
  if (value.length % 4 !== 0) throw notBase64();
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const byteCount = (value.length / 4) * 3 - padding;
  const width = BYTES_PER_NUMBER[encoding];
  const rowBytes = d * width;
  if (byteCount % rowBytes !== 0) throw new ProtocolError('wrong-shape', ctx, `${what} has ${byteCount} bytes, not a whole number of rows of dim = ${d} ${encoding} numbers (${rowBytes} bytes per row)`);
  const m = byteCount / rowBytes;
  if (rows !== null && m !== rows) throw new ProtocolError('wrong-shape', ctx, `${what} has ${m} rows (${byteCount} bytes), expected ${rows}`);
  if (rows === null && (m < 1 || m > maxRows)) throw new ProtocolError('wrong-shape', ctx, `${what} has ${m} rows (allowed 1..${maxRows})`);
  const buf = Buffer.from(value, 'base64'); // lenient decoder: skips foreign characters …
  if (buf.length !== byteCount || buf.toString('base64') !== value) throw notBase64(); // … so only a canonical text re-encodes to itself
  if (!LITTLE_ENDIAN_HOST) swapWords(buf, width);
  const out = new Float64Array(m * d);
  if (encoding === 'f64') {
    new Uint8Array(out.buffer).set(buf);
  } else {
    const f = new Float32Array(m * d);
    new Uint8Array(f.buffer).set(buf);
    out.set(f);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new ProtocolError('non-finite', ctx, `${what} ${locate(Math.floor(i / d))} coordinate ${i % d} = ${out[i]}`);
  }
  return out;
}

/**
 * A message as [head, base64 payload, tail]: the payload is pure ASCII, so a writer may send it
 * as latin1 (a copy) instead of through the UTF-8 encoder; the message is the concatenation.
 */
export type MessageParts = readonly [string, string, string];

/** The v2 sample message (x0 as base64 of `encoding` numbers), in parts. Throws as encodeArray. */
export function sampleMessageV2Parts(req: SampleRequest, encoding: WireEncoding, ctx: RequestContext | null): MessageParts {
  return [`{"type":"sample","protocol":${PROTOCOL_V2},"encoding":"${encoding}",` + requestFields(req) + `"x0":"`, encodeArray(req.x0, req.dim, encoding, 'x0', ctx), '"}'];
}

export function sampleMessageV2(req: SampleRequest, encoding: WireEncoding, ctx: RequestContext | null): string {
  return sampleMessageV2Parts(req, encoding, ctx).join('');
}

/** The v2 score reply: all blocks' scores, concatenated in request order, in parts. Throws as encodeArray. */
export function scoreReplyV2Parts(s: Float64Array, d: number, encoding: WireEncoding, ctx: RequestContext | null): MessageParts {
  return ['{"type":"score","s":"', encodeArray(s, d, encoding, 'score', ctx), '"}'];
}

export function scoreReplyV2(s: Float64Array, d: number, encoding: WireEncoding, ctx: RequestContext | null): string {
  return scoreReplyV2Parts(s, d, encoding, ctx).join('');
}

/**
 * Reads a sampler's hello `{"type":"hello","protocol":2,"encoding":"f64"|"f32"}` (encoding
 * default f64). Throws ProtocolError 'bad-message' for another protocol or encoding.
 */
export function parseHello(m: Record<string, unknown>, ctx: RequestContext | null): WireFormat {
  if (m.protocol !== PROTOCOL_V2) {
    throw new ProtocolError('bad-message', ctx, `hello names protocol ${JSON.stringify(m.protocol)}; the harness offers protocol ${PROTOCOL_V2} (a protocol 1 sampler sends no hello and just answers the request)`);
  }
  const encoding = m.encoding === undefined ? 'f64' : m.encoding;
  if (encoding !== 'f64' && encoding !== 'f32') throw new ProtocolError('bad-message', ctx, `hello names encoding ${JSON.stringify(m.encoding)}; offered: ${WIRE_ENCODINGS.join(', ')}`);
  return { protocol: 2, encoding };
}

/** A decoded v2 score request: block b is rows [start_b, start_b + rows_b) of x, at time times[b]. */
export interface ScoreBatch {
  readonly times: readonly number[];
  readonly rows: readonly number[];
  readonly x: Float64Array;
}

function checkTime(t: unknown, what: string, ctx: RequestContext | null): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ProtocolError('bad-message', ctx, `${what} with t = ${JSON.stringify(t)} (need a finite number ≥ 0)`);
  return t;
}

/**
 * Decodes a v2 score request: one block `{"t":t,"x":"…"}` (optional `"m"`: its row count) or a
 * batch `{"t":[…],"m":[…],"x":"…"}` (B = 1..MAX_BATCH_BLOCKS blocks, Σ m_b ≤ maxRows rows).
 * Throws ProtocolError: `bad-message` (t missing / negative / not a number, empty batch, invalid
 * base64), `flood` (more than MAX_BATCH_BLOCKS blocks), `wrong-shape` (m not positive integers, one
 * per block, or not matching the bytes), `non-finite` (naming block, row and coordinate).
 */
export function decodeScoreRequestV2(m: Record<string, unknown>, d: number, encoding: WireEncoding, maxRows: number, ctx: RequestContext | null): ScoreBatch {
  if (!Array.isArray(m.t)) {
    const t = checkTime(m.t, 'score request', ctx);
    if (m.m !== undefined && (typeof m.m !== 'number' || !Number.isSafeInteger(m.m) || m.m < 1)) throw new ProtocolError('wrong-shape', ctx, `score request m = ${JSON.stringify(m.m)} (need a positive integer row count)`);
    if (typeof m.m === 'number' && m.m > maxRows) throw new ProtocolError('wrong-shape', ctx, `score request has ${m.m} rows (allowed 1..${maxRows})`);
    const x = decodeArray(m.x, d, encoding, typeof m.m === 'number' ? m.m : null, maxRows, 'score request x', ctx);
    return { times: [t], rows: [x.length / d], x };
  }
  const tList: unknown[] = m.t;
  const blocks = tList.length;
  if (blocks === 0) throw new ProtocolError('bad-message', ctx, 'batched score request with an empty t list');
  if (blocks > MAX_BATCH_BLOCKS) throw new ProtocolError('flood', ctx, `batched score request with ${blocks} blocks (at most ${MAX_BATCH_BLOCKS})`);
  const times = tList.map((t, b) => checkTime(t, `score request block ${b}`, ctx));
  if (!Array.isArray(m.m) || m.m.length !== blocks) throw new ProtocolError('wrong-shape', ctx, `batched score request: m must list one row count per block (${blocks} blocks), got ${JSON.stringify(m.m)?.slice(0, 80)}`);
  const mList: unknown[] = m.m;
  const rows: number[] = [];
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const r = mList[b];
    if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1) throw new ProtocolError('wrong-shape', ctx, `batched score request: m[${b}] = ${JSON.stringify(r)} (need a positive integer row count)`);
    rows.push(r);
    total += r;
  }
  if (total > maxRows) throw new ProtocolError('wrong-shape', ctx, `batched score request has ${total} rows in all (allowed 1..${maxRows})`);
  const locate = (row: number) => {
    let b = 0;
    let start = 0;
    while (row >= start + rows[b]!) start += rows[b++]!;
    return `block ${b} row ${row - start}`;
  };
  const x = decodeArray(m.x, d, encoding, total, maxRows, 'score request x', ctx, locate);
  return { times, rows, x };
}
