import vm from 'node:vm';
import { FunctionError, RegexTimeout, UnknownResult } from '../codes.js';
import { BudgetExceeded } from '../../../../source/budget.js';
import type { Value, ValueObject } from '../../../../source/value.js';
import { setKey } from '../../../../source/values.js';

/**
 * Terraform's patterns are RE2 (Go's regexp). They are translated to JavaScript with the `u` flag: named groups
 * `(?P<n>…)`, `\A`, `\z`, `\Q…\E`, POSIX classes, `\pL`, RE2's narrower `.` and `\s`, and a leading flag group.
 * JavaScript backtracks where RE2 runs in linear time, so every match runs under a time limit (and very long
 * subjects are refused): hostile configuration must not hang a scan. A match past the limit raises RegexTimeout.
 */

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');
const MAX_SUBJECT = 100_000;
const MATCH_TIMEOUT_MS = 200;

// V8 can interrupt a running regular expression only from a vm time limit.
const sandbox = vm.createContext({ re: /(?:)/, s: '', pos: 0 });
const execScript = new vm.Script('re.lastIndex = pos; re.exec(s)');

function execAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  Object.assign(sandbox, { re, s, pos });
  try {
    return execScript.runInContext(sandbox, { timeout: MATCH_TIMEOUT_MS }) as RegExpExecArray | null;
  } catch {
    throw new RegexTimeout(`matching the pattern took longer than ${MATCH_TIMEOUT_MS} ms`);
  } finally {
    Object.assign(sandbox, { re: /(?:)/, s: '' });
  }
}

/** With the `u` flag JavaScript accepts `\\` before syntax characters only (and before `-` inside a class). */
function escapeLiteral(c: string, inClass = false): string {
  return SYNTAX_CHARS.has(c) || (inClass && c === '-') ? `\\${c}` : c;
}

function unicodeClass(name: string, negate: boolean): string {
  const body = name.length <= 2 ? name : `Script=${name}`;
  return `\\${negate ? 'P' : 'p'}{${body}}`;
}

export interface CompiledPattern {
  re: RegExp;
  groupNames: Array<string | undefined>;
}

const compiled = new Map<string, CompiledPattern>();

export function compileRe2(pattern: string): CompiledPattern {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const { flags, start } = leadingFlags(pattern);
  const translator = new Re2Translator(pattern, flags.includes('s'));
  const out = translator.translate(start);
  let re: RegExp;
  try {
    re = new RegExp(out, flags);
  } catch (e) {
    throw new FunctionError(`invalid regexp pattern: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const result = { re, groupNames: translator.groupNames };
  compiled.set(pattern, result);
  return result;
}

/** A leading flag group (`(?i)`, `(?ms)`) becomes JavaScript flags; RE2's ungreedy flag has no JavaScript counterpart. */
function leadingFlags(pattern: string): { flags: string; start: number } {
  let flags = 'gu';
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!lead) return { flags, start: 0 };
  if (lead[1]!.includes('U')) throw new UnknownResult('the ungreedy flag (?U) is not evaluated');
  for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
  return { flags, start: lead[0].length };
}

/**
 * Translates an RE2 pattern to JavaScript one construct at a time. Each step appends the translation of the construct
 * at `i` to `out` and returns the index after it; the same construct means different things inside a class and out.
 */
class Re2Translator {
  readonly groupNames: Array<string | undefined> = [];
  private out = '';
  private inClass = false;

  constructor(
    private readonly pattern: string,
    private readonly dotAll: boolean,
  ) {}

  translate(start: number): string {
    let i = start;
    while (i < this.pattern.length) {
      if (this.pattern[i] === '\\') i = this.escape(i);
      else if (this.inClass) i = this.classMember(i);
      else i = this.outsideClass(i);
    }
    return this.out;
  }

  /** `\Q…\E`, `\A`, `\z`, RE2's `\s`, `\p` classes and `\x{…}`; other escapes carry over as they are. */
  private escape(i: number): number {
    const { pattern, inClass } = this;
    const n = pattern[i + 1];
    if (n === undefined) throw new FunctionError('invalid regexp pattern: trailing backslash at end of expression.');
    if (n === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      const lit = pattern.slice(i + 2, end < 0 ? undefined : end);
      this.out += [...lit].map((x) => escapeLiteral(x, inClass)).join('');
      return end < 0 ? pattern.length : end + 2;
    }
    if (n === 'p' || n === 'P') return this.unicodeClass(i, n === 'P');
    if (n === 'x' && pattern[i + 2] === '{') {
      const end = pattern.indexOf('}', i + 3);
      // An unclosed brace would send the scan back to the start of the pattern, for ever.
      if (end < 0) throw new FunctionError(`invalid regexp pattern: invalid escape sequence: \`${pattern.slice(i)}\`.`);
      this.out += `\\u{${pattern.slice(i + 3, end)}}`;
      return end + 1;
    }
    if (n === 'A' && !inClass) this.out += '(?<![\\s\\S])';
    else if (n === 'z' && !inClass) this.out += '(?![\\s\\S])';
    // RE2's \s is ASCII whitespace without \v; JavaScript's also matches \v and Unicode spaces.
    else if (n === 's') this.out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
    else if (n === 'S' && !inClass) this.out += '[^\\t\\n\\f\\r ]';
    else if (/[0-9A-Za-z]/.test(n)) this.out += `\\${n}`;
    else this.out += escapeLiteral(n, inClass);
    return i + 2;
  }

  /** `\pL`, `\p{Greek}`, `\P{…}` and `\p{^…}` (negated) as JavaScript Unicode property escapes. */
  private unicodeClass(i: number, negate: boolean): number {
    const { pattern } = this;
    if (pattern[i + 2] !== '{') {
      this.out += unicodeClass(pattern[i + 2] ?? '', negate);
      return i + 3;
    }
    const end = pattern.indexOf('}', i + 3);
    if (end < 0) throw new FunctionError(`invalid regexp pattern: invalid character class range: \`${pattern.slice(i)}\`.`);
    let name = pattern.slice(i + 3, end);
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    this.out += unicodeClass(name, negate);
    return end + 1;
  }

  /** Inside `[…]`: POSIX classes (`[:alpha:]`) are expanded, a nested `[` is a literal, `]` ends the class. */
  private classMember(i: number): number {
    const { pattern } = this;
    const c = pattern[i]!;
    if (c === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      const name = pattern.slice(i + 2, end);
      const negate = name.startsWith('^');
      const set = POSIX[negate ? name.slice(1) : name];
      if (end < 0 || !set || negate) throw new UnknownResult(`the character class [:${name}:] is not evaluated`);
      this.out += set;
      return end + 2;
    }
    if (c === ']') this.inClass = false;
    this.out += c === '[' ? '\\[' : c;
    return i + 1;
  }

  private outsideClass(i: number): number {
    const { pattern } = this;
    const c = pattern[i]!;
    switch (c) {
      case '[':
        return this.openClass(i);
      case '.':
        // Without (?s) RE2's `.` refuses only \n; JavaScript's refuses \r, \u2028 and \u2029 too.
        this.out += this.dotAll ? '[\\s\\S]' : '[^\\n]';
        return i + 1;
      case '(':
        return this.openGroup(i);
      case '{': {
        // A brace that does not start a repetition is a literal in RE2; the `u` flag wants it escaped.
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        this.out += m ? m[0] : '\\{';
        return i + (m ? m[0].length : 1);
      }
      case '}':
        this.out += '\\}';
        return i + 1;
      default:
        this.out += c;
        return i + 1;
    }
  }

  private openClass(i: number): number {
    const { pattern } = this;
    this.inClass = true;
    this.out += '[';
    if (pattern[i + 1] === '^') {
      this.out += '^';
      i++;
    }
    // A `]` first in a class is a literal in RE2.
    if (pattern[i + 1] === ']') {
      this.out += '\\]';
      i++;
    }
    return i + 1;
  }

  /** Groups: named (`(?P<n>…)` or `(?<n>…)`), non-capturing, or capturing; every capture is counted in `groupNames`. */
  private openGroup(i: number): number {
    const { pattern } = this;
    if (pattern.startsWith('(?P<', i) || pattern.startsWith('(?<', i)) {
      const start = pattern.indexOf('<', i) + 1;
      const end = pattern.indexOf('>', start);
      if (end < 0) throw new FunctionError(`invalid regexp pattern: invalid named capture: \`${pattern.slice(i)}\`.`);
      const name = pattern.slice(start, end);
      this.groupNames.push(name);
      this.out += `(?<${name}>`;
      return end + 1;
    }
    if (pattern.startsWith('(?:', i)) {
      this.out += '(?:';
      return i + 3;
    }
    if (pattern[i + 1] === '?') throw new UnknownResult('inline flag groups other than a leading one are not evaluated');
    this.groupNames.push(undefined);
    this.out += '(';
    return i + 1;
  }
}

/** All matches as Go's FindAll finds them: an empty match right after the previous match is skipped. */
export function allMatches(p: CompiledPattern, s: string, limit = Infinity): RegExpExecArray[] {
  if (s.length > MAX_SUBJECT) throw new UnknownResult('the string is too long to search with a pattern');
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && out.length < limit) {
    const m = execAt(p.re, s, pos);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === m.index) {
      if (m.index === prevEnd) accept = false;
      const cp = s.codePointAt(m.index);
      pos = m.index + (cp === undefined ? 1 : cp > 0xffff ? 2 : 1);
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** The value `regex` returns for one match: the whole match, a list of groups, or an object of named groups. */
export function matchValue(p: CompiledPattern, m: RegExpExecArray): Value {
  const named = p.groupNames.filter((n) => n !== undefined).length;
  const unnamed = p.groupNames.length - named;
  if (named && unnamed) throw new FunctionError('invalid regexp pattern: cannot mix both named and unnamed capture groups.');
  if (p.groupNames.length === 0) return m[0];
  if (unnamed) return p.groupNames.map((_, i) => m[i + 1] ?? null);
  const o: ValueObject = {};
  p.groupNames.forEach((n, i) => setKey(o, n!, m[i + 1] ?? null));
  return o;
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest run of word characters. */
export function expandReplacement(template: string, p: CompiledPattern, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let next = i;
    if (template[i + 1] === '{') {
      const end = template.indexOf('}', i + 2);
      const inner = end < 0 ? '' : template.slice(i + 2, end);
      if (/^\w+$/.test(inner)) {
        name = inner;
        next = end;
      }
    } else {
      const w = /^\w+/.exec(template.slice(i + 1));
      if (w) {
        name = w[0];
        next = i + w[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    i = next;
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n <= p.groupNames.length) out += m[n] ?? '';
      continue;
    }
    const idx = p.groupNames.indexOf(name);
    if (idx >= 0) out += m[idx + 1] ?? '';
  }
  return out;
}

/** `maxLength`: the longest result allowed; the replacement stops as soon as the result would be longer. */
export function regexReplace(s: string, pattern: string, replacement: string, maxLength = Infinity): string {
  const p = compileRe2(pattern);
  let out = '';
  let last = 0;
  for (const m of allMatches(p, s)) {
    out += s.slice(last, m.index) + expandReplacement(replacement, p, m);
    last = m.index + m[0].length;
    if (out.length + s.length - last > maxLength) throw new BudgetExceeded('maxString', out.length + s.length - last);
  }
  return out + s.slice(last);
}
