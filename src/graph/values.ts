import { isUnknown, parseRef, unknown, type Value } from '../source/value.js';
import type { Maybe } from './model.js';

/**
 * A string attribute as the graph keeps it: undefined when absent, Unknown when it cannot be computed or is a
 * reference to something only known once the resources exist (`describe` names it; `when` says when it is known).
 */
export function maybeStringOf(v: Value | undefined, describe: (v: Value) => string, when: string): Maybe<string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  if (parseRef(v)) return unknown(`${describe(v)} is known only ${when}`);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : unknown(`expected a string, got ${JSON.stringify(v)}`);
}

/** A boolean attribute: the documented default when absent; `"true"`/`"false"` strings read as booleans. */
export function maybeBool(v: Value | undefined, fallback: boolean): Maybe<boolean> {
  if (v === undefined || v === null) return fallback;
  if (isUnknown(v)) return v;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return unknown(`expected a boolean, got ${JSON.stringify(v)}`);
}
