import type { PolicyDocument, PolicyJson } from '../../graph/model.js';
import { isUnknown } from '../../source/value.js';
import { parseOperator } from './conditions.js';
import { readPolicyDocument, type Statement } from './document.js';

/**
 * What makes AWS refuse an endpoint or bucket policy, as far as the document shows it:
 * - the IAM policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html): JSON, a
 *   `Statement`, an `Effect` of `Allow` or `Deny`, one of `Action`/`NotAction`, not both `Principal` and
 *   `NotPrincipal`, not both `Resource` and `NotResource`;
 * - bucket policies are resource-based policies and need a principal
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 * - endpoint policies: at most 20,480 characters, and no wildcard or numeric operator on the global keys that hold
 *   system-generated identifiers such as `aws:PrincipalAccount` or `aws:SourceVpc`
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
 */

export const ENDPOINT_POLICY_MAX_CHARACTERS = 20480;

/** Global keys whose values are identifiers AWS generates (accounts, organizations, VPCs, endpoints). */
const SYSTEM_ID_KEYS = [
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:vpceaccount',
  'aws:vpceorgid',
];

export interface PolicyProblem {
  /** The statement at fault, when one is. */
  statement?: Statement;
  /** A plain sentence: what AWS refuses. */
  problem: string;
}

function documentLength(p: PolicyDocument): number | undefined {
  if (p.text !== undefined) return [...p.text].length;
  // A document written as an object is sent as JSON text; its most compact form is the least it can weigh.
  let hasUnknown = false;
  const text = JSON.stringify(p.document, (_k, v: PolicyJson) => {
    if (isUnknown(v)) hasUnknown = true;
    return isUnknown(v) ? '' : v;
  });
  return hasUnknown || text === undefined ? undefined : [...text].length;
}

function statementProblems(s: Statement, kind: 'endpoint' | 'bucket'): string[] {
  const out: string[] = [];
  const raw = s.raw;
  if (!isUnknown(s.effect) && s.effect !== 'Allow' && s.effect !== 'Deny')
    out.push(s.effect.invalid === undefined ? 'it has no Effect' : `its Effect is ${JSON.stringify(s.effect.invalid)}, not "Allow" or "Deny"`);
  if (!('Action' in raw) && !('NotAction' in raw)) out.push('it has neither Action nor NotAction');
  if ('Action' in raw && 'NotAction' in raw) out.push('it has both Action and NotAction');
  if ('Principal' in raw && 'NotPrincipal' in raw) out.push('it has both Principal and NotPrincipal');
  if ('Resource' in raw && 'NotResource' in raw) out.push('it has both Resource and NotResource');
  if (kind === 'bucket' && !('Principal' in raw) && !('NotPrincipal' in raw)) out.push('it has no Principal, which a bucket policy statement must have');
  if (kind === 'endpoint' && !isUnknown(s.conditions)) {
    for (const t of s.conditions) {
      if (!SYSTEM_ID_KEYS.includes(t.key.toLowerCase())) continue;
      const op = parseOperator(t.operator);
      if (op && (op.base.startsWith('Numeric') || op.base.startsWith('Date')))
        out.push(`its condition ${t.operator} on ${t.key} uses a numeric operator on a key that holds a system-generated identifier`);
      else if (!isUnknown(t.values) && t.values.some((v) => !isUnknown(v) && /[*?]/.test(v)))
        out.push(`its condition ${t.operator} on ${t.key} uses a wildcard on a key that holds a system-generated identifier`);
    }
  }
  return out;
}

/** Why AWS would refuse a policy; empty when nothing the document shows is refused. */
export function policyProblems(p: PolicyDocument, kind: 'endpoint' | 'bucket'): PolicyProblem[] {
  const read = readPolicyDocument(p);
  if (read.invalid) return [{ problem: read.invalid }];
  const out: PolicyProblem[] = [];
  if (kind === 'endpoint') {
    const length = documentLength(p);
    if (length !== undefined && length > ENDPOINT_POLICY_MAX_CHARACTERS)
      out.push({ problem: `it is ${length} characters long, over the ${ENDPOINT_POLICY_MAX_CHARACTERS} an endpoint policy may have` });
  }
  for (const s of read.statements) for (const problem of statementProblems(s, kind)) out.push({ statement: s, problem });
  return out;
}
