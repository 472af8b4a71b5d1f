import { unknown, type Value, type ValueObject } from '../../../source/value.js';

/**
 * Memoised, cycle-safe values. Terraform configurations are graphs of references (locals reading resources reading
 * variables…); evaluating them on demand, once, in any order, gives the same answer Terraform's own ordering would,
 * and a reference cycle becomes an Unknown instead of a stack overflow.
 */
export class Memo {
  private readonly values = new Map<string, Value>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly onCycle: (key: string) => void) {}

  get(key: string, compute: () => Value): Value {
    if (this.values.has(key)) return this.values.get(key)!;
    if (this.inProgress.has(key)) {
      this.onCycle(key);
      return unknown(`reference cycle through ${key}`);
    }
    this.inProgress.add(key);
    try {
      const v = compute();
      this.values.set(key, v);
      return v;
    } finally {
      this.inProgress.delete(key);
    }
  }
}

/** An object whose properties are computed on first access (enumerable, so `keys()` and `for` see them). */
export function lazyObject(keys: Iterable<string>, compute: (key: string) => Value): ValueObject {
  const obj: ValueObject = {};
  for (const key of keys) {
    let done = false;
    let cached: Value = null;
    Object.defineProperty(obj, key, {
      enumerable: true,
      configurable: false,
      get() {
        if (!done) {
          cached = compute(key);
          done = true;
        }
        return cached;
      },
    });
  }
  return obj;
}

/**
 * An object whose properties read through `get` on every access (enumerable, so `keys()` and `for` see them). Unlike
 * `lazyObject` it keeps nothing itself: `get` is expected to be memoised (by `Memo`), so one such object can be shared
 * by every reference for the life of an evaluation, and a value that was a reference cycle's Unknown while it was
 * being computed is not kept once it is known.
 */
export function memoObject(keys: Iterable<string>, get: (key: string) => Value): ValueObject {
  const obj: ValueObject = {};
  for (const key of keys) {
    Object.defineProperty(obj, key, { enumerable: true, configurable: false, get: () => get(key) });
  }
  return obj;
}

/**
 * A resource instance as other expressions see it: configured arguments evaluate on access; identity attributes
 * (`id`, `arn`, `*_id`) are references to the instance; anything else is known only after apply.
 */
export function instanceView(configured: ReadonlySet<string>, read: (name: string) => Value, computed: (name: string) => Value): ValueObject {
  const cache = new Map<string, Value>();
  const target: ValueObject = {};
  const value = (prop: string): Value => {
    if (!cache.has(prop)) cache.set(prop, configured.has(prop) ? read(prop) : computed(prop));
    return cache.get(prop)!;
  };
  return new Proxy(target, {
    get(_t, prop) {
      if (typeof prop !== 'string') return undefined;
      return value(prop);
    },
    has(_t, prop) {
      return typeof prop === 'string';
    },
    ownKeys() {
      return [...configured].sort();
    },
    getOwnPropertyDescriptor(_t, prop) {
      if (typeof prop !== 'string') return undefined;
      return { enumerable: configured.has(prop), configurable: true, writable: false, value: value(prop) };
    },
  }) as ValueObject;
}
