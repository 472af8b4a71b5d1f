import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isObject, isUnknown, parseRef, type Value } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import { awsManagedActions, awsManagedPolicyName, iamNameOfArn, refsIn, roleNameOfArn, samTemplateActions, statementGrants } from '../iam.js';
import type { IamGrant, NodeId, WorkloadRole } from '../model.js';
import { describe, maybeString, propertyAt, type CfnContext } from './context.js';

/**
 * IAM roles and what their identity policies allow: `AWS::IAM::Role` (`Policies`, `ManagedPolicyArns`),
 * `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` with `Roles`, `AWS::IAM::RolePolicy`, and the role SAM generates for
 * an `AWS::Serverless::Function` without `Role` from its `Policies` (AWS-managed policy names or ARNs, policy
 * templates such as `DynamoDBCrudPolicy`, inline documents).
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-policies
 */
export function addIamRoles(ctx: CfnContext): void {
  const { graph } = ctx;
  const roles = ctx.ofType('AWS::IAM::Role');
  const grants = new Map<NodeId, IamGrant[]>();
  const unread = new Map<NodeId, string[]>();
  const everyRole: string[] = [];
  const push = <T>(m: Map<NodeId, T[]>, role: NodeId, x: T) => (m.get(role) ?? m.set(role, []).get(role)!).push(x);
  const uncertain = (r: CfnResource) => (r.exists === true ? undefined : `${r.logicalId} exists only under a Condition that cannot be decided`);

  const managedPolicies = new Map<string, IamGrant | string>();
  for (const p of ctx.ofType('AWS::IAM::ManagedPolicy'))
    managedPolicies.set(p.logicalId, documentGrant(p.properties['PolicyDocument'], p.logicalId, 'policy', propertyAt(p, 'PolicyDocument')));
  const arnGrant = (v: Value | undefined, at: SourceRef, owner: string): IamGrant | string => {
    const t = ctx.target(v);
    if (t) return t.type === 'AWS::IAM::ManagedPolicy' ? managedPolicies.get(t.logicalId)! : `${describe(v!)} is not a policy the analyzer reads`;
    if (typeof v !== 'string') return `a managed policy ARN of ${owner} is not known${isUnknown(v) ? ` (${v.reason})` : ''}`;
    const managed = awsManagedPolicyName(v);
    if (managed) return awsManaged(managed, at);
    const name = iamNameOfArn(v, 'policy');
    const local = name ? ctx.ofType('AWS::IAM::ManagedPolicy').filter((p) => p.properties['ManagedPolicyName'] === name) : [];
    if (local.length === 1) return managedPolicies.get(local[0]!.logicalId)!;
    return `policy ${v} is outside the template`;
  };
  const attach = (role: NodeId | 'unknown', g: IamGrant | string, owner: CfnResource) => {
    if (role === 'unknown') {
      if (typeof g === 'string' || g.actions.length > 0) everyRole.push(`${owner.logicalId} attaches a policy to a role that is not known`);
      return;
    }
    const maybe = uncertain(owner);
    if (typeof g === 'string') push(unread, role, g);
    else if (maybe && g.actions.length > 0) push(unread, role, `${maybe}; its policy ${g.policy} may not apply`);
    else push(grants, role, g);
  };
  /** A role of the template, 'unknown', or undefined for a role outside the template. */
  const roleIn = (v: Value | undefined, owner: CfnResource): NodeId | 'unknown' | undefined => {
    const r = roleOf(ctx, v, owner.logicalId, []);
    return r.kind === 'role' ? r.role : r.kind === 'unknown' ? 'unknown' : undefined;
  };
  const rolesIn = (v: Value | undefined, owner: CfnResource): Array<NodeId | 'unknown'> => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return ['unknown'];
    // A role outside the template is none of ours.
    return v.map((x) => roleIn(x, owner)).filter((x): x is NodeId | 'unknown' => x !== undefined);
  };

  for (const r of roles) {
    const p = r.properties;
    const policies = p['Policies'];
    if (isUnknown(policies)) push(unread, r.logicalId, `the policies of ${r.logicalId} are not known`);
    else if (Array.isArray(policies)) {
      policies.forEach((x, n) => {
        const name = isObject(x) && typeof x['PolicyName'] === 'string' ? x['PolicyName'] : String(n);
        const g = isObject(x)
          ? documentGrant(x['PolicyDocument'], `${r.logicalId} inline policy "${name}"`, 'inline', propertyAt(r, `Policies[${n}]`))
          : `a policy of ${r.logicalId} is not known`;
        attach(r.logicalId, g, r);
      });
    }
    const arns = p['ManagedPolicyArns'];
    if (isUnknown(arns)) push(unread, r.logicalId, `the managed policy ARNs of ${r.logicalId} are not known`);
    else if (Array.isArray(arns)) arns.forEach((a, n) => attach(r.logicalId, arnGrant(a, propertyAt(r, `ManagedPolicyArns[${n}]`), r.logicalId), r));
  }
  for (const p of ctx.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    const g =
      p.type === 'AWS::IAM::Policy'
        ? documentGrant(p.properties['PolicyDocument'], p.logicalId, 'policy', propertyAt(p, 'PolicyDocument'))
        : managedPolicies.get(p.logicalId)!;
    for (const role of rolesIn(p.properties['Roles'], p)) attach(role, g, p);
  }
  for (const p of ctx.ofType('AWS::IAM::RolePolicy')) {
    const role = roleIn(p.properties['RoleName'], p);
    if (role !== undefined) attach(role, documentGrant(p.properties['PolicyDocument'], p.logicalId, 'inline', propertyAt(p, 'PolicyDocument')), p);
  }

  for (const r of roles) {
    graph.add({
      kind: 'iam-role',
      ...ctx.base(r),
      name: maybeString(r.properties['RoleName']),
      grants: grants.get(r.logicalId) ?? [],
      unreadPolicies: [...new Set([...(unread.get(r.logicalId) ?? []), ...everyRole])],
    });
  }
  for (const f of ctx.ofType('AWS::Serverless::Function')) {
    if (f.properties['Role'] !== undefined && f.properties['Role'] !== null) continue;
    const id = samRoleId(ctx, f);
    const read = samPolicies(f);
    graph.add({ kind: 'iam-role', ...ctx.base(f), id, name: undefined, grants: read.grants, unreadPolicies: [...read.unread, ...everyRole] });
  }
}

/** SAM names the role it generates for a function `<FunctionLogicalId>Role`. */
export function samRoleId(ctx: CfnContext, f: CfnResource): NodeId {
  const id = `${f.logicalId}Role`;
  return ctx.template.resources.some((r) => r.logicalId === id) ? `${id} (generated by SAM)` : id;
}

/** The `Policies` of a SAM function: AWS-managed names or ARNs, policy templates, inline documents. */
function samPolicies(f: CfnResource): { grants: IamGrant[]; unread: string[] } {
  const out: { grants: IamGrant[]; unread: string[] } = { grants: [], unread: [] };
  const v = f.properties['Policies'];
  if (v === undefined || v === null) return out;
  if (isUnknown(v)) return { ...out, unread: [`the Policies of ${f.logicalId} are not known`] };
  const list = Array.isArray(v) ? v : [v];
  list.forEach((x, n) => {
    const at = propertyAt(f, Array.isArray(v) ? `Policies[${n}]` : 'Policies');
    if (typeof x === 'string' && !parseRef(x)) {
      out.grants.push(awsManaged(awsManagedPolicyName(x) ?? x, at));
      return;
    }
    if (isObject(x) && x['Statement'] !== undefined) {
      const g = documentGrant(x, `${f.logicalId} inline policy`, 'inline', at);
      if (typeof g === 'string') out.unread.push(g);
      else out.grants.push(g);
      return;
    }
    if (isObject(x) && Object.keys(x).length === 1) {
      const name = Object.keys(x)[0]!;
      out.grants.push({ policy: name, origin: 'sam-template', source: at, actions: samTemplateActions(name), resources: refsIn(x[name]) });
      return;
    }
    out.unread.push(`a policy of ${f.logicalId} is not known`);
  });
  return out;
}

function awsManaged(name: string, at: SourceRef): IamGrant {
  return { policy: name, origin: 'aws-managed', source: at, actions: awsManagedActions(name), resources: [] };
}

function documentGrant(doc: Value | undefined, policy: string, origin: IamGrant['origin'], at: SourceRef): IamGrant | string {
  const read = statementGrants(doc, `the policy of ${policy}`);
  if (read.unread && read.actions.length === 0) return read.unread;
  return { policy, origin, source: at, actions: read.actions, resources: read.resources, ...(read.unread ? { unread: read.unread } : {}) };
}

/** The role a value names: `!GetAtt Role.Arn`, `!Ref Role` (its name), a role name or ARN, a role outside the template. */
export function roleOf(ctx: CfnContext, v: Value | undefined, owner: string, via: string[]): WorkloadRole {
  const t = ctx.target(v);
  if (t)
    return t.type === 'AWS::IAM::Role'
      ? { kind: 'role', role: t.logicalId, via }
      : { kind: 'unknown', reason: `${describe(v!)} is not a role the analyzer reads`, via };
  if (typeof v === 'string' && v !== '' && !parseRef(v)) {
    const name = roleNameOfArn(v) ?? (v.startsWith('arn:') ? undefined : v);
    const local = name ? ctx.ofType('AWS::IAM::Role').filter((r) => r.properties['RoleName'] === name) : [];
    return local.length === 1 ? { kind: 'role', role: local[0]!.logicalId, via } : { kind: 'external', label: v, via };
  }
  return { kind: 'unknown', reason: isUnknown(v) ? v.reason : `${owner} sets ${v === undefined ? 'nothing' : describe(v)}, which is not a role`, via };
}

/** The role of the instance profile a value names (`!Ref Profile`, `!GetAtt Profile.Arn`, a name), undefined when unset. */
export function instanceProfileRole(ctx: CfnContext, v: Value | undefined, owner: string): WorkloadRole | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  let profile: CfnResource | undefined = ctx.target(v);
  if (profile && profile.type !== 'AWS::IAM::InstanceProfile')
    return { kind: 'unknown', reason: `${describe(v)} is not an instance profile the analyzer reads`, via: [] };
  if (!profile) {
    if (typeof v !== 'string' || parseRef(v))
      return { kind: 'unknown', reason: `the instance profile of ${owner} is not known${isUnknown(v) ? ` (${v.reason})` : ''}`, via: [] };
    const name = iamNameOfArn(v, 'instance-profile') ?? (v.startsWith('arn:') ? undefined : v);
    const local = name ? ctx.ofType('AWS::IAM::InstanceProfile').filter((p) => p.properties['InstanceProfileName'] === name) : [];
    if (local.length !== 1) return { kind: 'external', label: `instance profile ${v}`, via: [] };
    profile = local[0]!;
  }
  const roles = profile.properties['Roles'];
  if (!Array.isArray(roles)) return { kind: 'unknown', reason: `the role of instance profile ${profile.logicalId} is not known`, via: [profile.logicalId] };
  if (roles.length === 0) return undefined;
  return roleOf(ctx, roles[0], profile.logicalId, [profile.logicalId]);
}
