import { isUnknown, type Unknown } from '../../source/value.js';
import type { PolicyList, PrincipalSpec, ReadPolicy, Statement } from './document.js';
import { evaluateConditions, type ContextLookup, type ContextValue } from './conditions.js';
import { actionMatches, wildcardMatch } from './match.js';
import { anyOf, not, unknownBecause, type Tri } from './tri.js';

/**
 * One request against one resource policy (an endpoint or bucket policy), decided as AWS documents
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): a Deny statement that
 * applies wins; otherwise an Allow statement that applies allows; otherwise the request is implicitly denied. A
 * statement applies when its principal, action and resource elements match and every condition holds.
 *
 * The answer is three-valued: when a part of the policy or of the request that decides it is not known, the request
 * is `unknown` and the reason says which part.
 */

/** Who makes the request. */
export interface RequestPrincipal {
  /** `AWS` for IAM principals and accounts, `Service`, `Federated`, `CanonicalUser`. */
  type: string;
  /** The principal's ARN (`arn:aws:iam::123456789012:role/app`), service name, or provider. */
  arn: string;
  /** The principal's account, for IAM principals. */
  account?: string;
}

export interface PolicyRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  /** Condition keys of the request (`aws:SourceVpce`); keys are matched without regard to case. */
  context?: Record<string, ContextValue>;
  /**
   * How a key missing from `context` reads: absent from the request (the default), or not known to the analyzer (this
   * Unknown), when the request is only partly described.
   */
  otherKeys?: Unknown;
}

export interface EvaluateOptions {
  /**
   * Gateway endpoints read an account as principal (`"AWS": "123456789012"`) as that account's root user only, not
   * every principal of the account (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
   */
  accountMeansRootOnly?: boolean;
}

export type Decision =
  | { decision: 'allowed'; statement: Statement }
  | { decision: 'denied'; explicit: true; statement: Statement }
  | { decision: 'denied'; explicit: false }
  | { decision: 'unknown'; reason: string };

const ACCOUNT = /^\d{12}$/;
const ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;

function principalIdMatches(id: string, p: RequestPrincipal, options: EvaluateOptions): boolean {
  if (id === '*') return true;
  const account = ACCOUNT.test(id) ? id : ROOT.exec(id)?.[1];
  if (account !== undefined) {
    const root = ROOT.exec(p.arn);
    if (options.accountMeansRootOnly) return root?.[1] === account;
    return p.account === account || root?.[1] === account;
  }
  return id === p.arn;
}

export function principalMatches(spec: PrincipalSpec, p: RequestPrincipal, options: EvaluateOptions = {}): Tri {
  if (isUnknown(spec)) return unknownBecause('the principal is not known', spec);
  if (spec.kind === 'any') return true;
  const ids = spec.byType[p.type];
  if (ids === undefined) return false;
  if (isUnknown(ids)) return unknownBecause(`the ${p.type} principals are not known`, ids);
  return anyOf(ids.map((id) => (isUnknown(id) ? id : principalIdMatches(id, p, options))));
}

function listMatches(list: PolicyList, what: string, match: (pattern: string) => boolean): Tri {
  if (isUnknown(list)) return unknownBecause(`the ${what} list is not known`, list);
  return anyOf(list.map((x) => (isUnknown(x) ? unknownBecause(`an entry of ${what} is not known`, x) : match(x))));
}

/** Whether a statement applies to a request (whatever its effect). */
export function statementApplies(s: Statement, r: PolicyRequest, options: EvaluateOptions = {}): Tri {
  const context = r.context ?? {};
  const lower = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const lookup: ContextLookup = (key) => (lower.has(key.toLowerCase()) ? lower.get(key.toLowerCase()) : r.otherKeys);
  const parts: Array<() => Tri> = [
    () =>
      s.principal ? principalMatches(s.principal, r.principal, options) : s.notPrincipal ? not(principalMatches(s.notPrincipal, r.principal, options)) : true,
    () =>
      s.action
        ? listMatches(s.action, 'Action', (a) => actionMatches(a, r.action))
        : s.notAction
          ? not(listMatches(s.notAction, 'NotAction', (a) => actionMatches(a, r.action)))
          : false,
    () =>
      s.resource
        ? listMatches(s.resource, 'Resource', (x) => wildcardMatch(x, r.resource))
        : s.notResource
          ? not(listMatches(s.notResource, 'NotResource', (x) => wildcardMatch(x, r.resource)))
          : true,
    () => evaluateConditions(s.conditions, lookup),
  ];
  // Evaluated in order, stopping at the first part that fails: a later Unknown cannot change a false.
  let open: Unknown | undefined;
  for (const part of parts) {
    const v = part();
    if (v === false) return false;
    if (isUnknown(v)) open ??= v;
  }
  return open ?? true;
}

/** The decision of one resource policy on one request. */
export function evaluatePolicy(policy: ReadPolicy, r: PolicyRequest, options: EvaluateOptions = {}): Decision {
  let denyOpen: string | undefined;
  let allowOpen: string | undefined;
  let allow: Statement | undefined;
  for (const s of policy.statements) {
    if (isUnknown(s.effect)) {
      const applies = statementApplies(s, r, options);
      if (applies !== false) denyOpen ??= `the Effect of statement ${s.index + 1} is not known (${s.effect.reason})`;
      continue;
    }
    if (s.effect !== 'Allow' && s.effect !== 'Deny') continue;
    const applies = statementApplies(s, r, options);
    if (s.effect === 'Deny') {
      if (applies === true) return { decision: 'denied', explicit: true, statement: s };
      if (isUnknown(applies)) denyOpen ??= applies.reason;
    } else if (applies === true) allow ??= s;
    else if (isUnknown(applies)) allowOpen ??= applies.reason;
  }
  if (policy.unreadStatements) return { decision: 'unknown', reason: `statements of the policy are not known (${policy.unreadStatements.reason})` };
  if (denyOpen !== undefined && (allow || allowOpen !== undefined)) return { decision: 'unknown', reason: denyOpen };
  if (allow) return { decision: 'allowed', statement: allow };
  if (allowOpen !== undefined) return { decision: 'unknown', reason: allowOpen };
  return { decision: 'denied', explicit: false };
}
