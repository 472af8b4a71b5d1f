/**
 * Values of the Terraform language as the evaluator sees them.
 * Lists, tuples and sets are arrays; maps and objects are plain objects (null prototype is not required).
 * A value that static analysis cannot compute is an `Unknown` carrying the reason, never a guess.
 * Collections may hold Unknown elements: `[ "10.0.0.0/24", Unknown ]` is a known list of length 2.
 */
export type Value = null | string | number | boolean | Value[] | ValueObject | Unknown;

export interface ValueObject {
  [key: string]: Value;
}

export class Unknown {
  /**
   * For the text of a JSON encoding (Terraform's `jsonencode`, a rendered policy document) that cannot be computed as a
   * whole: the value it would encode, with the parts not known left Unknown (or as references). Readers that take a
   * partly known document (resource policies) use it; for every other purpose the value stays Unknown. Not enumerable,
   * so it never changes how an Unknown compares or prints.
   */
  declare readonly partialJson?: Value;

  constructor(
    readonly reason: string,
    partialJson?: Value,
  ) {
    if (partialJson !== undefined) Object.defineProperty(this, 'partialJson', { value: partialJson, enumerable: false });
  }
}

export function unknown(reason: string, partialJson?: Value): Unknown {
  return new Unknown(reason, partialJson);
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObject(v: unknown): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** True when the value or anything inside it is Unknown. */
export function containsUnknown(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * The identity of a resource that exists only after apply (`aws_vpc.main.id`) is carried as a reference string, so it
 * flows through lists, `concat`, `element`, `for` expressions and module outputs like any other string, and the graph
 * builder can link `route_table_ids = [aws_route_table.private.id]` to the right node.
 */
const REF_PREFIX = '\u0000ref:';

export function makeRef(address: string, attribute: string): string {
  return `${REF_PREFIX}${address}#${attribute}`;
}

export function parseRef(v: unknown): { address: string; attribute: string } | undefined {
  if (typeof v !== 'string' || !v.startsWith(REF_PREFIX)) return undefined;
  const body = v.slice(REF_PREFIX.length);
  const hash = body.lastIndexOf('#');
  if (hash < 0) return undefined;
  return { address: body.slice(0, hash), attribute: body.slice(hash + 1) };
}

export function isRef(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(REF_PREFIX);
}

/** How a value reads in a message: references print as `aws_vpc.main.id`. */
export function displayValue(v: Value): string {
  if (v instanceof Unknown) return '(unknown)';
  const ref = parseRef(v);
  if (ref) return `${ref.address}.${ref.attribute}`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (x instanceof Unknown ? '(unknown)' : typeof x === 'string' && isRef(x) ? displayValue(x) : x));
}
