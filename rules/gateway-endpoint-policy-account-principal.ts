import { defineRule } from './rule.js';
import { accountPrincipals, endpointPolicyTargets } from '../src/sim/endpoint-policies.js';
import { accountRoleThroughGateway } from '../src/sim/endpoint-requests.js';
import { isUnknown } from '../src/source/value.js';
import { actionsText, isTerraform, policyRelated, quoteStatement, renderedBy, statementLocation } from './shared/policy-wording.js';

/**
 * A gateway endpoint policy that names an account as principal. On gateway endpoints "If you specify the principal in
 * the following format, access is granted to the AWS account root user only, and not all users and roles for the
 * account" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#vpc-endpoint-policies-gateway).
 * The rule evaluates a request by a role of that account through the endpoint (src/sim/endpoint-requests.ts): the
 * statement does not apply to it there, although it would where an account means all its principals; when another
 * statement allows the role the same request, the rule stays silent.
 */
export default defineRule({
  id: 'VPCE306',
  name: 'gateway-endpoint-policy-account-principal',
  level: 'error',
  category: 'correctness',
  summary: 'A gateway endpoint policy names an account as principal, which there means only that account’s root user: its roles and users are denied.',
  description:
    'In most resource policies an account id as principal stands for every principal of the account. Gateway endpoint policies (S3, DynamoDB) read it differently: the account id or the account root ARN grants access to the root user only, so the roles and users the workloads run as are denied. AWS says to set Principal to "*" on gateway endpoints and name principals with the aws:PrincipalArn condition key (or aws:PrincipalAccount for a whole account).',
  precision: 'very-high',
  tags: ['correctness', 'vpc-endpoint', 'endpoint-policy', 'iam', 's3', 'dynamodb'],
  messages: {
    accountPrincipal:
      '{{statement}}{{renderer}} on gateway endpoint {{endpoint}} allows {{actions}} to principal {{accounts}}; on a gateway endpoint that means the root user of that account only, so its roles and users are denied through the endpoint. Use Principal "*" with condition aws:PrincipalAccount = {{account}} (or aws:PrincipalArn for particular roles).',
  },
  check(graph, ctx) {
    for (const t of endpointPolicyTargets(graph)) {
      if (t.policy.kind !== 'document' || t.endpoint.type === 'Interface') continue;
      for (const s of t.policy.read.statements) {
        const accounts = accountPrincipals(s);
        if (accounts.length === 0) continue;
        if (isUnknown(t.endpoint.type)) {
          ctx.undecided({
            at: t.endpoint,
            reason: `the type of ${t.endpoint.id} is not known (${t.endpoint.type.reason}); on a gateway endpoint, principal ${accounts.join(', ')} would mean the root user only`,
          });
          break;
        }
        const doc = t.policy.document;
        const account = /(\d{12})/.exec(accounts[0]!)![1]!;
        // A request by a role of the account through this gateway endpoint, evaluated against the policy.
        const role = accountRoleThroughGateway(graph, t.endpoint, t.policy.read, s, account);
        if (role.applies.gateway !== false || role.applies.elsewhere !== true) continue;
        // Another statement allows the role the same request: the account principal costs it nothing there.
        if (role.request?.decision.decision === 'allowed') continue;
        const outcome = role.request
          ? `a request by ${role.role} for ${role.request.action} on ${role.request.resource} through ${t.endpoint.id} is ${role.request.decision.decision === 'denied' ? 'denied by the policy' : `not allowed by this statement, and the policy's decision depends on ${role.request.decision.decision === 'unknown' ? role.request.decision.reason : 'other statements'}`}`
          : `a request by ${role.role} through ${t.endpoint.id} is not matched by this statement`;
        ctx.report({
          messageId: 'accountPrincipal',
          data: {
            statement: quoteStatement(doc, s),
            renderer: renderedBy(doc),
            endpoint: t.endpoint.id,
            actions: actionsText(s),
            accounts: accounts.join(', '),
            account,
          },
          at: statementLocation(doc, s, t.policyAt),
          related: [...policyRelated(t, doc), { at: t.endpoint, message: outcome }],
          identity: [t.endpoint.id, `statement ${s.sid ?? s.index}`],
          fix: {
            description: `In ${quoteStatement(doc, s)}, set the principal to "*" and add the condition aws:PrincipalAccount = ${account} (or aws:PrincipalArn with the roles that should pass).`,
            snippet: doc.renderedBy
              ? `principals {\n  type        = "*"\n  identifiers = ["*"]\n}\ncondition {\n  test     = "StringEquals"\n  variable = "aws:PrincipalAccount"\n  values   = ["${account}"]\n}`
              : isTerraform(t.endpoint)
                ? `Principal = "*"\nCondition = {\n  StringEquals = { "aws:PrincipalAccount" = "${account}" }\n}`
                : `Principal: '*'\nCondition:\n  StringEquals:\n    aws:PrincipalAccount: '${account}'`,
          },
        });
      }
    }
  },
});
