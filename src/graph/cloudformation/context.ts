import { knownRegions } from '../../facts/aws-data.js';
import type { CfnResource, CfnTemplate } from '../../parsers/cloudformation/index.js';
import { displayValue, isUnknown, parseRef, type Value } from '../../source/value.js';
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

/**
 * What every part of the builder reads a template through. Node ids are logical ids; references (`!Ref Vpc`,
 * `!GetAtt Nat.Id`) link nodes.
 */
export function cfnContext(graph: Graph, template: CfnTemplate): CfnContext {
  const byId = new Map(template.resources.map((r) => [r.logicalId, r]));
  const target = (v: Value | undefined): CfnResource | undefined => {
    const ref = parseRef(v);
    return ref ? byId.get(ref.address) : undefined;
  };
  const sourceOf = (r: CfnResource): SourceRef => ({ file: r.file, span: r.headerSpan, address: r.logicalId });
  const refsOf = (r: CfnResource): Record<string, SourceRef> => {
    const out: Record<string, SourceRef> = {};
    for (const [path, span] of Object.entries(r.propertySpans)) out[path] = { file: r.file, span, address: r.logicalId };
    return out;
  };
  return {
    graph,
    template,
    region: template.region,
    ofType: (...types) => template.resources.filter((r) => types.includes(r.type)),
    target,
    base: (r) => ({ id: r.logicalId, source: sourceOf(r), attributeRefs: refsOf(r), callSites: [] as SourceRef[] }),
    sourceOf,
    vpcOf: (v) => {
      const t = target(v);
      return t && t.type === 'AWS::EC2::VPC' ? t.logicalId : undefined;
    },
  };
}

/** Why a resource may or may not exist: its Condition cannot be decided. */
export function conditionOf(r: CfnResource): string {
  return `${r.logicalId} exists only under Condition ${r.condition ?? '(unnamed)'}, which cannot be decided${isUnknown(r.exists) ? ` (${r.exists.reason})` : ''}`;
}

/**
 * How a resource that exists only in some regions says so: `S3VPCEndpoint exists only under Condition C, which is false
 * in cn-north-1, us-gov-west-1` (or `which holds only in …` when that is the shorter list).
 */
export function regionalConditionOf(r: CfnResource, regions: readonly string[]): string {
  const missing = knownRegions().filter((x) => !regions.includes(x));
  const where =
    regions.length === 0
      ? 'holds in no region of the bundled data'
      : missing.length <= regions.length
        ? `is false in ${missing.join(', ')}`
        : `holds only in ${regions.join(', ')}`;
  return `${r.logicalId} exists only under Condition ${r.condition ?? '(unnamed)'}, which ${where}`;
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
