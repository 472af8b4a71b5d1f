import type { GraphView } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, RouteTargetKind, SubnetNode, VpcNode } from '../graph/model.js';
import { cidrContains, cidrOverlaps, normalizeCidr, parseCidr } from '../facts/cidr.js';
import { isUnknown } from '../source/value.js';
import { managedListId } from '../graph/nodes.js';
import type { UndecidedAt } from './undecided.js';
import { everyRouteOf, routesMeet } from './routing.js';
import { subnetCidrsOf, type SubnetCidr } from './vpc-addressing.js';

/** Two routes of one table with the same destination: AWS refuses the one created second. */
export interface DuplicateRoute {
  table: RouteTableNode;
  first: RouteNode;
  second: RouteNode;
  /** The destination both name, normalised (a CIDR with host bits cleared, or the prefix list). */
  destination: string;
}

const bySource = (a: RouteNode, b: RouteNode) =>
  a.source.file.localeCompare(b.source.file) ||
  a.source.span.start.line - b.source.span.start.line ||
  a.source.span.start.column - b.source.span.start.column ||
  a.id.localeCompare(b.id);

/**
 * The key under which AWS refuses a second route: the CIDR as AWS stores it (CreateRoute normalises 100.68.0.18/18 to
 * 100.68.0.0/18; IPv6 compressed), or the prefix list. Undefined when the destination is not known or not a CIDR.
 */
function destinationKey(graph: GraphView, route: RouteNode): string | undefined {
  const d = route.destination;
  if (d.kind === 'cidr') return normalizeCidr(d.cidr);
  if (d.kind !== 'prefix-list') return undefined;
  // An AWS-managed list named through a data source is the list a gateway endpoint's route names.
  const managed = graph.getKind(d.prefixList, 'prefix-list')?.managed;
  if (managed && typeof managed.region === 'string') return managedListId(managed.region, managed.service);
  return d.prefixList ?? d.label;
}

const sameTarget = (a: RouteNode, b: RouteNode) => a.target.kind === b.target.kind && (a.target.node ?? a.target.label) === (b.target.node ?? b.target.label);

/**
 * Pairs of routes in one table whose destinations are the same, and the tables where a route that is not known may
 * repeat one. Not reported: two gateway endpoints' routes to one prefix list (duplicate-gateway-endpoint covers them),
 * an inline route identical to another route of the table (the same route, read twice), a route to `local`.
 */
export function duplicateRouteDestinations(graph: GraphView): { hits: DuplicateRoute[]; undecided: UndecidedAt[] } {
  const hits: DuplicateRoute[] = [];
  const undecided: UndecidedAt[] = [];
  for (const table of graph.all('route-table')) {
    // Routes of some regions only count too: two routes that repeat a destination in some region are a duplicate there.
    const routes = everyRouteOf(graph, table).filter((r) => r.target.kind !== 'local');
    const byKey = new Map<string, RouteNode[]>();
    for (const r of routes) {
      const key = destinationKey(graph, r);
      if (key !== undefined) (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(r);
    }
    let found = false;
    for (const [key, list] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
      list.sort(bySource);
      for (const [j, second] of list.entries()) {
        // The earliest route that exists in a region where this one does too (routes of some regions only).
        const first = list.slice(0, j).find((r) => routesMeet(r, second));
        if (!first) continue;
        if (first.origin === 'endpoint-association' && second.origin === 'endpoint-association') continue;
        // Identical routes where one is an inline block: Terraform keeps `route` blocks as a set, and a plan of existing
        // infrastructure lists under `route` every route of the table, those of `aws_route` resources included.
        if ((first.origin === 'inline' || second.origin === 'inline') && sameTarget(first, second)) continue;
        hits.push({ table, first, second, destination: key });
        found = true;
      }
    }
    if (found || routes.length === 0) continue;
    const unknownRoute = routes.find((r) => destinationKey(graph, r) === undefined && r.destination.kind !== 'cidr');
    const reason = unknownRoute
      ? `the destination of route ${unknownRoute.id} cannot be read (${unknownRoute.destination.kind === 'unknown' ? unknownRoute.destination.reason : 'not a CIDR'})`
      : table.routesIncomplete && !table.routesKnownPerRegion
        ? (table.routesIncompleteReason ?? `the routes of ${table.id} are not all known`)
        : graph.isUncertain('aws_route')
          ? `aws_route resources of unknown count may add routes to ${table.id}`
          : undefined;
    const others = unknownRoute ? routes.filter((r) => r !== unknownRoute) : routes;
    // A gateway endpoint that may not exist can only add a route to its prefix list: it repeats nothing in a table
    // without prefix-list routes. (The builder names the endpoint only when no conditional route made the routes incomplete.)
    const onlyEndpointMissing = !unknownRoute && table.routesIncompleteReason?.startsWith('gateway endpoint ') === true && !graph.isUncertain('aws_route');
    if (onlyEndpointMissing && !others.some((r) => r.destination.kind === 'prefix-list')) continue;
    if (reason && others.length > 0)
      undecided.push({ node: table, reason: `${reason}, so whether it repeats the destination of ${others.map((r) => r.id).join(', ')} cannot be decided` });
  }
  return { hits, undecided };
}

/**
 * Targets AWS never accepts for a route more specific than the local route: such a route may only point at a NAT
 * gateway, a network interface (an instance names its primary one) or a Gateway Load Balancer endpoint.
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html (Rules and considerations)
 */
const NOT_FOR_SUBNET_ROUTES: ReadonlySet<RouteTargetKind> = new Set<RouteTargetKind>(['igw', 'eigw', 'vgw', 'tgw', 'pcx']);

/** A route whose destination lies inside a CIDR of its table's VPC, which AWS refuses. */
export interface RouteInsideVpc {
  table: RouteTableNode;
  route: RouteNode;
  vpc: VpcNode;
  /** The VPC CIDR the destination lies in. */
  vpcCidr: string;
  destination: string;
  /** `not-subnet`: the destination is not exactly a subnet's CIDR; `target`: the target cannot take such a route. */
  problem: 'not-subnet' | 'target';
  /** Subnets of the VPC the destination overlaps without being their CIDR (for `not-subnet`). */
  overlapped: SubnetCidr[];
  /** The subnet whose CIDR the destination is (for `target`). */
  subnet?: SubnetCidr;
}

/** The smallest IPv4 prefix a VPC CIDR block can be (/16): a route less specific than that cannot lie inside one. */
const LARGEST_VPC_PREFIX = { ipv4: 16, ipv6: 44 };

/**
 * Routes more specific than a local route that AWS refuses: a destination inside a CIDR block of the VPC is accepted
 * only when it is exactly the CIDR block of a subnet of the VPC and the target is a NAT gateway, a network interface
 * or a Gateway Load Balancer endpoint. A destination equal to a VPC CIDR (the local route's own) or larger than it is
 * not judged here. Without a subnet of the configuration that overlaps the destination, a subnet outside the
 * configuration could have exactly that CIDR, so only a target AWS never accepts there is reported.
 */
export function routesInsideVpc(graph: GraphView): { hits: RouteInsideVpc[]; undecided: UndecidedAt[] } {
  const hits: RouteInsideVpc[] = [];
  const undecided: UndecidedAt[] = [];
  for (const table of graph.all('route-table')) {
    const vpc = graph.vpcOf(table);
    if (!vpc) continue;
    for (const route of graph.routesOf(table)) {
      if (route.origin === 'endpoint-association' || route.target.kind === 'local' || route.destination.kind !== 'cidr') continue;
      const d = parseCidr(route.destination.cidr);
      if (!d) continue;
      const destination = normalizeCidr(route.destination.cidr)!;
      const blocks = d.family === 'ipv4' ? vpc.cidrs : vpc.ipv6Cidrs;
      const known = blocks.filter((c): c is string => typeof c === 'string' && parseCidr(c) !== undefined).map((c) => normalizeCidr(c)!);
      if (known.includes(destination)) continue;
      const container = known.find((c) => cidrContains(c, destination));
      const subnets = subnetCidrsOf(graph, vpc, d.family);
      const verdict = judge(graph, route, destination, subnets);
      if (!container) {
        // A block that is not known could hold it: an Amazon-provided IPv6 block is global unicast (2000::/3).
        const unknownBlock = blocks.find((c) => isUnknown(c));
        const couldBeInside = d.prefix > LARGEST_VPC_PREFIX[d.family] && (d.family === 'ipv4' || cidrContains('2000::/3', destination));
        if (unknownBlock && isUnknown(unknownBlock) && couldBeInside && verdict.kind === 'hit')
          undecided.push({
            node: route,
            reason: `a CIDR block of ${vpc.id} is not known (${unknownBlock.reason}), and ${destination} would be refused if it lay inside it`,
          });
        continue;
      }
      if (verdict.kind === 'undecided') undecided.push({ node: route, reason: verdict.reason });
      else if (verdict.kind === 'hit') hits.push({ table, route, vpc, vpcCidr: container, destination, ...verdict.hit });
    }
  }
  return { hits, undecided };
}

type Verdict = { kind: 'ok' } | { kind: 'undecided'; reason: string } | { kind: 'hit'; hit: Pick<RouteInsideVpc, 'problem' | 'overlapped' | 'subnet'> };

/** How AWS takes a route whose destination lies inside the VPC, given the subnets of the VPC. */
function judge(graph: GraphView, route: RouteNode, destination: string, subnets: SubnetCidr[]): Verdict {
  const exact = subnets.find((s) => s.cidr === destination);
  const badTarget = NOT_FOR_SUBNET_ROUTES.has(route.target.kind);
  if (badTarget) return { kind: 'hit', hit: { problem: 'target', overlapped: [], ...(exact ? { subnet: exact } : {}) } };
  if (exact && exact.subnet.mayNotExist === undefined) return { kind: 'ok' };
  const overlapped = subnets.filter((s) => s.cidr !== undefined && s.cidr !== destination && cidrOverlaps(s.cidr, destination));
  const certainOverlap = overlapped.filter((s) => s.subnet.mayNotExist === undefined);
  if (certainOverlap.length > 0 && !exact) return { kind: 'hit', hit: { problem: 'not-subnet', overlapped: certainOverlap } };
  const rule = `${destination} is more specific than the local route, which AWS accepts only for the exact CIDR of a subnet`;
  if (exact) return { kind: 'undecided', reason: `${rule}, and ${exact.subnet.id} has that CIDR but ${exact.subnet.mayNotExist}` };
  if (overlapped.length > 0)
    return { kind: 'undecided', reason: `${rule}, and ${overlapped[0]!.subnet.id} overlaps it but ${overlapped[0]!.subnet.mayNotExist}` };
  const open: SubnetNode | undefined = subnets.find((s) => s.cidr === undefined)?.subnet;
  if (open) return { kind: 'undecided', reason: `${rule}, and the CIDR of ${open.id} is not known` };
  if (graph.isUncertain('aws_subnet'))
    return { kind: 'undecided', reason: `aws_subnet resources of unknown count may include one whose CIDR is ${destination}` };
  return { kind: 'ok' };
}
