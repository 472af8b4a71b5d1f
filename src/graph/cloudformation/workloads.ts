import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isObject, isUnknown, unknown, type Value, type ValueObject } from '../../source/value.js';
import { collectIds, emptyIds, mergeIds, unknownIds, type IdList } from '../ids.js';
import type { Maybe, NodeId } from '../model.js';
import {
  addWorkloads as addWorkloadNodes,
  containersOf,
  ecsLaunchType,
  ecsServiceDraft,
  environmentRefs,
  lambdaPlacement,
  launchTemplateField,
  roleFrom,
  stringList,
  type ReferencedService,
  type WorkloadDraft,
} from '../workloads.js';
import { maybeString, type CfnContext } from './context.js';
import { instanceProfileRole, roleOf, samRoleId } from './iam.js';
import { securityGroupOf, subnetOf } from './security.js';

/** What reading workloads needs: the template, and how subnet and group lists resolve. */
interface Reader {
  ctx: CfnContext;
  subnets(v: Value | undefined): IdList;
  groups(v: Value | undefined): IdList;
  draft(r: CfnResource, d: Omit<WorkloadDraft, 'base'>): void;
}

/**
 * Workloads: `AWS::Lambda::Function` and `AWS::Serverless::Function` (`VpcConfig`; SAM `Globals` are not applied),
 * `AWS::ECS::Service` (`NetworkConfiguration.AwsvpcConfiguration`) and `AWS::ECS::TaskDefinition`, `AWS::EKS::Cluster`
 * (`ResourcesVpcConfig`) and `AWS::EKS::Nodegroup`, `AWS::EC2::Instance`, `AWS::EC2::LaunchTemplate` and
 * `AWS::AutoScaling::AutoScalingGroup`.
 */
export function addWorkloads(ctx: CfnContext): void {
  const drafts: WorkloadDraft[] = [];
  const r: Reader = {
    ctx,
    subnets: (v) => collectIds(v, (x) => subnetOf(ctx, x)),
    groups: (v) => collectIds(v, (x) => securityGroupOf(ctx, x)),
    draft: (res, d) => drafts.push({ base: ctx.base(res), ...d }),
  };
  addFunctions(r);
  addEcs(r);
  addEks(r);
  addLaunchTemplates(r);
  addInstances(r);
  addAutoscalingGroups(r);
  addWorkloadNodes(ctx.graph, drafts);
}

const obj = (v: Value | undefined): ValueObject | Maybe<undefined> => (isUnknown(v) ? v : isObject(v) ? v : undefined);

function targetOfType(ctx: CfnContext, v: Value | undefined, type: string): NodeId | 'unknown' | undefined {
  if (v === undefined || v === null) return undefined;
  const t = ctx.target(v);
  return t && t.type === type ? t.logicalId : 'unknown';
}

/** A launch template specification: its id or name property. */
function launchTemplateOf(ctx: CfnContext, v: Value | undefined, idKey: string, nameKey: string): NodeId | 'unknown' | undefined {
  const spec = obj(v);
  if (spec === undefined) return undefined;
  if (isUnknown(spec)) return 'unknown';
  return targetOfType(ctx, spec[idKey] ?? spec[nameKey] ?? null, 'AWS::EC2::LaunchTemplate') ?? 'unknown';
}

const roleAt = (ctx: CfnContext, r: CfnResource, key: string) =>
  r.properties[key] === undefined || r.properties[key] === null ? {} : { role: roleOf(ctx, r.properties[key], r.logicalId, []) };

function profileRole(ctx: CfnContext, v: Value | undefined, owner: string): Pick<WorkloadDraft, 'role'> {
  const role = instanceProfileRole(ctx, v, owner);
  return role ? { role } : {};
}

const notInTemplate = (what: string, r: CfnResource) => `the ${what} of ${r.logicalId} is not in the template`;

function addFunctions(rd: Reader): void {
  const { ctx } = rd;
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
        : roleAt(ctx, r, 'Role');
    const vpc = obj(r.properties['VpcConfig']);
    const placement = lambdaPlacement(
      vpc === undefined || isUnknown(vpc) ? vpc : { subnets: rd.subnets(vpc['SubnetIds']), securityGroups: rd.groups(vpc['SecurityGroupIds']) },
    );
    rd.draft(r, { ...placement, ...role, extra: { environmentRefs: env && !isUnknown(env) ? environmentRefs(env['Variables'], tableNames) : [] } });
  }
}

function addEcs(rd: Reader): void {
  const { ctx } = rd;
  for (const r of ctx.ofType('AWS::ECS::TaskDefinition')) {
    const p = r.properties;
    rd.draft(r, {
      workload: 'ecs-task-definition',
      inVpc: undefined,
      subnets: emptyIds(),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      uses: [],
      extra: {
        networkMode: maybeString(p['NetworkMode']) ?? 'bridge',
        containers: containersOf(p['ContainerDefinitions'], 'cloudformation', referencedService(ctx)) ?? [],
        requiresCompatibilities: stringList(p['RequiresCompatibilities'], 'deployment') ?? [],
      },
      ...roleAt(ctx, r, 'TaskRoleArn'),
    });
  }
  for (const r of ctx.ofType('AWS::ECS::Service')) {
    const p = r.properties;
    const task = targetOfType(ctx, p['TaskDefinition'], 'AWS::ECS::TaskDefinition');
    const net = obj(p['NetworkConfiguration']);
    const awsvpc = net === undefined || isUnknown(net) ? net : obj(net['AwsvpcConfiguration']);
    const placement =
      awsvpc === undefined || isUnknown(awsvpc)
        ? awsvpc
        : {
            subnets: rd.subnets(awsvpc['Subnets']),
            securityGroups: rd.groups(awsvpc['SecurityGroups']),
            assignPublicIp: assignPublicIp(awsvpc['AssignPublicIp']),
          };
    const strategy = p['CapacityProviderStrategy'];
    const providers = isUnknown(strategy)
      ? strategy
      : Array.isArray(strategy)
        ? strategy.map((b) => (isObject(b) ? (b['CapacityProvider'] ?? null) : b))
        : undefined;
    const launch = {
      launchType: ecsLaunchType(maybeString(p['LaunchType']), stringList(providers, 'deployment')),
      platformVersion: maybeString(p['PlatformVersion']),
    };
    rd.draft(r, ecsServiceDraft(placement, task && task !== 'unknown' ? [task] : [], roleFrom(task, notInTemplate('task definition', r)), launch));
  }
}

/** `AssignPublicIp`: ENABLED or DISABLED (the default). */
function assignPublicIp(v: Value | undefined): Maybe<boolean> {
  if (v === undefined || v === null || v === 'DISABLED') return false;
  if (v === 'ENABLED') return true;
  return isUnknown(v) ? v : unknown(`AssignPublicIp ${String(maybeString(v))} is not known`);
}

function addEks(rd: Reader): void {
  const { ctx } = rd;
  for (const r of ctx.ofType('AWS::EKS::Cluster')) {
    const cfg = obj(r.properties['ResourcesVpcConfig']);
    const known = cfg !== undefined && !isUnknown(cfg) ? cfg : undefined;
    rd.draft(r, {
      workload: 'eks-cluster',
      inVpc: true,
      subnets: known ? rd.subnets(known['SubnetIds']) : unknownIds(),
      securityGroups: known ? rd.groups(known['SecurityGroupIds']) : unknownIds(),
      defaultGroupWhenNone: false,
      hiddenGroups: 'always',
      uses: [],
    });
  }
  for (const r of ctx.ofType('AWS::EKS::Nodegroup')) {
    const p = r.properties;
    const cluster = targetOfType(ctx, p['ClusterName'], 'AWS::EKS::Cluster');
    const lt = launchTemplateOf(ctx, p['LaunchTemplate'], 'Id', 'Name');
    rd.draft(r, {
      workload: 'eks-node-group',
      inVpc: true,
      subnets: rd.subnets(p['Subnets']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      hiddenGroups: p['RemoteAccess'] !== undefined ? 'always' : 'unless-template-sets-groups',
      uses: cluster && cluster !== 'unknown' ? [cluster] : [],
      extra: { amiType: maybeString(p['AmiType']) },
      ...launchTemplateField(lt),
      ...roleAt(ctx, r, 'NodeRole'),
    });
  }
}

/** Subnets and groups of network interfaces: each one's own, or those of the `AWS::EC2::NetworkInterface` it names. */
function nicsOf(rd: Reader, v: Value | undefined, groupKey: string): { subnets: IdList; groups: IdList } {
  if (v === undefined || v === null) return { subnets: emptyIds(), groups: emptyIds() };
  if (!Array.isArray(v)) return { subnets: unknownIds(), groups: unknownIds() };
  const parts = v.map((n) => {
    if (!isObject(n)) return { subnets: unknownIds(), groups: unknownIds() };
    const eni = rd.ctx.target(n['NetworkInterfaceId']);
    if (eni)
      return eni.type === 'AWS::EC2::NetworkInterface'
        ? { subnets: rd.subnets(eni.properties['SubnetId']), groups: rd.groups(eni.properties['GroupSet']) }
        : { subnets: unknownIds(), groups: unknownIds() };
    return { subnets: rd.subnets(n['SubnetId']), groups: rd.groups(n[groupKey]) };
  });
  return { subnets: mergeIds(...parts.map((x) => x.subnets)), groups: mergeIds(...parts.map((x) => x.groups)) };
}

function addLaunchTemplates(rd: Reader): void {
  for (const r of rd.ctx.ofType('AWS::EC2::LaunchTemplate')) {
    const data = obj(r.properties['LaunchTemplateData']);
    if (data === undefined || isUnknown(data)) {
      rd.draft(r, {
        workload: 'launch-template',
        inVpc: undefined,
        subnets: data === undefined ? emptyIds() : unknownIds(),
        securityGroups: data === undefined ? emptyIds() : unknownIds(),
        defaultGroupWhenNone: false,
        uses: [],
      });
      continue;
    }
    const nics = nicsOf(rd, data['NetworkInterfaces'], 'Groups');
    const profile = obj(data['IamInstanceProfile']);
    const role: Pick<WorkloadDraft, 'role'> =
      profile === undefined
        ? {}
        : isUnknown(profile)
          ? { role: { kind: 'unknown', reason: `the instance profile of ${r.logicalId} is not known`, via: [] } }
          : profileRole(rd.ctx, profile['Arn'] ?? profile['Name'], r.logicalId);
    rd.draft(r, {
      workload: 'launch-template',
      inVpc: undefined,
      subnets: nics.subnets,
      securityGroups: mergeIds(rd.groups(data['SecurityGroupIds']), rd.groups(data['SecurityGroups']), nics.groups),
      defaultGroupWhenNone: false,
      uses: [],
      ...role,
    });
  }
}

function addInstances(rd: Reader): void {
  for (const r of rd.ctx.ofType('AWS::EC2::Instance')) {
    const p = r.properties;
    const nics = nicsOf(rd, p['NetworkInterfaces'], 'GroupSet');
    const lt = launchTemplateOf(rd.ctx, p['LaunchTemplate'], 'LaunchTemplateId', 'LaunchTemplateName');
    rd.draft(r, {
      workload: 'ec2-instance',
      inVpc: true,
      subnets: mergeIds(rd.subnets(p['SubnetId']), nics.subnets),
      securityGroups: mergeIds(rd.groups(p['SecurityGroupIds']), rd.groups(p['SecurityGroups']), nics.groups),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...launchTemplateField(lt),
      ...(p['IamInstanceProfile'] !== undefined && p['IamInstanceProfile'] !== null
        ? profileRole(rd.ctx, p['IamInstanceProfile'], r.logicalId)
        : roleFrom(lt, notInTemplate('launch template', r))),
    });
  }
}

function addAutoscalingGroups(rd: Reader): void {
  for (const r of rd.ctx.ofType('AWS::AutoScaling::AutoScalingGroup')) {
    const p = r.properties;
    const mixed = obj(p['MixedInstancesPolicy']);
    const mixedLt = mixed && !isUnknown(mixed) ? obj(mixed['LaunchTemplate']) : mixed;
    const spec = mixedLt && !isUnknown(mixedLt) ? mixedLt['LaunchTemplateSpecification'] : mixedLt;
    const lt =
      launchTemplateOf(rd.ctx, p['LaunchTemplate'], 'LaunchTemplateId', 'LaunchTemplateName') ??
      launchTemplateOf(rd.ctx, spec, 'LaunchTemplateId', 'LaunchTemplateName');
    rd.draft(r, {
      workload: 'autoscaling-group',
      inVpc: true,
      subnets: rd.subnets(p['VPCZoneIdentifier']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...launchTemplateField(lt),
      ...roleFrom(lt, notInTemplate('launch template', r)),
    });
  }
}

/** Resource types whose references say which service a container's image or secret comes from. */
const REFERENCED_SERVICE: Record<string, 'ecr' | 'secretsmanager' | 'ssm'> = {
  'AWS::ECR::Repository': 'ecr',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::SSM::Parameter': 'ssm',
};

/** The service of the resource a container's image or secret names with `Ref` or `Fn::GetAtt`. */
function referencedService(ctx: CfnContext): ReferencedService {
  return (v) => {
    const target = ctx.target(v);
    const service = target ? REFERENCED_SERVICE[target.type] : undefined;
    return service && target ? { service, address: target.logicalId } : undefined;
  };
}
