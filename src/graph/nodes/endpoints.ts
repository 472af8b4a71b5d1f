import { isGatewayService } from '../../facts/aws-data.js';
import type { SourceRef } from '../../source/types.js';
import { isUnknown, parseRef, unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId, RouteDestination, VpcEndpointNode } from '../model.js';
import { managedListNode } from '../nodes.js';
import { addRoute } from './network.js';

/*
 * VPC endpoints as both builders make them: the type, the route tables an endpoint names, and the routes a gateway
 * endpoint puts into them.
 */

/** What attaches an endpoint to its VPC besides route tables: subnets, security groups, the policy. Both builders fill it. */
export type EndpointAttachments = Pick<
  VpcEndpointNode,
  | 'subnets'
  | 'subnetsIncomplete'
  | 'externalSubnets'
  | 'subnetsIncompleteReason'
  | 'subnetAttachments'
  | 'securityGroups'
  | 'securityGroupsIncomplete'
  | 'externalSecurityGroups'
  | 'defaultSecurityGroup'
  | 'policy'
  | 'policyAt'
>;

export type EndpointType = 'Gateway' | 'Interface' | 'GatewayLoadBalancer';

const ENDPOINT_TYPES = new Set<Value>(['Gateway', 'Interface', 'GatewayLoadBalancer']);

/** An endpoint's type as written: Gateway when not set, as both Terraform and CloudFormation default. */
export function endpointTypeOf(v: Value | undefined, describe: (v: Value) => string): Maybe<EndpointType> {
  if (v === undefined || v === null) return 'Gateway';
  if (ENDPOINT_TYPES.has(v)) return v as EndpointType;
  return isUnknown(v) ? v : unknown(`endpoint type ${describe(v)} is not known`);
}

/** A route table an endpoint is associated with, and where the association is written. */
export interface EndpointTableAssociation {
  table: NodeId;
  at: SourceRef;
}

/** The route tables an endpoint names, as a builder collects them. */
export interface EndpointTables {
  /** Tables of the graph, in the order written (repeats kept: each has its own place). */
  associations: EndpointTableAssociation[];
  /** Literal ids of tables outside the configuration. */
  external: string[];
  /** Some table (or the list itself) cannot be resolved. */
  incomplete: boolean;
}

export const emptyEndpointTables = (): EndpointTables => ({ associations: [], external: [], incomplete: false });

/**
 * Notes one route table value of an endpoint: `table` is the table of the graph it resolves to ('unknown' for
 * something the graph does not model, undefined when it is not a reference). A literal string is then a table
 * outside the configuration; anything else leaves the list incomplete.
 */
export function noteEndpointTable(tables: EndpointTables, v: Value, table: NodeId | 'unknown' | undefined, at: SourceRef): void {
  if (table && table !== 'unknown') tables.associations.push({ table, at });
  else if (typeof v === 'string' && !parseRef(v)) tables.external.push(v);
  else tables.incomplete = true;
}

/** An endpoint's route tables as `VpcEndpointNode` fields. */
export function endpointTableFields(tables: EndpointTables): Pick<VpcEndpointNode, 'routeTables' | 'routeTablesIncomplete' | 'externalRouteTables'> {
  return {
    routeTables: [...new Set(tables.associations.map((a) => a.table))],
    routeTablesIncomplete: tables.incomplete,
    externalRouteTables: tables.external,
  };
}

/** Whether an endpoint may be a gateway endpoint that adds routes: it is one, or its type is not known and its service offers one. */
function mayAddRoutes(endpoint: VpcEndpointNode): boolean {
  const { type, service } = endpoint;
  const mayBeGateway = type === 'Gateway' || (isUnknown(type) && (!service || isGatewayService(service.service)));
  return mayBeGateway && (service !== undefined || isUnknown(endpoint.serviceName));
}

/**
 * Adds the routes a gateway endpoint puts into every associated table: to its service's prefix list. One whose service
 * or type is not known may put one there: its route has a destination that is not known, so no rule concludes either
 * way. A table that already holds the endpoint's route (listed twice) gets it once.
 */
export function addGatewayEndpointRoutes(
  graph: Graph,
  endpoint: VpcEndpointNode,
  associations: EndpointTableAssociation[],
  onlyInRegions?: readonly string[],
): void {
  if (!mayAddRoutes(endpoint)) return;
  for (const a of associations) {
    const id = `${endpoint.id} route in ${a.table}`;
    if (!graph.getKind(a.table, 'route-table') || graph.get(id)) continue;
    addRoute(graph, {
      id,
      source: a.at,
      attributeRefs: {},
      callSites: [...endpoint.callSites],
      routeTable: a.table,
      destination: gatewayRouteDestination(graph, endpoint),
      target: { kind: 'vpce', node: endpoint.id, label: endpoint.id },
      origin: 'endpoint-association',
      ...(onlyInRegions ? { onlyInRegions } : {}),
    });
  }
}

function gatewayRouteDestination(graph: Graph, endpoint: VpcEndpointNode): RouteDestination {
  const { id, type, service, serviceName } = endpoint;
  if (type === 'Gateway' && service) {
    const list = managedListNode(graph, service.region, service.service, endpoint.source);
    return { kind: 'prefix-list', prefixList: list, label: list };
  }
  return {
    kind: 'unknown',
    reason: isUnknown(type)
      ? `the type of endpoint ${id} is not known (${type.reason}); as a gateway endpoint it adds a route to its service's prefix list`
      : `the service of gateway endpoint ${id} is not known (${isUnknown(serviceName) ? serviceName.reason : serviceName})`,
  };
}
