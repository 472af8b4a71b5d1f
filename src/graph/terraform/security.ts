import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import type { NodeId, RulePeer, SecurityGroupRule } from '../model.js';
import { cidrPeer, protocolOf, securityGroupPeer, securityGroupRule } from '../network-rules.js';
import { addAwsDefaultSecurityGroup } from '../nodes/security.js';
import { prefixListDestination } from './prefix-lists.js';
import { base, describe, type InstanceIndex, maybeString, sourceOf } from './refs.js';

/**
 * Security groups, in every style the AWS provider offers: inline `ingress`/`egress` blocks, `aws_security_group_rule`,
 * `aws_vpc_security_group_{ingress,egress}_rule`, and the VPC's default group (`aws_default_security_group`, or the one
 * AWS creates when the configuration does not manage it). Network ACLs are in network-acls.ts.
 * Defaults: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
 */

const SG_TYPES = ['aws_security_group', 'aws_default_security_group'];
const SG_RULE_TYPES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];
export const isVpc = (i: ResourceInstance) => i.type === 'aws_vpc' || i.type === 'aws_default_vpc';

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

/** Security groups: managed and default groups, the group AWS creates with each VPC the configuration leaves it to, then their rules. */
export function addSecurityGroups(graph: Graph, index: InstanceIndex, vpcOf: (v: Value | undefined) => NodeId | undefined): void {
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
    if (!graph.defaultSecurityGroupOf(vpc.id)) addAwsDefaultSecurityGroup(graph, vpc, graph.isUncertain('aws_default_security_group'));
  }
  addInlineRules(graph, index);
  addRuleResources(graph, index);
}

interface PeerKeys {
  cidr: string;
  ipv6: string;
  prefixList: string;
  group: string;
  self?: string;
}

const INLINE_KEYS: PeerKeys = { cidr: 'cidr_blocks', ipv6: 'ipv6_cidr_blocks', prefixList: 'prefix_list_ids', group: 'security_groups', self: 'self' };
const RULE_KEYS: PeerKeys = { cidr: 'cidr_blocks', ipv6: 'ipv6_cidr_blocks', prefixList: 'prefix_list_ids', group: 'source_security_group_id', self: 'self' };
const VPC_RULE_KEYS: PeerKeys = { cidr: 'cidr_ipv4', ipv6: 'cidr_ipv6', prefixList: 'prefix_list_id', group: 'referenced_security_group_id' };

/** What a rule admits traffic from or to: every CIDR, prefix list and group it names, and the group itself (`self`). */
function peersOf(graph: Graph, index: InstanceIndex, own: NodeId, region: Value, r: ValueObject, keys: PeerKeys): RulePeer[] {
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
  each(keys.group, (x) => securityGroupPeer(x, own, (v) => securityGroupOf(graph, index, v), describe));
  if (keys.self) {
    const self = r[keys.self];
    if (isUnknown(self)) peers.push({ kind: 'unknown', reason: `self: ${self.reason}` });
    else if (self === true || self === 'true') peers.push({ kind: 'self' });
  }
  return peers;
}

function ruleOf(
  id: string,
  direction: 'ingress' | 'egress',
  r: ValueObject,
  protocolKey: string,
  peers: RulePeer[],
  origin: 'inline' | 'resource',
  source: SourceRef,
): SecurityGroupRule {
  const protocol = protocolOf(r[protocolKey]) ?? unknown('the rule has no protocol');
  return securityGroupRule({ id, direction, protocol, fromPort: r['from_port'], toPort: r['to_port'], peers, origin, source });
}

/** The inline `ingress` and `egress` blocks of each group. */
function addInlineRules(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType(...SG_TYPES)) {
    const group = graph.getKind(i.address, 'security-group')!;
    const readable = forEachInlineBlock(i, (direction, b, n, at) => {
      const peers = peersOf(graph, index, i.address, i.region, b, INLINE_KEYS);
      group.rules.push(ruleOf(`${i.address}.${direction}[${n}]`, direction, b, 'protocol', peers, 'inline', at));
    });
    if (!readable) (group as { rulesIncomplete: boolean }).rulesIncomplete = true;
  }
}

/** Rule resources: `aws_security_group_rule` and `aws_vpc_security_group_{ingress,egress}_rule`. */
function addRuleResources(graph: Graph, index: InstanceIndex): void {
  let unattributed = SG_RULE_TYPES.some((t) => graph.isUncertain(t));
  for (const i of index.ofType(...SG_RULE_TYPES)) {
    if (i.values['security_group_id'] === undefined || i.values['security_group_id'] === null) continue; // invalid: Terraform rejects it
    const g = securityGroupOf(graph, index, i.values['security_group_id']);
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
      const peers = peersOf(graph, index, group.id, i.region, i.values, RULE_KEYS);
      group.rules.push(ruleOf(i.address, type, i.values, 'protocol', peers, 'resource', sourceOf(i)));
    } else {
      const direction = i.type === 'aws_vpc_security_group_ingress_rule' ? 'ingress' : 'egress';
      const peers = peersOf(graph, index, group.id, i.region, i.values, VPC_RULE_KEYS);
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

/**
 * Calls `each` for every inline `ingress` and `egress` block of a security group or network ACL, with where it is
 * written. False when some block is not an object (a dynamic block over unknown values): the list is incomplete.
 */
export function forEachInlineBlock(
  i: ResourceInstance,
  each: (direction: 'ingress' | 'egress', block: ValueObject, n: number, at: SourceRef) => void,
): boolean {
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
