import { defineRule } from './rule.js';
import { serviceTrafficViaNat } from '../src/sim/service-via-nat.js';
import { undecidedAt } from './shared/undecided.js';
import { viaNatReport } from './shared/via-nat-report.js';

export default defineRule({
  id: 'VPCE101',
  name: 's3-traffic-via-nat',
  level: 'warning',
  category: 'cost',
  summary: 'Same-region S3 traffic from these subnets leaves through a NAT gateway because no S3 gateway endpoint is on their route table.',
  description:
    'A subnet whose route table sends 0.0.0.0/0 to a NAT gateway and has no route to the S3 gateway endpoint sends every request to S3 buckets in its region through the NAT gateway, which charges per GB processed. An S3 gateway endpoint associated with the route table carries that traffic privately and at no charge.',
  precision: 'high',
  tags: ['cost', 'networking', 's3', 'nat-gateway', 'vpc-endpoint'],
  messages: {
    viaNat:
      'S3 traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: no S3 gateway endpoint is associated with {{table}}. {{cost}}.',
    viaNatUnassociated:
      'S3 traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: the VPC has S3 gateway endpoint {{endpoint}}, but it is not associated with {{table}}. {{cost}}.',
    viaNatAbsent:
      'S3 traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: S3 gateway endpoint {{endpoint}} is associated with {{table}}, but {{condition}}. {{cost}}.',
  },
  check(graph, ctx) {
    const { hits, undecided } = serviceTrafficViaNat(graph, 's3');
    for (const u of undecided) ctx.undecided(undecidedAt(u));
    for (const hit of hits) ctx.report(viaNatReport(graph, hit, hits, 's3'));
  },
});
