import { defineRule } from './rule.js';
import { isUnknown } from '../src/source/value.js';
import { serviceAccess } from '../src/sim/endpoint-service.js';
import { acceptanceSetting, principalList, principalsSetting } from './shared/endpoint-service-words.js';

export default defineRule({
  id: 'VPCE402',
  name: 'endpoint-service-auto-accept',
  level: 'note',
  category: 'security',
  securitySeverity: '3.1',
  summary: 'An endpoint service accepts connection requests automatically: every allowed principal connects without the provider’s review.',
  description:
    'With acceptance not required, an endpoint service accepts the connection of every endpoint an allowed principal creates, at once. That is right when the allowed principals are exactly the accounts you trust; when the list grows (or a principal is added by another team or module) each new principal connects without anyone reviewing it. Requiring acceptance lets the provider accept or reject each connection request.',
  precision: 'very-high',
  tags: ['security', 'vpc-endpoint', 'privatelink', 'endpoint-service'],
  messages: {
    autoAccept:
      'Endpoint service {{service}} accepts connection requests automatically. With {{acceptance}}, {{who}} as soon as they create an interface endpoint, and no one reviews the request. Keep it only if every allowed principal is an account you trust to connect; otherwise set {{required}} and accept each request.',
  },
  check(graph, ctx) {
    for (const service of graph.all('endpoint-service')) {
      const access = serviceAccess(service);
      const acceptance = access.acceptanceRequired;
      if (isUnknown(acceptance)) {
        ctx.undecided({ at: service, reason: `whether ${service.id} requires acceptance cannot be read (${acceptance.reason})` });
        continue;
      }
      // A "*" with automatic acceptance is VPCE401's error; this note is for services open to named principals only.
      if (acceptance || access.everyone.length > 0) continue;
      const unknown = access.unknownPrincipals.length > 0 ? ' (and principals the scan cannot read)' : '';
      const who =
        access.named.length > 0
          ? `the allowed principals ${principalList(access.named, service)}${unknown} connect`
          : access.unknownPrincipals.length > 0
            ? 'its allowed principals (which the scan cannot read) connect'
            : 'no principal is allowed yet, but any principal added later connects';
      ctx.report({
        messageId: 'autoAccept',
        data: { service: service.id, acceptance: acceptanceSetting(graph, false), required: acceptanceSetting(graph, true), who },
        at: { node: service, attribute: graph.syntax === 'terraform' ? 'acceptance_required' : 'AcceptanceRequired' },
        related: access.named.filter((p) => p.source.address !== service.id).map((p) => ({ at: p.source, message: `allows ${p.principal}` })),
        identity: [service.id],
        fix: {
          description: `If any principal in ${principalsSetting(graph)} should not connect without review, set ${acceptanceSetting(graph, true)} on ${service.id} and accept each endpoint connection request (aws ec2 accept-vpc-endpoint-connections). If every allowed principal is trusted, suppress this note with that reason.`,
        },
      });
    }
  },
});
