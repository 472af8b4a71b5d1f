/** Questions about the nodes readJson gives, and about the plain JSON they stand for. */
import type { JsonEntry, JsonNode } from './json.js';
import type { Span } from './types.js';

/** Plain JSON as `JSON.parse` would give it, with own-property keys (a `__proto__` key stays a key). */
export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

export type JsonObjectNode = Extract<JsonNode, { kind: 'object' }>;

export function isObjectNode(node: JsonNode | undefined): node is JsonObjectNode {
  return node?.kind === 'object';
}

/** The entry for `key` in an object node; the last one wins, as with `JSON.parse`. */
export function entryOf(node: JsonNode | undefined, key: string): JsonEntry | undefined {
  if (!isObjectNode(node)) return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key === key) return node.entries[i];
  return undefined;
}

export function memberOf(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return entryOf(node, key)?.value;
}

export function itemsOf(node: JsonNode | undefined): JsonNode[] {
  return node?.kind === 'array' ? node.items : [];
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/** Distinct keys of an object node in source order, each with its last entry. */
export function entriesOf(node: JsonNode | undefined): JsonEntry[] {
  if (!isObjectNode(node)) return [];
  const last = new Map<string, JsonEntry>();
  for (const e of node.entries) {
    last.delete(e.key);
    last.set(e.key, e);
  }
  return [...last.values()];
}

/** Sets a property even when the key is `__proto__`, which plain assignment would turn into a prototype change. */
function setOwn(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function toJson(node: JsonNode): Json {
  switch (node.kind) {
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const e of node.entries) setOwn(out, e.key, toJson(e.value));
      return out;
    }
    case 'array':
      return node.items.map(toJson);
    default:
      return node.value;
  }
}

export function isJsonObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** `"key": value` as one span: from the key's opening quote to the end of the value. */
export function entrySpan(e: JsonEntry): Span {
  return { start: e.keySpan.start, end: e.value.span.end };
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual(a[k], b[k]));
  }
  return false;
}
