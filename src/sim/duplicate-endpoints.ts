import type { GraphView } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, VpcEndpointNode } from '../graph/model.js';
import { isUnknown } from '../source/value.js';
import { everyRouteOf, routesMeet } from './routing.js';
import type { UndecidedAt } from './undecided.js';

export interface DuplicateEndpoints {
  table: RouteTableNode;
  service: string;
  first: VpcEndpointNode;
  second: VpcEndpointNode;
  /** Where the second endpoint is associated with the table (its route_table_ids, or the association resource). */
  secondAssociation: RouteNode['source'];
}

const bySource = (a: VpcEndpointNode, b: VpcEndpointNode) =>
  a.source.file.localeCompare(b.source.file) || a.source.span.start.line - b.source.span.start.line || a.id.localeCompare(b.id);

/**
 * Gateway endpoints whose duplicate cannot be ruled out: route tables that are not all known while another gateway
 * endpoint of the same service is in the VPC, or a gateway endpoint of unknown service on a table beside another one.
 */
function undecidedDuplicates(graph: GraphView): UndecidedAt[] {
  const out: UndecidedAt[] = [];
  const gateways = graph.all('vpc-endpoint').filter((e) => e.type === 'Gateway');
  for (const e of gateways) {
    const peers = gateways.filter(
      (o) => o !== e && o.vpc === e.vpc && (e.service === undefined || o.service === undefined || o.service.service === e.service.service),
    );
    if (peers.length === 0) continue;
    if (e.routeTablesIncomplete && e.service) {
      out.push({
        node: e,
        reason: `the route tables of ${e.id} are not all known, and ${peers.map((p) => p.id).join(', ')} ${peers.length > 1 ? 'are' : 'is'} another ${e.service.service} gateway endpoint of the same VPC that may share one of them`,
      });
    }
    if (!e.service && isUnknown(e.serviceName)) {
      const shared = peers.filter((p) => p.routeTables.some((t) => e.routeTables.includes(t)));
      if (shared.length > 0)
        out.push({
          node: e,
          reason: `the service of ${e.id} is not known (${e.serviceName.reason}), and it shares a route table with gateway endpoint ${shared.map((p) => p.id).join(', ')}`,
        });
    }
  }
  return out;
}

/** Route tables associated with two or more gateway endpoints of the same service, and where that cannot be decided. */
export function duplicateGatewayEndpoints(graph: GraphView): { hits: DuplicateEndpoints[]; undecided: UndecidedAt[] } {
  const out: DuplicateEndpoints[] = [];
  for (const table of graph.all('route-table')) {
    const byList = new Map<string, Array<{ endpoint: VpcEndpointNode; route: RouteNode }>>();
    // Routes of endpoints that exist only in some regions count where those regions meet (`routesMeet`).
    for (const route of everyRouteOf(graph, table)) {
      if (route.origin !== 'endpoint-association' || route.destination.kind !== 'prefix-list') continue;
      const endpoint = graph.getKind(route.target.node, 'vpc-endpoint');
      if (!endpoint) continue;
      const key = route.destination.prefixList ?? route.destination.label;
      const list = byList.get(key) ?? byList.set(key, []).get(key)!;
      if (!list.some((x) => x.endpoint.id === endpoint.id)) list.push({ endpoint, route });
    }
    for (const [, list] of [...byList].sort(([a], [b]) => a.localeCompare(b))) {
      if (list.length < 2) continue;
      list.sort((a, b) => bySource(a.endpoint, b.endpoint));
      list.forEach((other, j) => {
        // The earliest endpoint that exists in a region where this one does too.
        const first = list.slice(0, j).find((x) => routesMeet(x.route, other.route));
        if (!first) return;
        out.push({
          table,
          service:
            first.endpoint.service?.service === 'dynamodb'
              ? 'DynamoDB'
              : first.endpoint.service?.service === 's3'
                ? 'S3'
                : (first.endpoint.service?.service ?? 'the service'),
          first: first.endpoint,
          second: other.endpoint,
          secondAssociation: other.route.source,
        });
      });
    }
  }
  return { hits: out, undecided: undecidedDuplicates(graph) };
}
