import type { SourceRef } from '../../source/types.js';
import { isObject, isUnknown, parseRef, unknown, type Value } from '../../source/value.js';
import { isGatewayService, parseServiceName } from '../../facts/aws-data.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId, RouteDestination } from '../model.js';
import { managedListId, managedListNode } from '../nodes.js';
import { endpointAttachments } from './endpoint-attachments.js';
import { attributeRefs, base, callSites, describe, maybeBool, maybeString, sourceOf, type InstanceIndex } from './refs.js';

const ENDPOINT_TYPES = new Set(['Gateway', 'Interface', 'GatewayLoadBalancer']);

export function addEndpoints(
  graph: Graph,
  index: InstanceIndex,
  tableOf: (v: Value | undefined) => NodeId | 'unknown' | undefined,
  vpcOf: (v: Value | undefined) => NodeId | undefined,
): void {
  const associations = new Map<NodeId, Array<{ table: NodeId; at: SourceRef }>>();
  const incomplete = new Set<NodeId>();
  const external = new Map<NodeId, string[]>();
  const note = (endpoint: NodeId, v: Value, at: SourceRef) => {
    const table = tableOf(v);
    if (table && table !== 'unknown') (associations.get(endpoint) ?? associations.set(endpoint, []).get(endpoint)!).push({ table, at });
    else if (typeof v === 'string' && !parseRef(v)) (external.get(endpoint) ?? external.set(endpoint, []).get(endpoint)!).push(v);
    else incomplete.add(endpoint);
  };
  const endpoints = index.ofType('aws_vpc_endpoint');
  for (const i of endpoints) {
    const ids = i.values['route_table_ids'];
    const at = attributeRefs(i)['route_table_ids'] ?? sourceOf(i);
    if (Array.isArray(ids)) ids.forEach((v) => note(i.address, v, at));
    else if (isUnknown(ids)) incomplete.add(i.address);
  }
  for (const a of index.ofType('aws_vpc_endpoint_route_table_association')) {
    const endpoint = index.target(a.values['vpc_endpoint_id'])?.instance.address;
    if (endpoint) note(endpoint, a.values['route_table_id'] ?? null, sourceOf(a));
  }
  if (graph.isUncertain('aws_vpc_endpoint_route_table_association')) endpoints.forEach((e) => incomplete.add(e.address));
  const attachments = endpointAttachments(graph, index);

  for (const i of endpoints) {
    const typeValue = i.values['vpc_endpoint_type'];
    const type: Maybe<'Gateway' | 'Interface' | 'GatewayLoadBalancer'> =
      typeValue === undefined || typeValue === null
        ? 'Gateway'
        : typeof typeValue === 'string' && ENDPOINT_TYPES.has(typeValue)
          ? (typeValue as 'Gateway')
          : isUnknown(typeValue)
            ? typeValue
            : unknown(`endpoint type ${describe(typeValue)} is not known`);
    const serviceName = maybeString(i.values['service_name']) ?? unknown('no service name');
    const service = typeof serviceName === 'string' ? parseServiceName(serviceName) : undefined;
    const assoc = associations.get(i.address) ?? [];
    const vpc = vpcOf(i.values['vpc_id']);
    graph.add({
      kind: 'vpc-endpoint',
      ...base(i),
      vpc,
      serviceName,
      service,
      type,
      routeTables: [...new Set(assoc.map((a) => a.table))],
      routeTablesIncomplete: incomplete.has(i.address),
      externalRouteTables: external.get(i.address) ?? [],
      region: typeof i.region === 'string' || isUnknown(i.region) ? i.region : unknown('region is not a string'),
      privateDns: maybeBool(i.values['private_dns_enabled'], false),
      privateDnsInboundOnly: inboundOnly(i.values['dns_options']),
      ...attachments(i, type, vpc),
    });
    // A gateway endpoint puts a route to its service's prefix list into every associated table. One whose service or
    // type is not known may put one there: its route has a destination that is not known, so no rule concludes either way.
    const mayBeGateway = type === 'Gateway' || (isUnknown(type) && (!service || isGatewayService(service.service)));
    if (mayBeGateway && (service || isUnknown(serviceName))) {
      const destination: RouteDestination =
        type === 'Gateway' && service
          ? {
              kind: 'prefix-list',
              prefixList: managedListNode(graph, service.region, service.service, sourceOf(i)),
              label: managedListId(service.region, service.service),
            }
          : {
              kind: 'unknown',
              reason: isUnknown(type)
                ? `the type of endpoint ${i.address} is not known (${type.reason}); as a gateway endpoint it adds a route to its service's prefix list`
                : `the service of gateway endpoint ${i.address} is not known (${isUnknown(serviceName) ? serviceName.reason : serviceName})`,
            };
      for (const a of assoc) {
        const table = graph.getKind(a.table, 'route-table');
        if (!table) continue;
        const id = `${i.address} route in ${a.table}`;
        if (graph.get(id)) continue;
        graph.add({
          kind: 'route',
          id,
          source: a.at,
          attributeRefs: {},
          callSites: callSites(i),
          routeTable: a.table,
          destination,
          target: { kind: 'vpce', node: i.address, label: i.address },
          origin: 'endpoint-association',
        });
        (table.routes as NodeId[]).push(id);
      }
    }
  }
}

const POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

function allowedActions(policy: Value): string[] {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (!isObject(doc as Value)) return [];
  const st = (doc as Record<string, unknown>)['Statement'];
  const statements = Array.isArray(st) ? st : [st];
  const out: string[] = [];
  for (const s of statements) {
    if (!s || typeof s !== 'object') continue;
    const rec = s as Record<string, unknown>;
    if (rec['Effect'] !== 'Allow') continue;
    const a = rec['Action'];
    for (const x of Array.isArray(a) ? a : [a]) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/** DynamoDB use: tables, global tables, IAM policies that allow DynamoDB actions, AWS-managed DynamoDB policies. */
export function addServiceUse(graph: Graph, index: InstanceIndex): void {
  const use = (i: Parameters<typeof base>[0], service: string, evidence: string, table = false) =>
    graph.add({ kind: 'service-use', ...base(i), id: `${i.address} uses ${service}`, service, evidence, table });
  for (const i of index.ofType('aws_dynamodb_table', 'aws_dynamodb_global_table')) use(i, 'dynamodb', `DynamoDB table ${i.address}`, true);
  for (const i of index.ofType(...POLICY_TYPES)) {
    const action = allowedActions(i.values['policy'] ?? null).find((a) => /^dynamodb:/i.test(a));
    if (action) use(i, 'dynamodb', `IAM policy ${i.address} allows ${action}`);
  }
  for (const i of index.ofType('aws_iam_role')) {
    const inline = i.values['inline_policy'];
    if (!Array.isArray(inline)) continue;
    for (const p of inline) {
      const action = isObject(p) ? allowedActions(p['policy'] ?? null).find((a) => /^dynamodb:/i.test(a)) : undefined;
      if (action) use(i, 'dynamodb', `IAM role ${i.address} allows ${action}`);
    }
  }
  for (const i of index.dataOfType('aws_iam_policy_document')) {
    const action = allowedActions(i.values['json'] ?? null).find((a) => /^dynamodb:/i.test(a));
    if (action) use(i, 'dynamodb', `policy document ${i.address} allows ${action}`);
  }
  for (const i of index.ofType(
    'aws_iam_role_policy_attachment',
    'aws_iam_policy_attachment',
    'aws_iam_user_policy_attachment',
    'aws_iam_group_policy_attachment',
  )) {
    const arn = i.values['policy_arn'];
    if (typeof arn === 'string' && /:policy\/(service-role\/)?AmazonDynamoDB/.test(arn)) use(i, 'dynamodb', `${i.address} attaches ${arn.split('/').pop()}`);
  }
}

/** `dns_options { private_dns_only_for_inbound_resolver_endpoint = … }`, undefined when the block or the argument is absent. */
function inboundOnly(dnsOptions: Value | undefined): Maybe<boolean> | undefined {
  if (dnsOptions === undefined || dnsOptions === null) return undefined;
  if (isUnknown(dnsOptions)) return dnsOptions;
  const block = Array.isArray(dnsOptions) ? dnsOptions[0] : dnsOptions;
  if (block === undefined || block === null) return undefined;
  if (isUnknown(block)) return block;
  if (typeof block !== 'object' || Array.isArray(block)) return unknown('dns_options is not a block');
  const v = (block as Record<string, Value>)['private_dns_only_for_inbound_resolver_endpoint'];
  return v === undefined || v === null ? undefined : maybeBool(v, false);
}
