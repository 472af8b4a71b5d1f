import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import { collectIds, emptyIds, mergeIds, type IdList } from '../ids.js';
import type { Maybe, NodeId } from '../model.js';
import { addWorkloads as addWorkloadNodes, containersOf, type WorkloadDraft } from '../workloads.js';
import { instanceProfileRole, roleOf } from './iam.js';
import { base, type InstanceIndex, maybeBool, maybeString } from './refs.js';
import { securityGroupOf, subnetOf } from './security.js';

/**
 * Workloads that run in subnets and call AWS services: Lambda functions (`vpc_config`), ECS services
 * (`network_configuration`) and task definitions, EKS clusters and node groups, EC2 instances, launch templates and
 * autoscaling groups.
 */
export function addWorkloads(graph: Graph, index: InstanceIndex): void {
  const subnets = (v: Value | undefined) => collectIds(v, (x) => subnetOf(graph, index, x));
  const groups = (v: Value | undefined) => collectIds(v, (x) => securityGroupOf(graph, index, x));
  /** The first (only) element of a nested block; Unknown when the blocks are; undefined when absent. */
  const block = (v: Value | undefined): Record<string, Value> | Maybe<undefined> => {
    if (isUnknown(v)) return v;
    const b = Array.isArray(v) ? v[0] : v;
    if (isUnknown(b)) return b;
    return isObject(b) ? b : undefined;
  };
  const unknownIds = (): IdList => ({ ...emptyIds(), incomplete: true });
  const targetOfType = (v: Value | undefined, ...types: string[]): NodeId | 'unknown' | undefined => {
    if (v === undefined || v === null) return undefined;
    const t = index.target(v);
    if (t) return types.includes(t.instance.type) ? t.instance.address : 'unknown';
    // A reference to a name the configuration sets (`aws_eks_cluster.x.name`) evaluates to the name itself.
    const named = typeof v === 'string' ? index.ofType(...types).filter((i) => i.values['name'] === v || i.values['family'] === v) : [];
    return named.length === 1 ? named[0]!.address : 'unknown';
  };
  const launchTemplateOf = (v: Value | undefined): NodeId | 'unknown' | undefined => {
    const b = block(v);
    if (b === undefined) return undefined;
    if (isUnknown(b)) return 'unknown';
    return targetOfType(b['id'] ?? b['name'] ?? null, 'aws_launch_template') ?? 'unknown';
  };
  const drafts: WorkloadDraft[] = [];
  const draft = (i: ResourceInstance, d: Omit<WorkloadDraft, 'base'>) => drafts.push({ base: base(i), ...d });
  const roleAt = (i: ResourceInstance, attr: string) => (i.values[attr] === undefined || i.values[attr] === null ? {} : { role: roleOf(index, i, [attr]) });
  const profileRole = (i: ResourceInstance, ...path: string[]) => {
    const role = instanceProfileRole(index, i, path);
    return role ? { role } : {};
  };
  /** `iam_instance_profile { name | arn }` of a launch template. */
  const launchTemplateRole = (i: ResourceInstance) => {
    const b = block(i.values['iam_instance_profile']);
    if (b === undefined) return {};
    if (isUnknown(b)) return { role: { kind: 'unknown' as const, reason: `the instance profile of ${i.address} is not known`, via: [] } };
    return profileRole(i, 'iam_instance_profile', b['arn'] !== undefined && b['arn'] !== null ? 'arn' : 'name');
  };
  /** An instance's own profile, else its launch template's. */
  const profileOrTemplate = (i: ResourceInstance, lt: NodeId | 'unknown' | undefined): Pick<WorkloadDraft, 'role' | 'roleFrom'> => {
    const own = profileRole(i, 'iam_instance_profile');
    if (own.role || lt === undefined) return own;
    return { roleFrom: lt === 'unknown' ? { unknown: `the launch template of ${i.address} is not in the configuration` } : lt };
  };
  const tableNames = new Map<string, string[]>();
  for (const t of index.ofType('aws_dynamodb_table'))
    if (typeof t.values['name'] === 'string') (tableNames.get(t.values['name']) ?? tableNames.set(t.values['name'], []).get(t.values['name'])!).push(t.address);

  for (const i of index.ofType('aws_lambda_function')) {
    const vpc = block(i.values['vpc_config']);
    const env = block(i.values['environment']);
    const own = { ...roleAt(i, 'role'), extra: { environmentRefs: env && !isUnknown(env) ? environmentRefs(env['variables'], tableNames) : [] } };
    if (vpc === undefined) {
      draft(i, { workload: 'lambda-function', inVpc: false, subnets: emptyIds(), securityGroups: emptyIds(), defaultGroupWhenNone: false, uses: [], ...own });
      continue;
    }
    if (isUnknown(vpc)) {
      draft(i, { workload: 'lambda-function', inVpc: vpc, subnets: unknownIds(), securityGroups: unknownIds(), defaultGroupWhenNone: false, uses: [], ...own });
      continue;
    }
    const s = subnets(vpc['subnet_ids']);
    // Lambda leaves a function with empty vpc_config lists outside any VPC.
    const inVpc: Maybe<boolean> = s.nodes.length > 0 || s.external.length > 0 ? true : s.incomplete ? unknown('the function subnets are not known') : false;
    draft(i, {
      workload: 'lambda-function',
      inVpc,
      subnets: s,
      securityGroups: groups(vpc['security_group_ids']),
      defaultGroupWhenNone: false,
      uses: [],
      ...own,
    });
  }

  for (const i of index.ofType('aws_ecs_task_definition')) {
    draft(i, {
      workload: 'ecs-task-definition',
      inVpc: undefined,
      subnets: emptyIds(),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      uses: [],
      extra: { networkMode: maybeString(i.values['network_mode']) ?? 'bridge', containers: containersOf(i.values['container_definitions'], 'terraform') ?? [] },
      ...roleAt(i, 'task_role_arn'),
    });
  }
  for (const i of index.ofType('aws_ecs_service')) {
    const task = targetOfType(i.values['task_definition'], 'aws_ecs_task_definition');
    const uses = task && task !== 'unknown' ? [task] : [];
    const roleFrom =
      task === undefined ? undefined : task === 'unknown' ? { unknown: `the task definition of ${i.address} is not in the configuration` } : task;
    const fromTask = roleFrom ? { roleFrom } : {};
    const net = block(i.values['network_configuration']);
    if (net === undefined || isUnknown(net)) {
      const inVpc = net === undefined ? unknown('without awsvpc network configuration, tasks use the network of their container instances') : net;
      draft(i, { workload: 'ecs-service', inVpc, subnets: unknownIds(), securityGroups: unknownIds(), defaultGroupWhenNone: false, uses, ...fromTask });
      continue;
    }
    draft(i, {
      workload: 'ecs-service',
      inVpc: true,
      subnets: subnets(net['subnets']),
      securityGroups: groups(net['security_groups']),
      // ECS gives awsvpc tasks without groups the VPC's default group.
      defaultGroupWhenNone: true,
      uses,
      extra: { assignPublicIp: maybeBool(net['assign_public_ip'], false) },
      ...fromTask,
    });
  }

  for (const i of index.ofType('aws_eks_cluster')) {
    const vpc = block(i.values['vpc_config']);
    const cfg = isUnknown(vpc) || vpc === undefined ? undefined : vpc;
    draft(i, {
      workload: 'eks-cluster',
      inVpc: true,
      subnets: cfg ? subnets(cfg['subnet_ids']) : unknownIds(),
      securityGroups: cfg ? groups(cfg['security_group_ids']) : unknownIds(),
      defaultGroupWhenNone: false,
      // EKS creates a cluster security group of its own beside the ones listed.
      hiddenGroups: 'always',
      uses: [],
    });
  }
  for (const i of index.ofType('aws_eks_node_group')) {
    const cluster = targetOfType(i.values['cluster_name'], 'aws_eks_cluster');
    const lt = launchTemplateOf(i.values['launch_template']);
    const remote = block(i.values['remote_access']);
    draft(i, {
      workload: 'eks-node-group',
      inVpc: true,
      subnets: subnets(i.values['subnet_ids']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: false,
      // Without a launch template that sets groups, nodes get the EKS cluster security group (and a remote-access group).
      hiddenGroups: remote !== undefined ? 'always' : 'unless-template-sets-groups',
      uses: cluster && cluster !== 'unknown' ? [cluster] : [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...roleAt(i, 'node_role_arn'),
    });
  }

  for (const i of index.ofType('aws_launch_template')) {
    const nics = i.values['network_interfaces'];
    const nicList = isUnknown(nics) ? undefined : Array.isArray(nics) ? nics.filter(isObject) : [];
    draft(i, {
      workload: 'launch-template',
      inVpc: undefined,
      subnets: nicList ? mergeIds(...nicList.map((n) => subnets(n['subnet_id']))) : unknownIds(),
      securityGroups: mergeIds(
        groups(i.values['vpc_security_group_ids']),
        groups(i.values['security_group_names']),
        ...(nicList ?? []).map((n) => groups(n['security_groups'])),
      ),
      defaultGroupWhenNone: false,
      uses: [],
      ...launchTemplateRole(i),
    });
  }
  for (const i of index.ofType('aws_instance')) {
    const nics = i.values['network_interface'];
    const nicTargets = isUnknown(nics)
      ? undefined
      : Array.isArray(nics)
        ? nics.filter(isObject).map((n) => index.target(n['network_interface_id'])?.instance)
        : [];
    const fromNics = (attr: 'subnet_id' | 'security_groups', f: (v: Value | undefined) => IdList) =>
      nicTargets === undefined
        ? unknownIds()
        : mergeIds(...nicTargets.map((t) => (t && t.type === 'aws_network_interface' ? f(t.values[attr]) : unknownIds())));
    const lt = launchTemplateOf(i.values['launch_template']);
    draft(i, {
      workload: 'ec2-instance',
      inVpc: true,
      subnets: mergeIds(subnets(i.values['subnet_id']), fromNics('subnet_id', subnets)),
      securityGroups: mergeIds(groups(i.values['vpc_security_group_ids']), groups(i.values['security_groups']), fromNics('security_groups', groups)),
      defaultGroupWhenNone: true,
      // Without a subnet, EC2 launches into a default subnet of the default VPC.
      subnetChosenByAws: true,
      uses: [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...profileOrTemplate(i, lt),
    });
  }
  for (const i of index.ofType('aws_autoscaling_group')) {
    const mixed = block(i.values['mixed_instances_policy']);
    const mixedLt = mixed && !isUnknown(mixed) ? block(mixed['launch_template']) : mixed;
    const spec = mixedLt && !isUnknown(mixedLt) ? mixedLt['launch_template_specification'] : mixedLt;
    const lt =
      launchTemplateOf(i.values['launch_template']) ??
      (spec === undefined
        ? undefined
        : isUnknown(spec)
          ? 'unknown'
          : launchTemplateOf(
              Array.isArray(spec)
                ? spec.map((s) => (isObject(s) ? { id: s['launch_template_id'] ?? null, name: s['launch_template_name'] ?? null } : s))
                : spec,
            ));
    draft(i, {
      workload: 'autoscaling-group',
      inVpc: true,
      subnets: subnets(i.values['vpc_zone_identifier']),
      securityGroups: emptyIds(),
      defaultGroupWhenNone: true,
      subnetChosenByAws: true,
      uses: [],
      ...(lt !== undefined ? { launchTemplate: lt } : {}),
      ...(lt !== undefined ? { roleFrom: lt === 'unknown' ? { unknown: `the launch template of ${i.address} is not in the configuration` } : lt } : {}),
    });
  }
  addWorkloadNodes(graph, drafts);
}

/**
 * Resources a Lambda function's environment variables name: references (`aws_dynamodb_table.orders.arn`) and tables
 * whose literal name a variable holds (`aws_dynamodb_table.orders.name` evaluates to the name when it is written).
 */
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
