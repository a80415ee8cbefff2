/**
 * Minimal XML well-formedness check for generated SVG (no dependency): one root element, every
 * start tag closed in order, attributes quoted, no stray `<`, entities well formed. Not a validating
 * parser: enough to catch truncated or mangled files. Returns null when well formed, else a message.
 */
export function xmlProblem(text: string): string | null {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const n = text.length;
  const textRun = (from: number, to: number): string | null => {
    const chunk = text.slice(from, to);
    const bad = chunk.match(/&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)/);
    if (bad) return `malformed entity at ${from + (bad.index ?? 0)}`;
    if (stack.length === 0 && chunk.trim() !== '') return `text outside the root element at ${from}`;
    return null;
  };
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    const p = textRun(i, end);
    if (p) return p;
    if (lt < 0) break;
    if (text.startsWith('<?', lt)) {
      const q = text.indexOf('?>', lt);
      if (q < 0) return `unterminated processing instruction at ${lt}`;
      i = q + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const q = text.indexOf('-->', lt);
      if (q < 0) return `unterminated comment at ${lt}`;
      i = q + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const q = text.indexOf(']]>', lt);
      if (q < 0) return `unterminated CDATA at ${lt}`;
      i = q + 3;
      continue;
    }
    if (text.startsWith('<!', lt)) {
      const q = text.indexOf('>', lt);
      if (q < 0) return `unterminated declaration at ${lt}`;
      i = q + 1;
      continue;
    }
    const close = text.startsWith('</', lt);
    const m = /^<\/?([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(lt, lt + 100_000));
    if (!m) return `malformed tag at ${lt}: ${JSON.stringify(text.slice(lt, lt + 40))}`;
    const name = m[1];
    if (close) {
      if (m[2] || m[3]) return `malformed end tag at ${lt}`;
      const open = stack.pop();
      if (open !== name) return `end tag </${name}> at ${lt} does not match <${open ?? '(none)'}>`;
    } else {
      if (stack.length === 0) {
        roots++;
        if (roots > 1) return `second root element <${name}> at ${lt}`;
      }
      const attrs = [...m[2].matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"[^"]*"|'[^']*')/g)].map((a) => a[1]);
      if (new Set(attrs).size !== attrs.length) return `duplicate attribute in <${name}> at ${lt}`;
      if (!m[3]) stack.push(name);
    }
    i = lt + m[0].length;
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots === 0) return 'no root element';
  return null;
}

/** SVG-specific: well formed, root `<svg>` with positive width and height. */
export function svgProblem(text: string): string | null {
  const p = xmlProblem(text);
  if (p) return p;
  const root = /^\s*(?:<\?[^]*?\?>\s*)?<svg\b([^>]*)>/.exec(text);
  if (!root) return 'root element is not <svg>';
  const w = /\bwidth="([\d.]+)/.exec(root[1]);
  const h = /\bheight="([\d.]+)/.exec(root[1]);
  if (!w || !h || !(Number(w[1]) > 0) || !(Number(h[1]) > 0)) return '<svg> has no positive width/height';
  if (!/<(path|rect|line|text|circle|g)\b/.test(text)) return '<svg> has no drawing elements';
  return null;
}
