import { isSpace } from './functions/text.js';

/**
 * Literal text of templates. HashiCorp's syntax tree gives a literal's source text, not its value, so escapes,
 * strip markers (`~`) and flush-heredoc indentation are applied here, the way HCL's own scanner applies them.
 */

export type TemplateMode = 'quoted' | 'heredoc' | 'flush';

/** `$${` and `%%{` stand for literal `${` and `%{` in every kind of template. */
export function unescapeTemplateMarkers(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Backslash escapes exist only in quoted templates; heredocs take backslashes literally. */
export function decodeLiteral(source: string, mode: TemplateMode): string {
  if (mode !== 'quoted') return unescapeTemplateMarkers(source);
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1]!;
      if (n in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[n];
        i++;
        continue;
      }
      const width = n === 'u' ? 4 : n === 'U' ? 8 : 0;
      const hex = source.slice(i + 2, i + 2 + width);
      if (width && /^[0-9a-fA-F]+$/.test(hex) && hex.length === width) {
        const cp = parseInt(hex, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
        i += 1 + width;
        continue;
      }
    }
    if ((c === '$' || c === '%') && source[i + 1] === c && source[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/** What the bytes around a literal say about strip markers: `~}` before it, `${~` / `%{~` after it. */
export function stripFlags(buf: Buffer, start: number, end: number): { left: boolean; right: boolean } {
  const before = buf.subarray(Math.max(0, start - 2), start).toString('latin1');
  const after = buf.subarray(end, end + 3).toString('latin1');
  return { left: before === '~}', right: after === '${~' || after === '%{~' };
}

/** `~` strips what Go's unicode.IsSpace calls space, as HCL does. */
export function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  return s.slice(i);
}

export function trimRightSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isSpace(s[i - 1]!)) i--;
  return s.slice(0, i);
}

/**
 * `<<-EOT` removes the indentation common to every line. Only lines that begin with literal text count: a line that
 * opens with an interpolation has no indentation of its own.
 */
export function dedentFlush(literals: string[], atLineStart: boolean[]): string[] {
  let min = Infinity;
  const scan = (s: string, fromStart: boolean) => {
    const lines = s.split('\n');
    lines.forEach((line, i) => {
      if (i === 0 && !fromStart) return;
      if (i === lines.length - 1 && line === '' && lines.length > 1) return;
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (indent === line.length) return;
      min = Math.min(min, indent);
    });
  };
  literals.forEach((s, i) => scan(s, atLineStart[i]!));
  if (!Number.isFinite(min) || min === 0) return literals;
  return literals.map((s, i) =>
    s
      .split('\n')
      .map((line, j) => (j === 0 && !atLineStart[i] ? line : line.slice(Math.min(min, /^[ \t]*/.exec(line)![0].length))))
      .join('\n'),
  );
}
