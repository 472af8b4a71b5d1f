import { isSymbolicRegion } from '../source/region.js';
import type { SourceRef } from '../source/types.js';
import type { Graph } from './graph.js';
import type { NodeId } from './model.js';

/*
 * Node constructors both builders share: what a node is called and how it is made does not depend on the format the
 * configuration is written in.
 */

/** The id of a VPC's main route table, which AWS creates with the VPC. */
export const mainTableId = (vpc: NodeId) => `${vpc} (main route table)`;

/** The id of an AWS-managed prefix list: its name, `com.amazonaws.<region>.<service>`. */
export function managedListId(region: string, service: string): NodeId {
  if (isSymbolicRegion(region)) return `com.amazonaws.\${AWS::Region}.${service}`;
  return `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.${region}.${service}`;
}

/** The node of an AWS-managed prefix list (com.amazonaws.<region>.<service>), created on first use. */
export function managedListNode(graph: Graph, region: string, service: string, at: SourceRef): NodeId {
  const id = managedListId(region, service);
  graph.add({ kind: 'prefix-list', id, source: at, attributeRefs: {}, callSites: [], managed: { service, region }, name: id });
  return id;
}
