import type { Diagnostic, Position, Span } from './types.js';

export type DecodedText = { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

export interface DecodeOptions {
  /** Larger input is refused. */
  maxBytes: number;
  /** Diagnostic codes are `<prefix>-file-too-large`, `<prefix>-binary-file`, `<prefix>-invalid-utf8`. */
  codePrefix: string;
  /** How the too-large message names the input (`File`, `Template`). */
  noun: string;
  /**
   * Refuse a string holding U+FFFD: callers that decode leniently from bytes pass one for invalid input. Off where a
   * real file may well contain the character.
   */
  refuseReplacementCharacter?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** A JS string can carry lone surrogates that no UTF-8 file could have produced. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Turns what was read into text, refusing what no source file can be: too large, binary (NUL bytes), not UTF-8.
 * The byte-order mark is dropped so that columns match what editors show.
 */
export function decodeSourceText(file: string, input: string | Uint8Array, opts: DecodeOptions): DecodedText {
  const tooLarge = (bytes: number): DecodedText => ({
    diagnostic: {
      severity: 'warning',
      code: `${opts.codePrefix}-file-too-large`,
      file,
      message: `${opts.noun} is ${megabytes(bytes)}, over the ${megabytes(opts.maxBytes)} limit; it was not parsed.`,
    },
  });
  const binary: DecodedText = {
    diagnostic: { severity: 'warning', code: `${opts.codePrefix}-binary-file`, file, message: 'File contains NUL bytes and looks binary; it was not parsed.' },
  };
  const invalid: DecodedText = {
    diagnostic: { severity: 'warning', code: `${opts.codePrefix}-invalid-utf8`, file, message: 'File is not valid UTF-8; it was not parsed.' },
  };
  let text: string;
  if (typeof input === 'string') {
    // Three bytes per UTF-16 unit bounds the UTF-8 size; only measure exactly when it could matter.
    if (input.length * 3 > opts.maxBytes) {
      const bytes = Buffer.byteLength(input, 'utf8');
      if (bytes > opts.maxBytes) return tooLarge(bytes);
    }
    if (input.includes('\0')) return binary;
    if ((opts.refuseReplacementCharacter && input.includes('\uFFFD')) || hasLoneSurrogate(input)) return invalid;
    text = input;
  } else {
    if (input.byteLength > opts.maxBytes) return tooLarge(input.byteLength);
    if (input.indexOf(0) !== -1) return binary;
    try {
      text = utf8.decode(input);
    } catch {
      return invalid;
    }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * Turns the UTF-16 offsets a parser reports into 1-based lines and columns, columns counted in code points as the
 * rest of the tool does (and as editors and SARIF viewers show them). Lookups are logarithmic, so a minified
 * one-line file with many nodes stays fast.
 */
export class PositionIndex {
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

  /** The offset where trailing blanks and line breaks before `end` begin (never before `start`). */
  trimEnd(start: number, end: number): number {
    let e = Math.min(end, this.text.length);
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
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
