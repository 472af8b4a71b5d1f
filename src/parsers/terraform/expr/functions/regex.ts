import vm from 'node:vm';
import { FunctionError, UnknownResult } from '../codes.js';
import type { Value, ValueObject } from '../../../../source/value.js';
import { setKey } from '../../../../source/values.js';

/**
 * Terraform's patterns are RE2 (Go's regexp). They are translated to JavaScript with the `u` flag: named groups
 * `(?P<n>…)`, `\A`, `\z`, `\Q…\E`, POSIX classes, `\pL`, RE2's narrower `.` and `\s`, and a leading flag group.
 * JavaScript backtracks where RE2 runs in linear time, so every match runs under a time limit (and very long
 * subjects are refused): hostile configuration must not hang a scan.
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
    throw new UnknownResult('the pattern took too long to evaluate');
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
  let flags = 'gu';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    if (lead[1]!.includes('U')) throw new UnknownResult('the ungreedy flag (?U) is not evaluated');
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
    i = lead[0].length;
  }
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  const groupNames: Array<string | undefined> = [];
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new FunctionError('invalid regexp pattern: trailing backslash at end of expression.');
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? undefined : end);
        out += [...lit].map((x) => escapeLiteral(x, inClass)).join('');
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      else if (n === 'S' && !inClass) out += '[^\\t\\n\\f\\r ]';
      else if ((n === 'p' || n === 'P') && pattern[i + 2] !== '{') {
        out += unicodeClass(pattern[i + 2] ?? '', n === 'P');
        i += 3;
        continue;
      } else if ((n === 'p' || n === 'P') && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        let name = pattern.slice(i + 3, end);
        let negate = n === 'P';
        if (name.startsWith('^')) {
          negate = !negate;
          name = name.slice(1);
        }
        out += unicodeClass(name, negate);
        i = end + 1;
        continue;
      } else if (n === 'x' && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        out += `\\u{${pattern.slice(i + 3, end)}}`;
        i = end + 1;
        continue;
      } else if (/[0-9A-Za-z]/.test(n)) out += `\\${n}`;
      else out += escapeLiteral(n, inClass);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = pattern.slice(i + 2, end);
        const negate = name.startsWith('^');
        const set = POSIX[negate ? name.slice(1) : name];
        if (end < 0 || !set || negate) throw new UnknownResult(`the character class [:${name}:] is not evaluated`);
        out += set;
        i = end + 2;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        if (pattern[i + 1] === '^') {
          out += '^';
          i++;
        }
        // A `]` first in a class is a literal in RE2.
        if (pattern[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        i++;
        continue;
      case '.':
        out += dotAll ? '[\\s\\S]' : '[^\\n]';
        i++;
        continue;
      case '(':
        if (pattern.startsWith('(?P<', i) || pattern.startsWith('(?<', i)) {
          const start = pattern.indexOf('<', i) + 1;
          const end = pattern.indexOf('>', start);
          const name = pattern.slice(start, end);
          groupNames.push(name);
          out += `(?<${name}>`;
          i = end + 1;
          continue;
        }
        if (pattern.startsWith('(?:', i)) {
          out += '(?:';
          i += 3;
          continue;
        }
        if (pattern[i + 1] === '?') throw new UnknownResult('inline flag groups other than a leading one are not evaluated');
        groupNames.push(undefined);
        out += '(';
        i++;
        continue;
      case '{': {
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        if (m) {
          out += m[0];
          i += m[0].length;
        } else {
          out += '\\{';
          i++;
        }
        continue;
      }
      case '}':
        out += '\\}';
        i++;
        continue;
      default:
        out += c;
        i++;
    }
  }
  let re: RegExp;
  try {
    re = new RegExp(out, flags);
  } catch (e) {
    throw new FunctionError(`invalid regexp pattern: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const result = { re, groupNames };
  compiled.set(pattern, result);
  return result;
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

export function regexReplace(s: string, pattern: string, replacement: string): string {
  const p = compileRe2(pattern);
  let out = '';
  let last = 0;
  for (const m of allMatches(p, s)) {
    out += s.slice(last, m.index) + expandReplacement(replacement, p, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}
