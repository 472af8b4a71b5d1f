import type { EvaluatedModule } from '../../parsers/terraform/evaluate/index.js';
import type { Value } from '../../source/value.js';
import { Graph } from '../graph.js';
import { resourceTypeOf } from './address.js';
import { addDhcpOptions } from './dhcp-options.js';
import { addEndpoints } from './endpoints.js';
import { addIamRoles } from './iam.js';
import { addNetworkAcls } from './network-acls.js';
import { addGateways, addVpcs, vpcOf } from './network.js';
import { addPrefixLists } from './prefix-lists.js';
import { InstanceIndex } from './refs.js';
import { pinVpcRegions } from './region-pins.js';
import { addRoutes, addRouteTables, addSubnetAssociations, routeTableOf } from './routes.js';
import { addSecurityGroups } from './security.js';
import { addServiceUse } from './service-use.js';
import { addBucketPolicies, addEndpointServices } from './services.js';
import { addWorkloads } from './workloads.js';

/** Builds the network graph of one evaluated Terraform root module. */
export function buildTerraformGraph(module: EvaluatedModule): Graph {
  const graph = new Graph(module.dir);
  const index = new InstanceIndex(module.instances);
  for (const address of module.unknownExpansions) {
    graph.unknownExpansions.push(address);
    const type = resourceTypeOf(address);
    if (type) graph.markUncertain(type);
  }
  const vpc = (v: Value | undefined) => vpcOf(index, v);
  const table = (v: Value | undefined) => routeTableOf(graph, index, v);
  addVpcs(graph, index);
  addDhcpOptions(graph, index);
  addGateways(graph, index);
  addPrefixLists(graph, index);
  addRouteTables(graph, index, vpc);
  addRoutes(graph, index);
  addSubnetAssociations(graph, index);
  addSecurityGroups(graph, index, vpc);
  addNetworkAcls(graph, index, vpc);
  addEndpoints(graph, index, table, vpc);
  pinVpcRegions(graph);
  addServiceUse(graph, index);
  addEndpointServices(graph, index);
  addBucketPolicies(graph, index);
  addIamRoles(graph, index);
  addWorkloads(graph, index);
  return graph.freeze();
}
