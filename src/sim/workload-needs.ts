import { workloadPattern, type EndpointNeed, type WorkloadPatternId } from '../facts/workload-endpoints.js';
import type { GraphView } from '../graph/graph.js';
import type { ContainerSpec, IamRoleNode, WorkloadNode } from '../graph/model.js';
import { isUnknown, unknown, type Unknown } from '../source/value.js';
import { isSymbolicRegion, mentionsSymbolicRegion, SYMBOLIC_REGION } from '../source/region.js';

/** One endpoint a workload needs, and why: "container api pulls its image from Amazon ECR". */
export interface WorkloadNeed {
  need: EndpointNeed;
  pattern: WorkloadPatternId;
  /** What in the configuration shows it, as a clause ("its task definition aws_ecs_task_definition.orders: container api pulls … from Amazon ECR"). */
  because: string;
  /** The resource that shows it (the task definition, the instance's role), for related locations. */
  evidence: string;
}

/** Endpoints a workload may need, where what decides it is not known. */
export interface UnknownNeed {
  endpoints: string[];
  reason: string;
}

export interface WorkloadNeeds {
  needs: WorkloadNeed[];
  unknown: UnknownNeed[];
}

/** Workloads that run in subnets themselves (templates such as task definitions are judged through what runs them). */
export const PLACED_WORKLOADS = ['ecs-service', 'ec2-instance', 'autoscaling-group', 'eks-node-group'] as const;

const none = (): WorkloadNeeds => ({ needs: [], unknown: [] });

/**
 * The endpoints a workload needs when its subnets have no internet path, from data/aws-workload-endpoints.json, for
 * the patterns the configuration shows for certain: an ECS service on Fargate (platform 1.4.0 or later) and its task
 * definition's images, log driver and secrets; an EC2 instance or Auto Scaling group whose role is a Systems Manager
 * managed node's; an EKS managed node group. `region` is the VPC's region (symbolic for a template deployed anywhere),
 * to tell same-region ECR images and secrets from others, which no endpoint of this VPC serves.
 */
export function workloadNeeds(graph: GraphView, w: WorkloadNode, region: string | undefined): WorkloadNeeds {
  switch (w.workload) {
    case 'ecs-service':
      return fargateServiceNeeds(graph, w, region);
    case 'ec2-instance':
    case 'autoscaling-group':
      return ssmNeeds(graph, w);
    case 'eks-node-group':
      return nodeGroupNeeds(graph, w);
    default:
      return none();
  }
}

function add(out: WorkloadNeeds, pattern: WorkloadPatternId, because: string, evidence: string, only?: string[]): void {
  for (const need of workloadPattern(pattern).needs) {
    if (only && !only.includes(need.endpoint)) continue;
    if (out.needs.some((n) => n.need.endpoint === need.endpoint)) continue;
    out.needs.push({ need, pattern, because, evidence });
  }
}

const endpointsOf = (pattern: WorkloadPatternId) => workloadPattern(pattern).needs.map((n) => n.endpoint);

/** Whether the service runs its tasks on Fargate 1.4.0 or later: true, false, or why it is not known. */
function onFargate(w: WorkloadNode, task: WorkloadNode): boolean | Unknown {
  const lt = w.launchType;
  if (isUnknown(lt)) return lt;
  const compat = task.requiresCompatibilities;
  const fargateOnly = Array.isArray(compat) && compat.length > 0 && compat.every((c) => c === 'FARGATE');
  if (lt === undefined && !fargateOnly)
    return unknown(
      `${w.id} sets no launch type or capacity provider strategy, so the cluster's default capacity provider strategy decides whether its tasks run on Fargate`,
    );
  if (lt !== undefined && lt !== 'FARGATE') return false;
  const pv = w.platformVersion;
  if (isUnknown(pv)) return pv;
  // Platform versions before 1.4.0 pull images and send logs through Fargate's own network, not the task's ENI.
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-version-migration.html
  if (pv !== undefined && pv !== 'LATEST' && !/^1\.(?:[4-9]|\d{2,})\.\d+$/.test(pv)) return false;
  return true;
}

/** `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/…`: a private ECR repository, and its region. */
const ECR_IMAGE = new RegExp(
  `^\\d{12}\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+|${SYMBOLIC_REGION.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\.amazonaws\\.com(?:\\.cn)?/`,
);

const sameRegion = (a: string, region: string | undefined) => region !== undefined && (a === region || (isSymbolicRegion(a) && isSymbolicRegion(region)));

function fargateServiceNeeds(graph: GraphView, w: WorkloadNode, region: string | undefined): WorkloadNeeds {
  const out = none();
  const task = w.uses.map((id) => graph.getKind(id, 'workload')).find((u) => u?.workload === 'ecs-task-definition');
  if (!task) return out; // its task definition is outside the configuration: nothing it needs is shown
  const fargate = onFargate(w, task);
  if (fargate === false) return out;
  const containers = task.containers;
  const all = [...endpointsOf('ecr-image-pull-fargate'), ...endpointsOf('awslogs-fargate')];
  if (isUnknown(fargate)) return { needs: [], unknown: [{ endpoints: all, reason: fargate.reason }] };
  if (containers === undefined) return out;
  if (isUnknown(containers)) return { needs: [], unknown: [{ endpoints: all, reason: `the containers of ${task.id} are not known (${containers.reason})` }] };
  for (const c of containers) containerNeeds(out, task, c, region);
  return out;
}

const containerName = (c: ContainerSpec) => (typeof c.name === 'string' ? `container ${c.name}` : 'a container');

function containerNeeds(out: WorkloadNeeds, task: WorkloadNode, c: ContainerSpec, region: string | undefined): void {
  const who = `in its task definition ${task.id}, ${containerName(c)}`;
  const image = c.image;
  if (c.imageRepository) add(out, 'ecr-image-pull-fargate', `${who} pulls its image from Amazon ECR repository ${c.imageRepository}`, task.id);
  else if (typeof image === 'string') {
    const m = ECR_IMAGE.exec(image);
    // An image in another region's registry is pulled across regions, which no endpoint of this VPC serves.
    const imageRegion = m?.[1];
    if (imageRegion !== undefined && sameRegion(imageRegion, region))
      add(out, 'ecr-image-pull-fargate', `${who} pulls its image ${displayImage(image)} from Amazon ECR`, task.id);
    else if (imageRegion !== undefined && region === undefined)
      out.unknown.push({
        endpoints: endpointsOf('ecr-image-pull-fargate'),
        reason: `the region of the VPC is not known, so whether image ${displayImage(image)} is pulled from the same region is not either`,
      });
  } else if (isUnknown(image))
    out.unknown.push({
      endpoints: endpointsOf('ecr-image-pull-fargate'),
      reason: `the image of ${containerName(c)} in ${task.id} is not known (${image.reason})`,
    });
  const driver = c.logDriver;
  if (driver === 'awslogs') add(out, 'awslogs-fargate', `${who} sends its logs with the awslogs log driver`, task.id);
  else if (isUnknown(driver))
    out.unknown.push({ endpoints: endpointsOf('awslogs-fargate'), reason: `the log driver of ${containerName(c)} in ${task.id} is not known` });
  c.secrets.forEach((s, i) => {
    const service = c.secretServices?.[i] ?? secretService(s, region);
    if (service === 'secretsmanager') add(out, 'task-secrets-secretsmanager', `${who} reads a secret from AWS Secrets Manager at start`, task.id);
    else if (service === 'ssm') add(out, 'task-secrets-ssm', `${who} reads a Parameter Store parameter at start`, task.id);
    else if (service === 'unknown')
      out.unknown.push({ endpoints: ['secretsmanager', 'ssm'], reason: `where secret ${i + 1} of ${containerName(c)} in ${task.id} comes from is not known` });
  });
}

const displayImage = (image: string) => image.split(SYMBOLIC_REGION).join('${AWS::Region}');

/**
 * The service a task definition secret comes from: a Secrets Manager ARN, a Parameter Store ARN, or a parameter name
 * (Parameter Store, same region). An ARN of another region is served by no endpoint of this VPC (`other`).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 */
function secretService(v: string | Unknown, region: string | undefined): 'secretsmanager' | 'ssm' | 'other' | 'unknown' {
  if (isUnknown(v)) return 'unknown';
  const arn = /^arn:aws[a-z-]*:(secretsmanager|ssm):([^:]*):/.exec(v);
  if (!arn) return v.startsWith('arn:') ? 'other' : 'ssm';
  const r = arn[2]!;
  if (mentionsSymbolicRegion(r) ? !isSymbolicRegion(region) : !sameRegion(r, region)) return 'other';
  return arn[1] as 'secretsmanager' | 'ssm';
}

/**
 * AWS-managed policies that give an instance the SSM Agent's permissions
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html).
 */
const SSM_POLICIES = ['AmazonSSMManagedInstanceCore', 'AmazonEC2RoleforSSM', 'AmazonSSMManagedEC2InstanceDefaultPolicy'];
const SSM_ACTION = /^(?:ssm:(?:\*|UpdateInstanceInformation)|ssmmessages:.+|ec2messages:.+)$/i;

/** The grant of a role that makes its instances Systems Manager managed nodes, if any. */
function ssmGrant(role: IamRoleNode): string | undefined {
  for (const g of role.grants) {
    if (g.origin === 'aws-managed' && SSM_POLICIES.includes(g.policy)) return g.policy;
    if (g.actions.some((a) => SSM_ACTION.test(a))) return g.policy;
  }
  return undefined;
}

function ssmNeeds(graph: GraphView, w: WorkloadNode): WorkloadNeeds {
  const out = none();
  const role = w.role;
  if (!role) return out;
  const via = role.via.length ? ` (through ${role.via.join(', ')})` : '';
  const endpoints = endpointsOf('ssm-managed-instance');
  if (role.kind === 'external')
    return {
      needs: [],
      unknown: [
        { endpoints, reason: `its role ${role.label}${via} is outside the configuration, so whether it makes it a Systems Manager managed node is not known` },
      ],
    };
  if (role.kind === 'unknown')
    return { needs: [], unknown: [{ endpoints, reason: `its role is not known (${role.reason}), nor whether it makes it a Systems Manager managed node` }] };
  const node = graph.getKind(role.role, 'iam-role');
  if (!node) return out;
  const grant = ssmGrant(node);
  if (grant) {
    add(out, 'ssm-managed-instance', `its role ${node.id}${via} grants ${grant}, which makes it a Systems Manager managed node`, node.id);
    return out;
  }
  if (node.unreadPolicies.length)
    out.unknown.push({ endpoints, reason: `whether role ${node.id} makes it a Systems Manager managed node is not known (${node.unreadPolicies[0]})` });
  return out;
}

/** EKS picks an Amazon Linux EKS optimized AMI when `ami_type` is not set. */
const EKS_OPTIMIZED_LINUX = /^AL2(?:023)?_/;

function nodeGroupNeeds(graph: GraphView, w: WorkloadNode): WorkloadNeeds {
  const out = none();
  add(out, 'eks-node-image-pull', "its nodes pull the cluster's system images (VPC CNI, kube-proxy, pause) from Amazon ECR", w.id);
  const template = w.uses.some((id) => graph.getKind(id, 'workload')?.workload === 'launch-template');
  // A launch template may name a custom AMI, which may not set its DNS name through the EC2 API: not judged.
  if (!template) {
    const ami = w.amiType;
    if (ami === undefined || (typeof ami === 'string' && EKS_OPTIMIZED_LINUX.test(ami)))
      add(out, 'eks-optimized-ami', `its nodes run the Amazon Linux EKS optimized AMI (${typeof ami === 'string' ? ami : 'ami_type not set'})`, w.id);
    else if (isUnknown(ami)) out.unknown.push({ endpoints: ['ec2'], reason: `the AMI type of ${w.id} is not known (${ami.reason})` });
  }
  return out;
}
