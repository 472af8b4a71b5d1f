import { defineRule } from './rule.js';
import { isUnknown } from '../src/source/value.js';
import { serviceAccess } from '../src/sim/endpoint-service.js';
import { acceptanceSetting, principalSources, principalsSetting, restrictedServiceSnippet } from './shared/endpoint-service-words.js';

export default defineRule({
  id: 'VPCE401',
  name: 'endpoint-service-open',
  level: 'error',
  category: 'security',
  securitySeverity: '8.1',
  summary: 'An endpoint service allows principal "*" and accepts connections automatically: any AWS account can connect to it.',
  description:
    'An endpoint service whose allowed principals include "*" can be found by every principal of every AWS account, and when it does not require acceptance each of their connection requests is accepted at once. AWS warns that the load balancer behind such a service is then public even though it has no public IP address. Allow only the accounts, roles or users that should connect, or require acceptance so that the provider reviews each request.',
  precision: 'very-high',
  tags: ['security', 'vpc-endpoint', 'privatelink', 'endpoint-service'],
  messages: {
    open: 'Any AWS account can connect to endpoint service {{service}} without review. Its allowed principals include "*" (in {{everyone}}), so every principal of every AWS account can find the service and create an interface endpoint to it, and with {{acceptance}} each connection is accepted at once: load balancer {{loadBalancers}} is reachable from any AWS account although it has no public IP address. Allow only the principals that should connect, by ARN (an account as arn:aws:iam::<account-id>:root, or a role or user), and require acceptance ({{required}}) unless every allowed principal is trusted.',
  },
  check(graph, ctx) {
    for (const service of graph.all('endpoint-service')) {
      const access = serviceAccess(service);
      const acceptance = access.acceptanceRequired;
      if (acceptance === true) continue;
      if (access.everyone.length === 0) {
        if (access.unknownPrincipals.length > 0 && (acceptance === false || isUnknown(acceptance)))
          ctx.undecided({
            at: service,
            reason: `${access.unknownPrincipals.join('; ')}, and ${service.id} ${acceptance === false ? 'accepts connections automatically' : `may accept connections automatically (${acceptance.reason})`}: a "*" among them would let any AWS account connect`,
          });
        continue;
      }
      if (isUnknown(acceptance)) {
        ctx.undecided({
          at: service,
          reason: `its allowed principals include "*" (in ${principalSources(graph, access.everyone, service)}), and whether it requires acceptance cannot be read (${acceptance.reason}): without acceptance any AWS account connects at once`,
        });
        continue;
      }
      const loadBalancers = [...service.networkLoadBalancers, ...service.gatewayLoadBalancers, ...service.externalLoadBalancers];
      const first = access.everyone[0]!;
      ctx.report({
        messageId: 'open',
        data: {
          service: service.id,
          everyone: principalSources(graph, access.everyone, service),
          acceptance: acceptanceSetting(graph, false),
          required: acceptanceSetting(graph, true),
          loadBalancers: loadBalancers.length > 0 ? loadBalancers.join(', ') : '(none listed)',
        },
        at: first.source,
        related: [
          {
            at: { node: service, attribute: graph.syntax === 'terraform' ? 'acceptance_required' : 'AcceptanceRequired' },
            message: `${service.id} accepts connection requests automatically`,
          },
          ...access.everyone.slice(1).map((p) => ({ at: p.source, message: `principal "*" allowed again by ${p.source.address}` })),
        ],
        identity: [service.id],
        fix: {
          description: `Replace "*" in ${principalsSetting(graph)} with the ARNs of the accounts, roles or users that should connect to ${service.id}, and set ${acceptanceSetting(graph, true)} unless each of them is trusted to connect without review. Removing a principal does not end connections already accepted: reject those endpoint connections too.`,
          snippet: restrictedServiceSnippet(graph, service),
        },
      });
    }
  },
});
