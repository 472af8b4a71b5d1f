import { unknown, type Value } from '../../../source/value.js';
import type { InputStatus } from './common.js';

/**
 * Inputs of `terraform-aws-modules/vpc/aws`: the defaults the model uses per major, and how it treats each input.
 * Defaults are those of v6.6.0 variables.tf; a major's differences come from docs/UPGRADE-4.0.md (5.0 changed none).
 */

export const SUBNET_TYPES = ['public', 'private', 'database', 'redshift', 'elasticache', 'intra', 'outpost'] as const;
export type SubnetType = (typeof SUBNET_TYPES)[number];

const ALLOW_ALL_ACL: Value = [{ rule_number: 100, rule_action: 'allow', from_port: 0, to_port: 0, protocol: '-1', cidr_block: '0.0.0.0/0' }];
const DEFAULT_NACL_RULES: Value = [
  { rule_no: 100, action: 'allow', from_port: 0, to_port: 0, protocol: '-1', cidr_block: '0.0.0.0/0' },
  { rule_no: 101, action: 'allow', from_port: 0, to_port: 0, protocol: '-1', ipv6_cidr_block: '::/0' },
];

/** Defaults of v6.6.0 variables.tf for the inputs the model reads. */
const V6_DEFAULTS: Record<string, Value> = {
  create_vpc: true,
  putin_khuylo: true,
  region: null,
  cidr: '10.0.0.0/16',
  secondary_cidr_blocks: [],
  azs: [],
  enable_dns_hostnames: true,
  enable_dns_support: true,
  use_ipam_pool: false,
  ipv4_ipam_pool_id: null,
  ipv4_netmask_length: null,
  enable_ipv6: false,
  ipv6_cidr: null,
  map_public_ip_on_launch: false,
  create_multiple_public_route_tables: false,
  create_multiple_intra_route_tables: false,
  create_private_nat_gateway_route: true,
  create_database_subnet_route_table: false,
  create_database_internet_gateway_route: false,
  create_database_nat_gateway_route: false,
  enable_public_redshift: false,
  create_redshift_subnet_route_table: false,
  create_elasticache_subnet_route_table: false,
  outpost_az: null,
  create_igw: true,
  create_egress_only_igw: true,
  enable_nat_gateway: false,
  nat_gateway_destination_cidr_block: '0.0.0.0/0',
  single_nat_gateway: false,
  one_nat_gateway_per_az: false,
  reuse_nat_ips: false,
  external_nat_ip_ids: [],
  enable_vpn_gateway: false,
  vpn_gateway_id: '',
  amazon_side_asn: '64512',
  vpn_gateway_az: null,
  propagate_intra_route_tables_vgw: false,
  propagate_private_route_tables_vgw: false,
  propagate_public_route_tables_vgw: false,
  manage_default_vpc: false,
  default_vpc_enable_dns_support: true,
  default_vpc_enable_dns_hostnames: true,
  manage_default_security_group: true,
  default_security_group_ingress: [],
  default_security_group_egress: [],
  manage_default_network_acl: true,
  default_network_acl_ingress: DEFAULT_NACL_RULES,
  default_network_acl_egress: DEFAULT_NACL_RULES,
  manage_default_route_table: true,
  default_route_table_propagating_vgws: [],
  default_route_table_routes: [],
  private_subnet_enable_dns64: true,
  enable_dhcp_options: false,
  dhcp_options_domain_name_servers: ['AmazonProvidedDNS'],
};
for (const t of SUBNET_TYPES) {
  V6_DEFAULTS[`${t}_subnets`] = [];
  V6_DEFAULTS[`${t}_subnet_ipv6_prefixes`] = [];
  V6_DEFAULTS[`${t}_subnet_ipv6_native`] = false;
  V6_DEFAULTS[`${t}_dedicated_network_acl`] = false;
  V6_DEFAULTS[`${t}_inbound_acl_rules`] = ALLOW_ALL_ACL;
  V6_DEFAULTS[`${t}_outbound_acl_rules`] = ALLOW_ALL_ACL;
}

/** Where a major's defaults differ from v6.6.0 (undefined: not read for that major, so Unknown). */
const DEFAULT_OVERRIDES: Record<number, Record<string, Value | undefined>> = {
  // UPGRADE-4.0.md: "map_public_ip_on_launch now defaults to false", "enable_dns_hostnames now defaults to true",
  // "manage_default_security_group / manage_default_route_table / manage_default_network_acl now default to true".
  3: {
    map_public_ip_on_launch: true,
    enable_dns_hostnames: false,
    manage_default_security_group: false,
    manage_default_route_table: false,
    manage_default_network_acl: false,
    cidr: undefined,
    default_vpc_enable_dns_hostnames: undefined,
  },
  4: { cidr: undefined },
  5: { cidr: undefined },
  6: {},
};

export function defaultOf(name: string, major: number): Value {
  const o = DEFAULT_OVERRIDES[major] ?? {};
  if (name in o) {
    const v = o[name];
    return v === undefined ? unknown(`the default of ${name} in ${major}.x was not read; set it on the call`) : v;
  }
  return name in V6_DEFAULTS ? V6_DEFAULTS[name]! : unknown(`${name} has no default in the model`);
}

// ----- inputs -----

const HANDLED = new Set<string>([...Object.keys(V6_DEFAULTS), ...SUBNET_TYPES.map((t) => `${t}_subnets`)]);

/** Variables of v6.6.0 that change nothing the analysis looks at. */
const NO_EFFECT = new Set<string>([
  'name',
  'tags',
  'instance_tenancy',
  'enable_network_address_usage_metrics',
  'ipv6_ipam_pool_id',
  'ipv6_netmask_length',
  'ipv6_cidr_block_network_border_group',
  'vpc_tags',
  'dhcp_options_domain_name',
  'dhcp_options_ntp_servers',
  'dhcp_options_netbios_name_servers',
  'dhcp_options_netbios_node_type',
  'dhcp_options_ipv6_address_preferred_lease_time',
  'dhcp_options_tags',
  'create_database_subnet_group',
  'database_subnet_group_name',
  'database_subnet_group_tags',
  'create_redshift_subnet_group',
  'redshift_subnet_group_name',
  'redshift_subnet_group_tags',
  'create_elasticache_subnet_group',
  'elasticache_subnet_group_name',
  'elasticache_subnet_group_tags',
  'customer_owned_ipv4_pool',
  'map_customer_owned_ip_on_launch',
  'outpost_arn',
  'igw_tags',
  'external_nat_ips',
  'nat_gateway_tags',
  'nat_eip_tags',
  'customer_gateways',
  'customer_gateway_tags',
  'vpn_gateway_tags',
  'default_vpc_name',
  'default_vpc_tags',
  'default_security_group_name',
  'default_security_group_tags',
  'default_network_acl_name',
  'default_network_acl_tags',
  'default_route_table_name',
  'default_route_table_tags',
  'enable_flow_log',
  'vpc_flow_log_iam_role_name',
  'vpc_flow_log_iam_role_path',
  'vpc_flow_log_iam_role_use_name_prefix',
  'vpc_flow_log_permissions_boundary',
  'vpc_flow_log_iam_policy_name',
  'vpc_flow_log_iam_policy_use_name_prefix',
  'flow_log_max_aggregation_interval',
  'flow_log_traffic_type',
  'flow_log_destination_type',
  'flow_log_log_format',
  'flow_log_destination_arn',
  'flow_log_deliver_cross_account_role',
  'flow_log_file_format',
  'flow_log_hive_compatible_partitions',
  'flow_log_per_hour_partition',
  'vpc_flow_log_tags',
  'create_flow_log_cloudwatch_log_group',
  'create_flow_log_cloudwatch_iam_role',
  'flow_log_cloudwatch_iam_role_conditions',
  'flow_log_cloudwatch_iam_role_arn',
  'flow_log_cloudwatch_log_group_name_prefix',
  'flow_log_cloudwatch_log_group_name_suffix',
  'flow_log_cloudwatch_log_group_retention_in_days',
  'flow_log_cloudwatch_log_group_kms_key_id',
  'flow_log_cloudwatch_log_group_skip_destroy',
  'flow_log_cloudwatch_log_group_class',
  ...SUBNET_TYPES.flatMap((t) => [
    `${t}_subnet_assign_ipv6_address_on_creation`,
    `${t}_subnet_enable_resource_name_dns_aaaa_record_on_launch`,
    `${t}_subnet_enable_resource_name_dns_a_record_on_launch`,
    `${t}_subnet_private_dns_hostname_type_on_launch`,
    `${t}_subnet_names`,
    `${t}_subnet_suffix`,
    `${t}_subnet_tags`,
    `${t}_route_table_tags`,
    `${t}_acl_tags`,
    `${t}_subnet_tags_per_az`,
  ]),
  ...SUBNET_TYPES.filter((t) => t !== 'private').map((t) => `${t}_subnet_enable_dns64`),
]);

/** Variables of v6.6.0 the model does not reproduce. */
const IGNORED = new Set<string>(['vpc_block_public_access_options', 'vpc_block_public_access_exclusions']);

/** Variables of 3.x that 4.0 removed (UPGRADE-4.0.md). */
const V3_ONLY = new Set<string>(['assign_ipv6_address_on_creation', 'enable_classiclink', 'enable_classiclink_dns_support']);

/** v6.6.0 variables that 3.x does not have: those UPGRADE-4.0.md lists as added, and what the 3.x main.tf lacks. */
function missingIn3(name: string): boolean {
  if (['region', 'create_multiple_public_route_tables', 'create_multiple_intra_route_tables', 'create_private_nat_gateway_route'].includes(name)) return true;
  if (
    [
      'ipv6_cidr_block_network_border_group',
      'enable_network_address_usage_metrics',
      'vpc_block_public_access_options',
      'vpc_block_public_access_exclusions',
    ].includes(name)
  )
    return true;
  return /^[a-z]+_subnet_(enable_dns64|enable_resource_name_dns_aaaa?_record_on_launch|ipv6_native|private_dns_hostname_type_on_launch)$/.test(name);
}

export function inputStatus(name: string, major: number): InputStatus {
  if (V3_ONLY.has(name)) return major === 3 ? 'no-effect' : 'not-an-input';
  if (name === 'region' && major < 6) return 'not-an-input';
  if (major === 3 && missingIn3(name)) return 'not-an-input';
  if (HANDLED.has(name)) return 'handled';
  if (NO_EFFECT.has(name)) return 'no-effect';
  if (IGNORED.has(name)) return 'ignored';
  return 'not-an-input';
}
