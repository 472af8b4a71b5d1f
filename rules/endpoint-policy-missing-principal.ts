import { defineRule } from './rule.js';
import { endpointPolicyTargets } from '../src/sim/endpoint-policies.js';
import { isTerraform, actionsText, policyRelated, quoteStatement, renderedBy, resourcesText, statementLocation } from './shared/policy-wording.js';

/**
 * A statement of an endpoint policy without a Principal element. AWS requires one: "An endpoint policy … must contain
 * a Principal element" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). A statement
 * with NotPrincipal names its principals another way and is left to VPCE304.
 */
export default defineRule({
  id: 'VPCE302',
  name: 'endpoint-policy-missing-principal',
  level: 'error',
  category: 'correctness',
  summary: 'A statement of the endpoint policy has no Principal element, which AWS requires in endpoint policies.',
  description:
    'An endpoint policy is a resource-based policy, and AWS requires it to contain a Principal element. Identity-policy habits leave it out: a statement copied from a role policy, or an aws_iam_policy_document without a principals block. Write the principal the statement is meant for, usually "*" narrowed by conditions such as aws:PrincipalArn or aws:PrincipalOrgID.',
  precision: 'very-high',
  tags: ['correctness', 'vpc-endpoint', 'endpoint-policy', 'iam'],
  messages: {
    missingPrincipal:
      '{{statement}}{{renderer}} on endpoint {{endpoint}} has no Principal: it means to allow {{actions}} on {{resources}}, but AWS requires an endpoint policy statement to name its principal. Add Principal "*" (and a condition such as aws:PrincipalOrgID to narrow who), or the principals it is meant for.',
  },
  check(graph, ctx) {
    for (const t of endpointPolicyTargets(graph)) {
      if (t.policy.kind === 'default') continue;
      if (t.policy.kind === 'unknown') {
        ctx.undecided({ at: t.endpoint, reason: `the endpoint policy of ${t.endpoint.id} is not known (${t.policy.reason})` });
        continue;
      }
      const doc = t.policy.document;
      for (const s of t.policy.read.statements) {
        if ('Principal' in s.raw || 'NotPrincipal' in s.raw) continue;
        const tf = isTerraform(t.endpoint);
        const viaDocument = doc.renderedBy !== undefined;
        ctx.report({
          messageId: 'missingPrincipal',
          data: { statement: quoteStatement(doc, s), renderer: renderedBy(doc), endpoint: t.endpoint.id, actions: actionsText(s), resources: resourcesText(s) },
          at: statementLocation(doc, s, t.policyAt),
          related: policyRelated(t, doc),
          identity: [t.endpoint.id, `statement ${s.sid ?? s.index}`],
          fix: {
            description: `Add a principal to ${quoteStatement(doc, s)}${renderedBy(doc)}: "*" for everyone who uses the endpoint (narrow it with conditions such as aws:PrincipalOrgID or aws:PrincipalArn), or the principals it is meant for.`,
            snippet: viaDocument ? 'principals {\n  type        = "*"\n  identifiers = ["*"]\n}' : tf ? 'Principal = "*"' : "Principal: '*'",
          },
        });
      }
    }
  },
});
