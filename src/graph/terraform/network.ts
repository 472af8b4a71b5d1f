import { isUnknown, unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { GatewayNode, Maybe, NodeId } from '../model.js';
import { addVpc, natConnectivity } from '../nodes/network.js';
import { base, type InstanceIndex, maybeBool, maybeString } from './refs.js';

/** The VPC a value names: a VPC's own id, or the VPC of the resource it references (`aws_subnet.a.vpc_id`). */
export function vpcOf(index: InstanceIndex, v: Value | undefined): NodeId | undefined {
  const t = index.target(v);
  if (!t) return undefined;
  if (t.instance.type === 'aws_vpc' || t.instance.type === 'aws_default_vpc') return t.instance.address;
  const vpcAttr = t.instance.values['vpc_id'];
  return vpcAttr !== undefined ? vpcOf(index, vpcAttr) : undefined;
}

/**
 * VPCs (`aws_vpc`, `aws_default_vpc`, secondary CIDRs of `aws_vpc_ipv4_cidr_block_association` and
 * `aws_vpc_ipv6_cidr_block_association`) and their subnets.
 */
export function addVpcs(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType('aws_vpc', 'aws_default_vpc')) {
    const cidr =
      i.type === 'aws_default_vpc'
        ? unknown('the default VPC CIDR is read from AWS')
        : (maybeString(i.values['cidr_block']) ?? unknown('the CIDR comes from IPAM'));
    addVpc(graph, {
      ...base(i),
      region: typeof i.region === 'string' || isUnknown(i.region) ? i.region : unknown('region is not a string'),
      cidrs: [cidr],
      ipv6Cidrs: i.values['ipv6_cidr_block']
        ? [maybeString(i.values['ipv6_cidr_block'])!]
        : i.values['assign_generated_ipv6_cidr_block'] === true
          ? [unknown('Amazon-provided IPv6 CIDR')]
          : [],
      enableDnsSupport: maybeBool(i.values['enable_dns_support'], true),
      enableDnsHostnames: maybeBool(i.values['enable_dns_hostnames'], i.type === 'aws_default_vpc'),
    });
  }
  for (const i of index.ofType('aws_vpc_ipv4_cidr_block_association')) {
    const vpc = graph.getKind(vpcOf(index, i.values['vpc_id']), 'vpc');
    if (vpc) (vpc.cidrs as Array<Maybe<string>>).push(maybeString(i.values['cidr_block']) ?? unknown('the CIDR comes from IPAM'));
  }
  for (const i of index.ofType('aws_vpc_ipv6_cidr_block_association')) {
    const vpc = graph.getKind(vpcOf(index, i.values['vpc_id']), 'vpc');
    if (vpc) (vpc.ipv6Cidrs as Array<Maybe<string>>).push(maybeString(i.values['ipv6_cidr_block']) ?? unknown('the IPv6 CIDR comes from IPAM or from Amazon'));
  }
  for (const i of index.ofType('aws_subnet', 'aws_default_subnet')) {
    graph.add({
      kind: 'subnet',
      ...base(i),
      vpc: vpcOf(index, i.values['vpc_id']),
      cidr: maybeString(i.values['cidr_block']),
      ipv6Cidr: maybeString(i.values['ipv6_cidr_block']),
      az:
        maybeString(i.values['availability_zone']) ??
        (i.values['availability_zone_id'] ? maybeString(i.values['availability_zone_id']) : unknown('AWS picks the availability zone')),
    });
  }
}

const GATEWAY_KINDS: Record<string, GatewayNode['kind']> = {
  aws_internet_gateway: 'internet-gateway',
  aws_egress_only_internet_gateway: 'egress-only-internet-gateway',
  aws_vpn_gateway: 'vpn-gateway',
  aws_ec2_transit_gateway: 'transit-gateway',
};

/** Internet, egress-only, VPN and transit gateways, and NAT gateways. */
export function addGateways(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType(...Object.keys(GATEWAY_KINDS))) {
    graph.add({ kind: GATEWAY_KINDS[i.type]!, ...base(i), vpc: vpcOf(index, i.values['vpc_id']) });
  }
  for (const i of index.ofType('aws_nat_gateway')) {
    graph.add({
      kind: 'nat-gateway',
      ...base(i),
      subnet: index.target(i.values['subnet_id'])?.instance.address,
      connectivity: natConnectivity(maybeString(i.values['connectivity_type'])),
    });
  }
}
