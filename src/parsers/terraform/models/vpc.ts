import { isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import {
  and,
  coalesceList,
  count,
  element,
  gt,
  InstanceSink,
  len,
  lookup,
  max,
  not,
  or,
  pick,
  toBool,
  toList,
  type Maybe,
  type ModelContext,
  type ModelResult,
  type ModuleModel,
} from './common.js';
import { TERRAFORM_AWS_VPC_RELEASES } from './releases.js';
import { defaultOf, inputStatus, SUBNET_TYPES, type SubnetType } from './vpc-inputs.js';

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
  const major = ctx.major;
  const v4 = major >= 4;
  const raw = (name: string): Value => {
    const given = ctx.input(name);
    return given === undefined || given === null ? defaultOf(name, major) : given;
  };
  const bool = (name: string): Maybe<boolean> => toBool(ctx.input(name), defaultOf(name, major) as Maybe<boolean>, name);
  const list = (name: string): Maybe<Value[]> => toList(ctx.input(name), defaultOf(name, major) as Maybe<Value[]>, name);

  const regionInput = major >= 6 ? raw('region') : null;
  const region: Value = typeof regionInput === 'string' || isUnknown(regionInput) ? regionInput : ctx.region;
  const sink = new InstanceSink(ctx, region);

  const createVpc = and(bool('create_vpc'), bool('putin_khuylo'));
  const azs = list('azs');
  const subnets = Object.fromEntries(SUBNET_TYPES.map((t) => [t, list(`${t}_subnets`)])) as Record<SubnetType, Maybe<Value[]>>;
  const lengths = Object.fromEntries(
    SUBNET_TYPES.map((t) => [t, v4 ? max(len(subnets[t]), len(list(`${t}_subnet_ipv6_prefixes`))) : len(subnets[t])]),
  ) as Record<SubnetType, Maybe<number>>;
  const maxSubnetLength = v4
    ? max(lengths.private, lengths.public, lengths.elasticache, lengths.database, lengths.redshift)
    : max(lengths.private, lengths.elasticache, lengths.database, lengths.redshift);
  const create = Object.fromEntries(SUBNET_TYPES.map((t) => [t, and(createVpc, gt(lengths[t], 0))])) as Record<SubnetType, Maybe<boolean>>;

  const single = bool('single_nat_gateway');
  const perAz = bool('one_nat_gateway_per_az');
  const enableNat = bool('enable_nat_gateway');
  const enableIpv6 = bool('enable_ipv6');
  const createIgw = bool('create_igw');
  const createEigw = bool('create_egress_only_igw');
  const natGatewayCount: Maybe<number> = pick(single, 1, pick(perAz, len(azs), maxSubnetLength));
  const multiplePublic = v4 ? bool('create_multiple_public_route_tables') : false;
  const multipleIntra = v4 ? bool('create_multiple_intra_route_tables') : false;
  const numPublicRouteTables = pick(multiplePublic, lengths.public, 1);
  const numIntraRouteTables = pick(multipleIntra, lengths.intra, 1);

  // ----- VPC -----
  const useIpam = bool('use_ipam_pool');
  sink.count('aws_vpc', 'this', count(createVpc, 1), () => ({
    values: {
      cidr_block: pick(useIpam, null, raw('cidr')),
      ipv4_ipam_pool_id: raw('ipv4_ipam_pool_id'),
      ipv4_netmask_length: raw('ipv4_netmask_length'),
      assign_generated_ipv6_cidr_block: pick(and(enableIpv6, not(useIpam)), true, null),
      ipv6_cidr_block: raw('ipv6_cidr'),
      enable_dns_hostnames: bool('enable_dns_hostnames'),
      enable_dns_support: bool('enable_dns_support'),
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

  const secondary = list('secondary_cidr_blocks');
  sink.count('aws_vpc_ipv4_cidr_block_association', 'this', count(and(createVpc, gt(len(secondary), 0)), len(secondary)), (i) => ({
    values: { vpc_id: vpcRef, cidr_block: element(secondary, i, 'secondary_cidr_blocks') },
    drivers: { cidr_block: 'secondary_cidr_blocks' },
  }));

  // ----- subnets -----
  const azOf = (i: number): { availability_zone: Value; availability_zone_id: Value } => {
    const az = element(azs, i, 'azs');
    if (typeof az !== 'string') return { availability_zone: az, availability_zone_id: null };
    return /^[a-z]{2}-/.test(az) ? { availability_zone: az, availability_zone_id: null } : { availability_zone: null, availability_zone_id: az };
  };
  const ipv6Of = (t: SubnetType, i: number): Value => {
    if (enableIpv6 === false) return null;
    const prefixes = list(`${t}_subnet_ipv6_prefixes`);
    if (!isUnknown(prefixes) && prefixes.length === 0) return null;
    if (isUnknown(enableIpv6)) return enableIpv6;
    return unknown(`the IPv6 CIDR of ${sink.address('aws_subnet', t, i)} is carved from the VPC's IPv6 block`);
  };
  for (const t of SUBNET_TYPES) {
    let n: Maybe<number> = count(create[t], lengths[t]);
    if (t === 'public') {
      // Public subnets are not created when one NAT per AZ is asked for with fewer public subnets than AZs.
      const enough: Maybe<boolean> = isUnknown(lengths.public) ? lengths.public : isUnknown(azs) ? azs : lengths.public >= azs.length;
      n = count(and(create.public, or(not(perAz), enough)), lengths.public);
    }
    const native = v4 ? bool(`${t}_subnet_ipv6_native`) : false;
    sink.count('aws_subnet', t, n, (i) => ({
      values: {
        vpc_id: vpcId,
        cidr_block: pick(native, null, element(isUnknown(subnets[t]) ? subnets[t] : [...subnets[t], ''], i, `${t}_subnets`)),
        ...(t === 'outpost' ? { availability_zone: raw('outpost_az'), availability_zone_id: null } : azOf(i)),
        ipv6_cidr_block: ipv6Of(t, i),
        ...(t === 'public' ? { map_public_ip_on_launch: bool('map_public_ip_on_launch') } : {}),
      },
      drivers: { cidr_block: `${t}_subnets`, availability_zone: t === 'outpost' ? 'outpost_az' : 'azs', availability_zone_id: 'azs' },
    }));
  }
  const subnetIds = Object.fromEntries(SUBNET_TYPES.map((t) => [t, sink.refs('aws_subnet', t)])) as Record<SubnetType, Maybe<Value[]>>;

  // ----- gateways -----
  sink.count('aws_internet_gateway', 'this', count(and(create.public, createIgw), 1), () => ({
    values: { vpc_id: vpcId },
    drivers: { vpc_id: 'public_subnets' },
  }));
  sink.count('aws_egress_only_internet_gateway', 'this', count(and(createVpc, createEigw, enableIpv6, gt(maxSubnetLength, 0)), 1), () => ({
    values: { vpc_id: vpcId },
    drivers: { vpc_id: 'enable_ipv6' },
  }));
  const igwRef = sink.ref('aws_internet_gateway', 'this', 0);
  const eigwIds = sink.refs('aws_egress_only_internet_gateway', 'this');

  // ----- route tables -----
  const routeTable = (name: string, n: Maybe<number>, driver: string) =>
    sink.count('aws_route_table', name, n, () => ({ values: { vpc_id: vpcId }, drivers: { vpc_id: driver } }));
  routeTable('public', count(create.public, numPublicRouteTables), 'public_subnets');
  const privateTablesExist = v4 ? and(create.private, gt(maxSubnetLength, 0)) : and(createVpc, gt(maxSubnetLength, 0));
  routeTable('private', count(privateTablesExist, natGatewayCount), 'private_subnets');
  const createDatabaseRouteTable = and(create.database, bool('create_database_subnet_route_table'));
  const dbIgwRoute = bool('create_database_internet_gateway_route');
  const dbNatRoute = bool('create_database_nat_gateway_route');
  routeTable('database', count(createDatabaseRouteTable, pick(or(single, dbIgwRoute), 1, lengths.database)), 'create_database_subnet_route_table');
  const createRedshiftRouteTable = and(create.redshift, bool('create_redshift_subnet_route_table'));
  routeTable('redshift', count(createRedshiftRouteTable, 1), 'create_redshift_subnet_route_table');
  const createElasticacheRouteTable = and(create.elasticache, bool('create_elasticache_subnet_route_table'));
  routeTable('elasticache', count(createElasticacheRouteTable, 1), 'create_elasticache_subnet_route_table');
  routeTable('intra', count(create.intra, numIntraRouteTables), 'intra_subnets');
  const tables = Object.fromEntries(
    ['public', 'private', 'database', 'redshift', 'elasticache', 'intra'].map((t) => [t, sink.refs('aws_route_table', t)]),
  ) as Record<string, Maybe<Value[]>>;

  // ----- NAT gateways -----
  const reuseIps = bool('reuse_nat_ips');
  sink.count('aws_eip', 'nat', count(and(createVpc, enableNat, not(reuseIps)), natGatewayCount), () => ({
    values: { domain: 'vpc' },
    drivers: { domain: 'enable_nat_gateway' },
  }));
  const natIps = pick(reuseIps, list('external_nat_ip_ids') as Maybe<Value[]>, sink.refs('aws_eip', 'nat') as Maybe<Value[]>) as Maybe<Value[]>;
  sink.count('aws_nat_gateway', 'this', count(and(createVpc, enableNat), natGatewayCount), (i) => {
    const index = pick(single, 0, i);
    return {
      values: { allocation_id: element(natIps, index, 'the NAT EIP list'), subnet_id: element(subnetIds.public, index, 'the public subnet list') },
      drivers: { allocation_id: 'external_nat_ip_ids', subnet_id: 'public_subnets' },
    };
  });
  const natIds = sink.refs('aws_nat_gateway', 'this');
  if (
    enableNat === true &&
    isUnknown(natGatewayCount) === false &&
    (natGatewayCount as number) > 0 &&
    Array.isArray(subnetIds.public) &&
    subnetIds.public.length === 0
  ) {
    sink.report(
      'warning',
      'tf-module-model-invalid',
      `module "${ctx.block.labels[0]}": enable_nat_gateway without public subnets; Terraform cannot plan this call (NAT gateways are placed in public subnets), so their subnet is unknown.`,
    );
  }

  // ----- associations -----
  const associate = (
    name: string,
    n: Maybe<number>,
    subnetType: SubnetType,
    tableList: Maybe<Value[]>,
    index: (i: number) => Maybe<number>,
    tableDriver: string,
  ) =>
    sink.count('aws_route_table_association', name, n, (i) => ({
      values: {
        subnet_id: element(subnetIds[subnetType], i, `the ${subnetType} subnet list`),
        route_table_id: element(tableList, index(i), `the route tables for ${subnetType} subnets`),
      },
      drivers: { subnet_id: `${subnetType}_subnets`, route_table_id: tableDriver },
    }));
  associate('public', count(create.public, lengths.public), 'public', tables.public!, (i) => pick(multiplePublic, i, 0), 'public_subnets');
  associate('private', count(create.private, lengths.private), 'private', tables.private!, (i) => pick(single, 0, i), 'private_subnets');
  associate('outpost', count(create.outpost, lengths.outpost), 'outpost', tables.private!, (i) => pick(single, 0, i), 'outpost_subnets');
  associate(
    'database',
    count(create.database, lengths.database),
    'database',
    coalesceList(tables.database!, tables.private!),
    (i) => pick(bool('create_database_subnet_route_table'), pick(or(single, dbIgwRoute), 0, i), i),
    'database_subnets',
  );
  const publicRedshift = bool('enable_public_redshift');
  const redshiftIndex = (i: number) => pick(or(single, bool('create_redshift_subnet_route_table')), 0, i);
  associate(
    'redshift',
    count(and(create.redshift, not(publicRedshift)), lengths.redshift),
    'redshift',
    coalesceList(tables.redshift!, tables.private!),
    redshiftIndex,
    'redshift_subnets',
  );
  associate(
    'redshift_public',
    count(and(create.redshift, publicRedshift), lengths.redshift),
    'redshift',
    coalesceList(tables.redshift!, tables.public!),
    redshiftIndex,
    'enable_public_redshift',
  );
  associate(
    'elasticache',
    count(create.elasticache, lengths.elasticache),
    'elasticache',
    coalesceList(tables.elasticache!, tables.private!),
    (i) => pick(or(single, bool('create_elasticache_subnet_route_table')), 0, i),
    'elasticache_subnets',
  );
  associate('intra', count(create.intra, lengths.intra), 'intra', tables.intra!, (i) => pick(multipleIntra, i, 0), 'intra_subnets');

  // ----- routes -----
  const route = (name: string, n: Maybe<number>, make: (i: number) => ValueObject, drivers: Record<string, string>) =>
    sink.count('aws_route', name, n, (i) => ({ values: make(i), drivers }));
  const nth = (xs: Maybe<Value[]>, what: string) => (i: number) => element(xs, i, what);
  route(
    'public_internet_gateway',
    count(and(create.public, createIgw), numPublicRouteTables),
    (i) => ({ route_table_id: nth(tables.public!, 'public route tables')(i), destination_cidr_block: '0.0.0.0/0', gateway_id: igwRef }),
    { route_table_id: 'public_subnets', gateway_id: 'create_igw' },
  );
  route(
    'public_internet_gateway_ipv6',
    count(and(create.public, createIgw, enableIpv6), numPublicRouteTables),
    (i) => ({ route_table_id: nth(tables.public!, 'public route tables')(i), destination_ipv6_cidr_block: '::/0', gateway_id: igwRef }),
    { route_table_id: 'public_subnets', gateway_id: 'enable_ipv6' },
  );
  route(
    'database_internet_gateway',
    count(and(createDatabaseRouteTable, createIgw, dbIgwRoute, not(dbNatRoute)), 1),
    () => ({ route_table_id: element(tables.database!, 0, 'database route tables'), destination_cidr_block: '0.0.0.0/0', gateway_id: igwRef }),
    { route_table_id: 'create_database_subnet_route_table', destination_cidr_block: 'create_database_internet_gateway_route' },
  );
  route(
    'database_nat_gateway',
    count(and(createDatabaseRouteTable, not(dbIgwRoute), dbNatRoute, enableNat), pick(single, 1, lengths.database)),
    (i) => ({
      route_table_id: element(tables.database!, i, 'database route tables'),
      destination_cidr_block: '0.0.0.0/0',
      nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
    }),
    { route_table_id: 'create_database_subnet_route_table', destination_cidr_block: 'create_database_nat_gateway_route' },
  );
  const dns64 = v4 ? bool('private_subnet_enable_dns64') : false;
  if (v4) {
    route(
      'database_dns64_nat_gateway',
      count(and(createDatabaseRouteTable, not(dbIgwRoute), dbNatRoute, enableNat, enableIpv6, dns64), pick(single, 1, lengths.database)),
      (i) => ({
        route_table_id: element(tables.database!, i, 'database route tables'),
        destination_ipv6_cidr_block: '64:ff9b::/96',
        nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
      }),
      { route_table_id: 'create_database_subnet_route_table' },
    );
  }
  route(
    'database_ipv6_egress',
    count(and(createDatabaseRouteTable, createEigw, enableIpv6, dbIgwRoute), 1),
    () => ({
      route_table_id: element(tables.database!, 0, 'database route tables'),
      destination_ipv6_cidr_block: '::/0',
      egress_only_gateway_id: element(eigwIds, 0, 'the egress-only gateway list'),
    }),
    { route_table_id: 'create_database_subnet_route_table' },
  );
  const privateNatRoute = v4 ? bool('create_private_nat_gateway_route') : true;
  route(
    'private_nat_gateway',
    count(and(createVpc, enableNat, privateNatRoute), natGatewayCount),
    (i) => ({
      route_table_id: element(tables.private!, i, 'private route tables'),
      destination_cidr_block: raw('nat_gateway_destination_cidr_block'),
      nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
    }),
    { route_table_id: 'private_subnets', destination_cidr_block: 'nat_gateway_destination_cidr_block', nat_gateway_id: 'enable_nat_gateway' },
  );
  if (v4) {
    route(
      'private_dns64_nat_gateway',
      count(and(createVpc, enableNat, enableIpv6, dns64), natGatewayCount),
      (i) => ({
        route_table_id: element(tables.private!, i, 'private route tables'),
        destination_ipv6_cidr_block: '64:ff9b::/96',
        nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
      }),
      { route_table_id: 'private_subnets', nat_gateway_id: 'enable_nat_gateway' },
    );
  }
  const ipv6EgressCount = v4
    ? count(and(createVpc, createEigw, enableIpv6, gt(lengths.private, 0)), natGatewayCount)
    : count(and(createVpc, createEigw, enableIpv6), len(subnets.private));
  route(
    'private_ipv6_egress',
    ipv6EgressCount,
    (i) => ({
      route_table_id: element(tables.private!, i, 'private route tables'),
      destination_ipv6_cidr_block: '::/0',
      egress_only_gateway_id: element(eigwIds, 0, 'the egress-only gateway list'),
    }),
    { route_table_id: 'private_subnets', egress_only_gateway_id: 'create_egress_only_igw' },
  );

  // ----- VPN gateway -----
  const enableVpn = bool('enable_vpn_gateway');
  const vpnId = raw('vpn_gateway_id');
  const hasVpnId: Maybe<boolean> = isUnknown(vpnId) ? vpnId : vpnId !== '' && vpnId !== null;
  sink.count('aws_vpn_gateway', 'this', count(and(createVpc, enableVpn), 1), () => ({
    values: { vpc_id: vpcId, amazon_side_asn: raw('amazon_side_asn'), availability_zone: raw('vpn_gateway_az') },
    drivers: { vpc_id: 'enable_vpn_gateway' },
  }));
  sink.count('aws_vpn_gateway_attachment', 'this', count(hasVpnId, 1), () => ({
    values: { vpc_id: vpcId, vpn_gateway_id: vpnId },
    drivers: { vpn_gateway_id: 'vpn_gateway_id' },
  }));
  const ownVgws = sink.refs('aws_vpn_gateway', 'this');
  const vgws: Maybe<Value[]> = isUnknown(hasVpnId) ? hasVpnId : isUnknown(ownVgws) ? ownVgws : [...ownVgws, ...(hasVpnId ? [vpnId] : [])];
  const propagation = (name: 'public' | 'private' | 'intra', n: Maybe<number>) =>
    sink.count(
      'aws_vpn_gateway_route_propagation',
      name,
      count(and(createVpc, bool(`propagate_${name}_route_tables_vgw`), or(enableVpn, hasVpnId)), n),
      (i) => ({
        values: { route_table_id: element(tables[name]!, i, `${name} route tables`), vpn_gateway_id: element(vgws, i, 'the VPN gateway list') },
        drivers: { route_table_id: `propagate_${name}_route_tables_vgw` },
      }),
    );
  propagation('public', 1);
  propagation('private', v4 ? lengths.private : len(subnets.private));
  propagation('intra', v4 ? lengths.intra : len(subnets.intra));

  // ----- network ACLs -----
  for (const t of SUBNET_TYPES) {
    const dedicated = and(create[t], bool(`${t}_dedicated_network_acl`));
    sink.count('aws_network_acl', t, count(dedicated, 1), () => ({
      values: { vpc_id: vpcId, subnet_ids: subnetIds[t] },
      drivers: { subnet_ids: `${t}_dedicated_network_acl` },
    }));
    for (const direction of ['inbound', 'outbound'] as const) {
      const rules = list(`${t}_${direction}_acl_rules`);
      sink.count('aws_network_acl_rule', `${t}_${direction}`, count(dedicated, len(rules)), (i) => {
        const r = element(rules, i, `${t}_${direction}_acl_rules`);
        return {
          values: {
            network_acl_id: sink.ref('aws_network_acl', t, 0),
            egress: direction === 'outbound',
            rule_number: lookup(r, 'rule_number', null),
            rule_action: lookup(r, 'rule_action', null),
            from_port: lookup(r, 'from_port', null),
            to_port: lookup(r, 'to_port', null),
            icmp_code: lookup(r, 'icmp_code', null),
            icmp_type: lookup(r, 'icmp_type', null),
            protocol: lookup(r, 'protocol', null),
            cidr_block: lookup(r, 'cidr_block', null),
            ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
          },
          drivers: { rule_number: `${t}_${direction}_acl_rules` },
        };
      });
    }
  }

  // ----- default VPC, security group, network ACL, route table -----
  sink.count('aws_default_vpc', 'this', count(bool('manage_default_vpc'), 1), () => ({
    values: { enable_dns_support: bool('default_vpc_enable_dns_support'), enable_dns_hostnames: bool('default_vpc_enable_dns_hostnames') },
    drivers: { enable_dns_support: 'default_vpc_enable_dns_support', enable_dns_hostnames: 'default_vpc_enable_dns_hostnames' },
  }));
  const sgRule = (r: Value): Value => {
    const csv = (key: string): Value => {
      const s = lookup(r, key, '');
      if (isUnknown(s)) return s;
      return typeof s === 'string' ? s.split(',').filter((x) => x !== '') : unknown(`${key} of a default security group rule is not a string`);
    };
    return {
      self: lookup(r, 'self', null),
      cidr_blocks: csv('cidr_blocks'),
      ipv6_cidr_blocks: csv('ipv6_cidr_blocks'),
      prefix_list_ids: csv('prefix_list_ids'),
      security_groups: csv('security_groups'),
      description: lookup(r, 'description', null),
      from_port: lookup(r, 'from_port', 0),
      to_port: lookup(r, 'to_port', 0),
      protocol: lookup(r, 'protocol', '-1'),
    };
  };
  sink.count('aws_default_security_group', 'this', count(and(createVpc, bool('manage_default_security_group')), 1), () => ({
    values: {
      vpc_id: vpcRef,
      ...dynamicBlock('ingress', list('default_security_group_ingress'), sgRule),
      ...dynamicBlock('egress', list('default_security_group_egress'), sgRule),
    },
    drivers: { vpc_id: 'manage_default_security_group' },
    nested: { ingress: 'default_security_group_ingress', egress: 'default_security_group_egress' },
  }));
  const naclEntry = (r: Value): Value => ({
    action: isObject(r) ? (r['action'] ?? unknown('a default network ACL rule has no action')) : r,
    cidr_block: lookup(r, 'cidr_block', null),
    ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
    rule_no: isObject(r) ? (r['rule_no'] ?? unknown('a default network ACL rule has no rule_no')) : r,
    from_port: isObject(r) ? (r['from_port'] ?? null) : r,
    to_port: isObject(r) ? (r['to_port'] ?? null) : r,
    protocol: isObject(r) ? (r['protocol'] ?? null) : r,
    icmp_code: lookup(r, 'icmp_code', null),
    icmp_type: lookup(r, 'icmp_type', null),
  });
  sink.count('aws_default_network_acl', 'this', count(and(createVpc, bool('manage_default_network_acl')), 1), () => ({
    values: {
      default_network_acl_id: makeRef(sink.address('aws_vpc', 'this', 0), 'default_network_acl_id'),
      subnet_ids: null,
      ...dynamicBlock('ingress', list('default_network_acl_ingress'), naclEntry),
      ...dynamicBlock('egress', list('default_network_acl_egress'), naclEntry),
    },
    drivers: { default_network_acl_id: 'manage_default_network_acl' },
    nested: { ingress: 'default_network_acl_ingress', egress: 'default_network_acl_egress' },
  }));
  const defaultRoute = (r: Value): Value => ({
    cidr_block: isObject(r) ? (r['cidr_block'] ?? unknown('a default route table route has no cidr_block')) : r,
    ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
    egress_only_gateway_id: lookup(r, 'egress_only_gateway_id', null),
    gateway_id: lookup(r, 'gateway_id', null),
    instance_id: lookup(r, 'instance_id', null),
    nat_gateway_id: lookup(r, 'nat_gateway_id', null),
    network_interface_id: lookup(r, 'network_interface_id', null),
    transit_gateway_id: lookup(r, 'transit_gateway_id', null),
    vpc_endpoint_id: lookup(r, 'vpc_endpoint_id', null),
    vpc_peering_connection_id: lookup(r, 'vpc_peering_connection_id', null),
  });
  sink.count('aws_default_route_table', 'default', count(and(createVpc, bool('manage_default_route_table')), 1), () => ({
    values: {
      default_route_table_id: makeRef(sink.address('aws_vpc', 'this', 0), 'default_route_table_id'),
      propagating_vgws: raw('default_route_table_propagating_vgws'),
      ...dynamicBlock('route', list('default_route_table_routes'), defaultRoute),
    },
    drivers: { default_route_table_id: 'manage_default_route_table', propagating_vgws: 'default_route_table_propagating_vgws' },
    nested: { route: 'default_route_table_routes' },
  }));

  // ----- outputs (outputs.tf) -----
  const one = (type: string, name: string, attr = 'id'): Value => {
    const ids = sink.refs(type, name, attr);
    if (isUnknown(ids)) return ids;
    return ids.length > 0 ? ids[0]! : v4 ? null : '';
  };
  const vpcInstance = sink.instances.find((i) => i.type === 'aws_vpc');
  const vpcAttr = (attr: string): Value => (vpcInstance ? (vpcInstance.values[attr] ?? null) : isUnknown(createVpc) ? createVpc : v4 ? null : '');
  const cidrs = (t: SubnetType): Value => {
    const list = sink.instances.filter((i) => i.type === 'aws_subnet' && i.name === t).map((i) => i.values['cidr_block'] ?? null);
    if (sink.unknownExpansions.includes(sink.address('aws_subnet', t))) return unknown(`the number of ${t} subnets is not known`);
    return list.filter((c) => c !== null && c !== '');
  };
  const outputs: Record<string, Value> = {
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
      return own !== null && own !== '' ? own : hasVpnId === true ? vpnId : own;
    })(),
    default_vpc_id: one('aws_default_vpc', 'this'),
    default_vpc_arn: one('aws_default_vpc', 'this', 'arn'),
    default_vpc_default_route_table_id: one('aws_default_vpc', 'this', 'default_route_table_id'),
    default_vpc_main_route_table_id: one('aws_default_vpc', 'this', 'main_route_table_id'),
    default_vpc_default_security_group_id: one('aws_default_vpc', 'this', 'default_security_group_id'),
    default_vpc_default_network_acl_id: one('aws_default_vpc', 'this', 'default_network_acl_id'),
    azs: azs,
    name: ctx.input('name') ?? '',
    private_nat_gateway_route_ids: sink.refs('aws_route', 'private_nat_gateway'),
    database_nat_gateway_route_ids: sink.refs('aws_route', 'database_nat_gateway'),
    database_internet_gateway_route_id: one('aws_route', 'database_internet_gateway'),
    public_internet_gateway_route_id: one('aws_route', 'public_internet_gateway'),
  };
  for (const t of SUBNET_TYPES) {
    outputs[`${t}_subnets`] = subnetIds[t];
    outputs[`${t}_subnet_arns`] = sink.refs('aws_subnet', t, 'arn');
    outputs[`${t}_subnets_cidr_blocks`] = cidrs(t);
    outputs[`${t}_route_table_association_ids`] = sink.refs('aws_route_table_association', t);
    outputs[`${t}_network_acl_id`] = one('aws_network_acl', t);
  }
  outputs['public_route_table_ids'] = tables.public!;
  outputs['private_route_table_ids'] = tables.private!;
  outputs['intra_route_table_ids'] = tables.intra!;
  outputs['database_route_table_ids'] =
    isUnknown(tables.database!) || isUnknown(tables.private!)
      ? unknown('the number of route tables is not known')
      : tables.database!.length > 0
        ? tables.database!
        : tables.private!;
  outputs['redshift_route_table_ids'] = isUnknown(tables.redshift!)
    ? tables.redshift!
    : tables.redshift!.length > 0
      ? tables.redshift!
      : pick(publicRedshift, tables.public! as Maybe<Value[]>, tables.private! as Maybe<Value[]>);
  outputs['elasticache_route_table_ids'] = coalesceList(tables.elasticache!, tables.private!);
  outputs['redshift_public_route_table_association_ids'] = sink.refs('aws_route_table_association', 'redshift_public');

  return { instances: sink.instances, outputs, unknownExpansions: sink.unknownExpansions, diagnostics: sink.diagnostics };
}

/** A `dynamic` block over a list: its elements under the block type, or nothing when the list is empty. */
function dynamicBlock(type: string, items: Maybe<Value[]>, content: (v: Value) => Value): ValueObject {
  if (isUnknown(items)) return { [type]: unknown(`dynamic "${type}" blocks depend on ${items.reason}`) };
  return items.length ? { [type]: items.map(content) } : {};
}

export const vpcModel: ModuleModel = {
  id: 'terraform-aws-modules/vpc/aws',
  releases: TERRAFORM_AWS_VPC_RELEASES,
  inputStatus,
  build,
};
