import type { Span } from '../../source/types.js';
import { isObject, isUnknown, unknown, type Unknown, type Value, type ValueObject } from '../../source/value.js';
import { NO_VALUE, type Evaluator, type ResourceInfo } from './intrinsics.js';
import { entryOf, literalString, type ReportAt } from './sections.js';
import type { CfnEntry, CfnMap } from './tree.js';
import type { CfnResource } from './types.js';

const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Version',
  // SAM: connectors embedded in a resource.
  'Connectors',
]);

/**
 * Logical ids the SAM transform generates once per stack: the implicit REST and HTTP APIs (with their stages and
 * deployments, named after them), the CodeDeploy application and its service role.
 */
const SAM_STACK_IDS = ['ServerlessRestApi', 'ServerlessHttpApi'];
const SAM_STACK_EXACT_IDS = new Set(['ServerlessDeploymentApplication', 'CodeDeployServiceRole']);

/**
 * Whether `name` is a logical id the SAM transform generates: one of the per-stack ids, or a name that extends the
 * logical id of an `AWS::Serverless::*` resource (`<function>Role`, `<function>Alias<alias>`, `<api><stage>Stage`,
 * `<api>Deployment<sha>`, …), as SAM names the resources it adds.
 */
export function isSamGeneratedId(name: string, table: ResourceTable): boolean {
  if (SAM_STACK_EXACT_IDS.has(name) || SAM_STACK_IDS.some((id) => name.startsWith(id))) return true;
  return table.pending.some((p) => p.type.startsWith('AWS::Serverless::') && name.length > p.entry.key.length && name.startsWith(p.entry.key));
}

/** Attributes the SAM transform reads on its own resource types (`IgnoreGlobals`: Globals the resource does not take). */
const SAM_RESOURCE_ATTRIBUTES = new Set(['IgnoreGlobals']);

/** A resource entry that is well-formed enough to evaluate, and the name of its Condition. */
export interface PendingResource {
  entry: CfnEntry;
  node: CfnMap;
  type: string;
  conditionName?: string;
  conditionSpan?: Span;
}

/**
 * The template's resources, every one registered before any is evaluated, so references resolve whatever the order
 * of the template. The evaluator resolves references through this table and the table evaluates conditions and
 * properties with the evaluator: the evaluator is made once every resource is registered and handed over by `bind`.
 */
export class ResourceTable {
  readonly pending: PendingResource[] = [];
  readonly infos = new Map<string, ResourceInfo>();
  private readonly propertyCache = new Map<string, Value | undefined>();
  private readonly inProgress = new Set<string>();
  private evaluator: Evaluator | undefined;

  bind(evaluator: Evaluator): void {
    this.evaluator = evaluator;
  }

  /** Whether the resource is created: its Condition, or true without one. */
  existence(p: PendingResource): boolean | Unknown {
    return p.conditionName === undefined ? true : this.evaluator!.condition(p.conditionName, p.conditionSpan);
  }

  register(p: PendingResource): void {
    this.pending.push(p);
    this.infos.set(p.entry.key, { type: p.type, exists: () => this.existence(p), property: (name) => this.property(p, name) });
  }

  /** One property, evaluated on demand (for `Fn::GetAtt` and the like) and once; a property that needs itself is Unknown. */
  private property(p: PendingResource, name: string): Value | undefined {
    const { entry, node } = p;
    const key = `${entry.key}\u0000${name}`;
    if (this.propertyCache.has(key)) return this.propertyCache.get(key);
    if (this.inProgress.has(key)) return unknown(`${entry.key}.${name} depends on itself`);
    const props = entryOf(node, 'Properties')?.value;
    const propNode = props && props.kind === 'map' && !props.tag ? entryOf(props, name)?.value : undefined;
    this.inProgress.add(key);
    let v: Value | undefined;
    try {
      const r = propNode ? this.evaluator!.evaluate(propNode) : undefined;
      v = r === NO_VALUE ? undefined : r;
    } finally {
      this.inProgress.delete(key);
    }
    this.propertyCache.set(key, v);
    return v;
  }
}

/**
 * Registers every resource of the Resources section; what cannot be a resource (an unexpanded `Fn::Transform` or
 * `Fn::ForEach`, an entry without a Type) is reported and left out. `noteSam` is told of SAM resource types.
 */
export function registerResources(section: CfnMap | undefined, at: ReportAt, noteSam: (span: Span | undefined) => void): ResourceTable {
  const table = new ResourceTable();
  for (const entry of section?.entries ?? []) {
    const p = pendingResource(entry, at);
    if (!p) continue;
    if (p.type.startsWith('AWS::Serverless::')) noteSam(entry.keySpan);
    const serverless = p.type.startsWith('AWS::Serverless::');
    for (const e of p.node.entries) {
      if (!RESOURCE_ATTRIBUTES.has(e.key) && !(serverless && SAM_RESOURCE_ATTRIBUTES.has(e.key)))
        at('warning', 'cfn-unknown-resource-attribute', `Resource ${entry.key} has "${e.key}", which is not a resource attribute; it was ignored.`, e.keySpan);
    }
    readCondition(p, at);
    table.register(p);
  }
  return table;
}

/** The entry as a resource to evaluate, or undefined (reported) when it is not one. */
function pendingResource(entry: CfnEntry, at: ReportAt): PendingResource | undefined {
  if (entry.key === 'Fn::Transform') {
    const name = entry.value.kind === 'map' ? literalString(entryOf(entry.value, 'Name')?.value) : undefined;
    const code = name === 'AWS::Include' ? 'cfn-include-not-expanded' : 'cfn-transform-not-expanded';
    at(
      'warning',
      code,
      `${name ? `Fn::Transform ${name}` : 'Fn::Transform'} in Resources is not expanded; the resources it would add are missing.`,
      entry.keySpan,
    );
    return undefined;
  }
  if (entry.key.startsWith('Fn::ForEach::')) {
    at('warning', 'cfn-unsupported-function', `${entry.key} is not expanded; the resources it would create are missing.`, entry.keySpan);
    return undefined;
  }
  const node = entry.value;
  if (node.kind !== 'map' || node.tag) {
    at('error', 'cfn-invalid-resource', `Resource ${entry.key} is not a mapping; it was ignored.`, entry.keySpan);
    return undefined;
  }
  const type = literalString(entryOf(node, 'Type')?.value);
  if (!type) {
    at('error', 'cfn-invalid-resource', `Resource ${entry.key} has no Type; it was ignored.`, entry.keySpan);
    return undefined;
  }
  return { entry, node, type };
}

/** A Condition that is not a name is ignored: the resource is then read as always created. */
function readCondition(p: PendingResource, at: ReportAt): void {
  const condEntry = entryOf(p.node, 'Condition');
  if (!condEntry) return;
  const name = literalString(condEntry.value);
  if (name === undefined)
    at('warning', 'cfn-invalid-condition', `Resource ${p.entry.key} has a Condition that is not a name; it was ignored.`, condEntry.keySpan);
  else {
    p.conditionName = name;
    p.conditionSpan = condEntry.span;
  }
}

/** The resource as evaluated: Properties (with the span of every property path), Metadata and DependsOn. */
export function evaluateResource(
  file: string,
  p: PendingResource,
  exists: true | Unknown,
  table: ResourceTable,
  evaluator: Evaluator,
  at: ReportAt,
): CfnResource {
  const { entry } = p;
  const resource: CfnResource = {
    logicalId: entry.key,
    type: p.type,
    file,
    headerSpan: entry.keySpan,
    span: entry.span,
    properties: {},
    propertySpans: {},
    metadata: undefined,
    exists,
    dependsOn: [],
  };
  if (p.conditionName !== undefined) resource.condition = p.conditionName;
  evaluateProperties(resource, p, evaluator, at);
  evaluateMetadata(resource, p, evaluator, at);
  readDependsOn(resource, p, table, at);
  return resource;
}

/**
 * A resource's Properties evaluated with another evaluator (one that knows the region), with their spans; undefined
 * when they are not a mapping there. Reports nothing: the template's own evaluation has said what is wrong.
 */
export function propertiesWith(p: PendingResource, evaluator: Evaluator): { properties: ValueObject; propertySpans: Record<string, Span> } | undefined {
  const propsEntry = entryOf(p.node, 'Properties');
  if (!propsEntry) return { properties: {}, propertySpans: {} };
  const spans: Record<string, Span> = {};
  const r = evaluator.evaluate(propsEntry.value, { spans, path: '' });
  return isObject(r) ? { properties: r, propertySpans: spans } : undefined;
}

function evaluateProperties(resource: CfnResource, p: PendingResource, evaluator: Evaluator, at: ReportAt): void {
  const propsEntry = entryOf(p.node, 'Properties');
  if (!propsEntry) return;
  const spans: Record<string, Span> = {};
  const r = evaluator.evaluate(propsEntry.value, { spans, path: '' });
  if (isObject(r)) resource.properties = r;
  // `Properties:` with nothing under it is no mistake; a value that is not a mapping is.
  else if (r !== NO_VALUE && !(r === null && propsEntry.value.kind === 'scalar')) {
    at(
      isUnknown(r) ? 'note' : 'warning',
      'cfn-invalid-properties',
      `Properties of ${p.entry.key} ${isUnknown(r) ? `are unknown (${r.reason})` : 'are not a mapping'}; they were ignored.`,
      propsEntry.keySpan,
    );
  }
  resource.propertySpans = spans;
}

function evaluateMetadata(resource: CfnResource, p: PendingResource, evaluator: Evaluator, at: ReportAt): void {
  const metaEntry = entryOf(p.node, 'Metadata');
  if (!metaEntry) return;
  const m = evaluator.evaluate(metaEntry.value);
  if (isObject(m)) resource.metadata = m;
  else if (m !== NO_VALUE && m !== null)
    at('warning', 'cfn-invalid-metadata', `Metadata of ${p.entry.key} is not a mapping; it was ignored.`, metaEntry.keySpan);
}

/** DependsOn names are kept as written, even those that name no resource of the template (which are reported). */
function readDependsOn(resource: CfnResource, p: PendingResource, table: ResourceTable, at: ReportAt): void {
  const dependsEntry = entryOf(p.node, 'DependsOn');
  if (!dependsEntry) return;
  const v = dependsEntry.value;
  const names = v.kind === 'seq' && !v.tag ? v.items.map(literalString) : [literalString(v)];
  for (const name of names) {
    if (name === undefined) {
      at('warning', 'cfn-invalid-resource', `DependsOn of ${p.entry.key} must name resources.`, dependsEntry.keySpan);
      continue;
    }
    if (!table.infos.has(name))
      at('warning', 'cfn-invalid-reference', `${p.entry.key} DependsOn "${name}", which is not a resource of this template.`, dependsEntry.span);
    resource.dependsOn.push(name);
  }
}
