import type { GraphNode, PolicyDocument, VpcEndpointNode } from '../../src/graph/model.js';
import type { Statement } from '../../src/sim/policy/document.js';
import { known, type EndpointPolicyTarget } from '../../src/sim/endpoint-policies.js';
import type { SourceRef } from '../../src/source/types.js';
import { isUnknown } from '../../src/source/value.js';
import type { Locatable } from '../rule.js';

/** How the policy rules quote statements, endpoints and what a correct statement looks like. */

/** `statement "OrdersQueues" (main.tf line 12)`, with the line where the source gives it. */
export function quoteStatement(document: PolicyDocument, s: Statement): string {
  const label = s.sid ? `Statement "${s.sid}"` : `Statement ${s.index + 1}`;
  const at = document.statementAt?.[s.index];
  return at ? `${label} (${at.file} line ${at.span.start.line})` : label;
}

/** ` of the policy rendered by data.aws_iam_policy_document.x`, or nothing. */
export function renderedBy(document: PolicyDocument): string {
  return document.renderedBy ? ` of the policy rendered by ${document.renderedBy.address}` : '';
}

/** Where a finding about a statement goes: the statement's own block or mapping, else where the policy is written. */
export function statementLocation(document: PolicyDocument, s: Statement, policyAt: SourceRef): SourceRef {
  return document.statementAt?.[s.index] ?? policyAt;
}

/** Related locations every policy finding carries: the endpoint and, when another resource renders the policy, that one. */
export function policyRelated(t: Pick<EndpointPolicyTarget, 'endpoint'>, document: PolicyDocument | undefined): Array<{ at: Locatable; message: string }> {
  const out: Array<{ at: Locatable; message: string }> = [{ at: t.endpoint as GraphNode, message: `endpoint ${t.endpoint.id}` }];
  if (document?.renderedBy) out.push({ at: document.renderedBy, message: `policy document ${document.renderedBy.address}` });
  return out;
}

/** Whether a node was written in Terraform: its address has a type and a name; CloudFormation logical ids have no dot. */
export function isTerraform(n: { source: SourceRef }): boolean {
  return n.source.address.includes('.');
}

/** How the endpoint's id is written in its own format: `aws_vpc_endpoint.s3.id` or `!Ref S3Endpoint`. */
export function endpointIdRef(e: VpcEndpointNode): string {
  return isTerraform(e) ? `${e.id}.id` : `!Ref ${e.id}`;
}

/** Who a statement names, in plain words. */
export function whoText(s: Statement): string {
  if (s.notPrincipal !== undefined) return 'every principal except those in NotPrincipal';
  const p = s.principal;
  if (p === undefined) return 'no principal';
  if (isUnknown(p)) return 'principals not known';
  if (p.kind === 'any') return 'anyone';
  const parts = Object.entries(p.byType).map(([type, ids]) => {
    const k = known(ids);
    return `${type} ${k.values.join(', ') || '(not known)'}`;
  });
  return parts.join('; ') || 'no principal';
}

/** What a statement allows or denies, in plain words (`dynamodb:*`, `every action except s3:Delete*`). */
export function actionsText(s: Statement): string {
  if (s.notAction !== undefined) return `every action except ${known(s.notAction).values.join(', ')}`;
  const a = known(s.action);
  return a.values.length ? a.values.join(', ') : '(no action)';
}

/** The resources of a statement, in plain words. */
export function resourcesText(s: Statement): string {
  if (s.notResource !== undefined) return `every resource except ${known(s.notResource).values.join(', ')}`;
  if (s.resource === undefined) return 'every resource';
  const r = known(s.resource);
  return r.values.includes('*') ? 'every resource' : r.values.join(', ') || '(resources not known)';
}
