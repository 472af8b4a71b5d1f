import type { GraphView } from '../../src/graph/graph.js';
import { destinationLabel } from '../../src/sim/service-ranges.js';
import type { GraphNode, SubnetNode, VpcEndpointNode } from '../../src/graph/model.js';
import type { Report } from '../rule.js';
import { natCostSentenceForRegions } from './cost.js';
import { isSymbolicRegion } from '../../src/source/region.js';
import type { ViaNat } from '../../src/sim/service-via-nat.js';
import type { GatewayService } from '../../src/sim/service-ranges.js';
import type { UndecidedAt } from '../../src/sim/undecided.js';
import { associateSnippet, gatewayEndpointSnippet } from './snippets.js';
import { associateRequests, newEndpointRequests } from './fix-requests.js';

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** How many VPCs need a new gateway endpoint for the service. */
const vpcsNeedingEndpoint = (hits: readonly ViaNat[]) => new Set(hits.filter((h) => h.unassociatedEndpoints.length === 0).map((h) => h.vpc.id)).size;

export type ViaNatMessage = 'viaNat' | 'viaNatUnassociated' | 'viaNatAbsent';

/** The subnets an undecided place concerns: the subnet itself, or those using the table. */
export function subnetsConcerned(graph: GraphView, u: UndecidedAt): SubnetNode[] {
  if (u.node.kind === 'subnet') return [u.node];
  return u.node.kind === 'route-table' ? graph.subnetsUsing(u.node.id) : [];
}

/**
 * The finding for one route table and NAT route, shared by VPCE101 (S3) and VPCE102 (DynamoDB): message data, the
 * routing path, related resources and the fix in the configuration's own language. `hits` are every finding of the
 * rule in the graph: one new endpoint serves every table of a VPC, so its snippet lists all tables that need it.
 */
export function viaNatReport(graph: GraphView, hit: ViaNat, hits: readonly ViaNat[], service: GatewayService, evidence = ''): Report<ViaNatMessage> {
  const label = service === 's3' ? 'S3' : 'DynamoDB';
  const article = service === 's3' ? 'an' : 'a';
  // One endpoint serves every table of the VPC: the snippet for a new endpoint lists all tables that need it.
  const vpcTables = [...new Map(hits.filter((h) => h.vpc === hit.vpc && h.unassociatedEndpoints.length === 0).map((h) => [h.table.id, h.table])).values()].sort(
    (a, b) => a.id.localeCompare(b.id),
  );
  const subnets = hit.subnets.map((s) => s.id).sort();
  const natName = hit.nat?.id ?? hit.route.target.label;
  const destination = destinationLabel(hit.route.destination, 'unknown');
  const endpoint = hit.unassociatedEndpoints[0];
  // An endpoint on this table that the template creates only in other regions (its Condition tests the region).
  const absent = endpoint ? undefined : hit.absentEndpoints[0];
  const data = {
    subnets: list(subnets),
    nat: natName,
    destination,
    table: hit.table.id,
    cost: natCostSentenceForRegions(hit.regions, hit.evaluatedRegions, hit.regionsLimited),
    evidence,
    endpoint: endpoint?.id ?? absent?.id ?? '',
    condition: absent?.mayNotExist ?? '',
    regions: list([...hit.regions].sort()),
  };
  const path = [
    ...hit.subnets.slice(0, 1).map((s) => ({ at: s, message: `subnet ${s.id} uses route table ${hit.table.id}` })),
    { at: hit.table, message: `route table ${hit.table.id} has no route to ${article} ${label} gateway endpoint` },
    {
      at: hit.route,
      message: `route ${destination} → ${natName} carries ${label}'s ${isSymbolicRegion(hit.region) ? 'ranges in the deployment region' : `${hit.region} ranges`}`,
    },
    ...(hit.nat ? [{ at: hit.nat, message: `NAT gateway ${hit.nat.id} processes (and bills) the traffic` }] : []),
  ];
  if (absent) return absentEndpointReport(graph, hit, absent, data, path, label, natName, destination, service);
  return {
    messageId: endpoint ? 'viaNatUnassociated' : 'viaNat',
    data,
    at: hit.table,
    related: [
      ...hit.subnets.map((s) => ({ at: s, message: `subnet ${s.id} routes ${label} traffic through ${natName}` })),
      { at: hit.route, message: `route ${destination} → ${natName}` },
      ...(hit.nat ? [{ at: hit.nat, message: `NAT gateway ${hit.nat.id}` }] : []),
      ...(endpoint ? [{ at: endpoint, message: `${label} gateway endpoint ${endpoint.id}, not associated with ${hit.table.id}` }] : []),
    ],
    path,
    identity: [hit.route.id, service],
    natRegions: [...hit.regions],
    fix: endpoint
      ? {
          description:
            graph.syntax === 'cdk'
              ? `Associate ${endpoint.id} with ${hit.table.id}. In the app: widen the \`subnets\` of the ${label} gateway endpoint to include the subnets that use ${hit.table.id}, or leave \`subnets\` out so that every subnet's route table gets the route.`
              : `Associate ${endpoint.id} with ${hit.table.id}.`,
          snippet: associateSnippet(graph.syntax, service, endpoint, hit.table, hit.vpc),
          requests: associateRequests(graph, endpoint, hit.table, hit.vpc),
        }
      : {
          description:
            graph.syntax === 'cdk'
              ? `Add ${article} ${label} gateway endpoint to ${hit.vpc.id} with \`vpc.addGatewayEndpoint\`; without \`subnets\` it is associated with the route table of every subnet, ${hit.table.id} included.`
              : vpcTables.length > 1
                ? `Add ${article} ${label} gateway endpoint to ${hit.vpc.id} associated with ${hit.table.id}; one endpoint serves every route table of the VPC, so the snippet lists all ${vpcTables.length} that send ${label} traffic to a NAT gateway.`
                : `Add ${article} ${label} gateway endpoint associated with ${hit.table.id}.`,
          snippet: gatewayEndpointSnippet(graph.syntax, service, hit.region, hit.vpc, vpcTables.length ? vpcTables : [hit.table]),
          requests: newEndpointRequests(graph, service, hit.region, hit.vpc, vpcTables.length ? vpcTables : [hit.table], vpcsNeedingEndpoint(hits)),
        },
  };
}

/**
 * The finding where the table's endpoint exists only in other regions: the fix is to let the template create it in
 * the regions named, which no edit can do safely (the Condition may guard other resources too).
 */
function absentEndpointReport(
  graph: GraphView,
  hit: ViaNat,
  absent: VpcEndpointNode,
  data: Record<string, string>,
  path: { at: GraphNode; message: string }[],
  label: string,
  natName: string,
  destination: string,
  service: GatewayService,
): Report<ViaNatMessage> {
  const regions = data['regions']!;
  return {
    messageId: 'viaNatAbsent',
    data,
    at: hit.table,
    related: [
      ...hit.subnets.map((s) => ({ at: s as GraphNode, message: `subnet ${s.id} routes ${label} traffic through ${natName} in ${regions}` })),
      { at: hit.route, message: `route ${destination} → ${natName}` },
      ...(hit.nat ? [{ at: hit.nat as GraphNode, message: `NAT gateway ${hit.nat.id}` }] : []),
      { at: absent, message: `${label} gateway endpoint ${absent.id}, not created in ${regions}` },
    ],
    path,
    identity: [hit.route.id, service],
    natRegions: [...hit.regions],
    fix: {
      description: `Let the template create ${absent.id} in ${regions} too: change the Condition that leaves it out there, or add ${service === 's3' ? 'an S3' : 'a DynamoDB'} gateway endpoint for ${regions} associated with ${hit.table.id}.`,
    },
  };
}
