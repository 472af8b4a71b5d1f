import type { Diagnostic, Span } from '../../../source/types.js';
import type { ResourceInstance } from '../evaluate/types.js';
import { isObject, isUnknown, type Unknown, type Value } from '../../../source/value.js';
import { moduleCallNames, type ConfigResource } from './document.js';

/**
 * A plan of infrastructure that does not exist yet holds no ids: what links a route to its table, an association to its
 * subnet, an endpoint to its route tables is recovered from the configuration's references, and where that cannot be
 * proved the link stays Unknown. Each link left Unknown is one `tfplan-unresolved-link` note, at the line where the
 * reference is written, so that a rule staying silent on it is explained.
 */

export const UNRESOLVED_LINK = 'tfplan-unresolved-link';

/** Arguments that link one resource of the network graph to another. */
const LINK_ATTRIBUTES = new Set([
  'vpc_id',
  'subnet_id',
  'subnet_ids',
  'subnets',
  'route_table_id',
  'route_table_ids',
  'nat_gateway_id',
  'gateway_id',
  'egress_only_gateway_id',
  'transit_gateway_id',
  'vpc_peering_connection_id',
  'network_interface_id',
  'carrier_gateway_id',
  'local_gateway_id',
  'core_network_arn',
  'vpc_endpoint_id',
  'vpc_endpoint_service_id',
  'destination_prefix_list_id',
  'prefix_list_id',
  'prefix_list_ids',
  'security_group_id',
  'security_group_ids',
  'vpc_security_group_ids',
  'security_groups',
  'source_security_group_id',
  'referenced_security_group_id',
  'network_acl_id',
  'allocation_id',
  'network_load_balancer_arns',
  'gateway_load_balancer_arns',
  'vpc_zone_identifier',
]);

const MAX_LISTED = 5;

export interface LinkSource {
  instance: ResourceInstance;
  /** The resource's configuration in the plan; without one nothing was recovered (`tfplan-no-configuration` says so). */
  config: ConfigResource | undefined;
  /** The plan file, where a location falls back to when no `.tf` file holds the resource. */
  planFile: string;
}

/** One note per resource block and link argument whose value stays Unknown, naming every instance concerned. */
export function unresolvedLinkDiagnostics(sources: LinkSource[]): Diagnostic[] {
  const groups = new Map<string, { at: { file: string; span: Span }; reasons: Array<{ address: string; reason: string }> }>();
  for (const { instance, config, planFile } of sources) {
    if (!config) continue;
    for (const { path, value } of unknownLinks(instance.values)) {
      const key = [moduleCallNames(instance.moduleAddress).join('.'), config.address, path.map((p) => (typeof p === 'number' ? '[]' : p)).join('.')].join('|');
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { at: locate(instance, config, path, planFile), reasons: [] }));
      group.reasons.push({ address: instance.address, reason: value.reason });
    }
  }
  const out: Diagnostic[] = [];
  for (const { at, reasons } of groups.values()) {
    const [first, ...rest] = reasons;
    const others = [...new Set(rest.map((r) => r.address).filter((a) => a !== first!.address))];
    const listed = others.slice(0, MAX_LISTED).join(', ') + (others.length > MAX_LISTED ? ` and ${others.length - MAX_LISTED} more` : '');
    out.push({
      severity: 'note',
      code: UNRESOLVED_LINK,
      file: at.file,
      line: at.span.start.line,
      column: at.span.start.column,
      message: `${first!.reason}. The link is left unknown${others.length > 0 ? ` here and in ${listed}` : ''}; rules that depend on it do not decide on it.`,
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line! - b.line! || a.column! - b.column! || a.message.localeCompare(b.message));
}

function unknownLinks(values: Record<string, Value>): Array<{ path: Array<string | number>; value: Unknown }> {
  const out: Array<{ path: Array<string | number>; value: Unknown }> = [];
  const walk = (v: Value, path: Array<string | number>, leaf: string | undefined) => {
    if (isUnknown(v)) {
      if (leaf !== undefined && LINK_ATTRIBUTES.has(leaf)) out.push({ path, value: v });
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], leaf));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], k);
  };
  for (const [k, v] of Object.entries(values)) walk(v, [k], k);
  return out;
}

/** The argument as written: in the `.tf` file when the resource's block is there, else in the plan's configuration. */
function locate(instance: ResourceInstance, config: ConfigResource, path: Array<string | number>, planFile: string): { file: string; span: Span } {
  const top = path[0] as string;
  const leaf = [...path].reverse().find((p): p is string => typeof p === 'string')!;
  const block = instance.block;
  if (block.file === planFile) return { file: planFile, span: config.expressionSpans.get(top) ?? config.span };
  if (path.length === 1 || top === leaf) return { file: block.file, span: block.attributes[top]?.span ?? block.headerSpan };
  const nested = block.blocks.filter((b) => b.type === top || (b.type === 'dynamic' && b.labels[0] === top));
  const withLeaf = nested.flatMap((b) => [b, ...b.blocks]).find((b) => b.attributes[leaf]);
  return { file: block.file, span: withLeaf?.attributes[leaf]?.span ?? nested[0]?.span ?? block.attributes[top]?.span ?? block.headerSpan };
}
