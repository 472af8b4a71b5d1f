import type { Expr, Step } from './ast.js';
import { CODES } from './codes.js';
import { fail, type Env } from './scope.js';
import { isObject, isRef, isUnknown, type Value } from '../../../source/value.js';
import { getOwn, numberToString, parseNumber, refUnknown, typeName } from '../../../source/values.js';

/** How a traversal reads in a message: `var.azs[0]`, `each.value["cidr"]`. */
export function stepText(step: Step): string {
  if (step.t === 'attr') return `.${step.name}`;
  return typeof step.key === 'number' ? `[${numberToString(step.key)}]` : `[${JSON.stringify(step.key)}]`;
}

/**
 * `.name`. Objects come from scopes whose properties may be lazy getters or proxies, so the attribute is read by
 * property lookup and the object is never enumerated here.
 */
export function getAttr(v: Value, name: string, path: string, env: Env): Value {
  if (isUnknown(v)) return v;
  if (v === null) return fail(env, CODES.invalidReference, `Attempt to get attribute "${name}" from null value: ${path} is null.`);
  if (isObject(v)) {
    const found = getOwn(v, name);
    if (found !== undefined) return found;
    return fail(env, CODES.invalidReference, `Unsupported attribute: ${path} does not have an attribute named "${name}".`);
  }
  if (Array.isArray(v)) {
    return fail(
      env,
      CODES.invalidReference,
      `Unsupported attribute: ${path} is a list; use an index (${path}[0].${name}) or a splat (${path}[*].${name}) to reach "${name}".`,
    );
  }
  if (isRef(v)) return fail(env, CODES.invalidReference, `Unsupported attribute: ${path} is a string and has no attribute "${name}".`);
  return fail(env, CODES.invalidReference, `Unsupported attribute: ${path} is a ${typeName(v)} and has no attribute "${name}".`);
}

/** `[key]` on a list (whole-number index) or an object (string key; numbers and bools convert). */
export function indexValue(v: Value, key: Value, path: string, env: Env): Value {
  if (isUnknown(v)) return v;
  if (isUnknown(key)) return key;
  if (key === null) return fail(env, CODES.invalidReference, `Invalid index: the key used with ${path} is null.`);
  if (v === null) return fail(env, CODES.invalidReference, `Attempt to index null value: ${path} is null.`);
  if (Array.isArray(v)) {
    const n = typeof key === 'number' ? key : typeof key === 'string' && !isRef(key) ? parseNumber(key) : undefined;
    if (typeof key === 'string' && isRef(key)) return refUnknown(key);
    if (n === undefined || !Number.isInteger(n)) {
      return fail(env, CODES.invalidReference, `Invalid index: ${path} is a list and needs a whole-number index, got ${describeKey(key)}.`);
    }
    if (n < 0 || n >= v.length) {
      return fail(env, CODES.invalidReference, `Invalid index: ${path}[${n}] does not exist; ${path} has ${v.length} element${v.length === 1 ? '' : 's'}.`);
    }
    return v[n]!;
  }
  if (isObject(v)) {
    if (isRef(key)) return refUnknown(key);
    const k = typeof key === 'string' ? key : typeof key === 'number' ? numberToString(key) : typeof key === 'boolean' ? String(key) : undefined;
    if (k === undefined) return fail(env, CODES.invalidReference, `Invalid index: ${path} is an object and needs a string key, got ${typeName(key)}.`);
    const found = getOwn(v, k);
    if (found !== undefined) return found;
    return fail(env, CODES.invalidReference, `Invalid index: ${path} has no element with the key ${JSON.stringify(k)}.`);
  }
  if (isRef(v)) return fail(env, CODES.invalidReference, `Invalid index: ${path} is a string and cannot be indexed.`);
  return fail(env, CODES.invalidReference, `Invalid index: ${path} is a ${typeName(v)} and cannot be indexed.`);
}

function describeKey(key: Value): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'number' ? numberToString(key) : typeName(key);
}

/** Applies static steps in order, stopping at the first Unknown (which every later step would return anyway). */
export function applySteps(start: Value, steps: Step[], startPath: string, env: Env): Value {
  let v = start;
  let path = startPath;
  for (const step of steps) {
    if (isUnknown(v)) return v;
    v = step.t === 'attr' ? getAttr(v, step.name, path, env) : indexValue(v, step.key, path, env);
    path += stepText(step);
  }
  return v;
}

/** A short rendering of an expression for messages: traversals in full, anything else abbreviated. */
export function exprText(e: Expr): string {
  switch (e.k) {
    case 'trav':
      return e.root + e.steps.map(stepText).join('');
    case 'rel':
      return exprText(e.source) + e.steps.map(stepText).join('');
    case 'index':
      return `${exprText(e.collection)}[…]`;
    case 'splat':
      return `${exprText(e.source)}[*]`;
    case 'call':
      return `${e.name}(…)`;
    case 'anon':
      return 'each element';
    default:
      return 'the value';
  }
}
