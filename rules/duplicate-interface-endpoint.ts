import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import type { VpcEndpointNode } from '../src/graph/model.js';
import { isUnknown } from '../src/source/value.js';

/*
 * Private DNS associates a private hosted zone for the service's name with the VPC, and a VPC holds one zone per
 * name: AWS refuses private DNS on a second endpoint for the same service ("private-dns-enabled cannot be set because
 * there is already a conflicting DNS domain for … in the VPC").
 * https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
 */

/** Interface endpoints with private DNS on or possibly on, by VPC and service name. */
function byVpcAndService(graph: GraphView): Map<string, VpcEndpointNode[]> {
  const groups = new Map<string, VpcEndpointNode[]>();
  for (const e of graph.all('vpc-endpoint')) {
    if (e.type !== 'Interface' || !e.vpc || typeof e.serviceName !== 'string' || e.privateDns === false) continue;
    const key = `${e.vpc}\u0000${e.serviceName}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return groups;
}

/** Why one of a pair may not hold private DNS in the VPC after all, or undefined when both certainly do. */
function uncertainty(e: VpcEndpointNode): string | undefined {
  if (isUnknown(e.privateDns)) return `whether ${e.id} has private DNS is not known (${e.privateDns.reason})`;
  if (e.mayNotExist) return `${e.id} may not be created (${e.mayNotExist})`;
  return undefined;
}

const privateDnsAt = (graph: GraphView, e: VpcEndpointNode) => ({
  node: e,
  attribute: graph.syntax === 'terraform' ? 'private_dns_enabled' : 'PrivateDnsEnabled',
});

export default defineRule({
  id: 'VPCE207',
  name: 'duplicate-interface-endpoint',
  level: 'error',
  category: 'correctness',
  summary: 'Two interface endpoints for one service in one VPC both have private DNS on; AWS rejects the second.',
  description:
    'Private DNS associates a private hosted zone for the service’s public name (sqs.us-east-1.amazonaws.com) with the VPC. A VPC can be associated with only one zone for a name, so AWS refuses private DNS on a second interface endpoint for the same service in the same VPC, and the apply fails. One endpoint serves the whole VPC; a second one with private DNS off is allowed and reachable through its own DNS names.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'dns'],
  messages: {
    duplicate:
      'Interface endpoints {{first}} and {{second}} are both for {{service}} in VPC {{vpc}} with private DNS on. The VPC can hold only one private hosted zone for that name, so AWS rejects private DNS on {{second}}.',
  },
  check(graph, ctx) {
    for (const endpoints of byVpcAndService(graph).values()) {
      if (endpoints.length < 2) continue;
      const [first, ...rest] = endpoints;
      for (const second of rest) {
        const why = uncertainty(first!) ?? uncertainty(second);
        if (why) {
          ctx.undecided({
            at: second,
            reason: `${first!.id} and ${second.id} are interface endpoints for ${String(second.serviceName)} in ${second.vpc}; ${why}`,
          });
          continue;
        }
        ctx.report({
          messageId: 'duplicate',
          data: { first: first!.id, second: second.id, service: String(second.serviceName), vpc: String(second.vpc) },
          at: privateDnsAt(graph, second),
          related: [
            { at: privateDnsAt(graph, first!), message: `interface endpoint ${first!.id} already holds private DNS for ${String(first!.serviceName)}` },
          ],
          identity: [first!.id, second.id],
          fix: {
            description: `Keep one interface endpoint for ${String(second.serviceName)} in ${second.vpc}: remove ${second.id} (one endpoint serves every subnet of the VPC; add its subnets to ${first!.id}), or turn its private DNS off and reach it through its endpoint-specific DNS names.`,
            snippet:
              graph.syntax === 'terraform' ? 'private_dns_enabled = false' : graph.syntax === 'cdk' ? 'privateDnsEnabled: false' : 'PrivateDnsEnabled: false',
          },
        });
      }
    }
  },
});
