import { defineRule } from '../src/engine/rule.js';
import { viaNatReports } from '../src/analysis/via-nat-report.js';

export default defineRule({
  id: 'VPCE102',
  name: 'dynamodb-traffic-via-nat',
  level: 'warning',
  category: 'cost',
  summary: 'Same-region DynamoDB traffic from these subnets leaves through a NAT gateway because no DynamoDB gateway endpoint is on their route table.',
  description:
    'When the configuration uses DynamoDB (tables, IAM permissions for DynamoDB actions), subnets whose route table sends 0.0.0.0/0 to a NAT gateway and has no route to a DynamoDB gateway endpoint send DynamoDB requests through the NAT gateway, which charges per GB processed. A DynamoDB gateway endpoint associated with the route table carries that traffic privately and at no charge.',
  precision: 'high',
  tags: ['cost', 'networking', 'dynamodb', 'nat-gateway', 'vpc-endpoint'],
  messages: {
    viaNat:
      'DynamoDB traffic from {{subnets}} leaves through NAT gateway {{nat}} (route {{destination}} in {{table}}): no DynamoDB gateway endpoint is associated with {{table}}, and the configuration uses DynamoDB ({{evidence}}). {{cost}}.',
    viaNatUnassociated:
      'DynamoDB traffic from {{subnets}} leaves through NAT gateway {{nat}} (route {{destination}} in {{table}}): the VPC has DynamoDB gateway endpoint {{endpoint}}, but it is not associated with {{table}}, and the configuration uses DynamoDB ({{evidence}}). {{cost}}.',
  },
  check(graph, ctx) {
    const uses = graph.all('service-use').filter((u) => u.service === 'dynamodb');
    const evidence = uses.length === 0 ? undefined : { evidence: uses[0]!.evidence + (uses.length > 1 ? ` and ${uses.length - 1} more` : '') };
    viaNatReports(graph, 'dynamodb', ctx, { evidenceFor: () => evidence });
  },
});
