import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isSymbolicRegion } from '../../source/region.js';
import { isUnknown, parseRef, type Value, type ValueObject } from '../../source/value.js';
import type { NodeId, RouteDestination, RouteNode, RouteTarget, RouteTargetKind } from '../model.js';
import type { Span } from '../../source/types.js';
import { managedListById } from '../nodes.js';
import { addRoute, detachedTableLabel, markRoutesIncomplete, routeDestination, targetKindOfId } from '../nodes/network.js';
import { conditionOf, describe, type CfnContext } from './context.js';

/** The route table a value names (`!Ref RouteTable`). */
export function routeTableOf(ctx: CfnContext, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = ctx.target(v);
  if (t) return t.type === 'AWS::EC2::RouteTable' ? t.logicalId : 'unknown';
  return v === undefined || v === null ? undefined : 'unknown';
}

// A resource whose Condition cannot be decided may or may not exist: what depends on it is uncertain.
const maybeAbsent = (r: CfnResource) => r.exists !== true;

/**
 * Route tables and their routes (`AWS::EC2::RouteTable`, `AWS::EC2::Route`). A route whose table is not in the template
 * is detached; a route that may not exist leaves its table's routes incomplete.
 */
export function addRoutes(ctx: CfnContext): void {
  const { graph } = ctx;
  for (const r of ctx.ofType('AWS::EC2::RouteTable')) {
    graph.add({ kind: 'route-table', ...ctx.base(r), vpc: ctx.vpcOf(r.properties['VpcId']), main: false, routesIncomplete: false, routes: [] });
  }
  const uncertainTables = new Map<NodeId, string>();
  for (const r of ctx.ofType('AWS::EC2::Route')) {
    const p = r.properties;
    const table = routeTableOf(ctx, p['RouteTableId']);
    const t = table && table !== 'unknown' ? graph.getKind(table, 'route-table') : undefined;
    if (!t) {
      if (table !== undefined && !maybeAbsent(r)) {
        graph.detachedRoutes.push({
          kind: 'route',
          ...ctx.base(r),
          table: detachedTableLabel(p['RouteTableId']!, describe),
          destination: destinationOf(ctx, p),
          target: targetOf(ctx, p),
          origin: 'resource',
        });
      }
      continue;
    }
    if (addRegionalRoutes(ctx, r, t.id)) continue;
    if (maybeAbsent(r)) {
      if (!uncertainTables.has(t.id)) uncertainTables.set(t.id, `route ${conditionOf(r)}`);
      continue;
    }
    addRoute(graph, { ...ctx.base(r), ...routeFields(ctx, r, p, r.propertySpans), routeTable: t.id, origin: 'resource' });
  }
  for (const [id, reason] of uncertainTables) {
    const t = graph.getKind(id, 'route-table');
    if (t) markRoutesIncomplete(t, reason);
  }
}

/** A route's destination, target and where its destination is written, from its Properties (as evaluated in some region). */
function routeFields(
  ctx: CfnContext,
  r: CfnResource,
  p: ValueObject,
  spans: Record<string, Span>,
): Pick<RouteNode, 'destination' | 'target' | 'destinationAt'> {
  const destAttr = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'].find((k) => p[k] !== undefined && spans[k]);
  return {
    destination: destinationOf(ctx, p),
    target: targetOf(ctx, p),
    ...(destAttr ? { destinationAt: { file: r.file, span: spans[destAttr]!, address: r.logicalId } } : {}),
  };
}

/**
 * A route of a template deployed to any region that exists only in some regions, or whose target or destination
 * depends on the region: one route per set of regions where it is the same, each listed as a route of those regions
 * only (`onlyInRegions`). False when the route is the same everywhere (or cannot be told apart by region).
 */
function addRegionalRoutes(ctx: CfnContext, r: CfnResource, table: NodeId): boolean {
  const variants =
    r.regionalVariants ??
    (r.exists !== true && r.existsInRegions ? [{ regions: r.existsInRegions, properties: r.properties, propertySpans: r.propertySpans }] : undefined);
  if (!variants) return false;
  const base = ctx.base(r);
  for (const v of variants) {
    const where = v.regions.length <= 3 ? v.regions.join(', ') : `${v.regions.length} regions`;
    addRoute(ctx.graph, {
      ...base,
      id: variants.length === 1 ? base.id : `${base.id} in ${where}`,
      ...routeFields(ctx, r, v.properties, v.propertySpans),
      routeTable: table,
      origin: 'resource',
      onlyInRegions: v.regions,
    });
  }
  return true;
}

/**
 * Subnet associations (`AWS::EC2::SubnetRouteTableAssociation`); one that may not exist leaves the subnet's table unknown.
 * One whose subnet is not in the template (an import, a parameter) is kept apart: its table is used all the same.
 */
export function addSubnetAssociations(ctx: CfnContext): void {
  for (const r of ctx.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const p = r.properties;
    const subnet = ctx.target(p['SubnetId'])?.logicalId;
    const value = p['RouteTableId'];
    const reason = maybeAbsent(r) ? conditionOf(r) : isUnknown(value) ? value.reason : undefined;
    if (!subnet || !ctx.graph.getKind(subnet, 'subnet')) {
      if (p['SubnetId'] === undefined || p['SubnetId'] === null) continue;
      ctx.graph.externalSubnetAssociations.push({
        subnet: subnet ?? describe(p['SubnetId']),
        routeTable: maybeAbsent(r) ? 'unknown' : (routeTableOf(ctx, value) ?? 'unknown'),
        source: ctx.sourceOf(r),
        ...(reason ? { reason } : {}),
      });
      continue;
    }
    ctx.graph.associations.push({
      subnet,
      routeTable: maybeAbsent(r) ? 'unknown' : (routeTableOf(ctx, value) ?? 'unknown'),
      source: ctx.sourceOf(r),
      ...(reason ? { reason } : {}),
    });
  }
}

function destinationOf(ctx: CfnContext, p: ValueObject): RouteDestination {
  return routeDestination(
    [p['DestinationCidrBlock'], p['DestinationIpv6CidrBlock']],
    p['DestinationPrefixListId'],
    (pl) => prefixListDestination(ctx, pl),
    describe,
  );
}

/** A prefix list of the template, or an AWS-managed one named by its id. */
function prefixListDestination(ctx: CfnContext, pl: Value): RouteDestination {
  const t = ctx.target(pl);
  if (t && ctx.graph.getKind(t.logicalId, 'prefix-list')) return { kind: 'prefix-list', prefixList: t.logicalId, label: t.logicalId };
  if (typeof pl === 'string' && !parseRef(pl) && !isSymbolicRegion(ctx.region)) {
    const managed = managedListById(ctx.graph, ctx.region, pl);
    if (managed) return managed;
  }
  return { kind: 'unknown', reason: `prefix list ${describe(pl)} is not known` };
}

const TARGET_PROPERTIES: Array<[string, RouteTargetKind]> = [
  ['NatGatewayId', 'nat'],
  ['GatewayId', 'unknown'],
  ['EgressOnlyInternetGatewayId', 'eigw'],
  ['TransitGatewayId', 'tgw'],
  ['VpcPeeringConnectionId', 'pcx'],
  ['NetworkInterfaceId', 'eni'],
  ['InstanceId', 'instance'],
  ['VpcEndpointId', 'gwlbe'],
  ['CarrierGatewayId', 'carrier'],
  ['CoreNetworkArn', 'core-network'],
  ['LocalGatewayId', 'lgw'],
];

const KIND_BY_TYPE: Record<string, RouteTargetKind> = {
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::EgressOnlyInternetGateway': 'eigw',
  'AWS::EC2::TransitGateway': 'tgw',
  'AWS::EC2::VPCPeeringConnection': 'pcx',
  'AWS::EC2::VPNGateway': 'vgw',
  'AWS::EC2::NetworkInterface': 'eni',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::CarrierGateway': 'carrier',
  'AWS::EC2::VPCEndpoint': 'gwlbe',
};

function targetOf(ctx: CfnContext, p: ValueObject): RouteTarget {
  for (const [key, fallback] of TARGET_PROPERTIES) {
    const v = p[key];
    if (v === undefined || v === null || v === '') continue;
    if (v === 'local') return { kind: 'local', label: 'local' };
    const t = ctx.target(v);
    if (t) return { kind: KIND_BY_TYPE[t.type] ?? fallback, node: t.logicalId, label: t.logicalId };
    if (typeof v === 'string' && !parseRef(v)) {
      // A gateway endpoint puts its own routes in: an endpoint a route names is a Gateway Load Balancer endpoint.
      const kind = targetKindOfId(v);
      return { kind: (kind === 'vpce' ? 'gwlbe' : kind) ?? fallback, label: v };
    }
    return { kind: fallback, label: describe(v) };
  }
  return { kind: 'unknown', label: '(no target)' };
}
