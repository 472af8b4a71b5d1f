import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import type { VpcEndpointNode } from '../src/graph/model.js';
import { interfaceEndpointDataPrice, interfaceEndpointHourPrice } from '../src/facts/aws-data.js';
import { displaySymbolic, isSymbolicRegion } from '../src/source/region.js';
import { serviceNameAnswer } from '../src/sim/private-dns.js';
import { SERVICE_LABEL, type GatewayService } from '../src/sim/service-ranges.js';

/*
 * An S3 or DynamoDB interface endpoint whose private DNS answers all resolvers makes in-VPC requests resolve to it,
 * so they pay its data processing charge, while a gateway endpoint carries the same requests at no charge.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html,
 * https://aws.amazon.com/privatelink/pricing/
 */

const SERVICES: GatewayService[] = ['s3', 'dynamodb'];
/** Hours AWS prices a month at in its examples. */
const HOURS_A_MONTH = 730;

const money = (n: number) => `$${n.toFixed(2)}`;

/** "$0.01 per GB processed ($10.24 for each TB) and $0.01 per AZ-hour × 2 AZs ($14.60 a month)", or what is charged without a figure. */
export function interfaceEndpointCost(region: string | undefined, azs: number, azsIncomplete: boolean): string {
  const data = region ? interfaceEndpointDataPrice(region) : undefined;
  const hour = region ? interfaceEndpointHourPrice(region) : undefined;
  const where = region ? ` in ${displaySymbolic(region)}` : '';
  const perGb = data
    ? `$${data.perGb} per GB processed${where} (${money(data.perGb * 1024)} for each TB; AWS PrivateLink pricing, read ${data.read})`
    : `a charge per GB processed${where} (rate not in the bundled pricing data; see https://aws.amazon.com/privatelink/pricing/)`;
  const zones = `${azs}${azsIncomplete ? ' or more' : ''} AZ${azs === 1 && !azsIncomplete ? '' : 's'}`;
  const hourly = hour
    ? `$${hour.perAzHour} per AZ-hour for ${zones} (${money(hour.perAzHour * azs * HOURS_A_MONTH)}${azsIncomplete ? ' or more' : ''} a month)`
    : `an hourly charge for each of its ${zones}`;
  return `${perGb} and ${hourly}`;
}

const concreteRegion = (graph: GraphView, e: VpcEndpointNode): string | undefined => {
  const r = e.service?.region;
  return r && !isSymbolicRegion(r) ? r : undefined;
};

export default defineRule({
  id: 'VPCE210',
  name: 'gateway-service-via-interface-endpoint',
  level: 'note',
  category: 'cost',
  summary:
    'In-VPC S3 or DynamoDB requests resolve to an interface endpoint (private DNS for all resolvers) and pay its per-GB and per-AZ-hour charges, where a gateway endpoint carries them at no charge.',
  description:
    'S3 and DynamoDB offer gateway endpoints, which carry in-VPC traffic at no charge, and interface endpoints, which charge per GB processed and per Availability Zone per hour. An interface endpoint whose private DNS answers all resolvers (not only inbound resolver endpoints) makes the service’s names resolve to it inside the VPC, so every in-VPC request pays its data processing charge. Private DNS only for inbound resolver endpoints keeps in-VPC requests on the gateway endpoint and the interface endpoint for on-premises and other-region clients.',
  precision: 'high',
  tags: ['cost', 'networking', 's3', 'dynamodb', 'vpc-endpoint', 'dns'],
  messages: {
    viaInterface:
      'In-VPC {{label}} requests in {{vpc}} resolve to interface endpoint {{endpoint}}, whose private DNS answers all resolvers. They pay {{cost}}, while {{gateway}}.',
  },
  check(graph, ctx) {
    for (const vpc of graph.all('vpc')) {
      for (const service of SERVICES) {
        const answer = serviceNameAnswer(graph, vpc, service);
        const label = SERVICE_LABEL[service];
        const article = service === 's3' ? 'an' : 'a';
        if (answer.kind === 'unknown') {
          ctx.undecided({
            at: answer.endpoint ?? vpc,
            reason: `whether in-VPC ${label} requests in ${vpc.id} resolve to an interface endpoint is not known: ${answer.reason}`,
          });
          continue;
        }
        if (answer.kind !== 'interface-endpoint') continue;
        const e = answer.endpoint;
        const gateways = graph.all('vpc-endpoint').filter((g) => g.vpc === vpc.id && g.type === 'Gateway' && g.service?.service === service);
        const terraform = graph.syntax === 'terraform';
        const option = terraform ? 'private_dns_only_for_inbound_resolver_endpoint' : 'PrivateDnsOnlyForInboundResolverEndpoint';
        const gateway = gateways.length
          ? `the VPC's ${label} gateway endpoint ${gateways[0]!.id} would carry them at no charge`
          : `${article} ${label} gateway endpoint would carry them at no charge`;
        const optionAt = terraform ? 'dns_options[0]' : 'DnsOptions';
        ctx.report({
          messageId: 'viaInterface',
          data: {
            label,
            vpc: vpc.id,
            endpoint: e.id,
            cost: interfaceEndpointCost(concreteRegion(graph, e), e.subnets.length + e.externalSubnets.length, e.subnetsIncomplete),
            gateway,
          },
          at: e.attributeRefs[optionAt] ? { node: e, attribute: optionAt } : e,
          related: gateways.map((g) => ({ at: g, message: `${label} gateway endpoint ${g.id}` })),
          identity: [vpc.id],
          fix: {
            description: gateways.length
              ? `Set ${option} to ${terraform ? 'true' : 'OnlyInboundResolver'} on ${e.id}: in-VPC requests then use gateway endpoint ${gateways[0]!.id} at no charge, and the interface endpoint still serves on-premises and peered clients.`
              : `Add ${article} ${label} gateway endpoint to ${vpc.id} associated with the route tables of its subnets, and set ${option} to ${terraform ? 'true' : 'OnlyInboundResolver'} on ${e.id}; or remove the interface endpoint if nothing outside the VPC uses it.`,
            snippet: terraform
              ? `dns_options {\n  private_dns_only_for_inbound_resolver_endpoint = true\n}`
              : graph.syntax === 'cdk'
                ? 'privateDnsOnlyForInboundResolverEndpoint: ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ONLY_INBOUND_RESOLVER'
                : 'DnsOptions:\n  PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver',
          },
        });
      }
    }
  },
});
