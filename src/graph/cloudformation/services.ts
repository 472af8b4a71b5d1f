import { isUnknown, unknown, type Value } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import { collectIds } from '../ids.js';
import { endpointServiceLoadBalancers, loadBalancerSubnets, loadBalancerType, supportedIpAddressTypes, supportedRegions } from '../nodes/services.js';
import type { Maybe, NodeId } from '../model.js';
import { cloudFormationPolicy } from './policy-source.js';
import { describe, maybeBool, maybeString, propertyAt, type CfnContext } from './context.js';
import { subnetOf } from './security.js';

/**
 * Endpoint services and their load balancers. `AcceptanceRequired` is optional and neither the template reference nor
 * the EC2 API reference (CreateVpcEndpointServiceConfiguration) states what an omitted value means, so it is Unknown
 * rather than guessed; CDK always writes it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpointservice.html
 */
export function addEndpointServices(ctx: CfnContext): void {
  const { graph } = ctx;
  for (const r of ctx.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const p = r.properties;
    const subnets = loadBalancerSubnets(p['Subnets'], p['SubnetMappings'], 'SubnetId', (v) => subnetOf(ctx, v));
    graph.add({
      kind: 'load-balancer',
      ...ctx.base(r),
      type: loadBalancerType(maybeString(p['Type'])),
      subnets: subnets.nodes,
      subnetsIncomplete: subnets.incomplete || r.exists !== true,
      externalSubnets: subnets.external,
    });
  }
  const lbOf = (v: Value): NodeId | 'unknown' | undefined => {
    const t = ctx.target(v);
    if (!t) return undefined;
    return graph.getKind(t.logicalId, 'load-balancer') ? t.logicalId : 'unknown';
  };
  const permissions = new Map<NodeId, Array<{ principal: Maybe<string>; source: SourceRef }>>();
  const incomplete = new Set<NodeId>();
  let unattributed = false;
  for (const r of ctx.ofType('AWS::EC2::VPCEndpointServicePermissions')) {
    const t = ctx.target(r.properties['ServiceId']);
    if (!t || t.type !== 'AWS::EC2::VPCEndpointService') {
      if (t || isUnknown(r.properties['ServiceId'])) unattributed = true;
      continue;
    }
    const list = r.properties['AllowedPrincipals'];
    if (r.exists !== true || isUnknown(list)) incomplete.add(t.logicalId);
    if (r.exists !== true || !Array.isArray(list)) continue;
    const out = permissions.get(t.logicalId) ?? permissions.set(t.logicalId, []).get(t.logicalId)!;
    list.forEach((x, n) => {
      if (x !== null) out.push({ principal: maybeString(x) ?? unknown('no principal'), source: propertyAt(r, `AllowedPrincipals[${n}]`) });
    });
  }
  for (const r of ctx.ofType('AWS::EC2::VPCEndpointService')) {
    const p = r.properties;
    const nlbs = collectIds(p['NetworkLoadBalancerArns'], lbOf);
    const gwlbs = collectIds(p['GatewayLoadBalancerArns'], lbOf);
    const regions = p['SupportedRegions'];
    graph.add({
      kind: 'endpoint-service',
      ...ctx.base(r),
      acceptanceRequired:
        p['AcceptanceRequired'] === undefined || p['AcceptanceRequired'] === null
          ? unknown('AcceptanceRequired is not set, and AWS documents no default')
          : maybeBool(p['AcceptanceRequired'], false),
      ...endpointServiceLoadBalancers(nlbs, gwlbs),
      allowedPrincipals: permissions.get(r.logicalId) ?? [],
      allowedPrincipalsIncomplete: unattributed || incomplete.has(r.logicalId),
      privateDnsName: maybeString(p['PrivateDnsName']),
      supportedRegions: supportedRegions(regions, maybeString),
      supportedIpAddressTypes: supportedIpAddressTypes(p['SupportedIpAddressTypes'], maybeString),
    });
  }
}

/** `AWS::S3::BucketPolicy`: `PolicyDocument` is an object or JSON text. */
export function addBucketPolicies(ctx: CfnContext): void {
  for (const r of ctx.ofType('AWS::S3::BucketPolicy')) {
    const p = r.properties;
    const t = ctx.target(p['Bucket']);
    const bucket =
      t && t.type === 'AWS::S3::Bucket'
        ? {
            bucketResource: t.logicalId,
            bucketName: maybeString(t.properties['BucketName']) ?? unknown('CloudFormation generates the bucket name'),
            bucketLabel: t.logicalId,
          }
        : { bucketResource: undefined, bucketName: maybeString(p['Bucket']), bucketLabel: p['Bucket'] === undefined ? '(no bucket)' : describe(p['Bucket']) };
    ctx.graph.add({
      kind: 'bucket-policy',
      ...ctx.base(r),
      ...bucket,
      policy: cloudFormationPolicy(r, 'PolicyDocument') ?? unknown('the policy is not set'),
      policyAt: propertyAt(r, 'PolicyDocument'),
    });
  }
}
