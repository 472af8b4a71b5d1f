import type { Graph } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, VpcEndpointNode } from '../graph/model.js';

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

/** Route tables associated with two or more gateway endpoints of the same service. */
export function duplicateGatewayEndpoints(graph: Graph): DuplicateEndpoints[] {
  const out: DuplicateEndpoints[] = [];
  for (const table of graph.all('route-table')) {
    const byList = new Map<string, Array<{ endpoint: VpcEndpointNode; route: RouteNode }>>();
    for (const route of graph.routesOf(table)) {
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
      const first = list[0]!;
      for (const other of list.slice(1)) {
        out.push({ table, service: first.endpoint.service?.service === 'dynamodb' ? 'DynamoDB' : first.endpoint.service?.service === 's3' ? 'S3' : first.endpoint.service?.service ?? 'the service', first: first.endpoint, second: other.endpoint, secondAssociation: other.route.source });
      }
    }
  }
  return out;
}
