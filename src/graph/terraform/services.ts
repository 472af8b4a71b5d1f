import { isUnknown, unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import { collectIds } from '../ids.js';
import { endpointServiceLoadBalancers, loadBalancerSubnets, loadBalancerType, supportedIpAddressTypes, supportedRegions } from '../nodes/services.js';
import type { Maybe, NodeId } from '../model.js';
import { terraformPolicy } from './policy-source.js';
import { attributeRefs, base, describe, type InstanceIndex, maybeBool, maybeString, sourceOf } from './refs.js';
import { subnetOf } from './security.js';

/**
 * Endpoint services (PrivateLink) and the load balancers behind them. `acceptance_required` has no default in the
 * provider (it is required), so a missing value is Unknown.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint_service
 */
export function addEndpointServices(graph: Graph, index: InstanceIndex): void {
  for (const i of index.ofType('aws_lb', 'aws_alb')) {
    const subnets = loadBalancerSubnets(i.values['subnets'], i.values['subnet_mapping'], 'subnet_id', (v) => subnetOf(graph, index, v));
    graph.add({
      kind: 'load-balancer',
      ...base(i),
      type: loadBalancerType(maybeString(i.values['load_balancer_type'])),
      subnets: subnets.nodes,
      subnetsIncomplete: subnets.incomplete,
      externalSubnets: subnets.external,
    });
  }
  const lbOf = (v: Value): NodeId | 'unknown' | undefined => {
    const t = index.target(v);
    if (!t) return undefined;
    return graph.getKind(t.instance.address, 'load-balancer') ? t.instance.address : 'unknown';
  };
  const serviceOf = (v: Value | undefined) => {
    const t = index.target(v);
    return t && t.instance.type === 'aws_vpc_endpoint_service' ? t.instance.address : undefined;
  };
  const extraPrincipals = new Map<NodeId, Array<{ principal: Maybe<string>; at: ReturnType<typeof sourceOf> }>>();
  let unattributed = graph.isUncertain('aws_vpc_endpoint_service_allowed_principal');
  for (const a of index.ofType('aws_vpc_endpoint_service_allowed_principal')) {
    const s = serviceOf(a.values['vpc_endpoint_service_id']);
    if (!s) {
      if (index.target(a.values['vpc_endpoint_service_id']) || isUnknown(a.values['vpc_endpoint_service_id'])) unattributed = true;
      continue;
    }
    (extraPrincipals.get(s) ?? extraPrincipals.set(s, []).get(s)!).push({
      principal: maybeString(a.values['principal_arn']) ?? unknown('no principal_arn'),
      at: attributeRefs(a)['principal_arn'] ?? sourceOf(a),
    });
  }
  for (const i of index.ofType('aws_vpc_endpoint_service')) {
    const nlbs = collectIds(i.values['network_load_balancer_arns'], lbOf);
    const gwlbs = collectIds(i.values['gateway_load_balancer_arns'], lbOf);
    const refs = attributeRefs(i);
    const principals = i.values['allowed_principals'];
    const listed = Array.isArray(principals)
      ? principals
          .filter((p) => p !== null)
          .map((p) => ({ principal: maybeString(p) ?? unknown('no principal'), source: refs['allowed_principals'] ?? sourceOf(i) }))
      : [];
    const regions = i.values['supported_regions'];
    graph.add({
      kind: 'endpoint-service',
      ...base(i),
      acceptanceRequired:
        i.values['acceptance_required'] === undefined || i.values['acceptance_required'] === null
          ? unknown('acceptance_required is not set (the provider requires it)')
          : maybeBool(i.values['acceptance_required'], false),
      ...endpointServiceLoadBalancers(nlbs, gwlbs),
      allowedPrincipals: [...listed, ...(extraPrincipals.get(i.address) ?? []).map((p) => ({ principal: p.principal, source: p.at }))],
      allowedPrincipalsIncomplete: isUnknown(principals) || unattributed,
      privateDnsName: maybeString(i.values['private_dns_name']),
      supportedRegions: supportedRegions(regions, maybeString),
      supportedIpAddressTypes: supportedIpAddressTypes(i.values['supported_ip_address_types'], maybeString),
    });
  }
}

/** `aws_s3_bucket_policy`, and the inline `policy` of `aws_s3_bucket` (provider v3 style). */
export function addBucketPolicies(graph: Graph, index: InstanceIndex): void {
  const bucketOf = (v: Value | undefined) => {
    const t = index.target(v);
    if (t && t.instance.type === 'aws_s3_bucket') {
      const name = t.instance.values['bucket'];
      return {
        bucketResource: t.instance.address,
        bucketName: maybeString(name) ?? unknown('Terraform generates the bucket name'),
        bucketLabel: t.instance.address,
      };
    }
    if (t) return { bucketResource: undefined, bucketName: unknown(`${t.instance.address} is known only after apply`), bucketLabel: t.instance.address };
    const name = maybeString(v ?? null);
    return { bucketResource: undefined, bucketName: name, bucketLabel: typeof name === 'string' ? name : describe(v) };
  };
  for (const i of index.ofType('aws_s3_bucket_policy')) {
    graph.add({
      kind: 'bucket-policy',
      ...base(i),
      ...bucketOf(i.values['bucket']),
      policy: terraformPolicy(index, i, 'policy') ?? unknown('the policy is not set'),
      policyAt: attributeRefs(i)['policy'] ?? sourceOf(i),
    });
  }
  for (const i of index.ofType('aws_s3_bucket')) {
    const p = i.values['policy'];
    if (p === undefined || p === null || p === '') continue;
    graph.add({
      kind: 'bucket-policy',
      ...base(i),
      id: `${i.address} (policy)`,
      bucketResource: i.address,
      bucketName: maybeString(i.values['bucket']) ?? unknown('Terraform generates the bucket name'),
      bucketLabel: i.address,
      policy: terraformPolicy(index, i, 'policy') ?? unknown('the policy is not set'),
      policyAt: attributeRefs(i)['policy'] ?? sourceOf(i),
    });
  }
}
