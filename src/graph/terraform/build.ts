import type { EvaluatedModule, ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isUnknown, parseRef, unknown, type Value } from '../../source/value.js';
import { Graph } from '../graph.js';
import type { Maybe, NodeId, RouteDestination, RouteTarget, RouteTargetKind } from '../model.js';
import { resourceTypeOf } from './address.js';
import { addEndpoints, addServiceUse } from './endpoints.js';
import { addPrefixLists, prefixListDestination } from './prefix-lists.js';
import { mainTableId } from '../nodes.js';
import { addIamRoles } from './iam.js';
import { attributeRefs, base, callSites, describe, InstanceIndex, maybeBool, maybeString, sourceOf } from './refs.js';
import { addSecurity } from './security.js';
import { addBucketPolicies, addEndpointServices } from './services.js';
import { addWorkloads } from './workloads.js';

/** Builds the network graph of one evaluated Terraform root module. */
export function buildTerraformGraph(module: EvaluatedModule): Graph {
  const graph = new Graph(module.dir);
  const index = new InstanceIndex(module.instances);
  for (const address of module.unknownExpansions) {
    graph.unknownExpansions.push(address);
    const type = resourceTypeOf(address);
    if (type) graph.markUncertain(type);
  }

  const vpcOf = (v: Value | undefined): NodeId | undefined => {
    const t = index.target(v);
    if (!t) return undefined;
    if (t.instance.type === 'aws_vpc' || t.instance.type === 'aws_default_vpc') return t.instance.address;
    const vpcAttr = t.instance.values['vpc_id'];
    return t.instance.type !== 'aws_vpc' && vpcAttr !== undefined ? vpcOf(vpcAttr) : undefined;
  };

  for (const i of index.ofType('aws_vpc', 'aws_default_vpc')) {
    const cidr =
      i.type === 'aws_default_vpc'
        ? unknown('the default VPC CIDR is read from AWS')
        : (maybeString(i.values['cidr_block']) ?? unknown('the CIDR comes from IPAM'));
    graph.add({
      kind: 'vpc',
      ...base(i),
      region: typeof i.region === 'string' || isUnknown(i.region) ? i.region : unknown('region is not a string'),
      cidrs: [cidr],
      ipv6Cidrs: i.values['ipv6_cidr_block']
        ? [maybeString(i.values['ipv6_cidr_block'])!]
        : i.values['assign_generated_ipv6_cidr_block'] === true
          ? [unknown('Amazon-provided IPv6 CIDR')]
          : [],
      enableDnsSupport: maybeBool(i.values['enable_dns_support'], true),
      enableDnsHostnames: maybeBool(i.values['enable_dns_hostnames'], i.type === 'aws_default_vpc'),
    });
    // Every VPC has a main route table; until the configuration manages it, it holds only the local route.
    graph.add({ kind: 'route-table', ...base(i), id: mainTableId(i.address), vpc: i.address, main: true, routesIncomplete: false, routes: [] });
    graph.setMainTable(i.address, mainTableId(i.address));
  }
  for (const i of index.ofType('aws_vpc_ipv4_cidr_block_association')) {
    const vpc = graph.getKind(vpcOf(i.values['vpc_id']), 'vpc');
    if (vpc) (vpc.cidrs as Array<Maybe<string>>).push(maybeString(i.values['cidr_block']) ?? unknown('the CIDR comes from IPAM'));
  }
  for (const i of index.ofType('aws_subnet', 'aws_default_subnet')) {
    graph.add({
      kind: 'subnet',
      ...base(i),
      vpc: vpcOf(i.values['vpc_id']),
      cidr: maybeString(i.values['cidr_block']),
      ipv6Cidr: maybeString(i.values['ipv6_cidr_block']),
      az:
        maybeString(i.values['availability_zone']) ??
        (i.values['availability_zone_id'] ? maybeString(i.values['availability_zone_id']) : unknown('AWS picks the availability zone')),
    });
  }
  const gatewayKinds: Record<string, 'internet-gateway' | 'egress-only-internet-gateway' | 'vpn-gateway' | 'transit-gateway'> = {
    aws_internet_gateway: 'internet-gateway',
    aws_egress_only_internet_gateway: 'egress-only-internet-gateway',
    aws_vpn_gateway: 'vpn-gateway',
    aws_ec2_transit_gateway: 'transit-gateway',
  };
  for (const i of index.ofType(...Object.keys(gatewayKinds))) {
    graph.add({ kind: gatewayKinds[i.type]!, ...base(i), vpc: vpcOf(i.values['vpc_id']) });
  }
  for (const i of index.ofType('aws_nat_gateway')) {
    const ct = maybeString(i.values['connectivity_type']) ?? 'public';
    graph.add({
      kind: 'nat-gateway',
      ...base(i),
      subnet: index.target(i.values['subnet_id'])?.instance.address,
      connectivity: ct === 'private' ? 'private' : isUnknown(ct) ? ct : 'public',
    });
  }
  addPrefixLists(graph, index);

  // Route tables: a managed table, the VPC's default table, or the main table a VPC attribute names.
  const tableOf = (v: Value | undefined): NodeId | 'unknown' | undefined => {
    const t = index.target(v);
    if (t) {
      if (t.instance.type === 'aws_route_table' || t.instance.type === 'aws_default_route_table') return t.instance.address;
      if ((t.instance.type === 'aws_vpc' || t.instance.type === 'aws_default_vpc') && /^(default|main)_route_table_id$/.test(t.attribute)) {
        return graph.mainTableOf(t.instance.address)?.id ?? 'unknown';
      }
      return 'unknown';
    }
    return v === undefined || v === null ? undefined : 'unknown';
  };
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
    const table = tableOf(i.values['route_table_id']);
    if (vpc && table && table !== 'unknown') {
      const node = graph.getKind(table, 'route-table');
      if (node) {
        (node as { main: boolean }).main = true;
        graph.setMainTable(vpc, table);
      }
    }
  }

  // Routes: inline blocks and standalone resources.
  const addRoute = (
    id: NodeId,
    table: NodeId,
    route: Record<string, Value>,
    region: Value,
    origin: 'inline' | 'resource',
    src: ResourceInstance,
    span?: { file: string; span: import('../../source/types.js').Span; address: string },
  ) => {
    const t = graph.getKind(table, 'route-table');
    if (!t) return;
    graph.add({
      kind: 'route',
      id,
      source: span ?? sourceOf(src),
      attributeRefs: origin === 'resource' ? attributeRefs(src) : {},
      callSites: callSites(src),
      routeTable: table,
      destination: destinationOf(route, region, graph, index),
      target: targetOf(route, index),
      ...(origin === 'resource' ? destinationAttribute(src) : {}),
      origin,
    });
    (t.routes as NodeId[]).push(id);
  };
  for (const i of index.ofType('aws_route_table', 'aws_default_route_table')) {
    const routes = i.values['route'];
    if (!Array.isArray(routes)) continue;
    routes.forEach((r, n) => {
      if (!r || typeof r !== 'object' || Array.isArray(r) || isUnknown(r)) return;
      const span = i.nestedSpans['route']?.[n] ?? i.block.attributes['route']?.span;
      addRoute(
        `${i.address}.route[${n}]`,
        i.address,
        r as Record<string, Value>,
        i.region,
        'inline',
        i,
        span ? { file: i.block.file, span, address: i.address } : undefined,
      );
    });
  }
  for (const i of index.ofType('aws_route')) {
    const table = tableOf(i.values['route_table_id']);
    if (table && table !== 'unknown' && graph.getKind(table, 'route-table'))
      addRoute(i.address, table, i.values as Record<string, Value>, i.region, 'resource', i);
    else if (table !== undefined) {
      const values = i.values as Record<string, Value>;
      graph.detachedRoutes.push({
        kind: 'route',
        ...base(i),
        table: tableLabel(values['route_table_id'] ?? null),
        destination: destinationOf(values, i.region, graph, index),
        target: targetOf(values, index),
        ...destinationAttribute(i),
        origin: 'resource',
      });
    }
  }
  for (const i of index.ofType('aws_route_table_association')) {
    if (i.values['subnet_id'] === undefined || i.values['subnet_id'] === null) continue; // gateway (edge) association
    const subnet = index.target(i.values['subnet_id'])?.instance.address;
    if (!subnet || !graph.getKind(subnet, 'subnet')) continue;
    const value = i.values['route_table_id'];
    graph.associations.push({ subnet, routeTable: tableOf(value) ?? 'unknown', source: sourceOf(i), ...(isUnknown(value) ? { reason: value.reason } : {}) });
  }
  addSecurity(graph, index, vpcOf);
  addEndpoints(graph, index, tableOf, vpcOf);
  addServiceUse(graph, index);
  addEndpointServices(graph, index);
  addBucketPolicies(graph, index);
  addIamRoles(graph, index);
  addWorkloads(graph, index);
  return graph.freeze();
}

/** What a route names as its table when that table is not in the configuration. */
function tableLabel(v: Value): string {
  return isUnknown(v) ? `not known: ${v.reason}` : describe(v);
}

function destinationOf(route: Record<string, Value>, region: Value, graph: Graph, index: InstanceIndex): RouteDestination {
  const cidr = route['destination_cidr_block'] ?? route['cidr_block'];
  const ipv6 = route['destination_ipv6_cidr_block'] ?? route['ipv6_cidr_block'];
  const pl = route['destination_prefix_list_id'];
  for (const v of [cidr, ipv6]) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string' && !parseRef(v)) return { kind: 'cidr', cidr: v };
    return { kind: 'unknown', reason: `destination ${describe(v)} is not known` };
  }
  if (pl !== undefined && pl !== null && pl !== '') return prefixListDestination(pl, region, graph, index);
  return { kind: 'unknown', reason: 'the route has no destination the analyzer can read' };
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

const KIND_BY_PREFIX: Array<[string, RouteTargetKind]> = [
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
    if (typeof v === 'string' && !parseRef(v)) {
      const byPrefix = KIND_BY_PREFIX.find(([p]) => v.startsWith(p));
      return { kind: attr === 'vpc_endpoint_id' ? 'gwlbe' : (byPrefix?.[1] ?? fallback), label: v };
    }
    return { kind: fallback, label: isUnknown(v) ? `${attr} (not known: ${v.reason})` : describe(v) };
  }
  return { kind: 'unknown', label: '(no target)' };
}

function destinationAttribute(i: ResourceInstance): { destinationAt?: import('../../source/types.js').SourceRef } {
  const refs = attributeRefs(i);
  for (const name of ['destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id']) {
    const v = i.values[name];
    if (refs[name] && v !== undefined && v !== null && v !== '') return { destinationAt: refs[name] };
  }
  return {};
}
