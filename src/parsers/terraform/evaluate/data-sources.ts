import type { Diagnostic } from '../../../source/types.js';
import type { Scope } from '../expr/index.js';
import { containsUnknown, isObject, isUnknown, makeRef, unknown, type Unknown, type Value, type ValueObject } from '../../../source/value.js';
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
 * Renders `data "aws_iam_policy_document"` the way terraform-provider-aws does (`dataSourcePolicyDocumentRead` in
 * internal/service/iam/policy_document_data_source.go and `Merge` in policy_model.go):
 * - `source_policy_documents` are merged first, in order; a non-empty Sid that appears twice among them (also within one
 *   document) is an error ("duplicate Sid ... in source_policy_documents");
 * - then the data source's own `statement` blocks (a Sid repeated among them is an error);
 * - then `override_policy_documents`, in order.
 * Each merge adopts the document's non-empty `Id`, raises `Version` to the later one, replaces in place the statement
 * with the same non-empty Sid and appends every other statement (so statements without Sid are always appended).
 * The deprecated `source_json` / `override_json` only take effect with provider versions before 5.0 (later versions
 * accept only an empty string): there `source_json` is read as the starting document and `override_json` is merged
 * last, and an empty string is ignored. Sets (actions, resources, principal identifiers) are rendered as one string
 * when they hold one value, else sorted in reverse order; `&{` in resources, principals and condition values becomes
 * `${`. When a part is not known, the json is Unknown and keeps the document it would render.
 */
function renderPolicyDocument(args: ValueObject, block: ParsedBlock, report: (d: Diagnostic) => void): Value {
  const fail = (message: string, reason: string): Value => {
    report({ severity: 'warning', code: 'tf-policy-document-invalid', file: block.file, line: block.headerSpan.start.line, message });
    return unknown(reason);
  };
  const merged: ValueObject = { Version: '', Statement: [] };
  const sids = new Set<string>();
  const sidOf = (st: Value): string | undefined => {
    const sid = isObject(st) ? st['Sid'] : undefined;
    return typeof sid === 'string' && sid ? sid : undefined;
  };

  const legacySource = legacyDocument(args['source_json']);
  if (legacySource !== undefined) {
    if (isUnknown(legacySource)) return unknown(`source_json is not known (${legacySource.reason})`);
    const statements = statementList(legacySource);
    if (statements === 'invalid') return fail('aws_iam_policy_document: source_json is not a policy document.', 'source_json is not a policy document');
    if (isUnknown(statements)) return unknown(`the statements of source_json are not known (${statements.reason})`);
    // Read as the starting document (not merged): its own Sids are not checked against each other.
    if (isObject(legacySource) && typeof legacySource['Version'] === 'string') merged['Version'] = legacySource['Version'];
    if (isObject(legacySource) && typeof legacySource['Id'] === 'string' && legacySource['Id']) merged['Id'] = legacySource['Id'];
    merged['Statement'] = [...statements];
    for (const st of statements) {
      const sid = sidOf(st);
      if (sid) sids.add(sid);
    }
  }

  for (const d of documentsOf(args['source_policy_documents'] ?? null)) {
    if (isUnknown(d)) return unknown(`a source policy document is not known (${d.reason})`);
    const statements = statementList(d);
    if (statements === 'invalid')
      return fail('aws_iam_policy_document: a source policy document is not a policy document.', 'a source policy document is not a policy document');
    if (isUnknown(statements)) return unknown(`the statements of a source policy document are not known (${statements.reason})`);
    for (const st of statements) {
      const sid = sidOf(st);
      if (!sid) continue;
      if (sids.has(sid))
        return fail(`aws_iam_policy_document: duplicate Sid "${sid}" in source_policy_documents; Terraform refuses it.`, `duplicate Sid ${sid}`);
      sids.add(sid);
    }
    mergePolicy(merged, d, statements);
  }

  const version = args['version'] ?? '2012-10-17';
  const ownStatements = Array.isArray(args['statement']) ? args['statement'] : [];
  const ownSids = new Set<string>();
  for (const s of ownStatements) {
    const sid = isObject(s) ? s['sid'] : undefined;
    if (typeof sid !== 'string' || !sid) continue;
    if (ownSids.has(sid)) return fail(`aws_iam_policy_document: duplicate Sid "${sid}" among its statements; Terraform refuses it.`, `duplicate Sid ${sid}`);
    ownSids.add(sid);
  }
  if (version === '2008-10-17' && usesPolicyVariable(ownStatements))
    return fail('aws_iam_policy_document: "&{" is not supported in policy version 2008-10-17; Terraform refuses it.', 'policy variable in version 2008-10-17');
  const own: ValueObject = { Version: version, Statement: renderStatements(args['statement']) };
  if (typeof args['policy_id'] === 'string' && args['policy_id']) own['Id'] = args['policy_id'];
  mergePolicy(merged, own, own['Statement'] as Value[]);

  const overrides = documentsOf(args['override_policy_documents'] ?? null);
  const legacyOverride = legacyDocument(args['override_json']);
  if (legacyOverride !== undefined) overrides.push(legacyOverride);
  for (const d of overrides) {
    if (isUnknown(d)) return unknown(`an override policy document is not known (${d.reason})`);
    const statements = statementList(d);
    if (statements === 'invalid')
      return fail('aws_iam_policy_document: an override policy document is not a policy document.', 'an override policy document is not a policy document');
    if (isUnknown(statements)) return unknown(`the statements of an override policy document are not known (${statements.reason})`);
    mergePolicy(merged, d, statements);
  }

  const doc: ValueObject = {};
  if (merged['Version'] !== '') doc['Version'] = merged['Version'] ?? null;
  if (merged['Id'] !== undefined) doc['Id'] = merged['Id'];
  const statements = merged['Statement'] as Value[];
  if (statements.length) doc['Statement'] = statements;
  if (isUnknown(args['statement'])) return unknown('policy statements are not known');
  if (containsUnknown(doc)) return unknown('the policy document depends on values that are not known', doc);
  return JSON.stringify(doc);
}

/** `source_json` / `override_json`: undefined when absent or empty (the provider ignores an empty string). */
function legacyDocument(v: Value | undefined): Value | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return documentsOf(v)[0];
}

/**
 * The documents of a `source_policy_documents`-like argument: each parsed (a string when it is not JSON), Unknown when
 * not known (keeping the partial document a rendered one carries). Null elements are skipped, as the provider does.
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

/**
 * The statements of a merged document as the provider reads it: `Statement` must be a list (the provider's model
 * refuses a single statement object or a document that is not an object); Unknown when the list is not known.
 */
function statementList(doc: Value): Value[] | 'invalid' | Unknown {
  if (isUnknown(doc)) return doc;
  if (!isObject(doc)) return 'invalid';
  const st = doc['Statement'];
  if (st === undefined || st === null) return [];
  if (isUnknown(st)) return st;
  return Array.isArray(st) ? st : 'invalid';
}

/** The provider's `iamPolicyDoc.Merge`: adopt a non-empty Id, upgrade Version, replace statements by Sid, append the rest. */
function mergePolicy(into: ValueObject, doc: Value, statements: Value[]): void {
  if (!isObject(doc)) return;
  if (typeof doc['Id'] === 'string' && doc['Id']) into['Id'] = doc['Id'];
  else if (isUnknown(doc['Id'])) into['Id'] = doc['Id'];
  const version = doc['Version'];
  if (isUnknown(version) || (typeof version === 'string' && typeof into['Version'] === 'string' && version > into['Version'])) into['Version'] = version;
  const list = into['Statement'] as Value[];
  for (const st of statements) {
    const sid = isObject(st) ? st['Sid'] : undefined;
    const at = typeof sid === 'string' && sid ? list.findIndex((x) => isObject(x) && x['Sid'] === sid) : -1;
    if (at >= 0) list[at] = st;
    else list.push(st);
  }
}

/** Whether a statement block writes a `&{...}` policy variable where the provider replaces it. */
function usesPolicyVariable(statements: Value[]): boolean {
  const has = (v: Value | undefined): boolean =>
    typeof v === 'string' ? v.includes('&{') : Array.isArray(v) ? v.some(has) : isObject(v) && !isUnknown(v) ? Object.values(v).some(has) : false;
  return statements.some(
    (s) => isObject(s) && (has(s['resources']) || has(s['not_resources']) || has(s['principals']) || has(s['not_principals']) || has(s['condition'])),
  );
}

/** A set of strings as the provider writes it: its one value, or the values sorted in reverse order. */
function renderSet(v: Value, vars = false): Value {
  const list = Array.isArray(v) ? v : [v];
  const strings = [...new Set(list.filter((x): x is string => typeof x === 'string'))].map((s) => (vars ? s.replaceAll('&{', '${') : s));
  const rest = list.filter((x) => typeof x !== 'string');
  const all: Value[] = [...strings.sort().reverse(), ...rest];
  return all.length === 1 ? all[0]! : all;
}

function renderStatements(statements: Value | undefined): Value[] {
  const list = Array.isArray(statements) ? statements : [];
  const principals = (v: Value): Value => {
    if (!Array.isArray(v) || v.length === 0) return null;
    const blocks = v.filter(isObject);
    if (blocks.length === 1 && blocks[0]!['type'] === '*') {
      const ids = blocks[0]!['identifiers'];
      if (ids === '*' || (Array.isArray(ids) && ids.length > 0 && ids.every((x) => x === '*'))) return '*';
    }
    const out: ValueObject = {};
    for (const p of blocks) {
      const t = p['type'];
      if (typeof t !== 'string') return unknown('principal type is not known');
      const ids = renderSet(p['identifiers'] ?? null, true);
      const prev = out[t];
      if (prev === undefined) out[t] = ids;
      else out[t] = [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(ids) ? ids : [ids])];
    }
    return out;
  };
  return list.filter(isObject).map((s) => {
    const out: ValueObject = {};
    if (typeof s['sid'] === 'string' && s['sid']) out['Sid'] = s['sid'];
    out['Effect'] = s['effect'] ?? 'Allow';
    const put = (key: string, v: Value | undefined, vars = false) => {
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
      out[key] = renderSet(v, vars);
    };
    put('Action', s['actions']);
    put('NotAction', s['not_actions']);
    put('Resource', s['resources'], true);
    put('NotResource', s['not_resources'], true);
    const p = principals(s['principals'] ?? null);
    if (p !== null) out['Principal'] = p;
    const np = principals(s['not_principals'] ?? null);
    if (np !== null) out['NotPrincipal'] = np;
    const conditions = s['condition'];
    if (Array.isArray(conditions) && conditions.length) {
      // Values keep their order; blocks with the same test and variable add their values; one value is unwrapped.
      const cond: Record<string, Record<string, Value[]>> = {};
      for (const c of conditions) {
        if (!isObject(c) || typeof c['test'] !== 'string' || typeof c['variable'] !== 'string') return unknown('condition is not known');
        const values = c['values'];
        const byTest = (cond[c['test']] ??= {});
        const into = (byTest[c['variable']] ??= []);
        for (const x of Array.isArray(values) ? values : [values ?? null]) into.push(typeof x === 'string' ? x.replaceAll('&{', '${') : x);
      }
      const rendered: ValueObject = {};
      for (const [test, vars] of Object.entries(cond)) {
        const byVar: ValueObject = {};
        for (const [variable, values] of Object.entries(vars)) byVar[variable] = values.length === 1 ? values[0]! : values;
        rendered[test] = byVar;
      }
      out['Condition'] = rendered;
    }
    return out;
  });
}
