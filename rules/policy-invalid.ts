import { defineRule } from './rule.js';
import type { PolicyDocument } from '../src/graph/model.js';
import { endpointPolicyTargets } from '../src/sim/endpoint-policies.js';
import { policyProblems } from '../src/sim/policy/validity.js';
import type { SourceRef } from '../src/source/types.js';
import { isUnknown } from '../src/source/value.js';
import type { Locatable } from './rule.js';
import { quoteStatement, renderedBy } from './shared/policy-wording.js';

/**
 * Endpoint and bucket policies AWS refuses, as far as the document shows it (the checks and their sources are in
 * src/sim/policy/validity.ts). A missing Principal in an endpoint policy statement is VPCE302's.
 */
export default defineRule({
  id: 'VPCE304',
  name: 'policy-invalid',
  level: 'error',
  category: 'correctness',
  summary:
    'An endpoint or bucket policy that AWS refuses: not JSON, not a policy, a bucket policy statement without Principal, an endpoint policy over 20,480 characters, or a wildcard or numeric operator on a key such as aws:SourceVpc.',
  description:
    'AWS validates endpoint and bucket policies when they are set, and rejects one that is not JSON, lacks a Statement, has a statement whose Effect is not Allow or Deny or that has neither Action nor NotAction, a bucket policy statement without a principal, an endpoint policy longer than 20,480 characters, or an endpoint policy condition that uses a wildcard or a numeric operator on a global key holding a system-generated identifier (aws:PrincipalAccount, aws:SourceVpc, aws:SourceVpce, …). The deployment fails at that resource.',
  precision: 'high',
  tags: ['correctness', 'vpc-endpoint', 'endpoint-policy', 's3', 'bucket-policy', 'iam'],
  messages: {
    invalid: 'The {{what}} policy{{renderer}} of {{resource}} is refused by AWS: {{problem}}. {{correct}}',
    invalidStatement: '{{statement}}{{renderer}} of the {{what}} policy of {{resource}} is refused by AWS: {{problem}}. {{correct}}',
  },
  check(graph, ctx) {
    const check = (kind: 'endpoint' | 'bucket', resource: string, node: Locatable, policy: PolicyDocument, policyAt: SourceRef) => {
      const what = kind === 'endpoint' ? 'endpoint' : 'bucket';
      const correct =
        kind === 'endpoint'
          ? 'A valid endpoint policy is a JSON object whose Statement entries each have Effect "Allow" or "Deny", a Principal, an Action and a Resource.'
          : 'A valid bucket policy is a JSON object whose Statement entries each have Effect "Allow" or "Deny", a Principal, an Action and a Resource.';
      for (const p of policyProblems(policy, kind)) {
        if (p.statement && kind === 'endpoint' && /no Principal/.test(p.problem)) continue;
        const related = [{ at: node, message: `${what === 'endpoint' ? 'endpoint' : 'bucket policy'} ${resource}` }];
        if (policy.renderedBy) related.push({ at: policy.renderedBy, message: `policy document ${policy.renderedBy.address}` });
        if (p.statement)
          ctx.report({
            messageId: 'invalidStatement',
            data: { statement: quoteStatement(policy, p.statement), renderer: renderedBy(policy), what, resource, problem: p.problem, correct },
            at: policy.statementAt?.[p.statement.index] ?? policyAt,
            related,
            identity: [resource, `statement ${p.statement.sid ?? p.statement.index}`, p.problem.replace(/\d+/g, '')],
            fix: { description: `Correct ${quoteStatement(policy, p.statement)}: ${p.problem}. ${correct}` },
          });
        else
          ctx.report({
            messageId: 'invalid',
            data: { what, renderer: policy.renderedBy ? ` rendered by ${policy.renderedBy.address}` : '', resource, problem: p.problem, correct },
            at: policyAt,
            related,
            identity: [resource, p.problem.replace(/\d+/g, '')],
            fix: { description: `Rewrite the ${what} policy of ${resource}: ${p.problem}. ${correct}` },
          });
      }
    };
    for (const t of endpointPolicyTargets(graph)) {
      if (t.policy.kind === 'document') check('endpoint', t.endpoint.id, t.endpoint, t.policy.document, t.policyAt);
      else if (t.policy.kind === 'unknown')
        ctx.undecided({ at: t.endpoint, reason: `the endpoint policy of ${t.endpoint.id} is not known (${t.policy.reason})` });
    }
    for (const b of graph.all('bucket-policy')) {
      if (isUnknown(b.policy)) ctx.undecided({ at: b, reason: `the policy of bucket ${b.bucketLabel} is not known (${b.policy.reason})` });
      else check('bucket', b.bucketLabel, b, b.policy, b.policyAt);
    }
  },
});
