import { isUnknown, unknown, type Value } from '../../../source/value.js';
import { and, coalesceList, count, element, gt, len, not, pick, type Maybe, type ModelContext, type ModelResult, type ModuleModel } from './common.js';
import { TERRAFORM_AWS_VPC_RELEASES } from './releases.js';
import { VpcCall } from './vpc-call.js';
import { buildDefaults } from './vpc-defaults.js';
import { inputStatus, SUBNET_TYPES, type SubnetType } from './vpc-inputs.js';
import {
  buildAssociations,
  buildNatGateways,
  buildRouteTables,
  buildRoutes,
  buildVpnGateway,
  type Gateways,
  type RouteTables,
  type VpnGateway,
} from './vpc-routing.js';
import { buildNetworkAcls, buildSubnets, type SubnetIds } from './vpc-subnets.js';

/**
 * Model of `terraform-aws-modules/vpc/aws`, majors 3 to 6, written from the module's own source:
 * - 6.x: main.tf, variables.tf and outputs.tf of v6.6.0 (commit 82d1929e, the corpus case `tfvpc-separate-route-tables`).
 * - 4.x and 5.x: the v6 layout, which v4.0 introduced (main.tf grouped by subnet type, `local.len_*` counting IPv6
 *   prefixes, `max_subnet_length` including public subnets, private route tables only with private subnets); v6.0
 *   added the `region` argument. Defaults per docs/UPGRADE-4.0.md and UPGRADE-5.0.md (5.0 changed none).
 * - 3.x: main.tf of a 3.14+ release (`enable_classiclink = null`, `putin_khuylo`): one public and one intra route table,
 *   `max_subnet_length` without public subnets, private route tables whenever any private-like subnet exists, no DNS64
 *   routes, the private NAT route unconditional. Defaults differ as UPGRADE-4.0.md lists them.
 * Where a default was not read for a major it is Unknown, never assumed.
 */
function build(ctx: ModelContext): ModelResult {
  // The order of these steps is the order of the instances in the result and of each input's first evaluation (which
  // may report diagnostics): changing it changes the output.
  const call = new VpcCall(ctx);
  const vpc = buildVpc(call);
  buildDhcpOptions(call, vpc.vpcId);
  const subnetIds = buildSubnets(call, vpc.vpcId);
  const gateways = buildInternetGateways(call, vpc.vpcId);
  const tables = buildRouteTables(call, vpc.vpcId);
  const natIds = buildNatGateways(call, subnetIds);
  const publicRedshift = buildAssociations(call, subnetIds, tables);
  buildRoutes(call, tables, gateways, natIds);
  const vpn = buildVpnGateway(call, vpc.vpcId, tables);
  buildNetworkAcls(call, vpc.vpcId, subnetIds);
  buildDefaults(call, vpc.vpcRef);
  const outputs = vpcOutputs(call, vpc.secondary, natIds, vpn);
  tierOutputs(call, outputs, subnetIds, tables, publicRedshift);
  const { sink } = call;
  return { instances: sink.instances, outputs, unknownExpansions: sink.unknownExpansions, diagnostics: sink.diagnostics };
}

interface BuiltVpc {
  vpcRef: string;
  /** `local.vpc_id`, which the other resources use. */
  vpcId: Value;
  secondary: Maybe<Value[]>;
}

/** The VPC and its secondary IPv4 blocks. */
function buildVpc(call: VpcCall): BuiltVpc {
  const { sink, createVpc } = call;
  const useIpam = call.bool('use_ipam_pool');
  sink.count('aws_vpc', 'this', count(createVpc, 1), () => ({
    values: {
      cidr_block: pick(useIpam, null, call.raw('cidr')),
      ipv4_ipam_pool_id: call.raw('ipv4_ipam_pool_id'),
      ipv4_netmask_length: call.raw('ipv4_netmask_length'),
      assign_generated_ipv6_cidr_block: pick(and(call.enableIpv6, not(useIpam)), true, null),
      ipv6_cidr_block: call.raw('ipv6_cidr'),
      enable_dns_hostnames: call.bool('enable_dns_hostnames'),
      enable_dns_support: call.bool('enable_dns_support'),
    },
    drivers: {
      cidr_block: 'cidr',
      enable_dns_hostnames: 'enable_dns_hostnames',
      enable_dns_support: 'enable_dns_support',
      assign_generated_ipv6_cidr_block: 'enable_ipv6',
    },
  }));
  const vpcRef = sink.ref('aws_vpc', 'this', 0);
  // local.vpc_id = try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this[0].id, ""): both are the VPC.
  const vpcId: Value = createVpc === false ? '' : vpcRef;

  const secondary = call.list('secondary_cidr_blocks');
  sink.count('aws_vpc_ipv4_cidr_block_association', 'this', count(and(createVpc, gt(len(secondary), 0)), len(secondary)), (i) => ({
    values: { vpc_id: vpcRef, cidr_block: element(secondary, i, 'secondary_cidr_blocks') },
    drivers: { cidr_block: 'secondary_cidr_blocks' },
  }));
  return { vpcRef, vpcId, secondary };
}

/** main.tf's DHCP options set and its association with the VPC (`enable_dhcp_options`); the model reads its name servers. */
function buildDhcpOptions(call: VpcCall, vpcId: Value): void {
  const { sink, createVpc } = call;
  const enabled = and(createVpc, call.bool('enable_dhcp_options'));
  sink.count('aws_vpc_dhcp_options', 'this', count(enabled, 1), () => ({
    values: { domain_name_servers: call.raw('dhcp_options_domain_name_servers') },
    drivers: { domain_name_servers: 'dhcp_options_domain_name_servers' },
  }));
  sink.count('aws_vpc_dhcp_options_association', 'this', count(enabled, 1), () => ({
    values: { vpc_id: vpcId, dhcp_options_id: sink.ref('aws_vpc_dhcp_options', 'this', 0) },
    drivers: { dhcp_options_id: 'enable_dhcp_options' },
  }));
}

/** The internet gateway (with public subnets) and the egress-only gateway (with IPv6 and any subnets). */
function buildInternetGateways(call: VpcCall, vpcId: Value): Gateways {
  const { sink, createVpc, create } = call;
  sink.count('aws_internet_gateway', 'this', count(and(create.public, call.createIgw), 1), () => ({
    values: { vpc_id: vpcId },
    drivers: { vpc_id: 'public_subnets' },
  }));
  sink.count('aws_egress_only_internet_gateway', 'this', count(and(createVpc, call.createEigw, call.enableIpv6, gt(call.maxSubnetLength, 0)), 1), () => ({
    values: { vpc_id: vpcId },
    drivers: { vpc_id: 'enable_ipv6' },
  }));
  return { igwRef: sink.ref('aws_internet_gateway', 'this', 0), eigwIds: sink.refs('aws_egress_only_internet_gateway', 'this') };
}

/** The first instance's attribute (`try(aws_x.this[0].id, null)`); without one, null from 4.0 and "" before it. */
function firstOf(call: VpcCall, type: string, name: string, attr = 'id'): Value {
  const ids = call.sink.refs(type, name, attr);
  if (isUnknown(ids)) return ids;
  return ids.length > 0 ? ids[0]! : call.v4 ? null : '';
}

/** outputs.tf: the VPC, its gateways and the default VPC. */
function vpcOutputs(call: VpcCall, secondary: Maybe<Value[]>, natIds: Maybe<Value[]>, vpn: VpnGateway): Record<string, Value> {
  const { sink, v4, createVpc } = call;
  const one = (type: string, name: string, attr = 'id') => firstOf(call, type, name, attr);
  const vpcInstance = sink.instances.find((i) => i.type === 'aws_vpc');
  const vpcAttr = (attr: string): Value => (vpcInstance ? (vpcInstance.values[attr] ?? null) : isUnknown(createVpc) ? createVpc : v4 ? null : '');
  return {
    vpc_id: one('aws_vpc', 'this'),
    vpc_arn: one('aws_vpc', 'this', 'arn'),
    vpc_cidr_block: vpcAttr('cidr_block'),
    default_security_group_id: one('aws_vpc', 'this', 'default_security_group_id'),
    default_network_acl_id: one('aws_vpc', 'this', 'default_network_acl_id'),
    default_route_table_id: one('aws_vpc', 'this', 'default_route_table_id'),
    vpc_main_route_table_id: one('aws_vpc', 'this', 'main_route_table_id'),
    vpc_enable_dns_support: vpcAttr('enable_dns_support'),
    vpc_enable_dns_hostnames: vpcAttr('enable_dns_hostnames'),
    vpc_secondary_cidr_blocks: isUnknown(secondary)
      ? secondary
      : sink.instances.filter((i) => i.type === 'aws_vpc_ipv4_cidr_block_association').map((i) => i.values['cidr_block'] ?? null),
    igw_id: one('aws_internet_gateway', 'this'),
    igw_arn: one('aws_internet_gateway', 'this', 'arn'),
    egress_only_internet_gateway_id: one('aws_egress_only_internet_gateway', 'this'),
    natgw_ids: natIds,
    nat_ids: sink.refs('aws_eip', 'nat'),
    nat_public_ips: unknown('NAT gateway public IPs are known only after apply'),
    vgw_id: (() => {
      const own = one('aws_vpn_gateway', 'this');
      return own !== null && own !== '' ? own : vpn.hasVpnId === true ? vpn.vpnId : own;
    })(),
    default_vpc_id: one('aws_default_vpc', 'this'),
    default_vpc_arn: one('aws_default_vpc', 'this', 'arn'),
    default_vpc_default_route_table_id: one('aws_default_vpc', 'this', 'default_route_table_id'),
    default_vpc_main_route_table_id: one('aws_default_vpc', 'this', 'main_route_table_id'),
    default_vpc_default_security_group_id: one('aws_default_vpc', 'this', 'default_security_group_id'),
    default_vpc_default_network_acl_id: one('aws_default_vpc', 'this', 'default_network_acl_id'),
    azs: call.azs,
    name: call.ctx.input('name') ?? '',
    private_nat_gateway_route_ids: sink.refs('aws_route', 'private_nat_gateway'),
    database_nat_gateway_route_ids: sink.refs('aws_route', 'database_nat_gateway'),
    database_internet_gateway_route_id: one('aws_route', 'database_internet_gateway'),
    public_internet_gateway_route_id: one('aws_route', 'public_internet_gateway'),
  };
}

/** outputs.tf, per tier: subnets, their CIDRs, associations and ACLs, then route tables (shared ones included). */
function tierOutputs(call: VpcCall, outputs: Record<string, Value>, subnetIds: SubnetIds, tables: RouteTables, publicRedshift: Maybe<boolean>): void {
  const { sink } = call;
  const cidrs = (t: SubnetType): Value => {
    const list = sink.instances.filter((i) => i.type === 'aws_subnet' && i.name === t).map((i) => i.values['cidr_block'] ?? null);
    if (sink.unknownExpansions.includes(sink.address('aws_subnet', t))) return unknown(`the number of ${t} subnets is not known`);
    return list.filter((c) => c !== null && c !== '');
  };
  for (const t of SUBNET_TYPES) {
    outputs[`${t}_subnets`] = subnetIds[t];
    outputs[`${t}_subnet_arns`] = sink.refs('aws_subnet', t, 'arn');
    outputs[`${t}_subnets_cidr_blocks`] = cidrs(t);
    outputs[`${t}_route_table_association_ids`] = sink.refs('aws_route_table_association', t);
    outputs[`${t}_network_acl_id`] = firstOf(call, 'aws_network_acl', t);
  }
  const ids = tables.ids;
  outputs['public_route_table_ids'] = ids.public;
  outputs['private_route_table_ids'] = ids.private;
  outputs['intra_route_table_ids'] = ids.intra;
  outputs['database_route_table_ids'] =
    isUnknown(ids.database) || isUnknown(ids.private)
      ? unknown('the number of route tables is not known')
      : ids.database.length > 0
        ? ids.database
        : ids.private;
  outputs['redshift_route_table_ids'] = isUnknown(ids.redshift)
    ? ids.redshift
    : ids.redshift.length > 0
      ? ids.redshift
      : pick(publicRedshift, ids.public as Maybe<Value[]>, ids.private as Maybe<Value[]>);
  outputs['elasticache_route_table_ids'] = coalesceList(ids.elasticache, ids.private);
  outputs['redshift_public_route_table_association_ids'] = sink.refs('aws_route_table_association', 'redshift_public');
}

export const vpcModel: ModuleModel = {
  id: 'terraform-aws-modules/vpc/aws',
  releases: TERRAFORM_AWS_VPC_RELEASES,
  inputStatus,
  build,
};
