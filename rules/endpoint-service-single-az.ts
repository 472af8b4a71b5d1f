import { defineRule } from './rule.js';
import { displaySymbolic } from '../src/source/region.js';
import { serviceZones } from '../src/sim/endpoint-service.js';

export default defineRule({
  id: 'VPCE403',
  name: 'endpoint-service-single-az',
  level: 'warning',
  category: 'reliability',
  summary:
    'The load balancers of an endpoint service are in one Availability Zone: consumers reach the service only there, and not at all when that zone fails.',
  description:
    'Consumers of an endpoint service can place their endpoints only in the Availability Zones they share with the service, and those are the zones of its load balancers’ subnets. A service whose load balancers have subnets in a single zone is unreachable from every consumer VPC when that zone is impaired, and consumers without a subnet in that zone cannot connect at all. AWS recommends making an endpoint service available in at least two Availability Zones.',
  precision: 'high',
  tags: ['reliability', 'vpc-endpoint', 'privatelink', 'endpoint-service', 'availability-zone'],
  messages: {
    singleAz:
      'Endpoint service {{service}} is offered in one Availability Zone only ({{zone}}). Its {{loadBalancers}} subnets in that zone alone ({{subnets}}), so consumers can create endpoints only there, and when {{zone}} is impaired no consumer reaches the service. AWS recommends at least two Availability Zones: add a subnet in another zone to {{loadBalancer}}.',
  },
  check(graph, ctx) {
    for (const service of graph.all('endpoint-service')) {
      const zones = serviceZones(graph, service);
      if (zones.kind === 'unknown') {
        ctx.undecided({ at: service, reason: `${zones.reason}, so whether ${service.id} is offered in more than one Availability Zone cannot be told` });
        continue;
      }
      if (zones.kind !== 'one') continue;
      const first = zones.loadBalancers[0]!.loadBalancer;
      const subnets = zones.loadBalancers.flatMap((l) => [...l.subnets.map((s) => s.id), ...l.externalSubnets]);
      const subnetAttribute = ['subnets', 'Subnets', 'subnet_mapping[0]', 'SubnetMappings'].find((a) => first.attributeRefs[a]);
      ctx.report({
        messageId: 'singleAz',
        data: {
          service: service.id,
          zone: zones.zone ? displaySymbolic(zones.zone) : 'the zone AWS picks for its subnet',
          loadBalancers:
            zones.loadBalancers.length === 1
              ? `load balancer ${first.id} has`
              : `load balancers ${zones.loadBalancers.map((l) => l.loadBalancer.id).join(', ')} have`,
          loadBalancer: first.id,
          subnets: [...new Set(subnets)].join(', '),
        },
        at: subnetAttribute ? { node: first, attribute: subnetAttribute } : first,
        related: [
          { at: service, message: `endpoint service ${service.id}` },
          ...zones.loadBalancers.flatMap((l) =>
            l.subnets.map((s) => ({ at: s, message: `subnet ${s.id}${typeof s.az === 'string' ? ` in ${displaySymbolic(s.az)}` : ''}` })),
          ),
        ],
        identity: [service.id, ...zones.loadBalancers.map((l) => l.loadBalancer.id)],
        fix: {
          description: `Give ${first.id} a subnet in a second Availability Zone (one subnet per zone) in its subnets or subnet mappings, with targets in that zone or cross-zone load balancing on, so that consumers can place endpoints in both zones.`,
        },
      });
    }
  },
});
