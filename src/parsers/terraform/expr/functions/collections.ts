import { FunctionError, UnknownResult } from '../codes.js';
import { isObject, isRef, isUnknown, type Unknown, type Value, type ValueObject } from '../../../../source/value.js';
import { firstUnknown, getOwn, refUnknown, sameValue, setKey, sortedKeys, typeName, unifyPrimitives, valuesEqual } from '../../../../source/values.js';
import { bool, int, list, obj, requireKnown, requireNoUnknown, str, strOrRef, unknownOf, type FnSpec } from './args.js';
import { graphemes } from './text.js';

/** Collection functions. Unknown elements flow through wherever Terraform lets them (concat, element, length…). */
export const collectionFunctions: Record<string, FnSpec> = {
  length: {
    params: 1,
    impl([v]) {
      if (typeof v === 'string') {
        if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
        return graphemes(v).length;
      }
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      if (v === null) throw new FunctionError('invalid value for "value" parameter: argument must not be null.');
      throw new FunctionError(`invalid value for "value" parameter: argument must be a string, a collection type, or a structural type, not ${typeName(v!)}.`);
    },
  },

  element: {
    params: 2,
    impl([l, i]) {
      const index = int(i!, 'index');
      if (index < 0) throw new FunctionError('cannot use element function with a negative index.');
      if (!Array.isArray(l)) throw new FunctionError(`cannot read elements from ${l === null ? 'null' : typeName(l!)}.`);
      if (l.length === 0) throw new FunctionError('cannot use element function with an empty list.');
      return l[index % l.length]!;
    },
  },

  concat: {
    params: 1,
    variadic: true,
    impl(args) {
      const out: Value[] = [];
      args.forEach((a, i) => out.push(...list(a, `seqs[${i}]`)));
      return out;
    },
  },

  slice: {
    params: 3,
    impl([l, s, e]) {
      const items = list(l!, 'list');
      const start = int(s!, 'start_index');
      const end = int(e!, 'end_index');
      if (start < 0) throw new FunctionError('start index must not be less than zero.');
      if (start > items.length) throw new FunctionError('start index must not be greater than the length of the list.');
      if (end < 0) throw new FunctionError('end index must not be less than zero.');
      if (end > items.length) throw new FunctionError('end index must not be greater than the length of the list.');
      if (start > end) throw new FunctionError('start index must not be greater than end index.');
      return items.slice(start, end);
    },
  },

  flatten: {
    params: 1,
    impl([l]) {
      const out: Value[] = [];
      const walk = (items: Value[]) => {
        for (const v of items) {
          // An Unknown element might itself be a list, so the shape of the result is not known.
          if (isUnknown(v)) unknownOf(v);
          if (Array.isArray(v)) walk(v);
          else out.push(v);
        }
      };
      if (!Array.isArray(l)) throw new FunctionError('can only flatten lists, sets and tuples.');
      walk(l);
      return out;
    },
  },

  keys: {
    params: 1,
    impl([m]) {
      if (!isObject(m)) throw new FunctionError(`invalid value for "inputMap" parameter: must have map or object type, got ${typeName(m!)}.`);
      return sortedKeys(m);
    },
  },

  values: {
    params: 1,
    impl([m]) {
      if (!isObject(m)) throw new FunctionError('values() requires a map as the first argument.');
      return sortedKeys(m).map((k) => m[k]!);
    },
  },

  zipmap: {
    params: 2,
    impl([k, v]) {
      const keys = list(k!, 'keys');
      const values = list(v!, 'values');
      if (keys.length !== values.length) throw new FunctionError(`number of keys (${keys.length}) does not match number of values (${values.length}).`);
      const out: ValueObject = {};
      keys.forEach((key, i) => {
        if (key === null) throw new FunctionError(`keys list has null value at index ${i}.`);
        setKey(out, str(key, 'keys'), values[i]!);
      });
      return out;
    },
  },

  merge: {
    params: 0,
    variadic: true,
    impl(args) {
      const out: ValueObject = {};
      let allNull = args.length > 0;
      for (const a of args) {
        if (a === null) continue;
        allNull = false;
        if (!isObject(a)) throw new FunctionError(`arguments must be maps or objects, got ${typeName(a)}.`);
        for (const key of sortedKeys(a)) setKey(out, key, a[key]!);
      }
      return allNull ? null : out;
    },
  },

  lookup: {
    params: 2,
    optional: 1,
    impl([m, k, d]) {
      const key = str(k!, 'key');
      if (!isObject(m))
        throw new FunctionError(
          `invalid value for "inputMap" parameter: lookup() requires a map as the first argument, got ${m === null ? 'null' : typeName(m!)}.`,
        );
      const found = getOwn(m, key);
      if (found !== undefined) return found;
      if (d !== undefined) return d;
      throw new FunctionError(`lookup failed to find key ${JSON.stringify(key)}.`);
    },
  },

  index: {
    params: 2,
    impl([l, v]) {
      if (!Array.isArray(l)) throw new FunctionError('argument must be a list or tuple.');
      if (l.length === 0) throw new FunctionError('cannot search an empty list.');
      for (let i = 0; i < l.length; i++) {
        const eq = valuesEqual(l[i]!, v!);
        if (isUnknown(eq)) unknownOf(eq);
        if (eq) return i;
      }
      throw new FunctionError('item not found.');
    },
  },

  contains: {
    params: 2,
    allowUnknown: true,
    impl([l, v]) {
      if (isUnknown(l)) unknownOf(l);
      if (!Array.isArray(l)) throw new FunctionError(l === null ? 'cannot search a nil list or set.' : 'argument must be list, tuple, or set.');
      if (l.length === 0) return false;
      if (isUnknown(v)) unknownOf(v);
      let pending: Unknown | undefined;
      for (const x of l) {
        const eq = valuesEqual(v!, x);
        if (eq === true) return true;
        if (eq !== false) pending ??= eq;
      }
      if (pending) unknownOf(pending);
      return false;
    },
  },

  distinct: {
    params: 1,
    impl([l]) {
      const items = list(l!, 'list');
      const u = firstUnknown(items);
      if (u) unknownOf(u);
      const out: Value[] = [];
      for (const v of items) if (!out.some((x) => sameValue(x, v))) out.push(v);
      return out;
    },
  },

  compact: {
    params: 1,
    impl([l]) {
      const items = list(l!, 'list');
      const u = firstUnknown(items);
      if (u) unknownOf(u);
      const out: Value[] = [];
      for (const v of items) {
        if (v === null || v === '') continue;
        out.push(strOrRef(v, 'list'));
      }
      return out;
    },
  },

  coalesce: {
    params: 0,
    variadic: true,
    allowUnknown: true,
    impl(args) {
      if (args.length === 0) throw new FunctionError('at least one argument is required.');
      const unified = unifyPrimitives(args);
      if (!unified) throw new FunctionError('all arguments must have the same type.');
      for (const v of unified) {
        if (isUnknown(v)) unknownOf(v);
        if (v === null || v === '') continue;
        return v;
      }
      throw new FunctionError('no non-null, non-empty-string arguments.');
    },
  },

  coalescelist: {
    params: 0,
    variadic: true,
    allowUnknown: true,
    impl(args) {
      if (args.length === 0) throw new FunctionError('at least one argument is required.');
      for (const a of args) {
        if (isUnknown(a)) unknownOf(a);
        if (a === null) continue;
        if (!Array.isArray(a)) throw new FunctionError('coalescelist arguments must be lists or tuples.');
        if (a.length > 0) return a;
      }
      throw new FunctionError('no non-null arguments.');
    },
  },

  chunklist: {
    params: 2,
    impl([l, s]) {
      const items = list(l!, 'list');
      if (items.length === 0) return [];
      const size = int(s!, 'size');
      if (size < 0) throw new FunctionError('the size argument must be positive.');
      if (size === 0) return [items];
      const out: Value[] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out;
    },
  },

  reverse: {
    params: 1,
    impl([l]) {
      if (!Array.isArray(l)) throw new FunctionError(`can only reverse list or tuple values, not ${typeName(l!)}.`);
      return [...l].reverse();
    },
  },

  sort: {
    params: 1,
    impl([l]) {
      const items = list(l!, 'list');
      requireKnown(items);
      const strings = items.map((v, i) => {
        if (v === null) throw new FunctionError(`given list element ${i} is null; a null string cannot be sorted.`);
        return str(v, 'list');
      });
      // Go sorts strings by bytes; for UTF-8 that is code point order.
      return strings.sort((a, b) => (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))));
    },
  },

  one: {
    params: 1,
    impl([l]) {
      const items = list(l!, 'list');
      if (items.length === 0) return null;
      if (items.length === 1) return items[0]!;
      throw new FunctionError('must be a list, set, or tuple value with either zero or one elements.');
    },
  },

  alltrue: {
    params: 1,
    impl([l]) {
      for (const v of list(l!, 'list')) {
        if (isUnknown(v)) unknownOf(v);
        if (v === null) return false;
        if (!bool(v, 'list')) return false;
      }
      return true;
    },
  },

  anytrue: {
    params: 1,
    impl([l]) {
      let pending: Unknown | undefined;
      for (const v of list(l!, 'list')) {
        if (isUnknown(v)) {
          pending ??= v;
          continue;
        }
        if (v !== null && bool(v, 'list')) return true;
      }
      if (pending) unknownOf(pending);
      return false;
    },
  },

  transpose: {
    params: 1,
    impl([m]) {
      const input = obj(m!, 'values');
      requireKnown(input);
      const out = new Map<string, string[]>();
      for (const key of sortedKeys(input)) {
        const inner = input[key];
        if (!Array.isArray(inner)) throw new FunctionError('input must be a map of lists of strings.');
        for (const v of inner) {
          if (typeof v !== 'string') throw new FunctionError('input must be a map of lists of strings.');
          const bucket = out.get(v) ?? [];
          bucket.push(key);
          out.set(v, bucket);
        }
      }
      const result: ValueObject = {};
      for (const [k, v] of out)
        setKey(
          result,
          k,
          v.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      return result;
    },
  },

  matchkeys: {
    params: 3,
    impl([v, k, s]) {
      const values = list(v!, 'values');
      const keys = list(k!, 'keys');
      const search = list(s!, 'searchset');
      if (values.length !== keys.length) throw new FunctionError('length of keys and values should be equal.');
      requireNoUnknown(keys);
      requireNoUnknown(search);
      return values.filter((_, i) => search.some((x) => sameValue(x, keys[i]!)));
    },
  },
};
