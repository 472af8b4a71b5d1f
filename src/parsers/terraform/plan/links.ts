import { isObject, isRef, makeRef, type Value, type ValueObject } from '../../../source/value.js';
import { LINKABLE_DATA } from './resolve.js';

/**
 * Resources that already exist have known ids in a plan, and what refers to them holds those ids as literal strings
 * (`vpc_id = "vpc-0abc…"`). When exactly one instance of the plan has that id, the string is that instance's id,
 * so it becomes the reference the graph links — as `aws_vpc.main.id` would in the configuration. Ids of nothing in the
 * plan stay literal strings (resources managed elsewhere).
 */

/** The shape of EC2-style ids: `vpc-0abc12…`, `rtb-…`, `eipalloc-…`, `pl-63a5400a`, `sgr-…`. */
const AWS_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/** Attributes never rewritten: the instance's own identity and free-form labels. */
const SKIPPED = new Set(['id', 'arn', 'tags', 'tags_all']);

export interface LinkTarget {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  values: ValueObject;
}

export function linkKnownIds(instances: LinkTarget[]): void {
  const owners = new Map<string, string[]>();
  const vpcTables = new Map<string, Array<{ address: string; attribute: string }>>();
  const add = <T>(map: Map<string, T[]>, key: string, v: T) => (map.get(key) ?? map.set(key, []).get(key)!).push(v);
  for (const i of instances) {
    const id = i.values['id'];
    if (typeof id === 'string' && !isRef(id) && AWS_ID.test(id) && (i.mode === 'managed' || LINKABLE_DATA.has(i.type))) add(owners, id, i.address);
    if (i.mode === 'managed' && (i.type === 'aws_vpc' || i.type === 'aws_default_vpc')) {
      for (const attribute of ['main_route_table_id', 'default_route_table_id']) {
        const v = i.values[attribute];
        if (typeof v === 'string' && !isRef(v) && AWS_ID.test(v)) add(vpcTables, v, { address: i.address, attribute });
      }
    }
  }
  if (owners.size === 0 && vpcTables.size === 0) return;

  const link = (s: string, self: string): string => {
    if (isRef(s) || !AWS_ID.test(s)) return s;
    const byId = (owners.get(s) ?? []).filter((a) => a !== self);
    if (byId.length === 1) return makeRef(byId[0]!, 'id');
    if (byId.length > 1) return s;
    const tables = (vpcTables.get(s) ?? []).filter((t) => t.address !== self);
    if (tables.length === 1) return makeRef(tables[0]!.address, tables[0]!.attribute);
    return s;
  };
  const walk = (v: Value, self: string): Value => {
    if (typeof v === 'string') return link(v, self);
    if (Array.isArray(v)) return v.map((x) => walk(x, self));
    if (isObject(v)) {
      for (const k of Object.keys(v)) v[k] = walk(v[k]!, self);
      return v;
    }
    return v;
  };
  for (const i of instances) {
    for (const key of Object.keys(i.values)) {
      if (SKIPPED.has(key)) continue;
      i.values[key] = walk(i.values[key]!, i.address);
    }
  }
}
