import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import { collectIds } from '../ids.js';
import type { NetworkAclEntry, NodeId, RulePeer, SecurityGroupRule } from '../model.js';
import {
  actionOf,
  awsDefaultAclEntries,
  awsDefaultGroupRules,
  cidrPeer,
  defaultNetworkAclId,
  defaultSecurityGroupId,
  icmpOf,
  isIcmp,
  numberOf,
  portsOf,
  protocolOf,
} from '../network-rules.js';
import { prefixListDestination } from './prefix-lists.js';
import { base, describe, type InstanceIndex, maybeString, sourceOf } from './refs.js';

/**
 * Security groups and network ACLs, in every style the AWS provider offers: inline `ingress`/`egress` blocks,
 * `aws_security_group_rule`, `aws_vpc_security_group_{ingress,egress}_rule`, `aws_network_acl_rule`,
 * `aws_network_acl_association`, and the VPC's default group and ACL (`aws_default_security_group`,
 * `aws_default_network_acl`, or the ones AWS creates when the configuration does not manage them).
 * Defaults: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
 */

const SG_TYPES = ['aws_security_group', 'aws_default_security_group'];
const SG_RULE_TYPES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];
const ACL_TYPES = ['aws_network_acl', 'aws_default_network_acl'];
const isVpc = (i: ResourceInstance) => i.type === 'aws_vpc' || i.type === 'aws_default_vpc';

/** The group a value (`aws_security_group.x.id`, `aws_vpc.main.default_security_group_id`) names. */
export function securityGroupOf(graph: Graph, index: InstanceIndex, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = index.target(v);
  if (!t) return undefined;
  if (SG_TYPES.includes(t.instance.type) && graph.getKind(t.instance.address, 'security-group')) return t.instance.address;
  if (isVpc(t.instance) && t.attribute === 'default_security_group_id') return graph.defaultSecurityGroupOf(t.instance.address)?.id ?? 'unknown';
  return 'unknown';
}

export function subnetOf(graph: Graph, index: InstanceIndex, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = index.target(v);
  if (!t) return undefined;
  return graph.getKind(t.instance.address, 'subnet') ? t.instance.address : 'unknown';
}

export function addSecurity(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
  addSecurityGroups(graph, index, vpcOf);
  addNetworkAcls(graph, index, vpcOf);
}

function addSecurityGroups(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
  // Groups first (rules may reference any group), then their rules.
  for (const i of index.ofType(...SG_TYPES)) {
    const isDefault = i.type === 'aws_default_security_group';
    const vpc = vpcOf(i.values['vpc_id']);
    const name =
      maybeString(i.values['name']) ??
      (isDefault ? 'default' : i.values['name_prefix'] ? unknown('the name is generated from name_prefix') : unknown('Terraform generates the name'));
    graph.add({
      kind: 'security-group',
      ...base(i),
      vpc,
      default: isDefault,
      name,
      rules: [],
      rulesIncomplete: isUnknown(i.values['ingress']) || isUnknown(i.values['egress']),
    });
    if (isDefault && vpc) graph.setDefaultSecurityGroup(vpc, i.address);
  }
  for (const vpc of graph.all('vpc')) {
    if (graph.defaultSecurityGroupOf(vpc.id)) continue;
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
      rulesIncomplete: graph.isUncertain('aws_default_security_group'),
    });
    graph.setDefaultSecurityGroup(vpc.id, id);
  }

  const groupOf = (v: Value | undefined) => securityGroupOf(graph, index, v);
  const peersOf = (
    own: NodeId,
    region: Value,
    r: ValueObject,
    keys: { cidr: string; ipv6: string; prefixList: string; group: string; self?: string },
  ): RulePeer[] => {
    const peers: RulePeer[] = [];
    const each = (key: string, f: (x: Value) => RulePeer) => {
      const v = r[key];
      if (v === undefined || v === null) return;
      if (isUnknown(v)) return void peers.push({ kind: 'unknown', reason: `${key}: ${v.reason}` });
      for (const x of Array.isArray(v) ? v : [v]) if (x !== null && x !== '') peers.push(f(x));
    };
    each(keys.cidr, (x) => cidrPeer(x, 'cidr', describe));
    each(keys.ipv6, (x) => cidrPeer(x, 'ipv6', describe));
    each(keys.prefixList, (x) => prefixListPeer(graph, index, x, region));
    each(keys.group, (x): RulePeer => {
      if (isUnknown(x)) return { kind: 'unknown', reason: x.reason };
      const g = groupOf(x);
      if (g === own) return { kind: 'self' };
      if (g !== undefined && g !== 'unknown') return { kind: 'security-group', securityGroup: g, label: g };
      if (g === 'unknown' || (typeof x === 'string' && !parseRef(x))) return { kind: 'security-group', securityGroup: undefined, label: describe(x) };
      return { kind: 'unknown', reason: `security group ${describe(x)} is not known` };
    });
    if (keys.self) {
      const self = r[keys.self];
      if (isUnknown(self)) peers.push({ kind: 'unknown', reason: `self: ${self.reason}` });
      else if (self === true || self === 'true') peers.push({ kind: 'self' });
    }
    return peers;
  };
  const ruleOf = (
    id: string,
    direction: 'ingress' | 'egress',
    r: ValueObject,
    protocolKey: string,
    peers: RulePeer[],
    origin: 'inline' | 'resource',
    source: SourceRef,
  ): SecurityGroupRule => {
    const protocol = protocolOf(r[protocolKey]) ?? unknown('the rule has no protocol');
    return {
      id,
      direction,
      protocol,
      // For ICMP, from_port is the ICMP type and to_port the code.
      ports: isIcmp(protocol) ? undefined : portsOf(protocol, r['from_port'], r['to_port']),
      ...icmpOf(protocol, r['from_port'], r['to_port']),
      peers,
      origin,
      source,
    };
  };
  const INLINE_KEYS = { cidr: 'cidr_blocks', ipv6: 'ipv6_cidr_blocks', prefixList: 'prefix_list_ids', group: 'security_groups', self: 'self' };

  for (const i of index.ofType(...SG_TYPES)) {
    const group = graph.getKind(i.address, 'security-group')!;
    const readable = forEachInlineBlock(i, (direction, b, n, at) => {
      group.rules.push(ruleOf(`${i.address}.${direction}[${n}]`, direction, b, 'protocol', peersOf(i.address, i.region, b, INLINE_KEYS), 'inline', at));
    });
    if (!readable) (group as { rulesIncomplete: boolean }).rulesIncomplete = true;
  }

  let unattributed = SG_RULE_TYPES.some((t) => graph.isUncertain(t));
  for (const i of index.ofType(...SG_RULE_TYPES)) {
    if (i.values['security_group_id'] === undefined || i.values['security_group_id'] === null) continue; // invalid: Terraform rejects it
    const g = groupOf(i.values['security_group_id']);
    if (g === undefined && typeof i.values['security_group_id'] === 'string' && !parseRef(i.values['security_group_id'])) continue; // a group outside the configuration
    const group = g && g !== 'unknown' ? graph.getKind(g, 'security-group') : undefined;
    if (!group) {
      unattributed = true;
      continue;
    }
    if (i.type === 'aws_security_group_rule') {
      const type = i.values['type'];
      if (type !== 'ingress' && type !== 'egress') {
        (group as { rulesIncomplete: boolean }).rulesIncomplete = true;
        continue;
      }
      const peers = peersOf(group.id, i.region, i.values, {
        cidr: 'cidr_blocks',
        ipv6: 'ipv6_cidr_blocks',
        prefixList: 'prefix_list_ids',
        group: 'source_security_group_id',
        self: 'self',
      });
      group.rules.push(ruleOf(i.address, type, i.values, 'protocol', peers, 'resource', sourceOf(i)));
    } else {
      const direction = i.type === 'aws_vpc_security_group_ingress_rule' ? 'ingress' : 'egress';
      const peers = peersOf(group.id, i.region, i.values, {
        cidr: 'cidr_ipv4',
        ipv6: 'cidr_ipv6',
        prefixList: 'prefix_list_id',
        group: 'referenced_security_group_id',
      });
      group.rules.push(ruleOf(i.address, direction, i.values, 'ip_protocol', peers, 'resource', sourceOf(i)));
    }
  }
  // A rule resource whose group cannot be resolved could belong to any group.
  if (unattributed) for (const g of graph.all('security-group')) (g as { rulesIncomplete: boolean }).rulesIncomplete = true;
}

function prefixListPeer(graph: Graph, index: InstanceIndex, v: Value, region: Value): RulePeer {
  if (isUnknown(v)) return { kind: 'unknown', reason: v.reason };
  const d = prefixListDestination(v, region, graph, index);
  if (d.kind === 'prefix-list') return d;
  if (typeof v === 'string' && !parseRef(v)) return { kind: 'prefix-list', prefixList: undefined, label: v };
  if (index.target(v)) return { kind: 'prefix-list', prefixList: undefined, label: describe(v) };
  return { kind: 'unknown', reason: d.kind === 'unknown' ? d.reason : `prefix list ${describe(v)} is not known` };
}

function addNetworkAcls(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
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
    if (graph.defaultNetworkAclOf(vpc.id)) continue;
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
      entriesIncomplete: graph.isUncertain('aws_default_network_acl'),
      subnets: [],
      subnetsIncomplete: false,
      externalSubnets: [],
    });
    graph.setDefaultNetworkAcl(vpc.id, id);
  }

  const aclOf = (v: Value | undefined): NodeId | 'unknown' | undefined => {
    const t = index.target(v);
    if (!t) return v === undefined || v === null ? undefined : 'unknown';
    if (ACL_TYPES.includes(t.instance.type)) return graph.getKind(t.instance.address, 'network-acl') ? t.instance.address : 'unknown';
    if (isVpc(t.instance) && t.attribute === 'default_network_acl_id') return graph.defaultNetworkAclOf(t.instance.address)?.id ?? 'unknown';
    return 'unknown';
  };
  const entryOf = (
    id: string,
    direction: 'ingress' | 'egress',
    r: ValueObject,
    keys: { number: string; action: string },
    origin: 'inline' | 'resource',
    source: SourceRef,
  ): NetworkAclEntry => {
    const protocol = protocolOf(r['protocol']) ?? unknown('the entry has no protocol');
    const cidr = r['cidr_block'];
    const ipv6 = r['ipv6_cidr_block'];
    const peer: NetworkAclEntry['peer'] =
      cidr !== undefined && cidr !== null && cidr !== ''
        ? cidrPeer(cidr, 'cidr', describe)
        : ipv6 !== undefined && ipv6 !== null && ipv6 !== ''
          ? cidrPeer(ipv6, 'ipv6', describe)
          : { kind: 'unknown', reason: 'the entry has no CIDR block' };
    return {
      id,
      direction,
      ruleNumber: numberOf(r[keys.number], 'rule number') ?? unknown('the entry has no rule number'),
      action: actionOf(r[keys.action]),
      protocol,
      ports: portsOf(protocol, r['from_port'], r['to_port']),
      ...icmpOf(protocol, r['icmp_type'], r['icmp_code']),
      peer,
      origin,
      source,
    };
  };

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

  let unattributed = graph.isUncertain('aws_network_acl_rule');
  for (const i of index.ofType('aws_network_acl_rule')) {
    const a = aclOf(i.values['network_acl_id']);
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
    acl.entries.push(
      entryOf(
        i.address,
        egress === true || egress === 'true' ? 'egress' : 'ingress',
        i.values,
        { number: 'rule_number', action: 'rule_action' },
        'resource',
        sourceOf(i),
      ),
    );
  }
  if (unattributed) for (const acl of graph.all('network-acl')) (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;

  for (const i of index.ofType('aws_network_acl_association')) {
    const subnet = subnetOf(graph, index, i.values['subnet_id']);
    if (subnet === undefined || subnet === 'unknown') continue;
    const a = aclOf(i.values['network_acl_id']);
    const networkAcl = a === undefined ? 'unknown' : a;
    graph.networkAclAssociations.push({ subnet, networkAcl, source: sourceOf(i) });
    const acl = networkAcl !== 'unknown' ? graph.getKind(networkAcl, 'network-acl') : undefined;
    if (acl && !acl.subnets.includes(subnet)) acl.subnets.push(subnet);
  }
}

/**
 * Calls `each` for every inline `ingress` and `egress` block of a security group or network ACL, with where it is
 * written. False when some block is not an object (a dynamic block over unknown values): the list is incomplete.
 */
function forEachInlineBlock(i: ResourceInstance, each: (direction: 'ingress' | 'egress', block: ValueObject, n: number, at: SourceRef) => void): boolean {
  let readable = true;
  for (const direction of ['ingress', 'egress'] as const) {
    const blocks = i.values[direction];
    if (!Array.isArray(blocks)) continue;
    blocks.forEach((b, n) => {
      const span = i.nestedSpans[direction]?.[n];
      if (!isObject(b)) {
        readable = false;
        return;
      }
      each(direction, b, n, span ? { file: i.block.file, span, address: i.address } : sourceOf(i));
    });
  }
  return readable;
}
