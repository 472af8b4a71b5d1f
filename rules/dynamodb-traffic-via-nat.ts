import { defineRule } from './rule.js';
import { dynamodbEvidence } from '../src/sim/dynamodb-evidence.js';
import { serviceTrafficViaNat } from '../src/sim/service-via-nat.js';
import { undecidedAt } from './shared/undecided.js';
import { subnetsConcerned, viaNatReport } from './shared/via-nat-report.js';

export default defineRule({
  id: 'VPCE102',
  name: 'dynamodb-traffic-via-nat',
  level: 'warning',
  category: 'cost',
  summary:
    'Same-region DynamoDB traffic from subnets whose workloads use DynamoDB leaves through a NAT gateway because no DynamoDB gateway endpoint is on their route table.',
  description:
    'When a workload in the subnets uses DynamoDB (a Lambda function, ECS service, EC2 instance, autoscaling group or EKS node group whose role allows DynamoDB actions, or a function that names a table in its environment), subnets whose route table sends 0.0.0.0/0 to a NAT gateway and has no route to a DynamoDB gateway endpoint send DynamoDB requests through the NAT gateway, which charges per GB processed. A DynamoDB gateway endpoint associated with the route table carries that traffic privately and at no charge.',
  precision: 'high',
  tags: ['cost', 'networking', 'dynamodb', 'nat-gateway', 'vpc-endpoint'],
  messages: {
    viaNat:
      'DynamoDB traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: no DynamoDB gateway endpoint is associated with {{table}}, and a workload there uses DynamoDB ({{evidence}}). {{cost}}.',
    viaNatUnassociated:
      'DynamoDB traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: the VPC has DynamoDB gateway endpoint {{endpoint}}, but it is not associated with {{table}}, and a workload there uses DynamoDB ({{evidence}}). {{cost}}.',
    viaNatAbsent:
      'DynamoDB traffic from {{subnets}} goes through NAT gateway {{nat}}. Route {{destination}} in {{table}} sends it there: DynamoDB gateway endpoint {{endpoint}} is associated with {{table}}, but {{condition}}, and a workload there uses DynamoDB ({{evidence}}). {{cost}}.',
  },
  check(graph, ctx) {
    // A table or policy somewhere is no evidence for these subnets: a workload running in them must use DynamoDB.
    const { hits, undecided } = serviceTrafficViaNat(graph, 'dynamodb');
    // Where nothing in the subnets concerned uses DynamoDB, there is nothing to decide: no note either.
    for (const u of undecided) if (dynamodbEvidence(graph, subnetsConcerned(graph, u)) !== undefined) ctx.undecided(undecidedAt(u));
    const proven: Array<{ hit: (typeof hits)[number]; evidence: string }> = [];
    for (const hit of hits) {
      const found = dynamodbEvidence(graph, hit.subnets);
      if (found === undefined) continue;
      if ('undecided' in found) ctx.undecided({ at: hit.table, reason: found.undecided });
      else proven.push({ hit, evidence: found.evidence });
    }
    const provenHits = proven.map((p) => p.hit);
    for (const { hit, evidence } of proven) ctx.report(viaNatReport(graph, hit, provenHits, 'dynamodb', evidence));
  },
});
