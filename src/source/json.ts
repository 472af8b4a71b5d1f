/**
 * The one JSON reader that keeps source positions, for every format that points findings and diagnostics into JSON
 * (Terraform's `.tf.json` and `.tfvars.json`, Terraform plans). Strict JSON: no comments, no trailing commas.
 */
import type { Position, Span } from './types.js';

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

export interface ReadJsonOptions {
  /** Deepest nesting of objects and arrays read; deeper input ends in a JsonSyntaxError with `tooDeep` set. */
  maxNesting: number;
}

/**
 * Reads strict JSON keeping a span on every node, lines and columns 1-based with columns in code points. Recursion
 * is bounded by `maxNesting`, so hostile input ends in a JsonSyntaxError, never a stack overflow.
 */
export function readJson(text: string, opts: ReadJsonOptions): JsonNode {
  return new JsonReader(text, opts.maxNesting).document();
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** true, false, null or a number, read from a bounded window so a huge literal costs no more than its first 400 characters. */
const LITERAL = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/;

class JsonReader {
  private pos = 0;
  private line = 1;
  private col = 1;

  constructor(
    private readonly text: string,
    private readonly maxNesting: number,
  ) {}

  document(): JsonNode {
    const root = this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('Unexpected content after the JSON value.');
    return root;
  }

  private here(): Position {
    return { line: this.line, column: this.col };
  }

  private fail(message: string, tooDeep = false): never {
    throw new JsonSyntaxError(message, this.here(), tooDeep);
  }

  /** Moves `n` code points on (a surrogate pair is one), keeping the line and column. */
  private advance(n = 1): void {
    const { text } = this;
    for (let i = 0; i < n && this.pos < text.length; i++) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.col = 1;
        this.pos++;
        continue;
      }
      // A surrogate pair is one code point and one column.
      if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(this.pos + 1) & 0xfc00) === 0xdc00) this.pos++;
      this.pos++;
      this.col++;
    }
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.advance();
      else return;
    }
  }

  private expect(ch: string): void {
    const { text, pos } = this;
    if (text[pos] !== ch) this.fail(pos >= text.length ? `Expected "${ch}" but the file ended.` : `Expected "${ch}" but found "${text[pos]}".`);
    this.advance();
  }

  private value(depth: number): JsonNode {
    if (depth > this.maxNesting) this.fail(`Nesting is deeper than ${this.maxNesting} levels.`, true);
    this.skipSpace();
    const start = this.here();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth, start);
    if (c === '[') return this.array(depth, start);
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', value, span: { start, end: this.here() } };
    }
    return this.literal(start);
  }

  private object(depth: number, start: Position): JsonNode {
    this.advance();
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') this.advance();
    else
      for (;;) {
        this.skipSpace();
        const keyStart = this.here();
        if (this.text[this.pos] !== '"') this.fail('Expected a property name in double quotes.');
        const key = this.string();
        const keySpan = { start: keyStart, end: this.here() };
        this.skipSpace();
        this.expect(':');
        const value = this.value(depth + 1);
        entries.push({ key, keySpan, value });
        this.skipSpace();
        if (this.text[this.pos] === ',') {
          this.advance();
          continue;
        }
        this.expect('}');
        break;
      }
    return { kind: 'object', entries, span: { start, end: this.here() } };
  }

  private array(depth: number, start: Position): JsonNode {
    this.advance();
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') this.advance();
    else
      for (;;) {
        items.push(this.value(depth + 1));
        this.skipSpace();
        if (this.text[this.pos] === ',') {
          this.advance();
          continue;
        }
        this.expect(']');
        break;
      }
    return { kind: 'array', items, span: { start, end: this.here() } };
  }

  private literal(start: Position): JsonNode {
    const { text, pos } = this;
    const literal = LITERAL.exec(text.slice(pos, pos + 400));
    if (!literal) this.fail(pos >= text.length ? 'Unexpected end of file.' : `Unexpected character "${String.fromCodePoint(text.codePointAt(pos)!)}".`);
    const word = literal![0];
    this.advance(word.length);
    const span = { start, end: this.here() };
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', span };
    if (word === 'null') return { kind: 'null', value: null, span };
    return { kind: 'number', value: Number(word), span };
  }

  private string(): string {
    const { text } = this;
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.pos >= text.length) this.fail('Unterminated string.');
      // Copy plain runs in one slice; the per-character walk only keeps lines and columns right.
      const pos = this.pos;
      let run = pos;
      while (run < text.length && text[run] !== '"' && text[run] !== '\\' && text.charCodeAt(run) >= 0x20) run++;
      if (run > pos) {
        out += text.slice(pos, run);
        this.advance(run - pos - countLowSurrogates(text, pos, run));
        continue;
      }
      const c = text[pos]!;
      if (c === '"') {
        this.advance();
        return out;
      }
      if (c !== '\\') this.fail('Control character in string.');
      out += this.escape();
    }
  }

  /** A backslash escape at the current position, as the text it stands for. */
  private escape(): string {
    const { text, pos } = this;
    const e = text[pos + 1] ?? '';
    if (e === 'u') {
      const hex = text.slice(pos + 2, pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape in string.');
      this.advance(6);
      return String.fromCharCode(parseInt(hex, 16));
    }
    const mapped = ESCAPES[e];
    if (mapped === undefined) this.fail(`Invalid escape "\\${e}" in string.`);
    this.advance(2);
    return mapped!;
  }
}

function countLowSurrogates(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c & 0xfc00) === 0xdc00 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) n++;
  }
  return n;
}
