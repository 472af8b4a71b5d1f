import { internalReason } from '../../../source/internal-error.js';
import type { Diagnostic } from '../../../source/types.js';
import { evaluate, references, childScope, type Scope } from '../expr/index.js';
import { isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { runModel, type ModelRun } from '../models/index.js';
import { configuredNames, evaluateAttribute, evaluateBody, META_ARGUMENTS, nestedBlockDefinitions, nestedBlockView } from './body.js';
import { dataSourceValue } from './data-sources.js';
import { collectionValue, expansionOf, instancesOf, type Expansion, type ExpandedInstance } from './expansion.js';
import { lazyObject, instanceView, Memo } from './lazy.js';
import type { ModuleTree } from './module-tree.js';
import type { ParsedBlock } from './parsed.js';
import { ownRegion } from './resource-region.js';
import type { ResourceInstance } from './types.js';
import { convertToType, parseTypeConstraint } from './type-constraint.js';

/** Shared by every module instance of one root module. */
export interface Session {
  report(d: Diagnostic): void;
  memo: Memo;
  region?: string;
  /** Root variable values from tfvars files and flags, already evaluated. */
  rootVariables: Map<string, Value>;
  unknownExpansions: Set<string>;
}

const BUILTIN_ROOTS = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'count', 'each', 'self']);
const IGNORED_TOP_BLOCKS = new Set(['terraform', 'moved', 'import', 'removed', 'check']);

/** One instance of a module (the root, or one `module` call instance), evaluated lazily. */
export class ModuleInstance {
  readonly variables = new Map<string, ParsedBlock>();
  readonly locals = new Map<string, { block: ParsedBlock; name: string }>();
  readonly resources = new Map<string, ParsedBlock>(); // "type.name"
  readonly dataSources = new Map<string, ParsedBlock>();
  readonly moduleCalls = new Map<string, ParsedBlock>();
  readonly outputs = new Map<string, ParsedBlock>();
  readonly providers: ParsedBlock[] = [];
  readonly scope: Scope;
  private readonly children = new Map<string, ModuleInstance>();
  /** Module calls served by a built-in model, by call key (`vpc`, `vpc[0]`); 'pending' while being built. */
  private readonly modelled = new Map<string, ModelRun | 'pending'>();

  constructor(
    private readonly session: Session,
    readonly tree: ModuleTree,
    /** '' for the root, else `module.a` / `module.a["k"].module.b`. */
    readonly address: string,
    /** Input values for this module's variables, computed in the caller. Undefined for the root module. */
    private readonly inputs: ((name: string) => Value | undefined) | undefined,
    /** Provider configurations passed by the caller: local key (`aws`, `aws.west`) → key in the parent. */
    private readonly providerMap: Map<string, string>,
    readonly callChain: ParsedBlock[],
    private readonly parent: ModuleInstance | undefined,
  ) {
    for (const file of tree.source.files) {
      for (const block of file.blocks) this.index(block);
    }
    const roots = this.rootValues();
    this.scope = {
      lookup: (name: string) => {
        if (name in roots) return roots[name];
        if (!BUILTIN_ROOTS.has(name)) return this.resourceTypeValue(name);
        return undefined;
      },
    };
  }

  private index(block: ParsedBlock): void {
    const [a, b] = block.labels;
    switch (block.type) {
      case 'variable':
        if (a) this.variables.set(a, block);
        break;
      case 'locals':
        for (const name of Object.keys(block.attributes)) this.locals.set(name, { block, name });
        break;
      case 'resource':
        if (a && b) this.resources.set(`${a}.${b}`, block);
        break;
      case 'data':
        if (a && b) this.dataSources.set(`${a}.${b}`, block);
        break;
      case 'module':
        if (a) this.moduleCalls.set(a, block);
        break;
      case 'output':
        if (a) this.outputs.set(a, block);
        break;
      case 'provider':
        this.providers.push(block);
        break;
      default:
        if (!IGNORED_TOP_BLOCKS.has(block.type)) {
          this.session.report({
            severity: 'note',
            code: 'tf-unsupported-block',
            file: block.file,
            line: block.headerSpan.start.line,
            message: `Top-level block "${block.type}" is not evaluated.`,
          });
        }
    }
  }

  private key(kind: string, name: string): string {
    return `${this.address}|${kind}|${name}`;
  }

  private rootValues(): Record<string, Value> {
    const dir = this.tree.source.dir;
    return {
      var: lazyObject(this.variables.keys(), (n) => this.session.memo.get(this.key('var', n), () => this.variable(n))),
      local: lazyObject(this.locals.keys(), (n) => this.session.memo.get(this.key('local', n), () => this.local(n))),
      module: lazyObject(this.moduleCalls.keys(), (n) => this.session.memo.get(this.key('module', n), () => this.moduleValue(n))),
      data: this.dataValues(),
      path: { module: dir, root: this.rootDir(), cwd: this.rootDir() },
      terraform: { workspace: 'default' },
    };
  }

  private rootDir(): string {
    return this.parent ? this.parent.rootDir() : this.tree.source.dir;
  }

  private variable(name: string): Value {
    const block = this.variables.get(name)!;
    const typeAttr = block.attributes['type'];
    const type = typeAttr ? parseTypeConstraint(typeAttr.expr) : undefined;
    if (!type) return this.rawVariable(name, block);
    const evaluateDefault = (e: Parameters<typeof evaluate>[0]) =>
      evaluate(e, this.emptyScope(), { file: block.file, line: typeAttr!.span.start.line, report: this.session.report });
    return convertToType(this.rawVariable(name, block), type, evaluateDefault);
  }

  private rawVariable(name: string, block: ParsedBlock): Value {
    const given = this.inputs ? this.inputs(name) : this.session.rootVariables.get(name);
    const hasDefault = 'default' in block.attributes;
    const nullable = !('nullable' in block.attributes) || evaluateAttribute(block, 'nullable', this.emptyScope(), this.session.report) !== false;
    if (given !== undefined && !(given === null && !nullable && hasDefault)) return given;
    if (hasDefault) return evaluateAttribute(block, 'default', this.emptyScope(), this.session.report);
    if (this.inputs) {
      this.session.report({
        severity: 'error',
        code: 'tf-module-input-missing',
        file: this.callChain.at(-1)?.file ?? block.file,
        line: this.callChain.at(-1)?.headerSpan.start.line,
        message: `${this.address} does not set required variable "${name}".`,
      });
      return unknown(`variable ${name} is not set by ${this.address}`);
    }
    this.session.report({
      severity: 'note',
      code: 'tf-variable-unset',
      file: block.file,
      line: block.headerSpan.start.line,
      message: `Variable "${name}" has no default and no value from tfvars or --var; what depends on it is unknown.`,
    });
    return unknown(`variable ${name} has no value`);
  }

  private emptyScope(): Scope {
    return { lookup: () => undefined };
  }

  private local(name: string): Value {
    const { block } = this.locals.get(name)!;
    return evaluateAttribute(block, name, this.scope, this.session.report);
  }

  output(name: string): Value {
    const block = this.outputs.get(name);
    if (!block) return unknown(`${this.address || 'the root module'} has no output ${name}`);
    return this.session.memo.get(this.key('output', name), () => evaluateAttribute(block, 'value', this.scope, this.session.report));
  }

  // ----- resources and data sources -----

  expansion(kind: 'resource' | 'data' | 'module', name: string, block: ParsedBlock): Expansion {
    return this.session.memo.get(this.key(`${kind}-expansion`, name), () => {
      const e = expansionOf(block, this.scope, this.session.report);
      if (e.kind === 'unknown')
        this.session.unknownExpansions.add(this.qualify(kind === 'resource' ? name : kind === 'data' ? `data.${name}` : `module.${name}`));
      return e as unknown as Value;
    }) as unknown as Expansion;
  }

  qualify(local: string): string {
    return this.address ? `${this.address}.${local}` : local;
  }

  instanceScope(inst: ExpandedInstance): Scope {
    return Object.keys(inst.vars).length ? childScope(this.scope, inst.vars) : this.scope;
  }

  private resourceTypeValue(type: string): Value | undefined {
    const names = [...this.resources.keys()].filter((k) => k.startsWith(`${type}.`)).map((k) => k.slice(type.length + 1));
    if (names.length === 0) return undefined;
    return lazyObject(names, (name) => this.session.memo.get(this.key('resource', `${type}.${name}`), () => this.resourceValue(type, name)));
  }

  private resourceValue(type: string, name: string): Value {
    const block = this.resources.get(`${type}.${name}`)!;
    const expansion = this.expansion('resource', `${type}.${name}`, block);
    const configured = configuredNames(block);
    return collectionValue(expansion, (inst) => {
      const address = this.qualify(`${type}.${name}${inst.suffix}`);
      const scope = this.instanceScope(inst);
      return instanceView(
        configured,
        (attr) => {
          const v = evaluateBody(block, scope, this.session.report, attr).values[attr];
          if (v === undefined) return null;
          const defs = nestedBlockDefinitions(block, attr);
          return defs.length ? nestedBlockView(v, defs, `${address}.${attr}`) : v;
        },
        (attr) => (attr === 'id' || attr === 'arn' || attr.endsWith('_id') ? makeRef(address, attr) : unknown(`${address}.${attr} is known only after apply`)),
      );
    });
  }

  private dataValues(): ValueObject {
    const types = [...new Set([...this.dataSources.keys()].map((k) => k.split('.')[0]!))];
    return lazyObject(types, (type) => {
      const names = [...this.dataSources.keys()].filter((k) => k.startsWith(`${type}.`)).map((k) => k.slice(type.length + 1));
      return lazyObject(names, (name) => this.session.memo.get(this.key('data', `${type}.${name}`), () => this.dataValue(type, name)));
    });
  }

  private dataValue(type: string, name: string): Value {
    const block = this.dataSources.get(`${type}.${name}`)!;
    const expansion = this.expansion('data', `${type}.${name}`, block);
    return collectionValue(expansion, (inst) =>
      this.dataInstanceValue(type, block, this.qualify(`data.${type}.${name}${inst.suffix}`), this.instanceScope(inst)),
    );
  }

  private dataInstanceValue(type: string, block: ParsedBlock, address: string, scope: Scope): ValueObject {
    return this.session.memo.get(`${address}|data-value`, () =>
      dataSourceValue({ type, address, block, scope, region: this.providerRegion(this.providerKeyOf(block, type)), report: this.session.report }),
    ) as ValueObject;
  }

  // ----- providers -----

  providerKeyOf(block: ParsedBlock, type: string): string {
    const attr = block.attributes['provider'];
    const local = type.split('_')[0]!;
    if (!attr) return local;
    const ref = references(attr.expr)[0];
    return ref && ref.length >= 2 ? `${ref[0]}.${ref[1]}` : (ref?.[0] ?? local);
  }

  providerRegion(key: string): Value {
    return this.session.memo.get(this.key('provider-region', key), () => {
      const [local, alias] = key.split('.');
      const block = this.providers.find((p) => {
        if (p.labels[0] !== local) return false;
        const a = p.attributes['alias'] ? evaluateAttribute(p, 'alias', this.scope, this.session.report) : undefined;
        return alias === undefined ? a === undefined : a === alias;
      });
      if (block) {
        if (block.attributes['region']) {
          const r = evaluateAttribute(block, 'region', this.scope, this.session.report);
          if (isUnknown(r) && this.session.region) return this.session.region;
          return r;
        }
        return this.session.region ?? unknown('the provider region comes from the environment (use --region)');
      }
      if (this.parent) {
        const mapped = this.providerMap.get(key) ?? (alias === undefined ? key : undefined);
        if (mapped) return this.parent.providerRegion(mapped);
      }
      return this.session.region ?? unknown('the provider region comes from the environment (use --region)');
    });
  }

  // ----- module calls -----

  private moduleValue(name: string): Value {
    const block = this.moduleCalls.get(name)!;
    const child = this.tree.children.get(name);
    if (child && 'unresolved' in child && child.model) {
      const id = child.model.model.id;
      return collectionValue(this.expansion('module', name, block), (inst) => {
        const run = this.modelRun(name, inst);
        if (!run) return unknown(`module.${name} refers to itself`);
        const outputs = run.outputs;
        return new Proxy(outputs as ValueObject, {
          get: (t, prop) =>
            typeof prop !== 'string' ? undefined : prop in t ? t[prop] : unknown(`the built-in model of ${id} does not provide output ${prop}`),
          has: (_t, prop) => typeof prop === 'string',
        });
      });
    }
    if (!child || 'unresolved' in child) return unknown(`module.${name} is not available (${child && 'unresolved' in child ? child.reason : 'not found'})`);
    const expansion = this.expansion('module', name, block);
    return collectionValue(expansion, (inst) => {
      const instance = this.childInstance(name, inst);
      return instance ? lazyObject(instance.outputs.keys(), (o) => instance.output(o)) : unknown(`module.${name} is not available`);
    });
  }

  childInstance(name: string, inst: ExpandedInstance): ModuleInstance | undefined {
    const key = `${name}${inst.suffix}`;
    const existing = this.children.get(key);
    if (existing) return existing;
    const block = this.moduleCalls.get(name)!;
    const tree = this.tree.children.get(name);
    if (!tree || 'unresolved' in tree) return undefined;
    const scope = this.instanceScope(inst);
    const inputs = (variable: string): Value | undefined => {
      if (!(variable in block.attributes) || variable === 'source' || variable === 'version') return undefined;
      return evaluateAttribute(block, variable, scope, this.session.report);
    };
    const child = new ModuleInstance(this.session, tree, this.qualify(`module.${key}`), inputs, this.providersPassed(block), [...this.callChain, block], this);
    this.children.set(key, child);
    return child;
  }

  /**
   * The resources, outputs and diagnostics of one instance of a call served by a built-in model. Its inputs are
   * evaluated in this module's scope, as for a real module; undefined while it is being built (a reference cycle).
   */
  private modelRun(name: string, inst: ExpandedInstance): ModelRun | undefined {
    const key = `${name}${inst.suffix}`;
    const cached = this.modelled.get(key);
    if (cached === 'pending') return undefined;
    if (cached) return cached;
    const child = this.tree.children.get(name);
    if (!child || !('unresolved' in child) || !child.model) return undefined;
    const block = this.moduleCalls.get(name)!;
    const scope = this.instanceScope(inst);
    const inputNames = Object.keys(block.attributes).filter((n) => !META_ARGUMENTS.has(n));
    const values = new Map<string, Value>();
    const input = (n: string): Value | undefined => {
      if (!inputNames.includes(n)) return undefined;
      if (!values.has(n)) values.set(n, evaluateAttribute(block, n, scope, this.session.report));
      return values.get(n);
    };
    this.modelled.set(key, 'pending');
    const address = this.qualify(`module.${key}`);
    let run: ModelRun;
    try {
      const region = this.providerRegion(this.providersPassed(block).get('aws') ?? 'aws');
      run = runModel(child.model.model, { input, inputNames, address, block, callChain: [...this.callChain, block], region }, child.model.majors);
    } catch (e) {
      // A model that fails loses its call, not the scan: the call is then as unknown as an unmodelled one.
      this.session.report({
        severity: 'error',
        code: 'tf-internal-error',
        file: block.file,
        line: block.headerSpan.start.line,
        message: `The built-in model of ${child.model.model.id} failed on module "${name}": ${internalReason(e)}.`,
      });
      run = { instances: [], outputs: {}, unknownExpansions: [address], diagnostics: [], differences: [] };
    }
    this.modelled.set(key, run);
    run.unknownExpansions.forEach((a) => this.session.unknownExpansions.add(a));
    run.diagnostics.forEach((d) => this.session.report(d));
    if (run.differences.length) {
      const shown = run.differences.slice(0, 5).join(', ');
      const more = run.differences.length > 5 ? ` and ${run.differences.length - 5} more` : '';
      this.session.report({
        severity: 'note',
        code: 'tf-module-model-version',
        file: block.file,
        line: block.headerSpan.start.line,
        message: `module "${name}": the majors its version constraint allows (${child.model.majors.map((m) => `${m}.x`).join(', ')}) build this call differently (${shown}${more}); those parts are unknown. Pin one major, or run \`terraform init -backend=false\`, to analyse them.`,
      });
    }
    return run;
  }

  /** `providers = { aws = aws.west }` → Map { 'aws' → 'aws.west' }. */
  private providersPassed(block: ParsedBlock): Map<string, string> {
    const map = new Map<string, string>();
    const attr = block.attributes['providers'];
    if (!attr) return map;
    const marker = (local: string): ValueObject =>
      new Proxy({ __provider: local } as ValueObject, {
        get: (t, p) => (p === '__provider' ? t['__provider'] : typeof p === 'string' ? `${local}.${p}` : undefined),
      });
    const scope: Scope = { lookup: (n) => marker(n) };
    const v = evaluate(attr.expr, scope, { file: attr.file ?? block.file, line: attr.span.start.line, report: () => {} });
    if (v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v)) {
      for (const [k, target] of Object.entries(v as ValueObject)) {
        if (typeof target === 'string') map.set(k, target);
        else if (target && typeof target === 'object' && '__provider' in target) map.set(k, String((target as ValueObject)['__provider']));
      }
    }
    return map;
  }

  // ----- expansion into instances for the graph -----

  collectInstances(out: ResourceInstance[]): void {
    for (const [key, block] of [...this.resources].sort(([a], [b]) => a.localeCompare(b))) this.collect('managed', key, block, out);
    for (const [key, block] of [...this.dataSources].sort(([a], [b]) => a.localeCompare(b))) this.collect('data', key, block, out);
    for (const [name, block] of [...this.moduleCalls].sort(([a], [b]) => a.localeCompare(b))) {
      const tree = this.tree.children.get(name);
      if (tree && 'unresolved' in tree && tree.model) {
        for (const inst of instancesOf(this.expansion('module', name, block))) out.push(...(this.modelRun(name, inst)?.instances ?? []));
        continue;
      }
      if (!tree || 'unresolved' in tree) continue;
      for (const inst of instancesOf(this.expansion('module', name, block))) this.childInstance(name, inst)?.collectInstances(out);
    }
  }

  private collect(mode: 'managed' | 'data', key: string, block: ParsedBlock, out: ResourceInstance[]): void {
    const [type, name] = [block.labels[0]!, block.labels[1]!];
    const expansion = this.expansion(mode === 'managed' ? 'resource' : 'data', key, block);
    for (const inst of instancesOf(expansion)) {
      const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}${inst.suffix}`;
      const address = this.qualify(local);
      const scope = this.instanceScope(inst);
      const body = evaluateBody(block, scope, this.session.report);
      const values = mode === 'data' ? { ...body.values, ...plain(this.dataInstanceValue(type, block, address, scope)) } : body.values;
      out.push({
        mode,
        type,
        name,
        address,
        moduleAddress: this.address,
        block,
        values,
        nestedSpans: body.nestedSpans,
        region: ownRegion(type, values, () => this.providerRegion(this.providerKeyOf(block, type))),
        callChain: this.callChain,
      });
    }
  }
}

/** Copies an object that may be a proxy into a plain object of its own keys. */
function plain(v: ValueObject): ValueObject {
  const out: ValueObject = {};
  for (const k of Object.keys(v)) out[k] = v[k]!;
  return out;
}
