import { defineRule } from './rule.js';
import { describeRules, list } from './shared/security-groups.js';
import { endpointAdmitsOthers, endpointConsumers, endpointIngress, endpointPort } from '../src/sim/reachability/index.js';
import { displaySymbolic } from '../src/source/region.js';

/**
 * VPCE203: an interface endpoint whose security groups admit its port (HTTPS, 443) from none of its clients.
 *
 * The clients are the workloads the configuration runs in the endpoint's VPC (one for each subnet they run in); with
 * none, the VPC's own addresses. The rule reports only when the groups admit none of them and nobody else either: a
 * rule that admits the port from addresses outside the VPC, or from a group no workload of the configuration
 * carries, means clients this analysis cannot see, and it stays silent.
 */
export default defineRule({
  id: 'VPCE203',
  name: 'interface-endpoint-https-blocked',
  level: 'error',
  category: 'correctness',
  summary: 'No security group of an interface endpoint admits TCP 443 from the clients in its VPC, so nothing can connect to it.',
  description:
    'Clients reach an AWS service through an interface endpoint by opening HTTPS (TCP 443) connections to the endpoint’s network interfaces, and the endpoint’s security groups decide which connections they accept. When no rule admits TCP 443 from the workloads of the VPC — only SSH, only another port, or the VPC default group, which admits only its own members — every connection times out, and with private DNS on, every SDK call to the service from the VPC fails.',
  precision: 'high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'security-group'],
  messages: {
    blocked:
      'Interface endpoint {{endpoint}} ({{service}}) admits no TCP {{port}} from its clients. Its security groups admit no TCP {{port}} from {{consumers}}: {{rules}}. Connections to the endpoint time out{{dns}}.',
  },
  check(graph, ctx) {
    for (const endpoint of graph.all('vpc-endpoint')) {
      if (endpoint.type !== 'Interface') continue;
      // An endpoint without subnets has no network interface to connect to (VPCE209's business).
      if (endpoint.subnets.length === 0 && endpoint.externalSubnets.length === 0 && !endpoint.subnetsIncomplete) continue;
      const port = endpointPort(endpoint);
      const { consumers, from, unknown } = endpointConsumers(graph, endpoint);
      if (unknown) {
        ctx.undecided({ at: endpoint, reason: `${unknown}, so whether its security groups admit TCP ${port} from them cannot be decided` });
        continue;
      }
      const judged = consumers.map((c) => ({ c, hop: endpointIngress(graph, endpoint, c) }));
      if (judged.some((j) => j.hop.judgement.verdict === 'allowed')) continue;
      if (endpointAdmitsOthers(graph, endpoint, consumers)) continue;
      const open = judged.filter((j) => j.hop.judgement.verdict === 'unknown');
      if (open.length) {
        const first = open[0]!;
        ctx.undecided({
          at: endpoint,
          reason: `whether its security groups admit TCP ${port} from ${first.c.label} is not known: ${first.hop.judgement.reasons.join('; ')}`,
        });
        continue;
      }
      const groups = graph.securityGroupsOf(endpoint);
      const service = typeof endpoint.serviceName === 'string' ? displaySymbolic(endpoint.serviceName) : (endpoint.service?.service ?? 'its service');
      const clientGroups = [...new Set(consumers.flatMap((c) => [...c.end.groups]))];
      const clients = from === 'workloads' ? list(consumers.map((c) => c.label)) : consumers[0]!.label;
      const target = groups.find((g) => !g.default) ?? groups[0];
      const attr = ['security_group_ids', 'SecurityGroupIds'].find((a) => endpoint.attributeRefs[a]);
      ctx.report({
        messageId: 'blocked',
        data: {
          endpoint: endpoint.id,
          service,
          port,
          consumers: clients,
          rules: groups.map((g) => describeRules(g, 'ingress')).join('; ') || 'it has no security group the configuration shows',
          dns: endpoint.privateDns === true ? `, and with private DNS on, every call to ${service} from the VPC resolves to the endpoint and fails` : '',
        },
        at: attr ? { node: endpoint, attribute: attr } : endpoint,
        related: [
          ...groups.map((g) => ({ at: g, message: describeRules(g, 'ingress') })),
          ...consumers.filter((c) => c.workload).map((c) => ({ at: c.workload!, message: `${c.label} cannot connect to ${endpoint.id} on TCP ${port}` })),
        ],
        identity: [endpoint.id],
        fix: {
          description: target
            ? `Add an inbound rule to ${target.id}${target.default ? ' (or give the endpoint a security group of its own)' : ''} that admits TCP ${port} from ${
                from === 'workloads' && clientGroups.length ? `the clients' security groups (${list(clientGroups)})` : `the VPC's CIDR blocks`
              }.`
            : `Give ${endpoint.id} a security group that admits TCP ${port} from its clients.`,
        },
      });
    }
  },
});
