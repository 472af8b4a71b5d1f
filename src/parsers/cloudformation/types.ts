import type { Diagnostic, Span } from '../../source/types.js';
import type { Unknown, Value, ValueObject } from '../../source/value.js';

export interface CfnResource {
  logicalId: string;
  /** `AWS::EC2::VPC`; `AWS::Serverless::*` types are kept as written (SAM is not expanded). */
  type: string;
  /** As given to the loader (relative to the scan root). */
  file: string;
  /** The logical id key (the line of `  Vpc:` / `"Vpc": {`). */
  headerSpan: Span;
  /** The whole resource entry, from the logical id to the end of its value. */
  span: Span;
  /** Evaluated Properties. */
  properties: ValueObject;
  /**
   * Span of each property path: 'VpcId', 'RouteTableIds', 'RouteTableIds[0]', 'PolicyDocument',
   * 'PolicyDocument.Statement[0].Effect' — the key and value of a mapping entry, the item of a sequence.
   * Indexes are those of the evaluated value (after `AWS::NoValue` items are removed).
   */
  propertySpans: Record<string, Span>;
  /** Evaluated Metadata (aws:cdk:path and suppressions live there). */
  metadata: ValueObject | undefined;
  /** The name of the resource's Condition. */
  condition?: string;
  /** Resources whose Condition is false are not returned at all; Unknown when the condition cannot be decided. */
  exists: true | Unknown;
  /**
   * For a template deployed to any region, when `exists` is unknown only because the Condition compares
   * `AWS::Region`: the regions of the bundled data where the resource is created (sorted; may be empty).
   */
  existsInRegions?: string[];
  /**
   * For a template deployed to any region, a resource whose Properties are unknown only through the region (a route
   * whose target is `Fn::If` on a Condition that compares `AWS::Region`): its Properties in each region where it
   * exists, one entry per distinct set of Properties. Only for the types whose values the routing rules need per
   * region (`REGIONAL_PROPERTY_TYPES`).
   */
  regionalVariants?: RegionalVariant[];
  dependsOn: string[];
}

export interface RegionalVariant {
  /** The regions of the bundled data where the resource has these Properties (sorted). */
  regions: string[];
  properties: ValueObject;
  propertySpans: Record<string, Span>;
}

export interface CfnOutput {
  value: Value;
  exportName?: Value;
  span: Span;
}

export interface CfnParameter {
  type: string;
  value: Value;
  span: Span;
}

export interface CfnTemplate {
  file: string;
  format: 'yaml' | 'json';
  /** The region given to the loader, or SYMBOLIC_REGION. */
  region: string;
  /**
   * With a symbolic region: the regions the template can be deployed to, when a `Fn::FindInMap` keyed by
   * `AWS::Region` limits them (the keys of every such mapping, intersected). Undefined when nothing limits them.
   */
  deployableRegions?: string[];
  /** In file order. */
  resources: CfnResource[];
  outputs: Record<string, CfnOutput>;
  parameters: Record<string, CfnParameter>;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** The deployment region (`--region`); without it `AWS::Region` is SYMBOLIC_REGION. */
  region?: string;
  /** Parameter values, as the `--parameter-overrides` of a deployment would give them (always strings). */
  params?: Record<string, string>;
  accountId?: string;
}
