import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import { describeRules, list } from './shared/security-groups.js';
import { combine, egressToEndpoint, endpointConsumers, endpointPort, gatewayServiceReach, type Hop } from '../src/sim/reachability/index.js';
import { regionsToEvaluate } from '../src/sim/routing.js';
import { managedPrefixList, serviceRanges } from '../src/facts/aws-data.js';
import { displaySymbolic, isSymbolicRegion } from '../src/source/region.js';
import { isUnknown } from '../src/source/value.js';
import type { SecurityGroupNode, VpcEndpointNode, WorkloadNode } from '../src/graph/model.js';

/** How a rule names the endpoint's prefix list in the configuration's own language. */
function prefixListHow(syntax: GraphView['syntax'], endpoint: string): string {
  if (syntax === 'terraform')
    return `\`prefix_list_ids = [${endpoint}.prefix_list_id]\` in an \`egress\` block or \`aws_security_group_rule\`, or \`prefix_list_id\` in an \`aws_vpc_security_group_egress_rule\``;
  if (syntax === 'cdk') return `\`securityGroup.addEgressRule(ec2.Peer.prefixList(<the list's id>), ec2.Port.tcp(443))\``;
  return `\`DestinationPrefixListId\` in \`SecurityGroupEgress\` or an \`AWS::EC2::SecurityGroupEgress\``;
}

/**
 * VPCE603: a workload's security groups let out no traffic to the endpoint it depends on.
 *
 * - Gateway endpoints: a workload in a subnet that routes to the endpoint sends TCP 443 to the service's public
 *   ranges; its groups' egress must admit them (the service's prefix list, or CIDR blocks). Reported when some of the
 *   service's addresses are not admitted.
 * - Interface endpoints: a client's egress must admit TCP to the endpoint's port at the endpoint subnets' addresses or
 *   to the endpoint's groups. Reported only when no client of the endpoint in its VPC gets out to it (one client that
 *   does not may simply not use the service).
 */
export default defineRule({
  id: 'VPCE603',
  name: 'sg-egress-blocks-endpoint',
  level: 'error',
  category: 'correctness',
  summary: 'A workload’s security group egress admits neither the service prefix list nor the endpoint, so its calls to the service never leave it.',
  description:
    'Security groups are stateful, but outbound connections still need an egress rule. A workload that reaches S3 or DynamoDB through a gateway endpoint connects to the service’s public addresses: its egress must admit TCP 443 to the service’s prefix list (or its CIDR blocks). A workload that reaches a service through an interface endpoint connects to the endpoint’s network interfaces: its egress must admit the endpoint’s port to their subnets or security groups. Egress written for the VPC CIDR alone admits neither.',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'security-group'],
  messages: {
    gateway:
      'Security group {{group}} of {{workload}} lets no {{service}} traffic out to gateway endpoint {{endpoint}}. Its egress admits no TCP 443 to {{dropped}} ({{service}} in {{region}}): {{rules}}. {{workload}} cannot reach {{service}}.',
    interface:
      'Security group {{group}} of {{workload}} lets no traffic out to interface endpoint {{endpoint}} ({{service}}). Its egress admits no TCP {{port}} to {{targets}}: {{rules}}. No client of the endpoint in the VPC can reach it.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint')) {
      if (endpoint.type === 'Gateway') checkGateway(endpoint);
      else if (endpoint.type === 'Interface') checkInterface(endpoint);
    }

    function groupToFix(w: WorkloadNode): SecurityGroupNode | undefined {
      const groups = graph.securityGroupsOf(w);
      return groups.find((g) => !g.default) ?? groups[0];
    }

    function checkGateway(endpoint: VpcEndpointNode): void {
      const vpc = graph.vpcOf(endpoint);
      const service = endpoint.service?.service;
      if (!vpc || (service !== 's3' && service !== 'dynamodb')) return;
      const label = service === 's3' ? 'S3' : 'DynamoDB';
      if (isUnknown(vpc.region) || typeof vpc.region !== 'string') return; // VPCE602 says the region is not known
      const { regions } = regionsToEvaluate(graph, vpc.id, vpc.region, (r) => serviceRanges(service, r, 'ipv4') !== undefined);
      const reach = gatewayServiceReach(graph, endpoint, regions);
      if (reach.unknown) return;
      const done = new Set<string>();
      for (const s of reach.subnets)
        for (const { workload, reach: r } of s.egress) {
          if (done.has(workload.id)) continue;
          done.add(workload.id);
          if (r.verdict === 'unknown') {
            ctx.undecided({
              at: workload,
              reason: `whether the security groups of ${workload.id} let its ${label} traffic out to ${endpoint.id} is not known: ${r.reasons.join('; ')}`,
            });
            continue;
          }
          if (r.verdict !== 'blocked') continue;
          const hop = r.blocking[0]!;
          const group = groupToFix(workload);
          const pl = !isSymbolicRegion(vpc.region) ? managedPrefixList(vpc.region as string, service) : undefined;
          ctx.report({
            messageId: 'gateway',
            data: {
              group: group?.id ?? `(the groups of ${workload.id})`,
              workload: workload.id,
              service: label,
              endpoint: endpoint.id,
              dropped:
                hop.judgement.blockedAddresses.toCidrs().length > 3
                  ? `${hop.judgement.blockedAddresses.toCidrs().slice(0, 3).join(', ')} and ${hop.judgement.blockedAddresses.toCidrs().length - 3} more`
                  : hop.judgement.blockedAddresses.toString(),
              region: !isSymbolicRegion(vpc.region)
                ? vpc.region
                : regions.length === 1
                  ? regions[0]!
                  : `every region the template can be deployed to (${regions.length} evaluated)`,
              rules: (hop.groups ?? []).map((g) => describeRules(g, 'egress')).join('; ') || `${workload.id} has no security group the configuration shows`,
            },
            at: group ?? workload,
            related: [
              { at: workload, message: `${workload.id} runs in ${s.subnet.id}, which routes ${label} traffic to ${endpoint.id}` },
              ...(hop.groups ?? []).filter((g) => g !== group).map((g) => ({ at: g, message: `security group ${g.id} of ${workload.id}` })),
              { at: endpoint, message: `gateway endpoint ${endpoint.id}` },
            ],
            identity: [workload.id, endpoint.id],
            fix: {
              description: `Add an egress rule to ${group?.id ?? `a security group of ${workload.id}`} that admits TCP 443 to the ${label} prefix list${pl?.id ? ` (${pl.id}, ${pl.name})` : ` (com.amazonaws.<region>.${service})`}: ${prefixListHow(graph.syntax, endpoint.id)}.`,
            },
          });
        }
    }

    function checkInterface(endpoint: VpcEndpointNode): void {
      const { consumers, from } = endpointConsumers(graph, endpoint);
      if (from !== 'workloads' || consumers.length === 0) return;
      const paths = consumers.map((c) => ({ c, reach: combine(egressToEndpoint(graph, c, endpoint)) }));
      if (paths.some((p) => p.reach.verdict === 'allowed' || p.reach.hops.length === 0)) return;
      const open = paths.find((p) => p.reach.verdict === 'unknown');
      if (open) {
        ctx.undecided({ at: endpoint, reason: `whether ${open.c.label} may send to ${endpoint.id} is not known: ${open.reach.reasons.join('; ')}` });
        return;
      }
      const port = endpointPort(endpoint);
      const service = typeof endpoint.serviceName === 'string' ? displaySymbolic(endpoint.serviceName) : 'its service';
      const byWorkload = new Map<string, { w: WorkloadNode; hops: Hop[] }>();
      for (const p of paths) {
        const e = byWorkload.get(p.c.workload!.id) ?? byWorkload.set(p.c.workload!.id, { w: p.c.workload!, hops: [] }).get(p.c.workload!.id)!;
        e.hops.push(...p.reach.blocking.filter((h) => !e.hops.some((x) => x.traffic === h.traffic)));
      }
      for (const { w, hops } of byWorkload.values()) {
        const group = groupToFix(w);
        const subnets = graph.subnetsOf(endpoint).map((s) => s.id);
        ctx.report({
          messageId: 'interface',
          data: {
            group: group?.id ?? `(the groups of ${w.id})`,
            workload: w.id,
            endpoint: endpoint.id,
            service,
            port,
            targets: `${list(subnets)} or its security groups`,
            rules: (hops[0]?.groups ?? []).map((g) => describeRules(g, 'egress')).join('; ') || `${w.id} has no security group the configuration shows`,
          },
          at: group ?? w,
          related: [
            { at: w, message: `${w.id} runs in the VPC of ${endpoint.id}` },
            { at: endpoint, message: `interface endpoint ${endpoint.id}` },
          ],
          identity: [w.id, endpoint.id],
          fix: {
            description: `Add an egress rule to ${group?.id ?? `a security group of ${w.id}`} that admits TCP ${port} to the endpoint's security group${endpoint.securityGroups.length ? ` (${list(endpoint.securityGroups)})` : ''} or to the CIDR blocks of ${list(subnets)}.`,
          },
        });
      }
    }
  },
});
