import { defineRule, type Locatable, type RuleContext } from './rule.js';
import { gatewayEndpointSnippet } from './shared/snippets.js';
import type { GraphView } from '../src/graph/graph.js';
import type { RouteTableNode, SubnetNode, VpcEndpointNode, VpcNode, WorkloadNode } from '../src/graph/model.js';
import { endpointReach, type EndpointReach } from '../src/sim/endpoint-reach.js';
import { internetPathOf } from '../src/sim/internet-path.js';
import { PLACED_WORKLOADS, workloadNeeds, type WorkloadNeed } from '../src/sim/workload-needs.js';
import { displaySymbolic, isSymbolicRegion } from '../src/source/region.js';

/*
 * A workload in subnets with no path to the internet reaches AWS services only through VPC endpoints. For each
 * workload the configuration shows for certain (an ECS service on Fargate and its task definition, an EC2 instance or
 * Auto Scaling group whose role makes it a Systems Manager managed node, an EKS managed node group), the endpoints it
 * needs come from data/aws-workload-endpoints.json; each one the VPC lacks for the workload's isolated subnets is a
 * finding, naming the workload, the endpoint and why it needs it.
 *
 * - A subnet with a route to the internet (a NAT or internet gateway, an egress-only gateway for IPv6) is not isolated:
 *   silent there. Whether it has one is `internetPathOf`; a route into another network or a table not fully known
 *   makes it undecided.
 * - An interface endpoint with private DNS off counts as missing: the SDKs, the ECS agent and the SSM Agent call the
 *   service's public name, which then resolves to public addresses
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html, "DNS hostnames").
 * - A gateway endpoint counts only on the subnet's route table.
 */

type Problem = Exclude<EndpointReach, { kind: 'reached' } | { kind: 'unknown' }>;

/** One endpoint a workload lacks, over the isolated subnets (and their tables) where it lacks it. */
interface Gap {
  need: WorkloadNeed;
  problem: Problem;
  subnets: SubnetNode[];
  tables: RouteTableNode[];
}

const MESSAGE_OF = { missing: 'missing', 'private-dns-off': 'privateDnsOff', 'not-on-table': 'notOnTable', 'no-interface': 'noInterface' } as const;

const rule = defineRule({
  id: 'VPCE601',
  name: 'isolated-workload-missing-endpoints',
  level: 'error',
  category: 'correctness',
  summary: 'A workload in subnets with no internet path lacks a VPC endpoint it needs (ECR image pulls, awslogs, task secrets, Session Manager, EKS nodes).',
  description:
    'A workload in subnets without a NAT or internet gateway route reaches AWS services only through VPC endpoints. A Fargate task pulling from Amazon ECR needs the ecr.api and ecr.dkr interface endpoints and the S3 gateway endpoint, the awslogs log driver needs logs, task secrets need secretsmanager or ssm, a Systems Manager managed instance needs ssm and ssmmessages, and EKS nodes need the ECR endpoints, S3 and ec2. Without them the task fails to start, the instance never registers, the node never joins.',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'workload'],
  messages: {
    missing:
      '{{workload}} cannot reach {{endpoint}}: it runs in {{subnets}}, which {{have}} no route to the internet, and VPC {{vpc}} has no {{endpoint}} endpoint. {{because}}, so it needs the {{type}} endpoint {{serviceName}} {{why}}.',
    privateDnsOff:
      '{{workload}} cannot reach {{endpoint}}: it runs in {{subnets}}, which {{have}} no route to the internet, and {{endpoints}} has private DNS off, so the {{endpoint}} name that SDKs and agents call by default resolves to public addresses. {{because}}, so it needs {{serviceName}} with private DNS on {{why}}.',
    notOnTable:
      '{{workload}} cannot reach {{endpoint}}: it runs in {{subnets}}, which {{have}} no route to the internet, and gateway endpoint {{endpoints}} is not associated with {{tables}}. {{because}}, so it needs the {{type}} endpoint {{serviceName}} on that route table {{why}}.',
    noInterface:
      '{{workload}} cannot reach {{endpoint}}: it runs in {{subnets}}, which {{have}} no route to the internet, and {{endpoints}} has no subnets, so it has no network interface. {{because}}, so it needs the {{type}} endpoint {{serviceName}} in its subnets {{why}}.',
  },
  check(graph, ctx) {
    for (const w of graph.all('workload')) {
      if (!(PLACED_WORKLOADS as readonly string[]).includes(w.workload) || w.inVpc === false) continue;
      checkWorkload(graph, ctx, w);
    }
  },
});

export default rule;

type Ctx = RuleContext<keyof typeof rule.messages>;

function checkWorkload(graph: GraphView, ctx: Ctx, w: WorkloadNode): void {
  const subnets = graph.subnetsOf(w);
  const vpc = subnets.map((s) => graph.vpcOf(s)).find((v) => v !== undefined) ?? graph.vpcOf(w);
  const region = vpc && typeof vpc.region === 'string' ? vpc.region : undefined;
  const { needs, unknown } = workloadNeeds(graph, w, region);
  if (needs.length === 0 && unknown.length === 0) return;
  if (subnets.length === 0) {
    if (w.subnetsIncomplete && needs.length)
      ctx.undecided({
        at: w,
        reason: `the subnets of ${w.id} are not known, so whether they reach the internet or have the ${list(needs.map((n) => n.need.endpoint))} endpoints it needs is not known`,
      });
    return;
  }
  if (!vpc) return;
  const gaps = new Map<string, Gap>();
  for (const subnet of subnets) {
    const path = internetPathOf(graph, subnet);
    if (path.kind === 'internet') continue;
    if (path.kind === 'unknown') {
      const lacking = path.table ? needs.filter((n) => endpointReach(graph, vpc, path.table!, n.need.endpoint, n.need.type).kind !== 'reached') : needs;
      if (lacking.length)
        ctx.undecided({
          at: w,
          reason: `whether ${subnet.id} reaches the internet is not known (${path.reason}); if it does not, ${w.id} lacks the ${list(lacking.map((n) => n.need.endpoint))} endpoints it needs there`,
        });
      continue;
    }
    for (const need of needs) {
      const reach = endpointReach(graph, vpc, path.table, need.need.endpoint, need.need.type);
      if (reach.kind === 'reached') continue;
      if (reach.kind === 'unknown') {
        ctx.undecided({ at: w, reason: `${subnet.id} has no route to the internet and ${w.id} needs ${need.need.endpoint}, but ${reach.reason}` });
        continue;
      }
      const key = `${need.need.endpoint}\u0000${reach.kind}`;
      const gap = gaps.get(key) ?? { need, problem: reach, subnets: [], tables: [] };
      gaps.set(key, gap);
      gap.subnets.push(subnet);
      if (!gap.tables.includes(path.table)) gap.tables.push(path.table);
    }
    for (const u of unknown) {
      const lacking = u.endpoints.filter((e) => endpointReach(graph, vpc, path.table, e, e === 's3' ? 'Gateway' : 'Interface').kind !== 'reached');
      if (lacking.length)
        ctx.undecided({ at: w, reason: `${subnet.id} has no route to the internet and VPC ${vpc.id} has no ${list(lacking)} endpoint, but ${u.reason}` });
    }
  }
  for (const gap of gaps.values()) report(graph, ctx, w, vpc, gap);
}

const list = (xs: string[]) => [...new Set(xs)].join(', ');

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function zoneOf(s: SubnetNode): string {
  return typeof s.az === 'string' ? ` (${displaySymbolic(s.az)})` : '';
}

function serviceNameOf(vpc: VpcNode, endpoint: string): string {
  const r = vpc.region;
  const region = typeof r === 'string' ? (isSymbolicRegion(r) ? '${AWS::Region}' : r) : '<region>';
  return `com.amazonaws.${region}.${endpoint}`;
}

function report(graph: GraphView, ctx: Ctx, w: WorkloadNode, vpc: VpcNode, gap: Gap): void {
  const { need, problem } = gap;
  const endpoints: VpcEndpointNode[] = 'endpoints' in problem ? problem.endpoints : [];
  const serviceName = serviceNameOf(vpc, need.need.endpoint);
  const evidence = graph.get(need.evidence);
  const related: Array<{ at: Locatable; message: string }> = [];
  if (evidence && evidence.id !== w.id) related.push({ at: evidence, message: capitalize(need.because) });
  for (const t of gap.tables) related.push({ at: t, message: `route table ${t.id} has no route to the internet` });
  for (const e of endpoints)
    related.push({
      at: e,
      message: `${problem.kind === 'private-dns-off' ? 'private DNS off' : problem.kind === 'no-interface' ? 'no subnets' : 'not on the route table'}: ${e.id}`,
    });
  ctx.report({
    messageId: MESSAGE_OF[problem.kind],
    data: {
      workload: w.id,
      endpoint: need.need.endpoint,
      subnets: gap.subnets.map((s) => `${s.id}${zoneOf(s)}`).join(', '),
      have: gap.subnets.length === 1 ? 'has' : 'have',
      tables: gap.tables.map((t) => t.id).join(', '),
      vpc: vpc.id,
      endpoints: endpoints.map((e) => e.id).join(', '),
      because: capitalize(need.because),
      type: need.need.type === 'Gateway' ? 'gateway' : 'interface',
      serviceName,
      why: need.need.why,
    },
    at: w,
    related,
    identity: [w.id, need.need.endpoint],
    fix: fixFor(graph, w, vpc, gap, serviceName),
  });
}

function fixFor(graph: GraphView, w: WorkloadNode, vpc: VpcNode, gap: Gap, serviceName: string): { description: string; snippet?: string } {
  const { need, problem } = gap;
  const tables = gap.tables.map((t) => t.id).join(', ');
  const orNat = `, or give ${gap.subnets.map((s) => s.id).join(', ')} a route to a NAT gateway`;
  if (problem.kind === 'private-dns-off') {
    const attr = graph.syntax === 'terraform' ? 'private_dns_enabled = true' : 'PrivateDnsEnabled: true';
    return {
      description: `Turn private DNS on for ${problem.endpoints.map((e) => e.id).join(', ')} (${attr}; the VPC needs DNS support and DNS hostnames on)${orNat}.`,
    };
  }
  if (problem.kind === 'not-on-table')
    return { description: `Associate gateway endpoint ${problem.endpoints.map((e) => e.id).join(', ')} with ${tables}${orNat}.` };
  if (problem.kind === 'no-interface')
    return { description: `Give ${problem.endpoints.map((e) => e.id).join(', ')} a subnet in each Availability Zone ${w.id} runs in${orNat}.` };
  if (need.need.type === 'Gateway') {
    const region = typeof vpc.region === 'string' ? vpc.region : '<region>';
    return {
      description: `Add an S3 gateway endpoint (${serviceName}) associated with ${tables}${orNat}.`,
      snippet: gatewayEndpointSnippet(graph.syntax, 's3', region, vpc, gap.tables),
    };
  }
  return {
    description: `Add an interface endpoint for ${serviceName} in VPC ${vpc.id} with private DNS on, in a subnet of each Availability Zone ${w.id} runs in, with a security group that admits TCP 443 from the subnets or security groups of ${w.id}${orNat}.`,
    ...(graph.syntax === 'terraform' ? { snippet: terraformInterfaceEndpoint(vpc, need.need.endpoint, serviceName, gap.subnets) } : {}),
  };
}

function terraformInterfaceEndpoint(vpc: VpcNode, endpoint: string, serviceName: string, subnets: SubnetNode[]): string {
  return [
    `resource "aws_vpc_endpoint" "${endpoint.replace(/[^a-z0-9]/g, '_')}" {`,
    `  vpc_id              = ${vpc.source.address}.id`,
    `  service_name        = "${serviceName}"`,
    `  vpc_endpoint_type   = "Interface"`,
    `  private_dns_enabled = true`,
    `  subnet_ids          = [${subnets.map((s) => `${s.source.address}.id`).join(', ')}]`,
    `  security_group_ids  = [] # a group that admits TCP 443 from the workload`,
    `}`,
  ].join('\n');
}
