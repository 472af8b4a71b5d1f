import type { SubnetNode, VpcEndpointNode } from '../src/graph/model.js';
import { compareZones, knownZone, zoneLabel } from '../src/sim/availability-zones.js';
import { endpointZones } from '../src/sim/interface-endpoints.js';
import { defineRule, type Locatable } from './rule.js';
import { dropSubnetRequests } from './shared/fix-requests.js';

/** Where the endpoint attaches a subnet: the list item or association that names it, else the endpoint. */
function attachedAt(endpoint: VpcEndpointNode, subnet: SubnetNode): Locatable {
  return (endpoint.subnetAttachments ?? []).find((a) => a.subnet === subnet.id)?.at ?? endpoint;
}

export default defineRule({
  id: 'VPCE201',
  name: 'interface-endpoint-duplicate-az',
  level: 'error',
  category: 'correctness',
  summary: 'An interface endpoint names two subnets in one Availability Zone; AWS rejects it.',
  description:
    'An interface endpoint gets one network interface per Availability Zone, in the one subnet it names there. Naming two subnets of the same zone (in its subnet list, in subnet_configuration blocks or through aws_vpc_endpoint_subnet_association) makes AWS refuse to create or modify the endpoint with DuplicateSubnetsInSameZone, and the deployment fails. Every subnet of the VPC reaches the endpoint through the local route, so one subnet per zone is all the endpoint needs.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'privatelink', 'availability-zone'],
  messages: {
    sameZone:
      'Interface endpoint {{endpoint}} names two subnets in Availability Zone {{zone}}: {{first}} and {{second}}. AWS allows one subnet per zone for an endpoint and rejects the request (DuplicateSubnetsInSameZone).',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint').filter((e) => e.type === 'Interface')) {
      const subnets = graph.subnetsOf(endpoint);
      const hits: Array<{ first: SubnetNode; second: SubnetNode; zone: string }> = [];
      const unclear: string[] = [];
      subnets.forEach((second, j) => {
        const b = knownZone(second.az);
        for (const first of subnets.slice(0, j)) {
          const a = knownZone(first.az);
          const relation =
            'zone' in a && 'zone' in b
              ? compareZones(a.zone, b.zone)
              : {
                  same: 'unknown' as const,
                  reason: `the Availability Zone of ${'zone' in a ? second.id : first.id} is not known (${'unknown' in a ? a.unknown : (b as { unknown: string }).unknown})`,
                };
          if (relation.same === true && 'zone' in a) {
            hits.push({ first, second, zone: a.zone });
            return; // one finding per extra subnet, against the first subnet of its zone
          }
          if (relation.same === 'unknown') unclear.push(`${first.id} and ${second.id}: ${relation.reason}`);
        }
      });
      // A subnet outside the configuration, or an entry of a list not all known, may share a zone with any other
      // subnet the endpoint names. A list of which nothing is known says nothing of how many subnets it holds.
      const listed = subnets.length + endpoint.externalSubnets.length;
      const beyond = endpointZones(graph, endpoint).unknown.filter((u) => u.node === endpoint);
      if (listed >= (endpoint.subnetsIncomplete ? 1 : 2) && beyond.length > 0)
        unclear.push(`${beyond.map((u) => u.reason).join('; ')}, and such a subnet may share a zone with another the endpoint names`);

      if (hits.length > 0 && endpoint.mayNotExist) {
        ctx.undecided({
          at: endpoint,
          reason: `${hits[0]!.first.id} and ${hits[0]!.second.id} share Availability Zone ${zoneLabel(hits[0]!.zone)}, but ${endpoint.mayNotExist}`,
        });
        continue;
      }
      for (const { first, second, zone } of hits) {
        const requests = dropSubnetRequests(graph, endpoint, second);
        ctx.report({
          messageId: 'sameZone',
          data: { endpoint: endpoint.id, zone: zoneLabel(zone), first: first.id, second: second.id },
          at: attachedAt(endpoint, second),
          related: [
            { at: first, message: `subnet ${first.id} in ${zoneLabel(zone)}` },
            { at: second, message: `subnet ${second.id} in ${zoneLabel(zone)}` },
          ],
          identity: [first.id, second.id],
          fix: {
            description: `Keep one subnet per Availability Zone: remove ${second.id} from ${endpoint.id}'s subnets (${first.id} already serves ${zoneLabel(zone)}, and ${second.id} reaches the endpoint there through the VPC's local route), or replace it with a subnet in a zone the endpoint does not serve yet.`,
            ...(requests ? { requests } : {}),
          },
        });
      }
      if (hits.length === 0 && unclear.length > 0)
        ctx.undecided({ at: endpoint, reason: `whether two of its subnets share an Availability Zone cannot be told: ${unclear.join('; ')}` });
    }
  },
});
