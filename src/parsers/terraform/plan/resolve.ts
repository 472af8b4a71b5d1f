import { isUnknown, makeRef, unknown, type Unknown, type Value } from '../../../source/value.js';
import { configModuleAt, keySuffix, moduleSteps, type ConfigModule, type PlanDocument, type PlannedResource } from './document.js';
import { hasOwn, isJsonObject, jsonEqual, type Json } from '../../../source/json-tree.js';
import { asExpression, distinctReferences, type ExpressionRep, type IndexSymbol, type Reference, type Subject } from './references.js';

/**
 * Recovers values the plan leaves unknown ("known after apply") from the configuration representation. Only what the
 * references prove becomes a value: one resource attribute (`aws_vpc.main.id`) is that attribute, as a reference the
 * graph links; anything else stays Unknown with the reason.
 */

/** How a block repeats: its `count` or `for_each` expression representation. */
export interface Repetition {
  kind: 'count' | 'for_each';
  expression: Json;
}

/** Where an expression is written: its module instance and, for a counted or for_each block, the instance key. */
export interface Site {
  moduleAddress: string;
  config: ConfigModule | undefined;
  key: number | string | undefined;
  repetition: Repetition | undefined;
  /** The block the expression is written in, relative to its module: `aws_route.private_nat`, or `module.net` for an argument of that call. */
  block: string;
  /** The resource instance whose value is being rebuilt (`module.net["a"].aws_route.private_nat[1]`): reasons name it. */
  instance: string;
  /** The module variables and outputs the value came through on the way, in order. */
  via: string[];
}

type ResourceSubject = Extract<Subject, { kind: 'resource' }>;
type InstanceKey = number | string | undefined;

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
  subnets: ['aws_subnet'],
  vpc_zone_identifier: ['aws_subnet'],
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

/**
 * The reason a value stays Unknown, naming the attribute, the instance and the way the value came:
 * `route_table_id of aws_route.private_nat[1] refers to aws_route_table.private[count.index], whose count differs from
 * aws_route.private_nat's`.
 */
export function unresolved(site: Site, leaf: string, cause: string): Unknown {
  const through = site.via.length > 0 ? ` (through ${site.via.join(', ')})` : '';
  return unknown(`${leaf} of ${site.instance}${through} ${cause}`);
}

export class ReferenceResolver {
  private readonly byResource = new Map<string, PlannedResource[]>();
  private moduleKeys: Map<string, InstanceKey[]> | undefined;

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
    const block = configAddress(r.mode, r.type, r.name);
    return {
      moduleAddress: r.moduleAddress,
      config,
      key: r.index,
      repetition: repetitionOf(config?.resources.get(block)),
      block,
      instance: r.address,
      via: [],
    };
  }

  /**
   * A single value from an expression. `relaxed` is for expressions that cover several values at once (a block
   * written as one attribute): references whose values are known while planning (root variables, `path`,
   * `terraform`) belong to other leaves and are set aside.
   */
  scalar(expr: ExpressionRep, leaf: string, site: Site, relaxed: boolean, depth = 0): Value {
    if (depth > MAX_DEPTH) return unresolved(site, leaf, 'passes through too many module boundaries');
    if (expr.references.length === 0) return unresolved(site, leaf, 'is computed by an expression without references and is known only after apply');
    let refs = distinctReferences(expr.references);
    if (relaxed) refs = refs.filter((r) => !knownWhilePlanning(r.subject, site));
    const indexed = indexedPattern(refs);
    if (indexed) return this.indexed(indexed, leaf, site);
    if (refs.length !== 1) return unresolved(site, leaf, `is computed from ${listRefs(refs)}; the plan does not show how`);
    return this.single(refs[0]!, leaf, site, depth);
  }

  /** The elements of a list written as references (`[aws_route_table.a.id, aws_route_table.b.id]`, a splat, an output). */
  list(expr: ExpressionRep, leaf: string, site: Site, depth = 0): Value[] | Unknown {
    if (depth > MAX_DEPTH) return unresolved(site, leaf, 'passes through too many module boundaries');
    const refs = distinctReferences(expr.references).filter((r) => !knownWhilePlanning(r.subject, site));
    if (refs.length === 0) return unresolved(site, leaf, 'is known only after apply');
    const indexed = indexedPattern(refs);
    if (indexed) {
      const v = this.indexed(indexed, leaf, site);
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
    if (s.kind === 'resource' && s.key === undefined && s.symbol === undefined && s.rest.length === 0) {
      // A whole resource in a list of ids: a splat (`aws_route_table.private[*].id`, `values(aws_subnet.this)[*].id`),
      // or in Terraform 0.12's listing the single instance an attribute was read from.
      const instances = this.instances(site.moduleAddress, s);
      const attr = idAttributeFor(leaf, s.type);
      if (!attr) return unresolved(site, leaf, `lists ${ref.text}; the plan does not show which attribute of its instances`);
      if (instances.length === 0) return unresolved(site, leaf, `lists ${ref.text}, which has no instance in the plan`);
      let ordered: PlannedResource[];
      if (instances.length === 1 && instances[0]!.index === undefined) ordered = instances;
      else if (instances.every((i) => typeof i.index === 'number')) ordered = [...instances].sort((a, b) => (a.index as number) - (b.index as number));
      else if (instances.every((i) => typeof i.index === 'string'))
        ordered = [...instances].sort((a, b) => ((a.index as string) < (b.index as string) ? -1 : 1));
      else return unresolved(site, leaf, `lists ${ref.text}, whose instances in the plan are not one kind of key`);
      const out: Value[] = [];
      for (const i of ordered) {
        const v = this.refTo(s, i.address, attr, leaf, site);
        if (isUnknown(v)) return v;
        out.push(v);
      }
      return out;
    }
    if (s.kind === 'module' && s.rest.length === 1 && 'attr' in s.rest[0]!) {
      const child = this.moduleOutput(s, s.rest[0].attr, leaf, site);
      if ('reason' in child) return child;
      return this.list(child.expr, leaf, child.site, depth + 1);
    }
    if (s.kind === 'var' && s.rest.length === 0) {
      const arg = this.moduleArgument(s.name, leaf, site);
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
        if (s.rest.length !== 1 || !('attr' in s.rest[0]!)) return unresolved(site, leaf, `comes from ${ref.text}, which is not one module output`);
        const child = this.moduleOutput(s, s.rest[0].attr, leaf, site);
        if ('reason' in child) return child;
        return this.scalar(child.expr, leaf, child.site, false, depth + 1);
      }
      case 'var': {
        if (s.rest.length !== 0) return unresolved(site, leaf, `comes from part of ${ref.text}`);
        const arg = this.moduleArgument(s.name, leaf, site);
        if ('reason' in arg) return arg;
        return this.scalar(arg.expr, leaf, arg.site, false, depth + 1);
      }
      case 'each': {
        const [first, second, ...more] = s.rest;
        if (first && 'attr' in first && first.attr === 'value' && second && 'attr' in second && more.length === 0)
          return this.eachValue(second.attr, leaf, site);
        return unresolved(site, leaf, `comes from ${ref.text}`);
      }
      default:
        return unresolved(site, leaf, `comes from ${ref.text}, which the plan does not resolve`);
    }
  }

  /** `aws_vpc.main.id`, `aws_subnet.a[0].id`, `aws_subnet.a[0]` (attribute by name), in the site's module instance. */
  private resourceRef(s: ResourceSubject, text: string, leaf: string, site: Site): Value {
    if (s.symbol) return unresolved(site, leaf, `refers to ${text}, whose index the plan does not list`);
    const base = qualify(site.moduleAddress, configAddress(s.mode, s.type, s.name));
    let address: string;
    if (s.key !== undefined) address = base + keySuffix(s.key);
    else {
      const instances = this.instances(site.moduleAddress, s);
      if (instances.length === 0) return unresolved(site, leaf, `refers to ${text}, and ${base} is not in the plan`);
      if (instances.length !== 1 || instances[0]!.index !== undefined)
        return unresolved(site, leaf, `refers to ${text}, which has ${instances.length} instances; the plan does not show which one`);
      address = base;
    }
    if (!this.byAddress.has(address)) return unresolved(site, leaf, `refers to ${text}, and ${address} is not in the plan`);
    let attr: string | undefined;
    if (s.rest.length === 0) attr = idAttributeFor(leaf, s.type);
    else if (s.rest.length === 1 && 'attr' in s.rest[0]!) attr = s.rest[0].attr;
    if (!attr) return unresolved(site, leaf, `refers to ${text}; the plan does not show which attribute`);
    return this.refTo(s, address, attr, leaf, site);
  }

  private refTo(s: { mode: 'managed' | 'data'; type: string }, address: string, attr: string, leaf: string, site: Site): Value {
    if (s.mode === 'data' && !LINKABLE_DATA.has(s.type)) return unresolved(site, leaf, `refers to ${address}.${attr}, which is read from AWS during apply`);
    if (!isIdentityAttribute(attr)) return unresolved(site, leaf, `refers to ${address}.${attr}, which is known only after apply`);
    return makeRef(address, attr);
  }

  /**
   * `X[count.index]`, `X[each.key]`: the instance of X with this instance's own index or key. The plan proves which
   * one only when X repeats as this block does — the same `count` or `for_each` expression in the same module
   * instance, expanded to the same instance keys — otherwise the index written may be any function of it.
   */
  private indexed(p: IndexedPattern, leaf: string, site: Site): Value {
    const { resource: s, by } = p;
    const target = configAddress(s.mode, s.type, s.name);
    const what = `${target}[${by}]`;
    if (by === 'each.value') return this.indexedByValue(s, what, p.attr, leaf, site);
    const kind = by === 'count.index' ? 'count' : 'for_each';
    if (site.key === undefined || site.repetition?.kind !== kind) return unresolved(site, leaf, `refers to ${what}, but ${site.block} has no ${kind}`);
    const targetRepetition = repetitionOf(site.config?.resources.get(target));
    if (!site.config?.resources.has(target)) return unresolved(site, leaf, `refers to ${what}, which is not in the plan's configuration`);
    if (targetRepetition?.kind !== kind) return unresolved(site, leaf, `refers to ${what}, but ${target} has no ${kind}`);
    const ours = this.canonical(site.repetition, site.config);
    const theirs = this.canonical(targetRepetition, site.config);
    if (ours.kind !== theirs.kind || !jsonEqual(ours.expression, theirs.expression))
      return unresolved(site, leaf, `refers to ${what}, whose ${kind} differs from ${site.block}'s`);
    const targetKeys = this.instances(site.moduleAddress, s).map((i) => i.index);
    const blockKeys = this.blockKeys(site);
    if (blockKeys && !sameKeys(targetKeys, blockKeys)) {
      return unresolved(
        site,
        leaf,
        `refers to ${what}, whose instances in the plan (${listKeys(targetKeys)}) are not those of ${site.block} (${listKeys(blockKeys)})`,
      );
    }
    const address = qualify(site.moduleAddress, target) + keySuffix(site.key);
    if (!this.byAddress.has(address)) return unresolved(site, leaf, `refers to ${what}, and ${address} is not in the plan`);
    const attr = p.attr ?? idAttributeFor(leaf, s.type);
    if (!attr) return unresolved(site, leaf, `refers to ${what}; the plan does not show which attribute`);
    return this.refTo(s, address, attr, leaf, site);
  }

  /** `X[each.value]`: known only when `for_each` is a literal map, whose value at this key is X's key. */
  private indexedByValue(s: ResourceSubject, what: string, attrOverride: string | undefined, leaf: string, site: Site): Value {
    if (site.key === undefined || site.repetition?.kind !== 'for_each') return unresolved(site, leaf, `refers to ${what}, but ${site.block} has no for_each`);
    const fe = asExpression(site.repetition.expression);
    const value =
      fe?.hasConstant && isJsonObject(fe.constant) && typeof site.key === 'string' && hasOwn(fe.constant, site.key) ? fe.constant[site.key] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number')
      return unresolved(site, leaf, `refers to ${what}; the plan does not show the value of each.value`);
    const address = qualify(site.moduleAddress, configAddress(s.mode, s.type, s.name)) + keySuffix(value);
    if (!this.byAddress.has(address)) return unresolved(site, leaf, `refers to ${what}, and ${address} is not in the plan`);
    const attr = attrOverride ?? idAttributeFor(leaf, s.type);
    if (!attr) return unresolved(site, leaf, `refers to ${what}; the plan does not show which attribute`);
    return this.refTo(s, address, attr, leaf, site);
  }

  /** `each.value.id` where `for_each` is a whole resource (`for_each = aws_subnet.private`): that resource's instance with this key. */
  private eachValue(attr: string, leaf: string, site: Site): Value {
    if (site.repetition?.kind !== 'for_each' || site.key === undefined)
      return unresolved(site, leaf, `comes from each.value.${attr}, but ${site.block} has no for_each`);
    const fe = asExpression(site.repetition.expression);
    const refs = fe ? distinctReferences(fe.references) : [];
    const s = refs.length === 1 ? refs[0]!.subject : undefined;
    if (!s || s.kind !== 'resource' || s.key !== undefined || s.symbol !== undefined || s.rest.length !== 0) {
      return unresolved(site, leaf, `comes from each.value.${attr}; the plan does not show what the for_each of ${site.block} iterates`);
    }
    const target = configAddress(s.mode, s.type, s.name);
    const targetKeys = this.instances(site.moduleAddress, s).map((i) => i.index);
    const blockKeys = this.blockKeys(site);
    if (blockKeys && !sameKeys(targetKeys, blockKeys)) {
      return unresolved(
        site,
        leaf,
        `comes from each.value.${attr} over ${target}, whose instances in the plan (${listKeys(targetKeys)}) are not those of ${site.block} (${listKeys(blockKeys)})`,
      );
    }
    const address = qualify(site.moduleAddress, target) + keySuffix(site.key);
    if (!this.byAddress.has(address)) return unresolved(site, leaf, `comes from each.value.${attr}, and ${address} is not in the plan`);
    return this.refTo(s, address, attr, leaf, site);
  }

  /**
   * A repetition written as another repeated resource of the module (`for_each = aws_subnet.private`,
   * `count = length(aws_subnet.private)`) stands for that resource's own repetition. Whether the two really expand
   * alike is then checked on the instance keys the plan lists.
   */
  private canonical(rep: Repetition, config: ConfigModule | undefined, depth = 0): Repetition {
    if (!config || depth > 8) return rep;
    const expr = asExpression(rep.expression);
    if (!expr || expr.hasConstant) return rep;
    const refs = distinctReferences(expr.references);
    const s = refs.length === 1 ? refs[0]!.subject : undefined;
    if (!s || s.kind !== 'resource' || s.key !== undefined || s.symbol !== undefined || s.rest.length !== 0) return rep;
    const inner = repetitionOf(config.resources.get(configAddress(s.mode, s.type, s.name)));
    return inner && inner.kind === rep.kind ? this.canonical(inner, config, depth + 1) : rep;
  }

  /** The instance keys of the block a site is in: its resource's instances, or the call's module instances. */
  private blockKeys(site: Site): InstanceKey[] | undefined {
    const call = /^module\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(site.block);
    if (call) return this.moduleInstanceKeys(site.moduleAddress, call[1]!);
    const r = site.config?.resources.get(site.block);
    return r ? this.instances(site.moduleAddress, r).map((i) => i.index) : undefined;
  }

  private moduleInstanceKeys(parent: string, name: string): InstanceKey[] {
    if (!this.moduleKeys) {
      const seen = new Map<string, Map<string, InstanceKey>>();
      for (const r of this.doc.resources) {
        let parentAddress = '';
        for (const step of moduleSteps(r.moduleAddress)) {
          const id = `${parentAddress}|${step.name}`;
          const keys = seen.get(id) ?? seen.set(id, new Map()).get(id)!;
          keys.set(keySuffix(step.key), step.key);
          parentAddress = step.address;
        }
      }
      this.moduleKeys = new Map([...seen].map(([id, keys]) => [id, [...keys.values()]]));
    }
    return this.moduleKeys.get(`${parent}|${name}`) ?? [];
  }

  private moduleOutput(s: Extract<Subject, { kind: 'module' }>, output: string, leaf: string, site: Site): { expr: ExpressionRep; site: Site } | Unknown {
    const call = site.config?.calls.get(s.name);
    const text = `module.${s.name}${keySuffix(s.key)}.${output}`;
    if (!call?.module) return unresolved(site, leaf, `comes from ${text}, but module.${s.name} is not in the plan's configuration`);
    if ((call.count !== undefined || call.forEach !== undefined) !== (s.key !== undefined)) {
      return unresolved(site, leaf, `comes from ${text}, read across the instances of module.${s.name}`);
    }
    const expr = asExpression(call.module.outputs.get(output));
    if (!expr) return unresolved(site, leaf, `comes from ${text}, but module.${s.name} has no output ${output} in the plan's configuration`);
    const moduleAddress = qualify(site.moduleAddress, `module.${s.name}${keySuffix(s.key)}`);
    return {
      expr,
      site: {
        moduleAddress,
        config: call.module,
        key: undefined,
        repetition: undefined,
        block: `output.${output}`,
        instance: site.instance,
        via: [...site.via, text],
      },
    };
  }

  /** `var.x` inside a module: the argument of the calling `module` block, in the caller's module instance. */
  private moduleArgument(name: string, leaf: string, site: Site): { expr: ExpressionRep; site: Site } | Unknown {
    const steps = moduleSteps(site.moduleAddress);
    const last = steps.at(-1);
    if (!last) return unresolved(site, leaf, `comes from var.${name}, a root variable, whose value the plan records as known`);
    const parentAddress = steps.at(-2)?.address ?? '';
    const parent = configModuleAt(this.doc.configuration, parentAddress);
    const call = parent?.calls.get(last.name);
    const expr = asExpression(call?.expressions[name]);
    if (!call || !expr) return unresolved(site, leaf, `comes from var.${name}, which the call of ${site.moduleAddress} does not set`);
    const repetition: Repetition | undefined =
      call.count !== undefined
        ? { kind: 'count', expression: call.count }
        : call.forEach !== undefined
          ? { kind: 'for_each', expression: call.forEach }
          : undefined;
    return {
      expr,
      site: {
        moduleAddress: parentAddress,
        config: parent,
        key: last.key,
        repetition,
        block: `module.${last.name}`,
        instance: site.instance,
        via: [...site.via, `var.${name}`],
      },
    };
  }

  private instances(moduleAddress: string, s: { mode: 'managed' | 'data'; type: string; name: string }): PlannedResource[] {
    return this.byResource.get(resourceKey(moduleAddress, s.mode, s.type, s.name)) ?? [];
  }
}

interface IndexedPattern {
  resource: ResourceSubject;
  by: IndexSymbol;
  /** The attribute read after the index, when the listing records it (`X[count.index].id`). */
  attr: string | undefined;
}

/**
 * `X[count.index]` / `X[each.key]` / `X[each.value]`: listed as `X` and `count.index` (or, by some producers, as
 * `X[count.index].id`, `X` and `count.index`).
 */
function indexedPattern(refs: Reference[]): IndexedPattern | undefined {
  if (refs.length !== 2) return undefined;
  const resource = refs.find((r) => r.subject.kind === 'resource')?.subject as ResourceSubject | undefined;
  const other = refs.find((r) => r.subject.kind !== 'resource')?.subject;
  if (!resource || !other || resource.key !== undefined) return undefined;
  const attr = other.rest.length === 1 && 'attr' in other.rest[0]! ? other.rest[0].attr : undefined;
  const by: IndexSymbol | undefined =
    other.kind === 'count' && attr === 'index' ? 'count.index' : other.kind === 'each' && (attr === 'key' || attr === 'value') ? `each.${attr}` : undefined;
  if (!by) return undefined;
  if (resource.symbol === undefined) return resource.rest.length === 0 ? { resource, by, attr: undefined } : undefined;
  if (resource.symbol !== by) return undefined;
  if (resource.rest.length === 0) return { resource, by, attr: undefined };
  const step = resource.rest[0]!;
  return resource.rest.length === 1 && 'attr' in step ? { resource, by, attr: step.attr } : undefined;
}

function sameKeys(a: InstanceKey[], b: InstanceKey[]): boolean {
  const norm = (keys: InstanceKey[]) => [...new Set(keys.map(keySuffix))].sort();
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

function listKeys(keys: InstanceKey[]): string {
  if (keys.length === 0) return 'none';
  const sorted = [...keys].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
  const shown = sorted.slice(0, 6).map((k) => (k === undefined ? 'no key' : typeof k === 'number' ? String(k) : JSON.stringify(k)));
  return sorted.length > 6 ? `${shown.join(', ')}, …` : shown.join(', ');
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

export function repetitionOf(r: { count: Json | undefined; forEach: Json | undefined } | undefined): Repetition | undefined {
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
