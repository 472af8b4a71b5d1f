import { displayValue, isObject, isRef, isUnknown, parseRef, unknown, type Unknown, type Value, type ValueObject } from './value.js';

/** Terraform's name for the kind of a value, for messages. */
export function typeName(v: Value): string {
  if (isUnknown(v)) return 'unknown value';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Why a reference string cannot be looked into: its content exists only after apply. */
export function refUnknown(ref: string): Unknown {
  const r = parseRef(ref);
  return unknown(`${r ? `${r.address}.${r.attribute}` : displayValue(ref)} is known only after apply`);
}

/** The first Unknown inside a value, to carry its reason forward. */
export function firstUnknown(v: Value): Unknown | undefined {
  if (isUnknown(v)) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const u = firstUnknown(v[k]!);
      if (u) return u;
    }
  }
  return undefined;
}

/** A value that contains a reference string anywhere cannot be serialised or searched by content. */
export function firstRef(v: Value): string | undefined {
  if (isRef(v)) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = firstRef(x);
      if (r) return r;
    }
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const r = firstRef(v[k]!);
      if (r) return r;
    }
  }
  return undefined;
}

/** Go compares strings by bytes, which for valid UTF-8 is code point order (JavaScript's `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Terraform iterates maps and objects in lexical key order, whatever order the object was built in. */
export function sortedKeys(o: ValueObject): string[] {
  return Object.keys(o).sort(compareStrings);
}

/**
 * Reads an attribute by property lookup, so lazy getters and proxies that compute attributes on demand work.
 * What every JavaScript object inherits (`constructor`, `toString`, `__proto__`) is never an attribute.
 */
export function getOwn(o: ValueObject, key: string): Value | undefined {
  const own = Object.prototype.hasOwnProperty.call(o, key);
  if (!own && key in Object.prototype) return undefined;
  const v = o[key];
  if (v === undefined) return own ? null : undefined;
  return v;
}

/** Sets a property even when the key is `__proto__`, which plain assignment would turn into a prototype change. */
export function setKey(o: ValueObject, key: string, v: Value): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** Terraform prints numbers in plain decimal, never in exponent form (`1e+21` is `1000000000000000000000`). */
export function numberToString(n: number): string {
  if (Object.is(n, -0)) return '0';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, whole, frac = '', expText] = m;
  const digits = whole! + frac;
  const point = whole!.length + Number(expText);
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + body.replace(/^0+(?=\d)/, '');
}

/** Terraform's string→number conversion: decimal notation with optional sign, fraction and exponent. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim() === s ? s : '';
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Deep equality as `==` defines it: types must match (`1 == "1"` is false). Anything Unknown that could decide the
 * answer makes it Unknown. Two different references are Unknown (their ids are not known), a reference equals
 * itself, and a reference is never null.
 */
export function valuesEqual(a: Value, b: Value): boolean | Unknown {
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  if (isRef(a) || isRef(b)) {
    if (a === b) return true;
    if (typeof a === 'string' && typeof b === 'string') return refUnknown(isRef(a) ? a : b);
    return false;
  }
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let pending: Unknown | undefined;
    for (let i = 0; i < a.length; i++) {
      const r = valuesEqual(a[i]!, b[i]!);
      if (r === false) return false;
      if (r !== true) pending ??= r;
    }
    return pending ?? true;
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = sortedKeys(a);
    const kb = sortedKeys(b);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
    let pending: Unknown | undefined;
    for (const k of ka) {
      const r = valuesEqual(a[k]!, b[k]!);
      if (r === false) return false;
      if (r !== true) pending ??= r;
    }
    return pending ?? true;
  }
  return a === b;
}

/** Equality where only a definite answer counts (used to dedupe): Unknown compares as "not the same". */
export function sameValue(a: Value, b: Value): boolean {
  return valuesEqual(a, b) === true;
}

/**
 * Terraform unifies the element types of a list, map or set it builds by conversion: if strings are mixed with
 * numbers or bools, everything becomes a string. Returns undefined when no common type exists.
 */
export function unifyPrimitives(values: Value[]): Value[] | undefined {
  const kinds = new Set(values.filter((v) => v !== null && !isUnknown(v)).map((v) => (Array.isArray(v) ? 'list' : typeof v)));
  if (kinds.size <= 1) return values;
  if ([...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean')) {
    if (!kinds.has('string')) return undefined;
    return values.map((v) => (typeof v === 'number' ? numberToString(v) : typeof v === 'boolean' ? String(v) : v));
  }
  return kinds.has('object') && kinds.size === 1 ? values : undefined;
}

/** `toset`: distinct elements. Sets of strings and of numbers are ordered as Terraform orders them; other sets keep first-seen order. */
export function toSetOrder(values: Value[]): Value[] {
  const out: Value[] = [];
  // Strings, numbers, bools and null are equal exactly when they are identical: a linear pass, not a quadratic one.
  if (values.every((v) => typeof v !== 'object' || v === null)) out.push(...new Set(values));
  else for (const v of values) if (isUnknown(v) || !out.some((x) => sameValue(x, v))) out.push(v);
  if (out.every((v) => typeof v === 'string' && !isRef(v))) return (out as string[]).sort(compareStrings);
  if (out.every((v) => typeof v === 'number')) return (out as number[]).sort((x, y) => x - y);
  return out;
}
