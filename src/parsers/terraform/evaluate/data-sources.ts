import type { Diagnostic } from '../../../source/types.js';
import type { Scope } from '../expr/index.js';
import { containsUnknown, isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { evaluateBody } from './body.js';
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
  const { type, block, scope, region, report, address } = input;
  const args = evaluateBody(block, scope, report).values;
  switch (type) {
    case 'aws_region':
      return regionData(args, region);
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

/** Renders `data "aws_iam_policy_document"` the way the provider does (single values unwrapped, Version first). */
function renderPolicyDocument(args: ValueObject, block: ParsedBlock, report: (d: Diagnostic) => void): Value {
  if (args['source_policy_documents'] || args['override_policy_documents'] || args['source_json'] || args['override_json']) {
    report({
      severity: 'note',
      code: 'tf-policy-document-merge',
      file: block.file,
      line: block.headerSpan.start.line,
      message: 'aws_iam_policy_document with source or override documents is not rendered; its json is unknown.',
    });
    return unknown('merged policy documents are not rendered');
  }
  const statements = args['statement'];
  if (isUnknown(statements)) return unknown('policy statements are not known');
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
  const rendered: Value[] = list.filter(isObject).map((s) => {
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
  const doc: ValueObject = { Version: args['version'] ?? '2012-10-17' };
  if (typeof args['policy_id'] === 'string') doc['Id'] = args['policy_id'];
  doc['Statement'] = rendered;
  if (containsUnknown(doc)) return unknown('the policy document depends on values that are not known');
  return JSON.stringify(doc);
}
