import { isObject, unknown } from '../../source/value.js';
import type { Maybe, NodeId } from '../model.js';
import { addVpc, natConnectivity } from '../nodes/network.js';
import { conditionOf, maybeBool, maybeString, type CfnContext } from './context.js';

/** VPCs (`AWS::EC2::VPC`, secondary CIDRs of `AWS::EC2::VPCCidrBlock`) and their subnets. */
export function addVpcs(ctx: CfnContext): void {
  const { graph } = ctx;
  for (const r of ctx.ofType('AWS::EC2::VPC')) {
    const p = r.properties;
    const cidr = maybeString(p['CidrBlock']) ?? unknown('the CIDR comes from IPAM');
    addVpc(graph, {
      ...ctx.base(r),
      region: ctx.region,
      cidrs: [cidr],
      ipv6Cidrs: [],
      enableDnsSupport: maybeBool(p['EnableDnsSupport'], true),
      enableDnsHostnames: maybeBool(p['EnableDnsHostnames'], false),
    });
  }
  for (const r of ctx.ofType('AWS::EC2::VPCCidrBlock')) {
    const p = r.properties;
    const vpc = graph.getKind(ctx.vpcOf(p['VpcId']), 'vpc');
    if (!vpc) continue;
    if (p['CidrBlock'] !== undefined || p['Ipv4IpamPoolId'] !== undefined)
      (vpc.cidrs as Array<Maybe<string>>).push(maybeString(p['CidrBlock']) ?? unknown('the CIDR comes from IPAM'));
    if (p['AmazonProvidedIpv6CidrBlock'] === true || p['AmazonProvidedIpv6CidrBlock'] === 'true')
      (vpc.ipv6Cidrs as Array<Maybe<string>>).push(unknown('Amazon-provided IPv6 CIDR'));
    else if (p['Ipv6CidrBlock'] !== undefined || p['Ipv6IpamPoolId'] !== undefined)
      (vpc.ipv6Cidrs as Array<Maybe<string>>).push(maybeString(p['Ipv6CidrBlock']) ?? unknown('the IPv6 CIDR comes from IPAM'));
  }
  for (const r of ctx.ofType('AWS::EC2::Subnet')) {
    const p = r.properties;
    graph.add({
      kind: 'subnet',
      ...ctx.base(r),
      vpc: ctx.vpcOf(p['VpcId']),
      cidr: maybeString(p['CidrBlock']),
      ipv6Cidr: maybeString(p['Ipv6CidrBlock']),
      az: maybeString(p['AvailabilityZone']) ?? maybeString(p['AvailabilityZoneId']) ?? unknown('AWS picks the availability zone'),
      ...(r.exists !== true ? { mayNotExist: conditionOf(r) } : {}),
    });
  }
}

/** Internet, VPN, egress-only and transit gateways, and NAT gateways. An internet or VPN gateway belongs to the VPC its attachment names. */
export function addGateways(ctx: CfnContext): void {
  const { graph } = ctx;
  const attachedVpc = new Map<string, NodeId | undefined>();
  for (const r of ctx.ofType('AWS::EC2::VPCGatewayAttachment')) {
    const p = r.properties;
    const gw = ctx.target(p['InternetGatewayId']) ?? ctx.target(p['VpnGatewayId']);
    if (gw) attachedVpc.set(gw.logicalId, ctx.vpcOf(p['VpcId']));
  }
  for (const r of ctx.ofType('AWS::EC2::InternetGateway')) graph.add({ kind: 'internet-gateway', ...ctx.base(r), vpc: attachedVpc.get(r.logicalId) });
  for (const r of ctx.ofType('AWS::EC2::VPNGateway')) graph.add({ kind: 'vpn-gateway', ...ctx.base(r), vpc: attachedVpc.get(r.logicalId) });
  for (const r of ctx.ofType('AWS::EC2::EgressOnlyInternetGateway'))
    graph.add({ kind: 'egress-only-internet-gateway', ...ctx.base(r), vpc: ctx.vpcOf(r.properties['VpcId']) });
  for (const r of ctx.ofType('AWS::EC2::TransitGateway')) graph.add({ kind: 'transit-gateway', ...ctx.base(r), vpc: undefined });
  for (const r of ctx.ofType('AWS::EC2::NatGateway')) {
    const p = r.properties;
    graph.add({
      kind: 'nat-gateway',
      ...ctx.base(r),
      subnet: ctx.target(p['SubnetId'])?.logicalId,
      connectivity: natConnectivity(maybeString(p['ConnectivityType'])),
    });
  }
}

/** Customer-managed prefix lists (`AWS::EC2::PrefixList`) and their entries. */
export function addPrefixLists(ctx: CfnContext): void {
  for (const r of ctx.ofType('AWS::EC2::PrefixList')) {
    const entries = r.properties['Entries'];
    const cidrs: Array<Maybe<string>> = Array.isArray(entries)
      ? entries.map((e) => (isObject(e) ? (maybeString(e['Cidr']) ?? unknown('entry without Cidr')) : unknown('entry is not known')))
      : [unknown('entries are not known')];
    ctx.graph.add({ kind: 'prefix-list', ...ctx.base(r), cidrs, name: maybeString(r.properties['PrefixListName']) });
  }
}
