import type { Position, Span } from '../../source/types.js';

/**
 * Turns the UTF-16 offsets a parser reports into 1-based lines and columns, columns counted in code points as the
 * rest of the tool does (and as editors and SARIF viewers show them).
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  /** Offsets of the low halves of surrogate pairs: each makes one code point out of two units. */
  private readonly lowSurrogates: number[] = [];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c >= 0xdc00 && c <= 0xdfff && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) this.lowSurrogates.push(i);
    }
  }

  at(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = countAtMost(this.lineStarts, o) - 1;
    const start = this.lineStarts[line]!;
    const pairs = this.lowSurrogates.length === 0 ? 0 : countAtMost(this.lowSurrogates, o - 1) - countAtMost(this.lowSurrogates, start - 1);
    return { line: line + 1, column: o - start - pairs + 1 };
  }

  /** A span from a `[start, end)` offset range; the end column is the one after the last character. */
  span(range: readonly [number, number]): Span {
    return { start: this.at(range[0]), end: this.at(range[1]) };
  }
}

/** Number of elements of a sorted array that are <= x. */
function countAtMost(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
