import { displayValue, isUnknown, parseRef, type Value } from '../source/value.js';
import type { NodeId } from './model.js';

/** A list of ids (subnets, security groups, load balancers) as the graph carries it. */
export interface IdList {
  /** Nodes of the graph, in the order written, without repeats. */
  nodes: NodeId[];
  /** Literal ids of things outside the configuration. */
  external: string[];
  /** Some entry (or the list itself) cannot be resolved. */
  incomplete: boolean;
  /** Why it is incomplete, when an Unknown value said (the first reason met). */
  reason?: string;
}

/** How an entry reads in a reason: `aws_subnet.a.id`, or a template's logical id for a `Ref`. */
function label(item: Value): string {
  const ref = parseRef(item);
  return ref?.attribute === 'Ref' ? ref.address : displayValue(item);
}

export const emptyIds = (): IdList => ({ nodes: [], external: [], incomplete: false });

/** A list nothing of which is known (its block cannot be computed, or AWS fills it in). */
export const unknownIds = (): IdList => ({ ...emptyIds(), incomplete: true });

/**
 * Resolves a list of ids (a single id counts as a list of one). `resolve` gives the node a reference names, 'unknown'
 * for a reference to something the graph does not model, or undefined when the entry is not a reference: a literal
 * string is then external, anything else unknown.
 */
export function collectIds(v: Value | undefined, resolve: (item: Value) => NodeId | 'unknown' | undefined): IdList {
  const out = emptyIds();
  if (v === undefined || v === null) return out;
  if (isUnknown(v)) return { ...out, incomplete: true, reason: v.reason };
  for (const item of Array.isArray(v) ? v : [v]) {
    if (item === null || item === '') continue;
    if (isUnknown(item)) {
      out.incomplete = true;
      out.reason ??= item.reason;
      continue;
    }
    const r = resolve(item);
    if (r !== undefined && r !== 'unknown') {
      if (!out.nodes.includes(r)) out.nodes.push(r);
    } else if (r === undefined && typeof item === 'string' && !parseRef(item)) {
      if (!out.external.includes(item)) out.external.push(item);
    } else {
      out.incomplete = true;
      out.reason ??= `${label(item)} names nothing the configuration describes`;
    }
  }
  return out;
}

export function mergeIds(...lists: IdList[]): IdList {
  const out = emptyIds();
  for (const l of lists) {
    for (const n of l.nodes) if (!out.nodes.includes(n)) out.nodes.push(n);
    for (const e of l.external) if (!out.external.includes(e)) out.external.push(e);
    out.incomplete ||= l.incomplete;
    if (l.incomplete && l.reason !== undefined) out.reason ??= l.reason;
  }
  return out;
}

export const isEmptyIds = (l: IdList) => l.nodes.length === 0 && l.external.length === 0 && !l.incomplete;

/** An endpoint's subnet and security group lists as `VpcEndpointNode` fields. */
export function endpointIdFields(subnets: IdList, groups: IdList) {
  return {
    subnets: subnets.nodes,
    subnetsIncomplete: subnets.incomplete,
    externalSubnets: subnets.external,
    securityGroups: groups.nodes,
    securityGroupsIncomplete: groups.incomplete,
    externalSecurityGroups: groups.external,
  };
}
