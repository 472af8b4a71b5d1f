import { endpointActions, type EndpointActions } from '../facts/endpoint-actions.js';
import type { GraphView } from '../graph/graph.js';
import type { PolicyDocument, VpcEndpointNode } from '../graph/model.js';
import type { SourceRef } from '../source/types.js';
import { isUnknown, type Unknown } from '../source/value.js';
import { readPolicyDocument, type PolicyList, type ReadPolicy, type Statement } from './policy/document.js';
import { actionIsForeign } from './policy/match.js';

/**
 * The endpoint policies of a graph, read for the questions the policy rules ask: which endpoint carries which
 * service's actions, whether the policy is AWS's default (full access), what its statements say.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */

export type EndpointPolicy =
  /** No policy: AWS attaches the default policy, which allows full access. */
  { kind: 'default' } | { kind: 'unknown'; reason: string } | { kind: 'document'; document: PolicyDocument; read: ReadPolicy };

export interface EndpointPolicyTarget {
  endpoint: VpcEndpointNode;
  /** The AWS service suffix (`s3`, `ecr.dkr`); undefined for endpoint services of other owners; Unknown when not known. */
  service: string | Unknown | undefined;
  /** What the bundled data says about the service; undefined when it does not know it. */
  actions: EndpointActions | undefined;
  policy: EndpointPolicy;
  /** Where the policy is written (the attribute, or the resource that attaches it), else the endpoint. */
  policyAt: SourceRef;
}

function serviceOf(e: VpcEndpointNode): string | Unknown | undefined {
  if (isUnknown(e.serviceName)) return e.serviceName;
  if (!e.service) return undefined;
  // Customer and partner endpoint services (com.amazonaws.vpce.<region>.vpce-svc-…) allow full access, policy or not.
  return e.service.service.startsWith('vpce-svc-') ? undefined : e.service.service;
}

export function policyOf(p: VpcEndpointNode['policy']): EndpointPolicy {
  if (p === undefined) return { kind: 'default' };
  if (isUnknown(p)) return { kind: 'unknown', reason: p.reason };
  return { kind: 'document', document: p, read: readPolicyDocument(p) };
}

/** Every endpoint that can carry a policy (Gateway and Interface endpoints; Gateway Load Balancer endpoints cannot). */
export function endpointPolicyTargets(graph: GraphView): EndpointPolicyTarget[] {
  return graph
    .all('vpc-endpoint')
    .filter((e) => e.type !== 'GatewayLoadBalancer')
    .map((e) => {
      const service = serviceOf(e);
      return {
        endpoint: e,
        service,
        actions: typeof service === 'string' ? endpointActions(service) : undefined,
        policy: policyOf(e.policy),
        policyAt: e.policyAt ?? e.source,
      };
    });
}

/** Where a statement is written: its own block or mapping when the source says, else where the policy is. */
export function statementAt(document: PolicyDocument, s: Statement, policyAt: SourceRef): SourceRef {
  return document.statementAt?.[s.index] ?? policyAt;
}

/** The known strings of a list (Unknown entries left out) and whether some entry is Unknown. */
export function known(list: PolicyList | undefined): { values: string[]; unknown: Unknown | undefined } {
  if (list === undefined) return { values: [], unknown: undefined };
  if (isUnknown(list)) return { values: [], unknown: list };
  const u = list.find(isUnknown);
  return { values: list.filter((x): x is string => !isUnknown(x)), unknown: u };
}

/** Principal `*` or `{"AWS": "*"}`: everyone. Unknown when the principal is not known. */
export function principalIsEveryone(s: Statement): boolean | Unknown {
  if (s.notPrincipal !== undefined) return false;
  const p = s.principal;
  if (p === undefined) return false;
  if (isUnknown(p)) return p;
  if (p.kind === 'any') return true;
  const aws = p.byType['AWS'];
  if (aws === undefined) return false;
  if (isUnknown(aws)) return aws;
  return aws.some((x) => x === '*') ? true : (aws.find(isUnknown) ?? false);
}

/**
 * The statement that gives full access, as AWS's default policy does: Allow, principal everyone, every action of the
 * service (`*` or `<prefix>:*`), every resource, no condition, and no Deny anywhere in the policy. Unknown when an
 * unknown part decides it; undefined when there is none.
 */
export function fullAccessStatement(read: ReadPolicy, prefixes: readonly string[]): Statement | Unknown | undefined {
  if (read.unreadStatements) return read.unreadStatements;
  const deny = read.statements.find((s) => s.effect === 'Deny' || isUnknown(s.effect));
  if (deny) return isUnknown(deny.effect) ? deny.effect : undefined;
  let open: Unknown | undefined;
  for (const s of read.statements) {
    if (s.effect !== 'Allow' || s.notAction || s.notResource) continue;
    if (isUnknown(s.conditions)) {
      open ??= s.conditions;
      continue;
    }
    if (s.conditions.length > 0) continue;
    const everyone = principalIsEveryone(s);
    const actions = known(s.action);
    const resources = known(s.resource);
    const allActions = actions.values.some((a) => a === '*' || prefixes.some((p) => a.toLowerCase() === `${p}:*`));
    const allResources = s.resource === undefined || resources.values.includes('*');
    if (everyone === true && allActions && allResources) return s;
    const maybe = [isUnknown(everyone) ? everyone : undefined, allActions ? undefined : actions.unknown, allResources ? undefined : resources.unknown].find(
      (x) => x !== undefined,
    );
    if (maybe && everyone !== false && (allActions || actions.unknown) && (allResources || resources.unknown)) open ??= maybe;
  }
  return open;
}

/** Statements naming actions of other services than the endpoint's, with those actions. */
export function foreignActions(read: ReadPolicy, prefixes: readonly string[]): Array<{ statement: Statement; actions: string[] }> {
  const out: Array<{ statement: Statement; actions: string[] }> = [];
  for (const s of read.statements) {
    const foreign = known(s.action).values.filter((a) => actionIsForeign(a, prefixes));
    if (foreign.length) out.push({ statement: s, actions: foreign });
  }
  return out;
}

/**
 * Whether some Allow statement can apply to a request through the endpoint: one whose actions are not all of other
 * services (a NotAction statement can). Unknown when an unknown effect, action list or statement decides it.
 */
export function someAllowCanMatch(read: ReadPolicy, prefixes: readonly string[]): boolean | Unknown {
  let open: Unknown | undefined = read.unreadStatements;
  for (const s of read.statements) {
    if (isUnknown(s.effect)) {
      open ??= s.effect;
      continue;
    }
    if (s.effect !== 'Allow') continue;
    if (s.notAction !== undefined) return true;
    const actions = known(s.action);
    if (actions.values.some((a) => !actionIsForeign(a, prefixes))) return true;
    if (actions.unknown) open ??= actions.unknown;
  }
  return open ?? false;
}

const ACCOUNT = /^\d{12}$/;
const ROOT = /^arn:aws[a-z-]*:iam::\d{12}:root$/;

/** The account ids and account root ARNs an Allow statement names as AWS principals. */
export function accountPrincipals(s: Statement): string[] {
  if (s.effect !== 'Allow' || !s.principal || isUnknown(s.principal) || s.principal.kind !== 'by-type') return [];
  return known(s.principal.byType['AWS']).values.filter((x) => ACCOUNT.test(x) || ROOT.test(x));
}
