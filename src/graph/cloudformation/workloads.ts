import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import { collectIds, emptyIds, mergeIds, type IdList } from '../ids.js';
import type { Maybe, NodeId } from '../model.js';
import { addWorkloads as addWorkloadNodes, containersOf, type WorkloadDraft } from '../workloads.js';
import { maybeString, type CfnContext } from './context.js';
import { instanceProfileRole, roleOf, samRoleId } from './iam.js';
import { securityGroupOf, subnetOf } from './security.js';

/**
 * Workloads: `AWS::Lambda::Function` and `AWS::Serverless::Function` (`VpcConfig`; SAM `Globals` are not applied),
 * `AWS::ECS::Service` (`NetworkConfiguration.AwsvpcConfiguration`) and `AWS::ECS::TaskDefinition`, `AWS::EKS::Cluster`
 * (`ResourcesVpcConfig`) and `AWS::EKS::Nodegroup`, `AWS::EC2::Instance`, `AWS::EC2::LaunchTemplate` and
 * `AWS::AutoScaling::AutoScalingGroup`.
 */
export function addWorkloads(ctx: CfnContext): void {
  const subnets = (v: Value | undefined) => collectIds(v, (x) => subnetOf(ctx, x));
  const groups = (v: Value | undefined) => collectIds(v, (x) => securityGroupOf(ctx, x));
  const unknownIds = (): IdList => ({ ...emptyIds(), incomplete: true });
  const obj = (v: Value | undefined): ValueObject | Maybe<undefined> => (isUnknown(v) ? v : isObject(v) ? v : undefined);
  const targetOfType = (v: Value | undefined, type: string): NodeId | 'unknown' | undefined => {
    if (v === undefined || v === null) return undefined;
    const t = ctx.target(v);
    return t && t.type === type ? t.logicalId : 'unknown';
  };
  const launchTemplateOf = (v: Value | undefined, idKey: string, nameKey: string): NodeId | 'unknown' | undefined => {
    const spec = obj(v);
    if (spec === undefined) return undefined;
    if (isUnknown(spec)) return 'unknown';
    return targetOfType(spec[idKey] ?? spec[nameKey] ?? null, 'AWS::EC2::LaunchTemplate') ?? 'unknown';
  };
  const drafts: WorkloadDraft[] = [];
  const draft = (r: CfnResource, d: Omit<WorkloadDraft, 'base'>) => drafts.push({ base: ctx.base(r), ...d });
  const roleAt = (r: CfnResource, key: string) =>
    r.properties[key] === undefined || r.properties[key] === null ? {} : { role: roleOf(ctx, r.properties[key], r.logicalId, []) };
  const profileRole = (v: Value | undefined, owner: string) => {
    const role = instanceProfileRole(ctx, v, owner);
    return role ? { role } : {};
  };
  const fromTemplate = (lt: NodeId | 'unknown' | undefined, owner: string): Pick<WorkloadDraft, 'roleFrom'> =>
    lt === undefined ? {} : { roleFrom: lt === 'unknown' ? { unknown: `the launch template of ${owner} is not in the template` } : lt };
  const tableNames = new Map<string, string[]>();
  for (const t of ctx.ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
    const name = t.properties['TableName'];
    if (typeof name === 'string') (tableNames.get(name) ?? tableNames.set(name, []).get(name)!).push(t.logicalId);
  }

  for (const r of ctx.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
    const env = obj(r.properties['Environment']);
    const role =
      r.type === 'AWS::Serverless::Function' && (r.properties['Role'] === undefined || r.properties['Role'] === null)
        ? { role: { kind: 'role' as const, role: samRoleId(ctx, r), via: [] } }
        : roleAt(r, 'Role');
    const own = { ...role, extra: { environmentRefs: env && !isUnknown(env) ? environmentRefs(env['Variables'], tableNames) : [] } };
    const vpc = obj(r.properties['VpcConfig']);
    if (vpc === undefined) {
      draft(r, { workload: 'lambda-function', inVpc: false, subnets: emptyIds(), securityGroups: emptyIds(), defaultGroupWhenNone: false, uses: [], ...own });
      continue;
    }
    if (isUnknown(vpc)) {
      draft(r, { workload: 'lambda-function', inVpc: vpc, subnets: unknownIds(), securityGroups: unknownIds(), defaultGroupWhenNone: false, uses: [], ...own });
      continue;
    }
    const s = subnets(vpc['SubnetIds']);
    const inVpc: Maybe<boolean> = s.nodes.length > 0 || s.external.length > 0 ? true : s.incomplete ? unknown('the function subnets are not known') : false;
    draft(r, {
      workload: 'lambda-function',
      inVpc,
      subnets: s,
      securityGroups: groups(vpc['SecurityGroupIds']),
      defaultGroupWhenNone: false,
      uses: [],
      ...own,
    });
  }

  for (const r of ctx.ofType('AWS::ECS::TaskDefinition')) {
    const p = r.properties;
    draft(r, {
      workload: 'ecs-task-definition',
      inVpc: undefined,
      subnets: emptyIds(),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      uses: [],
      extra: { networkMode: maybeString(p['NetworkMode']) ?? 'bridge', containers: containersOf(p['ContainerDefinitions'], 'cloudformation') ?? [] },
      ...roleAt(r, 'TaskRoleArn'),
    });
  }
  for (const r of ctx.ofType('AWS::ECS::Service')) {
    const p = r.properties;
    const task = targetOfType(p['TaskDefinition'], 'AWS::ECS::TaskDefinition');
    const uses = task && task !== 'unknown' ? [task] : [];
    const fromTask =
      task === undefined ? {} : { roleFrom: task === 'unknown' ? { unknown: `the task definition of ${r.logicalId} is not in the template` } : task };
    const net = obj(p['NetworkConfiguration']);
    const awsvpc = net === undefined || isUnknown(net) ? net : obj(net['AwsvpcConfiguration']);
    if (awsvpc === undefined || isUnknown(awsvpc)) {
      const inVpc = awsvpc === undefined ? unknown('without awsvpc network configuration, tasks use the network of their container instances') : awsvpc;
      draft(r, { workload: 'ecs-service', inVpc, subnets: unknownIds(), securityGroups: unknownIds(), defaultGroupWhenNone: false, uses, ...fromTask });
      continue;
    }
    const publicIp = awsvpc['AssignPublicIp'];
    draft(r, {
      workload: 'ecs-service',
      inVpc: true,
      subnets: subnets(awsvpc['Subnets']),
      securityGroups: groups(awsvpc['SecurityGroups']),
      defaultGroupWhenNone: true,
      uses,
      ...fromTask,
      extra: {
        assignPublicIp:
          publicIp === undefined || publicIp === null || publicIp === 'DISABLED'
            ? false
            : publicIp === 'ENABLED'
              ? true
              : isUnknown(publicIp)
                ? publicIp
                : unknown(`AssignPublicIp ${String(maybeString(publicIp))} is not known`),
      },
    });
  }

  for (const r of ctx.ofType('AWS::EKS::Cluster')) {
    const cfg = obj(r.properties['ResourcesVpcConfig']);
    const known = cfg !== undefined && !isUnknown(cfg) ? cfg : undefined;
    draft(r, {
      workload: 'eks-cluster',
      inVpc: true,
      subnets: known ? subnets(known['SubnetIds']) : unknownIds(),
      securityGroups: known ? groups(known['SecurityGroupIds']) : unknownIds(),
      defaultGroupWhenNone: false,
      hiddenGroups: 'always',
      uses: [],
    });
  }
  for (const r of ctx.ofType('AWS::EKS::Nodegroup')) {
    const p = r.properties;
    const cluster = targetOfType(p['ClusterName'], 'AWS::EKS::Cluster');
    const lt = launchTemplateOf(p['LaunchTemplate'], 'Id', 'Name');
    draft(r, {
      workload: 'eks-node-group',
      inVpc: true,
      subnets: subnets(p['Subnets']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      hiddenGroups: p['RemoteAccess'] !== undefined ? 'always' : 'unless-template-sets-groups',
      uses: cluster && cluster !== 'unknown' ? [cluster] : [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...roleAt(r, 'NodeRole'),
    });
  }

  const nicsOf = (v: Value | undefined, groupKey: string): { subnets: IdList; groups: IdList } => {
    if (v === undefined || v === null) return { subnets: emptyIds(), groups: emptyIds() };
    if (!Array.isArray(v)) return { subnets: unknownIds(), groups: unknownIds() };
    const parts = v.map((n) => {
      if (!isObject(n)) return { subnets: unknownIds(), groups: unknownIds() };
      const eni = ctx.target(n['NetworkInterfaceId']);
      if (eni)
        return eni.type === 'AWS::EC2::NetworkInterface'
          ? { subnets: subnets(eni.properties['SubnetId']), groups: groups(eni.properties['GroupSet']) }
          : { subnets: unknownIds(), groups: unknownIds() };
      return { subnets: subnets(n['SubnetId']), groups: groups(n[groupKey]) };
    });
    return { subnets: mergeIds(...parts.map((x) => x.subnets)), groups: mergeIds(...parts.map((x) => x.groups)) };
  };
  for (const r of ctx.ofType('AWS::EC2::LaunchTemplate')) {
    const data = obj(r.properties['LaunchTemplateData']);
    if (data === undefined || isUnknown(data)) {
      draft(r, {
        workload: 'launch-template',
        inVpc: undefined,
        subnets: data === undefined ? emptyIds() : unknownIds(),
        securityGroups: data === undefined ? emptyIds() : unknownIds(),
        defaultGroupWhenNone: false,
        uses: [],
      });
      continue;
    }
    const nics = nicsOf(data['NetworkInterfaces'], 'Groups');
    const profile = obj(data['IamInstanceProfile']);
    const role =
      profile === undefined
        ? {}
        : isUnknown(profile)
          ? { role: { kind: 'unknown' as const, reason: `the instance profile of ${r.logicalId} is not known`, via: [] } }
          : profileRole(profile['Arn'] ?? profile['Name'], r.logicalId);
    draft(r, {
      workload: 'launch-template',
      inVpc: undefined,
      subnets: nics.subnets,
      securityGroups: mergeIds(groups(data['SecurityGroupIds']), groups(data['SecurityGroups']), nics.groups),
      defaultGroupWhenNone: false,
      uses: [],
      ...role,
    });
  }
  for (const r of ctx.ofType('AWS::EC2::Instance')) {
    const p = r.properties;
    const nics = nicsOf(p['NetworkInterfaces'], 'GroupSet');
    const lt = launchTemplateOf(p['LaunchTemplate'], 'LaunchTemplateId', 'LaunchTemplateName');
    draft(r, {
      workload: 'ec2-instance',
      inVpc: true,
      subnets: mergeIds(subnets(p['SubnetId']), nics.subnets),
      securityGroups: mergeIds(groups(p['SecurityGroupIds']), groups(p['SecurityGroups']), nics.groups),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...(p['IamInstanceProfile'] !== undefined && p['IamInstanceProfile'] !== null
        ? profileRole(p['IamInstanceProfile'], r.logicalId)
        : fromTemplate(lt, r.logicalId)),
    });
  }
  for (const r of ctx.ofType('AWS::AutoScaling::AutoScalingGroup')) {
    const p = r.properties;
    const mixed = obj(p['MixedInstancesPolicy']);
    const mixedLt = mixed && !isUnknown(mixed) ? obj(mixed['LaunchTemplate']) : mixed;
    const spec = mixedLt && !isUnknown(mixedLt) ? mixedLt['LaunchTemplateSpecification'] : mixedLt;
    const lt =
      launchTemplateOf(p['LaunchTemplate'], 'LaunchTemplateId', 'LaunchTemplateName') ?? launchTemplateOf(spec, 'LaunchTemplateId', 'LaunchTemplateName');
    draft(r, {
      workload: 'autoscaling-group',
      inVpc: true,
      subnets: subnets(p['VPCZoneIdentifier']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...fromTemplate(lt, r.logicalId),
    });
  }
  addWorkloadNodes(ctx.graph, drafts);
}

/** Resources a function's `Environment.Variables` name: references, and tables whose literal `TableName` a variable holds. */
function environmentRefs(variables: Value | undefined, tableNames: Map<string, string[]>): string[] {
  if (!isObject(variables)) return [];
  const out: string[] = [];
  for (const v of Object.values(variables)) {
    const ref = parseRef(v);
    const found = ref ? [ref.address] : typeof v === 'string' ? (tableNames.get(v) ?? []) : [];
    for (const a of found) if (!out.includes(a)) out.push(a);
  }
  return out;
}
