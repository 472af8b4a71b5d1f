import { prefixListById } from '../facts/aws-data.js';
import { isSymbolicRegion } from '../source/region.js';
import type { SourceRef } from '../source/types.js';
import type { Graph } from './graph.js';
import type { NodeId } from './model.js';

/*
 * Node constructors both builders share: what a node is called and how it is made does not depend on the format the
 * configuration is written in. Each builder reads its format's values and calls them. Here: ids, prefix lists and
 * service use; next to this file: VPCs, NAT gateways and routes (nodes/network.ts), endpoints and the routes gateway
 * endpoints add (nodes/endpoints.ts), the default security group and network ACL (nodes/security.ts), load balancers
 * and endpoint services (nodes/services.ts).
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

/**
 * An AWS-managed prefix list the configuration names by its id (`pl-63a5400a`), when the bundled data knows that id in
 * the region: its node (which points at the start of the configuration, as nothing there declares the list) and the
 * label `<id> (<name>)`. Undefined when the id is not known there.
 */
export function managedListById(graph: Graph, region: string, id: string): { kind: 'prefix-list'; prefixList: NodeId; label: string } | undefined {
  const known = prefixListById(region, id);
  if (!known) return undefined;
  const at: SourceRef = { file: graph.name, span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, address: known.name };
  return { kind: 'prefix-list', prefixList: managedListNode(graph, region, known.service, at), label: `${id} (${known.name})` };
}

/**
 * Adds evidence that the configuration uses a service (a table of it, a policy that allows its actions): a node for
 * the resource that shows it, `<resource> uses <service>`.
 */
export function addServiceUseNode(
  graph: Graph,
  resource: { id: NodeId; source: SourceRef; attributeRefs: Record<string, SourceRef>; callSites: SourceRef[] },
  service: string,
  evidence: string,
  table = false,
): void {
  graph.add({ kind: 'service-use', ...resource, id: `${resource.id} uses ${service}`, service, evidence, table });
}
