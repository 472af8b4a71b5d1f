import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import type { SourceRef } from '../../source/types.js';
import { isUnknown, parseRef, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { NodeId, RouteDestination, RouteTarget, RouteTargetKind } from '../model.js';
import { addRoute, detachedTableLabel, routeDestination, targetKindOfId } from '../nodes/network.js';
import { prefixListDestination } from './prefix-lists.js';
import { attributeRefs, base, callSites, describe, type InstanceIndex, sourceOf } from './refs.js';

/** The route table a value names: a managed table, the VPC's default table, or the main table a VPC attribute names. */
export function routeTableOf(graph: Graph, index: InstanceIndex, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = index.target(v);
  if (t) {
    if (t.instance.type === 'aws_route_table' || t.instance.type === 'aws_default_route_table') return t.instance.address;
    if ((t.instance.type === 'aws_vpc' || t.instance.type === 'aws_default_vpc') && /^(default|main)_route_table_id$/.test(t.attribute)) {
      return graph.mainTableOf(t.instance.address)?.id ?? 'unknown';
    }
    return 'unknown';
  }
  return v === undefined || v === null ? undefined : 'unknown';
}

/** Route tables (`aws_route_table`, `aws_default_route_table`) and the main table `aws_main_route_table_association` sets. */
export function addRouteTables(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
  for (const i of index.ofType('aws_route_table')) {
    graph.add({ kind: 'route-table', ...base(i), vpc: vpcOf(i.values['vpc_id']), main: false, routesIncomplete: isUnknown(i.values['route']), routes: [] });
  }
  for (const i of index.ofType('aws_default_route_table')) {
    const vpcRef = index.target(i.values['default_route_table_id']);
    const vpc = vpcRef && (vpcRef.instance.type === 'aws_vpc' || vpcRef.instance.type === 'aws_default_vpc') ? vpcRef.instance.address : undefined;
    graph.add({ kind: 'route-table', ...base(i), vpc, main: true, routesIncomplete: isUnknown(i.values['route']), routes: [] });
    if (vpc) graph.setMainTable(vpc, i.address);
  }
  for (const i of index.ofType('aws_main_route_table_association')) {
    const vpc = vpcOf(i.values['vpc_id']);
    const table = routeTableOf(graph, index, i.values['route_table_id']);
    if (vpc && table && table !== 'unknown') {
      const node = graph.getKind(table, 'route-table');
      if (node) {
        (node as { main: boolean }).main = true;
        graph.setMainTable(vpc, table);
      }
    }
  }
}

/** Routes: inline `route` blocks of the tables, then `aws_route` resources (detached when their table is not in the configuration). */
export function addRoutes(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType('aws_route_table', 'aws_default_route_table')) {
    const routes = i.values['route'];
    if (!Array.isArray(routes)) continue;
    routes.forEach((r, n) => {
      if (!r || typeof r !== 'object' || Array.isArray(r) || isUnknown(r)) return;
      const route = r as Record<string, Value>;
      const span = i.nestedSpans['route']?.[n] ?? i.block.attributes['route']?.span;
      addRoute(graph, {
        id: `${i.address}.route[${n}]`,
        source: span ? { file: i.block.file, span, address: i.address } : sourceOf(i),
        attributeRefs: {},
        callSites: callSites(i),
        routeTable: i.address,
        destination: destinationOf(route, i.region, graph, index),
        target: targetOf(route, index),
        origin: 'inline',
      });
    });
  }
  for (const i of index.ofType('aws_route')) {
    const values = i.values as Record<string, Value>;
    const table = routeTableOf(graph, index, values['route_table_id']);
    if (table && table !== 'unknown' && graph.getKind(table, 'route-table')) {
      addRoute(graph, {
        ...base(i),
        routeTable: table,
        destination: destinationOf(values, i.region, graph, index),
        target: targetOf(values, index),
        ...destinationAttribute(i),
        origin: 'resource',
      });
    } else if (table !== undefined) {
      graph.detachedRoutes.push({
        kind: 'route',
        ...base(i),
        table: detachedTableLabel(values['route_table_id'] ?? null, describe),
        destination: destinationOf(values, i.region, graph, index),
        target: targetOf(values, index),
        ...destinationAttribute(i),
        origin: 'resource',
      });
    }
  }
}

/**
 * Subnet associations (`aws_route_table_association`; gateway edge associations name no subnet and are skipped). One
 * whose subnet is not in the graph is kept apart: its table is used by a subnet the configuration does not show.
 */
export function addSubnetAssociations(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType('aws_route_table_association')) {
    if (i.values['subnet_id'] === undefined || i.values['subnet_id'] === null) continue;
    const subnet = index.target(i.values['subnet_id'])?.instance.address;
    const value = i.values['route_table_id'];
    if (!subnet || !graph.getKind(subnet, 'subnet')) {
      graph.externalSubnetAssociations.push({
        subnet: subnet ?? describe(i.values['subnet_id']),
        routeTable: routeTableOf(graph, index, value) ?? 'unknown',
        source: sourceOf(i),
        ...(isUnknown(value) ? { reason: value.reason } : {}),
      });
      continue;
    }
    graph.associations.push({
      subnet,
      routeTable: routeTableOf(graph, index, value) ?? 'unknown',
      source: sourceOf(i),
      ...(isUnknown(value) ? { reason: value.reason } : {}),
    });
  }
}

function destinationOf(route: Record<string, Value>, region: Value, graph: Graph, index: InstanceIndex): RouteDestination {
  return routeDestination(
    [route['destination_cidr_block'] ?? route['cidr_block'], route['destination_ipv6_cidr_block'] ?? route['ipv6_cidr_block']],
    route['destination_prefix_list_id'],
    (pl) => prefixListDestination(pl, region, graph, index),
    describe,
  );
}

const TARGET_ATTRIBUTES: Array<[string, RouteTargetKind]> = [
  ['nat_gateway_id', 'nat'],
  ['gateway_id', 'unknown'],
  ['egress_only_gateway_id', 'eigw'],
  ['transit_gateway_id', 'tgw'],
  ['vpc_peering_connection_id', 'pcx'],
  ['network_interface_id', 'eni'],
  ['instance_id', 'instance'],
  ['vpc_endpoint_id', 'gwlbe'],
  ['carrier_gateway_id', 'carrier'],
  ['core_network_arn', 'core-network'],
  ['local_gateway_id', 'lgw'],
];

const KIND_BY_TYPE: Record<string, RouteTargetKind> = {
  aws_internet_gateway: 'igw',
  aws_nat_gateway: 'nat',
  aws_egress_only_internet_gateway: 'eigw',
  aws_vpc_endpoint: 'vpce',
  aws_ec2_transit_gateway: 'tgw',
  aws_vpc_peering_connection: 'pcx',
  aws_vpn_gateway: 'vgw',
  aws_network_interface: 'eni',
  aws_instance: 'instance',
  aws_ec2_carrier_gateway: 'carrier',
};

function targetOf(route: Record<string, Value>, index: InstanceIndex): RouteTarget {
  // A plan of new resources may mark every target attribute "known after apply": which one holds the target is unknown.
  const present = TARGET_ATTRIBUTES.filter(([attr]) => route[attr] !== undefined && route[attr] !== null && route[attr] !== '');
  if (present.length > 1 && present.some(([attr]) => isUnknown(route[attr]))) {
    return { kind: 'unknown', label: `one of ${present.map(([attr]) => attr).join(', ')} (not known)` };
  }
  for (const [attr, fallback] of TARGET_ATTRIBUTES) {
    const v = route[attr];
    if (v === undefined || v === null || v === '') continue;
    if (v === 'local') return { kind: 'local', label: 'local' };
    const t = index.target(v);
    if (t) {
      let kind = KIND_BY_TYPE[t.instance.type] ?? fallback;
      // A route to an endpoint through vpc_endpoint_id is a Gateway Load Balancer endpoint.
      if (kind === 'vpce' && attr === 'vpc_endpoint_id') kind = 'gwlbe';
      return { kind, node: t.instance.address, label: t.instance.address };
    }
    if (typeof v === 'string' && !parseRef(v)) return { kind: attr === 'vpc_endpoint_id' ? 'gwlbe' : (targetKindOfId(v) ?? fallback), label: v };
    return { kind: fallback, label: isUnknown(v) ? `${attr} (not known: ${v.reason})` : describe(v) };
  }
  return { kind: 'unknown', label: '(no target)' };
}

function destinationAttribute(i: ResourceInstance): { destinationAt?: SourceRef } {
  const refs = attributeRefs(i);
  for (const name of ['destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id']) {
    const v = i.values[name];
    if (refs[name] && v !== undefined && v !== null && v !== '') return { destinationAt: refs[name] };
  }
  return {};
}
