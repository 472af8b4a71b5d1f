import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import type { RouteTableNode, VpcEndpointNode, VpcNode } from '../src/graph/model.js';
import { isUnknown } from '../src/source/value.js';
import { newEndpointRequests } from './shared/fix-requests.js';
import { gatewayEndpointSnippet } from './shared/snippets.js';

/*
 * An S3 interface endpoint with private DNS "only for inbound resolver endpoints" sends in-VPC requests to the S3
 * gateway endpoint, and AWS refuses that mode in a VPC without one ("To set PrivateDnsOnlyForInboundResolverEndpoint
 * to true, the VPC must have a Gateway endpoint for the service"). AWS turns the mode on when private DNS is enabled
 * and the option is not given.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html (Private DNS)
 */

type GatewayState = { kind: 'present' } | { kind: 'absent' } | { kind: 'unknown'; reason: string };

/** Whether the VPC has an S3 gateway endpoint, as far as the configuration says. */
function s3Gateway(graph: GraphView, vpc: VpcNode): GatewayState {
  if (graph.isUncertain('aws_vpc_endpoint')) return { kind: 'unknown', reason: 'aws_vpc_endpoint resources of unknown number may add one' };
  let unknown: GatewayState | undefined;
  for (const e of graph.all('vpc-endpoint')) {
    if (e.vpc !== vpc.id || e.type === 'Interface' || e.type === 'GatewayLoadBalancer') continue;
    const isS3 = e.service ? e.service.service === 's3' : isUnknown(e.serviceName) ? undefined : false;
    if (isS3 === false) continue;
    if (isS3 === true && e.type === 'Gateway' && !e.mayNotExist) return { kind: 'present' };
    unknown ??= {
      kind: 'unknown',
      reason: e.mayNotExist
        ? `S3 gateway endpoint ${e.id} may not be created (${e.mayNotExist})`
        : `${e.id} may be an S3 gateway endpoint (its ${isUnknown(e.type) ? 'type' : 'service name'} is not known)`,
    };
  }
  return unknown ?? { kind: 'absent' };
}

/** Why the endpoint may not ask for the inbound-only mode, or undefined when it certainly does. */
function modeUncertainty(e: VpcEndpointNode): string | undefined {
  if (isUnknown(e.privateDns)) return `whether ${e.id} has private DNS is not known (${e.privateDns.reason})`;
  if (isUnknown(e.privateDnsInboundOnly))
    return `whether ${e.id} asks for private DNS only for inbound resolver endpoints is not known (${e.privateDnsInboundOnly.reason})`;
  if (e.mayNotExist) return `${e.id} may not be created (${e.mayNotExist})`;
  return undefined;
}

/** The VPC's route tables that subnets use, when every subnet's table is known. */
function vpcTables(graph: GraphView, vpc: VpcNode): RouteTableNode[] | undefined {
  const tables = new Map<string, RouteTableNode>();
  for (const s of graph.all('subnet')) {
    if (s.vpc !== vpc.id) continue;
    const rt = graph.routeTableOf(s.id);
    if (!rt || rt === 'unknown') return undefined;
    tables.set(rt.table.id, rt.table);
  }
  return [...tables.values()];
}

export default defineRule({
  id: 'VPCE208',
  name: 's3-interface-private-dns-needs-gateway',
  level: 'error',
  category: 'correctness',
  summary:
    'An S3 interface endpoint has private DNS only for inbound resolver endpoints (the default when private DNS is on) in a VPC without an S3 gateway endpoint; AWS rejects it.',
  description:
    'With private DNS “only for inbound resolver endpoints”, requests from inside the VPC resolve S3’s names to its public addresses and reach S3 through the gateway endpoint, while on-premises clients use the interface endpoint. AWS turns this mode on when private DNS is enabled on an S3 interface endpoint and the option is not given, and refuses it in a VPC that has no S3 gateway endpoint, so the apply fails.',
  precision: 'high',
  tags: ['correctness', 'networking', 's3', 'vpc-endpoint', 'dns'],
  messages: {
    noGateway:
      'S3 interface endpoint {{endpoint}} has private DNS only for inbound resolver endpoints ({{mode}}), but VPC {{vpc}} has no S3 gateway endpoint. AWS accepts that mode only in a VPC with an S3 gateway endpoint, so it rejects {{endpoint}}.',
  },
  check(graph, ctx) {
    const needing = new Set<string>();
    const hits: Array<{ e: VpcEndpointNode; vpc: VpcNode }> = [];
    for (const e of graph.all('vpc-endpoint')) {
      if (e.type !== 'Interface' || e.service?.service !== 's3') continue;
      if (e.privateDns === false || e.privateDnsInboundOnly === false) continue;
      const vpc = graph.vpcOf(e);
      if (!vpc) {
        if (e.privateDns === true)
          ctx.undecided({
            at: e,
            reason: `the VPC of ${e.id} is not in the configuration, so whether it has the S3 gateway endpoint that private DNS only for inbound resolver endpoints requires is not known`,
          });
        continue;
      }
      const gateway = s3Gateway(graph, vpc);
      if (gateway.kind === 'present') continue;
      const why = modeUncertainty(e) ?? (gateway.kind === 'unknown' ? gateway.reason : undefined);
      if (why) {
        ctx.undecided({ at: e, reason: `${e.id} may need an S3 gateway endpoint in ${vpc.id}; ${why}` });
        continue;
      }
      needing.add(vpc.id);
      hits.push({ e, vpc });
    }
    for (const { e, vpc } of hits) {
      const terraform = graph.syntax === 'terraform';
      const option = terraform ? 'private_dns_only_for_inbound_resolver_endpoint' : 'PrivateDnsOnlyForInboundResolverEndpoint';
      const mode = e.privateDnsInboundOnly === true ? `${option} is set` : `${option} is not set, and AWS turns it on`;
      const region = e.service!.region;
      const tables = vpcTables(graph, vpc) ?? [];
      ctx.report({
        messageId: 'noGateway',
        data: { endpoint: e.id, vpc: vpc.id, mode },
        at: e.attributeRefs[terraform ? 'dns_options[0]' : 'DnsOptions'] ? { node: e, attribute: terraform ? 'dns_options[0]' : 'DnsOptions' } : e,
        related: [{ at: vpc, message: `VPC ${vpc.id} has no S3 gateway endpoint` }],
        identity: [vpc.id],
        fix: {
          description: `Add an S3 gateway endpoint to ${vpc.id}${tables.length ? ` associated with its route tables (${tables.map((t) => t.id).join(', ')})` : ''}, so that in-VPC requests reach S3 through it at no charge; or set ${option} to ${terraform ? 'false' : 'AllResolvers'} on ${e.id}, so that in-VPC requests use the interface endpoint and pay its data processing charge.`,
          ...(tables.length ? { snippet: gatewayEndpointSnippet(graph.syntax, 's3', region, vpc, tables) } : {}),
          ...(tables.length ? { requests: newEndpointRequests(graph, 's3', region, vpc, tables, needing.size) } : {}),
        },
      });
    }
  },
});
