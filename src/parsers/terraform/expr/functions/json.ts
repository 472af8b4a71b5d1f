import { parseAllDocuments } from 'yaml';
import { yamlAliasesOverLimit, yamlNodesOverLimit } from '../../../../source/yaml-aliases.js';
import { FunctionError, UnknownResult } from '../codes.js';
import { isRef, isUnknown, type Value, type ValueObject } from '../../../../source/value.js';
import { numberToString, refUnknown, setKey, sortedKeys } from '../../../../source/values.js';
import { goQuote } from './text.js';

/**
 * JSON exactly as Terraform's `jsonencode` writes it: no whitespace, object keys in lexical order, numbers in plain
 * decimal, strings escaped as Go's encoding/json escapes them (`<`, `>`, `&` included). Unknown anywhere, or a
 * reference (whose content is an id not yet known), makes the result Unknown.
 */
export function jsonEncode(v: Value): string {
  if (isUnknown(v)) throw new UnknownResult(v.reason);
  if (v === null) return 'null';
  if (typeof v === 'string') {
    if (isRef(v)) throw new UnknownResult(refUnknown(v).reason);
    return goQuote(v);
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new FunctionError('an infinite number cannot be encoded as JSON.');
    return numberToString(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(jsonEncode).join(',')}]`;
  return `{${sortedKeys(v)
    .map((k) => `${goQuote(k)}:${jsonEncode(v[k]!)}`)
    .join(',')}}`;
}

/**
 * `jsonencode` itself: the JSON text, or, when a part is not known, an Unknown result that keeps the value it would
 * have encoded, so a reader of partly known policies still sees their statements.
 */
export function jsonEncodeKeepingPartial(v: Value): string {
  try {
    return jsonEncode(v);
  } catch (e) {
    if (e instanceof UnknownResult && !isUnknown(v)) throw new UnknownResult(e.reason, v);
    throw e;
  }
}

/** Rebuilds parsed data as Terraform values: safe keys, finite numbers only. */
function fromData(x: unknown, what: string): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new FunctionError(`${what} contains a number Terraform cannot represent (${String(x)}).`);
    return x;
  }
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return x.map((e) => fromData(e, what));
  if (x instanceof Map) {
    const o: ValueObject = {};
    for (const [k, v] of x) setKey(o, String(k), fromData(v, what));
    return o;
  }
  if (typeof x === 'object') {
    const o: ValueObject = {};
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) setKey(o, k, fromData(v, what));
    return o;
  }
  throw new FunctionError(`${what} contains a value Terraform cannot represent.`);
}

export function jsonDecode(s: string): Value {
  if (s.trim() === '') throw new FunctionError('unexpected end of JSON input.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    throw new FunctionError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  return fromData(parsed, 'the JSON');
}

/** Most aliases yamldecode reads, and most nodes their expansion may add (yaml's maxAliasCount). */
const YAML_ALIASES = 1000;
/** Most YAML nodes a yamldecode argument may hold, counted on the text before parsing. */
const YAML_NODES = 100_000;

/** One YAML document (1.2 core schema, merge keys allowed); aliases are bounded so hostile input cannot explode. */
export function yamlDecode(s: string): Value {
  // Counted before parsing: the parser alone spends seconds and memory on each hundred thousand aliases.
  if (yamlAliasesOverLimit(s, YAML_ALIASES) !== undefined) throw new FunctionError(`the YAML holds more than ${YAML_ALIASES} aliases.`);
  if (yamlNodesOverLimit(s, YAML_NODES) !== undefined) throw new FunctionError(`the YAML holds more than ${YAML_NODES} nodes.`);
  const docs = parseAllDocuments(s, { version: '1.2', schema: 'core', merge: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0) return null;
  if (list.length > 1) throw new FunctionError('unexpected extra content after value: only one YAML document is allowed.');
  const doc = list[0]!;
  if (doc.errors.length) throw new FunctionError(`on line ${doc.errors[0]!.linePos?.[0]?.line ?? '?'}: ${doc.errors[0]!.message.split('\n')[0]}.`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_ALIASES });
  } catch (e) {
    throw new FunctionError(e instanceof Error ? e.message : String(e));
  }
  return fromData(data, 'the YAML');
}
