import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Position, Span } from '../../source/types.js';

/** No source file a fix edits is larger than the parsers read (their limits are 5 MB). */
const MAX_EDITABLE_BYTES = 5 * 1024 * 1024;

/**
 * The texts of the files fixes edit, read once each from the scan root. Only regular files below the root are read,
 * as the scan itself does; anything else is undefined and the fix stays advice.
 */
export class SourceTexts {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly root: string) {}

  private inside(rel: string): string | undefined {
    const abs = path.resolve(this.root, rel);
    const back = path.relative(this.root, abs);
    return back === '' || back.startsWith('..') || path.isAbsolute(back) ? undefined : abs;
  }

  read(rel: string): string | undefined {
    if (!this.cache.has(rel)) this.cache.set(rel, this.load(rel));
    return this.cache.get(rel);
  }

  private load(rel: string): string | undefined {
    const abs = this.inside(rel);
    try {
      if (!abs || !statSync(abs).isFile() || statSync(abs).size > MAX_EDITABLE_BYTES) return undefined;
      const text = readFileSync(abs, 'utf8');
      // Positions are counted without a byte-order mark, as the parsers count them.
      return text.charCodeAt(0) === 0xfeff ? undefined : text;
    } catch {
      return undefined;
    }
  }

  /** The names in a directory under the root (relative, forward slashes), or undefined when it cannot be listed. */
  list(relDir: string): string[] | undefined {
    const abs = relDir === '.' || relDir === '' ? this.root : this.inside(relDir);
    try {
      return abs ? readdirSync(abs) : undefined;
    } catch {
      return undefined;
    }
  }
}

export const comparePositions = (a: Position, b: Position) => a.line - b.line || a.column - b.column;
export const samePosition = (a: Position, b: Position) => comparePositions(a, b) === 0;

/** Lines of a text with their offsets; positions are 1-based with columns in code points, as every parser counts them. */
export class TextLines {
  private readonly starts: number[] = [0];
  readonly eol: string;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The line's text without its line break. */
  line(n: number): string {
    const start = this.starts[n - 1] ?? this.text.length;
    const next = this.starts[n];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }

  /** Whether line n is there and has more than whitespace. */
  hasContent(n: number): boolean {
    return n <= this.starts.length && this.line(n).trim() !== '';
  }

  /** A new block written after line n: a blank line before it, and after it when the next line is not blank already. */
  blockAfter(n: number, block: string): string {
    return `${this.eol}${this.eol}${block}${this.hasContent(n + 1) ? this.eol : ''}`;
  }

  indent(n: number): string {
    return /^[ \t]*/.exec(this.line(n))![0];
  }

  /** The position after the last character of a line (before its line break). */
  lineEnd(n: number): Position {
    return { line: n, column: [...this.line(n)].length + 1 };
  }

  offset(p: Position): number {
    const start = this.starts[p.line - 1] ?? this.text.length;
    let at = start;
    for (let col = 1; col < p.column && at < this.text.length; col++) at += (this.text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
    return at;
  }

  slice(span: Span): string {
    return this.text.slice(this.offset(span.start), this.offset(span.end));
  }
}

/** Re-indents text written with two-space steps to the file's own step, and puts it at `base`. */
export function indentText(text: string, base: string, step: string, eol: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (l.trim() === '') return '';
      const depth = Math.floor(/^ */.exec(l)![0].length / 2);
      return `${base}${step.repeat(depth)}${l.trimStart()}`;
    })
    .join(eol);
}
