import type { Colors } from 'picocolors/types.js';
import type { Span } from '../source/types.js';

/**
 * Scanned files are untrusted: an escape sequence inside a resource name or a comment must not reach the
 * terminal, where it could rewrite what the reader sees. Tabs survive so the caret line stays aligned.
 */
export function sanitize(text: string, keepNewlines = false): string {
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  const controls = keepNewlines ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
  return text.replace(controls, '\ufffd');
}

/**
 * The primary line with one line of context either side and a caret underline under the span, in the style of
 * compilers. Columns are code points, like the spans. Empty when the file or the line is not available.
 */
export function codeFrame(text: string, span: Span, c: Colors): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const target = span.start.line;
  if (!Number.isInteger(target) || target < 1 || target > lines.length) return [];
  const first = Math.max(1, target - 1);
  const last = Math.min(lines.length, target + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const code = sanitize(lines[n - 1]!).trimEnd();
    const gutter = `${n === target ? '>' : ' '} ${String(n).padStart(width)} |`;
    out.push(n === target ? `${c.bold(gutter)}${code ? ` ${code}` : ''}` : c.dim(`${gutter}${code ? ` ${code}` : ''}`));
    if (n === target) out.push(`${c.dim(`  ${' '.repeat(width)} |`)} ${underline(code, span, c)}`);
  }
  return out;
}

function underline(code: string, span: Span, c: Colors): string {
  const chars = Array.from(code);
  const start = Math.min(Math.max(1, span.start.column), chars.length + 1);
  // Keep tabs in the lead so the caret lands under the same column the terminal shows.
  const lead = chars
    .slice(0, start - 1)
    .map((ch) => (ch === '\t' ? '\t' : ' '))
    .join('');
  const end = span.end.line === span.start.line ? span.end.column : chars.length + 1;
  const length = Math.max(1, end - start);
  return `${lead}${c.red('^'.repeat(length))}`;
}
