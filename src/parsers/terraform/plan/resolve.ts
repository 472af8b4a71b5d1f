import { isUnknown, makeRef, unknown, type Unknown, type Value } from '../expr/value.js';
import { configModuleAt, keySuffix, moduleSteps, type ConfigModule, type PlanDocument, type PlannedResource } from './document.js';
import { jsonEqual, type Json } from './json-tree.js';
import { asExpression, distinctReferences, type ExpressionRep, type Reference, type Subject } from './references.js';

/**
 * Recovers values the plan leaves unknown ("known after apply") from the configuration representation. Only what the
 * references prove becomes a value: one resource attribute (`aws_vpc.main.id`) is that attribute, as a reference the
 * graph links; anything else stays Unknown with the reason.
 */

/** Where an expression is written: its module instance and, for a counted or for_each block, the instance key. */
export interface Site {
  moduleAddress: string;
  config: ConfigModule | undefined;
  key: number | string | undefined;
  repetition: { kind: 'count' | 'for_each'; expression: Json } | undefined;
}

type ResourceSubject = Extract<Subject, { kind: 'resource' }>;

const MAX_DEPTH = 16;

/** Attributes whose name says which resource type's `id` they take, beyond the `<kind>_id(s)` ↔ `aws_<kind>` rule. */
const ID_ATTRIBUTE_TYPES: Record<string, string[]> = {
  gateway_id: ['aws_internet_gateway', 'aws_vpn_gateway'],
  egress_only_gateway_id: ['aws_egress_only_internet_gateway'],
  transit_gateway_id: ['aws_ec2_transit_gateway'],
  carrier_gateway_id: ['aws_ec2_carrier_gateway'],
  allocation_id: ['aws_eip'],
  destination_prefix_list_id: ['aws_ec2_managed_prefix_list'],
  prefix_list_id: ['aws_ec2_managed_prefix_list'],
  vpc_security_group_ids: ['aws_security_group'],
  security_groups: ['aws_security_group'],
};

/**
 * Which attribute of a `type` instance an argument called `leaf` takes when the plan records only the instance
 * (`subnet_id` ← `aws_subnet.private[count.index]`): the instance's `id` when the argument's name says it holds the id
 * of that resource type (AWS ids of a kind come only from that kind's `id`), else nothing.
 */
export function idAttributeFor(leaf: string, type: string): 'id' | undefined {
  if (ID_ATTRIBUTE_TYPES[leaf]?.includes(type)) return 'id';
  const m = /^(.+?)_ids?$/.exec(leaf);
  if (m && (type === `aws_${m[1]}` || type === `aws_default_${m[1]}`)) return 'id';
  return undefined;
}

/** Attributes that stand for a resource's identity, carried as references like the HCL evaluator does. */
export function isIdentityAttribute(attr: string): boolean {
  return attr === 'id' || attr === 'arn' || attr.endsWith('_id');
}

/** Data sources the graph models as nodes; references to other data sources stay Unknown (they are read from AWS). */
export const LINKABLE_DATA = new Set(['aws_prefix_list', 'aws_ec2_managed_prefix_list']);

export class ReferenceResolver {
  private readonly byResource = new Map<string, PlannedResource[]>();

  constructor(
    private readonly doc: PlanDocument,
    readonly byAddress: Map<string, PlannedResource>,
  ) {
    for (const r of doc.resources) {
      const key = resourceKey(r.moduleAddress, r.mode, r.type, r.name);
      (this.byResource.get(key) ?? this.byResource.set(key, []).get(key)!).push(r);
    }
  }

  siteOf(r: PlannedResource): Site {
    const config = configModuleAt(this.doc.configuration, r.moduleAddress);
    const res = config?.resources.get(configAddress(r.mode, r.type, r.name));
    return { moduleAddress: r.moduleAddress, config, key: r.index, repetition: repetitionOf(res) };
  }

  /**
   * A single value from an expression. `relaxed` is for expressions that cover several values at once (a block
   * written as one attribute): references whose values are known while planning (root variables, `path`,
   * `terraform`) belong to other leaves and are set aside.
   */
  scalar(expr: ExpressionRep, leaf: string, site: Site, relaxed: boolean, depth = 0): Value {
    if (depth > MAX_DEPTH) return unknown('the value passes through too many module boundaries');
    if (expr.references.length === 0) return unknown(`${leaf} is computed by an expression without references and is known only after apply`);
    let refs = distinctReferences(expr.references);
    if (relaxed) refs = refs.filter((r) => !knownWhilePlanning(r.subject, site));
    const indexed = this.indexedPattern(refs);
    if (indexed) return this.indexed(indexed.resource, indexed.by, leaf, site);
    if (refs.length !== 1) return unknown(`${leaf} is computed from ${listRefs(refs)}; the plan does not show how`);
    return this.single(refs[0]!, leaf, site, depth);
  }

  /** The elements of a list written as references (`[aws_route_table.a.id, aws_route_table.b.id]`, a splat, an output). */
  list(expr: ExpressionRep, leaf: string, site: Site, depth = 0): Value[] | Unknown {
    if (depth > MAX_DEPTH) return unknown('the value passes through too many module boundaries');
    const refs = distinctReferences(expr.references).filter((r) => !knownWhilePlanning(r.subject, site));
    if (refs.length === 0) return unknown(`${leaf} is known only after apply`);
    const indexed = this.indexedPattern(refs);
    if (indexed) {
      const v = this.indexed(indexed.resource, indexed.by, leaf, site);
      return isUnknown(v) ? v : [v];
    }
    const out: Value[] = [];
    for (const ref of refs) {
      const part = this.listPart(ref, leaf, site, depth);
      if (part instanceof Array) out.push(...part);
      else return part;
    }
    return out;
  }

  private listPart(ref: Reference, leaf: string, site: Site, depth: number): Value[] | Unknown {
    const s = ref.subject;
    if (s.kind === 'resource' && s.key === undefined && s.rest.length === 0 && s.mode === 'managed') {
      // A whole counted resource in a list of ids: a splat (`aws_route_table.private[*].id`).
      const instances = this.instances(site.moduleAddress, s);
      const attr = idAttributeFor(leaf, s.type);
      if (instances.length > 0 && attr && instances.every((i) => typeof i.index === 'number')) {
        return [...instances].sort((a, b) => (a.index as number) - (b.index as number)).map((i) => makeRef(i.address, attr));
      }
      return unknown(`${leaf} lists ${ref.text}; the plan does not show which attribute of its instances`);
    }
    if (s.kind === 'module' && s.rest.length === 1 && 'attr' in s.rest[0]!) {
      const child = this.moduleOutput(s, s.rest[0].attr, site);
      if ('reason' in child) return child;
      return this.list(child.expr, leaf, child.site, depth + 1);
    }
    if (s.kind === 'var' && s.rest.length === 0) {
      const arg = this.moduleArgument(s.name, site);
      if ('reason' in arg) return arg;
      return this.list(arg.expr, leaf, arg.site, depth + 1);
    }
    const v = this.single(ref, leaf, site, depth);
    return isUnknown(v) ? v : [v];
  }

  private single(ref: Reference, leaf: string, site: Site, depth: number): Value {
    const s = ref.subject;
    switch (s.kind) {
      case 'resource':
        return this.resourceRef(s, ref.text, leaf, site);
      case 'module': {
        if (s.rest.length !== 1 || !('attr' in s.rest[0]!)) return unknown(`${leaf} comes from ${ref.text}, which is not one module output`);
        const child = this.moduleOutput(s, s.rest[0].attr, site);
        if ('reason' in child) return child;
        return this.scalar(child.expr, leaf, child.site, false, depth + 1);
      }
      case 'var': {
        if (s.rest.length !== 0) return unknown(`${leaf} comes from part of ${ref.text}`);
        const arg = this.moduleArgument(s.name, site);
        if ('reason' in arg) return arg;
        return this.scalar(arg.expr, leaf, arg.site, false, depth + 1);
      }
      case 'each': {
        const [first, second, ...more] = s.rest;
        if (first && 'attr' in first && first.attr === 'value' && second && 'attr' in second && more.length === 0) return this.eachValue(second.attr, leaf, site);
        return unknown(`${leaf} comes from ${ref.text}`);
      }
      default:
        return unknown(`${leaf} comes from ${ref.text}, which the plan does not resolve`);
    }
  }

  /** `aws_vpc.main.id`, `aws_subnet.a[0].id`, `aws_subnet.a[0]` (attribute by name), in the site's module instance. */
  private resourceRef(s: ResourceSubject, text: string, leaf: string, site: Site): Value {
    const base = qualify(site.moduleAddress, configAddress(s.mode, s.type, s.name));
    let address: string;
    if (s.key !== undefined) address = base + keySuffix(s.key);
    else {
      const instances = this.instances(site.moduleAddress, s);
      if (instances.length === 0) return unknown(`${base} is not in the plan`);
      if (instances.length !== 1 || instances[0]!.index !== undefined) return unknown(`${leaf} comes from ${text}, which has several instances`);
      address = base;
    }
    if (!this.byAddress.has(address)) return unknown(`${address} is not in the plan`);
    let attr: string | undefined;
    if (s.rest.length === 0) attr = idAttributeFor(leaf, s.type);
    else if (s.rest.length === 1 && 'attr' in s.rest[0]!) attr = s.rest[0].attr;
    if (!attr) return unknown(`${leaf} comes from ${text}; the plan does not show which attribute`);
    return this.refTo(s, address, attr);
  }

  private refTo(s: { mode: 'managed' | 'data'; type: string }, address: string, attr: string): Value {
    if (s.mode === 'data' && !LINKABLE_DATA.has(s.type)) return unknown(`${address}.${attr} is read from AWS during apply`);
    if (!isIdentityAttribute(attr)) return unknown(`${address}.${attr} is known only after apply`);
    return makeRef(address, attr);
  }

  /** `X[count.index]` / `X[each.key]`: listed as `X` and `count.index` / `each.key`. */
  private indexedPattern(refs: Reference[]): { resource: ResourceSubject; by: 'count' | 'each' } | undefined {
    if (refs.length !== 2) return undefined;
    const resource = refs.find((r) => r.subject.kind === 'resource')?.subject as ResourceSubject | undefined;
    const other = refs.find((r) => r.subject.kind !== 'resource')?.subject;
    if (!resource || !other || resource.key !== undefined || resource.rest.length !== 0) return undefined;
    const attr = other.rest.length === 1 && 'attr' in other.rest[0]! ? other.rest[0].attr : undefined;
    if (other.kind === 'count' && attr === 'index') return { resource, by: 'count' };
    if (other.kind === 'each' && attr === 'key') return { resource, by: 'each' };
    return undefined;
  }

  private indexed(s: ResourceSubject, by: 'count' | 'each', leaf: string, site: Site): Value {
    const what = `${configAddress(s.mode, s.type, s.name)}[${by === 'count' ? 'count.index' : 'each.key'}]`;
    const kind = by === 'count' ? 'count' : 'for_each';
    if (site.key === undefined || site.repetition?.kind !== kind) return unknown(`${leaf} comes from ${what}, but the block has no ${kind}`);
    const target = site.config?.resources.get(configAddress(s.mode, s.type, s.name));
    const targetRepetition = repetitionOf(target);
    if (!targetRepetition || targetRepetition.kind !== kind || !jsonEqual(targetRepetition.expression, site.repetition.expression)) {
      return unknown(`${leaf} comes from an index into ${configAddress(s.mode, s.type, s.name)}, whose ${kind} differs from this block's; the plan does not show which index`);
    }
    const address = qualify(site.moduleAddress, configAddress(s.mode, s.type, s.name)) + keySuffix(site.key);
    if (!this.byAddress.has(address)) return unknown(`${address} is not in the plan`);
    const attr = idAttributeFor(leaf, s.type);
    if (!attr) return unknown(`${leaf} comes from ${what}; the plan does not show which attribute`);
    return this.refTo(s, address, attr);
  }

  /** `each.value.id` where `for_each` is a whole resource (`for_each = aws_subnet.private`). */
  private eachValue(attr: string, leaf: string, site: Site): Value {
    if (site.repetition?.kind !== 'for_each' || site.key === undefined) return unknown(`${leaf} comes from each.value.${attr} outside for_each`);
    const fe = asExpression(site.repetition.expression);
    const refs = fe ? distinctReferences(fe.references) : [];
    const s = refs.length === 1 ? refs[0]!.subject : undefined;
    if (!s || s.kind !== 'resource' || s.key !== undefined || s.rest.length !== 0) return unknown(`${leaf} comes from each.value.${attr}; the plan does not show what for_each iterates`);
    const address = qualify(site.moduleAddress, configAddress(s.mode, s.type, s.name)) + keySuffix(site.key);
    if (!this.byAddress.has(address)) return unknown(`${address} is not in the plan`);
    return this.refTo(s, address, attr);
  }

  private moduleOutput(s: Extract<Subject, { kind: 'module' }>, output: string, site: Site): { expr: ExpressionRep; site: Site } | Unknown {
    const call = site.config?.calls.get(s.name);
    if (!call?.module) return unknown(`module.${s.name} is not in the plan's configuration`);
    if ((call.count !== undefined || call.forEach !== undefined) !== (s.key !== undefined)) {
      return unknown(`module.${s.name}.${output} is read across the instances of module.${s.name}`);
    }
    const expr = asExpression(call.module.outputs.get(output));
    if (!expr) return unknown(`module.${s.name} has no output ${output} in the plan's configuration`);
    const moduleAddress = qualify(site.moduleAddress, `module.${s.name}${keySuffix(s.key)}`);
    return { expr, site: { moduleAddress, config: call.module, key: undefined, repetition: undefined } };
  }

  /** `var.x` inside a module: the argument of the calling `module` block, in the caller's module instance. */
  private moduleArgument(name: string, site: Site): { expr: ExpressionRep; site: Site } | Unknown {
    const steps = moduleSteps(site.moduleAddress);
    const last = steps.at(-1);
    if (!last) return unknown(`var.${name} is a root variable, whose value the plan records as known`);
    const parentAddress = steps.at(-2)?.address ?? '';
    const parent = configModuleAt(this.doc.configuration, parentAddress);
    const call = parent?.calls.get(last.name);
    const expr = asExpression(call?.expressions[name]);
    if (!call || !expr) return unknown(`var.${name} is not set by the call of ${site.moduleAddress}`);
    const repetition = call.count !== undefined ? { kind: 'count' as const, expression: call.count } : call.forEach !== undefined ? { kind: 'for_each' as const, expression: call.forEach } : undefined;
    return { expr, site: { moduleAddress: parentAddress, config: parent, key: last.key, repetition } };
  }

  private instances(moduleAddress: string, s: { mode: 'managed' | 'data'; type: string; name: string }): PlannedResource[] {
    return this.byResource.get(resourceKey(moduleAddress, s.mode, s.type, s.name)) ?? [];
  }
}

function resourceKey(moduleAddress: string, mode: string, type: string, name: string): string {
  return `${moduleAddress}|${mode}|${type}|${name}`;
}

export function configAddress(mode: 'managed' | 'data', type: string, name: string): string {
  return `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
}

export function qualify(moduleAddress: string, local: string): string {
  return moduleAddress ? `${moduleAddress}.${local}` : local;
}

export function repetitionOf(r: { count: Json | undefined; forEach: Json | undefined } | undefined): Site['repetition'] {
  if (!r) return undefined;
  if (r.count !== undefined) return { kind: 'count', expression: r.count };
  if (r.forEach !== undefined) return { kind: 'for_each', expression: r.forEach };
  return undefined;
}

function knownWhilePlanning(s: Subject, site: Site): boolean {
  return s.kind === 'path' || s.kind === 'terraform' || (s.kind === 'var' && site.moduleAddress === '');
}

function listRefs(refs: Reference[]): string {
  if (refs.length === 0) return 'no reference';
  return refs.map((r) => r.text).join(', ');
}
