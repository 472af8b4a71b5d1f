import { isUnknown, parseRef, unknown, type Value } from '../source/value.js';
import type { SourceRef } from '../source/types.js';
import type { Maybe, NetworkAclEntry, NodeId, PortRange, Protocol, RulePeer, SecurityGroupRule, VpcNode } from './model.js';

/**
 * Protocols and ports of security group rules and network ACL entries, and the rules AWS creates by itself, shared by
 * the Terraform and CloudFormation builders.
 */

export const defaultSecurityGroupId = (vpc: NodeId) => `${vpc} (default security group)`;
export const defaultNetworkAclId = (vpc: NodeId) => `${vpc} (default network ACL)`;

const PROTOCOL_NAMES: Record<string, Protocol> = { '-1': '-1', all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** 'tcp', 'udp', 'icmp', 'icmpv6', '-1' (all), or a protocol number; undefined when not set. */
export function protocolOf(v: Value | undefined): Maybe<Protocol> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (isUnknown(v)) return v;
  if (parseRef(v)) return unknown('the protocol is known only after deployment');
  if (typeof v !== 'string' && typeof v !== 'number') return unknown(`protocol ${JSON.stringify(v)} is not a protocol`);
  const s = String(v).trim().toLowerCase();
  return PROTOCOL_NAMES[s] ?? s;
}

/** A port, ICMP type or code, or a rule number: a whole number, Unknown when not computable. */
export function numberOf(v: Value | undefined, what: string): Maybe<number> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (isUnknown(v)) return v;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : unknown(`${what} ${parseRef(v) ? 'is known only after deployment' : `${JSON.stringify(v)} is not a number`}`);
}

export const isIcmp = (p: Maybe<Protocol> | undefined) => p === 'icmp' || p === 'icmpv6';

/**
 * The ports a rule covers: all of them for protocol '-1' (AWS ignores the ports then), the range for TCP/UDP (and for a
 * protocol not known, when ports are written), none for ICMP and other protocols.
 */
export function portsOf(protocol: Maybe<Protocol> | undefined, from: Value | undefined, to: Value | undefined): Maybe<PortRange> | undefined {
  if (protocol === '-1') return { ...ALL_PORTS };
  const known = protocol === 'tcp' || protocol === 'udp';
  if (!known && !isUnknown(protocol) && protocol !== undefined) return undefined;
  if (!known && (from === undefined || from === null) && (to === undefined || to === null)) return undefined;
  const f = numberOf(from, 'from port') ?? unknown('the rule has no from port');
  const t = numberOf(to, 'to port') ?? unknown('the rule has no to port');
  if (isUnknown(f)) return f;
  if (isUnknown(t)) return t;
  if (f < 0 || t < 0) return unknown(`port range ${f}–${t} is not a TCP/UDP port range`);
  return { from: f, to: t };
}

/** ICMP type and code for an ICMP rule (-1: any). */
export function icmpOf(
  protocol: Maybe<Protocol> | undefined,
  type: Value | undefined,
  code: Value | undefined,
): { icmp?: { type: Maybe<number>; code: Maybe<number> } } {
  if (!isIcmp(protocol)) return {};
  return { icmp: { type: numberOf(type, 'ICMP type') ?? -1, code: numberOf(code, 'ICMP code') ?? -1 } };
}

export function actionOf(v: Value | undefined): Maybe<'allow' | 'deny'> {
  if (v === undefined || v === null) return unknown('the entry has no action');
  if (isUnknown(v)) return v;
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return s === 'allow' || s === 'deny' ? s : unknown(`action ${JSON.stringify(v)} is not allow or deny`);
}

/**
 * The group AWS creates with every VPC, as long as nobody changes it: inbound from members of the group itself, all
 * outbound IPv4 (and IPv6 when the VPC has an IPv6 CIDR).
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 */
export function awsDefaultGroupRules(group: NodeId, vpc: VpcNode): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [
    {
      id: `${group} default ingress`,
      direction: 'ingress',
      protocol: '-1',
      ports: { ...ALL_PORTS },
      peers: [{ kind: 'self' }],
      origin: 'aws-default',
      source: vpc.source,
    },
    {
      id: `${group} default egress`,
      direction: 'egress',
      protocol: '-1',
      ports: { ...ALL_PORTS },
      peers: [{ kind: 'cidr', cidr: '0.0.0.0/0' }],
      origin: 'aws-default',
      source: vpc.source,
    },
  ];
  if (vpc.ipv6Cidrs.length > 0)
    rules.push({
      id: `${group} default egress ipv6`,
      direction: 'egress',
      protocol: '-1',
      ports: { ...ALL_PORTS },
      peers: [{ kind: 'ipv6', cidr: '::/0' }],
      origin: 'aws-default',
      source: vpc.source,
    });
  return rules;
}

/**
 * The outbound rule EC2 gives a new group (all IPv4 traffic), which CloudFormation keeps unless the template lists
 * egress rules of its own. Terraform's `aws_security_group` removes it at creation.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
 */
export function awsDefaultEgress(group: NodeId, source: SourceRef): SecurityGroupRule {
  return {
    id: `${group} default egress`,
    direction: 'egress',
    protocol: '-1',
    ports: { ...ALL_PORTS },
    peers: [{ kind: 'cidr', cidr: '0.0.0.0/0' }],
    origin: 'aws-default',
    source,
  };
}

/**
 * The ACL AWS creates with every VPC: rule 100 allows all IPv4 traffic both ways (rule 101 IPv6, when the VPC has an
 * IPv6 CIDR). https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
 */
export function awsDefaultAclEntries(acl: NodeId, vpc: VpcNode): NetworkAclEntry[] {
  const entries: NetworkAclEntry[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    entries.push({
      id: `${acl} default ${direction}`,
      direction,
      ruleNumber: 100,
      action: 'allow',
      protocol: '-1',
      ports: { ...ALL_PORTS },
      peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      origin: 'aws-default',
      source: vpc.source,
    });
    if (vpc.ipv6Cidrs.length > 0) {
      entries.push({
        id: `${acl} default ${direction} ipv6`,
        direction,
        ruleNumber: 101,
        action: 'allow',
        protocol: '-1',
        ports: { ...ALL_PORTS },
        peer: { kind: 'ipv6', cidr: '::/0' },
        origin: 'aws-default',
        source: vpc.source,
      });
    }
  }
  return entries;
}

/** A CIDR peer: a literal string, else Unknown. */
export function cidrPeer(
  v: Value,
  kind: 'cidr' | 'ipv6',
  describe: (v: Value) => string,
): { kind: 'cidr' | 'ipv6'; cidr: string } | { kind: 'unknown'; reason: string } {
  if (typeof v === 'string' && !parseRef(v)) return { kind, cidr: v };
  return { kind: 'unknown', reason: isUnknown(v) ? v.reason : `${kind === 'ipv6' ? 'IPv6 CIDR' : 'CIDR'} ${describe(v)} is not known` };
}

/**
 * A security group peer: the group itself, a group of the graph, a group outside it (a literal id, or something the
 * graph does not model), else Unknown. `resolve` gives the group a value names ('unknown' for something the graph does
 * not model, undefined when it is not a reference).
 */
export function securityGroupPeer(v: Value, own: NodeId, resolve: (v: Value) => NodeId | 'unknown' | undefined, describe: (v: Value) => string): RulePeer {
  if (isUnknown(v)) return { kind: 'unknown', reason: v.reason };
  const g = resolve(v);
  if (g === own) return { kind: 'self' };
  if (g !== undefined && g !== 'unknown') return { kind: 'security-group', securityGroup: g, label: g };
  if (g === 'unknown' || (typeof v === 'string' && !parseRef(v))) return { kind: 'security-group', securityGroup: undefined, label: describe(v) };
  return { kind: 'unknown', reason: `security group ${describe(v)} is not known` };
}

/** A security group rule; for ICMP, the from and to ports are the ICMP type and code. */
export function securityGroupRule(rule: {
  id: string;
  direction: 'ingress' | 'egress';
  protocol: Maybe<Protocol>;
  fromPort: Value | undefined;
  toPort: Value | undefined;
  peers: RulePeer[];
  origin: 'inline' | 'resource';
  source: SourceRef;
}): SecurityGroupRule {
  const { protocol, fromPort, toPort } = rule;
  return {
    id: rule.id,
    direction: rule.direction,
    protocol,
    ports: isIcmp(protocol) ? undefined : portsOf(protocol, fromPort, toPort),
    ...icmpOf(protocol, fromPort, toPort),
    peers: rule.peers,
    origin: rule.origin,
    source: rule.source,
  };
}

/** A network ACL entry's peer: its IPv4 CIDR block when set, else its IPv6 one. */
export function aclEntryPeer(cidr: Value | undefined, ipv6: Value | undefined, describe: (v: Value) => string): NetworkAclEntry['peer'] {
  if (cidr !== undefined && cidr !== null && cidr !== '') return cidrPeer(cidr, 'cidr', describe);
  if (ipv6 !== undefined && ipv6 !== null && ipv6 !== '') return cidrPeer(ipv6, 'ipv6', describe);
  return { kind: 'unknown', reason: 'the entry has no CIDR block' };
}
