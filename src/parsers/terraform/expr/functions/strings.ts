import { FunctionError, UnknownResult } from '../codes.js';
import { isRef, isUnknown, unknown, type Value } from '../../../../source/value.js';
import { firstUnknown, refUnknown } from '../../../../source/values.js';
import { int, list, requireKnown, str, strOrRef, unknownOf, type FnSpec } from './args.js';
import { formatString } from './format.js';
import { allMatches, compileRe2, matchValue, regexReplace } from './regex.js';
import { graphemes, lower, replaceAll, splitString, title, trimCutset, trimSpace, upper } from './text.js';

/** A one-string-in, one-string-out function; a reference's content is not known, so neither is the result. */
function mapString(f: (s: string) => string): FnSpec {
  return { params: 1, impl: ([s]) => f(str(s!, 'str')) };
}

/**
 * `format("%s", x)` and friends return an argument unchanged; then a reference may pass through. Anything that
 * needs a reference's characters is Unknown.
 */
function passThroughRef(spec: string, args: Value[]): string | undefined {
  const ref = args.find(isRef);
  if (ref === undefined) return undefined;
  if (args.length === 1 && /^%(\[1\])?[sv]$/.test(spec)) return ref;
  throw new UnknownResult(refUnknown(ref).reason);
}

/** How many times `old` occurs in `s` (Go's strings.Replace with an empty `old` inserts at every code point and both ends). */
function occurrences(s: string, old: string): number {
  if (old === '') return [...s].length + 1;
  let n = 0;
  for (let i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length)) n++;
  return n;
}

export const stringFunctions: Record<string, FnSpec> = {
  upper: mapString(upper),
  lower: mapString(lower),
  title: mapString(title),
  trimspace: mapString(trimSpace),
  strrev: mapString((s) => graphemes(s).reverse().join('')),
  chomp: mapString((s) => s.replace(/(?:\r\n?|\n)*$/, '')),

  trim: { params: 2, impl: ([s, c]) => trimCutset(str(s!, 'str'), str(c!, 'cutset')) },
  trimprefix: {
    params: 2,
    impl([s, p]) {
      const text = str(s!, 'str');
      const prefix = str(p!, 'prefix');
      return text.startsWith(prefix) ? text.slice(prefix.length) : text;
    },
  },
  trimsuffix: {
    params: 2,
    impl([s, p]) {
      const text = str(s!, 'str');
      const suffix = str(p!, 'suffix');
      return suffix && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
    },
  },
  startswith: { params: 2, impl: ([s, p]) => str(s!, 'string').startsWith(str(p!, 'prefix')) },
  endswith: { params: 2, impl: ([s, p]) => str(s!, 'string').endsWith(str(p!, 'suffix')) },
  strcontains: { params: 2, impl: ([s, p]) => str(s!, 'string').includes(str(p!, 'substr')) },

  indent: {
    params: 2,
    impl([n, s], call) {
      const spaces = Math.max(0, int(n!, 'spaces'));
      const text = str(s!, 'str');
      let lines = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      call.budget.string(text.length + lines * spaces);
      return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
    },
  },

  substr: {
    params: 3,
    impl([s, o, l]) {
      const chars = graphemes(str(s!, 'str'));
      let offset = int(o!, 'offset');
      const length = int(l!, 'length');
      if (offset < 0) offset = Math.max(0, offset + chars.length);
      else if (length === 0) return '';
      if (offset >= chars.length) return '';
      return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
    },
  },

  split: {
    params: 2,
    impl: ([sep, s]) => splitString(str(s!, 'str'), str(sep!, 'separator')),
  },

  join: {
    params: 2,
    variadic: true,
    impl([sep, ...lists], call) {
      const separator = str(sep!, 'separator');
      const items: Value[] = [];
      lists.forEach((l, li) => {
        const values = list(l, 'lists');
        const u = firstUnknown(values);
        if (u) unknownOf(u);
        values.forEach((v, i) => {
          if (v === null)
            throw new FunctionError(
              lists.length > 1
                ? `element ${i} of list ${li + 1} is null; cannot concatenate null values.`
                : `element ${i} is null; cannot concatenate null values.`,
            );
          items.push(strOrRef(v, 'lists'));
        });
      });
      // One element is the whole result, so a reference passes through.
      if (items.length === 1) return items[0]!;
      const texts = items.map((v) => str(v, 'lists'));
      let length = separator.length * Math.max(0, texts.length - 1);
      for (const t of texts) length += t.length;
      call.budget.string(length);
      return texts.join(separator);
    },
  },

  replace: {
    params: 3,
    impl([s, f, r], call) {
      const text = str(s!, 'str');
      const search = str(f!, 'substr');
      const replacement = str(r!, 'replace');
      if (search.length > 1 && search.startsWith('/') && search.endsWith('/'))
        return regexReplace(text, search.slice(1, -1), replacement, call.budget.limits.maxString);
      if (replacement.length > search.length) call.budget.string(text.length + occurrences(text, search) * (replacement.length - search.length));
      return replaceAll(text, search, replacement);
    },
  },

  regex: {
    params: 2,
    impl([p, s]) {
      const pattern = compileRe2(str(p!, 'pattern'));
      const [m] = allMatches(pattern, str(s!, 'string'), 1);
      if (!m) throw new FunctionError('pattern did not match any part of the given string.');
      return matchValue(pattern, m);
    },
  },

  regexall: {
    params: 2,
    impl([p, s]) {
      const pattern = compileRe2(str(p!, 'pattern'));
      return allMatches(pattern, str(s!, 'string')).map((m) => matchValue(pattern, m));
    },
  },

  format: {
    params: 1,
    variadic: true,
    impl([spec, ...args], call) {
      const f = str(spec!, 'format');
      // Every argument must be wholly known: collections print as JSON, which needs all of them.
      for (const a of args) {
        const u = firstUnknown(a);
        if (u) unknownOf(u);
      }
      const passed = passThroughRef(f, args);
      if (passed !== undefined) return passed;
      for (const a of args) requireKnown(a);
      return formatString(f, args, call.budget.limits.maxString);
    },
  },

  formatlist: {
    params: 1,
    variadic: true,
    allowUnknown: true,
    impl([spec, ...args], call) {
      if (isUnknown(spec)) unknownOf(spec);
      const f = str(spec!, 'format');
      let length = -1;
      let chooser = -1;
      args.forEach((a, i) => {
        if (isUnknown(a)) unknownOf(a);
        if (!Array.isArray(a)) return;
        if (length === -1) {
          length = a.length;
          chooser = i;
        } else if (a.length !== length) {
          throw new FunctionError(`argument ${i + 1} has length ${a.length}, which is inconsistent with argument ${chooser + 1} of length ${length}.`);
        }
      });
      const rows = length === -1 ? 1 : length;
      call.budget.collection(rows);
      const out: Value[] = [];
      for (let r = 0; r < rows; r++) {
        const row = args.map((a) => (Array.isArray(a) ? a[r]! : a!));
        const u = row.map(firstUnknown).find((x) => x);
        if (u) {
          out.push(u);
          continue;
        }
        try {
          const text = passThroughRef(f, row) ?? (row.forEach(requireKnown), formatString(f, row, call.budget.limits.maxString));
          call.budget.string(text.length);
          out.push(text);
        } catch (e) {
          if (e instanceof UnknownResult) out.push(unknown(e.reason));
          else if (e instanceof FunctionError) throw new FunctionError(`error on format iteration ${r}: ${e.message}`);
          else throw e;
        }
      }
      return out;
    },
  },
};
