import { FunctionError } from '../codes.js';
import { BudgetExceeded } from '../../../../source/budget.js';
import { isRef, type Value } from '../../../../source/value.js';
import { numberToString, parseNumber } from '../../../../source/values.js';
import { jsonEncode } from './json.js';
import { graphemes, goQuote } from './text.js';

/**
 * The `format` specification language: `%[flags][[n]][width][.precision]verb`, verbs v t b d o x X e E f g G s q,
 * with Go's formatting of integers and floats, and widths counted in grapheme clusters.
 */

interface Verb {
  raw: string;
  offset: number;
  arg: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width?: number;
  prec?: number;
}

/** `maxLength`: the longest result allowed; a longer one (a width of a billion) is refused before it is built. */
export function formatString(spec: string, args: Value[], maxLength = Infinity): string {
  let out = '';
  let next = 1;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    if (spec[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    const m = /^%([ +#0-]*)(?:\[([1-9]\d*)\])?([1-9]\d*)?(\.\d*)?([A-Za-z])?/.exec(spec.slice(i))!;
    if (!m[5]) {
      if (i + m[0].length >= spec.length) throw new FunctionError(`invalid format string starting at offset ${i}.`);
      throw new FunctionError(`unrecognized format character ${JSON.stringify(spec[i + m[0].length])} at offset ${i + m[0].length}.`);
    }
    const flags = m[1]!;
    const verb: Verb = {
      raw: m[0],
      offset: i,
      arg: m[2] ? Number(m[2]) : next,
      mode: m[5],
      zero: flags.includes('0'),
      sharp: flags.includes('#'),
      plus: flags.includes('+'),
      minus: flags.includes('-'),
      space: flags.includes(' '),
      ...(m[3] ? { width: Number(m[3]) } : {}),
      ...(m[4] !== undefined ? { prec: Number(m[4].slice(1) || '0') } : {}),
    };
    if ((verb.width ?? 0) > maxLength || (verb.prec ?? 0) > maxLength) throw new BudgetExceeded('maxString', Math.max(verb.width ?? 0, verb.prec ?? 0));
    out += formatOne(verb, args);
    if (out.length > maxLength) throw new BudgetExceeded('maxString', out.length);
    next = verb.arg + 1;
    i += m[0].length;
  }
  return out;
}

function formatOne(verb: Verb, args: Value[]): string {
  if (verb.arg > args.length) {
    throw new FunctionError(`not enough arguments for ${JSON.stringify(verb.raw)} at ${verb.offset}: need index ${verb.arg} but have ${args.length} total.`);
  }
  const arg = args[verb.arg - 1]!;
  if (verb.mode !== 'v' && arg === null)
    throw new FunctionError(`unsupported value for ${JSON.stringify(verb.raw)} at ${verb.offset}: null value cannot be formatted.`);
  const unsupported = (why: string) => new FunctionError(`unsupported value for ${JSON.stringify(verb.raw)} at ${verb.offset}: ${why}.`);
  switch (verb.mode) {
    case 'v':
      if (!verb.sharp && typeof arg === 'string') return pad(verb, arg);
      if (!verb.sharp && typeof arg === 'number') return pad(verb, (arg < 0 ? '-' : '') + floatText(Math.abs(arg), 'g', -1));
      return pad(verb, jsonEncode(arg));
    case 't':
      if (typeof arg === 'boolean') return String(arg);
      if (arg === 'true' || arg === 'false') return arg;
      throw unsupported('a bool is required');
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G': {
      const n = typeof arg === 'number' ? arg : typeof arg === 'string' && !isRef(arg) ? parseNumber(arg) : undefined;
      if (n === undefined) throw unsupported('a number is required');
      if ('bdoxX'.includes(verb.mode)) {
        if (!Number.isInteger(n)) throw unsupported('an integer is required');
        return formatInteger(verb, n);
      }
      return formatFloat(verb, n);
    }
    case 's':
    case 'q': {
      let s: string;
      if (typeof arg === 'string') s = arg;
      else if (typeof arg === 'number') s = numberToString(arg);
      else if (typeof arg === 'boolean') s = String(arg);
      else throw unsupported('a string is required');
      if (verb.prec !== undefined && verb.prec > 0) s = graphemes(s).slice(0, verb.prec).join('');
      return pad(verb, verb.mode === 'q' ? goQuote(s) : s);
    }
    default:
      throw new FunctionError(`unsupported format verb ${JSON.stringify(verb.mode)} in ${JSON.stringify(verb.raw)} at offset ${verb.offset}.`);
  }
}

function pad(verb: Verb, s: string): string {
  if (verb.width === undefined) return s;
  const missing = verb.width - graphemes(s).length;
  if (missing <= 0) return s;
  const fill = (verb.zero ? '0' : ' ').repeat(missing);
  return verb.minus ? s + fill : fill + s;
}

/** Go's big.Int formatting: [padding][sign][0x-style prefix][precision zeros][digits][padding]. */
function formatInteger(verb: Verb, n: number): string {
  const big = BigInt(n);
  const neg = big < 0n;
  const base = { b: 2, o: 8, d: 10, x: 16, X: 16 }[verb.mode as 'b']!;
  let digits = (neg ? -big : big).toString(base);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  const sign = neg ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
  const prefix = verb.sharp ? (({ b: '0b', o: '0', x: '0x', X: '0X' } as Record<string, string>)[verb.mode] ?? '') : '';
  let zeros = 0;
  if (verb.prec !== undefined) {
    if (digits.length < verb.prec) zeros = verb.prec - digits.length;
    else if (digits === '0' && verb.prec === 0) return '';
  }
  let left = 0;
  let right = 0;
  const length = sign.length + prefix.length + zeros + digits.length;
  if (verb.width !== undefined && length < verb.width) {
    const d = verb.width - length;
    if (verb.minus) right = d;
    else if (verb.zero && verb.prec === undefined) zeros = d;
    else left = d;
  }
  return ' '.repeat(left) + sign + prefix + '0'.repeat(zeros) + digits + ' '.repeat(right);
}

/** Go's big.Float formatting, with the sign and padding rules of its Format method. */
function formatFloat(verb: Verb, n: number): string {
  const mode = verb.mode.toLowerCase() as 'e' | 'f' | 'g';
  const prec = verb.prec ?? (mode === 'g' ? -1 : 6);
  let body = floatText(Math.abs(n), mode, prec);
  if (verb.mode === 'E' || verb.mode === 'G') body = body.toUpperCase();
  const sign = n < 0 || Object.is(n, -0) ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
  const padding = verb.width !== undefined && verb.width > sign.length + body.length ? verb.width - sign.length - body.length : 0;
  if (verb.zero) return sign + '0'.repeat(padding) + body;
  if (verb.minus) return sign + body + ' '.repeat(padding);
  return ' '.repeat(padding) + sign + body;
}

/** Decimal digits (no trailing zeros) and the position of the decimal point, rounded to `sig` digits if given. */
function decimalDigits(x: number, sig?: number): { mant: string; exp: number } {
  if (x === 0) return { mant: '', exp: 0 };
  const e = sig === undefined ? x.toExponential() : x.toExponential(Math.max(0, Math.min(100, sig - 1)));
  const [m, ex] = e.split('e') as [string, string];
  const mant = m.replace('.', '').replace(/0+$/, '');
  return { mant, exp: Number(ex) + 1 };
}

function expSuffix(exp: number): string {
  const abs = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtE(d: { mant: string; exp: number }, prec: number): string {
  const digits = (d.mant || '0').padEnd(prec + 1, '0');
  const head = digits[0]!;
  const tail = digits.slice(1, prec + 1);
  return `${head}${tail ? `.${tail}` : ''}${expSuffix(d.mant ? d.exp - 1 : 0)}`;
}

function fmtF(x: number, decimals: number): string {
  if (Math.abs(x) < 1e21) return x.toFixed(Math.min(100, decimals));
  return BigInt(Math.round(x)).toString() + (decimals > 0 ? `.${'0'.repeat(decimals)}` : '');
}

/** `x.Text(mode, prec)` of Go's big.Float for a non-negative number; prec -1 means shortest. */
export function floatText(x: number, mode: 'e' | 'f' | 'g', prec: number): string {
  if (mode === 'f') return prec < 0 ? numberToString(x) : fmtF(x, prec);
  if (mode === 'e') {
    const d = prec < 0 ? decimalDigits(x) : decimalDigits(x, prec + 1);
    return fmtE(d, prec < 0 ? Math.max(d.mant.length - 1, 0) : prec);
  }
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const d = shortest ? decimalDigits(x) : decimalDigits(x, p);
  if (shortest) p = d.mant.length;
  let eprec = p;
  if (eprec > d.mant.length && d.mant.length >= d.exp) eprec = d.mant.length;
  if (shortest) eprec = 6;
  const exp = d.exp - 1;
  if (x !== 0 && (exp < -4 || exp >= eprec)) return fmtE(d, Math.max(Math.min(p, d.mant.length) - 1, 0));
  if (x === 0) return '0';
  if (p > d.exp) p = d.mant.length;
  return fmtF(Number(`0.${d.mant}e${d.exp}`), Math.max(p - d.exp, 0));
}
