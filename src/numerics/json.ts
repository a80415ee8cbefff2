/**
 * The project's one JSON codec for numbers JSON cannot hold: +∞, −∞ and NaN are written as the
 * strings "Infinity", "-Infinity", "NaN" (so a divergence that is provably infinite stays +∞ in
 * ledger.json, run.json and every `--json` document), typed arrays as plain arrays, bigints as
 * decimal strings. `nonFiniteReviver` undoes the number encoding when reading.
 *
 * Lowest layer (numerics): every other layer may import it; it imports nothing.
 */

/** JSON.stringify replacer: non-finite numbers as strings, typed arrays as arrays, bigints as decimal strings. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'bigint') return v.toString();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/** JSON text of `value` with the encoding above (`indent` spaces; 0 = one line). */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, jsonReplacer, indent);
}

/** JSON.parse reviver: the strings "Infinity", "-Infinity", "NaN" back to numbers. */
export function nonFiniteReviver(_key: string, v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}

/** JSON.parse with `nonFiniteReviver` (throws SyntaxError on malformed text). */
export function parseJson(text: string): unknown {
  return JSON.parse(text, nonFiniteReviver);
}

/** Round trip through the encoding (a value as it will read back from a JSON file). */
export function jsonSafe(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, jsonReplacer) ?? 'null');
}
