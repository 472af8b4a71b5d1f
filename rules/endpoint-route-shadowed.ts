import { defineRule } from './rule.js';
import { destinationLabel } from '../src/sim/service-ranges.js';
import { undecidedAt } from './shared/undecided.js';
import { shadowedEndpointRoutes } from '../src/sim/shadowed-endpoint.js';
import { natCostSentenceForRegions } from './shared/cost.js';

const fmt = (n: bigint) => n.toLocaleString('en-US');

export default defineRule({
  id: 'VPCE103',
  name: 'endpoint-route-shadowed',
  level: 'warning',
  category: 'correctness',
  summary: 'A route in a table that carries a gateway endpoint is at least as specific as part of the service’s ranges, so that traffic bypasses the endpoint.',
  description:
    'Route tables pick the most specific route for each destination, and a CIDR route beats a prefix-list route of the same length. A route whose destination overlaps the S3 or DynamoDB ranges of the endpoint’s prefix list and is at least as specific as the overlapped entries takes that part of the service traffic away from the gateway endpoint: it goes to the internet gateway, NAT gateway or whatever the route targets, with the cost, policy and data-path consequences that the endpoint was meant to avoid.',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'routing'],
  messages: {
    shadowed:
      'Route {{destination}} → {{target}} in {{table}} takes {{service}} traffic away from gateway endpoint {{endpoint}}. It takes {{taken}} ({{addresses}} of the {{total}} addresses of {{service}} in {{region}}, overlapping {{overlapped}}) away from the endpoint: it is at least as specific as the endpoint’s prefix-list route, so that traffic bypasses the endpoint.',
    shadowedViaNat:
      'Route {{destination}} → NAT gateway {{nat}} in {{table}} takes {{service}} traffic away from gateway endpoint {{endpoint}}. It takes {{taken}} ({{addresses}} of the {{total}} addresses of {{service}} in {{region}}, overlapping {{overlapped}}) away from the endpoint: it is at least as specific as the endpoint’s prefix-list route, so that traffic bypasses the endpoint and pays NAT processing. {{cost}}.',
  },
  check(graph, ctx) {
    const analysis = shadowedEndpointRoutes(graph);
    for (const u of analysis.undecided) ctx.undecided(undecidedAt(u));
    for (const hit of analysis.hits) {
      const nat = hit.route.target.kind === 'nat' ? graph.getKind(hit.route.target.node, 'nat-gateway') : undefined;
      const viaNat = hit.route.target.kind === 'nat';
      const destination = destinationLabel(hit.route.destination, '(unknown)');
      ctx.report({
        messageId: viaNat ? 'shadowedViaNat' : 'shadowed',
        data: {
          ...(viaNat
            ? {
                nat: nat?.id ?? hit.route.target.label,
                cost: natCostSentenceForRegions(
                  hit.symbolic?.regions ?? [hit.region],
                  hit.symbolic?.evaluated ?? 1,
                  hit.symbolic?.limited ?? false,
                  'the gateway endpoint it bypasses is free',
                ),
              }
            : {}),
          destination,
          target: hit.route.target.label,
          table: hit.table.id,
          taken: hit.taken.toCidrs().join(', '),
          addresses: fmt(hit.taken.size()),
          total: fmt(hit.serviceRanges.size()),
          service: hit.serviceLabel,
          region: hit.symbolic
            ? `${hit.region} (the template names no region; the route takes part of the ranges in ${hit.symbolic.regions.length} of the ${hit.symbolic.evaluated} regions of the bundled data${hit.symbolic.limited ? ' the template can be deployed to' : ''}${hit.symbolic.regions.length > 1 ? `: ${hit.symbolic.regions.slice(0, 6).join(', ')}${hit.symbolic.regions.length > 6 ? ', …' : ''}` : ''})`
            : hit.region,
          overlapped: hit.overlapped.join(', '),
          endpoint: hit.endpoint.id,
        },
        // A route resource points at its destination attribute; an inline route at its block.
        at: hit.route.destinationAt ?? hit.route,
        related: [
          { at: hit.endpoint, message: `gateway endpoint ${hit.endpoint.id} for ${hit.serviceLabel}` },
          { at: hit.table, message: `route table ${hit.table.id}` },
          ...(nat ? [{ at: nat, message: `NAT gateway ${nat.id}` }] : []),
        ],
        path: [
          { at: hit.table, message: `route table ${hit.table.id} carries ${hit.endpoint.id}` },
          { at: hit.route, message: `route ${destination} wins for ${hit.taken.toCidrs().join(', ')}` },
          ...(nat ? [{ at: nat, message: `NAT gateway ${nat.id} processes (and bills) the traffic` }] : []),
        ],
        identity: [hit.endpoint.id, hit.table.id],
        fix: {
          description: `Remove the route ${destination} from ${hit.table.id}, or narrow it so it no longer covers ${hit.serviceLabel} ranges; if the pinned route is intentional, suppress this finding with a reason.`,
        },
      });
    }
  },
});
