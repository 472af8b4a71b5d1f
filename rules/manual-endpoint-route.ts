import { defineRule } from './rule.js';
import type { DetachedRoute, RouteNode } from '../src/graph/model.js';
import { destinationLabel } from '../src/sim/service-ranges.js';
import { isUnknown } from '../src/source/value.js';

export default defineRule({
  id: 'VPCE106',
  name: 'manual-endpoint-route',
  level: 'error',
  category: 'correctness',
  summary: 'A route resource targets a gateway endpoint; only route table associations create gateway endpoint routes, and AWS rejects the route.',
  description:
    'AWS adds a gateway endpoint’s route (to the service’s prefix list) to a route table when the table is associated with the endpoint, and removes it when the association goes. CreateRoute accepts a VPC endpoint as target only for Gateway Load Balancer endpoints, so a route resource or inline route that names a gateway endpoint fails to apply; the intended routing needs the table in the endpoint’s route table list instead.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'routing'],
  messages: {
    gatewayTarget:
      'Route {{route}} to {{destination}} in {{table}} targets gateway endpoint {{endpoint}}. AWS adds a gateway endpoint’s routes only through its route table associations, and CreateRoute accepts a VPC endpoint only for Gateway Load Balancer endpoints, so it rejects this route.',
  },
  check(graph, ctx) {
    const routes: Array<RouteNode | DetachedRoute> = [...graph.all('route'), ...graph.detachedRoutes];
    for (const route of routes) {
      if (route.origin === 'endpoint-association') continue;
      const endpoint = graph.getKind(route.target.node, 'vpc-endpoint');
      if (!endpoint) continue;
      const table = 'routeTable' in route ? route.routeTable : route.table;
      const destination = destinationLabel(route.destination, '(a destination that is not known)');
      if (isUnknown(endpoint.type)) {
        ctx.undecided({
          at: 'routeTable' in route ? route : route.source,
          reason: `it targets endpoint ${endpoint.id}, whose type is not known (${endpoint.type.reason}): a route may target a Gateway Load Balancer endpoint, not a gateway endpoint`,
        });
        continue;
      }
      if (endpoint.type !== 'Gateway') continue;
      const tableNode = graph.getKind(table, 'route-table');
      const attribute = endpoint.attributeRefs['route_table_ids'] ? 'route_table_ids' : 'RouteTableIds';
      ctx.report({
        messageId: 'gatewayTarget',
        data: { route: route.id, destination, table, endpoint: endpoint.id },
        at: 'routeTable' in route ? route : route.source,
        related: [
          { at: endpoint, message: `gateway endpoint ${endpoint.id}` },
          ...(tableNode ? [{ at: tableNode, message: `route table ${tableNode.id}` }] : []),
        ],
        identity: [endpoint.id, table],
        fix: {
          description: `Remove the route, and associate ${table} with ${endpoint.id} instead: add it to the endpoint's ${attribute}${endpoint.attributeRefs['route_table_ids'] || graph.syntax === 'terraform' ? ' or use an aws_vpc_endpoint_route_table_association' : ''}. AWS then adds the route to the service's prefix list itself.`,
        },
      });
    }
  },
});
