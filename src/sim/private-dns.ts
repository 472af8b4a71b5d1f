import { isGatewayService } from '../facts/aws-data.js';
import type { GraphView } from '../graph/graph.js';
import type { VpcEndpointNode, VpcNode } from '../graph/model.js';
import { isUnknown } from '../source/value.js';

/*
 * How names resolve inside a VPC, for the rules about interface endpoints' private DNS.
 * - Private DNS puts a private hosted zone for the service's public name (sqs.us-east-1.amazonaws.com) into the VPC;
 *   AWS requires the VPC attributes enableDnsSupport and enableDnsHostnames to be true for it
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html,
 *   https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html).
 * - Only the Amazon DNS server (Route 53 Resolver, AmazonProvidedDNS) answers from private hosted zones. A DHCP options
 *   set that gives instances other name servers leaves private DNS names unresolved unless those servers forward to
 *   the Resolver, which the configuration cannot show
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html).
 * - For services with both endpoint types (S3, DynamoDB), private DNS "only for inbound endpoints" keeps in-VPC names
 *   on the public addresses (and so on the gateway endpoint); AWS turns it on when it is not given
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html).
 */

/** The VPC attributes private DNS requires. */
export type DnsAttribute = 'enableDnsSupport' | 'enableDnsHostnames';

export const DNS_ATTRIBUTES: readonly DnsAttribute[] = ['enableDnsSupport', 'enableDnsHostnames'];

/** The VPC attributes private DNS needs that are off, and those whose value is not known (with why). */
export function privateDnsAttributes(vpc: VpcNode): { off: DnsAttribute[]; unknown: Array<{ attribute: DnsAttribute; reason: string }> } {
  const off: DnsAttribute[] = [];
  const unknown: Array<{ attribute: DnsAttribute; reason: string }> = [];
  for (const attribute of DNS_ATTRIBUTES) {
    const v = vpc[attribute];
    if (v === false) off.push(attribute);
    else if (isUnknown(v)) unknown.push({ attribute, reason: v.reason });
  }
  return { off, unknown };
}

/** Whether DNS in a VPC answers private names (private hosted zones): yes, no (and why), or not known (and why). */
export type PrivateNameResolution = { kind: 'resolves' } | { kind: 'does-not-resolve'; why: string } | { kind: 'unknown'; reason: string };

/** Addresses of the Amazon DNS server that hold in every VPC (the VPC+2 address depends on the CIDR). */
const AMAZON_DNS_ADDRESSES = new Set(['AmazonProvidedDNS', '169.254.169.253', 'fd00:ec2::253']);

/** The VPC's base address + 2 (its Amazon DNS server), when the primary CIDR is known. */
function vpcPlusTwo(vpc: VpcNode): string | undefined {
  const cidr = vpc.cidrs[0];
  if (typeof cidr !== 'string') return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(m[5]);
  const network = prefix === 0 ? 0 : Math.floor(base / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  const a = network + 2;
  return [24, 16, 8, 0].map((s) => Math.floor(a / 2 ** s) % 256).join('.');
}

const isAmazonDns = (vpc: VpcNode, server: string) => AMAZON_DNS_ADDRESSES.has(server) || server === vpcPlusTwo(vpc);

/**
 * Does DNS in this VPC resolve private names? Both DNS attributes must be true and instances must ask the Amazon DNS
 * server: the first name server of the VPC's DHCP options (resolvers ask the first and move on only when it does not
 * answer). Custom servers may forward to the Resolver; whether they do is not in the configuration, so it is Unknown.
 */
export function vpcResolvesPrivateNames(vpc: VpcNode): PrivateNameResolution {
  const attributes = privateDnsAttributes(vpc);
  if (attributes.off.length) return { kind: 'does-not-resolve', why: `${vpc.id} has ${attributes.off.join(' and ')} off` };
  const firstUnknown = attributes.unknown[0];
  if (firstUnknown) return { kind: 'unknown', reason: `${firstUnknown.attribute} of ${vpc.id} is not known (${firstUnknown.reason})` };
  const options = vpc.dhcpOptions;
  if (options === undefined) return { kind: 'resolves' };
  if (isUnknown(options)) return { kind: 'unknown', reason: `the DHCP options of ${vpc.id} are not known (${options.reason})` };
  const servers = options.domainNameServers;
  if (isUnknown(servers)) return { kind: 'unknown', reason: `the name servers of DHCP options ${options.address} are not known (${servers.reason})` };
  const first = servers[0];
  if (first === undefined)
    return {
      kind: 'unknown',
      reason: `DHCP options ${options.address} of ${vpc.id} give no name server, so how instances resolve names is not in the configuration`,
    };
  if (isUnknown(first)) return { kind: 'unknown', reason: `the first name server of DHCP options ${options.address} is not known (${first.reason})` };
  if (isAmazonDns(vpc, first)) return { kind: 'resolves' };
  const listed = servers.map((s) => (isUnknown(s) ? '(unknown)' : s)).join(', ');
  return {
    kind: 'unknown',
    reason: `DHCP options ${options.address} give ${vpc.id} the name servers ${listed}, whose first is not the Amazon DNS server; private DNS names resolve only if it forwards them to the Route 53 Resolver, which the configuration does not show`,
  };
}

/** Interface endpoints of the VPC that are, or may be, for the service (type or service name not known). */
function interfaceEndpointsFor(graph: GraphView, vpc: VpcNode, service: string): { certain: VpcEndpointNode[]; possible: VpcEndpointNode[] } {
  const certain: VpcEndpointNode[] = [];
  const possible: VpcEndpointNode[] = [];
  for (const e of graph.all('vpc-endpoint')) {
    if (e.vpc !== vpc.id || e.type === 'Gateway' || e.type === 'GatewayLoadBalancer') continue;
    const known = e.service !== undefined;
    if (known && e.service!.service !== service) continue;
    if (known && e.type === 'Interface') certain.push(e);
    else if (!known && !isUnknown(e.serviceName)) continue;
    else possible.push(e);
  }
  return { certain, possible };
}

/** Whether an interface endpoint puts the service's public name into the VPC's resolution: yes, no, or not known. */
export type PrivateDnsForVpc = { kind: 'answers' } | { kind: 'does-not-answer'; why: string } | { kind: 'unknown'; reason: string };

/**
 * Whether an interface endpoint's private DNS answers the service's public name for clients inside the VPC, on the
 * endpoint's own settings: private DNS on, and for S3 and DynamoDB not "only for inbound endpoints" (which AWS applies
 * when the option is not given). Whether the VPC's DNS uses the zone is `vpcResolvesPrivateNames`.
 */
export function endpointPrivateDnsForVpc(e: VpcEndpointNode): PrivateDnsForVpc {
  if (e.mayNotExist) return { kind: 'unknown', reason: e.mayNotExist };
  if (e.privateDns === false) return { kind: 'does-not-answer', why: `${e.id} has private DNS off` };
  if (isUnknown(e.privateDns)) return { kind: 'unknown', reason: `whether ${e.id} has private DNS is not known (${e.privateDns.reason})` };
  if (isUnknown(e.type)) return { kind: 'unknown', reason: `the type of ${e.id} is not known (${e.type.reason})` };
  if (!e.service || !isGatewayService(e.service.service)) return { kind: 'answers' };
  const inbound = e.privateDnsInboundOnly;
  if (inbound === false) return { kind: 'answers' };
  if (isUnknown(inbound))
    return { kind: 'unknown', reason: `whether private DNS of ${e.id} is only for inbound resolver endpoints is not known (${inbound.reason})` };
  return {
    kind: 'does-not-answer',
    why: `${e.id} has private DNS only for inbound resolver endpoints${inbound === undefined ? ' (what AWS applies when it is not set)' : ''}`,
  };
}

/** Which endpoint answers a service's public DNS name from inside the VPC. */
export type ServiceNameAnswer =
  /** In-VPC clients resolve the name to this interface endpoint's addresses. */
  | { kind: 'interface-endpoint'; endpoint: VpcEndpointNode }
  /** The name resolves to the service's public addresses: traffic follows the route tables (gateway endpoint, NAT, IGW). */
  | { kind: 'public' }
  | { kind: 'unknown'; reason: string; endpoint?: VpcEndpointNode };

/**
 * Which endpoint answers the service's public DNS name (its suffix: `sqs`, `s3`) from inside the VPC: an interface
 * endpoint whose private DNS answers in-VPC clients, when the VPC's DNS resolves private names and the endpoint has a
 * network interface; otherwise the public addresses. Anything Unknown that decides it makes the answer unknown.
 */
export function serviceNameAnswer(graph: GraphView, vpc: VpcNode, service: string): ServiceNameAnswer {
  const { certain, possible } = interfaceEndpointsFor(graph, vpc, service);
  let unknownAnswer: ServiceNameAnswer | undefined;
  let answering: VpcEndpointNode | undefined;
  for (const e of certain) {
    const own = endpointPrivateDnsForVpc(e);
    if (own.kind === 'unknown') unknownAnswer ??= { kind: 'unknown', reason: own.reason, endpoint: e };
    else if (own.kind === 'answers') answering ??= e;
  }
  for (const e of possible) {
    if (e.privateDns === false) continue;
    unknownAnswer ??= {
      kind: 'unknown',
      reason: `${e.id} may be an interface endpoint for ${service} with private DNS (its ${isUnknown(e.type) ? 'type' : 'service name'} is not known)`,
      endpoint: e,
    };
  }
  if (!answering) return unknownAnswer ?? { kind: 'public' };
  const noInterface = answering.subnets.length === 0 && answering.externalSubnets.length === 0;
  if (noInterface && !answering.subnetsIncomplete) return unknownAnswer ?? { kind: 'public' };
  const resolution = vpcResolvesPrivateNames(vpc);
  if (resolution.kind === 'does-not-resolve') return unknownAnswer ?? { kind: 'public' };
  if (resolution.kind === 'unknown') return { kind: 'unknown', reason: resolution.reason, endpoint: answering };
  if (noInterface)
    return { kind: 'unknown', reason: `the subnets of ${answering.id} are not known (with none it has no network interface)`, endpoint: answering };
  return { kind: 'interface-endpoint', endpoint: answering };
}
