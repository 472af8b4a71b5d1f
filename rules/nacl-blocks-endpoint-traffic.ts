import { defineRule, type RuleContext } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import { list } from './shared/security-groups.js';
import { aclsToEndpoint, blockingCauses, combine, endpointConsumers, endpointPort, gatewayServiceReach, type Hop } from '../src/sim/reachability/index.js';
import { regionsToEvaluate } from '../src/sim/routing.js';
import { serviceRanges } from '../src/facts/aws-data.js';
import { displaySymbolic, isSymbolicRegion } from '../src/source/region.js';
import { isUnknown } from '../src/source/value.js';
import type { NetworkAclNode, VpcEndpointNode } from '../src/graph/model.js';

type Message = 'gateway' | 'interface';

const what = (h: Hop) => `${h.direction === 'egress' ? 'outbound' : 'inbound'} ${h.traffic} by ${blockingCauses(h).join(', ')}`;

/**
 * VPCE602: a network ACL drops traffic an endpoint path needs.
 *
 * - Gateway endpoints: a subnet that routes to the endpoint and runs a workload sends TCP 443 to the service's public
 *   ranges and needs the responses back on ephemeral ports; its ACL must pass both (it cannot name the prefix list).
 * - Interface endpoints: the ACLs between the clients' subnets and an endpoint subnet. Reported only when no client can
 *   reach that endpoint subnet through the ACLs: one client blocked while others pass may be by design.
 */
export default defineRule({
  id: 'VPCE602',
  name: 'nacl-blocks-endpoint-traffic',
  level: 'error',
  category: 'correctness',
  summary: 'A subnet’s network ACL drops the traffic its endpoint path needs (ACLs cannot use prefix lists).',
  description:
    'Network ACLs are stateless and match CIDR blocks only. Traffic through an S3 or DynamoDB gateway endpoint still goes to the service’s public addresses, so the ACL of a subnet that uses the endpoint must allow TCP 443 out to the service’s CIDR blocks and the responses back in on ephemeral ports; an ACL written for the VPC CIDR drops it. Traffic to an interface endpoint crosses the ACLs of the client’s subnet and of the endpoint’s subnet, both ways. The first matching entry in rule-number order decides, and what no entry allows is denied.',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'network-acl'],
  messages: {
    gateway:
      'Network ACL {{acl}} drops {{service}} traffic of {{subnets}} through gateway endpoint {{endpoint}}. It drops {{dropped}}. ACLs cannot name the {{service}} prefix list: {{workloads}} cannot reach {{service}} in {{region}}.',
    interface:
      'Network ACL {{acl}} drops the traffic between interface endpoint {{endpoint}} in {{endpointSubnet}} and its clients. It drops {{dropped}}, so {{consumers}} cannot use the endpoint’s network interface in {{endpointSubnet}}.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint')) {
      if (endpoint.type === 'Gateway') checkGateway(graph, ctx, endpoint);
      else if (endpoint.type === 'Interface') checkInterface(graph, ctx, endpoint);
    }
  },
});

function checkGateway(graph: GraphView, ctx: RuleContext<Message>, endpoint: VpcEndpointNode): void {
  const vpc = graph.vpcOf(endpoint);
  const service = endpoint.service?.service;
  if (!vpc || (service !== 's3' && service !== 'dynamodb')) return;
  const label = service === 's3' ? 'S3' : 'DynamoDB';
  if (isUnknown(vpc.region) || typeof vpc.region !== 'string') {
    ctx.undecided({ at: endpoint, reason: `the region of ${vpc.id} is not known, so the ${label} ranges its subnets' network ACLs must allow are not` });
    return;
  }
  const { regions } = regionsToEvaluate(graph, vpc.id, vpc.region, (r) => serviceRanges(service, r, 'ipv4') !== undefined);
  const reach = gatewayServiceReach(graph, endpoint, regions);
  if (reach.unknown) {
    if (reach.subnets.length || regions.length === 0) ctx.undecided({ at: endpoint, reason: reach.unknown });
    return;
  }
  const byAcl = new Map<string, { acl: NetworkAclNode; subnets: string[]; workloads: string[]; hops: Hop[] }>();
  for (const s of reach.subnets) {
    if (s.acl.verdict === 'unknown') {
      ctx.undecided({
        at: s.subnet,
        reason: `whether the network ACL of ${s.subnet.id} passes its ${label} traffic through ${endpoint.id} is not known: ${s.acl.reasons.join('; ')}`,
      });
      continue;
    }
    if (s.acl.verdict !== 'blocked') continue;
    const acl = s.acl.blocking[0]!.acl!;
    const entry = byAcl.get(acl.id) ?? byAcl.set(acl.id, { acl, subnets: [], workloads: [], hops: s.acl.blocking }).get(acl.id)!;
    entry.subnets.push(s.subnet.id);
    entry.workloads.push(...s.workloads.map((w) => w.id).filter((w) => !entry.workloads.includes(w)));
  }
  const region = !isSymbolicRegion(vpc.region)
    ? vpc.region
    : regions.length === 1
      ? regions[0]!
      : `every region the template can be deployed to (${regions.length} evaluated)`;
  for (const { acl, subnets, workloads, hops } of byAcl.values()) {
    ctx.report({
      messageId: 'gateway',
      data: {
        acl: acl.id,
        service: label,
        subnets: list(subnets),
        endpoint: endpoint.id,
        dropped: hops.map(what).join('; and '),
        workloads: list(workloads),
        region,
      },
      at: acl.default && acl.entries.every((e) => e.origin === 'aws-default') ? (graph.getKind(subnets[0], 'subnet') ?? acl) : acl,
      related: [
        ...hops.flatMap((h) =>
          h.judgement.dropped.flatMap((p) => (p.cause.kind === 'acl-entry' ? [{ at: p.cause.entry.source, message: `entry ${p.cause.entry.id}` }] : [])),
        ),
        { at: endpoint, message: `gateway endpoint ${endpoint.id} routes ${label} traffic of ${list(subnets)}` },
        ...subnets.map((s) => ({ at: graph.getKind(s, 'subnet')!, message: `subnet ${s} uses ${acl.id}` })),
        ...workloads.map((w) => ({ at: graph.getKind(w, 'workload')!, message: `${w} runs in ${list(subnets)}` })),
      ],
      identity: [acl.id, endpoint.id],
      fix: {
        description: `Add entries to ${acl.id}, numbered before the entries that drop the traffic: outbound allow TCP 443 to each ${label} CIDR block of ${isSymbolicRegion(vpc.region) ? 'the deployment region' : vpc.region} (the entries of the ${label} managed prefix list), and inbound allow TCP 1024–65535 from the same blocks.`,
      },
    });
  }
}

function checkInterface(graph: GraphView, ctx: RuleContext<Message>, endpoint: VpcEndpointNode): void {
  const { consumers, unknown } = endpointConsumers(graph, endpoint);
  if (unknown) return; // VPCE203 says why the clients are not known
  const located = consumers.filter((c) => c.subnet);
  if (located.length === 0) return;
  const port = endpointPort(endpoint);
  for (const endpointSubnet of graph.subnetsOf(endpoint)) {
    const paths = located.map((c) => ({ c, reach: combine(aclsToEndpoint(graph, c, endpoint, endpointSubnet)) }));
    if (paths.some((p) => p.reach.verdict === 'allowed')) continue;
    const open = paths.find((p) => p.reach.verdict === 'unknown');
    if (open) {
      ctx.undecided({
        at: endpoint,
        reason: `whether the network ACLs between ${open.c.label} and ${endpointSubnet.id} pass TCP ${port} is not known: ${open.reach.reasons.join('; ')}`,
      });
      continue;
    }
    const byAcl = new Map<string, { acl: NetworkAclNode; hops: Hop[] }>();
    for (const p of paths)
      for (const h of p.reach.blocking) {
        const e = byAcl.get(h.acl!.id) ?? byAcl.set(h.acl!.id, { acl: h.acl!, hops: [] }).get(h.acl!.id)!;
        if (!e.hops.some((x) => x.traffic === h.traffic && x.direction === h.direction)) e.hops.push(h);
      }
    for (const { acl, hops } of byAcl.values()) {
      ctx.report({
        messageId: 'interface',
        data: {
          acl: acl.id,
          endpoint: endpoint.id,
          endpointSubnet: endpointSubnet.id,
          dropped: hops.slice(0, 3).map(what).join('; and ') + (hops.length > 3 ? `; and ${hops.length - 3} more` : ''),
          consumers: list(paths.map((p) => p.c.label)),
        },
        at: acl,
        related: [
          {
            at: endpoint,
            message: `interface endpoint ${endpoint.id} (${typeof endpoint.serviceName === 'string' ? displaySymbolic(endpoint.serviceName) : 'service not known'})`,
          },
          { at: endpointSubnet, message: `endpoint subnet ${endpointSubnet.id}` },
          ...paths.flatMap((p) => (p.c.workload ? [{ at: p.c.workload, message: `${p.c.label} cannot reach ${endpoint.id} in ${endpointSubnet.id}` }] : [])),
        ],
        identity: [acl.id, endpoint.id, endpointSubnet.id],
        fix: {
          description: `Allow in ${acl.id}, before the entries that drop it: TCP ${port} from the clients' subnets to ${endpointSubnet.id} and the responses on TCP 1024–65535 back (both directions, in each subnet's ACL: ACLs are stateless).`,
        },
      });
    }
  }
}
