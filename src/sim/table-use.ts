import type { GraphView } from '../graph/graph.js';
import type { RouteTableNode, SubnetNode } from '../graph/model.js';

/** Whether subnets use a route table, as far as the configuration shows. */
export type TableUse =
  /** Subnets of the graph (explicitly associated, or without an association when the table is main) and subnets outside it. */
  { used: true; subnets: SubnetNode[]; external: string[] } | { used: false } | { used: 'unknown'; reason: string };

const ASSOCIATION_TYPES = ['aws_route_table_association', 'AWS::EC2::SubnetRouteTableAssociation'];

/**
 * Whether some subnet uses a route table: a subnet explicitly associated with it (in the graph or outside it), or, when
 * it is its VPC's main table, a subnet of that VPC with no explicit association. A gateway (edge) association is not a
 * subnet's: the table then routes traffic entering through the gateway, not traffic leaving a subnet. 'unknown' when
 * an association that cannot be resolved may name the table, or subnets of the VPC may exist that the graph does not hold.
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html
 */
export function routeTableUse(graph: GraphView, table: RouteTableNode): TableUse {
  const sameVpc = (s: SubnetNode | undefined) => s === undefined || s.vpc === undefined || table.vpc === undefined || s.vpc === table.vpc;
  const explicit = graph.associations
    .filter((a) => a.routeTable === table.id)
    .map((a) => graph.getKind(a.subnet, 'subnet'))
    .filter((s): s is SubnetNode => s !== undefined);
  const external = graph.externalSubnetAssociations.filter((a) => a.routeTable === table.id).map((a) => a.subnet);
  const isMain = table.vpc !== undefined && graph.mainTableOf(table.vpc)?.id === table.id;
  const associated = new Set(graph.associations.map((a) => a.subnet));
  const implicit = isMain ? graph.all('subnet').filter((s) => s.vpc === table.vpc && !associated.has(s.id)) : [];
  const users = [...explicit, ...implicit];
  const certain = users.filter((s) => s.mayNotExist === undefined);
  if (certain.length > 0 || external.length > 0) return { used: true, subnets: certain, external: [...new Set(external)] };

  const unresolved = [
    ...graph.associations.filter((a) => a.routeTable === 'unknown' && sameVpc(graph.getKind(a.subnet, 'subnet'))).map((a) => ({ ...a, label: a.subnet })),
    ...graph.externalSubnetAssociations.filter((a) => a.routeTable === 'unknown').map((a) => ({ ...a, label: a.subnet })),
  ];
  if (unresolved.length > 0) {
    const a = unresolved[0]!;
    return {
      used: 'unknown',
      reason: `the association ${a.source.address} of ${a.label} names a route table the configuration does not resolve${a.reason ? ` (${a.reason})` : ''}, which may be ${table.id}`,
    };
  }
  const uncertainType = ASSOCIATION_TYPES.find((t) => graph.isUncertain(t));
  if (uncertainType) return { used: 'unknown', reason: `${uncertainType} resources of unknown count may associate subnets with ${table.id}` };
  if (users.length > 0) return { used: 'unknown', reason: `${users[0]!.id} uses ${table.id}, and ${users[0]!.mayNotExist}` };
  if (isMain && graph.isUncertain('aws_subnet'))
    return {
      used: 'unknown',
      reason: `aws_subnet resources of unknown count may be subnets of ${table.vpc} without an association, which use its main table ${table.id}`,
    };
  return { used: false };
}
