import { isUnknown, type Value, type ValueObject } from '../../../source/value.js';
import { and, coalesceList, count, element, gt, len, not, or, pick, type Maybe } from './common.js';
import type { VpcCall } from './vpc-call.js';
import type { SubnetType } from './vpc-inputs.js';
import type { SubnetIds } from './vpc-subnets.js';

const ROUTE_TABLE_TIERS = ['public', 'private', 'database', 'redshift', 'elasticache', 'intra'] as const;
type RouteTableTier = (typeof ROUTE_TABLE_TIERS)[number];

/** Route tables of every tier, and the database tier's settings, which decide its routes as well as its tables. */
export interface RouteTables {
  ids: Record<RouteTableTier, Maybe<Value[]>>;
  createDatabaseRouteTable: Maybe<boolean>;
  dbIgwRoute: Maybe<boolean>;
  dbNatRoute: Maybe<boolean>;
}

/** The internet gateway and the egress-only gateway routes lead to. */
export interface Gateways {
  igwRef: Value;
  eigwIds: Maybe<Value[]>;
}

/**
 * Route tables per tier. Outpost subnets share the private tables; redshift, elasticache and database subnets have
 * tables of their own only when asked for, and otherwise share the private ones too (see buildAssociations).
 */
export function buildRouteTables(call: VpcCall, vpcId: Value): RouteTables {
  const { sink, v4, create, createVpc, maxSubnetLength, lengths, single } = call;
  const routeTable = (name: string, n: Maybe<number>, driver: string) =>
    sink.count('aws_route_table', name, n, () => ({ values: { vpc_id: vpcId }, drivers: { vpc_id: driver } }));
  routeTable('public', count(create.public, call.numPublicRouteTables), 'public_subnets');
  const privateTablesExist = v4 ? and(create.private, gt(maxSubnetLength, 0)) : and(createVpc, gt(maxSubnetLength, 0));
  routeTable('private', count(privateTablesExist, call.natGatewayCount), 'private_subnets');
  const createDatabaseRouteTable = and(create.database, call.bool('create_database_subnet_route_table'));
  const dbIgwRoute = call.bool('create_database_internet_gateway_route');
  const dbNatRoute = call.bool('create_database_nat_gateway_route');
  routeTable('database', count(createDatabaseRouteTable, pick(or(single, dbIgwRoute), 1, lengths.database)), 'create_database_subnet_route_table');
  const createRedshiftRouteTable = and(create.redshift, call.bool('create_redshift_subnet_route_table'));
  routeTable('redshift', count(createRedshiftRouteTable, 1), 'create_redshift_subnet_route_table');
  const createElasticacheRouteTable = and(create.elasticache, call.bool('create_elasticache_subnet_route_table'));
  routeTable('elasticache', count(createElasticacheRouteTable, 1), 'create_elasticache_subnet_route_table');
  routeTable('intra', count(create.intra, call.numIntraRouteTables), 'intra_subnets');
  const ids = Object.fromEntries(ROUTE_TABLE_TIERS.map((t) => [t, sink.refs('aws_route_table', t)])) as Record<RouteTableTier, Maybe<Value[]>>;
  return { ids, createDatabaseRouteTable, dbIgwRoute, dbNatRoute };
}

/** NAT gateways in the public subnets, one per gateway count, with their Elastic IPs (or `external_nat_ip_ids`). */
export function buildNatGateways(call: VpcCall, subnetIds: SubnetIds): Maybe<Value[]> {
  const { sink, createVpc, enableNat, natGatewayCount, single } = call;
  const reuseIps = call.bool('reuse_nat_ips');
  sink.count('aws_eip', 'nat', count(and(createVpc, enableNat, not(reuseIps)), natGatewayCount), () => ({
    values: { domain: 'vpc' },
    drivers: { domain: 'enable_nat_gateway' },
  }));
  const natIps = pick(reuseIps, call.list('external_nat_ip_ids') as Maybe<Value[]>, sink.refs('aws_eip', 'nat') as Maybe<Value[]>) as Maybe<Value[]>;
  sink.count('aws_nat_gateway', 'this', count(and(createVpc, enableNat), natGatewayCount), (i) => {
    const index = pick(single, 0, i);
    return {
      values: { allocation_id: element(natIps, index, 'the NAT EIP list'), subnet_id: element(subnetIds.public, index, 'the public subnet list') },
      drivers: { allocation_id: 'external_nat_ip_ids', subnet_id: 'public_subnets' },
    };
  });
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
      `module "${call.ctx.block.labels[0]}": enable_nat_gateway without public subnets; Terraform cannot plan this call (NAT gateways are placed in public subnets), so their subnet is unknown.`,
    );
  }
  return sink.refs('aws_nat_gateway', 'this');
}

/**
 * Subnets to route tables. A tier without tables of its own uses the private tables (the public ones for public
 * redshift subnets); one table or one per subnet as `single_nat_gateway` and the `create_multiple_*` inputs say.
 * Returns `enable_public_redshift`, which the outputs read too.
 */
export function buildAssociations(call: VpcCall, subnetIds: SubnetIds, tables: RouteTables): Maybe<boolean> {
  const { create, lengths, single } = call;
  const { ids } = tables;
  const associate = (
    name: string,
    n: Maybe<number>,
    subnetType: SubnetType,
    tableList: Maybe<Value[]>,
    index: (i: number) => Maybe<number>,
    tableDriver: string,
  ) =>
    call.sink.count('aws_route_table_association', name, n, (i) => ({
      values: {
        subnet_id: element(subnetIds[subnetType], i, `the ${subnetType} subnet list`),
        route_table_id: element(tableList, index(i), `the route tables for ${subnetType} subnets`),
      },
      drivers: { subnet_id: `${subnetType}_subnets`, route_table_id: tableDriver },
    }));
  associate('public', count(create.public, lengths.public), 'public', ids.public, (i) => pick(call.multiplePublic, i, 0), 'public_subnets');
  associate('private', count(create.private, lengths.private), 'private', ids.private, (i) => pick(single, 0, i), 'private_subnets');
  associate('outpost', count(create.outpost, lengths.outpost), 'outpost', ids.private, (i) => pick(single, 0, i), 'outpost_subnets');
  associate(
    'database',
    count(create.database, lengths.database),
    'database',
    coalesceList(ids.database, ids.private),
    (i) => pick(call.bool('create_database_subnet_route_table'), pick(or(single, tables.dbIgwRoute), 0, i), i),
    'database_subnets',
  );
  const publicRedshift = call.bool('enable_public_redshift');
  const redshiftIndex = (i: number) => pick(or(single, call.bool('create_redshift_subnet_route_table')), 0, i);
  associate(
    'redshift',
    count(and(create.redshift, not(publicRedshift)), lengths.redshift),
    'redshift',
    coalesceList(ids.redshift, ids.private),
    redshiftIndex,
    'redshift_subnets',
  );
  associate(
    'redshift_public',
    count(and(create.redshift, publicRedshift), lengths.redshift),
    'redshift',
    coalesceList(ids.redshift, ids.public),
    redshiftIndex,
    'enable_public_redshift',
  );
  associate(
    'elasticache',
    count(create.elasticache, lengths.elasticache),
    'elasticache',
    coalesceList(ids.elasticache, ids.private),
    (i) => pick(or(single, call.bool('create_elasticache_subnet_route_table')), 0, i),
    'elasticache_subnets',
  );
  associate('intra', count(create.intra, lengths.intra), 'intra', ids.intra, (i) => pick(call.multipleIntra, i, 0), 'intra_subnets');
  return publicRedshift;
}

type RouteMaker = (name: string, n: Maybe<number>, make: (i: number) => ValueObject, drivers: Record<string, string>) => void;

/** Default routes: public tables to the internet gateway, database tables to it or to NAT, private tables to NAT. */
export function buildRoutes(call: VpcCall, tables: RouteTables, gateways: Gateways, natIds: Maybe<Value[]>): void {
  const route: RouteMaker = (name, n, make, drivers) => call.sink.count('aws_route', name, n, (i) => ({ values: make(i), drivers }));
  buildPublicRoutes(call, tables, gateways, route);
  buildDatabaseRoutes(call, tables, gateways, natIds, route);
  buildPrivateRoutes(call, tables, gateways, natIds, route);
}

function buildPublicRoutes(call: VpcCall, tables: RouteTables, { igwRef }: Gateways, route: RouteMaker): void {
  const { create, createIgw } = call;
  const nth = (xs: Maybe<Value[]>, what: string) => (i: number) => element(xs, i, what);
  route(
    'public_internet_gateway',
    count(and(create.public, createIgw), call.numPublicRouteTables),
    (i) => ({ route_table_id: nth(tables.ids.public, 'public route tables')(i), destination_cidr_block: '0.0.0.0/0', gateway_id: igwRef }),
    { route_table_id: 'public_subnets', gateway_id: 'create_igw' },
  );
  route(
    'public_internet_gateway_ipv6',
    count(and(create.public, createIgw, call.enableIpv6), call.numPublicRouteTables),
    (i) => ({ route_table_id: nth(tables.ids.public, 'public route tables')(i), destination_ipv6_cidr_block: '::/0', gateway_id: igwRef }),
    { route_table_id: 'public_subnets', gateway_id: 'enable_ipv6' },
  );
}

/** The database tables route to the internet gateway or to NAT, never both; DNS64 and IPv6 egress routes follow. */
function buildDatabaseRoutes(call: VpcCall, tables: RouteTables, { igwRef, eigwIds }: Gateways, natIds: Maybe<Value[]>, route: RouteMaker): void {
  const { createIgw, createEigw, enableNat, enableIpv6, single, lengths, v4 } = call;
  const { createDatabaseRouteTable, dbIgwRoute, dbNatRoute } = tables;
  const databaseTables = tables.ids.database;
  route(
    'database_internet_gateway',
    count(and(createDatabaseRouteTable, createIgw, dbIgwRoute, not(dbNatRoute)), 1),
    () => ({ route_table_id: element(databaseTables, 0, 'database route tables'), destination_cidr_block: '0.0.0.0/0', gateway_id: igwRef }),
    { route_table_id: 'create_database_subnet_route_table', destination_cidr_block: 'create_database_internet_gateway_route' },
  );
  route(
    'database_nat_gateway',
    count(and(createDatabaseRouteTable, not(dbIgwRoute), dbNatRoute, enableNat), pick(single, 1, lengths.database)),
    (i) => ({
      route_table_id: element(databaseTables, i, 'database route tables'),
      destination_cidr_block: '0.0.0.0/0',
      nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
    }),
    { route_table_id: 'create_database_subnet_route_table', destination_cidr_block: 'create_database_nat_gateway_route' },
  );
  if (v4) {
    route(
      'database_dns64_nat_gateway',
      count(and(createDatabaseRouteTable, not(dbIgwRoute), dbNatRoute, enableNat, enableIpv6, dns64Of(call)), pick(single, 1, lengths.database)),
      (i) => ({
        route_table_id: element(databaseTables, i, 'database route tables'),
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
      route_table_id: element(databaseTables, 0, 'database route tables'),
      destination_ipv6_cidr_block: '::/0',
      egress_only_gateway_id: element(eigwIds, 0, 'the egress-only gateway list'),
    }),
    { route_table_id: 'create_database_subnet_route_table' },
  );
}

/** DNS64 routes exist from 4.0 on; 3.x has no `private_subnet_enable_dns64`. */
function dns64Of(call: VpcCall): Maybe<boolean> {
  return call.v4 ? call.bool('private_subnet_enable_dns64') : false;
}

function buildPrivateRoutes(call: VpcCall, tables: RouteTables, { eigwIds }: Gateways, natIds: Maybe<Value[]>, route: RouteMaker): void {
  const { v4, createVpc, createEigw, enableNat, enableIpv6, natGatewayCount, lengths, subnets } = call;
  const privateTables = tables.ids.private;
  // 3.x routes private tables to NAT unconditionally; 4.0 added `create_private_nat_gateway_route`.
  const privateNatRoute = v4 ? call.bool('create_private_nat_gateway_route') : true;
  route(
    'private_nat_gateway',
    count(and(createVpc, enableNat, privateNatRoute), natGatewayCount),
    (i) => ({
      route_table_id: element(privateTables, i, 'private route tables'),
      destination_cidr_block: call.raw('nat_gateway_destination_cidr_block'),
      nat_gateway_id: element(natIds, i, 'the NAT gateway list'),
    }),
    { route_table_id: 'private_subnets', destination_cidr_block: 'nat_gateway_destination_cidr_block', nat_gateway_id: 'enable_nat_gateway' },
  );
  if (v4) {
    route(
      'private_dns64_nat_gateway',
      count(and(createVpc, enableNat, enableIpv6, dns64Of(call)), natGatewayCount),
      (i) => ({
        route_table_id: element(privateTables, i, 'private route tables'),
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
      route_table_id: element(privateTables, i, 'private route tables'),
      destination_ipv6_cidr_block: '::/0',
      egress_only_gateway_id: element(eigwIds, 0, 'the egress-only gateway list'),
    }),
    { route_table_id: 'private_subnets', egress_only_gateway_id: 'create_egress_only_igw' },
  );
}

/** The VPN gateway the call creates or attaches (`vpn_gateway_id`), and route propagation from it. */
export interface VpnGateway {
  vpnId: Value;
  hasVpnId: Maybe<boolean>;
}

export function buildVpnGateway(call: VpcCall, vpcId: Value, tables: RouteTables): VpnGateway {
  const { sink, createVpc, v4, lengths, subnets } = call;
  const enableVpn = call.bool('enable_vpn_gateway');
  const vpnId = call.raw('vpn_gateway_id');
  const hasVpnId: Maybe<boolean> = isUnknown(vpnId) ? vpnId : vpnId !== '' && vpnId !== null;
  sink.count('aws_vpn_gateway', 'this', count(and(createVpc, enableVpn), 1), () => ({
    values: { vpc_id: vpcId, amazon_side_asn: call.raw('amazon_side_asn'), availability_zone: call.raw('vpn_gateway_az') },
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
      count(and(createVpc, call.bool(`propagate_${name}_route_tables_vgw`), or(enableVpn, hasVpnId)), n),
      (i) => ({
        values: { route_table_id: element(tables.ids[name], i, `${name} route tables`), vpn_gateway_id: element(vgws, i, 'the VPN gateway list') },
        drivers: { route_table_id: `propagate_${name}_route_tables_vgw` },
      }),
    );
  propagation('public', 1);
  propagation('private', v4 ? lengths.private : len(subnets.private));
  propagation('intra', v4 ? lengths.intra : len(subnets.intra));
  return { vpnId, hasVpnId };
}
