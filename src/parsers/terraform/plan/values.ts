import { setOwn } from '../load/zip.js';
import { isUnknown, type Unknown, type Value, type ValueObject } from '../../../source/value.js';
import { isJsonObject, jsonEqual, type Json } from '../../../source/json-tree.js';
import { asExpression, type ExpressionRep } from './references.js';
import { unresolved, type ReferenceResolver, type Site } from './resolve.js';

/**
 * Rebuilds a resource instance's values from the plan: what `planned_values` knows, as it is; what `after_unknown`
 * marks as known only after apply, recovered from the configuration's expression for it or left Unknown with the
 * reason; and what the configuration does not set at all left out, so the provider default applies (the plan shows
 * optional-and-computed attributes nobody set as unknown too).
 */

/** What the configuration says about the part of a value being rebuilt. */
type Config =
  | { kind: 'block'; expressions: { [key: string]: Json } }
  | { kind: 'blocks'; list: Array<{ [key: string]: Json }> }
  | { kind: 'expression'; expr: ExpressionRep; top: boolean }
  | { kind: 'absent' }
  | { kind: 'unmatched'; cause: string }
  | { kind: 'missing' };

export interface RebuildInput {
  planned: { [key: string]: Json };
  afterUnknown: Json | undefined;
  /** The resource's block expressions representation, or undefined when the configuration does not describe it. */
  expressions: { [key: string]: Json } | undefined;
  resolver: ReferenceResolver;
  site: Site;
}

const PLURAL_IDS = /(_ids|_arns)$|^(security_groups|subnets|vpc_zone_identifier)$/;

export function rebuildValues(input: RebuildInput): ValueObject {
  const ctx: Config = input.expressions ? { kind: 'block', expressions: input.expressions } : { kind: 'missing' };
  const out = rebuildObject(input.planned, isJsonObject(input.afterUnknown) ? input.afterUnknown : undefined, ctx, input);
  return isUnknown(out) ? {} : out;
}

function rebuildObject(planned: { [key: string]: Json } | undefined, unk: { [key: string]: Json } | undefined, ctx: Config, input: RebuildInput): ValueObject {
  const out: ValueObject = {};
  const keys = new Set([...Object.keys(planned ?? {}), ...Object.keys(unk ?? {})]);
  for (const key of keys) {
    const p = planned && Object.prototype.hasOwnProperty.call(planned, key) ? planned[key] : undefined;
    const u = unk && Object.prototype.hasOwnProperty.call(unk, key) ? unk[key] : undefined;
    const v = rebuild(p, u, memberConfig(ctx, key), key, input, true);
    if (v !== undefined) setOwn(out, key, v);
  }
  return out;
}

/** `undefined` means "leave the attribute out". */
function rebuild(planned: Json | undefined, unk: Json | undefined, ctx: Config, leaf: string, input: RebuildInput, inObject: boolean): Value | undefined {
  if (unk === true) return unknownLeaf(ctx, leaf, input);
  const nested = Array.isArray(unk) || (isJsonObject(unk) && Object.keys(unk).length > 0);
  if (nested && ctx.kind === 'absent' && containsTrue(unk!)) {
    // Not in the configuration representation, yet planned element by element: written in a `dynamic` block,
    // whose expressions the representation leaves out. Otherwise it is computed and nobody set it.
    if (!hasContent(planned)) return undefined;
    ctx = { kind: 'unmatched', cause: `is written in a dynamic "${leaf}" block, whose expressions the plan does not record` };
  }
  if (Array.isArray(unk)) return rebuildArray(Array.isArray(planned) ? planned : [], unk, ctx, leaf, input);
  if (nested) return rebuildObject(isJsonObject(planned) ? planned : undefined, unk as { [key: string]: Json }, ctx, input);
  if (planned === undefined) return undefined;
  return known(planned, inObject);
}

function rebuildArray(planned: Json[], unk: Json[], ctx: Config, leaf: string, input: RebuildInput): Value | undefined {
  const length = Math.max(planned.length, unk.length);
  const unknownPositions = unk.flatMap((u, i) => (u === true ? [i] : []));
  let fill: Value[] | Unknown | undefined;
  if (unknownPositions.length > 0) {
    if (ctx.kind === 'expression') {
      const listed = input.resolver.list(ctx.expr, leaf, input.site);
      fill =
        isUnknown(listed) || listed.length === unknownPositions.length
          ? listed
          : unresolved(input.site, leaf, `has ${unknownPositions.length} element(s) known only after apply, but its expression lists ${listed.length}`);
    } else {
      const v = unknownLeaf(ctx, leaf, input);
      fill = isUnknown(v) ? v : unresolved(input.site, leaf, 'is known only after apply');
    }
  }
  const out: Value[] = [];
  for (let i = 0; i < length; i++) {
    const u = unk[i];
    const p = planned[i];
    if (u === true) {
      const n = unknownPositions.indexOf(i);
      out.push(Array.isArray(fill) ? fill[n]! : isUnknown(fill) ? fill : unresolved(input.site, leaf, 'is known only after apply'));
      continue;
    }
    const v = rebuild(p ?? null, u, elementConfig(ctx, planned, unk, i), leaf, input, false);
    out.push(v === undefined ? null : v);
  }
  return out;
}

function unknownLeaf(ctx: Config, leaf: string, input: RebuildInput): Value | undefined {
  switch (ctx.kind) {
    case 'absent':
      return undefined;
    case 'missing':
      return unresolved(input.site, leaf, 'is known only after apply, and the plan holds no configuration for this resource');
    case 'unmatched':
      return unresolved(input.site, leaf, ctx.cause);
    case 'block':
    case 'blocks':
      return unresolved(input.site, leaf, 'is known only after apply');
    case 'expression': {
      const { expr } = ctx;
      if (expr.hasConstant) return unresolved(input.site, leaf, 'is known only after apply');
      if (ctx.top && PLURAL_IDS.test(leaf)) {
        // Read as a list of references first; when neither reading resolves it, the list's reason is the one kept.
        const listed = input.resolver.list(expr, leaf, input.site);
        if (!isUnknown(listed)) return listed;
        const single = input.resolver.scalar(expr, leaf, input.site, false);
        return isUnknown(single) ? listed : single;
      }
      return input.resolver.scalar(expr, leaf, input.site, !ctx.top);
    }
  }
}

function memberConfig(ctx: Config, key: string): Config {
  switch (ctx.kind) {
    case 'block': {
      if (!Object.prototype.hasOwnProperty.call(ctx.expressions, key)) return { kind: 'absent' };
      const v = ctx.expressions[key];
      const expr = asExpression(v);
      if (expr) return { kind: 'expression', expr, top: true };
      if (Array.isArray(v)) return { kind: 'blocks', list: v.filter(isJsonObject) };
      if (isJsonObject(v)) return { kind: 'block', expressions: v };
      return { kind: 'absent' };
    }
    case 'expression':
      return { ...ctx, top: false };
    case 'blocks':
      return { kind: 'unmatched', cause: 'is known only after apply' };
    default:
      return ctx;
  }
}

/** Which nested block of the configuration element `i` of a planned list or set of blocks came from. */
function elementConfig(ctx: Config, plannedList: Json[], unkList: Json[], i: number): Config {
  if (ctx.kind === 'expression') return { ...ctx, top: false };
  if (ctx.kind !== 'blocks') return ctx;
  const length = Math.max(plannedList.length, unkList.length);
  const planned = plannedList[i];
  if (ctx.list.length === 1 && length === 1) return { kind: 'block', expressions: ctx.list[0]! };
  const candidates = isJsonObject(planned) ? ctx.list.filter((b) => constantsMatch(b, planned)) : [];
  if (candidates.length === 1) return { kind: 'block', expressions: candidates[0]! };
  if (interchangeable(ctx.list, plannedList, unkList, length)) return { kind: 'block', expressions: ctx.list[i]! };
  return { kind: 'unmatched', cause: 'comes from a nested block that cannot be told apart from the others in the plan' };
}

/**
 * One block per element, and elements that the plan shows alike (the same known values, the same parts known only after
 * apply) and every block's constants agree with: whichever block an element came from, pairing them in order gives the
 * same set of elements. Two `subnet_mapping { subnet_id = aws_subnet.x.id }` blocks of a load balancer are such a case.
 */
function interchangeable(blocks: Array<{ [key: string]: Json }>, plannedList: Json[], unkList: Json[], length: number): boolean {
  if (blocks.length !== length || plannedList.length !== length || unkList.length !== length) return false;
  const first = plannedList[0];
  if (!isJsonObject(first)) return false;
  return plannedList.every((p) => jsonEqual(p, first)) && unkList.every((u) => jsonEqual(u, unkList[0]!)) && blocks.every((b) => constantsMatch(b, first));
}

function constantsMatch(block: { [key: string]: Json }, planned: { [key: string]: Json }): boolean {
  for (const [key, v] of Object.entries(block)) {
    const expr = asExpression(v);
    if (!expr?.hasConstant) continue;
    if (!jsonEqual(emptyAsNull(expr.constant ?? null), emptyAsNull(planned[key] ?? null))) return false;
  }
  return true;
}

function emptyAsNull(v: Json): Json {
  return v === '' ? null : v;
}

function hasContent(v: Json | undefined): boolean {
  return Array.isArray(v) ? v.length > 0 : isJsonObject(v) ? Object.keys(v).length > 0 : false;
}

function containsTrue(v: Json): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(containsTrue);
  if (isJsonObject(v)) return Object.values(v).some(containsTrue);
  return false;
}

/** A JSON value as a Terraform value, unchanged (variable values). */
export function fromJson(v: Json): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (isJsonObject(v)) {
    const out: ValueObject = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, fromJson(x));
    return out;
  }
  return v;
}

/**
 * A known planned value. The AWS provider reports an optional string nobody set as "" (its zero value); inside an
 * object that is read as not set, as the HCL evaluator leaves such an argument out.
 */
export function known(v: Json, inObject: boolean): Value {
  if (v === '' && inObject) return null;
  if (Array.isArray(v)) return v.map((x) => known(x, false));
  if (isJsonObject(v)) {
    const out: ValueObject = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, known(x, true));
    return out;
  }
  return v;
}
