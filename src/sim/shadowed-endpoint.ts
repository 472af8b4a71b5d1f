import type { GraphView } from '../graph/graph.js';
import type { RouteNode, RouteTableNode, VpcEndpointNode } from '../graph/model.js';
import { regionsToEvaluate, splitByRoute, tableRoutes } from './routing.js';
import { serviceRangeEntries, serviceRanges } from '../facts/aws-data.js';
import { CidrSet } from '../facts/cidr.js';
import { isUnknown } from '../source/value.js';
import type { UndecidedAt } from './undecided.js';
import { mayHoldServiceAddresses, SERVICE_LABEL, type GatewayService } from './service-ranges.js';

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

/** A route of the table that could take part of the service's ranges in some region (or whose destination is unknown). */
function mayOverlap(route: RouteNode, service: GatewayService): boolean {
  if (route.origin === 'endpoint-association') return false;
  const d = route.destination;
  // Less specific than every entry of the endpoint's prefix list: the endpoint route wins.
  if (d.kind === 'cidr' && d.cidr.endsWith('/0')) return false;
  return mayHoldServiceAddresses(d, service);
}

export interface ShadowedAnalysis {
  hits: ShadowedRoute[];
  undecided: UndecidedAt[];
}

/** Routes that win over a gateway endpoint's prefix-list route for part of the service's ranges. */
export function shadowedEndpointRoutes(graph: GraphView): ShadowedAnalysis {
  const out: ShadowedRoute[] = [];
  const undecided: UndecidedAt[] = [];
  for (const table of graph.all('route-table')) {
    const endpointRoutes = graph.routesOf(table).filter((r) => r.origin === 'endpoint-association' && r.target.kind === 'vpce');
    if (endpointRoutes.length === 0) continue;
    for (const epRoute of endpointRoutes) {
      const endpoint = graph.getKind(epRoute.target.node, 'vpc-endpoint');
      if (!endpoint) continue;
      const candidates = graph
        .routesOf(table)
        .filter((r) =>
          endpoint.service?.service === 's3' || endpoint.service?.service === 'dynamodb'
            ? mayOverlap(r, endpoint.service.service)
            : r.origin !== 'endpoint-association' && !(r.destination.kind === 'cidr' && r.destination.cidr.endsWith('/0')),
        );
      const incomplete = table.routesIncomplete || graph.isUncertain('aws_route');
      if (!endpoint.service) {
        if (candidates.length > 0 && isUnknown(endpoint.serviceName)) {
          undecided.push({
            node: table,
            reason: `the service of gateway endpoint ${endpoint.id} is not known (${endpoint.serviceName.reason}), so whether route ${candidates.map((c) => c.id).join(', ')} shadows it cannot be decided`,
          });
        }
        continue;
      }
      if (endpoint.service.service !== 's3' && endpoint.service.service !== 'dynamodb') continue;
      const service = endpoint.service.service;
      if (candidates.length === 0 && !incomplete) continue; // nothing can take the endpoint's traffic: checked and fine
      const { regions, symbolic, limited } = regionsToEvaluate(
        graph,
        endpoint.vpc,
        endpoint.service.region,
        (r) => !(serviceRanges(service, r, 'ipv4')?.isEmpty() ?? true),
      );
      if (regions.length === 0) {
        undecided.push({
          node: table,
          reason: `the bundled AWS data has no ${SERVICE_LABEL[service]} ranges for the region of ${endpoint.id}, so routes that may shadow it cannot be checked`,
        });
        continue;
      }
      const found = new Map<string, ShadowedRoute>();
      for (const region of regions) {
        const routes = tableRoutes(graph, table, graph.vpcOf(table), 'ipv4', region);
        if (routes.uncertain.length) {
          undecided.push({
            node: table,
            reason: `${routes.uncertain.join('; ')}: a route that takes ${SERVICE_LABEL[service]} traffic away from gateway endpoint ${endpoint.id} may be missing from what the configuration shows`,
          });
          break;
        }
        const ranges = serviceRanges(service, region, 'ipv4');
        if (!ranges || ranges.isEmpty()) {
          undecided.push({
            node: table,
            reason: `the bundled AWS data has no ${SERVICE_LABEL[service]} ranges for ${region}, so routes that may take traffic away from gateway endpoint ${endpoint.id} cannot be checked`,
          });
          continue;
        }
        const entries = serviceRangeEntries(service, region, 'ipv4') ?? [];
        for (const share of splitByRoute(routes, ranges)) {
          const route = share.route;
          if (!route || route === 'local' || route.id === epRoute.id) continue;
          // Another endpoint route for the same list is VPCE104's business, not a bypass.
          if (route.origin === 'endpoint-association') continue;
          // A tie AWS breaks at random (a customer prefix list as specific as an entry) is not a certain bypass.
          if (share.certain.isEmpty()) {
            undecided.push({
              node: table,
              reason: `route ${route.id} ties with the route of gateway endpoint ${endpoint.id} for part of ${SERVICE_LABEL[service]}'s ranges in ${region}; AWS picks one, so the bypass is not certain`,
            });
            continue;
          }
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
            serviceLabel: SERVICE_LABEL[service],
            serviceRanges: ranges,
            taken: share.certain,
            overlapped,
          });
        }
      }
      out.push(...found.values());
    }
  }
  return { hits: out, undecided };
}
