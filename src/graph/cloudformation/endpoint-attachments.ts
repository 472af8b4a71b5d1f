import type { EndpointAttachments } from '../nodes/endpoints.js';
import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isUnknown } from '../../source/value.js';
import type { EndpointSubnetAttachment, Maybe, NodeId } from '../model.js';
import { collectIds, endpointIdFields, isEmptyIds, mergeIds } from '../ids.js';
import { cloudFormationPolicy } from './policy-source.js';
import { propertyAt, type CfnContext } from './context.js';
import { securityGroupOf, subnetOf } from './security.js';

type Attachments = EndpointAttachments;

/**
 * `SubnetIds`, `SecurityGroupIds` (none on an Interface endpoint: EC2 uses the VPC's default group) and
 * `PolicyDocument` (an object, or JSON text) of an `AWS::EC2::VPCEndpoint`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html
 */
export function endpointAttachments(ctx: CfnContext): (r: CfnResource, type: Maybe<string>, vpc: NodeId | undefined) => Attachments {
  return (r, type, vpc) => {
    const p = r.properties;
    const listed = p['SubnetIds'];
    const subnets = collectIds(listed, (v) => subnetOf(ctx, v));
    // Each subnet at the list item that names it (the first, when it is named twice), else at the property.
    const subnetAttachments: EndpointSubnetAttachment[] = subnets.nodes.map((subnet) => {
      const n = Array.isArray(listed) ? listed.findIndex((v) => subnetOf(ctx, v) === subnet) : -1;
      return { subnet, via: 'list', at: propertyAt(r, n >= 0 && r.propertySpans[`SubnetIds[${n}]`] ? `SubnetIds[${n}]` : 'SubnetIds') };
    });
    const own = collectIds(p['SecurityGroupIds'], (v) => securityGroupOf(ctx, v));
    const defaultGroup = type === 'Interface' && isEmptyIds(own);
    const defaultNode = defaultGroup ? ctx.graph.defaultSecurityGroupOf(vpc) : undefined;
    // An endpoint of unknown type given no group may be an Interface endpoint holding the default group.
    const groups = mergeIds(own, {
      nodes: defaultNode ? [defaultNode.id] : [],
      external: [],
      incomplete: (defaultGroup && !defaultNode) || (isUnknown(type) && isEmptyIds(own)),
    });
    const policy = cloudFormationPolicy(r, 'PolicyDocument');
    return {
      ...endpointIdFields(subnets, groups),
      ...(subnets.incomplete && subnets.reason !== undefined ? { subnetsIncompleteReason: subnets.reason } : {}),
      subnetAttachments,
      defaultSecurityGroup: defaultGroup,
      policy,
      ...(policy !== undefined ? { policyAt: propertyAt(r, 'PolicyDocument') } : {}),
    };
  };
}
