import { isUnknown, parseRef, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId, RouteDestination, RouteNode, RouteTableNode, RouteTargetKind, VpcNode } from '../model.js';
import { mainTableId } from '../nodes.js';

/*
 * VPCs, NAT gateways and routes as both builders make them: each builder reads its format's values, these make the
 * nodes.
 */

/**
 * Adds a VPC and the main route table AWS creates with it. Until the configuration manages the main table (Terraform's
 * `aws_default_route_table`; CloudFormation cannot), it holds only the local route.
 */
export function addVpc(graph: Graph, vpc: Omit<VpcNode, 'kind'>): void {
  graph.add({ kind: 'vpc', ...vpc });
  const table = mainTableId(vpc.id);
  graph.add({
    kind: 'route-table',
    id: table,
    source: vpc.source,
    attributeRefs: { ...vpc.attributeRefs },
    callSites: [...vpc.callSites],
    vpc: vpc.id,
    main: true,
    routesIncomplete: false,
    routes: [],
  });
  graph.setMainTable(vpc.id, table);
}

/** A NAT gateway's connectivity type as written (undefined when not set): public unless it says private. */
export function natConnectivity(type: Maybe<string> | undefined): Maybe<'public' | 'private'> {
  const ct = type ?? 'public';
  return ct === 'private' ? 'private' : isUnknown(ct) ? ct : 'public';
}

/** Adds a route to the table it names, which is in the graph; false when it is not. */
export function addRoute(graph: Graph, route: Omit<RouteNode, 'kind'>): boolean {
  const table = graph.getKind(route.routeTable, 'route-table');
  if (!table) return false;
  graph.add({ kind: 'route', ...route });
  if (route.onlyInRegions) {
    // A route of some regions only: the table is complete only for a reader that evaluates one region at a time.
    const regional = (table.regionalRoutes ??= []);
    regional.push(route.id);
    if (!table.routesIncomplete) {
      const reason = `route ${route.id} exists only in some regions`;
      Object.assign(table, { routesIncomplete: true, routesKnownPerRegion: true, routesIncompleteReason: reason });
    }
  } else (table.routes as NodeId[]).push(route.id);
  return true;
}

/** Marks a table's routes as not all known, for a reason that holds in every region (the first such reason is kept). */
export function markRoutesIncomplete(table: RouteTableNode, reason: string): void {
  const kept = table.routesIncomplete && !table.routesKnownPerRegion ? table.routesIncompleteReason : undefined;
  Object.assign(table, { routesIncomplete: true, routesIncompleteReason: kept ?? reason, routesKnownPerRegion: false });
}

/** What a route names as its table when that table is not in the configuration. */
export function detachedTableLabel(v: Value, describe: (v: Value) => string): string {
  return isUnknown(v) ? `not known: ${v.reason}` : describe(v);
}

const isSet = (v: Value | undefined): v is Value => v !== undefined && v !== null && v !== '';

/**
 * A route's destination: the first CIDR that is set (IPv4, then IPv6), else the prefix list, which the format's
 * builder resolves. A CIDR that is not a literal makes the destination unknown.
 */
export function routeDestination(
  cidrs: Array<Value | undefined>,
  prefixList: Value | undefined,
  prefixListDestination: (v: Value) => RouteDestination,
  describe: (v: Value) => string,
): RouteDestination {
  for (const v of cidrs) {
    if (!isSet(v)) continue;
    if (typeof v === 'string' && !parseRef(v)) return { kind: 'cidr', cidr: v };
    return { kind: 'unknown', reason: `destination ${describe(v)} is not known` };
  }
  if (isSet(prefixList)) return prefixListDestination(prefixList);
  return { kind: 'unknown', reason: 'the route has no destination the analyzer can read' };
}

const KIND_BY_ID_PREFIX: Array<[string, RouteTargetKind]> = [
  ['igw-', 'igw'],
  ['nat-', 'nat'],
  ['eigw-', 'eigw'],
  ['vpce-', 'vpce'],
  ['tgw-', 'tgw'],
  ['pcx-', 'pcx'],
  ['vgw-', 'vgw'],
  ['eni-', 'eni'],
  ['i-', 'instance'],
  ['cagw-', 'carrier'],
  ['lgw-', 'lgw'],
];

/** The kind of route target a literal AWS id names (`nat-0abc…` a NAT gateway), undefined when its prefix says nothing. */
export function targetKindOfId(id: string): RouteTargetKind | undefined {
  return KIND_BY_ID_PREFIX.find(([prefix]) => id.startsWith(prefix))?.[1];
}
