import { CidrSet } from '../facts/cidr.js';
import type { GraphView } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, SubnetNode, VpcNode } from '../graph/model.js';
import { destinationLabel } from './service-ranges.js';

/**
 * Whether a subnet has a path to the internet:
 * - `internet`: a default route (`0.0.0.0/0` or `::/0`) to an internet gateway, a public NAT gateway or an egress-only
 *   internet gateway (IPv6);
 * - `isolated`: every route of its table stays inside the VPC or private address space, or targets a VPC endpoint;
 * - `unknown`: its table or routes are not all known, a route covering public addresses leads somewhere whose onward
 *   path the configuration does not show (a transit gateway, a peering connection, a VPN gateway, a network interface,
 *   a private NAT gateway), or only part of the public address space goes to the internet. Never guessed.
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html (route targets),
 * https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html (a private NAT gateway cannot reach the internet)
 */
export type InternetPath =
  | { kind: 'internet'; table: RouteTableNode; route: RouteNode; via: string }
  | { kind: 'isolated'; table: RouteTableNode; routes: RouteNode[] }
  | { kind: 'unknown'; table: RouteTableNode | undefined; reason: string };

/**
 * Address space that never holds a public AWS service endpoint: RFC 1918, shared address space, link-local and
 * loopback (IPv4); unique local, link-local and loopback (IPv6). A route to such space carries no traffic to a service's
 * public name.
 */
const PRIVATE = CidrSet.fromCidrs([
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '127.0.0.0/8',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
]);

const DEFAULT_ROUTES = ['0.0.0.0/0', '::/0'];

/** A route's destination holds public addresses (true), none (false), or may (a prefix list or value not known). */
function mayHoldPublic(graph: GraphView, route: RouteNode): boolean {
  const d = route.destination;
  const cidrs =
    d.kind === 'cidr'
      ? [d.cidr]
      : d.kind === 'prefix-list'
        ? graph.getKind(d.prefixList, 'prefix-list')?.cidrs?.filter((c): c is string => typeof c === 'string')
        : undefined;
  if (d.kind === 'prefix-list') {
    const pl = graph.getKind(d.prefixList, 'prefix-list');
    // An AWS-managed list holds a service's public ranges; a customer list counts when every entry is known.
    if (pl?.managed || !pl?.cidrs || pl.cidrs.some((c) => typeof c !== 'string')) return true;
  }
  if (!cidrs) return true;
  const set = CidrSet.tryFromCidrs(cidrs);
  return set === undefined || !set.subtract(PRIVATE).isEmpty();
}

/** What a route leads to, for messages: `NAT gateway aws_nat_gateway.a`, `transit gateway tgw-0abc`. */
const TARGET_LABEL: Record<string, string> = {
  igw: 'internet gateway',
  nat: 'NAT gateway',
  eigw: 'egress-only internet gateway',
  tgw: 'transit gateway',
  pcx: 'VPC peering connection',
  vgw: 'virtual private gateway',
  eni: 'network interface',
  instance: 'instance',
  gwlbe: 'Gateway Load Balancer endpoint',
  carrier: 'carrier gateway',
  'core-network': 'Cloud WAN core network',
  lgw: 'local gateway',
  unknown: 'a target that is not known',
};

export function routeTargetLabel(route: Pick<RouteNode, 'target'>): string {
  const kind = TARGET_LABEL[route.target.kind] ?? route.target.kind;
  return route.target.kind === 'unknown' ? `${route.target.label} (${kind})` : `${kind} ${route.target.label}`;
}

export const routeText = (route: RouteNode) => `${destinationLabel(route.destination, route.id)} → ${routeTargetLabel(route)}`;

/** Whether one route leads to the internet for certain (`internet`), may (`unknown`, with why), or cannot. */
function judgeRoute(graph: GraphView, route: RouteNode): 'internet' | 'no' | { unknown: string } {
  const t = route.target.kind;
  if (t === 'local' || t === 'vpce' || route.origin === 'endpoint-association') return 'no';
  if (!mayHoldPublic(graph, route)) return 'no';
  const isDefault = route.destination.kind === 'cidr' && DEFAULT_ROUTES.includes(route.destination.cidr);
  if (t === 'igw' || t === 'eigw' || t === 'nat') {
    if (t === 'nat') {
      const nat = graph.getKind(route.target.node, 'nat-gateway');
      const connectivity = nat?.connectivity;
      if (connectivity === 'private')
        return { unknown: `route ${routeText(route)} leads to a private NAT gateway, which reaches other networks but not the internet directly` };
      if (nat && connectivity !== 'public') return { unknown: `route ${routeText(route)} leads to a NAT gateway whose connectivity type is not known` };
    }
    if (isDefault) return 'internet';
    return { unknown: `route ${routeText(route)} sends only part of the public address space to the internet` };
  }
  return { unknown: `route ${routeText(route)} leads to a ${TARGET_LABEL[t] ?? t} whose onward path to the internet the configuration does not show` };
}

const isV6Route = (r: RouteNode) => r.destination.kind === 'cidr' && r.destination.cidr.includes(':');

/** Whether a subnet has a path to the internet (see `InternetPath`). */
export function internetPathOf(graph: GraphView, subnet: SubnetNode): InternetPath {
  const rt = graph.routeTableOf(subnet.id);
  if (rt === 'unknown') return { kind: 'unknown', table: undefined, reason: `the route table of ${subnet.id} cannot be resolved` };
  if (!rt)
    return {
      kind: 'unknown',
      table: undefined,
      reason: `${subnet.id} uses the main route table of a VPC outside the configuration, whose routes are not known`,
    };
  const table = rt.table;
  const routes = graph.routesOf(table);
  let unknown: string | undefined;
  // IPv4 routes first: when a subnet has both, the IPv4 default route is the path messages name.
  const ordered = [...routes].sort((a, b) => Number(isV6Route(a)) - Number(isV6Route(b)));
  for (const route of ordered) {
    const verdict = judgeRoute(graph, route);
    if (verdict === 'internet') return { kind: 'internet', table, route, via: routeTargetLabel(route) };
    if (verdict !== 'no') unknown ??= verdict.unknown;
  }
  if (unknown) return { kind: 'unknown', table, reason: unknown };
  if (table.routesIncomplete) return { kind: 'unknown', table, reason: table.routesIncompleteReason ?? `the routes of ${table.id} are not all known` };
  for (const type of ['aws_route', 'AWS::EC2::Route'])
    if (graph.isUncertain(type)) return { kind: 'unknown', table, reason: `${type} resources of unknown count may add routes to ${table.id}` };
  return { kind: 'isolated', table, routes };
}

/**
 * Routes of a table that lead to other networks (a transit gateway, a peering connection, a VPN gateway, a Cloud WAN
 * core network): interface endpoints of another VPC can serve the subnet through them, when a private hosted zone
 * outside the configuration answers the service's name.
 * https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html
 */
export function routesToOtherNetworks(graph: GraphView, table: RouteTableNode): RouteNode[] {
  return graph.routesOf(table).filter((r) => ['tgw', 'pcx', 'vgw', 'core-network', 'unknown'].includes(r.target.kind));
}

/**
 * The subnets of a VPC that send IPv4 traffic for any address to the internet (a `0.0.0.0/0` route to an internet or
 * NAT gateway), and those for which that is not known, with why.
 */
export function subnetsWithInternetPath(
  graph: GraphView,
  vpc: VpcNode,
): { paths: Array<{ subnet: SubnetNode; route: RouteNode }>; unknown: Array<{ subnet: SubnetNode; reason: string }> } {
  const paths: Array<{ subnet: SubnetNode; route: RouteNode }> = [];
  const unknown: Array<{ subnet: SubnetNode; reason: string }> = [];
  for (const subnet of graph.all('subnet')) {
    if (subnet.vpc !== vpc.id) continue;
    const path = internetPathOf(graph, subnet);
    if (path.kind === 'internet' && !isV6Route(path.route)) paths.push({ subnet, route: path.route });
    else if (path.kind === 'unknown') unknown.push({ subnet, reason: path.reason });
  }
  return { paths, unknown };
}
