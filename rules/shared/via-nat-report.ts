import type { GraphView } from '../../src/graph/graph.js';
import type { RouteTableNode, SubnetNode } from '../../src/graph/model.js';
import type { RuleContext } from '../rule.js';
import { natCostSentenceForRegions } from './cost.js';
import { isSymbolicRegion } from '../../src/source/region.js';
import { serviceTrafficViaNat } from '../../src/sim/service-via-nat.js';
import { associateSnippet, gatewayEndpointSnippet } from './snippets.js';

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

export type Evidence = { evidence: string } | { undecided: string } | undefined;

export interface ViaNatOptions {
  /**
   * For services a finding needs evidence of use (DynamoDB): called per route table with the subnets whose traffic
   * takes the NAT route. `{ evidence }` fires with that phrase, `{ undecided }` stays silent and says why, `undefined`
   * stays silent (nothing uses the service: checked and fine).
   */
  evidenceFor?: (subnets: SubnetNode[], table: RouteTableNode | undefined) => Evidence;
}

/** Shared by VPCE101 (S3) and VPCE102 (DynamoDB): one finding per route table and NAT route. */
export function viaNatReports(
  graph: GraphView,
  service: 's3' | 'dynamodb',
  ctx: RuleContext<'viaNat' | 'viaNatUnassociated'>,
  options: ViaNatOptions = {},
): void {
  const label = service === 's3' ? 'S3' : 'DynamoDB';
  const article = service === 's3' ? 'an' : 'a';
  const analysis = serviceTrafficViaNat(graph, service);
  for (const u of analysis.undecided) {
    // Where nothing in these subnets uses the service, the rule has nothing to decide: no diagnostic either.
    if (options.evidenceFor) {
      const table = u.node.kind === 'route-table' ? u.node : undefined;
      const subnets = u.node.kind === 'subnet' ? [u.node] : table ? graph.subnetsUsing(table.id) : [];
      if (options.evidenceFor(subnets, table) === undefined) continue;
    }
    ctx.undecided({ at: 'table' in u.node ? u.node.source : u.node, reason: u.reason });
  }
  const hits: typeof analysis.hits = [];
  const evidenceOf = new Map<(typeof hits)[number], string>();
  for (const hit of analysis.hits) {
    if (!options.evidenceFor) {
      hits.push(hit);
      continue;
    }
    const found = options.evidenceFor(hit.subnets, hit.table);
    if (found === undefined) continue;
    if ('undecided' in found) ctx.undecided({ at: hit.table, reason: found.undecided });
    else {
      hits.push(hit);
      evidenceOf.set(hit, found.evidence);
    }
  }
  for (const hit of hits) {
    const evidence = evidenceOf.get(hit) ?? '';
    // One endpoint serves every table of the VPC: the snippet for a new endpoint lists all tables that need it.
    const vpcTables = [
      ...new Map(hits.filter((h) => h.vpc === hit.vpc && h.unassociatedEndpoints.length === 0).map((h) => [h.table.id, h.table])).values(),
    ].sort((a, b) => a.id.localeCompare(b.id));
    const subnets = hit.subnets.map((s) => s.id).sort();
    const natName = hit.nat?.id ?? hit.route.target.label;
    const destination =
      hit.route.destination.kind === 'cidr'
        ? hit.route.destination.cidr
        : hit.route.destination.kind === 'prefix-list'
          ? hit.route.destination.label
          : 'unknown';
    const endpoint = hit.unassociatedEndpoints[0];
    const data = {
      subnets: list(subnets),
      nat: natName,
      destination,
      table: hit.table.id,
      cost: natCostSentenceForRegions(hit.regions, hit.evaluatedRegions, hit.regionsLimited),
      evidence,
      endpoint: endpoint?.id ?? '',
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
    ctx.report({
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
      fix: endpoint
        ? {
            description:
              graph.syntax === 'cdk'
                ? `Associate ${endpoint.id} with ${hit.table.id}. In the app: widen the \`subnets\` of the ${label} gateway endpoint to include the subnets that use ${hit.table.id}, or leave \`subnets\` out so that every subnet's route table gets the route.`
                : `Associate ${endpoint.id} with ${hit.table.id}.`,
            snippet: associateSnippet(graph.syntax, service, endpoint, hit.table, hit.vpc),
          }
        : {
            description:
              graph.syntax === 'cdk'
                ? `Add ${article} ${label} gateway endpoint to ${hit.vpc.id} with \`vpc.addGatewayEndpoint\`; without \`subnets\` it is associated with the route table of every subnet, ${hit.table.id} included.`
                : vpcTables.length > 1
                  ? `Add ${article} ${label} gateway endpoint to ${hit.vpc.id} associated with ${hit.table.id}; one endpoint serves every route table of the VPC, so the snippet lists all ${vpcTables.length} that send ${label} traffic to a NAT gateway.`
                  : `Add ${article} ${label} gateway endpoint associated with ${hit.table.id}.`,
            snippet: gatewayEndpointSnippet(graph.syntax, service, hit.region, hit.vpc, vpcTables.length ? vpcTables : [hit.table]),
          },
    });
  }
}
