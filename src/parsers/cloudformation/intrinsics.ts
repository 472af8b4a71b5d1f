import { BudgetExceeded, EvalBudget, type EvalLimits } from '../../source/budget.js';
import { displaySymbolic, isSymbolicRegion, mentionsSymbolicRegion, SYMBOLIC_REGION } from '../../source/region.js';
import type { Diagnostic, DiagnosticSeverity, Span } from '../../source/types.js';
import {
  containsUnknown,
  displayValue,
  isObject,
  isRef,
  isUnknown,
  makeRef,
  parseRef,
  unknown,
  type Unknown,
  type Value,
  type ValueObject,
} from '../../source/value.js';
import { firstRef, firstUnknown, numberToString, setKey, valuesEqual } from '../../source/values.js';
import { cidrBlocks } from './cidr.js';
import { availabilityZones } from './regions.js';
import { partitionOf } from '../../facts/regions.js';
import { SHORT_FORM_TAGS, type CfnMap, type CfnNode } from './tree.js';

/** `Ref: AWS::NoValue`: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Result = Value | typeof NO_VALUE;

/** Where property spans are written while a value is evaluated. */
export interface SpanRecorder {
  spans: Record<string, Span>;
  path: string;
}

export interface ResourceInfo {
  type: string;
  /** The resource's own Condition value: false when it is not created. */
  exists(): boolean | Unknown;
  /** A property's evaluated value, for the few functions that must look into a resource (`Fn::Cidr` of a VPC's CidrBlock). */
  property(name: string): Value | undefined;
}

export interface EvaluatorContext {
  file: string;
  region: string;
  accountId?: string;
  parameters: Map<string, Value>;
  resources: Map<string, ResourceInfo>;
  conditions: Map<string, CfnNode>;
  mappings: CfnMap | undefined;
  report(d: Diagnostic): void;
  /** Told the top-level keys of a mapping looked up by `AWS::Region` while the region is symbolic. */
  regionLookup?(keys: string[]): void;
  /** Whether a name no section defines is the logical id of a resource the SAM transform generates. */
  samGenerated?(name: string): boolean;
  /** Evaluation limits for the template (defaults: `DEFAULT_LIMITS`). */
  limits?: Partial<EvalLimits>;
}

/** Deepest chain of nested evaluations (functions within functions, conditions naming conditions). */
const MAX_EVAL_DEPTH = 400;

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const SHORT_FORMS = new Set<string>(SHORT_FORM_TAGS);

/** The intrinsic a tag names: `!Ref` → `Ref`, `!Condition` → `Condition`, `!Sub` → `Fn::Sub`; undefined for other tags. */
export function functionOfTag(tag: string): string | undefined {
  const name = tag.startsWith('!') ? tag.slice(1) : tag;
  if (!SHORT_FORMS.has(name)) return undefined;
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** The function a single-key mapping calls (`{ "Ref": … }`, `{ "Fn::Join": … }`), if it is one. */
export function intrinsicOfMap(node: CfnMap): string | undefined {
  if (node.entries.length !== 1) return undefined;
  const key = node.entries[0]!.key;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

function untagged(node: CfnNode): CfnNode {
  const { tag: _tag, ...rest } = node;
  return rest as CfnNode;
}

/** A scalar as CloudFormation reads it in string contexts; undefined for lists, objects and null. */
function scalarText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

function display(v: Value): string {
  const s = displayValue(v);
  return mentionsSymbolicRegion(s) ? displaySymbolic(s) : s;
}

function afterDeployment(ref: string): Unknown {
  return unknown(`${display(ref)} is known only after deployment`);
}

/**
 * CloudFormation compares scalars as strings. A reference equals itself and nothing else decidable; a string with the
 * symbolic region equals only the same string.
 */
export function cfnEquals(a: Value, b: Value): boolean | Unknown {
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    if (a.length !== b.length) return false;
    let pending: Unknown | undefined;
    for (let i = 0; i < a.length; i++) {
      const r = cfnEquals(a[i]!, b[i]!);
      if (r === false) return false;
      if (r !== true) pending ??= r;
    }
    return pending ?? true;
  }
  if (isObject(a) || isObject(b)) return valuesEqual(a, b);
  if (a === null || b === null) return a === b;
  const ta = scalarText(a)!;
  const tb = scalarText(b)!;
  if (ta === tb) return true;
  if (isRef(ta)) return afterDeployment(ta);
  if (isRef(tb)) return afterDeployment(tb);
  if (mentionsSymbolicRegion(ta) || mentionsSymbolicRegion(tb)) {
    return unknown(`comparing ${display(ta)} with ${display(tb)} depends on the region, which is not given (--region)`);
  }
  return false;
}

/** Sets a property even when the key is `__proto__`, which plain assignment would turn into a prototype change. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

export class Evaluator {
  private depth = 0;
  private depthReported = false;
  private readonly conditionCache = new Map<string, boolean | Unknown>();
  private readonly conditionsInProgress = new Set<string>();
  /** Names given to Fn::ImportValue, for one summary note. */
  readonly imports = new Set<string>();

  /** Steps and string lengths of the whole template: an alias-multiplied or self-joining template stops here. */
  private readonly budget: EvalBudget;

  constructor(private readonly ctx: EvaluatorContext) {
    this.budget = new EvalBudget(ctx.limits, ctx.report, 'cfn-limit-exceeded');
  }

  private report(severity: DiagnosticSeverity, code: string, message: string, at: CfnNode | Span | undefined): void {
    const span = at === undefined ? undefined : 'kind' in at ? at.span : at;
    const d: Diagnostic = { severity, code, file: this.ctx.file, message };
    if (span) {
      d.line = span.start.line;
      d.column = span.start.column;
    }
    this.ctx.report(d);
  }

  private invalid(fn: string, message: string, at: CfnNode): Unknown {
    this.report('warning', 'cfn-invalid-intrinsic', `${fn}: ${message}`, at);
    return unknown(`${fn}: ${message}`);
  }

  /** Evaluates a template value. `rec` collects the spans of mapping entries and sequence items under it. */
  evaluate(node: CfnNode, rec?: SpanRecorder): Result {
    if (this.depth >= MAX_EVAL_DEPTH) {
      if (!this.depthReported) {
        this.depthReported = true;
        this.report('warning', 'cfn-nesting-too-deep', `Evaluation nests deeper than ${MAX_EVAL_DEPTH} levels; the value is unknown.`, node);
      }
      return unknown('evaluation nests too deeply');
    }
    const budget = this.budget;
    if (++budget.steps > budget.maxSteps) return budget.exceeded(new BudgetExceeded('maxSteps', budget.steps), this.ctx.file, node.span.start.line);
    this.depth++;
    try {
      return this.evaluateInner(node, rec);
    } finally {
      this.depth--;
    }
  }

  /** Evaluates where a value is required: `AWS::NoValue` reads as null. */
  value(node: CfnNode): Value {
    const r = this.evaluate(node);
    return r === NO_VALUE ? null : r;
  }

  private evaluateInner(node: CfnNode, rec: SpanRecorder | undefined): Result {
    if (node.tag) {
      const fn = functionOfTag(node.tag);
      if (!fn) {
        this.report('warning', 'cfn-unsupported-function', `Tag ${node.tag} is not a CloudFormation intrinsic function; the value is unknown.`, node);
        return unknown(`tag ${node.tag} is not supported`);
      }
      return this.call(fn, untagged(node), node, rec);
    }
    switch (node.kind) {
      case 'scalar':
        return node.value;
      case 'seq': {
        const out: Value[] = [];
        for (const item of node.items) {
          const path = rec ? `${rec.path}[${out.length}]` : '';
          const r = this.evaluate(item, rec && { spans: rec.spans, path });
          if (r === NO_VALUE) continue;
          if (rec) setOwn(rec.spans, path, item.span);
          out.push(r);
        }
        return out;
      }
      case 'map': {
        const fn = intrinsicOfMap(node);
        if (fn) return this.call(fn, node.entries[0]!.value, node, rec);
        const out: ValueObject = {};
        for (const entry of node.entries) {
          if (entry.key === 'Fn::Transform') {
            this.transform(entry.value, entry.value);
            continue;
          }
          if (entry.key.startsWith('Fn::')) {
            this.report('warning', 'cfn-unsupported-function', `${entry.key} beside other keys is not evaluated; the entry was left out.`, entry.keySpan);
            continue;
          }
          const path = rec ? (rec.path ? `${rec.path}.${entry.key}` : entry.key) : '';
          const r = this.evaluate(entry.value, rec && { spans: rec.spans, path });
          if (r === NO_VALUE) continue;
          if (rec) setOwn(rec.spans, path, entry.span);
          setKey(out, entry.key, r);
        }
        return out;
      }
    }
  }

  private call(fn: string, arg: CfnNode, at: CfnNode, rec: SpanRecorder | undefined): Result {
    switch (fn) {
      case 'Ref':
        return this.ref(arg, at);
      case 'Fn::GetAtt':
        return this.getAtt(arg, at);
      case 'Fn::Sub':
        return this.sub(arg, at);
      case 'Fn::Join':
        return this.join(arg, at);
      case 'Fn::Select':
        return this.select(arg, at);
      case 'Fn::Split':
        return this.split(arg, at);
      case 'Fn::If':
        return this.fnIf(arg, at, rec);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
      case 'Condition':
        return this.conditionFunction(fn, arg, at);
      case 'Fn::FindInMap':
        return this.findInMap(arg, at);
      case 'Fn::Base64':
        return this.base64(arg);
      case 'Fn::Cidr':
        return this.cidr(arg, at);
      case 'Fn::GetAZs':
        return this.getAZs(arg, at);
      case 'Fn::ImportValue':
        return this.importValue(arg);
      case 'Fn::Transform':
        return this.transform(arg, at);
      case 'Fn::ToJsonString':
        return this.toJsonString(arg, at);
      case 'Fn::Length':
        return this.length(arg, at);
      default:
        this.report('warning', 'cfn-unsupported-function', `${fn} is not supported; the value is unknown.`, at);
        return unknown(`${fn} is not supported`);
    }
  }

  /** The elements of a function's argument list, or undefined (reported) when it is not a list of `min`–`max` items. */
  private args(fn: string, arg: CfnNode, at: CfnNode, min: number, max = min): CfnNode[] | undefined {
    if (arg.kind !== 'seq' || arg.tag) {
      this.invalid(fn, `expects a list of ${min === max ? min : `${min}–${max}`} arguments`, at);
      return undefined;
    }
    if (arg.items.length < min || arg.items.length > max) {
      this.invalid(fn, `expects ${min === max ? min : `${min}–${max}`} arguments, not ${arg.items.length}`, at);
      return undefined;
    }
    return arg.items;
  }

  /** A name argument written literally (or computed to a string). */
  private nameOf(arg: CfnNode): string | Unknown | undefined {
    if (arg.kind === 'scalar' && !arg.tag) return arg.value === null ? undefined : String(arg.value);
    const v = this.value(arg);
    if (isUnknown(v)) return v;
    return typeof v === 'string' && !isRef(v) ? v : undefined;
  }

  // ---- Ref and Fn::GetAtt -------------------------------------------------------------------------------------

  private ref(arg: CfnNode, at: CfnNode): Result {
    const name = this.nameOf(arg);
    if (isUnknown(name)) return name;
    if (name === undefined) return this.invalid('Ref', 'expects the name of a parameter or resource', at);
    return this.resolveName(name, at, 'Ref');
  }

  /** What `Ref: name` gives (also `${name}` in Fn::Sub). */
  private resolveName(name: string, at: CfnNode, fn: string): Result {
    if (PSEUDO_PARAMETERS.has(name)) return this.pseudo(name);
    const param = this.ctx.parameters.get(name);
    if (param !== undefined) return param;
    const resource = this.ctx.resources.get(name);
    if (resource) return this.resourceRef(name, 'Ref', resource, at, fn);
    if (this.ctx.samGenerated?.(name)) return this.samGeneratedRef(name, at, fn);
    this.report('warning', 'cfn-invalid-reference', `${fn} names "${name}", which is neither a parameter, a resource nor a pseudo parameter.`, at);
    return unknown(`"${name}" is not defined`);
  }

  /** A name the SAM transform generates: the resource exists only after the transform runs, so its value is unknown. */
  private samGeneratedRef(name: string, at: CfnNode, fn: string): Unknown {
    this.report(
      'note',
      'cfn-sam-generated-reference',
      `${fn} names "${name}", a resource the SAM transform generates; the transform is not expanded, so its value is unknown.`,
      at,
    );
    return unknown(`"${name}" is generated by the SAM transform`);
  }

  private resourceRef(name: string, attribute: string, resource: ResourceInfo, at: CfnNode, fn: string): Value {
    if (resource.exists() === false) {
      this.report('warning', 'cfn-invalid-reference', `${fn} names resource "${name}", whose Condition is false, so it is not created.`, at);
      return unknown(`resource ${name} is not created (its Condition is false)`);
    }
    return makeRef(name, attribute);
  }

  private pseudo(name: string): Result {
    const region = this.ctx.region;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return this.ctx.accountId ?? unknown('AWS::AccountId is known only at deployment');
      case 'AWS::Partition':
        return partitionOf(region)?.partition ?? unknown('AWS::Partition depends on the region, which is not given (--region)');
      case 'AWS::URLSuffix': {
        if (isSymbolicRegion(region)) return unknown('AWS::URLSuffix depends on the region, which is not given (--region)');
        return partitionOf(region)?.urlSuffix ?? unknown(`the URL suffix of ${region} is not known`);
      }
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return unknown(`${name} is known only at deployment`);
    }
  }

  private getAtt(arg: CfnNode, at: CfnNode): Result {
    let resourceName: string;
    let attribute: string | Unknown | undefined;
    if (arg.kind === 'scalar' && !arg.tag && typeof arg.value === 'string') {
      const dot = arg.value.indexOf('.');
      if (dot <= 0 || dot === arg.value.length - 1) return this.invalid('Fn::GetAtt', `"${arg.value}" is not of the form Resource.Attribute`, at);
      resourceName = arg.value.slice(0, dot);
      attribute = arg.value.slice(dot + 1);
    } else {
      const items = this.args('Fn::GetAtt', arg, at, 2);
      if (!items) return unknown('Fn::GetAtt is malformed');
      const name = this.nameOf(items[0]!);
      if (isUnknown(name)) return name;
      if (name === undefined) return this.invalid('Fn::GetAtt', 'expects a resource name', at);
      resourceName = name;
      attribute = this.nameOf(items[1]!);
      if (isUnknown(attribute)) return attribute;
      if (attribute === undefined) return this.invalid('Fn::GetAtt', 'expects an attribute name', at);
    }
    return this.attributeRef(resourceName, attribute, at, 'Fn::GetAtt');
  }

  private attributeRef(resourceName: string, attribute: string, at: CfnNode, fn: string): Value {
    const resource = this.ctx.resources.get(resourceName);
    if (resource) return this.resourceRef(resourceName, attribute, resource, at, fn);
    if (!this.ctx.parameters.has(resourceName) && !PSEUDO_PARAMETERS.has(resourceName) && this.ctx.samGenerated?.(resourceName))
      return this.samGeneratedRef(`${resourceName}.${attribute}`, at, fn);
    const what =
      this.ctx.parameters.has(resourceName) || PSEUDO_PARAMETERS.has(resourceName) ? 'a parameter, which has no attributes' : 'not a resource of this template';
    this.report('warning', 'cfn-invalid-reference', `${fn} names "${resourceName}.${attribute}", but "${resourceName}" is ${what}.`, at);
    return unknown(`"${resourceName}" is not a resource`);
  }

  // ---- strings and lists ---------------------------------------------------------------------------------------

  private sub(arg: CfnNode, at: CfnNode): Result {
    let template: string;
    let varsNode: CfnMap | undefined;
    if (arg.kind === 'scalar' && !arg.tag) {
      if (typeof arg.value !== 'string') return this.invalid('Fn::Sub', 'expects a string', at);
      template = arg.value;
    } else if (arg.kind === 'map' && !arg.tag && intrinsicOfMap(arg) === 'Fn::Transform') {
      // A macro writes the template string at deployment: the result is unknown, not malformed.
      return this.transform(arg.entries[0]!.value, at);
    } else if (arg.tag && functionOfTag(arg.tag) === 'Fn::Transform') {
      return this.transform(untagged(arg), at);
    } else {
      const items = this.args('Fn::Sub', arg, at, 2);
      if (!items) return unknown('Fn::Sub is malformed');
      const [t, vars] = items as [CfnNode, CfnNode];
      if (t.kind !== 'scalar' || t.tag || typeof t.value !== 'string') return this.invalid('Fn::Sub', 'expects a string as its first argument', at);
      if (vars.kind !== 'map' || vars.tag || intrinsicOfMap(vars)) return this.invalid('Fn::Sub', 'expects a mapping of variables as its second argument', at);
      template = t.value;
      varsNode = vars;
    }
    const varValues = new Map<string, Result>();
    const lookup = (name: string): Result => {
      const entry = varsNode?.entries.find((e) => e.key === name);
      if (entry) {
        if (!varValues.has(name)) varValues.set(name, this.evaluate(entry.value));
        return varValues.get(name)!;
      }
      if (PSEUDO_PARAMETERS.has(name) || this.ctx.parameters.has(name) || this.ctx.resources.has(name)) return this.resolveName(name, at, 'Fn::Sub');
      const dot = name.indexOf('.');
      if (dot > 0 && this.ctx.resources.has(name.slice(0, dot))) return this.attributeRef(name.slice(0, dot), name.slice(dot + 1), at, 'Fn::Sub');
      if (this.ctx.samGenerated?.(dot > 0 ? name.slice(0, dot) : name)) return this.samGeneratedRef(name, at, 'Fn::Sub');
      this.report(
        'warning',
        'cfn-invalid-reference',
        `Fn::Sub names "\${${name}}", which is neither a variable, a parameter, a resource nor a pseudo parameter.`,
        at,
      );
      return unknown(`"${name}" is not defined`);
    };
    const pieces: Result[] = [];
    let literal = '';
    let i = 0;
    while (i < template.length) {
      const open = template.indexOf('${', i);
      if (open < 0) {
        literal += template.slice(i);
        break;
      }
      literal += template.slice(i, open);
      if (template[open + 2] === '!') {
        literal += '${';
        i = open + 3;
        continue;
      }
      const close = template.indexOf('}', open + 2);
      if (close < 0) {
        literal += template.slice(open);
        break;
      }
      if (literal) pieces.push(literal);
      literal = '';
      // CloudFormation ignores spaces around the name: `${ AWS::Region }` is `${AWS::Region}`.
      pieces.push(lookup(template.slice(open + 2, close).trim()));
      i = close + 1;
    }
    if (literal) pieces.push(literal);
    return this.concatenate('Fn::Sub', pieces, at, `"${template}"`);
  }

  /**
   * Joins evaluated pieces into a string. A result that is exactly one reference stays that reference; a reference
   * inside a larger string cannot be written down before deployment, so the result is Unknown.
   */
  private concatenate(fn: string, pieces: Result[], at: CfnNode, what: string): Value {
    const parts = pieces.map((p) => (p === NO_VALUE ? '' : p)).filter((p) => p !== '');
    if (parts.length === 0) return '';
    if (parts.length === 1 && (isRef(parts[0]) || isUnknown(parts[0]))) return parts[0]!;
    const texts: string[] = [];
    let length = 0;
    for (const p of parts) {
      if (isUnknown(p)) return p;
      if (isRef(p)) return unknown(`${fn} ${what} embeds ${display(p)}, which is known only after deployment`);
      const text = scalarText(p);
      if (text === undefined) return this.invalid(fn, `cannot put ${Array.isArray(p) ? 'a list' : p === null ? 'null' : 'an object'} into a string`, at);
      texts.push(text);
      length += text.length;
    }
    // The length is known before the string is built: a long delimiter over a long split list stops here.
    try {
      this.budget.string(length);
    } catch (e) {
      if (e instanceof BudgetExceeded) return this.budget.exceeded(e, this.ctx.file, at.span.start.line);
      throw e;
    }
    return texts.join('');
  }

  private join(arg: CfnNode, at: CfnNode): Result {
    const items = this.args('Fn::Join', arg, at, 2);
    if (!items) return unknown('Fn::Join is malformed');
    const delimiter = this.value(items[0]!);
    if (isUnknown(delimiter)) return delimiter;
    const delim = scalarText(delimiter);
    if (delim === undefined || isRef(delim)) return this.invalid('Fn::Join', 'expects a string delimiter', at);
    const list = this.value(items[1]!);
    if (isUnknown(list)) return list;
    if (isRef(list)) return afterDeployment(list);
    if (!Array.isArray(list)) return this.invalid('Fn::Join', 'expects a list of values to join', at);
    const pieces: Value[] = [];
    list.forEach((v, i) => {
      if (i > 0) pieces.push(delim);
      pieces.push(v);
    });
    return this.concatenate('Fn::Join', pieces, at, `with "${delim}"`);
  }

  private select(arg: CfnNode, at: CfnNode): Result {
    const items = this.args('Fn::Select', arg, at, 2);
    if (!items) return unknown('Fn::Select is malformed');
    const indexValue = this.value(items[0]!);
    if (isUnknown(indexValue)) return indexValue;
    const indexText = scalarText(indexValue);
    const index = indexText !== undefined && /^\d+$/.test(indexText) ? Number(indexText) : NaN;
    if (!Number.isSafeInteger(index)) return this.invalid('Fn::Select', `index ${display(indexValue)} is not a non-negative integer`, at);
    const list = this.value(items[1]!);
    if (isUnknown(list)) return list;
    if (isRef(list)) return unknown(`item ${index} of ${display(list)} is known only after deployment`);
    if (!Array.isArray(list)) return this.invalid('Fn::Select', 'expects a list to select from', at);
    if (index < list.length) return list[index]!;
    if (list.length > 0 && list.every((z) => typeof z === 'string' && isSymbolicRegion(z.slice(0, -1)))) {
      // Symbolic zones stand for a region not yet chosen; it may well have more zones than the three named.
      return unknown(`availability zone ${index} of a region not given (--region)`);
    }
    this.report('warning', 'cfn-select-out-of-range', `Fn::Select index ${index} is out of range for a list of ${list.length}.`, at);
    return unknown(`Fn::Select index ${index} is out of range`);
  }

  private split(arg: CfnNode, at: CfnNode): Result {
    const items = this.args('Fn::Split', arg, at, 2);
    if (!items) return unknown('Fn::Split is malformed');
    const delimiter = this.value(items[0]!);
    if (isUnknown(delimiter)) return delimiter;
    const delim = scalarText(delimiter);
    if (delim === undefined || delim === '' || isRef(delim)) return this.invalid('Fn::Split', 'expects a non-empty string delimiter', at);
    const source = this.value(items[1]!);
    if (isUnknown(source)) return source;
    if (isRef(source)) return unknown(`splitting ${display(source)}, which is known only after deployment`);
    const text = scalarText(source);
    if (text === undefined) return this.invalid('Fn::Split', 'expects a string to split', at);
    const pieces = text.split(delim);
    if (mentionsSymbolicRegion(text)) {
      // The region is one opaque token: splitting it (or where a region name could hold the delimiter) is not known.
      const tokens = (s: string) => s.split(SYMBOLIC_REGION).length - 1;
      if (/^[a-z0-9-]+$/.test(delim) || pieces.reduce((n, p) => n + tokens(p), 0) !== tokens(text)) {
        return unknown(`Fn::Split of ${display(text)} depends on the region, which is not given (--region)`);
      }
    }
    return pieces;
  }

  private base64(arg: CfnNode): Result {
    const v = this.value(arg);
    if (isUnknown(v)) return v;
    if (isRef(v)) return afterDeployment(v);
    const text = scalarText(v);
    if (text === undefined) return this.invalid('Fn::Base64', 'expects a string', arg);
    if (mentionsSymbolicRegion(text)) return unknown('Fn::Base64 of a string that depends on the region, which is not given (--region)');
    return Buffer.from(text, 'utf8').toString('base64');
  }

  private toJsonString(arg: CfnNode, at: CfnNode): Result {
    const v = this.value(arg);
    if (isUnknown(v)) return v;
    if (!Array.isArray(v) && !isObject(v)) return this.invalid('Fn::ToJsonString', 'expects an object or a list', at);
    const u = firstUnknown(v);
    if (u) return unknown(`Fn::ToJsonString of a value with an unknown part: ${u.reason}`);
    const r = firstRef(v);
    if (r) return unknown(`Fn::ToJsonString of a value holding ${display(r)}, which is known only after deployment`);
    return JSON.stringify(v);
  }

  private length(arg: CfnNode, at: CfnNode): Result {
    const v = this.value(arg);
    if (isUnknown(v)) return v;
    if (isRef(v)) return unknown(`the length of ${display(v)} is known only after deployment`);
    if (!Array.isArray(v)) return this.invalid('Fn::Length', 'expects a list', at);
    return v.length;
  }

  // ---- conditions ------------------------------------------------------------------------------------------

  private fnIf(arg: CfnNode, at: CfnNode, rec: SpanRecorder | undefined): Result {
    const items = this.args('Fn::If', arg, at, 3);
    if (!items) return unknown('Fn::If is malformed');
    const name = this.nameOf(items[0]!);
    if (name === undefined || isUnknown(name)) return this.invalid('Fn::If', 'expects a condition name', at);
    const cond = this.condition(name, items[0]!);
    if (cond === true) return this.evaluate(items[1]!, rec);
    if (cond === false) return this.evaluate(items[2]!, rec);
    const a = this.evaluate(items[1]!);
    const b = this.evaluate(items[2]!);
    if (a === NO_VALUE || b === NO_VALUE) return a === b ? NO_VALUE : unknown(`depends on condition ${name}: ${cond.reason}`);
    if (cfnEquals(a, b) === true && !containsUnknown(a)) return a;
    return unknown(`depends on condition ${name}: ${cond.reason}`);
  }

  private conditionFunction(fn: string, arg: CfnNode, at: CfnNode): Value {
    switch (fn) {
      case 'Fn::Equals': {
        const items = this.args(fn, arg, at, 2);
        if (!items) return unknown('Fn::Equals is malformed');
        return cfnEquals(this.value(items[0]!), this.value(items[1]!));
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const items = this.args(fn, arg, at, 2, 10);
        if (!items) return unknown(`${fn} is malformed`);
        const decisive = fn === 'Fn::Or';
        let pending: Unknown | undefined;
        for (const item of items) {
          const r = this.conditionValue(item);
          if (r === decisive) return decisive;
          if (isUnknown(r)) pending ??= r;
        }
        return pending ?? !decisive;
      }
      case 'Fn::Not': {
        const items = this.args(fn, arg, at, 1);
        if (!items) return unknown('Fn::Not is malformed');
        const r = this.conditionValue(items[0]!);
        return isUnknown(r) ? r : !r;
      }
      default: {
        const name = this.nameOf(arg);
        if (name === undefined || isUnknown(name)) return this.invalid('Condition', 'expects a condition name', at);
        return this.condition(name, at);
      }
    }
  }

  /** A condition expression: `Fn::Equals`, `Fn::And`, … or `{ Condition: Name }`. */
  conditionValue(node: CfnNode): boolean | Unknown {
    if (node.kind === 'map' && !node.tag && node.entries.length === 1 && node.entries[0]!.key === 'Condition') {
      return this.conditionFunction('Condition', node.entries[0]!.value, node) as boolean | Unknown;
    }
    const v = this.value(node);
    if (typeof v === 'boolean' || isUnknown(v)) return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.report('warning', 'cfn-invalid-condition', `A condition must be a condition function (Fn::Equals, Fn::And, …), not ${display(v)}.`, node);
    return unknown('the condition is not a condition function');
  }

  /** A named condition of the Conditions section, evaluated once; undefined names and cycles are reported. */
  condition(name: string, at: CfnNode | Span | undefined): boolean | Unknown {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const node = this.ctx.conditions.get(name);
    if (!node) {
      this.report('warning', 'cfn-invalid-condition', `Condition "${name}" is not defined in Conditions.`, at);
      return unknown(`condition ${name} is not defined`);
    }
    if (this.conditionsInProgress.has(name)) {
      this.report('error', 'cfn-condition-cycle', `Condition "${name}" depends on itself.`, node);
      return unknown(`condition ${name} depends on itself`);
    }
    this.conditionsInProgress.add(name);
    let r: boolean | Unknown;
    try {
      r = this.conditionValue(node);
    } finally {
      this.conditionsInProgress.delete(name);
    }
    if (isUnknown(r) && !r.reason.startsWith(`condition ${name}`)) r = unknown(`condition ${name} is not known: ${r.reason}`);
    this.conditionCache.set(name, r);
    return r;
  }

  // ---- lookups and network functions ----------------------------------------------------------------------

  private findInMap(arg: CfnNode, at: CfnNode): Result {
    const items = this.args('Fn::FindInMap', arg, at, 3, 4);
    if (!items) return unknown('Fn::FindInMap is malformed');
    let defaultNode: CfnNode | undefined;
    if (items[3]) {
      const opt = items[3];
      const entry = opt.kind === 'map' && !opt.tag ? opt.entries.find((e) => e.key === 'DefaultValue') : undefined;
      if (!entry) return this.invalid('Fn::FindInMap', 'expects { DefaultValue: … } as its fourth argument', at);
      defaultNode = entry.value;
    }
    const keys: string[] = [];
    for (const item of items.slice(0, 3)) {
      const v = this.value(item);
      if (isUnknown(v)) return v;
      if (isRef(v)) return afterDeployment(v);
      const text = scalarText(v);
      if (text === undefined) return this.invalid('Fn::FindInMap', 'expects string keys', at);
      keys.push(text);
    }
    const [mapName, topKey, secondKey] = keys as [string, string, string];
    const mapping = this.ctx.mappings?.entries.find((e) => e.key === mapName)?.value;
    if (!mapping) {
      if (defaultNode) return this.evaluate(defaultNode);
      this.report('warning', 'cfn-invalid-reference', `Fn::FindInMap names mapping "${mapName}", which is not in Mappings.`, at);
      return unknown(`mapping ${mapName} is not defined`);
    }
    if (mapping.kind !== 'map') return this.invalid('Fn::FindInMap', `mapping ${mapName} is not a mapping`, at);
    const second = (top: CfnNode | undefined): CfnNode | undefined =>
      top && top.kind === 'map' && !top.tag ? top.entries.find((e) => e.key === secondKey)?.value : undefined;
    if (mentionsSymbolicRegion(topKey) && !mapping.entries.some((e) => e.key === topKey)) {
      // Deployment fails in a region the mapping lacks: the template can only be deployed to its keys.
      if (topKey === SYMBOLIC_REGION && !defaultNode) this.ctx.regionLookup?.(mapping.entries.map((e) => e.key));
      // Keyed by region, with no region given: the answer is still known when every region gives the same value.
      const values = mapping.entries.map((e) => second(e.value)).map((n) => (n ? this.value(n) : undefined));
      const first = values[0];
      if (first !== undefined && values.every((v) => v !== undefined && cfnEquals(v, first) === true)) return first;
      return unknown(`Fn::FindInMap ${mapName} by ${displaySymbolic(topKey)}, and the region is not given (--region)`);
    }
    const top = mapping.entries.find((e) => e.key === topKey)?.value;
    const found = second(top);
    if (found) return this.evaluate(found);
    if (defaultNode) return this.evaluate(defaultNode);
    this.report(
      'warning',
      'cfn-mapping-key-missing',
      `Fn::FindInMap: mapping "${mapName}" has no ${top ? `key "${secondKey}" under "${topKey}"` : `key "${topKey}"`}.`,
      at,
    );
    return unknown(`mapping ${mapName} has no ${topKey}.${secondKey}`);
  }

  private cidr(arg: CfnNode, at: CfnNode): Result {
    const items = this.args('Fn::Cidr', arg, at, 3);
    if (!items) return unknown('Fn::Cidr is malformed');
    let block = this.value(items[0]!);
    if (isRef(block)) block = this.refContent(block);
    if (isUnknown(block)) return block;
    if (typeof block !== 'string') return this.invalid('Fn::Cidr', 'expects a CIDR block', at);
    const count = this.integer(this.value(items[1]!));
    const bits = this.integer(this.value(items[2]!));
    if (isUnknown(count)) return count;
    if (isUnknown(bits)) return bits;
    if (count === undefined || bits === undefined) return this.invalid('Fn::Cidr', 'expects integer count and cidrBits', at);
    const r = cidrBlocks(block, count, bits);
    if (r.error !== undefined) {
      this.report('warning', 'cfn-invalid-cidr', `Fn::Cidr: ${r.error}.`, at);
      return unknown(`Fn::Cidr: ${r.error}`);
    }
    return r.cidrs;
  }

  private integer(v: Value): number | Unknown | undefined {
    if (isUnknown(v)) return v;
    if (isRef(v)) return afterDeployment(v);
    const t = scalarText(v);
    return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : undefined;
  }

  /** What a reference stands for, where the template itself says it: the primary CidrBlock of a VPC. */
  private refContent(ref: string): Value {
    const r = parseRef(ref)!;
    const resource = this.ctx.resources.get(r.address);
    if (resource?.type === 'AWS::EC2::VPC' && r.attribute === 'CidrBlock') {
      const v = resource.property('CidrBlock');
      if (v !== undefined && v !== null) return v;
    }
    return afterDeployment(ref);
  }

  private getAZs(arg: CfnNode, at: CfnNode): Result {
    const v = this.value(arg);
    if (isUnknown(v)) return v;
    const region = v === null ? '' : scalarText(v);
    if (region === undefined || isRef(region)) return this.invalid('Fn::GetAZs', 'expects a region name or ""', at);
    return availabilityZones(region === '' ? this.ctx.region : region);
  }

  private importValue(arg: CfnNode): Result {
    const v = this.value(arg);
    const name = isUnknown(v) || isRef(v) ? undefined : scalarText(v);
    const shown =
      name === undefined ? (subTemplateOf(arg) ?? '(a name not known before deployment)') : mentionsSymbolicRegion(name) ? displaySymbolic(name) : name;
    this.imports.add(shown);
    return unknown(`external: import ${shown}`);
  }

  private transform(arg: CfnNode, at: CfnNode): Value {
    const nameEntry = arg.kind === 'map' ? arg.entries.find((e) => e.key === 'Name') : undefined;
    const name = nameEntry && nameEntry.value.kind === 'scalar' ? String(nameEntry.value.value) : undefined;
    if (name === 'AWS::Include') {
      this.report(
        'warning',
        'cfn-include-not-expanded',
        'Fn::Transform AWS::Include reads a template snippet from S3, which is not fetched; its content is unknown.',
        at,
      );
      return unknown('AWS::Include is not expanded');
    }
    const what = name ? `Fn::Transform ${name}` : 'Fn::Transform';
    // The macro's output is unknown, which says nothing wrong about the template: a note.
    this.report('note', 'cfn-transform-not-expanded', `${what} runs a macro at deployment, which is not expanded; its result is unknown.`, at);
    return unknown(`${what} is not expanded`);
  }
}

/** The template text of an `Fn::Sub`, to name a value that could not be computed the way the author wrote it. */
function subTemplateOf(node: CfnNode): string | undefined {
  let arg: CfnNode | undefined;
  if (node.tag === '!Sub') arg = untagged(node);
  else if (node.kind === 'map' && !node.tag && intrinsicOfMap(node) === 'Fn::Sub') arg = node.entries[0]!.value;
  if (!arg) return undefined;
  const t = arg.kind === 'seq' ? arg.items[0] : arg;
  return t && t.kind === 'scalar' && typeof t.value === 'string' ? t.value : undefined;
}
