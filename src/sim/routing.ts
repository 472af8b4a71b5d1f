import { CidrSet } from '../facts/cidr.js';
import { resolveRoutes, type RouteInput } from './routes.js';
import { knownRegions, serviceRangeEntries } from '../facts/aws-data.js';
import { isUnknown } from '../source/value.js';
import { isSymbolicRegion } from '../source/region.js';
import { regionOfZone } from '../facts/regions.js';
import type { GraphView } from '../graph/graph.js';
import type { NodeId, RouteNode, RouteTableNode, VpcNode } from '../graph/model.js';

export type Family = 'ipv4' | 'ipv6';

export interface TableRoutes {
  inputs: RouteInput[];
  /** Route node (or 'local') behind each input id. */
  nodes: Map<string, RouteNode | 'local'>;
  /** Some route's destination could not be computed: answers about this table may be wrong. */
  uncertain: string[];
}

const isV6 = (cidr: string) => cidr.includes(':');

/** The routes of a table as the resolver sees them: the VPC's local routes plus every route, prefix lists expanded. */
export function tableRoutes(graph: GraphView, table: RouteTableNode, vpc: VpcNode | undefined, family: Family, region?: string): TableRoutes {
  const inputs: RouteInput[] = [];
  const nodes = new Map<string, RouteNode | 'local'>();
  const uncertain: string[] = [];
  // Routes that exist only in some regions are known to a reader that evaluates one region.
  const perRegion = region !== undefined && !isSymbolicRegion(region) && table.routesKnownPerRegion === true;
  if (table.routesIncomplete && !perRegion) uncertain.push(table.routesIncompleteReason ?? `the routes of ${table.id} are not all known`);
  // Route resources or gateway endpoints whose count is unknown may put routes into any table.
  for (const type of ['aws_route', 'aws_vpc_endpoint']) {
    if (graph.isUncertain(type)) uncertain.push(`${type} resources of unknown count may add routes to ${table.id}`);
  }
  for (const cidr of family === 'ipv4' ? (vpc?.cidrs ?? []) : (vpc?.ipv6Cidrs ?? [])) {
    if (isUnknown(cidr)) continue; // VPC CIDRs are private ranges; an unknown one cannot capture AWS service ranges
    const id = `local ${cidr}`;
    inputs.push({ id, destination: { kind: 'cidr', cidr }, origin: 'local' });
    nodes.set(id, 'local');
  }
  const regional = perRegion ? regionalRoutesOf(graph, table, region) : [];
  for (const route of [...graph.routesOf(table), ...regional]) {
    const d = route.destination;
    if (d.kind === 'cidr') {
      if (isV6(d.cidr) !== (family === 'ipv6')) continue;
      inputs.push({ id: route.id, destination: { kind: 'cidr', cidr: d.cidr } });
    } else if (d.kind === 'prefix-list') {
      const pl = graph.getKind(d.prefixList, 'prefix-list');
      let cidrs: string[] | undefined;
      // Each published entry competes as a prefix of its own length, so the entries are kept as published.
      // A managed list of a template deployed to any region resolves in the region being evaluated.
      const listRegion = pl?.managed && isSymbolicRegion(pl.managed.region) ? region : pl?.managed?.region;
      if (pl?.managed && typeof listRegion === 'string' && !isSymbolicRegion(listRegion)) {
        const service = pl.managed.service;
        if (service === 's3' || service === 'dynamodb') cidrs = [...(serviceRangeEntries(service, listRegion, family) ?? [])];
      } else if (pl?.cidrs && pl.cidrs.every((c): c is string => typeof c === 'string')) cidrs = pl.cidrs.filter((c) => isV6(c) === (family === 'ipv6'));
      if (!cidrs) {
        uncertain.push(`the entries of prefix list ${d.label} are not known`);
        inputs.push({ id: route.id, destination: { kind: 'unknown' } });
      } else inputs.push({ id: route.id, destination: { kind: 'prefix-list', cidrs, prefixListId: d.prefixList ?? d.label } });
    } else {
      uncertain.push(`route ${route.id}: ${d.reason}`);
      inputs.push({ id: route.id, destination: { kind: 'unknown' } });
    }
    nodes.set(route.id, route);
  }
  return { inputs, nodes, uncertain };
}

/**
 * The routes of a table that exist only in some regions (a template's resource under a Condition on `AWS::Region`):
 * those of `region`, or all of them.
 */
export function regionalRoutesOf(graph: GraphView, table: RouteTableNode, region?: string): RouteNode[] {
  return (table.regionalRoutes ?? [])
    .map((id) => graph.getKind(id, 'route'))
    .filter((r): r is RouteNode => r !== undefined && (region === undefined || r.onlyInRegions?.includes(region) === true));
}

/**
 * Every route of a table, those of some regions only included: for the questions asked across regions (two routes
 * that repeat a destination), where `routesMeet` then says whether two of them exist together.
 */
export function everyRouteOf(graph: GraphView, table: RouteTableNode): RouteNode[] {
  return [...graph.routesOf(table), ...regionalRoutesOf(graph, table)];
}

/** Two routes exist together in one region at least: each exists everywhere, or the regions they exist in meet. */
export function routesMeet(a: RouteNode, b: RouteNode): boolean {
  const [x, y] = [a.onlyInRegions, b.onlyInRegions];
  if (!x) return !y || y.length > 0;
  if (!y) return x.length > 0;
  return x.some((r) => y.includes(r));
}

export interface ServiceShare {
  route: RouteNode | 'local' | undefined;
  /** Every address this route wins, including those a contender may win instead. */
  cidrs: CidrSet;
  /** The addresses this route certainly wins. */
  certain: CidrSet;
  /** Routes that may win part of `cidrs` instead (ties AWS breaks at random, unknown destinations). */
  contenders: (RouteNode | 'local')[];
}

/** Which route carries which part of a destination set, for one route table. */
export function splitByRoute(routes: TableRoutes, destination: CidrSet): ServiceShare[] {
  return resolveRoutes(routes.inputs, destination).map((share) => ({
    route: share.route ? routes.nodes.get(share.route.id) : undefined,
    cidrs: share.cidrs,
    certain: share.cidrs.subtract(share.uncertainCidrs),
    contenders: share.contenders.map((c) => routes.nodes.get(c.id)).filter((n): n is RouteNode | 'local' => n !== undefined),
  }));
}

export { CidrSet };

/**
 * The regions to evaluate for a VPC in `region`: that region, or — for a template deployed to any region — every
 * region the bundled data has ranges for (`hasData`), narrowed to those the template can be deployed to
 * (`regionPins`; `limited` says so). Empty when the region is unknown.
 */
export function regionsToEvaluate(
  graph: GraphView,
  vpc: NodeId | undefined,
  region: unknown,
  hasData: (region: string) => boolean,
): { regions: string[]; symbolic: boolean; limited: boolean } {
  if (isSymbolicRegion(region)) {
    const pins = regionPins(graph, vpc);
    return { regions: knownRegions().filter((r) => hasData(r) && (pins === undefined || pins.includes(r))), symbolic: true, limited: pins !== undefined };
  }
  if (typeof region === 'string') return { regions: [region], symbolic: false, limited: false };
  return { regions: [], symbolic: false, limited: false };
}

export { regionOfZone };

/**
 * Where a VPC of a template deployed to any region can really be deployed: AWS creates a gateway endpoint only for a
 * service in the VPC's own region, and a subnet only in an availability zone of it, so a literal
 * `com.amazonaws.us-east-1.s3` or `us-east-1a` pins the template to us-east-1; a `Fn::FindInMap` keyed by
 * `AWS::Region` limits it to the mapping's regions. Undefined when nothing limits it; empty when the limits
 * contradict each other (no region can deploy it).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html (endpoints are supported within the same Region only)
 */
export function regionPins(graph: GraphView, vpc: NodeId | undefined): string[] | undefined {
  // A graph is frozen once built, so the answer per VPC is computed once: rules ask for every subnet and table.
  let perVpc = pinsCache.get(graph);
  if (!perVpc) pinsCache.set(graph, (perVpc = new Map()));
  const key = vpc ?? '';
  if (perVpc.has(key)) return perVpc.get(key);
  const computed = computePins(graph, vpc);
  perVpc.set(key, computed);
  return computed;
}

const pinsCache = new WeakMap<GraphView, Map<string, string[] | undefined>>();

function computePins(graph: GraphView, vpc: NodeId | undefined): string[] | undefined {
  let pins: Set<string> | undefined = graph.deployableRegions ? new Set(graph.deployableRegions) : undefined;
  const pin = (region: string) => {
    pins = pins === undefined ? new Set([region]) : new Set([...pins].filter((r) => r === region));
  };
  if (vpc !== undefined) {
    for (const ep of graph.all('vpc-endpoint')) {
      if (ep.vpc !== vpc || ep.type !== 'Gateway' || !ep.service || isSymbolicRegion(ep.service.region)) continue;
      pin(ep.service.region);
    }
    for (const subnet of graph.all('subnet')) {
      if (subnet.vpc !== vpc || typeof subnet.az !== 'string' || isSymbolicRegion(subnet.az.slice(0, -1))) continue;
      const region = regionOfZone(subnet.az);
      if (region) pin(region);
    }
  }
  return pins === undefined ? undefined : [...pins].sort();
}
