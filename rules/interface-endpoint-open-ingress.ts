import { defineRule } from './rule.js';
import { isUnknown } from '../src/source/value.js';
import { endpointPort } from '../src/sim/reachability/index.js';
import { trafficLabel } from './shared/security-groups.js';
import type { SecurityGroupRule } from '../src/graph/model.js';

/** Whether a rule admits TCP on the port: true, false, or 'unknown' when its protocol or ports are not known. */
function admitsPort(r: SecurityGroupRule, port: number): boolean | 'unknown' {
  if (r.protocol === '-1') return true;
  if (isUnknown(r.protocol)) return 'unknown';
  if (r.protocol !== 'tcp') return false;
  if (isUnknown(r.ports)) return 'unknown';
  return r.ports !== undefined && r.ports.from <= port && port <= r.ports.to;
}

/**
 * VPCE204: a security group of an interface endpoint admits the endpoint's port from every address (0.0.0.0/0 or
 * ::/0). Rules that do not cover the port admit nothing the endpoint answers and are left alone.
 */
export default defineRule({
  id: 'VPCE204',
  name: 'interface-endpoint-open-ingress',
  level: 'warning',
  category: 'security',
  summary: 'A security group of an interface endpoint admits its port from 0.0.0.0/0 or ::/0.',
  description:
    'An interface endpoint’s network interfaces have private addresses, but they are reachable from everything routed to the VPC: peered VPCs, transit gateway attachments, VPN and Direct Connect networks. A security group that admits the endpoint’s port from 0.0.0.0/0 or ::/0 lets all of them use the endpoint (and, with it, the credentials they hold against your account’s endpoint policy). Admitting the VPC CIDR or the clients’ security groups keeps the endpoint to the clients it was made for.',
  precision: 'very-high',
  securitySeverity: '5.3',
  tags: ['security', 'networking', 'vpc-endpoint', 'security-group'],
  messages: {
    open: 'Interface endpoint {{endpoint}} admits {{cidr}} on TCP {{port}}. Rule {{rule}} of {{group}} admits {{traffic}} from {{cidr}}: every network routed to the VPC can use the endpoint.',
  },
  check(graph, ctx) {
    const seen = new Set<string>();
    for (const endpoint of graph.all('vpc-endpoint')) {
      if (endpoint.type !== 'Interface') continue;
      const port = endpointPort(endpoint);
      for (const group of graph.securityGroupsOf(endpoint)) {
        for (const r of group.rules) {
          if (r.direction !== 'ingress') continue;
          const admits = admitsPort(r, port);
          if (admits === false) continue;
          for (const peer of r.peers) {
            const open = (peer.kind === 'cidr' || peer.kind === 'ipv6') && (peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0');
            if (peer.kind === 'unknown' && admits === true) {
              ctx.undecided({
                at: r.source,
                reason: `rule ${r.id} of ${group.id} (a security group of ${endpoint.id}) admits TCP ${port} from a peer that is not known (${peer.reason}), which may be 0.0.0.0/0`,
              });
              continue;
            }
            if (!open) continue;
            if (admits === 'unknown') {
              ctx.undecided({
                at: r.source,
                reason: `rule ${r.id} of ${group.id} admits ${peer.cidr}, but its protocol or ports are not known, so whether it admits TCP ${port} to ${endpoint.id} is not`,
              });
              continue;
            }
            const key = `${endpoint.id}|${r.id}|${peer.cidr}`;
            if (seen.has(key)) continue;
            seen.add(key);
            ctx.report({
              messageId: 'open',
              data: { endpoint: endpoint.id, cidr: peer.cidr, port, rule: r.id, group: group.id, traffic: trafficLabel(r) },
              at: r.source,
              related: [
                { at: endpoint, message: `interface endpoint ${endpoint.id} uses ${group.id}` },
                { at: group, message: `security group ${group.id}` },
              ],
              identity: [endpoint.id, r.id, peer.cidr],
              fix: {
                description: `Replace ${peer.cidr} in ${r.id} with the CIDR blocks of the VPC${peer.kind === 'ipv6' ? ' (IPv6)' : ''}, or with the security groups of the endpoint's clients, and admit only TCP ${port}.`,
              },
            });
          }
        }
      }
    }
  },
});
