import type { Expr } from '../../parsers/terraform/expr/ast.js';
import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, makeRef, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import { awsManagedActions, awsManagedPolicyName, iamNameOfArn, roleNameOfArn, statementGrants } from '../iam.js';
import type { IamGrant, NodeId, WorkloadRole } from '../model.js';
import { attributeRefs, base, describe, type InstanceIndex, maybeString, sourceOf } from './refs.js';

/**
 * IAM roles and what their identity policies allow: `inline_policy` blocks and `managed_policy_arns` of
 * `aws_iam_role`, `aws_iam_role_policy`, and policies attached with `aws_iam_role_policy_attachment`,
 * `aws_iam_policy_attachment` or `aws_iam_role_policy_attachments_exclusive` (customer policies of the configuration
 * and AWS-managed ones). A policy document that `jsonencode` cannot render because it names an ARN known only after
 * apply is read from its expression: its actions are literal even when its resources are not.
 */

/** Resource types whose unknown number leaves any role's policies incomplete. */
const ATTACHING_TYPES = ['aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_role_policy_attachments_exclusive'];
const NOT_INSTANCE: Record<string, true> = { var: true, local: true, module: true, path: true, terraform: true, count: true, each: true, self: true };

export function addIamRoles(graph: Graph, index: InstanceIndex): void {
  const roles = index.ofType('aws_iam_role');
  const grants = new Map<NodeId, IamGrant[]>(roles.map((r) => [r.address, []]));
  const unread = new Map<NodeId, string[]>(roles.map((r) => [r.address, []]));
  const everyRole: string[] = ATTACHING_TYPES.filter((t) => graph.isUncertain(t)).map((t) => `the number of ${t} resources is not known`);
  const add = <T>(m: Map<NodeId, T[]>, role: NodeId, x: T) => m.get(role)?.push(x);

  // Customer policies of the configuration, by address.
  const policies = new Map<string, IamGrant | string>();
  for (const p of index.ofType('aws_iam_policy')) {
    policies.set(p.address, documentGrant(p, ['policy'], p.address, 'policy', sourceOf(p), index));
  }
  const policyOfArn = (owner: ResourceInstance, path: string[], at: SourceRef): IamGrant | string | undefined => {
    const v = valueAt(owner, path);
    const target = referencedInstance(owner, path, v, index);
    if (target?.type === 'aws_iam_policy' && target.mode === 'managed') return policies.get(target.address);
    if (target?.mode === 'data' && target.type === 'aws_iam_policy') {
      const arn = target.values['arn'];
      const name = target.values['name'];
      if (typeof arn === 'string' && !parseRef(arn)) return arnGrant(arn, at);
      if (typeof name === 'string' && awsManagedActions(name).length > 0) return managedGrant(name, at);
      return `the policy of ${target.address} is read from AWS`;
    }
    if (target) return `${describe(v)} is not a policy the analyzer reads`;
    if (typeof v === 'string' && !parseRef(v)) return arnGrant(v, at);
    return `policy ARN ${describe(v)} of ${owner.address} is not known`;
  };
  const arnGrant = (arn: string, at: SourceRef): IamGrant | string | undefined => {
    const managed = awsManagedPolicyName(arn);
    if (managed) return managedGrant(managed, at);
    const name = iamNameOfArn(arn, 'policy');
    const local = name ? index.ofType('aws_iam_policy').filter((p) => p.values['name'] === name) : [];
    if (local.length === 1) return policies.get(local[0]!.address);
    return `policy ${arn} is outside the configuration`;
  };
  const attach = (role: NodeId | 'unknown', g: IamGrant | string | undefined, owner: ResourceInstance) => {
    if (g === undefined) return;
    if (role === 'unknown') {
      // A policy attached to a role the analyzer cannot name may belong to any role.
      if (typeof g === 'string' || g.actions.length > 0) everyRole.push(`${owner.address} attaches a policy to a role that is not known`);
      return;
    }
    if (typeof g === 'string') add(unread, role, g);
    else add(grants, role, g);
  };
  const roleNamed = (owner: ResourceInstance, path: string[]): NodeId | 'unknown' | undefined => {
    const r = roleOf(index, owner, path);
    return r.kind === 'role' ? r.role : r.kind === 'unknown' ? 'unknown' : undefined;
  };

  for (const r of roles) {
    const refs = attributeRefs(r);
    const inline = r.values['inline_policy'];
    if (isUnknown(inline)) add(unread, r.address, `the inline policies of ${r.address} are not known`);
    else if (Array.isArray(inline)) {
      const blocks = r.block.blocks.filter((b) => b.type === 'inline_policy');
      const dynamic = r.block.blocks.some((b) => b.type === 'dynamic');
      inline.forEach((p, n) => {
        if (!isObject(p)) return add(unread, r.address, `an inline policy of ${r.address} is not known`);
        const name = typeof p['name'] === 'string' ? p['name'] : String(n);
        const at = refs[`inline_policy[${n}]`] ?? sourceOf(r);
        const expr = !dynamic && blocks.length === inline.length ? blocks[n]?.attributes['policy']?.expr : undefined;
        const g = grantOfDocument(p['policy'], expr, r, `${r.address} inline policy "${name}"`, 'inline', at, index);
        if (typeof g === 'string') add(unread, r.address, g);
        else add(grants, r.address, g);
      });
    }
    const arns = r.values['managed_policy_arns'];
    if (isUnknown(arns)) add(unread, r.address, `the managed policy ARNs of ${r.address} are not known`);
    else if (Array.isArray(arns)) {
      arns.forEach((_a, n) => {
        const g = policyOfArn(r, ['managed_policy_arns', String(n)], refs['managed_policy_arns'] ?? sourceOf(r));
        attach(r.address, g, r);
      });
    }
  }
  for (const p of index.ofType('aws_iam_role_policy')) {
    attach(roleNamed(p, ['role']) ?? 'unknown', documentGrant(p, ['policy'], p.address, 'inline', sourceOf(p), index), p);
  }
  for (const a of index.ofType('aws_iam_role_policy_attachment')) {
    attach(roleNamed(a, ['role']) ?? 'unknown', policyOfArn(a, ['policy_arn'], sourceOf(a)), a);
  }
  for (const a of index.ofType('aws_iam_policy_attachment')) {
    const list = a.values['roles'];
    const g = policyOfArn(a, ['policy_arn'], sourceOf(a));
    if (isUnknown(list)) attach('unknown', g, a);
    else if (Array.isArray(list)) list.forEach((_r, n) => attach(roleNamed(a, ['roles', String(n)]) ?? 'unknown', g, a));
  }
  for (const a of index.ofType('aws_iam_role_policy_attachments_exclusive')) {
    const role = roleNamed(a, ['role_name']) ?? 'unknown';
    const list = a.values['policy_arns'];
    if (isUnknown(list)) attach(role, `the policy ARNs of ${a.address} are not known`, a);
    else if (Array.isArray(list)) list.forEach((_x, n) => attach(role, policyOfArn(a, ['policy_arns', String(n)], sourceOf(a)), a));
  }

  for (const r of roles) {
    graph.add({
      kind: 'iam-role',
      ...base(r),
      name: maybeString(r.values['name']),
      grants: grants.get(r.address) ?? [],
      unreadPolicies: [...new Set([...(unread.get(r.address) ?? []), ...everyRole])],
    });
  }
}

function managedGrant(name: string, at: SourceRef): IamGrant {
  return { policy: name, origin: 'aws-managed', source: at, actions: awsManagedActions(name), resources: [] };
}

/** The grant of a policy document attribute, or why it cannot be read. */
function documentGrant(
  owner: ResourceInstance,
  path: string[],
  policy: string,
  origin: IamGrant['origin'],
  at: SourceRef,
  index: InstanceIndex,
): IamGrant | string {
  return grantOfDocument(valueAt(owner, path), exprAt(owner, path), owner, policy, origin, at, index);
}

function grantOfDocument(
  v: Value | undefined,
  expr: Expr | undefined,
  owner: ResourceInstance,
  policy: string,
  origin: IamGrant['origin'],
  at: SourceRef,
  index: InstanceIndex,
): IamGrant | string {
  let doc: Value | undefined = v;
  if ((isUnknown(v) || parseRef(v)) && expr?.k === 'call' && expr.name === 'jsonencode' && expr.args.length === 1 && !expr.expand) {
    doc = writtenValue(expr.args[0]!, owner, index);
  }
  const read = statementGrants(doc, `the policy of ${policy}`);
  if (read.unread && read.actions.length === 0) return read.unread;
  return { policy, origin, source: at, actions: read.actions, resources: read.resources, ...(read.unread ? { unread: read.unread } : {}) };
}

/** An attribute's value, or an element of a nested block or list: `['iam_instance_profile', 'name']`, `['roles', '0']`. */
export function valueAt(i: ResourceInstance, path: string[]): Value | undefined {
  let v: Value | undefined = i.values;
  for (const step of path) {
    if (v === undefined || v === null || isUnknown(v)) return v;
    if (Array.isArray(v)) {
      // A nested block is a list of one object; a numeric step indexes a list.
      v = /^\d+$/.test(step) ? v[Number(step)] : isObject(v[0]) ? (v[0] as ValueObject)[step] : undefined;
    } else if (isObject(v)) v = v[step];
    else return undefined;
  }
  return v;
}

/** The expression written for a path (attributes of the block and of its first nested block of a type), if any. */
function exprAt(i: ResourceInstance, path: string[]): Expr | undefined {
  let block = i.block;
  for (const step of path.slice(0, -1)) {
    if (/^\d+$/.test(step)) return undefined;
    const nested = block.blocks.filter((b) => b.type === step);
    if (nested.length !== 1) return undefined;
    block = nested[0]!;
  }
  const last = path.at(-1)!;
  return /^\d+$/.test(last) ? undefined : block.attributes[last]?.expr;
}

/**
 * The instance a value names: a reference, or, when the value is Unknown because the attribute is one Terraform
 * computes (`aws_iam_instance_profile.app.name` without a `name`), the resource the expression as written refers to.
 */
function referencedInstance(owner: ResourceInstance, path: string[], v: Value | undefined, index: InstanceIndex): ResourceInstance | undefined {
  const t = index.target(v);
  if (t) return t.instance;
  if (!isUnknown(v)) return undefined;
  let expr = exprAt(owner, path.length > 1 && /^\d+$/.test(path.at(-1)!) ? path.slice(0, -1) : path);
  if (expr && expr.k === 'tuple' && /^\d+$/.test(path.at(-1)!)) expr = expr.items[Number(path.at(-1))];
  const address = expr ? writtenAddress(expr, owner) : undefined;
  return address ? index.byAddress.get(address) : undefined;
}

/** `aws_x.name.attr`, `aws_x.name[0].attr`, `aws_x.name[count.index].attr`, `data.aws_x.name.attr` → the instance address. */
function writtenAddress(expr: Expr, owner: ResourceInstance): string | undefined {
  const key = (k: Expr): string | undefined => {
    if (k.k === 'lit' && (typeof k.v === 'number' || typeof k.v === 'string')) return typeof k.v === 'number' ? `[${k.v}]` : `[${JSON.stringify(k.v)}]`;
    // The same index as the owner's own (`count.index`, `each.key`).
    const own = /(\[[^\]]+\])$/.exec(owner.address)?.[1];
    if (
      k.k === 'trav' &&
      k.steps.length === 1 &&
      k.steps[0]!.t === 'attr' &&
      ((k.root === 'count' && k.steps[0]!.name === 'index') || (k.root === 'each' && k.steps[0]!.name === 'key'))
    )
      return own;
    return undefined;
  };
  const step = (x: { t: 'attr'; name: string } | { t: 'index'; key: string | number }): { t: 'attr'; name: string } | { t: 'index'; key: string } =>
    x.t === 'attr' ? x : { t: 'index', key: typeof x.key === 'number' ? `[${x.key}]` : `[${JSON.stringify(x.key)}]` };
  let root: string;
  let steps: Array<{ t: 'attr'; name: string } | { t: 'index'; key: string }>;
  if (expr.k === 'trav') {
    root = expr.root;
    steps = expr.steps.map(step);
  } else if (expr.k === 'rel' && expr.source.k === 'index' && expr.source.collection.k === 'trav') {
    const k = key(expr.source.key);
    if (!k) return undefined;
    root = expr.source.collection.root;
    steps = [...expr.source.collection.steps.map(step), { t: 'index', key: k }, ...expr.steps.map(step)];
  } else return undefined;
  if (NOT_INSTANCE[root]) return undefined;
  const parts = root === 'data' ? ['data'] : [root];
  let rest = steps;
  if (root === 'data') {
    const t = rest[0];
    if (!t || t.t !== 'attr') return undefined;
    parts.push(t.name);
    rest = rest.slice(1);
  }
  const name = rest[0];
  if (!name || name.t !== 'attr') return undefined;
  let local = `${parts.join('.')}.${name.name}`;
  if (rest[1]?.t === 'index') local += rest[1].key;
  return owner.moduleAddress ? `${owner.moduleAddress}.${local}` : local;
}

/**
 * A `jsonencode` argument as written: literals stay, references to resources become references, anything computed
 * becomes Unknown. Enough to read a policy's actions when only its resources are known after apply.
 */
function writtenValue(expr: Expr, owner: ResourceInstance, index: InstanceIndex): Value {
  switch (expr.k) {
    case 'lit':
      return expr.v;
    case 'tpl': {
      const parts = expr.parts.map((p) => writtenValue(p, owner, index));
      return parts.every((p) => typeof p === 'string' && !parseRef(p)) ? parts.join('') : unknown('a computed string');
    }
    case 'tuple':
      return expr.items.map((x) => writtenValue(x, owner, index));
    case 'object': {
      const out: ValueObject = {};
      for (const { key, value } of expr.items) {
        const k = key.k === 'lit' && typeof key.v === 'string' ? key.v : key.k === 'trav' && key.steps.length === 0 ? key.root : undefined;
        if (k === undefined) return unknown('an object with a computed key');
        Object.defineProperty(out, k, { value: writtenValue(value, owner, index), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'trav':
    case 'rel': {
      const address = writtenAddress(expr, owner);
      const attr = expr.steps.at(-1);
      if (address && index.byAddress.has(address) && attr?.t === 'attr') return makeRef(address, attr.name);
      return unknown('a computed value');
    }
    default:
      return unknown('a computed value');
  }
}

/**
 * The role a value names: `aws_iam_role.x.arn` (or `.name`, `.id`), a role name or ARN the configuration creates, a role
 * outside it, or Unknown.
 */
export function roleOf(index: InstanceIndex, owner: ResourceInstance, path: string[], via: string[] = []): WorkloadRole {
  const v = valueAt(owner, path);
  const target = referencedInstance(owner, path, v, index);
  if (target?.type === 'aws_iam_role' && target.mode === 'managed') return { kind: 'role', role: target.address, via };
  if (target?.mode === 'data') return { kind: 'external', label: target.address, via };
  if (target) return { kind: 'unknown', reason: `${describe(v)} is not a role the analyzer reads`, via };
  if (typeof v === 'string' && v !== '' && !parseRef(v)) {
    const name = roleNameOfArn(v) ?? (v.startsWith('arn:') ? undefined : v);
    const local = name ? index.ofType('aws_iam_role').filter((r) => r.values['name'] === name) : [];
    if (local.length === 1) return { kind: 'role', role: local[0]!.address, via };
    return { kind: 'external', label: v, via };
  }
  if (isUnknown(v)) return { kind: 'unknown', reason: v.reason, via };
  return { kind: 'unknown', reason: `${owner.address} sets ${describe(v)}, which is not a role`, via };
}

/** The role of an instance profile an attribute names (`iam_instance_profile`), or undefined when none is set. */
export function instanceProfileRole(index: InstanceIndex, owner: ResourceInstance, path: string[]): WorkloadRole | undefined {
  const v = valueAt(owner, path);
  if (v === undefined || v === null || v === '') return undefined;
  const target = referencedInstance(owner, path, v, index);
  let profile: ResourceInstance | undefined;
  if (target?.type === 'aws_iam_instance_profile' && target.mode === 'managed') profile = target;
  else if (target)
    return target.mode === 'data'
      ? { kind: 'external', label: target.address, via: [] }
      : { kind: 'unknown', reason: `${describe(v)} is not an instance profile the analyzer reads`, via: [] };
  else if (typeof v === 'string' && !parseRef(v)) {
    const name = iamNameOfArn(v, 'instance-profile') ?? (v.startsWith('arn:') ? undefined : v);
    const local = name ? index.ofType('aws_iam_instance_profile').filter((p) => p.values['name'] === name) : [];
    if (local.length !== 1) return { kind: 'external', label: `instance profile ${v}`, via: [] };
    profile = local[0]!;
  } else return { kind: 'unknown', reason: `the instance profile of ${owner.address} is not known${isUnknown(v) ? ` (${v.reason})` : ''}`, via: [] };
  if (profile.values['role'] === undefined || profile.values['role'] === null) return undefined;
  return roleOf(index, profile, ['role'], [profile.address]);
}
