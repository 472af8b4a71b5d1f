import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isUnknown, unknown, type Value } from '../../source/value.js';
import { parseServiceName } from '../../facts/aws-data.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId, VpcEndpointNode } from '../model.js';
import {
  addGatewayEndpointRoutes,
  emptyEndpointTables,
  endpointTableFields,
  endpointTypeOf,
  type EndpointTables,
  noteEndpointTable,
} from '../nodes/endpoints.js';
import { endpointAttachments } from './endpoint-attachments.js';
import { attributeRefs, base, describe, maybeBool, maybeString, sourceOf, type InstanceIndex } from './refs.js';

/**
 * VPC endpoints (`aws_vpc_endpoint`), the route tables they name (`route_table_ids`,
 * `aws_vpc_endpoint_route_table_association`), and the routes gateway endpoints put into them.
 */
export function addEndpoints(
  graph: Graph,
  index: InstanceIndex,
  tableOf: (v: Value | undefined) => NodeId | 'unknown' | undefined,
  vpcOf: (v: Value | undefined) => NodeId | undefined,
): void {
  const endpoints = index.ofType('aws_vpc_endpoint');
  const tables = endpointTables(graph, index, endpoints, tableOf);
  const attachments = endpointAttachments(graph, index);
  for (const i of endpoints) {
    const type = endpointTypeOf(i.values['vpc_endpoint_type'], describe);
    const serviceName = maybeString(i.values['service_name']) ?? unknown('no service name');
    const service = typeof serviceName === 'string' ? parseServiceName(serviceName) : undefined;
    const own = tables.get(i.address) ?? emptyEndpointTables();
    const vpc = vpcOf(i.values['vpc_id']);
    const node: VpcEndpointNode = {
      kind: 'vpc-endpoint',
      ...base(i),
      vpc,
      serviceName,
      service,
      type,
      ...endpointTableFields(own),
      region: typeof i.region === 'string' || isUnknown(i.region) ? i.region : unknown('region is not a string'),
      ...optionalString('serviceRegion', i.values['service_region']),
      ...optionalString('ipAddressType', i.values['ip_address_type']),
      ...optionalString('dnsRecordIpType', dnsOption(i.values['dns_options'], 'dns_record_ip_type')),
      privateDns: maybeBool(i.values['private_dns_enabled'], false),
      privateDnsInboundOnly: inboundOnly(i.values['dns_options']),
      ...attachments(i, type, vpc),
    };
    graph.add(node);
    addGatewayEndpointRoutes(graph, node, own.associations);
  }
}

/** The route tables of each endpoint: its `route_table_ids`, then the association resources that name it. */
function endpointTables(
  graph: Graph,
  index: InstanceIndex,
  endpoints: ResourceInstance[],
  tableOf: (v: Value | undefined) => NodeId | 'unknown' | undefined,
): Map<NodeId, EndpointTables> {
  const tables = new Map<NodeId, EndpointTables>();
  const of = (endpoint: NodeId) => tables.get(endpoint) ?? tables.set(endpoint, emptyEndpointTables()).get(endpoint)!;
  for (const i of endpoints) {
    const ids = i.values['route_table_ids'];
    const at = attributeRefs(i)['route_table_ids'] ?? sourceOf(i);
    if (Array.isArray(ids)) ids.forEach((v) => noteEndpointTable(of(i.address), v, tableOf(v), at));
    else if (isUnknown(ids)) of(i.address).incomplete = true;
  }
  for (const a of index.ofType('aws_vpc_endpoint_route_table_association')) {
    const endpoint = index.target(a.values['vpc_endpoint_id'])?.instance.address;
    const v = a.values['route_table_id'] ?? null;
    if (endpoint) noteEndpointTable(of(endpoint), v, tableOf(v), sourceOf(a));
  }
  if (graph.isUncertain('aws_vpc_endpoint_route_table_association')) endpoints.forEach((e) => (of(e.address).incomplete = true));
  return tables;
}

/** `dns_options { private_dns_only_for_inbound_resolver_endpoint = … }`, undefined when the block or the argument is absent. */
function inboundOnly(dnsOptions: Value | undefined): Maybe<boolean> | undefined {
  const v = dnsOption(dnsOptions, 'private_dns_only_for_inbound_resolver_endpoint');
  return v === undefined || v === null ? undefined : isUnknown(v) ? v : maybeBool(v, false);
}

/** One argument of the `dns_options` block: undefined when the block or the argument is absent. */
function dnsOption(dnsOptions: Value | undefined, name: string): Value | undefined {
  if (dnsOptions === undefined || dnsOptions === null) return undefined;
  if (isUnknown(dnsOptions)) return dnsOptions;
  const block = Array.isArray(dnsOptions) ? dnsOptions[0] : dnsOptions;
  if (block === undefined || block === null) return undefined;
  if (isUnknown(block)) return block;
  if (typeof block !== 'object' || Array.isArray(block)) return unknown('dns_options is not a block');
  return (block as Record<string, Value>)[name];
}

/** `{ [key]: value }` for an argument that is set (a string, or Unknown), nothing when it is absent. */
function optionalString<K extends string>(key: K, v: Value | undefined): Partial<Record<K, Maybe<string>>> {
  if (v === undefined || v === null) return {};
  const value = maybeString(v) ?? unknown(`${key} is not a string`);
  return { [key]: value } as Partial<Record<K, Maybe<string>>>;
}
