import type { GraphView } from '../graph/graph.js';
import type { GraphNode, SubnetNode, VpcEndpointNode, VpcNode, WorkloadKind, WorkloadNode } from '../graph/model.js';
import { compareZones, knownZone, zoneLabel } from './availability-zones.js';

/*
 * Where an interface endpoint is, and where the things that use it are, by Availability Zone.
 *
 * AWS creates one endpoint network interface in each subnet an interface endpoint names, and bills each of them per
 * hour: the endpoint serves the zones of its subnets. Anything in the VPC reaches those interfaces through the VPC's
 * local route, so every subnet of the VPC is a possible consumer.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
 */

/** Some of a zone's members, with the zone as written and as it reads in a message. */
export interface ZoneGroup<T> {
  /** The zone as the configuration writes it (names, ids and symbolic names compare with `compareZones`). */
  zone: string;
  label: string;
  members: T[];
}

/** Something whose zone cannot be known, and why: a subnet, a workload, or the endpoint when its list is not known. */
export interface UnknownPlacement {
  node: GraphNode;
  reason: string;
}

export interface EndpointZones {
  endpoint: VpcEndpointNode;
  /** The endpoint's subnets of the configuration by zone, zones in the order their first subnet is written. */
  zones: Array<ZoneGroup<SubnetNode>>;
  /** What keeps the endpoint's zones from being known in full: subnets of unknown zone, subnets outside the configuration, a list not all known. */
  unknown: UnknownPlacement[];
}

function groupByZone<T>(groups: Array<ZoneGroup<T>>, zone: string, member: T): void {
  const group = groups.find((g) => g.zone === zone) ?? (groups.push({ zone, label: zoneLabel(zone), members: [] }), groups.at(-1)!);
  if (!group.members.includes(member)) group.members.push(member);
}

/**
 * The Availability Zones an interface (or Gateway Load Balancer) endpoint serves: the zones of its subnets, from
 * `subnet_ids`, `subnet_configuration`, `aws_vpc_endpoint_subnet_association` or `SubnetIds`. Exact zone strings
 * group subnets; two groups may still be one zone when one is a name and the other an id (see `spansSeveralZones`).
 */
export function endpointZones(graph: GraphView, endpoint: VpcEndpointNode): EndpointZones {
  const zones: Array<ZoneGroup<SubnetNode>> = [];
  const unknown: UnknownPlacement[] = [];
  for (const subnet of graph.subnetsOf(endpoint)) {
    const z = knownZone(subnet.az);
    if ('zone' in z) groupByZone(zones, z.zone, subnet);
    else unknown.push({ node: subnet, reason: `the Availability Zone of ${subnet.id} is not known (${z.unknown})` });
  }
  for (const id of endpoint.externalSubnets) unknown.push({ node: endpoint, reason: `subnet ${id} of ${endpoint.id} is outside the configuration` });
  if (endpoint.subnetsIncomplete)
    unknown.push({
      node: endpoint,
      reason: `the subnets of ${endpoint.id} are not all known${endpoint.subnetsIncompleteReason ? ` (${endpoint.subnetsIncompleteReason})` : ''}`,
    });
  return { endpoint, zones, unknown };
}

/**
 * Whether zones written as different strings are more than one zone: true when two of them certainly differ, false
 * when there is at most one, and why not when only names and ids that cannot be compared tell them apart.
 */
export function spansSeveralZones(zones: string[]): true | false | { unknown: string } {
  let reason: string | undefined;
  for (let i = 0; i < zones.length; i++)
    for (let j = i + 1; j < zones.length; j++) {
      const r = compareZones(zones[i]!, zones[j]!);
      if (r.same === false) return true;
      if (r.same === 'unknown') reason ??= r.reason;
    }
  return reason === undefined ? false : { unknown: reason };
}

/**
 * Workloads that run code in their subnets. Templates (task definitions, launch templates) are placed by what uses
 * them; an EKS cluster's own interfaces belong to its control plane.
 */
const RUNNING: ReadonlySet<WorkloadKind> = new Set(['lambda-function', 'ecs-service', 'eks-node-group', 'ec2-instance', 'autoscaling-group']);

/** Terraform types of those workloads, whose instances may not all be known (a count or for_each that cannot be expanded). */
const RUNNING_TYPES = ['aws_lambda_function', 'aws_ecs_service', 'aws_eks_node_group', 'aws_instance', 'aws_autoscaling_group'];

/** One zone's consumers. */
export interface ConsumerZone {
  zone: string;
  label: string;
  /** Empty when the basis is 'subnets'. */
  workloads: WorkloadNode[];
  subnets: SubnetNode[];
}

function consumerZone(zones: ConsumerZone[], zone: string): ConsumerZone {
  return zones.find((z) => z.zone === zone) ?? (zones.push({ zone, label: zoneLabel(zone), workloads: [], subnets: [] }), zones.at(-1)!);
}

const add = <T>(list: T[], item: T) => {
  if (!list.includes(item)) list.push(item);
};

export interface EndpointConsumers {
  /** The endpoint's VPC (its `vpc_id`, else its subnets' VPC); undefined when it is not in the configuration. */
  vpc: VpcNode | undefined;
  /**
   * What stands for the consumers: the workloads the configuration places (or may place) in the VPC, or, when it
   * places none there (a network-only module or stack), every subnet of the VPC.
   */
  basis: 'workloads' | 'subnets';
  /** By zone: the workloads there and their subnets in that zone (basis 'workloads'), or the VPC's subnets there. */
  zones: ConsumerZone[];
  /** Consumers whose zone is not known, and why. */
  unknown: UnknownPlacement[];
}

/** A workload of another VPC is no consumer; one whose VPC is not known may be. */
function placement(w: WorkloadNode, vpc: VpcNode): 'in' | 'maybe' | 'out' {
  if (!RUNNING.has(w.workload) || w.inVpc === false) return 'out';
  if (w.vpc !== undefined) return w.vpc === vpc.id ? 'in' : 'out';
  return w.subnetsIncomplete || w.externalSubnets.length > 0 ? 'maybe' : 'out';
}

/** The endpoint's VPC: the one it names, else the one its subnets are in. */
export function endpointVpc(graph: GraphView, endpoint: VpcEndpointNode): VpcNode | undefined {
  return graph.vpcOf(endpoint) ?? graph.vpcOf({ vpc: graph.subnetsOf(endpoint).find((s) => s.vpc !== undefined)?.vpc });
}

/**
 * The consumers of an interface endpoint by Availability Zone: the workloads of its VPC (Lambda functions, ECS
 * services, EKS node groups, EC2 instances, Auto Scaling groups) in the zones of their subnets, or the VPC's subnets
 * when the configuration places no workload there.
 */
export function consumersByZone(graph: GraphView, endpoint: VpcEndpointNode): EndpointConsumers {
  const vpc = endpointVpc(graph, endpoint);
  const zones: ConsumerZone[] = [];
  const unknown: UnknownPlacement[] = [];
  if (!vpc) {
    unknown.push({ node: endpoint, reason: `the VPC of ${endpoint.id} is not in the configuration, so what runs there is not known` });
    return { vpc, basis: 'subnets', zones, unknown };
  }
  const workloads = graph.all('workload').filter((w) => placement(w, vpc) !== 'out');
  if (workloads.length === 0) {
    for (const subnet of graph.all('subnet').filter((s) => s.vpc === vpc.id)) {
      const z = knownZone(subnet.az);
      if ('zone' in z) add(consumerZone(zones, z.zone).subnets, subnet);
      else unknown.push({ node: subnet, reason: `the Availability Zone of ${subnet.id} is not known (${z.unknown})` });
    }
    if (graph.isUncertain('aws_subnet') || graph.isUncertain('aws_default_subnet'))
      unknown.push({ node: vpc, reason: `subnets of unknown number may be in ${vpc.id}` });
    return { vpc, basis: 'subnets', zones, unknown };
  }
  for (const w of workloads) {
    if (placement(w, vpc) === 'maybe') {
      unknown.push({ node: w, reason: `${w.id} may run in ${vpc.id}, in subnets that are not known` });
      continue;
    }
    for (const subnet of graph.subnetsOf(w)) {
      const z = knownZone(subnet.az);
      if ('zone' in z) {
        add(consumerZone(zones, z.zone).workloads, w);
        add(consumerZone(zones, z.zone).subnets, subnet);
      } else unknown.push({ node: w, reason: `the Availability Zone of ${subnet.id}, a subnet of ${w.id}, is not known (${z.unknown})` });
    }
    if (w.subnetsIncomplete || w.externalSubnets.length > 0 || (w.subnets.length === 0 && w.inVpc !== true))
      unknown.push({ node: w, reason: `the subnets of ${w.id} are not all known` });
  }
  const uncertain = RUNNING_TYPES.filter((t) => graph.isUncertain(t));
  if (uncertain.length > 0) unknown.push({ node: vpc, reason: `${uncertain.join(', ')} resources of unknown number may run in ${vpc.id}` });
  return { vpc, basis: 'workloads', zones, unknown };
}
