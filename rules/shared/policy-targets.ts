import type { EndpointActions } from '../../src/facts/endpoint-actions.js';
import type { GraphView } from '../../src/graph/graph.js';
import { endpointPolicyTargets, type EndpointPolicyTarget } from '../../src/sim/endpoint-policies.js';
import { isUnknown } from '../../src/source/value.js';
import type { Undecided } from '../rule.js';

/** An endpoint whose written policy can be judged against the actions its service carries. */
export type JudgeablePolicy = EndpointPolicyTarget & {
  service: string;
  actions: EndpointActions;
  policy: Extract<EndpointPolicyTarget['policy'], { kind: 'document' }>;
};

/**
 * The endpoints whose policy a rule can weigh against their service's actions: an AWS service the bundled data knows
 * to take endpoint policies, and a policy that is written and readable. Where the service or the policy is not known,
 * it says so through `undecided` (the policy "can `verb`" nothing known) and leaves the endpoint out. Endpoints with
 * the default policy, other owners' services and services without endpoint policies are left out silently.
 */
export function* judgeablePolicies(graph: GraphView, undecided: (u: Undecided) => void, verb: string): Generator<JudgeablePolicy> {
  for (const t of endpointPolicyTargets(graph)) {
    if (t.service === undefined || t.policy.kind === 'default') continue;
    if (isUnknown(t.service)) {
      if (t.policy.kind === 'document' && t.policy.read.statements.length)
        undecided({
          at: t.endpoint,
          reason: `the service of ${t.endpoint.id} is not known (${t.service.reason}), so which actions its policy can ${verb} is not known`,
        });
      continue;
    }
    if (!t.actions?.endpointPolicy) continue;
    if (t.policy.kind === 'unknown') {
      undecided({ at: t.endpoint, reason: `the endpoint policy of ${t.endpoint.id} is not known (${t.policy.reason})` });
      continue;
    }
    yield t as JudgeablePolicy;
  }
}
