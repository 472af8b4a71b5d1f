import type { GraphView } from '../graph/graph.js';
import type { VpcEndpointNode } from '../graph/model.js';
import { isUnknown, makeRef, unknown } from '../source/value.js';
import type { ContextValue } from './policy/conditions.js';
import type { PolicyList, ReadPolicy, Statement } from './policy/document.js';
import { evaluatePolicy, statementApplies, type Decision, type PolicyRequest } from './policy/evaluate.js';
import type { Tri } from './policy/tri.js';

/**
 * The request context AWS gives a request that reaches a service through a VPC endpoint, as far as the configuration
 * tells it. Through an endpoint, `aws:SourceVpce` is the endpoint's id, `aws:SourceVpc` the VPC's id and
 * `aws:VpcSourceIp` the private address the request comes from, while `aws:SourceIp` matches no address or range
 * ("If a statement includes the aws:SourceIp condition, the value fails to match any provided IP address or range",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html; the keys:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). Ids that exist only after
 * apply are the references a policy of the same configuration writes for them (`aws_vpc_endpoint.s3.id`,
 * `!Ref S3Endpoint`).
 */
export function throughEndpointContext(graph: GraphView, endpoint: VpcEndpointNode, privateAddress: string | undefined): Record<string, ContextValue> {
  const idOf = (node: { id: string; source: { address: string } }): string =>
    node.source.address.includes('.') ? makeRef(node.source.address, 'id') : makeRef(node.id, 'Ref');
  const vpc = graph.get(endpoint.vpc);
  return {
    'aws:SourceVpce': idOf(endpoint),
    'aws:SourceVpc': vpc ? idOf(vpc) : unknown(`the VPC of ${endpoint.id} is not part of the configuration`),
    'aws:VpcSourceIp': privateAddress ?? unknown('the private address of the request is not known'),
    'aws:SourceIp': undefined,
  };
}

/** A role of an account, making a request through a gateway endpoint, as the endpoint policy decides it. */
export interface AccountRoleThroughGateway {
  account: string;
  /** The role (a stand-in: any IAM role of the account is the same to the policy). */
  role: string;
  /** Whether the statement applies to the role on a gateway endpoint, and where an account principal means every principal of the account. */
  applies: { gateway: Tri; elsewhere: Tri };
  /** The whole policy's decision on the role's request for an action and resource the statement names; undefined when they are not known. */
  request?: { action: string; resource: string; decision: Decision };
}

/**
 * Evaluates a request by an IAM role of `account` through gateway endpoint `endpoint` against its policy. On gateway
 * endpoints an account as principal (`"AWS": "123456789012"` or its root ARN) grants access to the account's root user
 * only, "and not all users and roles for the account"
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#vpc-endpoint-policies-gateway); in
 * other resource policies it stands for every principal of the account. Whether the statement applies is asked of
 * its principal alone (its actions, resources and conditions are the same under both readings); the whole policy is
 * then asked about a request for an action and resource the statement names, with condition keys the configuration
 * does not tell left unknown.
 */
export function accountRoleThroughGateway(
  graph: GraphView,
  endpoint: VpcEndpointNode,
  policy: ReadPolicy,
  s: Statement,
  account: string,
): AccountRoleThroughGateway {
  const role = `arn:aws:iam::${account}:role/workload`;
  const principal = { type: 'AWS', arn: role, account };
  const probe: Statement = { ...s, action: ['*'], notAction: undefined, resource: ['*'], notResource: undefined, conditions: [] };
  const base: PolicyRequest = { principal, action: '*', resource: '*' };
  const applies = {
    gateway: statementApplies(probe, base, { accountMeansRootOnly: true }),
    elsewhere: statementApplies(probe, base, { accountMeansRootOnly: false }),
  };
  const action = firstKnown(s.action);
  const resource = s.resource === undefined && s.notResource === undefined ? '*' : firstKnown(s.resource);
  if (action === undefined || resource === undefined) return { account, role, applies };
  const request: PolicyRequest = {
    principal,
    action,
    resource,
    context: { ...throughEndpointContext(graph, endpoint, undefined), 'aws:PrincipalArn': role, 'aws:PrincipalAccount': account },
    otherKeys: unknown('the request carries condition keys the configuration does not tell'),
  };
  return { account, role, applies, request: { action, resource, decision: evaluatePolicy(policy, request, { accountMeansRootOnly: true }) } };
}

function firstKnown(list: PolicyList | undefined): string | undefined {
  if (list === undefined || isUnknown(list)) return undefined;
  return list.find((x): x is string => typeof x === 'string');
}
