import type { CfnResource, CfnTemplate } from '../../parsers/cloudformation/index.js';
import { displayValue, parseRef, type Value } from '../../source/value.js';
import { displaySymbolic } from '../../source/region.js';
import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId } from '../model.js';
import { maybeBool, maybeStringOf } from '../values.js';

/** What the CloudFormation graph builder's parts share: the template, its resources by id, and how they read. */
export interface CfnContext {
  graph: Graph;
  template: CfnTemplate;
  region: string;
  ofType(...types: string[]): CfnResource[];
  /** The resource a `Ref`/`Fn::GetAtt` value names. */
  target(v: Value | undefined): CfnResource | undefined;
  base(r: CfnResource): { id: string; source: SourceRef; attributeRefs: Record<string, SourceRef>; callSites: SourceRef[] };
  sourceOf(r: CfnResource): SourceRef;
  vpcOf(v: Value | undefined): NodeId | undefined;
}

/** Where a property path (`SecurityGroupIngress[0]`) is written, else the resource's header. */
export function propertyAt(r: CfnResource, path: string): SourceRef {
  const span = r.propertySpans[path];
  return span ? { file: r.file, span, address: r.logicalId } : { file: r.file, span: r.headerSpan, address: r.logicalId };
}

export function maybeString(v: Value | undefined): Maybe<string> | undefined {
  return maybeStringOf(v, describe, 'after deployment');
}

export { maybeBool };

export function describe(v: Value): string {
  const ref = parseRef(v);
  if (ref) return ref.attribute === 'Ref' ? ref.address : `${ref.address}.${ref.attribute}`;
  return typeof v === 'string' ? displaySymbolic(v) : displayValue(v);
}
