import type { Diagnostic, Position } from '../../source/types.js';

/** Templates above this size are not parsed. CloudFormation accepts at most 1 MB from S3; anything larger is not a template. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

/** Deepest nesting of mappings and sequences a template may have; real templates stay under twenty levels. */
export const MAX_NESTING = 100;

/** Most nodes that YAML aliases may add by expansion, so that an alias bomb ends in a diagnostic instead of a hang. */
export const MAX_ALIAS_NODES = 100_000;

/** How many YAML aliases one document may hold. */
export const MAX_ALIAS_COUNT = 10_000;

export type DecodedText = { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file: string, bytes: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'cfn-file-too-large',
    file,
    message: `Template is ${megabytes(bytes)}, over the ${megabytes(MAX_TEMPLATE_BYTES)} limit; it was not parsed.`,
  };
}

function binary(file: string): Diagnostic {
  return { severity: 'warning', code: 'cfn-binary-file', file, message: 'File contains NUL bytes and looks binary; it was not parsed.' };
}

function invalidUtf8(file: string): Diagnostic {
  return { severity: 'warning', code: 'cfn-invalid-utf8', file, message: 'File is not valid UTF-8; it was not parsed.' };
}

/** A JS string can carry lone surrogates that no UTF-8 file could have produced. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Turns what was read into text, refusing what no template can be: too large, binary, not UTF-8. A string that
 * holds U+FFFD was decoded leniently from invalid bytes by the caller; it is refused too. The byte-order mark is
 * dropped so that columns match what editors show.
 */
export function decodeTemplateText(file: string, input: string | Uint8Array): DecodedText {
  let text: string;
  if (typeof input === 'string') {
    if (input.length * 3 > MAX_TEMPLATE_BYTES) {
      const bytes = Buffer.byteLength(input, 'utf8');
      if (bytes > MAX_TEMPLATE_BYTES) return { diagnostic: tooLarge(file, bytes) };
    }
    if (input.includes('\0')) return { diagnostic: binary(file) };
    if (input.includes('\uFFFD') || hasLoneSurrogate(input)) return { diagnostic: invalidUtf8(file) };
    text = input;
  } else {
    if (input.byteLength > MAX_TEMPLATE_BYTES) return { diagnostic: tooLarge(file, input.byteLength) };
    if (input.indexOf(0) !== -1) return { diagnostic: binary(file) };
    try {
      text = utf8.decode(input);
    } catch {
      return { diagnostic: invalidUtf8(file) };
    }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * Turns UTF-16 offsets into 1-based lines and columns, columns counted in code points as the rest of the tool does.
 * Lookups are logarithmic, so a minified one-line template with many nodes stays fast.
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
    const line = upperBound(this.lineStarts, o) - 1;
    const start = this.lineStarts[line]!;
    const pairs = this.lowSurrogates.length === 0 ? 0 : upperBound(this.lowSurrogates, o - 1) - upperBound(this.lowSurrogates, start - 1);
    return { line: line + 1, column: o - start - pairs + 1 };
  }

  /** The offset where trailing blanks and line breaks before `end` begin (never before `start`). */
  trimEnd(start: number, end: number): number {
    let e = Math.min(end, this.text.length);
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }
}

/** Number of elements of a sorted array that are <= x. */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
