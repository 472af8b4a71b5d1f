import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { isObject, isUnknown, unknown, type Value } from '../../source/value.js';
import type { SourceRef } from '../../source/types.js';
import type { Graph } from '../graph.js';
import type { EndpointAttachments } from '../nodes/endpoints.js';
import { collectIds, endpointIdFields, type IdList, isEmptyIds, mergeIds, unknownIds } from '../ids.js';
import type { EndpointSubnetAttachment, Maybe, NodeId, PolicyDocument } from '../model.js';
import { terraformPolicy } from './policy-source.js';
import { attributeRefs, sourceOf, type InstanceIndex } from './refs.js';
import { securityGroupOf, subnetOf } from './security.js';

type Attachments = EndpointAttachments;

/**
 * Subnets, security groups and policy of each endpoint: its own arguments (`subnet_ids`, `subnet_configuration`,
 * `security_group_ids`, `policy`) and the resources that attach more (`aws_vpc_endpoint_subnet_association`,
 * `aws_vpc_endpoint_security_group_association`, `aws_vpc_endpoint_policy`, which replaces the inline policy).
 */
export function endpointAttachments(
  graph: Graph,
  index: InstanceIndex,
): (endpoint: ResourceInstance, type: Maybe<string>, vpc: NodeId | undefined) => Attachments {
  const endpointOf = (v: Value | undefined) => {
    const t = index.target(v);
    return t && t.instance.type === 'aws_vpc_endpoint' ? t.instance.address : undefined;
  };
  const subnetAssoc = new Map<NodeId, Array<{ ids: IdList; at: SourceRef }>>();
  const groupAssoc = new Map<NodeId, IdList[]>();
  const replacesDefault = new Map<NodeId, Maybe<boolean>>();
  const policies = new Map<NodeId, ResourceInstance>();
  const push = <T>(m: Map<NodeId, T[]>, k: NodeId, v: T) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  let subnetsUnattributed = graph.isUncertain('aws_vpc_endpoint_subnet_association');
  let groupsUnattributed = graph.isUncertain('aws_vpc_endpoint_security_group_association');
  let policyUnattributed = graph.isUncertain('aws_vpc_endpoint_policy');

  for (const a of index.ofType('aws_vpc_endpoint_subnet_association')) {
    const e = endpointOf(a.values['vpc_endpoint_id']);
    if (e) push(subnetAssoc, e, { ids: collectIds(a.values['subnet_id'], (v) => subnetOf(graph, index, v)), at: sourceOf(a) });
    else if (index.target(a.values['vpc_endpoint_id']) || isUnknown(a.values['vpc_endpoint_id'])) subnetsUnattributed = true;
  }
  for (const a of index.ofType('aws_vpc_endpoint_security_group_association')) {
    const e = endpointOf(a.values['vpc_endpoint_id']);
    if (!e) {
      if (index.target(a.values['vpc_endpoint_id']) || isUnknown(a.values['vpc_endpoint_id'])) groupsUnattributed = true;
      continue;
    }
    push(
      groupAssoc,
      e,
      collectIds(a.values['security_group_id'], (v) => securityGroupOf(graph, index, v)),
    );
    const r = a.values['replace_default_association'];
    const prev = replacesDefault.get(e);
    if (prev !== true) replacesDefault.set(e, r === true || r === 'true' ? true : isUnknown(r) ? r : (prev ?? false));
  }
  for (const p of index.ofType('aws_vpc_endpoint_policy')) {
    const e = endpointOf(p.values['vpc_endpoint_id']);
    if (e) policies.set(e, p);
    else if (index.target(p.values['vpc_endpoint_id']) || isUnknown(p.values['vpc_endpoint_id'])) policyUnattributed = true;
  }

  return (i, type, vpc) => {
    const refs = attributeRefs(i);
    const configured = i.values['subnet_configuration'];
    const blocks = Array.isArray(configured) ? configured : [];
    const fromBlocks = blocks.map((c) => collectIds(isObject(c) ? (c['subnet_id'] ?? null) : c, (v) => subnetOf(graph, index, v)));
    const fromList = collectIds(i.values['subnet_ids'], (v) => subnetOf(graph, index, v));
    const associations = subnetAssoc.get(i.address) ?? [];
    const subnets = mergeIds(
      fromList,
      isUnknown(configured) ? { ...unknownIds(), reason: configured.reason } : mergeIds(...fromBlocks),
      ...associations.map((a) => a.ids),
      {
        nodes: [],
        external: [],
        incomplete: subnetsUnattributed,
        reason: 'aws_vpc_endpoint_subnet_association resources of unknown number or endpoint may attach more',
      },
    );
    const listAt = refs['subnet_ids'] ?? sourceOf(i);
    const subnetAttachments: EndpointSubnetAttachment[] = [
      ...fromList.nodes.map((subnet) => ({ subnet, via: 'list' as const, at: listAt })),
      ...fromBlocks.flatMap((ids, n) =>
        ids.nodes.map((subnet) => ({ subnet, via: 'configuration' as const, at: refs[`subnet_configuration[${n}]`] ?? listAt })),
      ),
      ...associations.flatMap((a) => a.ids.nodes.map((subnet) => ({ subnet, via: 'association' as const, at: a.at }))),
    ];
    const own = collectIds(i.values['security_group_ids'], (v) => securityGroupOf(graph, index, v));
    const associated = mergeIds(...(groupAssoc.get(i.address) ?? []));
    // AWS gives an Interface endpoint created without groups the VPC's default group, which stays until an
    // association with replace_default_association takes its place.
    const replaced = replacesDefault.get(i.address) ?? false;
    const defaultGroup = type === 'Interface' && isEmptyIds(own) && replaced !== true;
    const defaultNode = defaultGroup ? graph.defaultSecurityGroupOf(vpc) : undefined;
    // An endpoint of unknown type given no group may be an Interface endpoint holding the default group.
    const typeUnknown = isUnknown(type) && isEmptyIds(own);
    const groups = mergeIds(own, associated, {
      nodes: defaultNode ? [defaultNode.id] : [],
      external: [],
      incomplete: groupsUnattributed || isUnknown(replaced) || (defaultGroup && !defaultNode) || typeUnknown,
    });

    let policy: Maybe<PolicyDocument> | undefined = terraformPolicy(index, i, 'policy');
    let policyAt: SourceRef | undefined = policy !== undefined ? (refs['policy'] ?? sourceOf(i)) : undefined;
    const attached = policies.get(i.address);
    if (attached) {
      policy = terraformPolicy(index, attached, 'policy');
      policyAt = attributeRefs(attached)['policy'] ?? sourceOf(attached);
    } else if (policyUnattributed) policy = unknown('an aws_vpc_endpoint_policy that cannot be resolved may replace the policy');

    return {
      ...endpointIdFields(subnets, groups),
      ...(subnets.incomplete && subnets.reason !== undefined ? { subnetsIncompleteReason: subnets.reason } : {}),
      subnetAttachments,
      defaultSecurityGroup: defaultGroup,
      policy,
      ...(policyAt ? { policyAt } : {}),
    };
  };
}
