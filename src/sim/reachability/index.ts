/**
 * Will it connect: the one place rules ask whether traffic gets from a workload to an endpoint.
 *
 * - To an interface endpoint: the request leaves the workload's network interface (its security groups' egress, TCP to
 *   the endpoint's port at an address of an endpoint subnet or to the endpoint's groups), crosses the workload subnet's
 *   ACL outbound and the endpoint subnet's ACL inbound (inside the VPC the `local` route carries it), and is admitted
 *   by the endpoint's security groups inbound. The response comes back through the endpoint subnet's ACL outbound and
 *   the workload subnet's ACL inbound on the client's ephemeral port; security groups are stateful and let it back.
 * - To a gateway endpoint's service (S3, DynamoDB): the route to the service's prefix list carries the request to the
 *   service's public addresses; the workload's egress must admit them (the prefix list, or CIDRs) and the subnet's ACL
 *   must pass TCP 443 to the service's CIDRs and the responses back on ephemeral ports. ACLs cannot name prefix lists.
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html (Considerations)
 *
 * Each hop answers allowed, blocked (by which ACL entry, or by no security group rule, for which traffic) or unknown
 * (why); a path is blocked when some hop is, allowed when every hop is, unknown otherwise. Only IPv4 is evaluated:
 * interface endpoints answer on IPv4 unless their address type says otherwise, and the services' prefix lists are
 * IPv4 lists.
 */
import { CidrSet } from '../../facts/cidr.js';
import { interfaceServicePort, prefixListById, serviceRanges } from '../../facts/aws-data.js';
import type { GraphView } from '../../graph/graph.js';
import type { NetworkAclNode, SecurityGroupNode, SubnetNode, VpcEndpointNode, VpcNode, WorkloadKind, WorkloadNode } from '../../graph/model.js';
import { isSymbolicRegion } from '../../source/region.js';
import { isUnknown } from '../../source/value.js';
import { evaluateAcl, evaluateSecurityGroups, type OtherEnd, type Piece, type PrefixListResolver } from './filters.js';
import { EPHEMERAL, judge, LAMBDA_EPHEMERAL, type Demand, type HopJudgement } from './judge.js';
import { PortSet } from './ports.js';

export { PortSet } from './ports.js';
export { EPHEMERAL, LAMBDA_EPHEMERAL, type HopJudgement } from './judge.js';

/** The ephemeral ports the responses to these workloads' requests come back on (Lambda functions use more). */
export function ephemeralPortsOf(workloads: readonly (WorkloadNode | undefined)[]): typeof EPHEMERAL {
  return workloads.some((w) => w?.workload === 'lambda-function') ? LAMBDA_EPHEMERAL : EPHEMERAL;
}
export type { Piece, PieceCause } from './filters.js';

/** One filter on the way, and what it does to the traffic. */
export interface Hop {
  kind: 'acl' | 'security-groups';
  direction: 'ingress' | 'egress';
  /** The request, or the response coming back (only ACLs judge responses: security groups are stateful). */
  leg: 'request' | 'response';
  /** ACL hops: the subnet and its ACL (undefined when the ACL is not known). */
  subnet?: SubnetNode;
  acl?: NetworkAclNode;
  /** Security group hops: the groups of the network interface. */
  groups?: SecurityGroupNode[];
  /** How the traffic reads: `TCP 443 to 52.94.0.0/22, …`, `TCP 1024–65535 from 10.0.1.0/24`. */
  traffic: string;
  judgement: HopJudgement;
}

export type ReachVerdict = 'allowed' | 'blocked' | 'unknown';

export interface Reach {
  verdict: ReachVerdict;
  hops: Hop[];
  /** The hops that block (for `blocked`). */
  blocking: Hop[];
  /** Why it is not known (for `unknown`). */
  reasons: string[];
}

/** A path: blocked when some hop is, allowed when every hop is, unknown otherwise. */
export function combine(hops: Hop[]): Reach {
  const blocking = hops.filter((h) => h.judgement.verdict === 'blocked');
  if (blocking.length) return { verdict: 'blocked', hops, blocking, reasons: [] };
  const reasons = [...new Set(hops.flatMap((h) => h.judgement.reasons))];
  return { verdict: hops.every((h) => h.judgement.verdict === 'allowed') ? 'allowed' : 'unknown', hops, blocking: [], reasons };
}

/** A set of addresses as a message reads it: up to `max` CIDRs, then how many more. */
export function describeAddresses(set: CidrSet, max = 3): string {
  const cidrs = set.toCidrs();
  return cidrs.length <= max ? cidrs.join(', ') : `${cidrs.slice(0, max).join(', ')} and ${cidrs.length - max} more`;
}

/** What an ACL entry, the implicit deny or a missing security group rule did to the dropped traffic. */
export function droppedBy(p: Piece): string {
  switch (p.cause.kind) {
    case 'acl-entry':
      return `entry ${p.cause.entry.id} (rule ${String(p.cause.entry.ruleNumber)}, deny)`;
    case 'acl-default-deny':
      return 'the final deny-all entry (`*`), as no numbered entry allows it';
    case 'sg-no-rule':
      return 'no rule admits it';
    case 'sg-rule':
      return `rule ${p.cause.rule.id}`;
    case 'unknown':
      return p.cause.reason;
  }
}

/** The entries of one hop that drop its blocked traffic, first first, without repeats. */
export function blockingCauses(h: Hop): string[] {
  return [...new Set(h.judgement.dropped.map(droppedBy))];
}

/** Resolves the prefix lists security group rules name, in one region. */
export function prefixListResolver(graph: GraphView, region: string | undefined): PrefixListResolver {
  return (peer) => {
    const node = graph.getKind(peer.prefixList, 'prefix-list');
    if (node?.managed) {
      const r = isSymbolicRegion(node.managed.region) ? region : node.managed.region;
      const service = node.managed.service;
      if (typeof r !== 'string' || isSymbolicRegion(r)) return { unknown: `the region of prefix list ${peer.label} is not known` };
      if (service !== 's3' && service !== 'dynamodb') return { unknown: `the entries of prefix list ${peer.label} are not known` };
      return serviceRanges(service, r, 'ipv4') ?? { unknown: `the bundled data has no ${service} ranges for ${r}` };
    }
    if (node?.cidrs) {
      if (!node.cidrs.every((c): c is string => typeof c === 'string')) return { unknown: `the entries of prefix list ${peer.label} are not all known` };
      return CidrSet.tryFromCidrs(node.cidrs) ?? { unknown: `prefix list ${peer.label} holds an entry that is not a CIDR block` };
    }
    const id = /^pl-[0-9a-f]+/.exec(peer.label)?.[0];
    const managed = id && region && !isSymbolicRegion(region) ? prefixListById(region, id) : undefined;
    if (managed) return serviceRanges(managed.service, managed.region, 'ipv4') ?? { unknown: `the bundled data has no ranges for ${managed.name}` };
    return { unknown: `the entries of prefix list ${peer.label} are not known` };
  };
}

/** Workloads that run in subnets (not templates such as launch templates and task definitions). */
const RUNS: readonly WorkloadKind[] = ['lambda-function', 'ecs-service', 'eks-cluster', 'eks-node-group', 'ec2-instance', 'autoscaling-group'];

/** A client of an endpoint: a workload in one of its subnets, or — with no workload in the VPC — the VPC's addresses. */
export interface Consumer {
  /** `aws_instance.worker in aws_subnet.app[0] (10.30.10.0/24)`, `addresses of aws_vpc.main (10.0.0.0/16)`. */
  label: string;
  workload?: WorkloadNode;
  subnet?: SubnetNode;
  /** Its IPv4 address is one of these (which one is not known); undefined when not even that is known. */
  addresses: CidrSet | undefined;
  /** Why `addresses` is undefined. */
  addressesUnknown?: string;
  /** The groups it carries, as rules naming groups see them. */
  end: OtherEnd;
}

/** The workloads the configuration runs in a VPC. */
export function workloadsIn(graph: GraphView, vpc: string): WorkloadNode[] {
  return graph.all('workload').filter((w) => w.vpc === vpc && RUNS.includes(w.workload) && w.inVpc !== false);
}

function vpcAddresses(vpc: VpcNode): { addresses?: CidrSet; unknown?: string } {
  const unknownCidr = vpc.cidrs.find((c) => isUnknown(c));
  if (unknownCidr) return { unknown: `a CIDR block of ${vpc.id} is not known (${(unknownCidr as { reason: string }).reason})` };
  const set = CidrSet.tryFromCidrs(vpc.cidrs as string[]);
  if (!set || set.isEmpty()) return { unknown: `the CIDR blocks of ${vpc.id} are not known` };
  return { addresses: set };
}

function subnetAddresses(subnet: SubnetNode, vpc: VpcNode | undefined): { addresses?: CidrSet; unknown?: string } {
  if (typeof subnet.cidr === 'string') {
    const set = CidrSet.tryFromCidrs([subnet.cidr]);
    if (set) return { addresses: set };
  }
  // A subnet's addresses lie in its VPC's: judged against those, a hop that treats them all alike still decides.
  if (vpc) {
    const v = vpcAddresses(vpc);
    if (v.addresses) return v;
  }
  return { unknown: `the CIDR block of ${subnet.id} is not known${isUnknown(subnet.cidr) ? ` (${subnet.cidr.reason})` : ''}` };
}

function workloadEnd(w: WorkloadNode): OtherEnd {
  return {
    groups: new Set([...w.securityGroups, ...w.externalSecurityGroups]),
    groupsComplete: !w.securityGroupsIncomplete,
    groupsReason: `the security groups of ${w.id} are not all known`,
  };
}

/** One consumer for each subnet a workload runs in (one for the whole VPC when its subnets are not known). */
export function workloadConsumers(graph: GraphView, w: WorkloadNode): Consumer[] {
  const vpc = graph.vpcOf(w);
  const end = workloadEnd(w);
  const subnets = graph.subnetsOf(w);
  if (subnets.length === 0 || w.subnetsIncomplete) {
    const v = vpc ? vpcAddresses(vpc) : { unknown: `the VPC of ${w.id} is not in the configuration` };
    const known = subnets.map((s) => ({ s, a: subnetAddresses(s, vpc) }));
    const others: Consumer = {
      label: `${w.id} (subnets not all known)`,
      workload: w,
      addresses: v.addresses,
      ...(v.unknown ? { addressesUnknown: v.unknown } : {}),
      end,
    };
    return [...known.map(({ s, a }) => consumer(w, s, a, end)), others];
  }
  return subnets.map((s) => consumer(w, s, subnetAddresses(s, vpc), end));
}

function consumer(w: WorkloadNode, s: SubnetNode, a: { addresses?: CidrSet; unknown?: string }, end: OtherEnd): Consumer {
  return {
    label: `${w.id} in ${s.id}${typeof s.cidr === 'string' ? ` (${s.cidr})` : ''}`,
    workload: w,
    subnet: s,
    addresses: a.addresses,
    ...(a.unknown ? { addressesUnknown: a.unknown } : {}),
    end,
  };
}

/**
 * The clients of an interface endpoint: the workloads the configuration runs in its VPC, one for each subnet they run
 * in. With none, the VPC's own addresses stand for the clients, carrying no group the configuration shows and not the
 * endpoint's own groups (a rule naming another group may admit them: undecided; one naming only the endpoint's own
 * group, as the VPC default group's does, admits only other members of that group).
 */
export function endpointConsumers(graph: GraphView, endpoint: VpcEndpointNode): { consumers: Consumer[]; from: 'workloads' | 'vpc'; unknown?: string } {
  const vpc = graph.vpcOf(endpoint);
  if (!vpc) return { consumers: [], from: 'vpc', unknown: `the VPC of ${endpoint.id} is not in the configuration, so its clients are not known` };
  const workloads = workloadsIn(graph, vpc.id);
  if (workloads.length) return { consumers: workloads.flatMap((w) => workloadConsumers(graph, w)), from: 'workloads' };
  const v = vpcAddresses(vpc);
  if (!v.addresses) return { consumers: [], from: 'vpc', unknown: v.unknown! };
  const own = new Set(endpoint.securityGroups);
  return {
    consumers: [
      {
        label: `addresses of ${vpc.id} (${v.addresses.toString()})`,
        addresses: v.addresses,
        end: {
          groups: new Set(),
          groupsComplete: false,
          groupsReason: `the configuration runs no workload in ${vpc.id}, so the groups the endpoint's clients carry are not known`,
          notIn: own,
        },
      },
    ],
    from: 'vpc',
  };
}

/** The port an interface endpoint listens on: 443, or what the service uses instead. */
export function endpointPort(endpoint: VpcEndpointNode): number {
  return typeof endpoint.serviceName === 'string' ? interfaceServicePort(endpoint.serviceName) : 443;
}

function unknownHop(kind: Hop['kind'], direction: Hop['direction'], leg: Hop['leg'], traffic: string, reason: string, extra: Partial<Hop> = {}): Hop {
  return {
    kind,
    direction,
    leg,
    traffic,
    ...extra,
    judgement: { verdict: 'unknown', dropped: [], blockedAddresses: CidrSet.empty(), blockedPorts: PortSet.empty(), reasons: [reason] },
  };
}

function endpointGroupsIncomplete(endpoint: VpcEndpointNode): string | undefined {
  if (endpoint.securityGroupsIncomplete) return `the security groups of ${endpoint.id} are not all known`;
  if (endpoint.externalSecurityGroups.length)
    return `${endpoint.id} has security groups outside the configuration (${endpoint.externalSecurityGroups.join(', ')})`;
  return undefined;
}

/** The endpoint's security groups inbound: do they admit TCP to the endpoint's port from this consumer? */
export function endpointIngress(graph: GraphView, endpoint: VpcEndpointNode, c: Consumer): Hop {
  const port = endpointPort(endpoint);
  const groups = graph.securityGroupsOf(endpoint);
  const traffic = `TCP ${port} from ${c.addresses ? describeAddresses(c.addresses) : c.label}`;
  if (!c.addresses)
    return unknownHop('security-groups', 'ingress', 'request', traffic, c.addressesUnknown ?? `the addresses of ${c.label} are not known`, { groups });
  const ports = PortSet.range(port, port);
  const vpc = graph.vpcOf(endpoint);
  const pieces = evaluateSecurityGroups(
    groups,
    'ingress',
    { addrs: c.addresses, ports },
    c.end,
    prefixListResolver(graph, typeof vpc?.region === 'string' ? vpc.region : undefined),
    endpointGroupsIncomplete(endpoint),
  );
  return {
    kind: 'security-groups',
    direction: 'ingress',
    leg: 'request',
    groups,
    traffic,
    judgement: judge(pieces, { addresses: c.addresses, quantifier: 'one', ports, critical: ports }),
  };
}

/** The other end as seen from a workload sending to an interface endpoint: the endpoint's network interfaces and groups. */
function endpointEnd(endpoint: VpcEndpointNode): OtherEnd {
  const incomplete = endpointGroupsIncomplete(endpoint);
  return {
    groups: new Set([...endpoint.securityGroups, ...endpoint.externalSecurityGroups]),
    groupsComplete: !incomplete,
    ...(incomplete ? { groupsReason: incomplete } : {}),
  };
}

/**
 * The consumer's security groups outbound, once for each endpoint subnet (clients use the network interface of any of
 * them): TCP to the endpoint's port at an address of that subnet, or to a group of the endpoint.
 */
export function egressToEndpoint(graph: GraphView, c: Consumer, endpoint: VpcEndpointNode): Hop[] {
  const port = endpointPort(endpoint);
  const ports = PortSet.range(port, port);
  const w = c.workload;
  if (!w) return [];
  const groups = graph.securityGroupsOf(w);
  const vpc = graph.vpcOf(endpoint);
  const resolver = prefixListResolver(graph, typeof vpc?.region === 'string' ? vpc.region : undefined);
  const incomplete = w.securityGroupsIncomplete
    ? `the security groups of ${w.id} are not all known`
    : w.externalSecurityGroups.length
      ? `${w.id} has security groups outside the configuration (${w.externalSecurityGroups.join(', ')})`
      : undefined;
  return graph.subnetsOf(endpoint).map((s) => {
    const a = subnetAddresses(s, vpc);
    const traffic = `TCP ${port} to ${endpoint.id} in ${s.id}${a.addresses ? ` (${describeAddresses(a.addresses)})` : ''}`;
    if (!a.addresses) return unknownHop('security-groups', 'egress', 'request', traffic, a.unknown!, { groups });
    const pieces = evaluateSecurityGroups(groups, 'egress', { addrs: a.addresses, ports }, endpointEnd(endpoint), resolver, incomplete);
    return {
      kind: 'security-groups' as const,
      direction: 'egress' as const,
      leg: 'request' as const,
      groups,
      traffic,
      judgement: judge(pieces, { addresses: a.addresses, quantifier: 'one', ports, critical: ports }),
    };
  });
}

/** The ACL of a subnet over one hop. */
function aclHop(graph: GraphView, subnet: SubnetNode, direction: Hop['direction'], leg: Hop['leg'], demand: Demand, traffic: string): Hop {
  const acl = graph.networkAclOf(subnet.id);
  if (acl === 'unknown' || acl === undefined)
    return unknownHop(
      'acl',
      direction,
      leg,
      traffic,
      `the network ACL of ${subnet.id} is not known${acl === undefined ? ' (its VPC is not in the configuration)' : ''}`,
      { subnet },
    );
  const pieces = evaluateAcl(acl, direction, { addrs: demand.addresses, ports: demand.ports });
  return { kind: 'acl', direction, leg, subnet, acl, traffic, judgement: judge(pieces, demand) };
}

/**
 * The network ACLs between a consumer's subnet and an endpoint subnet: the request out of the one and into the other
 * on the endpoint's port, the response out of the endpoint subnet and back into the consumer's on an ephemeral port.
 * Two subnets that share an ACL are still judged at both crossings; a consumer in the endpoint's own subnet crosses
 * no ACL at all.
 */
export function aclsToEndpoint(graph: GraphView, c: Consumer, endpoint: VpcEndpointNode, endpointSubnet: SubnetNode): Hop[] {
  if (!c.subnet || c.subnet.id === endpointSubnet.id) return [];
  const port = endpointPort(endpoint);
  const svc = PortSet.range(port, port);
  const vpc = graph.vpcOf(endpoint);
  const dst = subnetAddresses(endpointSubnet, vpc);
  const src = c.addresses;
  const to = `TCP ${port} to ${endpointSubnet.id}${dst.addresses ? ` (${describeAddresses(dst.addresses)})` : ''}`;
  const from = `TCP ${port} from ${c.label}`;
  const eph = ephemeralPortsOf([c.workload]);
  const back = `TCP ${eph.recommended.toString()} (responses) to ${c.label}`;
  const backIn = `TCP ${eph.recommended.toString()} (responses) from ${endpointSubnet.id}`;
  const hops: Hop[] = [];
  if (dst.addresses) {
    hops.push(aclHop(graph, c.subnet, 'egress', 'request', { addresses: dst.addresses, quantifier: 'one', ports: svc, critical: svc }, to));
    hops.push(
      aclHop(graph, c.subnet, 'ingress', 'response', { addresses: dst.addresses, quantifier: 'one', ports: eph.ports, critical: eph.critical }, backIn),
    );
  } else hops.push(unknownHop('acl', 'egress', 'request', to, dst.unknown!, { subnet: c.subnet }));
  if (src) {
    hops.push(aclHop(graph, endpointSubnet, 'ingress', 'request', { addresses: src, quantifier: 'one', ports: svc, critical: svc }, from));
    hops.push(aclHop(graph, endpointSubnet, 'egress', 'response', { addresses: src, quantifier: 'one', ports: eph.ports, critical: eph.critical }, back));
  } else
    hops.push(unknownHop('acl', 'ingress', 'request', from, c.addressesUnknown ?? `the addresses of ${c.label} are not known`, { subnet: endpointSubnet }));
  return hops;
}

/** The subnets whose route table carries a gateway endpoint's route, and the workloads the configuration runs there. */
export function gatewayEndpointSubnets(graph: GraphView, endpoint: VpcEndpointNode): Array<{ subnet: SubnetNode; workloads: WorkloadNode[] }> {
  const tables = new Set(endpoint.routeTables);
  const out: Array<{ subnet: SubnetNode; workloads: WorkloadNode[] }> = [];
  for (const subnet of graph.all('subnet')) {
    const rt = graph.routeTableOf(subnet.id);
    if (rt === 'unknown' || !rt || !tables.has(rt.table.id)) continue;
    const workloads = graph.all('workload').filter((w) => RUNS.includes(w.workload) && w.inVpc !== false && w.subnets.includes(subnet.id));
    out.push({ subnet, workloads });
  }
  return out;
}

/** The addresses of a gateway endpoint's service in one region (IPv4), or why they are not known. */
export function gatewayServiceRanges(endpoint: VpcEndpointNode, region: string): { ranges?: CidrSet; unknown?: string } {
  const service = endpoint.service?.service;
  if (service !== 's3' && service !== 'dynamodb') return { unknown: `the service of ${endpoint.id} is not known` };
  const ranges = serviceRanges(service, region, 'ipv4');
  return ranges ? { ranges } : { unknown: `the bundled data has no ${service} ranges for ${region}` };
}

/** A subnet's ACL on the way to a gateway endpoint's service: TCP 443 out to its ranges, the responses back in. */
export function aclsToGatewayService(graph: GraphView, subnet: SubnetNode, label: string, ranges: CidrSet, workloads: readonly WorkloadNode[] = []): Hop[] {
  const https = PortSet.range(443, 443);
  const eph = ephemeralPortsOf(workloads);
  return [
    aclHop(
      graph,
      subnet,
      'egress',
      'request',
      { addresses: ranges, quantifier: 'each', ports: https, critical: https },
      `TCP 443 to ${label} (${describeAddresses(ranges)})`,
    ),
    aclHop(
      graph,
      subnet,
      'ingress',
      'response',
      { addresses: ranges, quantifier: 'each', ports: eph.ports, critical: eph.critical },
      `TCP ${eph.recommended.toString()} (responses) from ${label} (${describeAddresses(ranges)})`,
    ),
  ];
}

/** A workload's security groups outbound to a gateway endpoint's service: TCP 443 to its prefix list or CIDRs. */
export function egressToGatewayService(graph: GraphView, w: WorkloadNode, label: string, ranges: CidrSet, region: string): Hop {
  const https = PortSet.range(443, 443);
  const groups = graph.securityGroupsOf(w);
  const traffic = `TCP 443 to ${label} (${describeAddresses(ranges)})`;
  const incomplete = w.securityGroupsIncomplete
    ? `the security groups of ${w.id} are not all known`
    : w.externalSecurityGroups.length
      ? `${w.id} has security groups outside the configuration (${w.externalSecurityGroups.join(', ')})`
      : undefined;
  // The service's addresses are public AWS addresses: no network interface there carries a group of the VPC.
  const pieces = evaluateSecurityGroups(
    groups,
    'egress',
    { addrs: ranges, ports: https },
    { groups: new Set(), groupsComplete: true, noGroups: true },
    prefixListResolver(graph, region),
    incomplete,
  );
  return {
    kind: 'security-groups',
    direction: 'egress',
    leg: 'request',
    groups,
    traffic,
    judgement: judge(pieces, { addresses: ranges, quantifier: 'each', ports: https, critical: https }),
  };
}

/**
 * Paths to a gateway endpoint's service from the subnets that route to it and hold workloads: for each region to
 * evaluate (one, or every region of the bundled data for a template deployed to any region), the subnet's ACL and each
 * workload's egress. Blocked in every region reads blocked; blocked in some only, unknown.
 */
export interface GatewayServiceReach {
  endpoint: VpcEndpointNode;
  service: 's3' | 'dynamodb';
  /** The regions evaluated. */
  regions: string[];
  /** Why nothing could be evaluated. */
  unknown?: string;
  subnets: Array<{ subnet: SubnetNode; workloads: WorkloadNode[]; acl: Reach; egress: Array<{ workload: WorkloadNode; reach: Reach }> }>;
}

/** Several regions' answers for one path as one: the first region's blocking hops when every region blocks. */
function acrossRegions(perRegion: Array<{ region: string; reach: Reach }>): Reach {
  if (perRegion.length === 0) return { verdict: 'unknown', hops: [], blocking: [], reasons: ['no region to evaluate'] };
  if (perRegion.every((r) => r.reach.verdict === 'blocked')) return perRegion[0]!.reach;
  if (perRegion.every((r) => r.reach.verdict === 'allowed')) return perRegion[0]!.reach;
  const blocked = perRegion.filter((r) => r.reach.verdict === 'blocked').map((r) => r.region);
  const reasons = [...new Set(perRegion.flatMap((r) => r.reach.reasons))];
  if (blocked.length)
    reasons.unshift(
      `it blocks the traffic in ${blocked.length} of the ${perRegion.length} regions evaluated (${blocked.slice(0, 4).join(', ')}${blocked.length > 4 ? ', …' : ''}), and the region is not known`,
    );
  return { verdict: 'unknown', hops: perRegion[0]!.reach.hops, blocking: [], reasons };
}

export function gatewayServiceReach(graph: GraphView, endpoint: VpcEndpointNode, regions: string[]): GatewayServiceReach {
  const service = endpoint.service?.service === 'dynamodb' ? 'dynamodb' : 's3';
  const label = service === 's3' ? 'S3' : 'DynamoDB';
  const out: GatewayServiceReach = { endpoint, service, regions, subnets: [] };
  const ranges = regions.map((region) => ({ region, ...gatewayServiceRanges(endpoint, region) })).filter((r) => r.ranges);
  if (ranges.length === 0) return { ...out, unknown: `the ${label} ranges of ${regions.length ? regions.join(', ') : 'its region'} are not known` };
  for (const { subnet, workloads } of gatewayEndpointSubnets(graph, endpoint)) {
    if (workloads.length === 0) continue;
    const acl = acrossRegions(
      ranges.map((r) => ({ region: r.region, reach: combine(aclsToGatewayService(graph, subnet, `${label} in ${r.region}`, r.ranges!, workloads)) })),
    );
    const egress = workloads.map((w) => ({
      workload: w,
      reach: acrossRegions(
        ranges.map((r) => ({ region: r.region, reach: combine([egressToGatewayService(graph, w, `${label} in ${r.region}`, r.ranges!, r.region)]) })),
      ),
    }));
    out.subnets.push({ subnet, workloads, acl, egress });
  }
  return out;
}

/**
 * Whom else an interface endpoint's groups admit on its port, beside the consumers: addresses outside its VPC (clients
 * over peering, a transit gateway, VPN), or members of groups no consumer carries (resources the configuration does not
 * show as workloads), the endpoint's own groups included when the configuration writes such a rule for them. Either
 * means the endpoint serves clients this analysis cannot see. Undefined when it admits no one else.
 */
export function endpointAdmitsOthers(graph: GraphView, endpoint: VpcEndpointNode, consumers: readonly Consumer[]): string | undefined {
  const port = endpointPort(endpoint);
  const carried = new Set(consumers.flatMap((c) => [...c.end.groups]));
  const own = new Set(endpoint.securityGroups);
  for (const g of graph.securityGroupsOf(endpoint))
    for (const r of g.rules) {
      if (r.direction !== 'ingress') continue;
      const p = r.protocol;
      const tcp = p === 'tcp' || p === '-1' || isUnknown(p);
      const ports = r.ports;
      const covers = p === '-1' || isUnknown(ports) || (ports !== undefined && ports.from <= port && port <= ports.to);
      if (!tcp || !covers) continue;
      for (const peer of r.peers) {
        if (peer.kind !== 'security-group' && peer.kind !== 'self') continue;
        const id = peer.kind === 'self' ? g.id : (peer.securityGroup ?? peer.label);
        if (carried.has(id)) continue;
        // A rule the configuration writes for the endpoint's own group says its members are clients; the rule AWS
        // gives the VPC default group says nothing about who uses the endpoint.
        if (!own.has(id) || r.origin !== 'aws-default')
          return `${r.id} admits TCP ${port} from members of ${peer.kind === 'self' ? g.id : peer.label}, which no workload of the configuration in the VPC carries`;
      }
    }
  const vpc = graph.vpcOf(endpoint);
  const inside = vpc ? vpcAddresses(vpc).addresses : undefined;
  if (!inside) return undefined;
  const outside: Consumer = {
    label: 'addresses outside the VPC',
    addresses: CidrSet.all('ipv4').subtract(inside),
    end: { groups: new Set(), groupsComplete: true },
  };
  const hop = endpointIngress(graph, endpoint, outside);
  if (hop.judgement.verdict === 'blocked' || hop.judgement.verdict === 'unknown') {
    // `one` reads a partial admission as unknown: look for a piece that is certainly admitted.
    const pieces = evaluateSecurityGroups(
      graph.securityGroupsOf(endpoint),
      'ingress',
      { addrs: outside.addresses!, ports: PortSet.range(port, port) },
      outside.end,
      prefixListResolver(graph, typeof vpc?.region === 'string' ? vpc.region : undefined),
    );
    const admitted = pieces.find((p) => p.status === 'allowed');
    if (!admitted) return undefined;
    return `${admitted.cause.kind === 'sg-rule' ? admitted.cause.rule.id : 'a rule'} admits TCP ${port} from ${describeAddresses(admitted.addrs)}, outside ${vpc!.id}`;
  }
  return `its groups admit TCP ${port} from addresses outside ${vpc!.id}`;
}
