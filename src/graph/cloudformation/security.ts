import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import { isSymbolicRegion } from '../../source/region.js';
import type { SourceRef } from '../../source/types.js';
import { collectIds } from '../ids.js';
import type { NetworkAclEntry, NodeId, RulePeer, SecurityGroupRule } from '../model.js';
import {
  aclEntryPeer,
  actionOf,
  awsDefaultEgress,
  cidrPeer,
  icmpOf,
  numberOf,
  portsOf,
  protocolOf,
  securityGroupPeer,
  securityGroupRule,
} from '../network-rules.js';
import { managedListById } from '../nodes.js';
import { addAwsDefaultNetworkAcl, addAwsDefaultSecurityGroup, associateNetworkAcl } from '../nodes/security.js';
import { describe, maybeString, propertyAt, type CfnContext } from './context.js';

/**
 * Security groups (inline `SecurityGroupIngress`/`SecurityGroupEgress` and `AWS::EC2::SecurityGroupIngress`/`Egress`
 * resources) and network ACLs (`AWS::EC2::NetworkAcl`, `NetworkAclEntry`, `SubnetNetworkAclAssociation`). A template
 * cannot manage a VPC's default group or ACL, but it can add rules to them (`!GetAtt Vpc.DefaultSecurityGroup`,
 * `!GetAtt Vpc.DefaultNetworkAcl`). A group keeps EC2's allow-all egress rule unless the template lists egress rules
 * inline. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
 */
export function addSecurity(ctx: CfnContext): void {
  const { graph } = ctx;
  for (const vpc of graph.all('vpc')) {
    addAwsDefaultSecurityGroup(graph, vpc, false);
    addAwsDefaultNetworkAcl(graph, vpc, false);
  }
  addSecurityGroups(ctx);
  addNetworkAcls(ctx);
}

/**
 * A CIDR a rule or entry names: `!GetAtt Vpc.CidrBlock` and `!GetAtt Subnet.CidrBlock` read as the block the VPC or
 * subnet sets (its primary block for a VPC), anything else as written.
 */
function cidrOf(ctx: CfnContext, v: Value): Value {
  const ref = parseRef(v);
  const t = ref?.attribute === 'CidrBlock' ? ctx.target(v) : undefined;
  if (t && (t.type === 'AWS::EC2::VPC' || t.type === 'AWS::EC2::Subnet')) {
    const block = t.properties['CidrBlock'];
    if (typeof block === 'string' && !parseRef(block)) return block;
  }
  return v;
}

/** The group a value names: `!Ref Sg`, `!GetAtt Sg.GroupId`, `!GetAtt Vpc.DefaultSecurityGroup`. */
export function securityGroupOf(ctx: CfnContext, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = ctx.target(v);
  if (!t) return undefined;
  if (t.type === 'AWS::EC2::SecurityGroup') return t.logicalId;
  if (t.type === 'AWS::EC2::VPC' && parseRef(v)?.attribute === 'DefaultSecurityGroup') return ctx.graph.defaultSecurityGroupOf(t.logicalId)?.id ?? 'unknown';
  return 'unknown';
}

export function subnetOf(ctx: CfnContext, v: Value | undefined): NodeId | 'unknown' | undefined {
  const t = ctx.target(v);
  if (!t) return undefined;
  return ctx.graph.getKind(t.logicalId, 'subnet') ? t.logicalId : 'unknown';
}

function addSecurityGroups(ctx: CfnContext): void {
  const groups = ctx.ofType('AWS::EC2::SecurityGroup');
  for (const r of groups) {
    const p = r.properties;
    ctx.graph.add({
      kind: 'security-group',
      ...ctx.base(r),
      vpc: ctx.vpcOf(p['VpcId']),
      default: false,
      name: maybeString(p['GroupName']) ?? unknown('CloudFormation generates the name'),
      rules: [],
      rulesIncomplete: isUnknown(p['SecurityGroupIngress']) || isUnknown(p['SecurityGroupEgress']),
    });
  }
  for (const r of groups) addInlineRules(ctx, r);
  addRuleResources(ctx);
}

/** A rule, inline or a resource of its own: one peer for each source (destination) property it sets. */
function ruleOf(
  ctx: CfnContext,
  id: string,
  own: NodeId,
  direction: 'ingress' | 'egress',
  r: ValueObject,
  origin: 'inline' | 'resource',
  source: SourceRef,
): SecurityGroupRule {
  const protocol = protocolOf(r['IpProtocol']) ?? unknown('the rule has no IpProtocol');
  const peers: RulePeer[] = [];
  const add = (v: Value | undefined, f: (x: Value) => RulePeer) => {
    if (v !== undefined && v !== null && v !== '') peers.push(f(v));
  };
  add(r['CidrIp'], (x) => cidrPeer(cidrOf(ctx, x), 'cidr', describe));
  add(r['CidrIpv6'], (x) => cidrPeer(x, 'ipv6', describe));
  add(direction === 'ingress' ? r['SourcePrefixListId'] : r['DestinationPrefixListId'], (x) => prefixListPeer(ctx, x));
  add(direction === 'ingress' ? r['SourceSecurityGroupId'] : r['DestinationSecurityGroupId'], (x) => groupPeer(ctx, x, own));
  if (direction === 'ingress')
    add(r['SourceSecurityGroupName'], (x) =>
      typeof x === 'string' && !parseRef(x) ? { kind: 'security-group', securityGroup: undefined, label: x } : groupPeer(ctx, x, own),
    );
  if (peers.length === 0) peers.push({ kind: 'unknown', reason: 'the rule names no source or destination' });
  return securityGroupRule({ id, direction, protocol, fromPort: r['FromPort'], toPort: r['ToPort'], peers, origin, source });
}

/** A group's inline `SecurityGroupIngress` and `SecurityGroupEgress`, and EC2's allow-all egress rule when it lists no egress. */
function addInlineRules(ctx: CfnContext, r: CfnResource): void {
  const group = ctx.graph.getKind(r.logicalId, 'security-group')!;
  let egressRules = 0;
  for (const [key, direction] of [
    ['SecurityGroupIngress', 'ingress'],
    ['SecurityGroupEgress', 'egress'],
  ] as const) {
    const list = r.properties[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, n) => {
      if (!isObject(item)) return void ((group as { rulesIncomplete: boolean }).rulesIncomplete = true);
      group.rules.push(ruleOf(ctx, `${r.logicalId}.${key}[${n}]`, r.logicalId, direction, item, 'inline', propertyAt(r, `${key}[${n}]`)));
      if (direction === 'egress') egressRules++;
    });
  }
  if (egressRules === 0 && !isUnknown(r.properties['SecurityGroupEgress'])) group.rules.push(awsDefaultEgress(r.logicalId, ctx.sourceOf(r)));
}

/** `AWS::EC2::SecurityGroupIngress` and `Egress`; one whose group cannot be resolved could belong to any group. */
function addRuleResources(ctx: CfnContext): void {
  const { graph } = ctx;
  let unattributed = false;
  for (const r of ctx.ofType('AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress')) {
    const p = r.properties;
    const groupValue = p['GroupId'] ?? (r.type === 'AWS::EC2::SecurityGroupIngress' ? p['GroupName'] : undefined);
    const g = securityGroupOf(ctx, groupValue);
    if (g === undefined && typeof groupValue === 'string') continue; // a group outside the template (or of the default VPC, by name)
    const group = g && g !== 'unknown' ? graph.getKind(g, 'security-group') : undefined;
    if (!group) {
      unattributed = true;
      continue;
    }
    if (r.exists !== true) {
      (group as { rulesIncomplete: boolean }).rulesIncomplete = true;
      continue;
    }
    const direction = r.type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress';
    group.rules.push(ruleOf(ctx, r.logicalId, group.id, direction, p, 'resource', ctx.sourceOf(r)));
  }
  if (unattributed) for (const g of graph.all('security-group')) (g as { rulesIncomplete: boolean }).rulesIncomplete = true;
}

function groupPeer(ctx: CfnContext, v: Value, own: NodeId): RulePeer {
  return securityGroupPeer(v, own, (x) => securityGroupOf(ctx, x), describe);
}

function prefixListPeer(ctx: CfnContext, v: Value): RulePeer {
  if (isUnknown(v)) return { kind: 'unknown', reason: v.reason };
  const t = ctx.target(v);
  if (t && ctx.graph.getKind(t.logicalId, 'prefix-list')) return { kind: 'prefix-list', prefixList: t.logicalId, label: t.logicalId };
  if (typeof v === 'string' && !parseRef(v)) {
    const managed = isSymbolicRegion(ctx.region) ? undefined : managedListById(ctx.graph, ctx.region, v);
    if (managed) return managed;
    return { kind: 'prefix-list', prefixList: undefined, label: v };
  }
  if (t) return { kind: 'prefix-list', prefixList: undefined, label: describe(v) };
  return { kind: 'unknown', reason: `prefix list ${describe(v)} is not known` };
}

function addNetworkAcls(ctx: CfnContext): void {
  const { graph } = ctx;
  for (const r of ctx.ofType('AWS::EC2::NetworkAcl')) {
    // A new ACL has no entries but the implicit deny-all.
    graph.add({
      kind: 'network-acl',
      ...ctx.base(r),
      vpc: ctx.vpcOf(r.properties['VpcId']),
      default: false,
      entries: [],
      entriesIncomplete: false,
      subnets: [],
      subnetsIncomplete: false,
      externalSubnets: [],
    });
  }
  const aclOf = (v: Value | undefined): NodeId | 'unknown' | undefined => {
    const t = ctx.target(v);
    if (!t) return v === undefined || v === null ? undefined : 'unknown';
    if (t.type === 'AWS::EC2::NetworkAcl') return t.logicalId;
    if (t.type === 'AWS::EC2::VPC' && parseRef(v)?.attribute === 'DefaultNetworkAcl') return graph.defaultNetworkAclOf(t.logicalId)?.id ?? 'unknown';
    return 'unknown';
  };
  let unattributed = false;
  for (const r of ctx.ofType('AWS::EC2::NetworkAclEntry')) {
    const p = r.properties;
    const a = aclOf(p['NetworkAclId']);
    if (a === undefined || (typeof p['NetworkAclId'] === 'string' && !parseRef(p['NetworkAclId']))) continue;
    const acl = a !== 'unknown' ? graph.getKind(a, 'network-acl') : undefined;
    if (!acl) {
      unattributed = true;
      continue;
    }
    const egress = p['Egress'];
    if (r.exists !== true || isUnknown(egress)) {
      (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;
      continue;
    }
    acl.entries.push(entryOf(ctx, r, egress === true || egress === 'true' ? 'egress' : 'ingress'));
  }
  if (unattributed) for (const acl of graph.all('network-acl')) (acl as { entriesIncomplete: boolean }).entriesIncomplete = true;

  for (const r of ctx.ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
    const p = r.properties;
    const subnet = collectIds(p['SubnetId'], (v) => subnetOf(ctx, v)).nodes[0];
    if (!subnet) continue;
    const a = aclOf(p['NetworkAclId']);
    associateNetworkAcl(graph, subnet, r.exists !== true || a === undefined ? 'unknown' : a, ctx.sourceOf(r));
  }
}

function entryOf(ctx: CfnContext, r: CfnResource, direction: 'ingress' | 'egress'): NetworkAclEntry {
  const p = r.properties;
  const protocol = protocolOf(p['Protocol']) ?? unknown('the entry has no Protocol');
  const range = p['PortRange'];
  const icmp = p['Icmp'];
  return {
    id: r.logicalId,
    direction,
    ruleNumber: numberOf(p['RuleNumber'], 'rule number') ?? unknown('the entry has no RuleNumber'),
    action: actionOf(p['RuleAction']),
    protocol,
    ports: isUnknown(range) ? range : portsOf(protocol, isObject(range) ? range['From'] : undefined, isObject(range) ? range['To'] : undefined),
    ...icmpOf(protocol, isObject(icmp) ? icmp['Type'] : undefined, isObject(icmp) ? icmp['Code'] : undefined),
    peer: aclEntryPeer(p['CidrBlock'] === undefined ? undefined : cidrOf(ctx, p['CidrBlock']), p['Ipv6CidrBlock'], describe),
    origin: 'resource',
    source: ctx.sourceOf(r),
  };
}
