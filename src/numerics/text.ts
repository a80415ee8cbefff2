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
