import { isObject, parseRef, unknown, type Value } from '../../source/value.js';
import { parseServiceName, prefixListById } from '../../facts/aws-data.js';
import type { Graph } from '../graph.js';
import type { Maybe, RouteDestination } from '../model.js';
import { managedListById, managedListNode } from '../nodes.js';
import { base, describe, maybeString, sourceOf, type InstanceIndex } from './refs.js';

const MANAGED_NAME = /^(?:cn\.)?com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$/;

function filterValue(filters: Value | undefined, name: string): Value | undefined {
  if (!Array.isArray(filters)) return undefined;
  for (const f of filters) {
    if (isObject(f) && f['name'] === name && Array.isArray(f['values']) && f['values'].length === 1) return f['values'][0];
  }
  return undefined;
}

export function addPrefixLists(graph: Graph, index: InstanceIndex): void {
  for (const i of index.dataOfType('aws_prefix_list', 'aws_ec2_managed_prefix_list')) {
    const name = maybeString(i.values['name'] ?? filterValue(i.values['filter'], 'prefix-list-name'));
    const id = maybeString(i.values['prefix_list_id'] ?? filterValue(i.values['filter'], 'prefix-list-id'));
    let managed: { service: string; region: Maybe<string> } | undefined;
    const m = typeof name === 'string' ? MANAGED_NAME.exec(name) : null;
    if (m) managed = { region: m[1]!, service: m[2]! };
    else if (typeof id === 'string' && typeof i.region === 'string') {
      const known = prefixListById(i.region, id);
      if (known) managed = { region: i.region, service: known.service };
    }
    graph.add({ kind: 'prefix-list', ...base(i), managed, name });
  }
  for (const i of index.ofType('aws_ec2_managed_prefix_list')) {
    const entries = i.values['entry'];
    const cidrs: Array<Maybe<string>> = Array.isArray(entries)
      ? entries.map((e) => (isObject(e) ? (maybeString(e['cidr']) ?? unknown('entry without cidr')) : unknown('entry is not known')))
      : [unknown('entries are not known')];
    graph.add({ kind: 'prefix-list', ...base(i), cidrs, name: maybeString(i.values['name']) });
  }
}

export function prefixListDestination(v: Value, region: Value, graph: Graph, index: InstanceIndex): RouteDestination {
  const t = index.target(v);
  if (t) {
    if (graph.getKind(t.instance.address, 'prefix-list')) return { kind: 'prefix-list', prefixList: t.instance.address, label: t.instance.address };
    if (t.instance.type === 'aws_vpc_endpoint' && t.attribute === 'prefix_list_id') {
      const svc = parseServiceName(String(t.instance.values['service_name']));
      if (svc)
        return {
          kind: 'prefix-list',
          prefixList: managedListNode(graph, svc.region, svc.service, sourceOf(t.instance)),
          label: `${t.instance.address}.prefix_list_id`,
        };
    }
    return { kind: 'unknown', reason: `prefix list ${describe(v)} is not known` };
  }
  if (typeof v === 'string' && !parseRef(v) && typeof region === 'string') {
    const managed = managedListById(graph, region, v);
    if (managed) return managed;
  }
  return { kind: 'unknown', reason: `prefix list ${describe(v)} is not known` };
}
