import { defineRule } from './rule.js';
import { judgeablePolicies } from './shared/policy-targets.js';
import { someAllowCanMatch } from '../src/sim/endpoint-policies.js';
import { isUnknown } from '../src/source/value.js';
import { policyRelated, renderedBy } from './shared/policy-wording.js';

/**
 * An endpoint policy under which no request through the endpoint can be allowed: it has no Allow statement, or only
 * Allows of other services' actions (which never go through the endpoint). IAM denies what no statement allows
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so every request
 * through the endpoint is denied.
 */
export default defineRule({
  id: 'VPCE307',
  name: 'endpoint-policy-allows-nothing',
  level: 'error',
  category: 'correctness',
  summary:
    'No statement of the endpoint policy can allow a request through the endpoint (only Deny statements, or Allows of other services’ actions): every request through it is denied.',
  description:
    'A request through an endpoint must be allowed by the endpoint policy as well as by the caller’s own policies; what no statement allows is implicitly denied. A policy with only Deny statements, or whose Allow statements name only actions of other services (which never go through this endpoint), therefore denies every request through the endpoint, and the workloads that route through it fail with AccessDenied.',
  precision: 'high',
  tags: ['correctness', 'vpc-endpoint', 'endpoint-policy', 'iam'],
  messages: {
    noAllow:
      'The policy{{renderer}} of endpoint {{endpoint}} ({{service}}) has no Allow statement, so every request through the endpoint is implicitly denied: no one can call any {{service}} action through it. Add an Allow statement for the {{prefix}}: actions and resources the workloads use.',
    onlyForeign:
      'The policy{{renderer}} of endpoint {{endpoint}} ({{service}}) allows only {{actions}}, actions that never go through an endpoint for {{service}}, so every request through it is implicitly denied: no one can call any {{service}} action through it. Allow the {{prefix}}: actions and resources the workloads use instead.',
  },
  check(graph, ctx) {
    for (const t of judgeablePolicies(graph, (u) => ctx.undecided(u), 'allow')) {
      const read = t.policy.read;
      if (read.invalid) continue;
      const can = someAllowCanMatch(read, t.actions.prefixes);
      if (can === true) continue;
      if (isUnknown(can)) {
        ctx.undecided({
          at: t.endpoint,
          reason: `whether the policy of ${t.endpoint.id} allows any ${t.service} request depends on a part that is not known (${can.reason})`,
        });
        continue;
      }
      const allows = read.statements.filter((s) => s.effect === 'Allow');
      const actions = [...new Set(allows.flatMap((s) => (Array.isArray(s.action) ? s.action.filter((a): a is string => typeof a === 'string') : [])))];
      const doc = t.policy.document;
      ctx.report({
        messageId: allows.length ? 'onlyForeign' : 'noAllow',
        data: { renderer: renderedBy(doc), service: t.service, endpoint: t.endpoint.id, actions: actions.join(', '), prefix: t.actions.prefixes[0]! },
        at: t.policyAt,
        related: policyRelated(t, doc),
        identity: [t.endpoint.id],
        fix: {
          description: `Give ${t.endpoint.id} a policy with an Allow statement for the ${t.actions.prefixes[0]}: actions and resources its workloads use, or remove the policy to restore AWS's default full access.`,
        },
      });
    }
  },
});
