import type { GraphView } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, VpcEndpointNode, VpcNode } from '../graph/model.js';
import { isUnknown } from '../source/value.js';
import { routesToOtherNetworks, routeText } from './internet-path.js';

/**
 * How a subnet whose route table is `table` reaches an AWS service through a VPC endpoint, as the SDKs call it by
 * default (the service's public name, `ecr.api.<region>.amazonaws.com`):
 * - `reached`: an interface endpoint of the VPC with private DNS on (the public name resolves to it), a gateway
 *   endpoint associated with the table, or — for S3 — an interface endpoint whose private DNS answers in-VPC clients;
 * - `private-dns-off`: only interface endpoints with private DNS off: the public name still resolves to public
 *   addresses, which the subnet cannot reach; only clients configured with the endpoint's own name use it;
 * - `not-on-table`: gateway endpoints of the VPC for the service, none associated with the table;
 * - `no-interface`: interface endpoints with no subnet: they have no network interface and serve nothing;
 * - `missing`: no endpoint for the service in the VPC;
 * - `unknown`: something that decides it is not known (an endpoint's service, type, private DNS or route tables, DNS
 *   servers of the VPC's DHCP options, routes to other networks where a shared endpoint may answer).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html (private DNS),
 * https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html (routing)
 */
export type EndpointReach =
  | { kind: 'reached'; endpoint: VpcEndpointNode }
  | { kind: 'private-dns-off'; endpoints: VpcEndpointNode[] }
  | { kind: 'not-on-table'; endpoints: VpcEndpointNode[] }
  | { kind: 'no-interface'; endpoints: VpcEndpointNode[] }
  | { kind: 'missing' }
  | { kind: 'unknown'; reason: string };

/** The endpoints of a VPC that may be for a service: its own, and those whose service name is not known. */
function candidates(graph: GraphView, vpc: VpcNode, service: string): { mine: VpcEndpointNode[]; unnamed: VpcEndpointNode[]; elsewhere: VpcEndpointNode[] } {
  const mine: VpcEndpointNode[] = [];
  const unnamed: VpcEndpointNode[] = [];
  // An endpoint whose VPC is not in the graph (a variable, a data source) may be in this one.
  const elsewhere: VpcEndpointNode[] = [];
  for (const e of graph.all('vpc-endpoint')) {
    const inVpc = e.vpc === vpc.id || (e.vpc === undefined && graph.subnetsOf(e).some((s) => s.vpc === vpc.id));
    const forService = e.service?.service === service;
    if (!inVpc) {
      if (e.vpc === undefined && (forService || (!e.service && isUnknown(e.serviceName)))) elsewhere.push(e);
      continue;
    }
    if (forService) mine.push(e);
    else if (!e.service && isUnknown(e.serviceName)) unnamed.push(e);
  }
  return { mine, unnamed, elsewhere };
}

const hasInterface = (e: VpcEndpointNode) => e.subnets.length > 0 || e.externalSubnets.length > 0 || e.subnetsIncomplete;

/** The table holds a route of a gateway endpoint (`route_table_ids`, an association resource). */
function onTable(graph: GraphView, e: VpcEndpointNode, table: RouteTableNode): boolean {
  return e.routeTables.includes(table.id) || graph.routesOf(table).some((r: RouteNode) => r.origin === 'endpoint-association' && r.target.node === e.id);
}

/** How the subnets of `table` in `vpc` reach `service` through an endpoint of type `type` (see `EndpointReach`). */
export function endpointReach(graph: GraphView, vpc: VpcNode, table: RouteTableNode, service: string, type: 'Interface' | 'Gateway'): EndpointReach {
  const { mine, unnamed, elsewhere: vpcUnknown } = candidates(graph, vpc, service);
  const unknowns: string[] = [];
  const dnsOff: VpcEndpointNode[] = [];
  const elsewhere: VpcEndpointNode[] = [];
  const noInterface: VpcEndpointNode[] = [];
  for (const e of mine) {
    if (e.mayNotExist) {
      unknowns.push(`${e.id} may not be created (${e.mayNotExist})`);
      continue;
    }
    if (isUnknown(e.type)) {
      unknowns.push(`the type of ${e.id} is not known (${e.type.reason})`);
      continue;
    }
    if (e.type === 'Gateway') {
      if (type !== 'Gateway') continue;
      if (onTable(graph, e, table)) return { kind: 'reached', endpoint: e };
      if (e.routeTablesIncomplete) unknowns.push(`the route tables of ${e.id} are not all known`);
      else elsewhere.push(e);
      continue;
    }
    if (e.type !== 'Interface') continue;
    // An S3 interface endpoint answers in-VPC clients only when its private DNS is not for inbound resolvers only.
    if (type === 'Gateway' && service !== 's3') continue;
    if (!hasInterface(e)) {
      noInterface.push(e);
      continue;
    }
    if (isUnknown(e.privateDns)) {
      unknowns.push(`whether ${e.id} has private DNS is not known (${e.privateDns.reason})`);
      continue;
    }
    if (!e.privateDns) {
      dnsOff.push(e);
      continue;
    }
    if (type === 'Gateway') {
      if (e.privateDnsInboundOnly === false) return { kind: 'reached', endpoint: e };
      if (isUnknown(e.privateDnsInboundOnly)) unknowns.push(`whether the private DNS of ${e.id} answers only inbound resolvers is not known`);
      continue;
    }
    return { kind: 'reached', endpoint: e };
  }
  for (const e of vpcUnknown) unknowns.push(`the VPC of ${e.id} is not in the configuration; it may be a ${service} endpoint of ${vpc.id}`);
  for (const e of unnamed)
    unknowns.push(`the service of ${e.id} is not known (${isUnknown(e.serviceName) ? e.serviceName.reason : 'not set'}); it may be a ${service} endpoint`);
  for (const t of ['aws_vpc_endpoint', 'AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint_route_table_association'])
    if (graph.isUncertain(t)) unknowns.push(`${t} resources of unknown count may add a ${service} endpoint`);
  if (unknowns.length) return { kind: 'unknown', reason: unknowns[0]! };
  const shared = sharedEndpointsMayAnswer(graph, vpc, table);
  if (shared) return { kind: 'unknown', reason: shared };
  if (dnsOff.length) return { kind: 'private-dns-off', endpoints: dnsOff };
  if (elsewhere.length) return { kind: 'not-on-table', endpoints: elsewhere };
  if (noInterface.length) return { kind: 'no-interface', endpoints: noInterface };
  return { kind: 'missing' };
}

/**
 * Why an endpoint outside the VPC may answer the service's name for these subnets, or undefined: the VPC's DHCP options
 * give DNS servers other than the Amazon-provided one (they may forward the name anywhere), or the table routes to
 * another network where a shared ("centralized") interface endpoint may answer through a private hosted zone.
 */
function sharedEndpointsMayAnswer(graph: GraphView, vpc: VpcNode, table: RouteTableNode): string | undefined {
  const dhcp = vpc.dhcpOptions;
  if (isUnknown(dhcp))
    return `the DHCP options of ${vpc.id} are not known (${dhcp.reason}): its DNS servers may resolve the service's name to an endpoint elsewhere`;
  if (dhcp) {
    const servers = dhcp.domainNameServers;
    if (isUnknown(servers) || servers.some((s) => isUnknown(s) || s !== 'AmazonProvidedDNS'))
      return `DHCP options ${dhcp.address} of ${vpc.id} give DNS servers other than AmazonProvidedDNS, which may resolve the service's name to an endpoint elsewhere`;
  }
  const other = routesToOtherNetworks(graph, table);
  if (other.length)
    return `route ${routeText(other[0]!)} in ${table.id} leads to another network, where a shared interface endpoint may answer the service's name through a private hosted zone`;
  return undefined;
}
