/**
 * Packet filters over sets of packets: network ACLs (ordered entries, first match wins, an implicit deny at the end,
 * stateless) and security groups (a union of allow rules, stateful). Each evaluates one hop for TCP traffic: a box of
 * addresses (the one side of the packet the hop matches on: the source for inbound rules, the destination for
 * outbound rules) and destination ports, and splits it into pieces that are allowed, dropped or undecided, each with
 * what decided it.
 *
 * - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html — "Each network ACL rule has a number …
 *   evaluated starting with the lowest numbered rule. If the traffic matches a rule, the rule is applied and no other
 *   rules are evaluated"; the last rule (`*`) denies what no numbered rule matched; ACLs are stateless: responses are
 *   subject to the rules for the other direction; ACL rules name CIDR blocks only.
 * - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html — security group rules only allow;
 *   traffic is allowed when some rule of some group of the network interface allows it; groups are stateful, so the
 *   response to allowed traffic is allowed whatever the rules of the other direction; a rule names a CIDR block, a
 *   prefix list, or a security group (the traffic of network interfaces that carry that group).
 */
import { CidrSet } from '../../facts/cidr.js';
import type { NetworkAclEntry, NodeId, RulePeer, SecurityGroupNode, SecurityGroupRule } from '../../graph/model.js';
import { isUnknown } from '../../source/value.js';
import { PortSet } from './ports.js';

/** Packets: addresses (of the side the hop matches on) × destination ports. */
export interface Box {
  addrs: CidrSet;
  ports: PortSet;
}

export type PieceCause =
  | { kind: 'acl-entry'; entry: NetworkAclEntry }
  /** The `*` entry every ACL ends with: what no numbered entry matched is denied. */
  | { kind: 'acl-default-deny' }
  | { kind: 'sg-rule'; rule: SecurityGroupRule; group: SecurityGroupNode }
  /** No rule of any group admits it. */
  | { kind: 'sg-no-rule' }
  | { kind: 'unknown'; reason: string };

export type PieceStatus = 'allowed' | 'dropped' | 'unknown';

export interface Piece extends Box {
  status: PieceStatus;
  cause: PieceCause;
}

export const isEmptyBox = (b: Box) => b.addrs.isEmpty() || b.ports.isEmpty();

export function intersectBox(a: Box, b: Box): Box {
  return { addrs: a.addrs.intersect(b.addrs), ports: a.ports.intersect(b.ports) };
}

/** a \ b as at most two disjoint boxes. */
export function subtractBox(a: Box, b: Box): Box[] {
  const inside = a.addrs.intersect(b.addrs);
  return [
    { addrs: a.addrs.subtract(b.addrs), ports: a.ports },
    { addrs: inside, ports: a.ports.subtract(b.ports) },
  ].filter((x) => !isEmptyBox(x));
}

const ALL_ADDRESSES = CidrSet.all('ipv4').union(CidrSet.all('ipv6'));

/** Whether a rule's protocol carries TCP: yes for `tcp` and all traffic (`-1`), unknown for an Unknown protocol. */
function carriesTcp(protocol: unknown): boolean | 'unknown' {
  if (isUnknown(protocol)) return 'unknown';
  return protocol === 'tcp' || protocol === '-1';
}

interface Match {
  /** The most packets the rule can match (an unknown part counts as everything). */
  box: Box;
  /** Why the match (or, for an ACL entry, its action) is not certain; undefined when it is. */
  unsure?: string;
}

function portsMatch(ports: unknown, label: string): { ports: PortSet; unsure?: string } {
  if (isUnknown(ports)) return { ports: PortSet.all(), unsure: `the ports of ${label} are not known (${ports.reason})` };
  if (ports === undefined) return { ports: PortSet.all() };
  const p = ports as { from: number; to: number };
  return { ports: PortSet.range(p.from, p.to) };
}

function cidrMatch(cidr: string, label: string): { addrs: CidrSet; unsure?: string } {
  const set = CidrSet.tryFromCidrs([cidr]);
  return set ? { addrs: set } : { addrs: ALL_ADDRESSES, unsure: `${label} names ${JSON.stringify(cidr)}, which is not a CIDR block` };
}

/** What one ACL entry matches of TCP traffic; undefined when it cannot match TCP at all. */
function aclEntryMatch(e: NetworkAclEntry): Match | undefined {
  const tcp = carriesTcp(e.protocol);
  if (tcp === false) return undefined;
  const unsure: string[] = [];
  if (tcp === 'unknown') unsure.push(`the protocol of ${e.id} is not known (${(e.protocol as { reason: string }).reason})`);
  const ports = e.protocol === '-1' ? { ports: PortSet.all() } : portsMatch(e.ports, e.id);
  if (ports.unsure) unsure.push(ports.unsure);
  let addrs = ALL_ADDRESSES;
  if (e.peer.kind === 'unknown') unsure.push(`the CIDR block of ${e.id} is not known (${e.peer.reason})`);
  else {
    const m = cidrMatch(e.peer.cidr, e.id);
    addrs = m.addrs;
    if (m.unsure) unsure.push(m.unsure);
  }
  if (isUnknown(e.action)) unsure.push(`the action of ${e.id} is not known (${e.action.reason})`);
  if (isUnknown(e.ruleNumber)) unsure.push(`the rule number of ${e.id} is not known (${e.ruleNumber.reason}), so its place in the order is not`);
  return { box: { addrs, ports: ports.ports }, ...(unsure.length ? { unsure: unsure.join('; ') } : {}) };
}

/**
 * One direction of a network ACL over TCP traffic. Entries are taken in rule-number order and the first that matches a
 * packet decides it; what none matches meets the implicit deny. An entry that cannot be fully read makes undecided
 * what it may match from its place on (anywhere, when its rule number is unknown); an ACL whose entries are not all
 * known decides nothing.
 */
export function evaluateAcl(
  acl: { id: string; entries: readonly NetworkAclEntry[]; entriesIncomplete: boolean },
  direction: 'ingress' | 'egress',
  traffic: Box,
): Piece[] {
  const relevant = acl.entries.filter((e) => e.direction === direction);
  const ordered = relevant
    .filter((e) => typeof e.ruleNumber === 'number')
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.ruleNumber as number) - (b.e.ruleNumber as number) || a.i - b.i)
    .map((x) => x.e);
  const unplaced = relevant.filter((e) => typeof e.ruleNumber !== 'number');
  let remaining: Box[] = isEmptyBox(traffic) ? [] : [traffic];
  let pieces: Piece[] = [];
  for (const e of ordered) {
    const m = aclEntryMatch(e);
    if (!m) continue;
    const next: Box[] = [];
    for (const box of remaining) {
      const hit = intersectBox(box, m.box);
      if (isEmptyBox(hit)) {
        next.push(box);
        continue;
      }
      pieces.push(
        m.unsure
          ? { ...hit, status: 'unknown', cause: { kind: 'unknown', reason: m.unsure } }
          : { ...hit, status: e.action === 'allow' ? 'allowed' : 'dropped', cause: { kind: 'acl-entry', entry: e } },
      );
      next.push(...subtractBox(box, m.box));
    }
    remaining = next;
  }
  for (const box of remaining) pieces.push({ ...box, status: 'dropped', cause: { kind: 'acl-default-deny' } });
  for (const e of unplaced) {
    const m = aclEntryMatch(e);
    if (m) pieces = markUnknown(pieces, m.box, m.unsure ?? `the rule number of ${e.id} is not known`);
  }
  if (acl.entriesIncomplete) {
    const reason = `the entries of ${acl.id} are not all known`;
    pieces = pieces.map((p) => ({ ...p, status: 'unknown', cause: { kind: 'unknown', reason } }));
  }
  return pieces;
}

/** The part of each piece inside `region` becomes undecided. */
function markUnknown(pieces: Piece[], region: Box, reason: string): Piece[] {
  return pieces.flatMap((p) => {
    const hit = intersectBox(p, region);
    if (isEmptyBox(hit) || p.status === 'unknown') return [p];
    return [{ ...hit, status: 'unknown' as const, cause: { kind: 'unknown' as const, reason } }, ...subtractBox(p, region).map((b) => ({ ...p, ...b }))];
  });
}

/** The other end of the traffic, as security group rules that name a group see it. */
export interface OtherEnd {
  /** The groups (node ids, or literal ids of groups outside the configuration) its network interfaces carry. */
  groups: ReadonlySet<NodeId>;
  /** False when it may carry groups not listed: a rule naming another group may then admit it. */
  groupsComplete: boolean;
  /** Why the groups are not all known. */
  groupsReason?: string;
  /** No network interface of the other end carries a group at all (a public AWS service address). */
  noGroups?: boolean;
  /** Groups the other end is taken not to carry, even when its groups are not all known. */
  notIn?: ReadonlySet<NodeId>;
}

/** The addresses of a prefix list a rule names, or why they are not known. */
export type PrefixListResolver = (peer: Extract<RulePeer, { kind: 'prefix-list' }>) => CidrSet | { unknown: string };

/** What one peer of a security group rule matches of the other end's addresses. */
function peerMatch(
  peer: RulePeer,
  group: SecurityGroupNode,
  other: OtherEnd,
  prefixList: PrefixListResolver,
  label: string,
): { addrs: CidrSet; unsure?: string } | undefined {
  switch (peer.kind) {
    case 'cidr':
    case 'ipv6':
      return cidrMatch(peer.cidr, label);
    case 'prefix-list': {
      const r = prefixList(peer);
      return r instanceof CidrSet ? { addrs: r } : { addrs: ALL_ADDRESSES, unsure: r.unknown };
    }
    case 'security-group':
    case 'self': {
      const id = peer.kind === 'self' ? group.id : (peer.securityGroup ?? peer.label);
      const name = peer.kind === 'self' ? `its own group ${group.id}` : `group ${id}`;
      if (other.noGroups) return undefined;
      if (other.groups.has(id)) return { addrs: ALL_ADDRESSES };
      if (other.groupsComplete || other.notIn?.has(id)) return undefined;
      return {
        addrs: ALL_ADDRESSES,
        unsure: `${label} admits members of ${name}, and ${other.groupsReason ?? 'the groups of the other end are not all known'}`,
      };
    }
    case 'unknown':
      return { addrs: ALL_ADDRESSES, unsure: `a peer of ${label} is not known (${peer.reason})` };
  }
}

/**
 * One direction of the security groups of a network interface over TCP traffic: a packet passes when some rule of some
 * group admits it. `incomplete` says why groups the interface may carry are not all known: then nothing is dropped
 * for certain.
 */
export function evaluateSecurityGroups(
  groups: readonly SecurityGroupNode[],
  direction: 'ingress' | 'egress',
  traffic: Box,
  other: OtherEnd,
  prefixList: PrefixListResolver,
  incomplete?: string,
): Piece[] {
  const allows: Array<{ box: Box; rule: SecurityGroupRule; group: SecurityGroupNode }> = [];
  const unsure: Array<{ box: Box; reason: string }> = [];
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.direction !== direction) continue;
      const tcp = carriesTcp(rule.protocol);
      if (tcp === false) continue;
      const ports = rule.protocol === '-1' ? { ports: PortSet.all() } : portsMatch(rule.ports, rule.id);
      for (const peer of rule.peers) {
        const m = peerMatch(peer, group, other, prefixList, rule.id);
        if (!m) continue;
        const box = { addrs: m.addrs, ports: ports.ports };
        const why = [tcp === 'unknown' ? `the protocol of ${rule.id} is not known` : undefined, ports.unsure, m.unsure].filter((x): x is string => !!x);
        if (why.length) unsure.push({ box, reason: why.join('; ') });
        else allows.push({ box, rule, group });
      }
    }
  }
  let remaining: Box[] = isEmptyBox(traffic) ? [] : [traffic];
  const pieces: Piece[] = [];
  const take = (region: Box, piece: (hit: Box) => Piece) => {
    const next: Box[] = [];
    for (const box of remaining) {
      const hit = intersectBox(box, region);
      if (isEmptyBox(hit)) next.push(box);
      else {
        pieces.push(piece(hit));
        next.push(...subtractBox(box, region));
      }
    }
    remaining = next;
  };
  for (const a of allows) take(a.box, (hit) => ({ ...hit, status: 'allowed', cause: { kind: 'sg-rule', rule: a.rule, group: a.group } }));
  for (const u of unsure) take(u.box, (hit) => ({ ...hit, status: 'unknown', cause: { kind: 'unknown', reason: u.reason } }));
  const incompleteGroup = groups.find((g) => g.rulesIncomplete);
  const whyIncomplete = incomplete ?? (incompleteGroup ? `the rules of ${incompleteGroup.id} are not all known` : undefined);
  for (const box of remaining)
    pieces.push(
      whyIncomplete
        ? { ...box, status: 'unknown', cause: { kind: 'unknown', reason: whyIncomplete } }
        : { ...box, status: 'dropped', cause: { kind: 'sg-no-rule' } },
    );
  return pieces;
}
