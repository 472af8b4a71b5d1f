import { defineRule } from './rule.js';
import { judgeablePolicies } from './shared/policy-targets.js';
import { foreignActions } from '../src/sim/endpoint-policies.js';
import { policyRelated, quoteStatement, renderedBy, statementLocation } from './shared/policy-wording.js';

/**
 * Actions of another service in an endpoint policy. An endpoint carries one service's requests, so its policy is
 * evaluated only for that service's actions: a statement naming another service's actions never applies (the
 * prefixes each endpoint service carries come from data/aws-endpoint-action-prefixes.json).
 */
export default defineRule({
  id: 'VPCE303',
  name: 'endpoint-policy-foreign-actions',
  level: 'warning',
  category: 'correctness',
  summary: 'The endpoint policy names actions of another service, which never go through this endpoint: those statements have no effect.',
  description:
    'An endpoint policy is evaluated for the requests that go through the endpoint, and an endpoint carries the requests of one service: an S3 endpoint carries s3 actions, an ECR endpoint ecr actions. Actions of another service in its policy never match any request, so the access the author meant to grant or deny is not there. It is usually a policy written for another endpoint (the DynamoDB policy given to the S3 endpoint) or a shared local.',
  precision: 'high',
  tags: ['correctness', 'vpc-endpoint', 'endpoint-policy', 'iam'],
  messages: {
    foreign:
      '{{statement}}{{renderer}} on endpoint {{endpoint}} names {{actions}}, {{which}} of another service: the endpoint carries only {{prefixes}} requests, so no request through it ever matches {{them}} and the statement does not {{effect}} anything here. Write the {{service}} actions this endpoint should {{effect}}, or move the statement to the policy of the endpoint for that service.',
  },
  check(graph, ctx) {
    for (const t of judgeablePolicies(graph, (u) => ctx.undecided(u), 'match')) {
      const doc = t.policy.document;
      const prefixes = t.actions.prefixes;
      for (const { statement: s, actions } of foreignActions(t.policy.read, prefixes)) {
        const effect = s.effect === 'Deny' ? 'deny' : 'allow';
        ctx.report({
          messageId: 'foreign',
          data: {
            statement: quoteStatement(doc, s),
            renderer: renderedBy(doc),
            service: t.service,
            endpoint: t.endpoint.id,
            actions: actions.join(', '),
            which: actions.length === 1 ? 'an action' : 'actions',
            them: actions.length === 1 ? 'it' : 'them',
            prefixes: prefixes.length > 1 ? `${prefixes.slice(0, -1).join(', ')} and ${prefixes.at(-1)!}` : prefixes[0]!,
            effect,
          },
          at: statementLocation(doc, s, t.policyAt),
          related: policyRelated(t, doc),
          identity: [t.endpoint.id, `statement ${s.sid ?? s.index}`],
          fix: {
            description: `In ${quoteStatement(doc, s)}${renderedBy(doc)}, replace ${actions.join(', ')} with the ${prefixes[0]}: actions the workloads call through ${t.endpoint.id}, or give that statement to the endpoint of the service it names.`,
          },
        });
      }
    }
  },
});
