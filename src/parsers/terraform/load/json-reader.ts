import type { Position, Span } from '../../../source/types.js';
import { MAX_NESTING } from './text.js';

export type JsonNode =
  | { kind: 'object'; entries: JsonEntry[]; span: Span }
  | { kind: 'array'; items: JsonNode[]; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'null'; value: null; span: Span };

/** Entries keep duplicates and order: Terraform's JSON syntax gives repeated keys a meaning (more blocks). */
export interface JsonEntry {
  key: string;
  keySpan: Span;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: Position,
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * A strict JSON reader that keeps a span on every node, lines and columns 1-based with columns in code points.
 * Recursion is bounded by MAX_NESTING, so hostile input ends in a JsonSyntaxError, never a stack overflow.
 */
export function readJson(text: string): JsonNode {
  let pos = 0;
  let line = 1;
  let col = 1;
  const here = (): Position => ({ line, column: col });
  const fail = (message: string, tooDeep = false): never => {
    throw new JsonSyntaxError(message, here(), tooDeep);
  };
  const advance = (n = 1) => {
    for (let i = 0; i < n && pos < text.length; i++) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        col = 1;
        pos++;
        continue;
      }
      // A surrogate pair is one code point and one column.
      if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(pos + 1) & 0xfc00) === 0xdc00) pos++;
      pos++;
      col++;
    }
  };
  const skipSpace = () => {
    for (;;) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') advance();
      else return;
    }
  };
  const expect = (ch: string) => {
    if (text[pos] !== ch) fail(pos >= text.length ? `Expected "${ch}" but the file ended.` : `Expected "${ch}" but found "${text[pos]}".`);
    advance();
  };

  const readString = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string.');
      // Copy plain runs in one slice; the per-character walk only keeps lines and columns right.
      let run = pos;
      while (run < text.length && text[run] !== '"' && text[run] !== '\\' && text.charCodeAt(run) >= 0x20) run++;
      if (run > pos) {
        out += text.slice(pos, run);
        advance(run - pos - countLowSurrogates(text, pos, run));
        continue;
      }
      const c = text[pos]!;
      if (c === '"') {
        advance();
        return out;
      }
      if (c === '\\') {
        const e = text[pos + 1] ?? '';
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape in string.');
          out += String.fromCharCode(parseInt(hex, 16));
          advance(6);
          continue;
        }
        const mapped = ESCAPES[e];
        if (mapped === undefined) fail(`Invalid escape "\\${e}" in string.`);
        out += mapped;
        advance(2);
        continue;
      }
      fail('Control character in string.');
    }
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_NESTING) fail(`Nesting is deeper than ${MAX_NESTING} levels.`, true);
    skipSpace();
    const start = here();
    const c = text[pos];
    if (c === '{') {
      advance();
      const entries: JsonEntry[] = [];
      skipSpace();
      if (text[pos] === '}') advance();
      else
        for (;;) {
          skipSpace();
          const keyStart = here();
          if (text[pos] !== '"') fail('Expected a property name in double quotes.');
          const key = readString();
          const keySpan = { start: keyStart, end: here() };
          skipSpace();
          expect(':');
          const value = readValue(depth + 1);
          entries.push({ key, keySpan, value });
          skipSpace();
          if (text[pos] === ',') {
            advance();
            continue;
          }
          expect('}');
          break;
        }
      return { kind: 'object', entries, span: { start, end: here() } };
    }
    if (c === '[') {
      advance();
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') advance();
      else
        for (;;) {
          items.push(readValue(depth + 1));
          skipSpace();
          if (text[pos] === ',') {
            advance();
            continue;
          }
          expect(']');
          break;
        }
      return { kind: 'array', items, span: { start, end: here() } };
    }
    if (c === '"') {
      const value = readString();
      return { kind: 'string', value, span: { start, end: here() } };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(pos, pos + 400));
    if (!literal) fail(pos >= text.length ? 'Unexpected end of file.' : `Unexpected character "${String.fromCodePoint(text.codePointAt(pos)!)}".`);
    const word = literal![0];
    advance(word.length);
    const span = { start, end: here() };
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', span };
    if (word === 'null') return { kind: 'null', value: null, span };
    return { kind: 'number', value: Number(word), span };
  };

  const root = readValue(0);
  skipSpace();
  if (pos < text.length) fail('Unexpected content after the JSON value.');
  return root;
}

function countLowSurrogates(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c & 0xfc00) === 0xdc00 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) n++;
  }
  return n;
}
