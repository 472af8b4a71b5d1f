import type { GraphNode, SubnetNode, WorkloadNode } from '../src/graph/model.js';
import { compareZones } from '../src/sim/availability-zones.js';
import { consumersByZone, endpointZones, spansSeveralZones, type ConsumerZone } from '../src/sim/interface-endpoints.js';
import { defineRule } from './rule.js';

/** At most this many consumers are named in a message; the rest are counted. */
const NAMED = 4;

function listConsumers(zones: ConsumerZone[], basis: 'workloads' | 'subnets'): string {
  const named = zones.flatMap((z) => (basis === 'workloads' ? z.workloads : z.subnets).map((n: WorkloadNode | SubnetNode) => `${n.id} (${z.label})`));
  const unique = [...new Set(named)];
  const shown = unique.slice(0, NAMED).join(', ');
  const kind = basis === 'workloads' ? (unique.length > 1 ? 'workloads' : 'workload') : unique.length > 1 ? 'subnets' : 'subnet';
  return `${kind} ${unique.length > NAMED ? `${shown} and ${unique.length - NAMED} more` : shown}`;
}

export default defineRule({
  id: 'VPCE202',
  name: 'interface-endpoint-single-az',
  level: 'warning',
  category: 'reliability',
  summary: 'An interface endpoint has subnets in one Availability Zone while what uses it runs in more.',
  description:
    'An interface endpoint answers only in the Availability Zones of its subnets. When all its subnets are in one zone, clients in the other zones of the VPC reach it across zones, and lose the service when that zone fails: with private DNS the service name resolves to the endpoint alone. Its consumers are the workloads the configuration places in the VPC (Lambda functions, ECS services, EKS node groups, EC2 instances, Auto Scaling groups) or, when it places none there, the VPC’s subnets.',
  precision: 'high',
  tags: ['reliability', 'networking', 'vpc-endpoint', 'privatelink', 'availability-zone'],
  messages: {
    singleZone:
      'Interface endpoint {{endpoint}} has network interfaces only in Availability Zone {{zone}} ({{subnets}}), while {{consumers}} of VPC {{vpc}} are in {{otherZones}}. Clients there reach it across zones, and lose {{service}} through it if {{zone}} fails.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint').filter((e) => e.type === 'Interface')) {
      const placement = endpointZones(graph, endpoint);
      if (placement.zones.length === 0) {
        // No subnet of known zone. No subnet at all is VPCE209's; subnets of unknown zone matter only when consumers
        // run outside them.
        const own = new Set(endpoint.subnets);
        const consumers = consumersByZone(graph, endpoint);
        // A consumer in the endpoint's own subnets is in its zone, whatever that zone is.
        const inOwnSubnets = (n: GraphNode) =>
          own.has(n.id) || (n.kind === 'workload' && !n.subnetsIncomplete && n.externalSubnets.length === 0 && n.subnets.every((id) => own.has(id)));
        const outside = consumers.zones.some((z) => z.subnets.some((s) => !own.has(s.id))) || consumers.unknown.some((u) => !inOwnSubnets(u.node));
        if (endpoint.subnets.length > 0 && outside)
          ctx.undecided({
            at: endpoint,
            reason: `the Availability Zones of ${endpoint.id} are not known: ${placement.unknown.map((u) => u.reason).join('; ')}`,
          });
        continue;
      }
      const several = spansSeveralZones(placement.zones.map((z) => z.zone));
      if (several === true) continue;
      const home = placement.zones[0]!;
      const consumers = consumersByZone(graph, endpoint);
      const elsewhere = consumers.zones.filter((z) => compareZones(z.zone, home.zone).same === false);
      const unclear = [
        ...consumers.zones.flatMap((z) => {
          const r = compareZones(z.zone, home.zone);
          return r.same === 'unknown' ? [r.reason] : [];
        }),
        ...consumers.unknown.map((u) => u.reason),
      ];
      if (elsewhere.length === 0) {
        if (unclear.length > 0)
          ctx.undecided({
            at: endpoint,
            reason: `${endpoint.id} serves only ${home.label}, and whether its consumers run elsewhere cannot be told: ${unclear.join('; ')}`,
          });
        continue;
      }
      // Consumers elsewhere: a finding, if the endpoint is certainly in that one zone and certainly created.
      const doubts = [
        ...(typeof several === 'object' ? [several.unknown] : []),
        ...placement.unknown.map((u) => u.reason),
        ...(endpoint.mayNotExist ? [endpoint.mayNotExist] : []),
      ];
      if (doubts.length > 0) {
        ctx.undecided({
          at: endpoint,
          reason: `consumers run outside ${home.label}, but whether ${endpoint.id} is in that zone alone cannot be told: ${doubts.join('; ')}`,
        });
        continue;
      }
      const listAttribute = ['subnet_ids', 'SubnetIds'].find((name) => endpoint.attributeRefs[name] !== undefined);
      const service = endpoint.service?.service ?? (typeof endpoint.serviceName === 'string' ? endpoint.serviceName : 'the service');
      ctx.report({
        messageId: 'singleZone',
        data: {
          endpoint: endpoint.id,
          zone: home.label,
          subnets: home.members.map((s) => s.id).join(', '),
          consumers: listConsumers(elsewhere, consumers.basis),
          vpc: consumers.vpc!.id,
          otherZones: elsewhere.map((z) => z.label).join(', '),
          service,
        },
        at: listAttribute ? { node: endpoint, attribute: listAttribute } : endpoint,
        related: [
          ...home.members.map((s) => ({ at: s, message: `endpoint subnet ${s.id} in ${home.label}` })),
          ...elsewhere.flatMap((z) =>
            (consumers.basis === 'workloads' ? z.workloads : z.subnets).slice(0, NAMED).map((n) => ({ at: n, message: `${n.id} runs in ${z.label}` })),
          ),
        ],
        // The endpoint and its VPC: a consumer added in a third zone does not make it a new alert.
        identity: [consumers.vpc!.id],
        fix: {
          description: `Add a subnet in ${elsewhere.map((z) => z.label).join(' and ')} to ${endpoint.id} (one per Availability Zone its consumers use: ${elsewhere
            .map((z) => z.subnets[0]?.id)
            .filter((id) => id !== undefined)
            .join(
              ', ',
            )}). Each zone adds one endpoint network interface, billed per hour; if the single zone is a deliberate saving, suppress the finding with that reason.`,
        },
      });
    }
  },
});
