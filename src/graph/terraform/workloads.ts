import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, parseRef, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
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
import { instanceProfileRole, roleOf } from './iam.js';
import { base, type InstanceIndex, maybeBool, maybeString } from './refs.js';
import { securityGroupOf, subnetOf } from './security.js';

/** What reading workloads needs: the graph, the instances, and how subnet and group lists resolve. */
interface Reader {
  graph: Graph;
  index: InstanceIndex;
  subnets(v: Value | undefined): IdList;
  groups(v: Value | undefined): IdList;
  draft(i: ResourceInstance, d: Omit<WorkloadDraft, 'base'>): void;
}

/**
 * Workloads that run in subnets and call AWS services: Lambda functions (`vpc_config`), ECS services
 * (`network_configuration`) and task definitions, EKS clusters and node groups, EC2 instances, launch templates and
 * autoscaling groups.
 */
export function addWorkloads(graph: Graph, index: InstanceIndex): void {
  const drafts: WorkloadDraft[] = [];
  const r: Reader = {
    graph,
    index,
    subnets: (v) => collectIds(v, (x) => subnetOf(graph, index, x)),
    groups: (v) => collectIds(v, (x) => securityGroupOf(graph, index, x)),
    draft: (i, d) => drafts.push({ base: base(i), ...d }),
  };
  addLambdaFunctions(r);
  addEcs(r);
  addEks(r);
  addLaunchTemplates(r);
  addInstances(r);
  addAutoscalingGroups(r);
  addWorkloadNodes(graph, drafts);
}

/** The first (only) element of a nested block; Unknown when the blocks are; undefined when absent. */
function block(v: Value | undefined): Record<string, Value> | Maybe<undefined> {
  if (isUnknown(v)) return v;
  const b = Array.isArray(v) ? v[0] : v;
  if (isUnknown(b)) return b;
  return isObject(b) ? b : undefined;
}

function targetOfType(index: InstanceIndex, v: Value | undefined, ...types: string[]): NodeId | 'unknown' | undefined {
  if (v === undefined || v === null) return undefined;
  const t = index.target(v);
  if (t) return types.includes(t.instance.type) ? t.instance.address : 'unknown';
  // A reference to a name the configuration sets (`aws_eks_cluster.x.name`) evaluates to the name itself.
  const named = typeof v === 'string' ? index.ofType(...types).filter((i) => i.values['name'] === v || i.values['family'] === v) : [];
  return named.length === 1 ? named[0]!.address : 'unknown';
}

/** A `launch_template { id | name }` block. */
function launchTemplateOf(index: InstanceIndex, v: Value | undefined): NodeId | 'unknown' | undefined {
  const b = block(v);
  if (b === undefined) return undefined;
  if (isUnknown(b)) return 'unknown';
  return targetOfType(index, b['id'] ?? b['name'] ?? null, 'aws_launch_template') ?? 'unknown';
}

const roleAt = (index: InstanceIndex, i: ResourceInstance, attr: string) =>
  i.values[attr] === undefined || i.values[attr] === null ? {} : { role: roleOf(index, i, [attr]) };

function profileRole(index: InstanceIndex, i: ResourceInstance, ...path: string[]) {
  const role = instanceProfileRole(index, i, path);
  return role ? { role } : {};
}

const notInConfiguration = (what: string, i: ResourceInstance) => `the ${what} of ${i.address} is not in the configuration`;

function addLambdaFunctions(r: Reader): void {
  const tableNames = new Map<string, string[]>();
  for (const t of r.index.ofType('aws_dynamodb_table'))
    if (typeof t.values['name'] === 'string') (tableNames.get(t.values['name']) ?? tableNames.set(t.values['name'], []).get(t.values['name'])!).push(t.address);
  for (const i of r.index.ofType('aws_lambda_function')) {
    const vpc = block(i.values['vpc_config']);
    const env = block(i.values['environment']);
    const placement = lambdaPlacement(
      vpc === undefined || isUnknown(vpc) ? vpc : { subnets: r.subnets(vpc['subnet_ids']), securityGroups: r.groups(vpc['security_group_ids']) },
    );
    r.draft(i, {
      ...placement,
      ...roleAt(r.index, i, 'role'),
      extra: { environmentRefs: env && !isUnknown(env) ? environmentRefs(env['variables'], tableNames) : [] },
    });
  }
}

function addEcs(r: Reader): void {
  for (const i of r.index.ofType('aws_ecs_task_definition')) {
    r.draft(i, {
      workload: 'ecs-task-definition',
      inVpc: undefined,
      subnets: emptyIds(),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      uses: [],
      extra: {
        networkMode: maybeString(i.values['network_mode']) ?? 'bridge',
        containers: containersOf(i.values['container_definitions'], 'terraform', referencedService(r.index)) ?? [],
        requiresCompatibilities: stringList(i.values['requires_compatibilities'], 'apply') ?? [],
      },
      ...roleAt(r.index, i, 'task_role_arn'),
    });
  }
  for (const i of r.index.ofType('aws_ecs_service')) {
    const task = targetOfType(r.index, i.values['task_definition'], 'aws_ecs_task_definition');
    const net = block(i.values['network_configuration']);
    const awsvpc =
      net === undefined || isUnknown(net)
        ? net
        : { subnets: r.subnets(net['subnets']), securityGroups: r.groups(net['security_groups']), assignPublicIp: maybeBool(net['assign_public_ip'], false) };
    const strategy = i.values['capacity_provider_strategy'];
    const providers = isUnknown(strategy)
      ? strategy
      : Array.isArray(strategy)
        ? strategy.map((b) => (isObject(b) ? (b['capacity_provider'] ?? null) : b))
        : undefined;
    const launch = {
      launchType: ecsLaunchType(maybeString(i.values['launch_type']), stringList(providers, 'apply')),
      platformVersion: maybeString(i.values['platform_version']),
    };
    r.draft(i, ecsServiceDraft(awsvpc, task && task !== 'unknown' ? [task] : [], roleFrom(task, notInConfiguration('task definition', i)), launch));
  }
}

function addEks(r: Reader): void {
  for (const i of r.index.ofType('aws_eks_cluster')) {
    const vpc = block(i.values['vpc_config']);
    const cfg = isUnknown(vpc) || vpc === undefined ? undefined : vpc;
    r.draft(i, {
      workload: 'eks-cluster',
      inVpc: true,
      subnets: cfg ? r.subnets(cfg['subnet_ids']) : unknownIds(),
      securityGroups: cfg ? r.groups(cfg['security_group_ids']) : unknownIds(),
      defaultGroupWhenNone: false,
      // EKS creates a cluster security group of its own beside the ones listed.
      hiddenGroups: 'always',
      uses: [],
    });
  }
  for (const i of r.index.ofType('aws_eks_node_group')) {
    const cluster = targetOfType(r.index, i.values['cluster_name'], 'aws_eks_cluster');
    const lt = launchTemplateOf(r.index, i.values['launch_template']);
    const remote = block(i.values['remote_access']);
    r.draft(i, {
      workload: 'eks-node-group',
      inVpc: true,
      subnets: r.subnets(i.values['subnet_ids']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      // Without a launch template that sets groups, nodes get the EKS cluster security group (and a remote-access group).
      hiddenGroups: remote !== undefined ? 'always' : 'unless-template-sets-groups',
      uses: cluster && cluster !== 'unknown' ? [cluster] : [],
      extra: { amiType: maybeString(i.values['ami_type']) },
      ...launchTemplateField(lt),
      ...roleAt(r.index, i, 'node_role_arn'),
    });
  }
}

/** `iam_instance_profile { name | arn }` of a launch template. */
function launchTemplateRole(index: InstanceIndex, i: ResourceInstance): Pick<WorkloadDraft, 'role'> {
  const b = block(i.values['iam_instance_profile']);
  if (b === undefined) return {};
  if (isUnknown(b)) return { role: { kind: 'unknown', reason: `the instance profile of ${i.address} is not known`, via: [] } };
  return profileRole(index, i, 'iam_instance_profile', b['arn'] !== undefined && b['arn'] !== null ? 'arn' : 'name');
}

function addLaunchTemplates(r: Reader): void {
  for (const i of r.index.ofType('aws_launch_template')) {
    const nics = i.values['network_interfaces'];
    const nicList = isUnknown(nics) ? undefined : Array.isArray(nics) ? nics.filter(isObject) : [];
    r.draft(i, {
      workload: 'launch-template',
      inVpc: undefined,
      subnets: nicList ? mergeIds(...nicList.map((n) => r.subnets(n['subnet_id']))) : unknownIds(),
      securityGroups: mergeIds(
        r.groups(i.values['vpc_security_group_ids']),
        r.groups(i.values['security_group_names']),
        ...(nicList ?? []).map((n) => r.groups(n['security_groups'])),
      ),
      defaultGroupWhenNone: false,
      uses: [],
      ...launchTemplateRole(r.index, i),
    });
  }
}

function addInstances(r: Reader): void {
  for (const i of r.index.ofType('aws_instance')) {
    const nics = i.values['network_interface'];
    const nicTargets = isUnknown(nics)
      ? undefined
      : Array.isArray(nics)
        ? nics.filter(isObject).map((n) => r.index.target(n['network_interface_id'])?.instance)
        : [];
    const fromNics = (attr: 'subnet_id' | 'security_groups', f: (v: Value | undefined) => IdList) =>
      nicTargets === undefined
        ? unknownIds()
        : mergeIds(...nicTargets.map((t) => (t && t.type === 'aws_network_interface' ? f(t.values[attr]) : unknownIds())));
    const lt = launchTemplateOf(r.index, i.values['launch_template']);
    // An instance's own profile, else its launch template's.
    const own = profileRole(r.index, i, 'iam_instance_profile');
    r.draft(i, {
      workload: 'ec2-instance',
      inVpc: true,
      subnets: mergeIds(r.subnets(i.values['subnet_id']), fromNics('subnet_id', r.subnets)),
      securityGroups: mergeIds(r.groups(i.values['vpc_security_group_ids']), r.groups(i.values['security_groups']), fromNics('security_groups', r.groups)),
      defaultGroupWhenNone: true,
      // Without a subnet, EC2 launches into a default subnet of the default VPC.
      subnetChosenByAws: true,
      uses: [],
      ...launchTemplateField(lt),
      ...(own.role ? own : roleFrom(lt, notInConfiguration('launch template', i))),
    });
  }
}

function addAutoscalingGroups(r: Reader): void {
  for (const i of r.index.ofType('aws_autoscaling_group')) {
    const mixed = block(i.values['mixed_instances_policy']);
    const mixedLt = mixed && !isUnknown(mixed) ? block(mixed['launch_template']) : mixed;
    const spec = mixedLt && !isUnknown(mixedLt) ? mixedLt['launch_template_specification'] : mixedLt;
    const lt =
      launchTemplateOf(r.index, i.values['launch_template']) ??
      (spec === undefined
        ? undefined
        : isUnknown(spec)
          ? 'unknown'
          : launchTemplateOf(
              r.index,
              Array.isArray(spec)
                ? spec.map((s) => (isObject(s) ? { id: s['launch_template_id'] ?? null, name: s['launch_template_name'] ?? null } : s))
                : spec,
            ));
    r.draft(i, {
      workload: 'autoscaling-group',
      inVpc: true,
      subnets: r.subnets(i.values['vpc_zone_identifier']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...launchTemplateField(lt),
      ...roleFrom(lt, notInConfiguration('launch template', i)),
    });
  }
}

/** Resources whose references say which service a container's image or secret comes from. */
const REFERENCED_SERVICE: Record<string, 'ecr' | 'secretsmanager' | 'ssm'> = {
  aws_ecr_repository: 'ecr',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_secretsmanager_secret_version: 'secretsmanager',
  aws_ssm_parameter: 'ssm',
};

/**
 * The service of the resource a container's image or secret names: a reference (`aws_secretsmanager_secret.db.arn`),
 * or text built around one (`"${aws_ecr_repository.api.repository_url}:1.2"`), which stays Unknown until apply and
 * whose reason names the reference.
 */
function referencedService(index: InstanceIndex): ReferencedService {
  return (v) => {
    const address = parseRef(v)?.address ?? (isUnknown(v) ? /^(.+?)\.[\w-]+ is known only after apply$/.exec(v.reason)?.[1] : undefined);
    const instance = address === undefined ? undefined : index.byAddress.get(address);
    const service = instance ? REFERENCED_SERVICE[instance.type] : undefined;
    return service && instance ? { service, address: instance.address } : undefined;
  };
}
