import { maybeBool, maybeStringOf } from '../values.js';
import type { Maybe } from '../model.js';
import type { SourceRef } from '../../source/types.js';
import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isUnknown, parseRef, type Value } from '../../source/value.js';
import { resourceTypeOf } from './address.js';

/** Looks resources up by address and turns attribute values into the nodes they reference. */
export class InstanceIndex {
  readonly byAddress = new Map<string, ResourceInstance>();

  constructor(readonly instances: ResourceInstance[]) {
    for (const i of instances) this.byAddress.set(i.address, i);
  }

  ofType(...types: string[]): ResourceInstance[] {
    return this.instances.filter((i) => i.mode === 'managed' && types.includes(i.type));
  }

  dataOfType(...types: string[]): ResourceInstance[] {
    return this.instances.filter((i) => i.mode === 'data' && types.includes(i.type));
  }

  /** The instance a reference string points to, when it is in this configuration. */
  target(v: Value | undefined): { instance: ResourceInstance; attribute: string } | undefined {
    const ref = parseRef(v);
    if (!ref) return undefined;
    const instance = this.byAddress.get(ref.address);
    return instance ? { instance, attribute: ref.attribute } : undefined;
  }
}

export function sourceOf(i: ResourceInstance): SourceRef {
  return { file: i.block.file, span: i.block.headerSpan, address: i.address };
}

export function attributeRefs(i: ResourceInstance): Record<string, SourceRef> {
  const out: Record<string, SourceRef> = {};
  for (const [name, attr] of Object.entries(i.block.attributes)) out[name] = { file: attr.file ?? i.block.file, span: attr.span, address: i.address };
  for (const [type, spans] of Object.entries(i.nestedSpans)) {
    // An override file replaces all nested blocks of a type at once, so the blocks of one type share a file.
    const file = i.block.blocks.find((b) => (b.type === 'dynamic' ? b.labels[0] : b.type) === type)?.file ?? i.block.file;
    spans.forEach((span, n) => (out[`${type}[${n}]`] = { file, span, address: i.address }));
  }
  return out;
}

export function callSites(i: ResourceInstance): SourceRef[] {
  const refs: SourceRef[] = [];
  let prefix = '';
  for (const call of i.callChain) {
    prefix = prefix ? `${prefix}.module.${call.labels[0]}` : `module.${call.labels[0]}`;
    refs.push({ file: call.file, span: call.headerSpan, address: prefix });
  }
  return refs;
}

/** How a value reads in a message. */
export function describe(v: Value | undefined): string {
  if (v === undefined || v === null) return '(not set)';
  if (isUnknown(v)) return '(unknown)';
  const ref = parseRef(v);
  if (ref) return `${ref.address}.${ref.attribute}`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function typeOfRef(v: Value | undefined): string | undefined {
  const ref = parseRef(v);
  return ref ? resourceTypeOf(ref.address) : undefined;
}

export function maybeString(v: Value | undefined): Maybe<string> | undefined {
  return maybeStringOf(v, describe, 'after apply');
}

export { maybeBool };

export function base(i: ResourceInstance) {
  return { id: i.address, source: sourceOf(i), attributeRefs: attributeRefs(i), callSites: callSites(i) };
}
