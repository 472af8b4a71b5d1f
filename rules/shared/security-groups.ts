import { isUnknown } from '../../src/source/value.js';
import type { RulePeer, SecurityGroupNode, SecurityGroupRule } from '../../src/graph/model.js';

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

export function peerLabel(p: RulePeer): string {
  switch (p.kind) {
    case 'cidr':
    case 'ipv6':
      return p.cidr;
    case 'prefix-list':
      return `prefix list ${p.label}`;
    case 'security-group':
      return `members of ${p.label}`;
    case 'self':
      return 'its own members';
    case 'unknown':
      return 'a peer that is not known';
  }
}

/** `TCP 22`, `TCP 1024–65535`, `all traffic`, `UDP 53`, `ICMP`. */
export function trafficLabel(r: SecurityGroupRule): string {
  if (r.protocol === '-1') return 'all traffic';
  const proto = isUnknown(r.protocol) ? 'a protocol that is not known' : String(r.protocol).toUpperCase();
  if (isUnknown(r.ports)) return `${proto} on ports that are not known`;
  if (!r.ports) return proto;
  return `${proto} ${r.ports.from === r.ports.to ? r.ports.from : `${r.ports.from}–${r.ports.to}`}`;
}

/** What a group's rules of one direction admit, for a message: `admits only TCP 22 from 10.50.0.0/16`, `has no inbound rules`. */
export function describeRules(group: SecurityGroupNode, direction: 'ingress' | 'egress'): string {
  const rules = group.rules.filter((r) => r.direction === direction);
  const word = direction === 'ingress' ? 'inbound' : 'outbound';
  if (rules.length === 0) return `${group.id} has no ${word} rules`;
  const parts = rules.map((r) => `${trafficLabel(r)} ${direction === 'ingress' ? 'from' : 'to'} ${list(r.peers.map((p) => peerLabel(p)))}`);
  const shown = parts.slice(0, 3).join('; ') + (parts.length > 3 ? `; and ${parts.length - 3} more` : '');
  return `${group.id}${group.default && !group.id.includes('default security group') ? ' (the VPC default group)' : ''} ${direction === 'ingress' ? 'admits' : 'lets out'} only ${shown}`;
}

export { list };
