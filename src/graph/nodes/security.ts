import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import type { NodeId, VpcNode } from '../model.js';
import { awsDefaultAclEntries, awsDefaultGroupRules, defaultNetworkAclId, defaultSecurityGroupId } from '../network-rules.js';

/*
 * The security group and network ACL AWS creates with every VPC, for VPCs whose configuration does not manage them
 * (written where the VPC is, with the rules AWS gives them), and subnet–ACL associations.
 */

/** Adds the default security group AWS creates with a VPC; `rulesIncomplete` when the configuration may change its rules. */
export function addAwsDefaultSecurityGroup(graph: Graph, vpc: VpcNode, rulesIncomplete: boolean): void {
  const id = defaultSecurityGroupId(vpc.id);
  graph.add({
    kind: 'security-group',
    id,
    source: vpc.source,
    attributeRefs: {},
    callSites: vpc.callSites,
    vpc: vpc.id,
    default: true,
    name: 'default',
    rules: awsDefaultGroupRules(id, vpc),
    rulesIncomplete,
  });
  graph.setDefaultSecurityGroup(vpc.id, id);
}

/** Adds the default network ACL AWS creates with a VPC; `entriesIncomplete` when the configuration may change its entries. */
export function addAwsDefaultNetworkAcl(graph: Graph, vpc: VpcNode, entriesIncomplete: boolean): void {
  const id = defaultNetworkAclId(vpc.id);
  graph.add({
    kind: 'network-acl',
    id,
    source: vpc.source,
    attributeRefs: {},
    callSites: vpc.callSites,
    vpc: vpc.id,
    default: true,
    entries: awsDefaultAclEntries(id, vpc),
    entriesIncomplete,
    subnets: [],
    subnetsIncomplete: false,
    externalSubnets: [],
  });
  graph.setDefaultNetworkAcl(vpc.id, id);
}

/** Associates a subnet with a network ACL (or with one that is not known), and lists the subnet on that ACL. */
export function associateNetworkAcl(graph: Graph, subnet: NodeId, networkAcl: NodeId | 'unknown', source: SourceRef): void {
  graph.networkAclAssociations.push({ subnet, networkAcl, source });
  const acl = networkAcl !== 'unknown' ? graph.getKind(networkAcl, 'network-acl') : undefined;
  if (acl && !acl.subnets.includes(subnet)) acl.subnets.push(subnet);
}
