/** Text primitives with Go's semantics, which Terraform's string functions inherit. */

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Terraform counts and slices strings by grapheme cluster ("character" as a reader sees it). */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Go maps case one code point at a time; a mapping that would change the length (ß → SS) is not applied. */
function mapCase(s: string, f: (c: string) => string): string {
  let out = '';
  for (const c of s) {
    const m = f(c);
    out += [...m].length === 1 ? m : c;
  }
  return out;
}

export function upper(s: string): string {
  return mapCase(s, (c) => c.toUpperCase());
}

export function lower(s: string): string {
  return mapCase(s, (c) => c.toLowerCase());
}

/** Go's strings.Title: a letter after a separator (anything but letters, digits and `_`) is upper-cased. */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isTitleSeparator(prev) ? mapCase(c, (x) => x.toUpperCase()) : c;
    prev = c;
  }
  return out;
}

function isTitleSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return isSpace(c);
}

/** Go's unicode.IsSpace. */
export function isSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);
}

export function trimSpace(s: string): string {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a]!)) a++;
  while (b > a && isSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** Go's strings.Trim: removes leading and trailing code points that appear in `cutset`. */
export function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && cut.has(chars[a]!)) a++;
  while (b > a && cut.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** Go's strings.Replace with n = -1; an empty `old` inserts `repl` around every code point. */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') return repl + [...s].join(repl) + (s === '' ? '' : repl);
  return s.split(old).join(repl);
}

/** Go's strings.Split: an empty separator splits into code points. */
export function splitString(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/**
 * JSON as Go's encoding/json writes strings: `<`, `>` and `&` as \u003c, \u003e, \u0026, U+2028/U+2029 escaped,
 * other control characters as \u00XX except \n, \r, \t.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    switch (c) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
    }
    if (cp < 0x20 || c === '<' || c === '>' || c === '&' || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
      continue;
    }
    out += c;
  }
  return `${out}"`;
}
