import { isObject, isUnknown, unknown, type Value } from '../../source/value.js';
import { collectIds, mergeIds, unknownIds, type IdList } from '../ids.js';
import type { EndpointServiceNode, LoadBalancerNode, Maybe, NodeId } from '../model.js';

/*
 * Load balancers and endpoint services (PrivateLink) as both builders make them.
 */

/** A load balancer's type as written (undefined when not set): application by default, in both formats. */
export function loadBalancerType(type: Maybe<string> | undefined): LoadBalancerNode['type'] {
  const t = type ?? 'application';
  return t === 'application' || t === 'network' || t === 'gateway' ? t : isUnknown(t) ? t : unknown(`load balancer type ${t} is not known`);
}

/**
 * A load balancer's subnets: those it lists and those of its subnet mappings, where `subnetKey` names a mapping's
 * subnet. `resolve` gives the subnet a value names (see `collectIds`).
 */
export function loadBalancerSubnets(
  subnets: Value | undefined,
  mappings: Value | undefined,
  subnetKey: string,
  resolve: (v: Value) => NodeId | 'unknown' | undefined,
): IdList {
  const mapped = isUnknown(mappings)
    ? unknownIds()
    : collectIds(Array.isArray(mappings) ? mappings.map((m) => (isObject(m) ? (m[subnetKey] ?? null) : m)) : null, resolve);
  return mergeIds(collectIds(subnets, resolve), mapped);
}

/** An endpoint service's network and gateway load balancers as `EndpointServiceNode` fields. */
export function endpointServiceLoadBalancers(
  nlbs: IdList,
  gwlbs: IdList,
): Pick<EndpointServiceNode, 'networkLoadBalancers' | 'gatewayLoadBalancers' | 'loadBalancersIncomplete' | 'externalLoadBalancers'> {
  return {
    networkLoadBalancers: nlbs.nodes,
    gatewayLoadBalancers: gwlbs.nodes,
    loadBalancersIncomplete: nlbs.incomplete || gwlbs.incomplete,
    externalLoadBalancers: [...nlbs.external, ...gwlbs.external],
  };
}

/** The regions an endpoint service lets consumers connect from; `read` reads one as the format's builder does. */
export function supportedRegions(v: Value | undefined, read: (v: Value) => Maybe<string> | undefined): Array<Maybe<string>> {
  if (isUnknown(v)) return [v];
  return Array.isArray(v) ? v.filter((r) => r !== null).map((r) => read(r) ?? unknown('no region')) : [];
}

/** The IP address types an endpoint service supports, as written (undefined when not set). */
export function supportedIpAddressTypes(v: Value | undefined, read: (v: Value) => Maybe<string> | undefined): Maybe<Array<Maybe<string>>> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  return Array.isArray(v) ? v.filter((t) => t !== null).map((t) => read(t) ?? unknown('no IP address type')) : unknown('not a list of IP address types');
}
