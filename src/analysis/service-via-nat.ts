import type { Graph } from '../graph/graph.js';
import type { NatGatewayNode, RouteNode, RouteTableNode, SubnetNode, VpcEndpointNode, VpcNode } from '../graph/model.js';
import { regionsToEvaluate, splitByRoute, tableRoutes } from '../graph/routing.js';
import { serviceRanges } from '../sim/aws-data.js';
import type { CidrSet } from '../sim/cidr.js';

export interface ViaNat {
  vpc: VpcNode;
  /** The configuration's region: a concrete one, or the symbolic region of a template deployed to any region. */
  region: string;
  /** Regions in which the traffic takes the NAT route (one, or several for a template deployed to any region). */
  regions: string[];
  /** How many regions were evaluated (1, or every region of the bundled data for a symbolic region). */
  evaluatedRegions: number;
  /** The template itself limits the regions it can be deployed to (see `regionPins`). */
  regionsLimited: boolean;
  table: RouteTableNode;
  route: RouteNode;
  nat: NatGatewayNode | undefined;
  subnets: SubnetNode[];
  /** The part of the service's ranges that takes the NAT route, in the first region of `regions`. */
  cidrs: CidrSet;
  /** Gateway endpoints for the service in the same VPC that this table is not associated with. */
  unassociatedEndpoints: VpcEndpointNode[];
}

/**
 * Subnets whose same-region traffic to a gateway-endpoint service (S3, DynamoDB) is routed to a NAT gateway, grouped
 * by route table and NAT route. Stays silent where the answer would rest on an unknown: region, subnet association,
 * route destinations, a tie AWS breaks at random, or an interface endpoint with private DNS that may carry the
 * traffic instead.
 */
export function serviceTrafficViaNat(graph: Graph, service: 's3' | 'dynamodb'): ViaNat[] {
  const out = new Map<string, ViaNat>();
  for (const subnet of graph.all('subnet')) {
    const vpc = graph.vpcOf(subnet);
    if (!vpc || typeof vpc.region !== 'string') continue;
    const { regions, limited } = regionsToEvaluate(graph, vpc.id, vpc.region, (r) => !(serviceRanges(service, r, 'ipv4')?.isEmpty() ?? true));
    if (interfaceEndpointWithPrivateDns(graph, vpc, service)) continue;
    const rt = graph.routeTableOf(subnet.id);
    if (!rt || rt === 'unknown') continue;
    for (const region of regions) {
      const ranges = serviceRanges(service, region, 'ipv4');
      if (!ranges || ranges.isEmpty()) continue;
      const routes = tableRoutes(graph, rt.table, vpc, 'ipv4', region);
      if (routes.uncertain.length) continue;
      for (const share of splitByRoute(routes, ranges)) {
        const route = share.route;
        if (!route || route === 'local' || route.target.kind !== 'nat') continue;
        // Only what certainly takes the NAT route counts; a tie AWS breaks at random is not a finding.
        if (share.certain.isEmpty()) continue;
        const key = `${rt.table.id}\u0000${route.id}`;
        let entry = out.get(key);
        if (!entry) {
          entry = {
            vpc,
            region: vpc.region,
            regions: [],
            evaluatedRegions: regions.length,
            regionsLimited: limited,
            table: rt.table,
            route,
            nat: graph.getKind(route.target.node, 'nat-gateway'),
            subnets: [],
            cidrs: share.certain,
            unassociatedEndpoints: gatewayEndpoints(graph, vpc, service).filter((e) => !e.routeTables.includes(rt.table.id)),
          };
          out.set(key, entry);
        }
        if (!entry.regions.includes(region)) entry.regions.push(region);
        if (!entry.subnets.includes(subnet)) entry.subnets.push(subnet);
      }
    }
  }
  return [...out.values()];
}

export function gatewayEndpoints(graph: Graph, vpc: VpcNode, service: string): VpcEndpointNode[] {
  return graph.all('vpc-endpoint').filter((e) => e.vpc === vpc.id && e.type === 'Gateway' && e.service?.service === service);
}

/**
 * An interface endpoint for the service whose private DNS may answer the service's regional name inside the VPC, so
 * that clients there reach it instead of the NAT gateway. S3 and DynamoDB interface endpoints with private DNS send
 * in-VPC traffic to the gateway endpoint only when `private_dns_only_for_inbound_resolver_endpoint` is true
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptionsSpecification.html); anything less certain
 * than "private DNS off" or "inbound only" counts as may-answer, and the rules stay silent.
 */
function interfaceEndpointWithPrivateDns(graph: Graph, vpc: VpcNode, service: string): boolean {
  return graph
    .all('vpc-endpoint')
    .some((e) => e.vpc === vpc.id && e.type !== 'Gateway' && e.service?.service === service && e.privateDns !== false && e.privateDnsInboundOnly !== true);
}
