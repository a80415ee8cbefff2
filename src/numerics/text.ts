/**
 * Terminal safety (issue 17 row 20): text that comes from the user or from a sampler (config
 * `name`, sampler `name`, file names, messages quoting input) is printed with every control
 * character escaped, so it cannot move the cursor, recolour or rewrite the terminal (ANSI CSI/OSC
 * sequences start with ESC = \x1b; a bare \r rewrites the current line), nor reorder text (Unicode
 * bidirectional overrides, U+202A–U+202E, U+2066–U+2069).
 *
 * Escapes: C0 controls (U+0000–U+001F, including \n \r \t), DEL (U+007F), C1 controls
 * (U+0080–U+009F) as `\xNN`; bidi controls, U+2028/U+2029 line separators and U+FEFF as `\u{NNNN}`.
 * Backslashes are left alone (they are printable). Never throws.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Smallest positive normal binary64, 2⁻¹⁰²² ≈ 2.2e-308: below it only subnormal (underflow) values lie. */
export const MIN_NORMAL = 2 ** -1022;

/** What `formatMargin` prints for a positive margin below MIN_NORMAL. */
export const UNDERFLOW_MARGIN = '≈0';

/** One line for a table legend: what `≈0` means. */
export const MARGIN_LEGEND =
  `margins are rhs − lhs + error bound in each comparison's own units (negative: violation established); ${UNDERFLOW_MARGIN} = positive but below 2.2e-308: ` +
  'lhs and rhs agree to within the absolute underflow term of an exact check';

/** Significant digits of `formatMargin` (the report's compact number form, src/report/render.ts). */
export const MARGIN_DIGITS = 4;

/**
 * A worst margin (src/verdict/types.ts `Comparison.margin`) for tables (issue 16: margins printed
 * as `1.00e-318`). 4 significant digits, exponent form outside [1e-3, 1e4), trailing zeros dropped
 * (`4.749e-18`, `0.002227`, `1e-5`, `-0.1686`); 0 as `0`; a positive value below MIN_NORMAL as `≈0`:
 * such a margin is only the absolute underflow allowance n·2⁻¹⁰⁷⁴ of an exact check whose two sides
 * agree (src/numerics/rounding.ts), and its digits carry no information. A NEGATIVE value is always
 * printed with its digits (a violation is never rounded away). ±∞ as `+∞`/`−∞`, NaN as `NaN`,
 * null/undefined as `—`; ledger.json's strings "Infinity", "-Infinity", "NaN" and numeric strings
 * as their numbers; any other value as `String(v)`. Never throws.
 */
export function formatMargin(raw: unknown): string {
  if (raw === null || raw === undefined) return '—';
  // ledger.json spells non-finite numbers as strings (src/numerics/json.ts); anything else non-numeric prints as is
  const v = typeof raw === 'string' ? (raw === 'Infinity' ? Infinity : raw === '-Infinity' ? -Infinity : raw === 'NaN' ? NaN : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null) : raw;
  if (typeof v !== 'number') return String(raw);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  if (v > 0 && v < MIN_NORMAL) return UNDERFLOW_MARGIN;
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return v.toPrecision(MARGIN_DIGITS).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  const [mant, exp] = v.toExponential(MARGIN_DIGITS - 1).split('e') as [string, string];
  return `${mant.replace(/\.?0+$/, '')}e${exp.replace('+', '')}`;
}
