import { isObject, isUnknown, parseRef, unknown, type Unknown, type Value } from '../source/value.js';
import type { SourceRef } from '../source/types.js';
import type { Graph } from './graph.js';
import { emptyIds, isEmptyIds, unknownIds, type IdList } from './ids.js';
import type { ContainerSpec, Maybe, NodeId, WorkloadKind, WorkloadNode, WorkloadRole } from './model.js';

/** A workload as one format's builder reads it, before launch templates and default groups are applied. */
export interface WorkloadDraft {
  base: { id: NodeId; source: SourceRef; attributeRefs: Record<string, SourceRef>; callSites: SourceRef[] };
  workload: WorkloadKind;
  inVpc: Maybe<boolean> | undefined;
  subnets: IdList;
  securityGroups: IdList;
  /** AWS attaches the VPC's default group when none is given (EC2 instances, ECS awsvpc tasks). */
  defaultGroupWhenNone: boolean;
  /**
   * AWS adds groups the configuration does not describe (the EKS cluster security group), always or only when the
   * launch template sets none: the list is then incomplete.
   */
  hiddenGroups?: 'always' | 'unless-template-sets-groups';
  /** AWS picks a subnet when none is given (an EC2 instance without a subnet goes to a default subnet). */
  subnetChosenByAws?: boolean;
  uses: NodeId[];
  /** The launch template it launches from: its subnets and groups apply where the workload sets none. */
  launchTemplate?: NodeId | 'unknown';
  extra?: Pick<
    WorkloadNode,
    'assignPublicIp' | 'networkMode' | 'containers' | 'environmentRefs' | 'launchType' | 'platformVersion' | 'requiresCompatibilities' | 'amiType'
  >;
  /** Its own role (see `WorkloadNode.role`). */
  role?: WorkloadRole;
  /** Where its role comes from when it sets none: its task definition or launch template, or why that is not known. */
  roleFrom?: NodeId | { unknown: string };
}

/** Adds workload nodes: launch templates first, then what launches from them. */
export function addWorkloads(graph: Graph, drafts: WorkloadDraft[]): void {
  const byId = new Map(drafts.map((d) => [d.base.id, d]));
  const roleOf = (d: WorkloadDraft): WorkloadRole | undefined => {
    if (d.role || d.roleFrom === undefined) return d.role;
    if (typeof d.roleFrom !== 'string') return { kind: 'unknown', reason: d.roleFrom.unknown, via: [] };
    const from = byId.get(d.roleFrom);
    if (!from) return { kind: 'unknown', reason: `${d.roleFrom} is not in the configuration`, via: [] };
    return from.role ? { ...from.role, via: [d.roleFrom, ...from.role.via] } : undefined;
  };
  const ordered = [...drafts.filter((d) => d.workload === 'launch-template'), ...drafts.filter((d) => d.workload !== 'launch-template')];
  for (const d of ordered) {
    let subnets = d.subnets;
    let groups = d.securityGroups;
    let hidden = d.hiddenGroups === 'always';
    if (d.launchTemplate !== undefined) {
      const lt = d.launchTemplate === 'unknown' ? undefined : byId.get(d.launchTemplate);
      if (!lt) {
        // A template outside the configuration may set subnets and groups: what the workload does not set is unknown.
        if (isEmptyIds(subnets)) subnets = { ...subnets, incomplete: true };
        if (isEmptyIds(groups)) groups = { ...groups, incomplete: true };
      } else {
        if (isEmptyIds(subnets)) subnets = lt.subnets;
        if (isEmptyIds(groups)) groups = lt.securityGroups;
      }
    }
    if (d.hiddenGroups === 'unless-template-sets-groups' && isEmptyIds(groups)) hidden = true;
    if (d.subnetChosenByAws && isEmptyIds(subnets)) subnets = { ...subnets, incomplete: true };
    const vpc =
      subnets.nodes.map((s) => graph.getKind(s, 'subnet')?.vpc).find((v) => v !== undefined) ??
      groups.nodes.map((g) => graph.getKind(g, 'security-group')?.vpc).find((v) => v !== undefined);
    const defaultGroup = d.defaultGroupWhenNone && d.inVpc !== false && isEmptyIds(groups);
    const defaultNode = defaultGroup ? graph.defaultSecurityGroupOf(vpc) : undefined;
    graph.add({
      kind: 'workload',
      ...d.base,
      workload: d.workload,
      inVpc: d.inVpc,
      vpc,
      subnets: [...subnets.nodes],
      subnetsIncomplete: subnets.incomplete,
      externalSubnets: [...subnets.external],
      securityGroups: defaultNode ? [defaultNode.id] : [...groups.nodes],
      // The default group of a VPC outside the graph cannot be described.
      securityGroupsIncomplete: groups.incomplete || hidden || (defaultGroup && !defaultNode),
      externalSecurityGroups: [...groups.external],
      defaultSecurityGroup: defaultGroup,
      uses: [...d.uses, ...(d.launchTemplate !== undefined && d.launchTemplate !== 'unknown' && !d.uses.includes(d.launchTemplate) ? [d.launchTemplate] : [])],
      ...(d.extra ?? {}),
      ...(roleOf(d) ? { role: roleOf(d)! } : {}),
    });
  }
}

/**
 * Where a workload takes its role from when it sets none: `from` (a task definition, a launch template), or `missing`
 * when that is not in the configuration.
 */
export function roleFrom(from: NodeId | 'unknown' | undefined, missing: string): Pick<WorkloadDraft, 'roleFrom'> {
  return from === undefined ? {} : { roleFrom: from === 'unknown' ? { unknown: missing } : from };
}

/** The launch template a workload launches from, when it names one. */
export function launchTemplateField(lt: NodeId | 'unknown' | undefined): Pick<WorkloadDraft, 'launchTemplate'> {
  return lt !== undefined ? { launchTemplate: lt } : {};
}

type Placement = Pick<WorkloadDraft, 'workload' | 'inVpc' | 'subnets' | 'securityGroups' | 'defaultGroupWhenNone' | 'uses'>;

/**
 * Where a Lambda function runs: outside any VPC without a VPC configuration, in the subnets it lists otherwise. Lambda
 * leaves a function whose configuration lists no subnets outside any VPC too.
 */
export function lambdaPlacement(vpc: undefined | Unknown | { subnets: IdList; securityGroups: IdList }): Placement {
  const workload = 'lambda-function';
  if (vpc === undefined) return { workload, inVpc: false, subnets: emptyIds(), securityGroups: emptyIds(), defaultGroupWhenNone: false, uses: [] };
  if (isUnknown(vpc)) return { workload, inVpc: vpc, subnets: unknownIds(), securityGroups: unknownIds(), defaultGroupWhenNone: false, uses: [] };
  const s = vpc.subnets;
  const inVpc: Maybe<boolean> = s.nodes.length > 0 || s.external.length > 0 ? true : s.incomplete ? unknown('the function subnets are not known') : false;
  return { workload, inVpc, subnets: s, securityGroups: vpc.securityGroups, defaultGroupWhenNone: false, uses: [] };
}

/**
 * An ECS service: with awsvpc networking, its tasks run in the subnets and groups it lists (the VPC's default group
 * when it lists none) and may get a public IP; without, they use the network of their container instances.
 */
export function ecsServiceDraft(
  awsvpc: undefined | Unknown | { subnets: IdList; securityGroups: IdList; assignPublicIp: Maybe<boolean> },
  uses: NodeId[],
  fromTask: Pick<WorkloadDraft, 'roleFrom'>,
  launch: Pick<WorkloadNode, 'launchType' | 'platformVersion'> = {},
): Omit<WorkloadDraft, 'base'> {
  if (awsvpc === undefined || isUnknown(awsvpc)) {
    const inVpc = awsvpc === undefined ? unknown('without awsvpc network configuration, tasks use the network of their container instances') : awsvpc;
    return {
      workload: 'ecs-service',
      inVpc,
      subnets: unknownIds(),
      securityGroups: unknownIds(),
      defaultGroupWhenNone: false,
      uses,
      extra: launch,
      ...fromTask,
    };
  }
  return {
    workload: 'ecs-service',
    inVpc: true,
    subnets: awsvpc.subnets,
    securityGroups: awsvpc.securityGroups,
    // ECS gives awsvpc tasks without groups the VPC's default group.
    defaultGroupWhenNone: true,
    uses,
    extra: { assignPublicIp: awsvpc.assignPublicIp, ...launch },
    ...fromTask,
  };
}

const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * Where an ECS service's tasks run, as the service says: its launch type, else its capacity provider strategy (every
 * provider a Fargate one: `FARGATE`; none: `EC2`, an Auto Scaling group provider; a mix: Unknown). Undefined when it
 * sets neither. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (launchType,
 * capacityProviderStrategy)
 */
export function ecsLaunchType(launchType: Maybe<string> | undefined, providers: Maybe<Array<Maybe<string>>> | undefined): Maybe<string> | undefined {
  if (launchType !== undefined) return launchType;
  if (providers === undefined || (Array.isArray(providers) && providers.length === 0)) return undefined;
  if (isUnknown(providers)) return providers;
  const unknownOne = providers.find(isUnknown);
  if (unknownOne) return unknownOne;
  const fargate = providers.filter((p) => FARGATE_PROVIDERS.includes(p as string)).length;
  if (fargate === providers.length) return 'FARGATE';
  if (fargate === 0) return 'EC2';
  return unknown('the capacity provider strategy mixes Fargate and Auto Scaling group providers');
}

/** A list of strings as written (`requires_compatibilities`, capacity providers); Unknown entries kept. */
export function stringList(v: Value | undefined, whenRef: string): Maybe<Array<Maybe<string>>> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  return (Array.isArray(v) ? v : [v]).map((x) => str(x, whenRef) ?? unknown('an empty entry'));
}

/**
 * Resources a function's environment variables name: references (`aws_dynamodb_table.orders.arn`, `!GetAtt
 * Orders.Arn`) and tables whose literal name a variable holds (`tableNames`: the tables of each name the
 * configuration sets).
 */
export function environmentRefs(variables: Value | undefined, tableNames: Map<string, string[]>): string[] {
  if (!isObject(variables)) return [];
  const out: string[] = [];
  for (const v of Object.values(variables)) {
    const ref = parseRef(v);
    const found = ref ? [ref.address] : typeof v === 'string' ? (tableNames.get(v) ?? []) : [];
    for (const a of found) if (!out.includes(a)) out.push(a);
  }
  return out;
}

const KEYS = {
  terraform: { name: 'name', image: 'image', log: 'logConfiguration', driver: 'logDriver', secrets: 'secrets', valueFrom: 'valueFrom' },
  cloudformation: { name: 'Name', image: 'Image', log: 'LogConfiguration', driver: 'LogDriver', secrets: 'Secrets', valueFrom: 'ValueFrom' },
};

function str(v: Value | undefined, whenRef: string): Maybe<string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  if (parseRef(v)) return unknown(`known only after ${whenRef}`);
  return typeof v === 'string' ? v : unknown(`expected a string, got ${JSON.stringify(v)}`);
}

/**
 * ECS container definitions: Terraform's `container_definitions` (JSON text, camelCase keys) or CloudFormation's
 * `ContainerDefinitions` (PascalCase). Undefined when absent.
 */
/** The service of a resource a value references (`ecr` for a repository, `secretsmanager`, `ssm`), and its address. */
export type ReferencedService = (v: Value | undefined) => { service: 'ecr' | 'secretsmanager' | 'ssm'; address: string } | undefined;

export function containersOf(
  v: Value | undefined,
  style: 'terraform' | 'cloudformation',
  referenced: ReferencedService = () => undefined,
): Maybe<ContainerSpec[]> | undefined {
  if (v === undefined || v === null) return undefined;
  // A `jsonencode` whose text is not known as a whole (an image from an `aws_ecr_repository`'s URL) still says what
  // each container holds: the parts that are known are read, the rest stay Unknown.
  const partial = isUnknown(v) ? (v as { partialJson?: Value }).partialJson : undefined;
  if (isUnknown(v) && partial === undefined) return v;
  const whenRef = style === 'terraform' ? 'apply' : 'deployment';
  let list: unknown = partial ?? v;
  if (typeof v === 'string') {
    if (parseRef(v)) return unknown(`the container definitions are known only after ${whenRef}`);
    try {
      list = JSON.parse(v);
    } catch {
      return unknown('the container definitions are not JSON');
    }
  }
  if (!Array.isArray(list)) return unknown('the container definitions are not a list');
  const k = KEYS[style];
  return list.map((c: unknown): ContainerSpec => {
    if (!isObject(c as Value))
      return { name: unknown('container is not known'), image: unknown('container is not known'), logDriver: unknown('container is not known'), secrets: [] };
    const o = c as Record<string, Value>;
    const log = o[k.log];
    const secrets = o[k.secrets];
    const repository = referenced(o[k.image]);
    const secretServices = Array.isArray(secrets)
      ? secrets.map((s) => {
          const r = isObject(s) ? referenced(s[k.valueFrom]) : undefined;
          return r && r.service !== 'ecr' ? r.service : undefined;
        })
      : [];
    return {
      name: str(o[k.name], whenRef),
      image: str(o[k.image], whenRef),
      logDriver: isUnknown(log) ? log : isObject(log) ? str(log[k.driver], whenRef) : undefined,
      secrets: isUnknown(secrets)
        ? [secrets]
        : Array.isArray(secrets)
          ? secrets.map((s) => (isObject(s) ? (str(s[k.valueFrom], whenRef) ?? unknown('secret without valueFrom')) : unknown('secret is not known')))
          : [],
      ...(repository?.service === 'ecr' ? { imageRepository: repository.address } : {}),
      ...(secretServices.some((x) => x !== undefined) ? { secretServices } : {}),
    };
  });
}
