import type { Diagnostic } from '../../../source/types.js';
import type { Scope } from '../expr/index.js';
import { containsUnknown, isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { evaluateBody } from './body.js';
import { ownRegion } from './resource-region.js';
import type { ParsedBlock } from './parsed.js';
import { availabilityZoneNames, partitionOf } from '../../../facts/regions.js';

export interface DataSourceInput {
  type: string;
  address: string;
  block: ParsedBlock;
  scope: Scope;
  region: Value;
  report: (d: Diagnostic) => void;
}

/**
 * The value of a data source instance. Data sources we can compute offline (region, zones, partition, policy
 * documents, endpoint service names) get real values; everything else is read from AWS at plan time and is Unknown,
 * except the arguments written in the configuration.
 */
export function dataSourceValue(input: DataSourceInput): ValueObject {
  const { type, block, scope, report, address } = input;
  const args = evaluateBody(block, scope, report).values;
  if (type === 'aws_region') return regionData(args, input.region);
  const region = ownRegion(type, args, () => input.region);
  switch (type) {
    case 'aws_availability_zones': {
      const zones = typeof region === 'string' ? availabilityZoneNames(region) : undefined;
      const names: Value = zones ?? unknown(`availability zones of ${typeof region === 'string' ? region : 'an unknown region'} are read from AWS`);
      return { ...args, id: region, names, zone_ids: unknown('zone ids are read from AWS'), group_names: unknown('group names are read from AWS') };
    }
    case 'aws_partition':
      return partitionData(region);
    case 'aws_caller_identity':
      return {
        account_id: unknown('the account id is read from AWS'),
        arn: unknown('the caller ARN is read from AWS'),
        user_id: unknown('the caller is read from AWS'),
        id: unknown('the account id is read from AWS'),
      };
    case 'aws_iam_policy_document': {
      const json = renderPolicyDocument(args, block, report);
      return { ...args, json, minified_json: json, id: unknown('policy document id is a hash') };
    }
    case 'aws_vpc_endpoint_service':
      return endpointServiceData(args, region);
    case 'aws_prefix_list':
    case 'aws_ec2_managed_prefix_list':
      // The graph resolves the list from its name or id; the id stays a reference so routes can point at this node.
      return {
        ...args,
        id: makeRef(address, 'id'),
        cidr_blocks: unknown('prefix list entries are read from AWS'),
        entries: unknown('prefix list entries are read from AWS'),
      };
    default:
      return readFromAws(args, address);
  }
}

function isKnown(v: Value | undefined): v is Value {
  return v !== undefined && v !== null && !isUnknown(v);
}

/** `data "aws_region"`: the region asked for by name, else the provider's. */
function regionData(args: ValueObject, region: Value): ValueObject {
  const r = isKnown(args['name']) ? args['name'] : isKnown(args['region']) ? args['region'] : region;
  return {
    ...args,
    name: r,
    id: r,
    region: r,
    description: unknown('region description is read from AWS'),
    endpoint: unknown('region endpoint is read from AWS'),
  };
}

function partitionData(region: Value): ValueObject {
  if (typeof region !== 'string')
    return {
      id: unknown('partition depends on the region'),
      partition: unknown('partition depends on the region'),
      dns_suffix: unknown('partition depends on the region'),
    };
  const p = partitionOf(region)!;
  return {
    id: p.partition,
    partition: p.partition,
    dns_suffix: p.urlSuffix ?? unknown(`the DNS suffix of ${p.partition} is not known`),
    reverse_dns_prefix: region.startsWith('cn-') ? 'cn.com.amazonaws' : 'com.amazonaws',
  };
}

/** `data "aws_vpc_endpoint_service"`: the service name of an AWS service follows from the region. */
function endpointServiceData(args: ValueObject, region: Value): ValueObject {
  let serviceName: Value = args['service_name'] ?? null;
  if (!isKnown(serviceName) && isKnown(args['service'])) {
    serviceName =
      typeof region === 'string'
        ? `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.${region}.${args['service']}`
        : unknown('the service name depends on the region');
  }
  return {
    ...args,
    service_name: serviceName ?? unknown('service name is read from AWS'),
    service_type: args['service_type'] ?? unknown('service type is read from AWS'),
    id: unknown('read from AWS'),
    availability_zones: unknown('read from AWS'),
    base_endpoint_dns_names: unknown('read from AWS'),
  };
}

/** Any other data source: its evaluated arguments, and every other attribute Unknown (read from AWS at plan time). */
function readFromAws(args: ValueObject, address: string): ValueObject {
  return new Proxy(args, {
    get(t, prop) {
      if (typeof prop !== 'string') return undefined;
      if (prop in t) return t[prop];
      return unknown(`${address}.${prop} is read from AWS at plan time`);
    },
    has: (_t, prop) => typeof prop === 'string',
  });
}

/**
 * Renders `data "aws_iam_policy_document"` the way the provider does (single values unwrapped, Version first), merging
 * `source_policy_documents` before and `override_policy_documents` after its own statements as the provider does: a
 * later statement with the Sid of an earlier one replaces it in place, a statement without Sid is appended, `Id` is the
 * last one given and `Version` the highest (terraform-provider-aws, `data_source_iam_policy_document.go`, and the
 * data source's documentation). When a part is not known, the json is Unknown and keeps the document it would render.
 */
function renderPolicyDocument(args: ValueObject, block: ParsedBlock, report: (d: Diagnostic) => void): Value {
  const fail = (message: string, reason: string): Value => {
    report({ severity: 'warning', code: 'tf-policy-document-invalid', file: block.file, line: block.headerSpan.start.line, message });
    return unknown(reason);
  };
  const merged: ValueObject = { Version: '', Statement: [] };
  const sources = [...documentsOf(args['source_json'] ?? null), ...documentsOf(args['source_policy_documents'] ?? null)];
  const sids = new Set<string>();
  for (const d of sources) {
    if (isUnknown(d)) return unknown(`a source policy document is not known (${d.reason})`);
    if (typeof d === 'string') return fail(`aws_iam_policy_document: a source policy document is not JSON.`, 'a source policy document is not JSON');
    for (const st of statementsOf(d)) {
      const sid = isObject(st) ? st['Sid'] : undefined;
      if (typeof sid === 'string' && sid) {
        if (sids.has(sid))
          return fail(`aws_iam_policy_document: duplicate Sid "${sid}" in source_policy_documents; Terraform refuses it.`, `duplicate Sid ${sid}`);
        sids.add(sid);
      }
    }
    mergePolicy(merged, d);
  }
  const own: ValueObject = { Version: args['version'] ?? '2012-10-17', Statement: renderStatements(args['statement']) };
  if (typeof args['policy_id'] === 'string') own['Id'] = args['policy_id'];
  mergePolicy(merged, own);
  for (const d of [...documentsOf(args['override_policy_documents'] ?? null), ...documentsOf(args['override_json'] ?? null)]) {
    if (isUnknown(d)) return unknown(`an override policy document is not known (${d.reason})`);
    if (typeof d === 'string') return fail(`aws_iam_policy_document: an override policy document is not JSON.`, 'an override policy document is not JSON');
    mergePolicy(merged, d);
  }
  const doc: ValueObject = { Version: merged['Version'] ?? '2012-10-17' };
  if (merged['Id'] !== undefined) doc['Id'] = merged['Id'];
  doc['Statement'] = merged['Statement'] ?? [];
  if (isUnknown(args['statement'])) return unknown('policy statements are not known');
  if (containsUnknown(doc)) return unknown('the policy document depends on values that are not known', doc);
  return JSON.stringify(doc);
}

/**
 * The documents of a `source_policy_documents`-like argument: each parsed (a string when it is not JSON), Unknown when
 * not known (keeping the partial document a rendered one carries).
 */
function documentsOf(v: Value): Array<Value> {
  if (v === null) return [];
  if (isUnknown(v)) return [v.partialJson !== undefined ? v.partialJson : v];
  const out: Value[] = [];
  for (const x of Array.isArray(v) ? v : [v]) {
    if (x === null) continue;
    if (isUnknown(x)) out.push(x.partialJson !== undefined ? x.partialJson : x);
    else if (typeof x === 'string') {
      try {
        out.push(JSON.parse(x) as Value);
      } catch {
        out.push(x);
      }
    } else out.push(x);
  }
  return out;
}

function statementsOf(doc: Value): Value[] {
  if (!isObject(doc)) return [];
  const st = doc['Statement'];
  return Array.isArray(st) ? st : st === undefined || st === null ? [] : [st];
}

/** The provider's `IAMPolicyDoc.Merge`: adopt Id, upgrade Version, replace statements by Sid, append the rest. */
function mergePolicy(into: ValueObject, doc: Value): void {
  if (!isObject(doc)) return;
  if (typeof doc['Id'] === 'string' && doc['Id']) into['Id'] = doc['Id'];
  const version = doc['Version'];
  if (isUnknown(version) || (typeof version === 'string' && typeof into['Version'] === 'string' && version > into['Version'])) into['Version'] = version;
  const list = into['Statement'] as Value[];
  for (const st of statementsOf(doc)) {
    const sid = isObject(st) ? st['Sid'] : undefined;
    const at = typeof sid === 'string' && sid ? list.findIndex((x) => isObject(x) && x['Sid'] === sid) : -1;
    if (at >= 0) list[at] = st;
    else list.push(st);
  }
}

function renderStatements(statements: Value | undefined): Value[] {
  const list = Array.isArray(statements) ? statements : [];
  const unwrap = (v: Value): Value => (Array.isArray(v) && v.length === 1 ? v[0]! : Array.isArray(v) ? [...v].sort() : v);
  const principals = (v: Value): Value => {
    if (!Array.isArray(v) || v.length === 0) return null;
    const out: ValueObject = {};
    for (const p of v) {
      if (!isObject(p)) continue;
      const t = p['type'];
      if (t === '*') return '*';
      if (typeof t !== 'string') return unknown('principal type is not known');
      const ids = p['identifiers'];
      const prev = out[t];
      const merged = [...(Array.isArray(prev) ? prev : prev ? [prev] : []), ...(Array.isArray(ids) ? ids : [ids ?? null])];
      out[t] = unwrap(merged);
    }
    return out;
  };
  return list.filter(isObject).map((s) => {
    const out: ValueObject = {};
    if (typeof s['sid'] === 'string' && s['sid']) out['Sid'] = s['sid'];
    out['Effect'] = s['effect'] ?? 'Allow';
    const put = (key: string, v: Value | undefined) => {
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
      out[key] = v;
    };
    put('Action', s['actions'] !== undefined ? unwrap(s['actions']!) : undefined);
    put('NotAction', s['not_actions'] !== undefined ? unwrap(s['not_actions']!) : undefined);
    put('Resource', s['resources'] !== undefined ? unwrap(s['resources']!) : undefined);
    put('NotResource', s['not_resources'] !== undefined ? unwrap(s['not_resources']!) : undefined);
    put('Principal', principals(s['principals'] ?? null));
    put('NotPrincipal', principals(s['not_principals'] ?? null));
    const conditions = s['condition'];
    if (Array.isArray(conditions) && conditions.length) {
      const cond: ValueObject = {};
      for (const c of conditions) {
        if (!isObject(c) || typeof c['test'] !== 'string' || typeof c['variable'] !== 'string') return unknown('condition is not known');
        const byTest = (cond[c['test']] ??= {}) as ValueObject;
        byTest[c['variable']] = unwrap(c['values'] ?? null);
      }
      out['Condition'] = cond;
    }
    return out;
  });
}
