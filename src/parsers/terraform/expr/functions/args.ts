import { FunctionError, UnknownResult } from '../codes.js';
import { isObject, isRef, isUnknown, type Unknown, type Value, type ValueObject } from '../../../../source/value.js';
import type { EvalBudget } from '../../../../source/budget.js';
import { firstRef, firstUnknown, numberToString, parseNumber, refUnknown, typeName } from '../../../../source/values.js';

/**
 * Argument conversion as Terraform's function parameters do it: strings, numbers and bools convert into one
 * another where Terraform allows it; null is refused unless a function says otherwise. Helpers throw
 * `FunctionError` (reported as a failed call) or `UnknownResult` (the call's result is Unknown).
 */

export interface FnCall {
  name: string;
  /** Reports something this analyzer does not compute and returns the Unknown that stands for it. */
  note(code: string, message: string, reason: string): Unknown;
  /**
   * The evaluation limits. A function whose result can be much larger than its arguments checks the result's size
   * here before building it (`budget.collection(n)`, `budget.string(n)`); these throw, and the call's value is then
   * Unknown with a diagnostic.
   */
  budget: EvalBudget;
}

export interface FnSpec {
  /** Required arguments. */
  params: number;
  /** Optional arguments after the required ones. */
  optional?: number;
  variadic?: boolean;
  /** The function decides itself what an Unknown argument means (`length([Unknown])` is 1). */
  allowUnknown?: boolean;
  impl(args: Value[], call: FnCall): Value;
}

function bad(param: string, what: string): FunctionError {
  return new FunctionError(`invalid value for "${param}" parameter: ${what}.`);
}

export function unknownOf(v: Unknown): never {
  throw new UnknownResult(v.reason);
}

/** A string argument whose content is needed: a reference's content is not known before apply. */
export function str(v: Value, param: string): string {
  const s = strOrRef(v, param);
  if (isRef(s)) throw new UnknownResult(refUnknown(s).reason);
  return s;
}

/** A string argument passed through untouched: a reference stays a reference. */
export function strOrRef(v: Value, param: string): string {
  if (isUnknown(v)) unknownOf(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) throw bad(param, 'argument must not be null');
  throw bad(param, `string required, got ${typeName(v)}`);
}

export function num(v: Value, param: string): number {
  if (isUnknown(v)) unknownOf(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
    const n = parseNumber(v);
    if (n !== undefined) return n;
    throw bad(param, `a number is required, got ${JSON.stringify(v)}`);
  }
  if (v === null) throw bad(param, 'argument must not be null');
  throw bad(param, `number required, got ${typeName(v)}`);
}

export function int(v: Value, param: string): number {
  const n = num(v, param);
  if (!Number.isInteger(n)) throw bad(param, `a whole number is required, got ${numberToString(n)}`);
  return n;
}

export function bool(v: Value, param: string): boolean {
  if (isUnknown(v)) unknownOf(v);
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
  if (v === null) throw bad(param, 'argument must not be null');
  throw bad(param, `bool required, got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`);
}

export function list(v: Value, param: string): Value[] {
  if (isUnknown(v)) unknownOf(v);
  if (Array.isArray(v)) return v;
  if (v === null) throw bad(param, 'argument must not be null');
  throw bad(param, `list, tuple or set required, got ${typeName(v)}`);
}

export function obj(v: Value, param: string): ValueObject {
  if (isUnknown(v)) unknownOf(v);
  if (isObject(v)) return v;
  if (v === null) throw bad(param, 'argument must not be null');
  throw bad(param, `map or object required, got ${typeName(v)}`);
}

/** A list of strings whose contents are needed (elements convert; any Unknown or reference makes the call Unknown). */
export function strList(v: Value, param: string): string[] {
  return list(v, param).map((x, i) => {
    if (x === null) throw bad(param, `element ${i} is null`);
    return str(x, param);
  });
}

/** Every element must be known; reference strings may stay, compared by identity like `toset` compares them. */
export function requireNoUnknown(v: Value): void {
  const u = firstUnknown(v);
  if (u) unknownOf(u);
}

/** The whole value must be known (and free of references) for the function to look at its content. */
export function requireKnown(v: Value): void {
  requireNoUnknown(v);
  const r = firstRef(v);
  if (r) throw new UnknownResult(refUnknown(r).reason);
}
