import type { GraphView } from '../../src/graph/graph.js';
import type { GraphNode, RouteTableNode, SubnetNode, VpcEndpointNode, VpcNode } from '../../src/graph/model.js';
import { isSymbolicRegion } from '../../src/source/region.js';
import type { EditRequest } from '../../src/source/findings.js';
import { gatewayEndpointSnippet, isMainTable, serviceLabel, terraformTableId } from './snippets.js';

/**
 * The edits that make a VPCE101/VPCE102 fix, asked for only where they are certainly right: resources of the root
 * module (an edit inside a module would change every call of it), written in a `.tf` file or a template (the engine
 * checks the text), never for a CDK app (its templates are generated). Undefined leaves the fix as advice.
 */

const inRootModule = (...nodes: GraphNode[]) => nodes.every((n) => n.callSites.length === 0);

/** Adds the table to the endpoint's own list of route tables, when the endpoint writes one. */
export function associateRequests(graph: GraphView, endpoint: VpcEndpointNode, table: RouteTableNode, vpc: VpcNode): EditRequest[] | undefined {
  switch (graph.syntax) {
    case 'terraform': {
      const list = endpoint.attributeRefs['route_table_ids'];
      // Editing the list of an endpoint made by count or for_each would change every instance.
      if (!list || endpoint.id.includes('[') || !inRootModule(endpoint, table, vpc)) return undefined;
      return [{ kind: 'append-to-list', list, item: terraformTableId(table, vpc) }];
    }
    case 'cloudformation-yaml':
    case 'cloudformation-json': {
      const list = endpoint.attributeRefs['RouteTableIds'];
      if (!list || isMainTable(table, vpc)) return undefined;
      const name = table.source.address;
      return [{ kind: 'append-to-list', list, item: graph.syntax === 'cloudformation-yaml' ? `!Ref ${name}` : `{ "Ref": ${JSON.stringify(name)} }` }];
    }
    case 'cdk':
      return undefined;
  }
}

/**
 * A new gateway endpoint for every table of the VPC that needs one, after the first of those tables: every finding of
 * the VPC asks for the same edit, so applying them all adds one endpoint. Only when no other VPC of the configuration
 * needs one too (both would take the same name) and the name is free.
 */
export function newEndpointRequests(
  graph: GraphView,
  service: string,
  region: string,
  vpc: VpcNode,
  tables: RouteTableNode[],
  vpcsNeeding: number,
): EditRequest[] | undefined {
  const anchor = tables[0];
  if (!anchor || vpcsNeeding !== 1 || graph.syntax === 'cdk') return undefined;
  if (graph.syntax === 'terraform') {
    if (isSymbolicRegion(region) || !inRootModule(vpc, ...tables)) return undefined;
    const name = `aws_vpc_endpoint.${service}`;
    if (graph.get(name)) return undefined;
    return [{ kind: 'insert-after', after: anchor.source, text: gatewayEndpointSnippet(graph.syntax, service, region, vpc, tables), name }];
  }
  // A template cannot name the VPC's main route table: the advice says to make one first.
  if (tables.some((t) => isMainTable(t, vpc))) return undefined;
  const name = `${serviceLabel(service)}GatewayEndpoint`;
  if (graph.get(name)) return undefined;
  return [{ kind: 'insert-after', after: anchor.source, text: gatewayEndpointSnippet(graph.syntax, service, region, vpc, tables), name }];
}

/**
 * Removes a subnet from the endpoint's own literal subnet list (`subnet_ids`, `SubnetIds`), when that list is the only
 * place attaching it: a subnet also attached by a `subnet_configuration` block or an association resource would stay.
 */
export function dropSubnetRequests(graph: GraphView, endpoint: VpcEndpointNode, subnet: SubnetNode): EditRequest[] | undefined {
  const attached = (endpoint.subnetAttachments ?? []).filter((a) => a.subnet === subnet.id);
  if (attached.length === 0 || attached.some((a) => a.via !== 'list')) return undefined;
  switch (graph.syntax) {
    case 'terraform': {
      const list = endpoint.attributeRefs['subnet_ids'];
      // Editing the list of an endpoint made by count or for_each would change every instance.
      if (!list || endpoint.id.includes('[') || !inRootModule(endpoint, subnet)) return undefined;
      return [{ kind: 'remove-from-list', list, item: `${subnet.source.address}.id` }];
    }
    case 'cloudformation-yaml':
    case 'cloudformation-json': {
      const list = endpoint.attributeRefs['SubnetIds'];
      if (!list) return undefined;
      const name = subnet.source.address;
      return [{ kind: 'remove-from-list', list, item: graph.syntax === 'cloudformation-yaml' ? `!Ref ${name}` : `{ "Ref": ${JSON.stringify(name)} }` }];
    }
    case 'cdk':
      return undefined;
  }
}
