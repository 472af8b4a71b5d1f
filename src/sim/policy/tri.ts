import { isUnknown, unknown, type Unknown } from '../../source/value.js';

/** Three-valued truth: a part of the policy or of the request that is not known leaves the answer Unknown, with why. */
export type Tri = boolean | Unknown;

/** AND: false wins over Unknown, Unknown over true. */
export function allOf(items: Iterable<Tri>): Tri {
  let open: Unknown | undefined;
  for (const x of items) {
    if (x === false) return false;
    if (isUnknown(x)) open ??= x;
  }
  return open ?? true;
}

/** OR: true wins over Unknown, Unknown over false. */
export function anyOf(items: Iterable<Tri>): Tri {
  let open: Unknown | undefined;
  for (const x of items) {
    if (x === true) return true;
    if (isUnknown(x)) open ??= x;
  }
  return open ?? false;
}

export function not(x: Tri): Tri {
  return isUnknown(x) ? x : !x;
}

/** An Unknown whose reason names what was not known. */
export function unknownBecause(what: string, inner?: Unknown): Unknown {
  return unknown(inner ? `${what} (${inner.reason})` : what);
}
