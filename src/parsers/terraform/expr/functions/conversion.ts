import { FunctionError, UnknownResult } from '../codes.js';
import { isObject, isRef, isUnknown, type Value, type ValueObject } from '../../../../source/value.js';
import { numberToString, parseNumber, refUnknown, setKey, sortedKeys, toSetOrder, typeName, unifyPrimitives } from '../../../../source/values.js';
import { unknownOf, type FnSpec } from './args.js';

function listOf(v: Value, kind: 'list' | 'set'): Value {
  if (v === null) return null;
  if (isObject(v)) throw new FunctionError(`cannot convert object to ${kind} of any single type.`);
  if (!Array.isArray(v)) throw new FunctionError(`cannot convert ${typeName(v)} to ${kind} of any single type.`);
  const unified = unifyPrimitives(v);
  if (!unified) throw new FunctionError(`cannot convert tuple to ${kind} of any single type.`);
  return kind === 'set' ? toSetOrder(unified) : unified;
}

const identity: FnSpec = { params: 1, allowUnknown: true, impl: ([v]) => v! };

/**
 * Type conversion. Values carry no static types here, so lists, tuples and sets are all arrays; conversions check
 * and unify element kinds the way Terraform's do (mixed strings and numbers become strings).
 */
export const conversionFunctions: Record<string, FnSpec> = {
  tostring: {
    params: 1,
    impl([v]) {
      if (v === null || typeof v === 'string') return v!;
      if (typeof v === 'number') return numberToString(v);
      if (typeof v === 'boolean') return String(v);
      throw new FunctionError(`cannot convert ${typeName(v!)} to string.`);
    },
  },

  tonumber: {
    params: 1,
    impl([v]) {
      if (v === null || typeof v === 'number') return v!;
      if (typeof v === 'string') {
        if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
        const n = parseNumber(v);
        if (n === undefined)
          throw new FunctionError(`cannot convert ${JSON.stringify(v)} to number; given string must be a decimal representation of a number.`);
        return n;
      }
      throw new FunctionError(`cannot convert ${typeName(v!)} to number.`);
    },
  },

  tobool: {
    params: 1,
    impl([v]) {
      if (v === null || typeof v === 'boolean') return v!;
      if (v === 'true' || v === 'false') return v === 'true';
      if (typeof v === 'string') {
        if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
        throw new FunctionError(`cannot convert ${JSON.stringify(v)} to bool; only the strings "true" or "false" are allowed.`);
      }
      throw new FunctionError(`cannot convert ${typeName(v!)} to bool.`);
    },
  },

  tolist: { params: 1, impl: ([v]) => listOf(v!, 'list') },

  toset: {
    params: 1,
    impl([v]) {
      const u = Array.isArray(v) && v.length > 1 ? v.find(isUnknown) : undefined;
      // An Unknown element might equal a known one, so how many distinct elements remain is not known.
      if (u && isUnknown(u)) unknownOf(u);
      return listOf(v!, 'set');
    },
  },

  tomap: {
    params: 1,
    impl([v]) {
      if (v === null) return null;
      if (!isObject(v)) throw new FunctionError(`cannot convert ${typeName(v!)} to map of any single type.`);
      const keys = sortedKeys(v);
      const unified = unifyPrimitives(keys.map((k) => v[k]!));
      if (!unified) throw new FunctionError('cannot convert object to map of any single type.');
      const out: ValueObject = {};
      keys.forEach((k, i) => setKey(out, k, unified[i]!));
      return out;
    },
  },

  sensitive: identity,
  nonsensitive: identity,
  ephemeralasnull: identity,
  issensitive: { params: 1, allowUnknown: true, impl: () => false },
};
