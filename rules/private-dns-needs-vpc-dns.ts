import { defineRule } from './rule.js';
import type { GraphView } from '../src/graph/graph.js';
import type { VpcEndpointNode, VpcNode } from '../src/graph/model.js';
import type { EditRequest } from '../src/source/findings.js';
import { isUnknown } from '../src/source/value.js';
import { privateDnsAttributes, type DnsAttribute } from '../src/sim/private-dns.js';

/*
 * Private DNS associates a private hosted zone with the VPC; AWS requires both VPC attributes to be true for it and
 * refuses the endpoint otherwise (CreateVpcEndpoint, PrivateDnsEnabled: "To use a private hosted zone, you must set
 * the following VPC attributes to true: enableDnsHostnames and enableDnsSupport").
 */

/** How each VPC attribute is written in the configuration's language. */
const ATTRIBUTE_NAMES: Record<'terraform' | 'cloudformation', Record<DnsAttribute, string>> = {
  terraform: { enableDnsSupport: 'enable_dns_support', enableDnsHostnames: 'enable_dns_hostnames' },
  cloudformation: { enableDnsSupport: 'EnableDnsSupport', enableDnsHostnames: 'EnableDnsHostnames' },
};

const namesOf = (graph: GraphView) => ATTRIBUTE_NAMES[graph.syntax === 'terraform' ? 'terraform' : 'cloudformation'];

/** `enable_dns_hostnames` (not set: it defaults to false), as a message names it. */
function attributeLabel(graph: GraphView, vpc: VpcNode, attribute: DnsAttribute): string {
  const name = namesOf(graph)[attribute];
  return vpc.attributeRefs[name] ? `${name} = false` : `${name} (not set: it defaults to false)`;
}

/** Exact edits only for a VPC written as a resource of the scanned files' root module, not made by count or for_each. */
function requests(graph: GraphView, vpc: VpcNode, off: DnsAttribute[]): EditRequest[] | undefined {
  if (graph.syntax === 'cdk' || vpc.callSites.length > 0 || vpc.id.includes('[')) return undefined;
  const names = namesOf(graph);
  return off.map((a) => ({ kind: 'set-attribute', resource: vpc.source, name: names[a], value: 'true' }));
}

const privateDnsAt = (graph: GraphView, e: VpcEndpointNode) => ({
  node: e,
  attribute: graph.syntax === 'terraform' ? 'private_dns_enabled' : 'PrivateDnsEnabled',
});

export default defineRule({
  id: 'VPCE205',
  name: 'private-dns-needs-vpc-dns',
  level: 'error',
  category: 'correctness',
  summary: 'An interface endpoint has private DNS on in a VPC whose DNS support or DNS hostnames attribute is off; AWS rejects the endpoint.',
  description:
    'Private DNS associates a private hosted zone for the service’s public name with the VPC. AWS allows that only when the VPC has both enableDnsSupport and enableDnsHostnames set to true, and refuses to create or modify the endpoint otherwise. Terraform’s enable_dns_hostnames and CloudFormation’s EnableDnsHostnames default to false, so a VPC that does not set them cannot hold an endpoint with private DNS.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'dns'],
  messages: {
    vpcDnsOff:
      'Interface endpoint {{endpoint}} has private DNS on, but VPC {{vpc}} has {{attributes}}. AWS associates the private hosted zone of {{service}} only with a VPC whose enableDnsSupport and enableDnsHostnames are both true, so it rejects the endpoint.',
  },
  check(graph, ctx) {
    for (const e of graph.all('vpc-endpoint')) {
      if (e.privateDns === false || e.type === 'Gateway' || e.type === 'GatewayLoadBalancer') continue;
      const vpc = graph.vpcOf(e);
      if (!vpc) continue; // the VPC is not in the configuration: its attributes are not ours to judge
      const { off, unknown } = privateDnsAttributes(vpc);
      if (off.length === 0) {
        const first = unknown[0];
        if (first && e.privateDns === true && e.type === 'Interface')
          ctx.undecided({
            at: privateDnsAt(graph, e),
            reason: `${e.id} has private DNS on, and ${namesOf(graph)[first.attribute]} of ${vpc.id} is not known (${first.reason}); AWS rejects private DNS when it is false`,
          });
        continue;
      }
      const why = isUnknown(e.privateDns)
        ? `whether it has private DNS is not known (${e.privateDns.reason})`
        : isUnknown(e.type)
          ? `its type is not known (${e.type.reason}); private DNS applies to interface endpoints`
          : e.mayNotExist
            ? `it may not be created (${e.mayNotExist})`
            : undefined;
      if (why) {
        ctx.undecided({ at: e, reason: `${vpc.id} has ${off.map((a) => namesOf(graph)[a]).join(' and ')} off, and for ${e.id} ${why}` });
        continue;
      }
      const names = namesOf(graph);
      ctx.report({
        messageId: 'vpcDnsOff',
        data: {
          endpoint: e.id,
          vpc: vpc.id,
          attributes: off.map((a) => attributeLabel(graph, vpc, a)).join(' and '),
          service: typeof e.serviceName === 'string' ? e.serviceName : 'its service',
        },
        at: privateDnsAt(graph, e),
        related: [{ at: { node: vpc, attribute: names[off[0]!] }, message: `VPC ${vpc.id}: ${off.map((a) => attributeLabel(graph, vpc, a)).join(', ')}` }],
        identity: [vpc.id],
        fix: {
          description:
            vpc.callSites.length > 0
              ? `Set ${off.map((a) => `${names[a]} = true`).join(' and ')} on the module call that makes ${vpc.id} (or turn private DNS off on ${e.id} and use its endpoint-specific DNS names).`
              : `Set ${off.map((a) => names[a]).join(' and ')} to true on ${vpc.id} (or turn private DNS off on ${e.id} and use its endpoint-specific DNS names).`,
          snippet: off.map((a) => (graph.syntax === 'terraform' ? `${names[a]} = true` : `${names[a]}: true`)).join('\n'),
          requests: requests(graph, vpc, off),
        },
      });
    }
  },
});
