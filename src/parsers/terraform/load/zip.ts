import type { Diagnostic } from '../../../source/types.js';
import type { LocatedAttribute, LocatedBlock } from './locate.js';
import type { RawValue, TfAttribute, TfBlock } from './types.js';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Sets a key even when it is `__proto__`, which plain assignment would turn into a prototype change. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function attributesFrom(located: LocatedAttribute[], body: JsonObject, mismatch: (what: string, line: number) => void): Record<string, TfAttribute> {
  const attributes: Record<string, TfAttribute> = {};
  for (const attr of located) {
    if (!hasOwn(body, attr.name)) {
      mismatch(`attribute "${attr.name}"`, attr.span.start.line);
      continue;
    }
    setOwn(attributes, attr.name, { name: attr.name, value: body[attr.name] as RawValue, span: attr.span, nameSpan: attr.nameSpan });
  }
  return attributes;
}

/**
 * Pairs the locator's blocks with hcl2json's bodies. hcl2json nests a block under its type then each label, and
 * keeps every occurrence of the same type and labels as one array in source order (two `route` blocks,
 * two `resource "aws_route" "a"`, two `dynamic "ingress"`), so the n-th located block with a given type and labels
 * is the n-th element of that array.
 */
export function blocksFrom(located: LocatedBlock[], body: JsonObject, mismatch: (what: string, line: number) => void): TfBlock[] {
  const seen = new Map<string, number>();
  const out: TfBlock[] = [];
  for (const block of located) {
    const key = [block.type, ...block.labels].join('\0');
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    let node: unknown = hasOwn(body, block.type) ? body[block.type] : undefined;
    for (const label of block.labels) node = isObject(node) && hasOwn(node, label) ? node[label] : undefined;
    const json = Array.isArray(node) ? node[index] : index === 0 ? node : undefined;
    if (!isObject(json)) {
      mismatch(`block ${[block.type, ...block.labels.map((l) => JSON.stringify(l))].join(' ')}`, block.span.start.line);
      continue;
    }
    out.push({
      type: block.type,
      labels: block.labels,
      attributes: attributesFrom(block.attributes, json, mismatch),
      blocks: blocksFrom(block.blocks, json, mismatch),
      span: block.span,
      headerSpan: block.headerSpan,
    });
  }
  return out;
}

/** Something the locator found that hcl2json did not return: the finding positions may be off for this file. */
export function mismatchReporter(file: string, diagnostics: Diagnostic[]): (what: string, line: number) => void {
  return (what, line) =>
    diagnostics.push({
      severity: 'warning',
      code: 'tf-locator-mismatch',
      file,
      line,
      message: `The ${what} has no value in the parsed file and was left out.`,
    });
}
