import { defineRule } from './rule.js';
import { endpointPolicyTargets, fullAccessStatement } from '../src/sim/endpoint-policies.js';
import { isUnknown } from '../src/source/value.js';
import { endpointIdRef, isTerraform, policyRelated, quoteStatement, renderedBy, statementLocation } from './shared/policy-wording.js';

/**
 * An endpoint whose policy lets anyone do anything the service offers: no policy at all (AWS attaches its default
 * policy, `{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), or a policy that says the same. Only for
 * services that document endpoint policies: for the others every endpoint allows full access whatever it says, and
 * for endpoint services of other owners there is no policy to set.
 */
export default defineRule({
  id: 'VPCE301',
  name: 'endpoint-policy-full-access',
  level: 'note',
  category: 'security',
  securitySeverity: '3.1',
  summary:
    'The endpoint lets any principal call any action on any resource of its service: it has no policy (AWS attaches full access) or one that allows everything.',
  description:
    'An endpoint policy controls which principals can use the endpoint to reach which resources of the service. Without one, AWS attaches a default policy that allows full access, so the endpoint carries requests to any bucket, table, queue or key of any account, including data leaving for resources outside the organization. A policy that names the resources (or accounts, with aws:ResourceAccount or aws:ResourceOrgID) the workloads use narrows that.',
  precision: 'high',
  tags: ['security', 'vpc-endpoint', 'endpoint-policy', 'iam'],
  messages: {
    defaultPolicy:
      'Endpoint {{endpoint}} has no endpoint policy, so AWS attaches the default policy, which restricts nothing: any principal whose own permissions allow it can call any {{service}} action through the endpoint, on any resource, in any account. Add a policy that allows only the resources the workloads use.',
    allowsEverything:
      '{{statement}}{{renderer}} on endpoint {{endpoint}} allows everything, as the default policy does: any principal whose own permissions allow it can call any {{service}} action through the endpoint, on any resource, in any account. Narrow it to the resources the workloads use.',
  },
  check(graph, ctx) {
    for (const t of endpointPolicyTargets(graph)) {
      if (t.service === undefined) continue;
      if (isUnknown(t.service)) {
        if (t.policy.kind === 'default')
          ctx.undecided({
            at: t.endpoint,
            reason: `the service of ${t.endpoint.id} is not known (${t.service.reason}), so whether it supports endpoint policies is not known`,
          });
        continue;
      }
      // Services that do not support endpoint policies allow full access through any endpoint, policy or not.
      if (!t.actions?.endpointPolicy) continue;
      const example = isTerraform(t.endpoint)
        ? `policy = jsonencode({\n  Statement = [{\n    Effect    = "Allow"\n    Principal = "*"\n    Action    = ["${t.actions.prefixes[0]}:<the actions the workloads call>"]\n    Resource  = ["<the ARNs of the resources they use>"]\n  }]\n})`
        : `PolicyDocument:\n  Statement:\n    - Effect: Allow\n      Principal: '*'\n      Action: ['${t.actions.prefixes[0]}:<the actions the workloads call>']\n      Resource: ['<the ARNs of the resources they use>']`;
      const fix = {
        description: `Give ${t.endpoint.id} an endpoint policy that allows only the actions and resources its workloads use (or the accounts, with the aws:ResourceAccount or aws:ResourceOrgID condition key). The endpoint id for bucket or key policies that should accept only this endpoint is ${endpointIdRef(t.endpoint)}.`,
        snippet: example,
      };
      if (t.policy.kind === 'default') {
        ctx.report({
          messageId: 'defaultPolicy',
          data: { endpoint: t.endpoint.id, service: t.service },
          at: t.endpoint.policyAt ?? t.endpoint,
          ...(t.endpoint.policyAt ? { related: [{ at: t.endpoint, message: `endpoint ${t.endpoint.id}` }] } : {}),
          fix,
        });
        continue;
      }
      if (t.policy.kind === 'unknown') {
        ctx.undecided({ at: t.endpoint, reason: `the endpoint policy of ${t.endpoint.id} is not known (${t.policy.reason})` });
        continue;
      }
      const s = fullAccessStatement(t.policy.read, t.actions.prefixes);
      if (s === undefined) continue;
      if (isUnknown(s)) {
        ctx.undecided({
          at: t.endpoint,
          reason: `whether the endpoint policy of ${t.endpoint.id} allows full access depends on a part that is not known (${s.reason})`,
        });
        continue;
      }
      const doc = t.policy.document;
      ctx.report({
        messageId: 'allowsEverything',
        data: { statement: quoteStatement(doc, s), renderer: renderedBy(doc), endpoint: t.endpoint.id, service: t.service },
        at: statementLocation(doc, s, t.policyAt),
        related: policyRelated(t, doc),
        identity: [t.endpoint.id],
        fix,
      });
    }
  },
});
