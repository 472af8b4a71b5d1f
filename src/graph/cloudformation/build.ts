import type { CfnTemplate } from '../../parsers/cloudformation/index.js';
import { Graph } from '../graph.js';
import { cfnContext } from './context.js';
import { addDhcpOptions } from './dhcp-options.js';
import { addEndpoints } from './endpoints.js';
import { addIamRoles } from './iam.js';
import { addGateways, addPrefixLists, addVpcs } from './network.js';
import { addRoutes, addSubnetAssociations } from './routes.js';
import { addSecurity } from './security.js';
import { addServiceUse } from './service-use.js';
import { addBucketPolicies, addEndpointServices } from './services.js';
import { addWorkloads } from './workloads.js';

/**
 * The network graph of one CloudFormation template (also a CDK stack's synthesized template). Node ids are logical
 * ids; references (`!Ref Vpc`, `!GetAtt Nat.Id`) link nodes, and anything the template imports or takes from a
 * parameter of an AWS-specific type is external: not in the graph, never treated as missing.
 * Property names and defaults: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_EC2.html
 */
export function buildCloudFormationGraph(template: CfnTemplate, options: { cdk?: boolean } = {}): Graph {
  const graph = new Graph(template.file, options.cdk ? 'cdk' : template.format === 'json' ? 'cloudformation-json' : 'cloudformation-yaml');
  graph.deployableRegions = template.deployableRegions;
  const ctx = cfnContext(graph, template);
  addVpcs(ctx);
  addDhcpOptions(ctx);
  addGateways(ctx);
  addPrefixLists(ctx);
  addRoutes(ctx);
  addSubnetAssociations(ctx);
  addSecurity(ctx);
  addEndpoints(ctx);
  addServiceUse(ctx);
  addEndpointServices(ctx);
  addBucketPolicies(ctx);
  addIamRoles(ctx);
  addWorkloads(ctx);
  return graph.freeze();
}
