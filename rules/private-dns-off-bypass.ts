import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import type { VpcEndpointNode } from '../src/graph/model.js';
import { isGatewayService } from '../src/facts/aws-data.js';
import { isUnknown } from '../src/source/value.js';
import { subnetsWithInternetPath } from '../src/sim/internet-path.js';

/*
 * Without private DNS, the service's public name (sqs.us-east-1.amazonaws.com), which SDKs and the CLI use by default,
 * resolves to public addresses; only clients configured with the endpoint's own DNS name use the endpoint. Clients in
 * subnets with a NAT or internet gateway route then reach the service around the endpoint.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
 *
 * Stays silent for S3 and DynamoDB (an interface endpoint without private DNS beside a gateway endpoint is the usual
 * design; NAT traffic to them is VPCE101/VPCE102's), for endpoint services of other accounts, and when another
 * interface endpoint for the service in the VPC has private DNS on.
 */

/** What else in the VPC may answer the service's name: another interface endpoint with private DNS on. */
function otherWithPrivateDns(graph: GraphView, e: VpcEndpointNode): { kind: 'yes' | 'no' } | { kind: 'unknown'; reason: string } {
  let unknown: { kind: 'unknown'; reason: string } | undefined;
  for (const o of graph.all('vpc-endpoint')) {
    if (o === e || o.vpc !== e.vpc || o.type === 'Gateway' || o.type === 'GatewayLoadBalancer' || o.privateDns === false) continue;
    const same = o.service ? o.serviceName === e.serviceName : isUnknown(o.serviceName);
    if (!same) continue;
    if (o.privateDns === true && o.type === 'Interface' && !o.mayNotExist && o.service) return { kind: 'yes' };
    unknown ??= { kind: 'unknown', reason: `${o.id} may be an interface endpoint for ${String(e.serviceName)} with private DNS on` };
  }
  return unknown ?? { kind: 'no' };
}

const list = (names: string[]) => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

export default defineRule({
  id: 'VPCE206',
  name: 'private-dns-off-bypass',
  level: 'warning',
  category: 'cost',
  summary: 'An interface endpoint has private DNS off while subnets of its VPC reach the internet: SDK calls to the service go around the endpoint.',
  description:
    'Without private DNS, the service’s default name, which SDKs and the AWS CLI call, resolves to its public addresses. Clients in subnets with a route to a NAT gateway or an internet gateway then reach the service through that route, paying NAT processing and leaving the endpoint unused, unless each client is configured with the endpoint’s own DNS name. Turning private DNS on makes the default name resolve to the endpoint inside the VPC.',
  precision: 'medium',
  tags: ['cost', 'networking', 'vpc-endpoint', 'dns', 'nat-gateway'],
  messages: {
    bypass:
      'Interface endpoint {{endpoint}} for {{service}} has private DNS off, so {{service}}’s default DNS name resolves to public addresses in VPC {{vpc}}: SDK calls from {{subnets}} go through {{gateways}} instead of the endpoint, unless they are configured with the endpoint’s own DNS name.',
  },
  check(graph, ctx) {
    for (const e of graph.all('vpc-endpoint')) {
      if (e.type !== 'Interface' || !e.service || e.service.service.startsWith('vpce-svc-') || isGatewayService(e.service.service)) continue;
      if (e.privateDns === true || e.mayNotExist) continue;
      const vpc = graph.vpcOf(e);
      if (!vpc) continue;
      const noInterface = e.subnets.length === 0 && e.externalSubnets.length === 0;
      if (noInterface) continue; // no network interface: VPCE209's business
      const { paths, unknown } = subnetsWithInternetPath(graph, vpc);
      const other = otherWithPrivateDns(graph, e);
      if (other.kind === 'yes') continue;
      if (paths.length === 0) {
        if (unknown.length && !isUnknown(e.privateDns))
          ctx.undecided({ at: e, reason: `${e.id} has private DNS off; whether subnets of ${vpc.id} reach the internet is not known (${unknown[0]!.reason})` });
        continue;
      }
      if (isUnknown(e.privateDns)) {
        ctx.undecided({
          at: e,
          reason: `whether ${e.id} has private DNS is not known (${e.privateDns.reason}); without it, calls from subnets with a NAT or internet route bypass it`,
        });
        continue;
      }
      if (other.kind === 'unknown') {
        ctx.undecided({ at: e, reason: `${e.id} has private DNS off, and ${other.reason}` });
        continue;
      }
      const gateways = [...new Set(paths.map((p) => p.route.target.label))];
      const service = String(e.serviceName);
      const terraform = graph.syntax === 'terraform';
      ctx.report({
        messageId: 'bypass',
        data: { endpoint: e.id, service, vpc: vpc.id, subnets: list(paths.map((p) => p.subnet.id)), gateways: list(gateways) },
        at: e.attributeRefs[terraform ? 'private_dns_enabled' : 'PrivateDnsEnabled']
          ? { node: e, attribute: terraform ? 'private_dns_enabled' : 'PrivateDnsEnabled' }
          : e,
        related: paths.slice(0, 5).map((p) => ({ at: p.route, message: `${p.subnet.id} sends 0.0.0.0/0 to ${p.route.target.label}` })),
        identity: [vpc.id],
        fix: {
          description: `Turn private DNS on for ${e.id} (the VPC needs enableDnsSupport and enableDnsHostnames), so that ${service}’s default name resolves to the endpoint inside ${vpc.id}; or, if every client already uses the endpoint’s own DNS name, suppress this finding with that reason.`,
          snippet: terraform ? 'private_dns_enabled = true' : graph.syntax === 'cdk' ? 'privateDnsEnabled: true' : 'PrivateDnsEnabled: true',
        },
      });
    }
  },
});
