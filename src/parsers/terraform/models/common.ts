import type { Diagnostic, Span } from '../../../source/types.js';
import type { ParsedAttribute, ParsedBlock } from '../evaluate/parsed.js';
import type { ResourceInstance } from '../evaluate/types.js';
import { isObject, isUnknown, makeRef, unknown, type Unknown, type Value, type ValueObject } from '../../../source/value.js';

/** What a built-in module model is given: one instance of a `module` call, its inputs evaluated in the caller. */
export interface ModelContext {
  /** The evaluated value of an input the call sets; undefined when the call does not set it. */
  input(name: string): Value | undefined;
  /** Inputs the call sets (its arguments other than Terraform's meta-arguments). */
  inputNames: string[];
  /** `module.vpc`, `module.vpc[0]`, `module.net.module.vpc["a"]`: as the evaluator addresses module instances. */
  address: string;
  /** The `module` block. */
  block: ParsedBlock;
  /** The `module` blocks from the root module to and including this call. */
  callChain: ParsedBlock[];
  /** Region of the AWS provider configuration the call passes to the module. */
  region: Value;
  /** The module's major version to model. */
  major: number;
}

export interface ModelResult {
  instances: ResourceInstance[];
  outputs: Record<string, Value>;
  /** Resources (addresses without instance keys) whose number of instances is not known. */
  unknownExpansions: string[];
  diagnostics: Diagnostic[];
}

export type InputStatus = 'handled' | 'no-effect' | 'ignored' | 'not-an-input';

export interface ModuleModel {
  /** Registry address the model stands for, e.g. `terraform-aws-modules/vpc/aws`. */
  id: string;
  /**
   * The published releases the model covers, oldest first. The model is built per major (`ModelContext.major`); a
   * call is modelled as the release `terraform init` would install among these.
   */
  releases: readonly string[];
  /**
   * How the model treats an input in a major: `handled` (modelled), `no-effect` (an input of the module that changes
   * nothing the analysis looks at: names, tags, flow logs, subnet groups), `ignored` (an input of the module the model
   * does not reproduce) or `not-an-input` (the module has no such variable in that major; Terraform rejects the call).
   */
  inputStatus(name: string, major: number): InputStatus;
  build(ctx: ModelContext): ModelResult;
}

// ----- values -----

export type Maybe<T> = T | Unknown;

const TRUE_STRINGS = new Set(['true']);
const FALSE_STRINGS = new Set(['false']);

/** A bool input the way Terraform converts it (`"true"` is true); null or absent takes the default. */
export function toBool(v: Value | undefined, fallback: Maybe<boolean>, what: string): Maybe<boolean> {
  if (v === undefined || v === null) return fallback;
  if (isUnknown(v)) return v;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && TRUE_STRINGS.has(v)) return true;
  if (typeof v === 'string' && FALSE_STRINGS.has(v)) return false;
  return unknown(`${what} is not a bool`);
}

/** A list input (sets and tuples are arrays); null or absent takes the default. */
export function toList(v: Value | undefined, fallback: Maybe<Value[]>, what: string): Maybe<Value[]> {
  if (v === undefined || v === null) return fallback;
  if (isUnknown(v)) return v;
  if (Array.isArray(v)) return v;
  return unknown(`${what} is not a list`);
}

export function toMap(v: Value | undefined, fallback: Maybe<ValueObject>, what: string): Maybe<ValueObject> {
  if (v === undefined || v === null) return fallback;
  if (isUnknown(v)) return v;
  if (isObject(v)) return v;
  return unknown(`${what} is not a map`);
}

/** Boolean algebra over Maybe: a known operand that decides the result wins over an Unknown one. */
export function and(...xs: Array<Maybe<boolean>>): Maybe<boolean> {
  if (xs.some((x) => x === false)) return false;
  return xs.find(isUnknown) ?? true;
}

export function or(...xs: Array<Maybe<boolean>>): Maybe<boolean> {
  if (xs.some((x) => x === true)) return true;
  return xs.find(isUnknown) ?? false;
}

export function not(x: Maybe<boolean>): Maybe<boolean> {
  return isUnknown(x) ? x : !x;
}

/** `cond ? a : b` where an unknown condition gives an Unknown result (unless both branches agree). */
export function pick<T extends Value>(cond: Maybe<boolean>, a: Maybe<T>, b: Maybe<T>): Maybe<T> {
  if (cond === true) return a;
  if (cond === false) return b;
  if (!isUnknown(a) && !isUnknown(b) && JSON.stringify(a) === JSON.stringify(b)) return a;
  return cond;
}

export function len(xs: Maybe<Value[]>): Maybe<number> {
  return isUnknown(xs) ? xs : xs.length;
}

export function max(...ns: Array<Maybe<number>>): Maybe<number> {
  const u = ns.find(isUnknown);
  if (u) return u;
  return Math.max(...(ns as number[]));
}

export function gt(n: Maybe<number>, m: number): Maybe<boolean> {
  return isUnknown(n) ? n : n > m;
}

/** Terraform's element(): wraps around; an empty or unknown list gives Unknown. */
export function element(xs: Maybe<Value[]>, i: Maybe<number>, what: string): Value {
  if (isUnknown(xs)) return xs;
  if (isUnknown(i)) return i;
  if (xs.length === 0) return unknown(`${what} is empty, so the module cannot be planned`);
  return xs[i % xs.length]!;
}

/** Terraform's coalescelist() of two lists: the first non-empty one. */
export function coalesceList(a: Maybe<Value[]>, b: Maybe<Value[]>): Maybe<Value[]> {
  if (isUnknown(a)) return a;
  if (a.length > 0) return a;
  return b;
}

/** lookup(map, key, default) on an evaluated object (an Unknown map gives Unknown). */
export function lookup(m: Value | undefined, key: string, fallback: Value): Value {
  if (isUnknown(m)) return m;
  if (!isObject(m)) return fallback;
  const v = m[key];
  return v === undefined ? fallback : v;
}

/** try(obj.key, fallback): the attribute when the object has it and it is not null. */
export function tryAttr(m: Value | undefined, key: string, fallback: Value): Value {
  if (isUnknown(m)) return m;
  if (!isObject(m)) return fallback;
  const v = m[key];
  return v === undefined || v === null ? fallback : v;
}

// ----- instances -----

const LIT_NULL = { k: 'lit', v: null } as const;

/**
 * Collects the resource instances a model creates. Every instance points at the module call: its block header is the
 * call's header, and its attributes point at the inputs that decide them, so a finding lands on the call or on the
 * input line to change.
 */
export class InstanceSink {
  readonly instances: ResourceInstance[] = [];
  readonly unknownExpansions: string[] = [];
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly ctx: ModelContext,
    private readonly instanceRegion: Value,
  ) {}

  address(type: string, name: string, key?: number | string): string {
    const suffix = key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
    return `${this.ctx.address}.${type}.${name}${suffix}`;
  }

  ref(type: string, name: string, key: number | string | undefined, attribute = 'id'): string {
    return makeRef(this.address(type, name, key), attribute);
  }

  /** Refs to every instance of a counted resource that the sink holds, in index order (`aws_subnet.private[*].id`). */
  refs(type: string, name: string, attribute = 'id'): Maybe<Value[]> {
    const base = this.address(type, name);
    if (this.unknownExpansions.includes(base)) return unknown(`the number of ${base} instances is not known`);
    return this.instances.filter((i) => i.type === type && i.name === name && i.moduleAddress === this.ctx.address).map((i) => makeRef(i.address, attribute));
  }

  /** Creates `count` instances, or records the resource as of unknown number. */
  count(
    type: string,
    name: string,
    n: Maybe<number>,
    make: (i: number) => { values: ValueObject; drivers?: Record<string, string>; nested?: Record<string, string> },
  ): void {
    if (isUnknown(n)) {
      this.unknownExpansions.push(this.address(type, name));
      return;
    }
    for (let i = 0; i < n; i++) {
      const { values, drivers, nested } = make(i);
      this.add(type, name, i, values, drivers, nested);
    }
  }

  /** Creates one instance per key (for_each), or records the resource as of unknown number. */
  forEach(
    type: string,
    name: string,
    keys: Maybe<string[]>,
    make: (key: string) => { values: ValueObject; drivers?: Record<string, string>; nested?: Record<string, string> },
  ): void {
    if (isUnknown(keys)) {
      this.unknownExpansions.push(this.address(type, name));
      return;
    }
    for (const key of [...keys].sort()) {
      const { values, drivers, nested } = make(key);
      this.add(type, name, key, values, drivers, nested);
    }
  }

  /**
   * `drivers` maps resource attributes to the call inputs that set them (`cidr_block` → `private_subnets`); `nested`
   * does the same for nested block types, whose elements all point at the input.
   */
  add(
    type: string,
    name: string,
    key: number | string | undefined,
    values: ValueObject,
    drivers: Record<string, string> = {},
    nested: Record<string, string> = {},
  ): void {
    const call = this.ctx.block;
    const attributes: Record<string, ParsedAttribute> = {};
    for (const [attr, input] of Object.entries(drivers)) {
      const a = call.attributes[input];
      if (a) attributes[attr] = { name: attr, expr: LIT_NULL, span: a.span };
    }
    const nestedSpans: Record<string, Span[]> = {};
    for (const [blockType, input] of Object.entries(nested)) {
      const list = values[blockType];
      const a = call.attributes[input];
      if (a && Array.isArray(list)) nestedSpans[blockType] = list.map(() => a.span);
    }
    const block: ParsedBlock = {
      type: 'resource',
      labels: [type, name],
      attributes,
      blocks: [],
      span: call.span,
      headerSpan: call.headerSpan,
      file: call.file,
    };
    this.instances.push({
      mode: 'managed',
      type,
      name,
      address: this.address(type, name, key),
      moduleAddress: this.ctx.address,
      block,
      values,
      nestedSpans,
      region: this.instanceRegion,
      callChain: this.ctx.callChain,
    });
  }

  report(severity: Diagnostic['severity'], code: string, message: string): void {
    this.diagnostics.push({ severity, code, file: this.ctx.block.file, line: this.ctx.block.headerSpan.start.line, message });
  }
}

/** Values of `count`-style inputs: a known whole number, or Unknown. */
export function count(cond: Maybe<boolean>, n: Maybe<number>): Maybe<number> {
  if (cond === false) return 0;
  if (isUnknown(cond)) return n === 0 ? 0 : cond;
  return n;
}
