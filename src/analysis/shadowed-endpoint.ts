import type { Graph } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, VpcEndpointNode } from '../graph/model.js';
import { regionsToEvaluate, splitByRoute, tableRoutes } from '../graph/routing.js';
import { serviceRangeEntries, serviceRanges } from '../sim/aws-data.js';
import { CidrSet } from '../sim/cidr.js';

export interface ShadowedRoute {
  table: RouteTableNode;
  endpoint: VpcEndpointNode;
  route: RouteNode;
  /** The region the figures are for: the configuration's, or the first affected one for a template deployed to any region. */
  region: string;
  /** For a template deployed to any region: every region in which the route takes part of the ranges, and how many were evaluated. */
  symbolic?: { regions: string[]; evaluated: number; limited: boolean };
  serviceLabel: string;
  serviceRanges: CidrSet;
  /** The part of the service ranges the route takes. */
  taken: CidrSet;
  /** Service range entries the route overlaps. */
  overlapped: string[];
}

const LABELS: Record<string, string> = { s3: 'S3', dynamodb: 'DynamoDB' };

/** Routes that win over a gateway endpoint's prefix-list route for part of the service's ranges. */
export function shadowedEndpointRoutes(graph: Graph): ShadowedRoute[] {
  const out: ShadowedRoute[] = [];
  for (const table of graph.all('route-table')) {
    const endpointRoutes = graph.routesOf(table).filter((r) => r.origin === 'endpoint-association' && r.target.kind === 'vpce');
    if (endpointRoutes.length === 0) continue;
    for (const epRoute of endpointRoutes) {
      const endpoint = graph.getKind(epRoute.target.node, 'vpc-endpoint');
      if (!endpoint?.service) continue;
      const service = endpoint.service.service as 's3' | 'dynamodb';
      const { regions, symbolic, limited } = regionsToEvaluate(graph, endpoint.vpc, endpoint.service.region, (r) => !(serviceRanges(service, r, 'ipv4')?.isEmpty() ?? true));
      const found = new Map<string, ShadowedRoute>();
      for (const region of regions) {
        const routes = tableRoutes(graph, table, graph.vpcOf(table), 'ipv4', region);
        if (routes.uncertain.length) continue;
        const ranges = serviceRanges(service, region, 'ipv4');
        if (!ranges || ranges.isEmpty()) continue;
        const entries = serviceRangeEntries(service, region, 'ipv4') ?? [];
        for (const share of splitByRoute(routes, ranges)) {
          const route = share.route;
          if (!route || route === 'local' || route.id === epRoute.id) continue;
          // Another endpoint route for the same list is VPCE104's business, not a bypass.
          if (route.origin === 'endpoint-association') continue;
          // A tie AWS breaks at random (a customer prefix list as specific as an entry) is not a certain bypass.
          if (share.certain.isEmpty()) continue;
          const seen = found.get(route.id);
          if (seen) {
            seen.symbolic?.regions.push(region);
            continue;
          }
          const overlapped = entries.filter((c) => !share.certain.intersect(CidrSet.fromCidrs([c])).isEmpty());
          found.set(route.id, {
            table,
            endpoint,
            route,
            region,
            ...(symbolic ? { symbolic: { regions: [region], evaluated: regions.length, limited } } : {}),
            serviceLabel: LABELS[service] ?? service,
            serviceRanges: ranges,
            taken: share.certain,
            overlapped,
          });
        }
      }
      out.push(...found.values());
    }
  }
  return out;
}
