import { isUnknown } from '../src/source/value.js';
import { endpointVpc } from '../src/sim/interface-endpoints.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'VPCE209',
  name: 'interface-endpoint-no-subnets',
  level: 'warning',
  category: 'correctness',
  summary: 'An interface endpoint names no subnet, so it has no network interface and serves nothing.',
  description:
    'AWS creates an interface endpoint’s network interfaces in the subnets it names, one per subnet, and clients reach the service through those interfaces. Subnets are optional when the endpoint is created, so an endpoint that names none can exist without a single network interface: nothing in the VPC can use it. It is usually a subnet list left empty by mistake (a filter that matched nothing, a CDK subnet selection that selected no subnet).',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'privatelink'],
  messages: {
    noSubnets:
      'Interface endpoint {{endpoint}} names no subnet: AWS creates endpoint network interfaces only in the subnets an endpoint names, so {{endpoint}} has none and nothing in {{vpc}} reaches {{service}} through it.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint')) {
      const none = endpoint.subnets.length === 0 && endpoint.externalSubnets.length === 0;
      if (!none) continue;
      if (isUnknown(endpoint.type)) {
        // An endpoint of unknown type with neither subnets nor route tables may be an interface endpoint without subnets.
        if (endpoint.routeTables.length === 0 && endpoint.externalRouteTables.length === 0 && !endpoint.routeTablesIncomplete)
          ctx.undecided({ at: endpoint, reason: `${endpoint.id} names no subnet, and its type is not known (${endpoint.type.reason})` });
        continue;
      }
      if (endpoint.type !== 'Interface') continue;
      if (endpoint.subnetsIncomplete) {
        ctx.undecided({
          at: endpoint,
          reason: `the subnets of ${endpoint.id} are not known${endpoint.subnetsIncompleteReason ? ` (${endpoint.subnetsIncompleteReason})` : ''}`,
        });
        continue;
      }
      if (endpoint.mayNotExist) {
        ctx.undecided({ at: endpoint, reason: `${endpoint.id} names no subnet, but ${endpoint.mayNotExist}` });
        continue;
      }
      const vpc = endpointVpc(graph, endpoint);
      const service = endpoint.service?.service ?? (typeof endpoint.serviceName === 'string' ? endpoint.serviceName : 'its service');
      ctx.report({
        messageId: 'noSubnets',
        data: { endpoint: endpoint.id, vpc: vpc ? `VPC ${vpc.id}` : 'its VPC', service },
        at: endpoint,
        related: vpc ? [{ at: vpc, message: `VPC ${vpc.id}` }] : [],
        identity: [],
        fix: {
          description: `Give ${endpoint.id} one subnet in each Availability Zone its consumers run in (${graph.syntax === 'terraform' ? 'subnet_ids' : 'SubnetIds'}), or delete it if nothing is meant to use it.`,
        },
      });
    }
  },
});
