import { FunctionError } from '../codes.js';
import { isUnknown } from '../../../../source/value.js';
import { int, list, num, str, unknownOf, type FnSpec } from './args.js';

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Go's big.Int SetString for bases 2–62: letters are case-insensitive up to base 36. */
function parseInteger(text: string, base: number): number | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return undefined;
  let value = 0n;
  for (const c of s) {
    const d = base <= 36 ? DIGITS.indexOf(c.toLowerCase()) : DIGITS.indexOf(c);
    if (d < 0 || d >= base) return undefined;
    value = value * BigInt(base) + BigInt(d);
  }
  return Number(neg ? -value : value);
}

export const numericFunctions: Record<string, FnSpec> = {
  abs: { params: 1, impl: ([n]) => Math.abs(num(n!, 'num')) },
  ceil: { params: 1, impl: ([n]) => Math.ceil(num(n!, 'num')) },
  floor: { params: 1, impl: ([n]) => Math.floor(num(n!, 'num')) },
  signum: { params: 1, impl: ([n]) => Math.sign(num(n!, 'num')) || 0 },

  log: {
    params: 2,
    impl([n, b]) {
      const x = num(n!, 'num');
      const base = num(b!, 'base');
      return Math.log(x) / Math.log(base);
    },
  },

  pow: { params: 2, impl: ([n, p]) => Math.pow(num(n!, 'num'), num(p!, 'power')) },

  max: {
    params: 0,
    variadic: true,
    impl(args) {
      if (args.length === 0) throw new FunctionError('must pass at least one number.');
      return Math.max(...args.map((a, i) => num(a, `numbers[${i}]`)));
    },
  },

  min: {
    params: 0,
    variadic: true,
    impl(args) {
      if (args.length === 0) throw new FunctionError('must pass at least one number.');
      return Math.min(...args.map((a, i) => num(a, `numbers[${i}]`)));
    },
  },

  sum: {
    params: 1,
    impl([l]) {
      const items = list(l!, 'list');
      if (items.length === 0) throw new FunctionError('cannot sum an empty list.');
      let total = 0;
      for (const v of items) {
        if (isUnknown(v)) unknownOf(v);
        if (v === null) throw new FunctionError('argument must be list, set, or tuple of number values.');
        total += num(v, 'list');
      }
      return Number.isInteger(total) ? total : Number(total.toPrecision(15));
    },
  },

  parseint: {
    params: 2,
    impl([s, b]) {
      const text = str(s!, 'number');
      const base = int(b!, 'base');
      if (base < 2 || base > 62) throw new FunctionError(`invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive.`);
      const n = parseInteger(text, base);
      if (n === undefined) throw new FunctionError(`cannot parse ${JSON.stringify(text)} as a base ${base} integer.`);
      return n;
    },
  },
};
