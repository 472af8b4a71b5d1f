import { defineRule } from './rule.js';
import type { RouteNode } from '../src/graph/model.js';
import { duplicateRouteDestinations, routesInsideVpc } from '../src/sim/route-conflicts.js';
import { undecidedAt } from './shared/undecided.js';

const TARGET_NAMES: Record<string, string> = {
  igw: 'an internet gateway',
  eigw: 'an egress-only internet gateway',
  vgw: 'a virtual private gateway',
  tgw: 'a transit gateway',
  pcx: 'a VPC peering connection',
};

/** How a route reads in a message: its address, or for a gateway endpoint's route, the endpoint that adds it. */
const routeName = (r: RouteNode) => (r.origin === 'endpoint-association' ? `the route gateway endpoint ${r.target.label} adds` : r.id);

export default defineRule({
  id: 'VPCE107',
  name: 'conflicting-routes',
  level: 'error',
  category: 'correctness',
  summary: 'Two routes in one table have the same destination, or a route inside the VPC CIDR is not one AWS accepts; AWS rejects the route.',
  description:
    'A route table holds one route per destination (IPv4 CIDR, IPv6 CIDR or prefix list; a gateway endpoint’s route counts as a route to its prefix list), so a second route with the same destination fails with RouteAlreadyExists. A route more specific than the local route is accepted only when its destination is exactly the CIDR block of a subnet of the VPC and its target a NAT gateway, a network interface or a Gateway Load Balancer endpoint; any other route inside the VPC CIDR is rejected.',
  precision: 'high',
  tags: ['correctness', 'networking', 'routing'],
  messages: {
    duplicate:
      'Routes {{first}} and {{second}} in {{table}} have the same destination {{destination}}. A route table holds one route per destination, so AWS rejects {{second}} (RouteAlreadyExists).',
    duplicateEndpoint:
      'Route {{second}} in {{table}} has destination {{destination}}, where gateway endpoint {{endpoint}} already routes. A route table holds one route per destination, and the endpoint’s association adds a route to that prefix list, so AWS rejects one of them (RouteAlreadyExists).',
    notSubnet:
      'Route {{route}} ({{destination}} → {{target}}) in {{table}} lies inside {{vpc}}’s CIDR block {{vpcCidr}} but is not the CIDR of a subnet; it overlaps {{overlapped}}. AWS accepts a route more specific than the local route only for the exact CIDR block of a subnet of the VPC, so it rejects this route.',
    badTarget:
      'Route {{route}} ({{destination}} → {{target}}) in {{table}} lies inside {{vpc}}’s CIDR block {{vpcCidr}}{{subnet}}, and its target is {{targetKind}}. AWS accepts a route more specific than the local route only to a NAT gateway, a network interface or a Gateway Load Balancer endpoint, so it rejects this route.',
  },
  check(graph, ctx) {
    const duplicates = duplicateRouteDestinations(graph);
    for (const u of duplicates.undecided) ctx.undecided(undecidedAt(u));
    for (const hit of duplicates.hits) {
      const endpointRoute = [hit.first, hit.second].find((r) => r.origin === 'endpoint-association');
      const manual = endpointRoute === hit.first ? hit.second : endpointRoute === hit.second ? hit.first : hit.second;
      ctx.report({
        messageId: endpointRoute ? 'duplicateEndpoint' : 'duplicate',
        data: {
          first: routeName(hit.first),
          second: manual.id,
          table: hit.table.id,
          destination: hit.destination,
          ...(endpointRoute ? { endpoint: endpointRoute.target.label } : {}),
        },
        at: manual.destinationAt ?? manual,
        related: [
          { at: endpointRoute ?? hit.first, message: `${routeName(endpointRoute ?? hit.first)} already routes ${hit.destination}` },
          { at: hit.table, message: `route table ${hit.table.id}` },
        ],
        identity: [hit.first.id, hit.second.id, hit.table.id],
        fix: {
          description: endpointRoute
            ? `Remove ${manual.id}: the association with ${endpointRoute.target.label} already routes ${hit.destination} in ${hit.table.id}. To send that traffic elsewhere, remove ${hit.table.id} from the endpoint's route tables instead.`
            : `Keep one route to ${hit.destination} in ${hit.table.id}: remove ${hit.second.id}, or merge the two into one route with the target you mean.`,
        },
      });
    }

    const inside = routesInsideVpc(graph);
    for (const u of inside.undecided) ctx.undecided(undecidedAt(u));
    for (const hit of inside.hits) {
      const common = {
        route: hit.route.id,
        destination: hit.destination,
        target: hit.route.target.label,
        table: hit.table.id,
        vpc: hit.vpc.id,
        vpcCidr: hit.vpcCidr,
      };
      const describeSubnet = (s: { subnet: { id: string; az: unknown }; cidr: string | undefined }) =>
        `${s.subnet.id} (${s.cidr ?? 'CIDR not known'}${typeof s.subnet.az === 'string' ? `, ${s.subnet.az}` : ''})`;
      ctx.report({
        ...(hit.problem === 'target'
          ? {
              messageId: 'badTarget' as const,
              data: {
                ...common,
                subnet: hit.subnet ? ` (it is the CIDR of subnet ${describeSubnet(hit.subnet)})` : '',
                targetKind: TARGET_NAMES[hit.route.target.kind] ?? hit.route.target.kind,
              },
            }
          : { messageId: 'notSubnet' as const, data: { ...common, overlapped: hit.overlapped.map(describeSubnet).join(', ') } }),
        at: hit.route.destinationAt ?? hit.route,
        related: [
          { at: hit.vpc, message: `VPC ${hit.vpc.id} (${hit.vpcCidr}): its local route covers ${hit.destination}` },
          ...hit.overlapped.map((s) => ({ at: s.subnet, message: `subnet ${describeSubnet(s)}` })),
          ...(hit.subnet ? [{ at: hit.subnet.subnet, message: `subnet ${describeSubnet(hit.subnet)}` }] : []),
        ],
        identity: [hit.route.id],
        fix: {
          description:
            hit.problem === 'target'
              ? `Traffic to ${hit.destination} stays inside ${hit.vpc.id} through the local route; remove the route, or, to inspect traffic between subnets, point it at a network interface, NAT gateway or Gateway Load Balancer endpoint. If ${hit.destination} is meant to be another network, it overlaps ${hit.vpc.id}: address one of them differently.`
              : `Remove the route, or make its destination the exact CIDR block of the subnet it is meant for (${hit.overlapped.map((s) => s.cidr).join(', ')}). If ${hit.destination} is meant to be another network, it overlaps ${hit.vpc.id}: address one of them differently.`,
        },
      });
    }
  },
});
