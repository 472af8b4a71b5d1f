import type { Position } from '../../../source/types.js';
import type { TfComment } from './types.js';

/**
 * Token kinds the locator needs. Templates are split the way HCL's own scanner splits them, so that braces and
 * quotes inside strings, heredocs and interpolations never look like structure.
 */
export type TokenKind =
  | 'ident'
  | 'number'
  | 'punct' // one of { } [ ] ( ) , ? : . * - !, or a multi-character operator
  | 'assign' // a lone `=`
  | 'newline'
  | 'template-open' // `"` or a heredoc header `<<EOT`
  | 'template-literal'
  | 'template-close' // `"` or the heredoc's closing marker (zero width when unterminated)
  | 'interp-open' // `${` or `%{`
  | 'interp-close'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: Position;
  end: Position;
  /** For template-open: whether it is a quoted string (only those can be block labels). */
  quoted?: boolean;
  /** For interp-open of a `%{` directive: the keyword (if, for, else, endif, endfor). */
  directive?: string;
}

type Mode = { kind: 'code'; interp: boolean; braces: number } | { kind: 'quoted' } | { kind: 'heredoc'; marker: string };

const IDENT_START = /[\p{ID_Start}_]/u;
const IDENT_PART = /[\p{ID_Continue}-]/u;
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...'];

/**
 * A streaming HCL tokenizer that tracks 1-based lines and columns, columns counting Unicode code points. It never
 * throws: on malformed input it still reaches the end, which is all the locator needs since hcl2json decides
 * validity.
 */
export class HclScanner {
  private pos = 0;
  private line = 1;
  private col = 1;
  private readonly modes: Mode[] = [{ kind: 'code', interp: false, braces: 0 }];
  readonly comments: TfComment[] = [];

  constructor(private readonly text: string) {}

  private here(): Position {
    return { line: this.line, column: this.col };
  }

  private at(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  /** Advances one code point. */
  private step(): void {
    const code = this.text.charCodeAt(this.pos);
    if (code === 10) {
      this.line++;
      this.col = 1;
      this.pos++;
      return;
    }
    const next = this.text.charCodeAt(this.pos + 1);
    this.pos += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    this.col++;
  }

  private stepN(n: number): void {
    for (let i = 0; i < n; i++) this.step();
  }

  private codePointHere(): string {
    return String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
  }

  private token(kind: TokenKind, start: Position, from: number, extra?: Partial<Token>): Token {
    return { kind, text: this.text.slice(from, this.pos), start, end: this.here(), ...extra };
  }

  next(): Token {
    const mode = this.modes[this.modes.length - 1]!;
    if (mode.kind === 'quoted') return this.nextQuoted();
    if (mode.kind === 'heredoc') return this.nextHeredoc(mode.marker);
    return this.nextCode(mode);
  }

  private nextCode(mode: Extract<Mode, { kind: 'code' }>): Token {
    for (;;) {
      const c = this.at();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.step();
        continue;
      }
      if (c === '#' || (c === '/' && this.at(1) === '/')) {
        this.lineComment();
        continue;
      }
      if (c === '/' && this.at(1) === '*') {
        this.blockComment();
        continue;
      }
      break;
    }
    const start = this.here();
    const from = this.pos;
    if (this.pos >= this.text.length) return this.token('eof', start, from);
    const c = this.at();
    if (c === '\n') {
      this.step();
      return this.token('newline', start, from);
    }
    if (c === '"') {
      this.step();
      this.modes.push({ kind: 'quoted' });
      return this.token('template-open', start, from, { quoted: true });
    }
    if (c === '<' && this.at(1) === '<') {
      const heredoc = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/u.exec(this.text.slice(this.pos, this.pos + 256));
      if (heredoc) {
        this.stepN(heredoc[0].length);
        this.modes.push({ kind: 'heredoc', marker: heredoc[2]! });
        return { kind: 'template-open', text: heredoc[0].trimEnd(), start, end: { line: start.line, column: start.column + heredoc[0].trimEnd().length } };
      }
    }
    if (c === '{' || c === '}') {
      if (mode.interp) {
        if (c === '}' && mode.braces === 0) {
          this.step();
          this.modes.pop();
          return this.token('interp-close', start, from);
        }
        mode.braces += c === '{' ? 1 : -1;
      }
      this.step();
      return this.token('punct', start, from);
    }
    if (IDENT_START.test(this.codePointHere())) {
      this.step();
      while (this.pos < this.text.length && IDENT_PART.test(this.codePointHere())) this.step();
      return this.token('ident', start, from);
    }
    if (c >= '0' && c <= '9') {
      const num = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400))!;
      this.stepN(num[0].length);
      return this.token('number', start, from);
    }
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
    if (op) {
      this.stepN(op.length);
      return this.token('punct', start, from);
    }
    this.step();
    return this.token(c === '=' ? 'assign' : 'punct', start, from);
  }

  private lineComment(): void {
    const line = this.line;
    const from = this.pos;
    while (this.pos < this.text.length && this.at() !== '\n') this.step();
    this.comments.push({ line, text: this.text.slice(from, this.pos).replace(/\r$/, '') });
  }

  private blockComment(): void {
    const line = this.line;
    const from = this.pos;
    const close = this.text.indexOf('*/', this.pos + 2);
    const until = close === -1 ? this.text.length : close + 2;
    while (this.pos < until) this.step();
    this.comments.push({ line, text: this.text.slice(from, this.pos) });
  }

  /** `${` or `%{` (unless escaped as `$${` / `%%{`) starts an interpolation or a directive. */
  private interpolationHere(): boolean {
    const c = this.at();
    return (c === '$' || c === '%') && this.at(1) === '{';
  }

  private openInterpolation(): Token {
    const start = this.here();
    const from = this.pos;
    const directive = this.at() === '%' ? /^%\{~?\s*([a-z]+)/.exec(this.text.slice(this.pos, this.pos + 64))?.[1] : undefined;
    this.stepN(2);
    this.modes.push({ kind: 'code', interp: true, braces: 0 });
    return this.token('interp-open', start, from, directive ? { directive } : undefined);
  }

  private nextQuoted(): Token {
    const start = this.here();
    const from = this.pos;
    const c = this.at();
    if (this.pos >= this.text.length || c === '\n') {
      // Unterminated: HCL forbids newlines in quoted strings, hcl2json reports it; end the string here.
      this.modes.pop();
      return this.token('template-close', start, from);
    }
    if (c === '"') {
      this.step();
      this.modes.pop();
      return this.token('template-close', start, from);
    }
    if (this.interpolationHere()) return this.openInterpolation();
    while (this.pos < this.text.length) {
      const ch = this.at();
      if (ch === '"' || ch === '\n' || this.interpolationHere()) break;
      if (ch === '\\' && this.at(1) !== '\n' && this.pos + 1 < this.text.length) this.step();
      else if ((ch === '$' || ch === '%') && this.at(1) === ch && this.at(2) === '{') this.stepN(2);
      this.step();
    }
    return this.token('template-literal', start, from);
  }

  private atLineStart(): boolean {
    return this.pos === 0 || this.text.charCodeAt(this.pos - 1) === 10;
  }

  private nextHeredoc(marker: string): Token {
    const start = this.here();
    const from = this.pos;
    if (this.pos >= this.text.length) {
      this.modes.pop();
      return this.token('template-close', start, from);
    }
    if (this.atLineStart()) {
      const m = /^[ \t]*/.exec(this.text.slice(this.pos, this.pos + 1024))![0];
      const after = this.pos + m.length + marker.length;
      if (this.text.startsWith(marker, this.pos + m.length) && /^(\r?\n|$)/.test(this.text.slice(after, after + 2))) {
        this.stepN(m.length);
        const markerStart = this.here();
        const markerFrom = this.pos;
        this.stepN(marker.length);
        this.modes.pop();
        return this.token('template-close', markerStart, markerFrom);
      }
    }
    if (this.interpolationHere()) return this.openInterpolation();
    while (this.pos < this.text.length) {
      const ch = this.at();
      if (this.interpolationHere()) break;
      if ((ch === '$' || ch === '%') && this.at(1) === ch && this.at(2) === '{') this.stepN(2);
      this.step();
      if (ch === '\n') break;
    }
    return this.token('template-literal', start, from);
  }
}

/** The value of a quoted string without interpolations, as a block label. */
export function unquoteLiteral(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
  });
}
