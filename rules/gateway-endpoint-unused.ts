import { defineRule } from './rule.js';
import type { RouteTableNode, VpcEndpointNode } from '../src/graph/model.js';
import { isUnknown } from '../src/source/value.js';
import { isGatewayService } from '../src/facts/aws-data.js';
import { routeTableUse, type TableUse } from '../src/sim/table-use.js';

const tableAttribute = (endpoint: VpcEndpointNode) => (endpoint.attributeRefs['route_table_ids'] ? 'route_table_ids' : 'RouteTableIds');

export default defineRule({
  id: 'VPCE105',
  name: 'gateway-endpoint-unused',
  level: 'warning',
  category: 'cost',
  summary: 'A gateway endpoint is associated with no route table, or only with route tables no subnet uses, so no traffic goes through it.',
  description:
    'A gateway endpoint carries traffic only from the subnets whose route table it is associated with: the association adds a route to the service’s prefix list, and a subnet follows its own route table (an explicit association, or else the VPC’s main table). An endpoint with no route table, or only with tables no subnet uses, serves nothing: the subnets that need the service keep sending it through NAT or the internet gateway, usually by mistake (the endpoint was given the wrong table, or the main table while every subnet has its own).',
  precision: 'high',
  tags: ['cost', 'networking', 'vpc-endpoint', 'routing'],
  messages: {
    noTables:
      'Gateway endpoint {{endpoint}} ({{service}}) is associated with no route table, so no subnet sends traffic through it. A gateway endpoint only serves subnets whose route table it is associated with; {{usage}}.',
    unusedTables:
      'Gateway endpoint {{endpoint}} ({{service}}) is associated only with route tables no subnet uses ({{tables}}), so no traffic goes through it. A gateway endpoint only serves subnets whose route table it is associated with; {{usage}}.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint')) {
      // An Interface or Gateway Load Balancer endpoint has no route tables; a gateway endpoint of a VPC outside the
      // configuration serves subnets the configuration does not show.
      if (endpoint.type !== 'Gateway' && !isUnknown(endpoint.type)) continue;
      // An endpoint of unknown type for a service without gateway endpoints (SQS, ECR…) is not a gateway endpoint.
      if (isUnknown(endpoint.type) && endpoint.service && !isGatewayService(endpoint.service.service)) continue;
      const vpc = graph.vpcOf(endpoint);
      if (!vpc || endpoint.externalRouteTables.length > 0) continue;
      const tables = endpoint.routeTables.map((id) => graph.getKind(id, 'route-table')).filter((t): t is RouteTableNode => t !== undefined);
      const uses = tables.map((table) => ({ table, use: routeTableUse(graph, table) }));
      if (uses.some((u) => u.use.used === true)) continue;
      const unknownUse = uses.find((u): u is { table: RouteTableNode; use: Extract<TableUse, { used: 'unknown' }> } => u.use.used === 'unknown');
      const why = isUnknown(endpoint.type)
        ? `the type of ${endpoint.id} is not known (${endpoint.type.reason}); as a gateway endpoint it would serve no subnet`
        : endpoint.routeTablesIncomplete
          ? `the route tables of ${endpoint.id} are not all known, and one of them may be used by a subnet`
          : unknownUse
            ? `whether a subnet uses ${unknownUse.table.id} cannot be decided: ${unknownUse.use.reason}`
            : undefined;
      if (why) {
        ctx.undecided({ at: endpoint, reason: why });
        continue;
      }
      const usedTables = graph
        .all('route-table')
        .filter((t) => t.vpc === vpc.id)
        .map((t) => ({ table: t, use: routeTableUse(graph, t) }))
        .filter((u): u is { table: RouteTableNode; use: Extract<TableUse, { used: true }> } => u.use.used === true);
      const usage =
        usedTables.length === 0
          ? `no subnet of ${vpc.id} uses a route table the configuration shows`
          : `the route tables of ${vpc.id}’s subnets are ${usedTables.map((u) => `${u.table.id} for ${[...u.use.subnets.map((s) => s.id), ...u.use.external].join(', ')}`).join('; ')}`;
      const service = endpoint.service ? `com.amazonaws.${endpoint.service.region}.${endpoint.service.service}` : String(endpoint.serviceName);
      const attribute = tableAttribute(endpoint);
      ctx.report({
        messageId: tables.length === 0 ? 'noTables' : 'unusedTables',
        data: { endpoint: endpoint.id, service, tables: tables.map((t) => t.id).join(', '), usage },
        at: endpoint.attributeRefs[attribute] ? { node: endpoint, attribute } : endpoint,
        related: [
          ...tables.map((t) => ({ at: t, message: `route table ${t.id}: no subnet uses it` })),
          ...usedTables.slice(0, 5).map((u) => ({
            at: u.table,
            message: `route table ${u.table.id}, used by ${u.use.subnets.map((s) => s.id).join(', ') || u.use.external.join(', ')}`,
          })),
        ],
        identity: [endpoint.id],
        fix: {
          description:
            usedTables.length > 0
              ? `Associate ${endpoint.id} with the route tables of the subnets that use ${service} (${usedTables.map((u) => u.table.id).join(', ')}) in its ${attribute}, or delete the endpoint if nothing needs it.`
              : `Associate ${endpoint.id} with the route tables of the subnets that use ${service} in its ${attribute}, or delete the endpoint if nothing needs it.`,
        },
      });
    }
  },
});
