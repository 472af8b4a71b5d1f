import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import type { SourceRef } from '../../source/types.js';
import { isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import type { Graph } from '../graph.js';
import { collectIds } from '../ids.js';
import type { NetworkAclEntry, NodeId } from '../model.js';
import { aclEntryPeer, actionOf, icmpOf, numberOf, portsOf, protocolOf } from '../network-rules.js';
import { addAwsDefaultNetworkAcl, associateNetworkAcl } from '../nodes/security.js';
import { base, describe, type InstanceIndex, sourceOf } from './refs.js';
import { forEachInlineBlock, isVpc, subnetOf } from './security.js';

/**
 * Network ACLs: `aws_network_acl` and `aws_default_network_acl` (or the ACL AWS creates with each VPC the configuration
 * leaves it to) with their inline entries and `subnet_ids`, `aws_network_acl_rule` and `aws_network_acl_association`.
 */

const ACL_TYPES = ['aws_network_acl', 'aws_default_network_acl'];

export function addNetworkAcls(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
  addAclNodes(graph, index, vpcOf);
  addInlineEntries(graph, index);
  addEntryResources(graph, index);
  addAclAssociations(graph, index);
}

function addAclNodes(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
  const defaultAclVpc = (i: ResourceInstance): NodeId | undefined => {
    const t = index.target(i.values['default_network_acl_id']);
    return t && isVpc(t.instance) ? t.instance.address : undefined;
  };
  for (const i of index.ofType(...ACL_TYPES)) {
    const isDefault = i.type === 'aws_default_network_acl';
    const vpc = isDefault ? defaultAclVpc(i) : vpcOf(i.values['vpc_id']);
    graph.add({
      kind: 'network-acl',
      ...base(i),
      vpc,
      default: isDefault,
      entries: [],
      entriesIncomplete: isUnknown(i.values['ingress']) || isUnknown(i.values['egress']),
      subnets: [],
      subnetsIncomplete: false,
      externalSubnets: [],
    });
    if (isDefault && vpc) graph.setDefaultNetworkAcl(vpc, i.address);
  }
  for (const vpc of graph.all('vpc')) {
    if (!graph.defaultNetworkAclOf(vpc.id)) addAwsDefaultNetworkAcl(graph, vpc, graph.isUncertain('aws_default_network_acl'));
  }
}

/** The ACL a value names: a managed or default ACL, or a VPC's default ACL (`aws_vpc.main.default_network_acl_id`). */
function aclOf(graph: Graph, index: InstanceIndex, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = index.target(v);
  if (!t) return v === undefined || v === null ? undefined : 'unknown';
  if (ACL_TYPES.includes(t.instance.type)) return graph.getKind(t.instance.address, 'network-acl') ? t.instance.address : 'unknown';
  if (isVpc(t.instance) && t.attribute === 'default_network_acl_id') return graph.defaultNetworkAclOf(t.instance.address)?.id ?? 'unknown';
  return 'unknown';
}

function entryOf(
  id: string,
  direction: 'ingress' | 'egress',
  r: ValueObject,
  keys: { number: string; action: string },
  origin: 'inline' | 'resource',
  source: SourceRef,
): NetworkAclEntry {
  const protocol = protocolOf(r['protocol']) ?? unknown('the entry has no protocol');
  return {
    id,
    direction,
    ruleNumber: numberOf(r[keys.number], 'rule number') ?? unknown('the entry has no rule number'),
    action: actionOf(r[keys.action]),
    protocol,
    ports: portsOf(protocol, r['from_port'], r['to_port']),
    ...icmpOf(protocol, r['icmp_type'], r['icmp_code']),
    peer: aclEntryPeer(r['cidr_block'], r['ipv6_cidr_block'], describe),
    origin,
    source,
  };
}

/** Inline `ingress` and `egress` blocks, and the subnets an ACL's `subnet_ids` associates. */
function addInlineEntries(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType(...ACL_TYPES)) {
    const acl = graph.getKind(i.address, 'network-acl')!;
    const readable = forEachInlineBlock(i, (direction, b, n, at) => {
      acl.entries.push(entryOf(`${i.address}.${direction}[${n}]`, direction, b, { number: 'rule_no', action: 'action' }, 'inline', at));
    });
    if (!readable) (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;
    const ids = collectIds(i.values['subnet_ids'], (v) => subnetOf(graph, index, v));
    const at = sourceOf(i);
    for (const s of ids.nodes) graph.networkAclAssociations.push({ subnet: s, networkAcl: i.address, source: at });
    acl.subnets.push(...ids.nodes);
    acl.externalSubnets.push(...ids.external);
    (acl as { subnetsIncomplete: boolean }).subnetsIncomplete = ids.incomplete;
  }
}

/** `aws_network_acl_rule` resources; one whose ACL cannot be resolved could belong to any ACL. */
function addEntryResources(graph: Graph, index: InstanceIndex): void {
  let unattributed = graph.isUncertain('aws_network_acl_rule');
  for (const i of index.ofType('aws_network_acl_rule')) {
    const a = aclOf(graph, index, i.values['network_acl_id']);
    if (a === undefined || (typeof i.values['network_acl_id'] === 'string' && !parseRef(i.values['network_acl_id']))) continue;
    const acl = a !== 'unknown' ? graph.getKind(a, 'network-acl') : undefined;
    if (!acl) {
      unattributed = true;
      continue;
    }
    const egress = i.values['egress'];
    if (isUnknown(egress)) {
      (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;
      continue;
    }
    const direction = egress === true || egress === 'true' ? 'egress' : 'ingress';
    acl.entries.push(entryOf(i.address, direction, i.values, { number: 'rule_number', action: 'rule_action' }, 'resource', sourceOf(i)));
  }
  if (unattributed) for (const acl of graph.all('network-acl')) (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;
}

/** `aws_network_acl_association` resources. */
function addAclAssociations(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType('aws_network_acl_association')) {
    const subnet = subnetOf(graph, index, i.values['subnet_id']);
    if (subnet === undefined || subnet === 'unknown') continue;
    const a = aclOf(graph, index, i.values['network_acl_id']);
    associateNetworkAcl(graph, subnet, a === undefined ? 'unknown' : a, sourceOf(i));
  }
}
