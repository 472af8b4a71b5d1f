import { childScope, evaluate, type Expr, type Scope } from '../expr/index.js';
import { containsUnknown, isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { expansionOf, instancesOf, type ExpandedInstance } from '../evaluate/expansion.js';
import { lazyObject, Memo } from '../evaluate/lazy.js';
import type { ParsedBlock } from '../evaluate/parsed.js';
import { convertToType, parseTypeConstraint } from '../evaluate/type-constraint.js';
import { moduleSteps, type PlanDocument, type PlannedResource } from './document.js';
import { hasOwn, isJsonObject, type Json } from '../../../source/json-tree.js';
import { matchBlock, type ConfigLocator, type LocatedModule } from './locate.js';
import { configAddress, isIdentityAttribute, LINKABLE_DATA, qualify } from './resolve.js';
import { fromJson, known } from './values.js';

/**
 * When the `.tf` files of a plan are at hand, an attribute the plan knows only after apply can be computed from the
 * expression as written (`aws_subnet.private["private-${each.key}"].id`, `element(aws_route_table.private[*].id, 0)`)
 * against the plan's own instances, which the configuration representation's bare reference lists cannot express.
 * Resource attributes read the plan's values; those known only after apply are references (identity attributes) or
 * Unknown, exactly as the HCL evaluator treats resources that do not exist yet. A result is used only when it holds no
 * Unknown; otherwise what the configuration representation gave stands.
 */

const silent = () => {};
const BUILTIN = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'count', 'each', 'self']);

export class HclRecovery {
  private readonly scopes = new Map<string, ModuleScope | undefined>();
  private readonly byResource = new Map<string, PlannedResource[]>();
  readonly memo = new Memo(silent);

  constructor(
    readonly doc: PlanDocument,
    readonly locator: ConfigLocator,
  ) {
    for (const r of doc.resources) {
      const key = `${r.moduleAddress}|${configAddress(r.mode, r.type, r.name)}`;
      (this.byResource.get(key) ?? this.byResource.set(key, []).get(key)!).push(r);
    }
  }

  instancesOf(moduleAddress: string, local: string): PlannedResource[] {
    return this.byResource.get(`${moduleAddress}|${local}`) ?? [];
  }

  moduleScope(address: string): ModuleScope | undefined {
    if (this.scopes.has(address)) return this.scopes.get(address);
    const located = this.locator.module(moduleSteps(address).map((s) => s.name));
    const scope = located ? new ModuleScope(this, address, located) : undefined;
    this.scopes.set(address, scope);
    return scope;
  }

  /** Replaces what is Unknown in `values` by what the written expressions compute, where they compute it fully. */
  recover(r: PlannedResource, block: ParsedBlock, values: ValueObject): void {
    const module = this.moduleScope(r.moduleAddress);
    if (!module) return;
    const scope = module.instanceScope(block, r.index);
    const compute = (expr: Expr): Value | undefined => {
      const v = evaluate(expr, scope, { file: block.file, report: silent });
      return containsUnknown(v) ? undefined : v;
    };
    for (const [name, current] of Object.entries(values)) {
      if (!containsUnknown(current)) continue;
      const attr = block.attributes[name];
      if (attr) {
        const v = compute(attr.expr);
        if (v !== undefined) values[name] = v;
        continue;
      }
      if (!Array.isArray(current)) continue;
      const children = block.blocks.filter((b) => b.type === name);
      if (children.length === 0 || block.blocks.some((b) => b.type === 'dynamic' && b.labels[0] === name)) continue;
      current.forEach((element) => {
        if (!isObject(element) || !containsUnknown(element)) return;
        const child = matchBlock(children, element, current.length);
        if (!child) return;
        for (const [leaf, v] of Object.entries(element)) {
          const childAttr = child.attributes[leaf];
          if (!isUnknown(v) || !childAttr) continue;
          const computed = compute(childAttr.expr);
          if (computed !== undefined) element[leaf] = computed;
        }
      });
    }
  }
}

/** The names an expression in one module instance sees, backed by the plan. */
class ModuleScope {
  readonly scope: Scope;
  private readonly variables = new Map<string, ParsedBlock>();
  private readonly locals = new Map<string, ParsedBlock>();
  private readonly outputs = new Map<string, ParsedBlock>();

  constructor(
    private readonly recovery: HclRecovery,
    readonly address: string,
    readonly located: LocatedModule,
  ) {
    for (const b of located.blocks) {
      const label = b.labels[0];
      if (b.type === 'variable' && label) this.variables.set(label, b);
      else if (b.type === 'output' && label) this.outputs.set(label, b);
      else if (b.type === 'locals') for (const name of Object.keys(b.attributes)) this.locals.set(name, b);
    }
    const root = this.moduleRoot();
    const roots: Record<string, Value> = {
      var: lazyObject(this.variables.keys(), (n) => this.memoized(`var.${n}`, () => this.variable(n))),
      local: lazyObject(this.locals.keys(), (n) => this.memoized(`local.${n}`, () => this.evaluate(this.locals.get(n)!.attributes[n]!.expr, this.scope))),
      module: lazyObject(located.calls.keys(), (n) => this.memoized(`module.${n}`, () => this.moduleValue(n))),
      data: this.dataValues(),
      path: { module: located.dir, root, cwd: root },
      terraform: { workspace: 'default' },
    };
    this.scope = {
      lookup: (name) => {
        if (Object.prototype.hasOwnProperty.call(roots, name)) return roots[name];
        if (BUILTIN.has(name)) return undefined;
        return this.resourceTypeValue(name);
      },
    };
  }

  private moduleRoot(): string {
    return this.recovery.locator.module([])?.dir ?? this.located.dir;
  }

  private memoized(key: string, compute: () => Value): Value {
    return this.recovery.memo.get(`${this.address}|${key}`, compute);
  }

  private evaluate(expr: Expr, scope: Scope): Value {
    return evaluate(expr, scope, { file: this.located.dir, report: silent });
  }

  /** `count.index` / `each.key` / `each.value` of a resource instance. */
  instanceScope(block: ParsedBlock, index: number | string | undefined): Scope {
    if (index === undefined) return this.scope;
    if (block.attributes['count'] && typeof index === 'number') return childScope(this.scope, { count: { index } });
    const forEach = block.attributes['for_each'];
    if (forEach && typeof index === 'string')
      return childScope(this.scope, { each: { key: index, value: eachValue(this.evaluate(forEach.expr, this.scope), index) } });
    return this.scope;
  }

  private variable(name: string): Value {
    const block = this.variables.get(name)!;
    const steps = moduleSteps(this.address);
    let given: Value | undefined;
    if (steps.length === 0) {
      const v = this.recovery.doc.variables.get(name);
      if (v !== undefined) given = fromJson(v);
    } else {
      const last = steps.at(-1)!;
      const parent = this.recovery.moduleScope(steps.at(-2)?.address ?? '');
      const call = parent?.located.calls.get(last.name);
      const attr = call?.attributes[name];
      if (!parent || !call) return unknown(`the call of ${this.address} is not in the configuration files`);
      if (attr) given = this.evaluate(attr.expr, parent.callInstanceScope(call, last.key));
    }
    const empty: Scope = { lookup: () => undefined };
    if (given === undefined || given === null) {
      const d = block.attributes['default'];
      if (!d) return given === null ? null : unknown(`variable ${name} has no value`);
      given = this.evaluate(d.expr, empty);
    }
    const typeAttr = block.attributes['type'];
    const type = typeAttr ? parseTypeConstraint(typeAttr.expr) : undefined;
    return type ? convertToType(given, type, (e) => this.evaluate(e, empty)) : given;
  }

  /** The scope of a `module` block's arguments for one instance of the call. */
  callInstanceScope(call: ParsedBlock, key: number | string | undefined): Scope {
    return this.instanceScope(call, key);
  }

  private moduleValue(name: string): Value {
    const call = this.located.calls.get(name)!;
    const expansion = expansionOf(call, this.scope, silent);
    const instances = instancesOf(expansion);
    const outputsOf = (inst: ExpandedInstance): Value => {
      const child = this.recovery.moduleScope(qualify(this.address, `module.${name}${inst.suffix}`));
      if (!child) return unknown(`module.${name} is not in the configuration files`);
      return lazyObject(child.outputs.keys(), (o) => child.output(o));
    };
    switch (expansion.kind) {
      case 'single':
        return outputsOf(instances[0]!);
      case 'count':
        return instances.map(outputsOf);
      case 'for_each': {
        const out: ValueObject = {};
        expansion.entries.forEach(([key], i) => (out[key] = outputsOf(instances[i]!)));
        return out;
      }
      case 'unknown':
        return unknown(expansion.reason);
    }
  }

  output(name: string): Value {
    return this.memoized(`output.${name}`, () => {
      const value = this.outputs.get(name)?.attributes['value'];
      return value ? this.evaluate(value.expr, this.scope) : unknown(`output ${name} has no value`);
    });
  }

  private resourceTypeValue(type: string): Value | undefined {
    const names = [...this.located.resources.keys()].filter((k) => k.startsWith(`${type}.`)).map((k) => k.slice(type.length + 1));
    if (names.length === 0) return undefined;
    return lazyObject(names, (n) => this.memoized(`${type}.${n}`, () => this.collection(configAddress('managed', type, n))));
  }

  private dataValues(): ValueObject {
    const keys = [...this.located.resources.keys()].filter((k) => k.startsWith('data.')).map((k) => k.slice(5));
    const types = [...new Set(keys.map((k) => k.split('.')[0]!))];
    return lazyObject(types, (type) =>
      lazyObject(
        keys.filter((k) => k.startsWith(`${type}.`)).map((k) => k.slice(type.length + 1)),
        (n) => this.memoized(`data.${type}.${n}`, () => this.collection(configAddress('data', type, n))),
      ),
    );
  }

  /** A resource as expressions see it: one instance, a list (count) or a map (for_each), from the plan. */
  private collection(local: string): Value {
    const block = this.located.resources.get(local)!;
    const instances = this.recovery.instancesOf(this.address, local);
    if (block.attributes['count']) {
      const byIndex = new Map(instances.map((i) => [i.index, i]));
      const out: Value[] = [];
      for (let n = 0; n < instances.length; n++) {
        const i = byIndex.get(n);
        if (!i) return unknown(`the instances of ${qualify(this.address, local)} in the plan are not 0 to ${instances.length - 1}`);
        out.push(this.view(i));
      }
      return out;
    }
    if (block.attributes['for_each']) {
      const out: ValueObject = {};
      for (const i of instances) if (typeof i.index === 'string') out[i.index] = this.view(i);
      return out;
    }
    const only = instances.find((i) => i.index === undefined);
    return only ? this.view(only) : unknown(`${qualify(this.address, local)} is not in the plan`);
  }

  /** An instance's attributes: known ones from the plan; identity ones known only after apply as references. */
  private view(r: PlannedResource): ValueObject {
    const change = this.recovery.doc.changes.get(r.address);
    const afterUnknown = r.origin === 'planned_values' && isJsonObject(change?.afterUnknown) ? change!.afterUnknown : undefined;
    const read = (attr: string): Value => {
      const unk: Json | undefined = afterUnknown && hasOwn(afterUnknown, attr) ? afterUnknown[attr] : undefined;
      if (hasOwn(r.values, attr) && !containsTrue(unk)) return known(r.values[attr]!, true);
      if (unk === undefined && change && r.origin === 'planned_values') return null;
      if (r.mode === 'data' && !LINKABLE_DATA.has(r.type)) return unknown(`${r.address}.${attr} is read from AWS during apply`);
      return isIdentityAttribute(attr) ? makeRef(r.address, attr) : unknown(`${r.address}.${attr} is known only after apply`);
    };
    const cache = new Map<string, Value>();
    return new Proxy({} as ValueObject, {
      get: (_t, prop) => {
        if (typeof prop !== 'string') return undefined;
        if (!cache.has(prop)) cache.set(prop, read(prop));
        return cache.get(prop);
      },
      has: (_t, prop) => typeof prop === 'string',
      ownKeys: () => Object.keys(r.values).sort(),
      getOwnPropertyDescriptor: (_t, prop) =>
        typeof prop === 'string' ? { enumerable: true, configurable: true, writable: false, value: read(prop) } : undefined,
    });
  }
}

function eachValue(forEach: Value, key: string): Value {
  if (isObject(forEach)) return Object.prototype.hasOwnProperty.call(forEach, key) ? forEach[key]! : unknown(`for_each has no key ${JSON.stringify(key)}`);
  if (Array.isArray(forEach)) return key;
  return unknown('for_each is not known');
}

function containsTrue(v: Json | undefined): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(containsTrue);
  if (isJsonObject(v)) return Object.values(v).some(containsTrue);
  return false;
}
