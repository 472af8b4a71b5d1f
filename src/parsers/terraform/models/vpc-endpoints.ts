import { instanceView } from '../evaluate/lazy.js';
import { isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import {
  and,
  InstanceSink,
  lookup,
  toBool,
  toList,
  toMap,
  tryAttr,
  type InputStatus,
  type Maybe,
  type ModelContext,
  type ModelResult,
  type ModuleModel,
} from './common.js';
import { TERRAFORM_AWS_VPC_RELEASES } from './releases.js';

/**
 * Model of `terraform-aws-modules/vpc/aws//modules/vpc-endpoints`, written from the submodule's main.tf, variables.tf
 * and outputs.tf of v6.6.0 (the corpus case `tfvpc-module-vpc-endpoints`). The submodule exists since 3.0, when the
 * root module's built-in endpoints moved into it (docs/UPGRADE-3.0.md); its `endpoints` map has kept the same keys,
 * and v6.0 added `region` (with it, service names come only from `service_endpoint`). One endpoint per map entry whose
 * `create` is not false: type `service_type` (default Interface); subnets and security groups for Interface endpoints
 * only, route tables for Gateway endpoints only, private DNS for Interface endpoints only.
 */

const DEFAULTS: Record<string, Value> = {
  create: true,
  region: null,
  vpc_id: null,
  endpoints: {},
  security_group_ids: [],
  subnet_ids: [],
  create_security_group: false,
  security_group_name: null,
  security_group_name_prefix: null,
  security_group_description: null,
  security_group_rules: {},
};

const NO_EFFECT = new Set(['tags', 'timeouts', 'security_group_tags']);

function inputStatus(name: string, major: number): InputStatus {
  if (name === 'region' && major < 6) return 'not-an-input';
  if (name in DEFAULTS) return 'handled';
  if (NO_EFFECT.has(name)) return 'no-effect';
  return 'not-an-input';
}

function serviceNameOf(entry: Value, region: Value, hasRegionInput: boolean): Value {
  const endpoint = tryAttr(entry, 'service_endpoint', null);
  if (endpoint !== null) return endpoint;
  // v6 reads data.aws_vpc_endpoint_service only when `region` is not set; before v6 always.
  if (hasRegionInput) return unknown('with `region` set, the module takes the service name only from `service_endpoint`');
  const name = lookup(entry, 'service_name', null);
  if (name !== null) return name;
  const service = lookup(entry, 'service', null);
  if (isUnknown(service)) return service;
  if (typeof service !== 'string') return unknown('the endpoint has neither service, service_name nor service_endpoint');
  if (isUnknown(region)) return unknown(`the service name of ${service} depends on the region (${region.reason})`);
  if (typeof region !== 'string') return unknown('the service name depends on the region');
  return `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.${region}.${service}`;
}

function distinct(xs: Value[]): Value[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function concatLists(...lists: Array<Maybe<Value[]>>): Maybe<Value[]> {
  const u = lists.find(isUnknown);
  if (u) return u;
  return (lists as Value[][]).flat();
}

function build(ctx: ModelContext): ModelResult {
  const raw = (name: string): Value => {
    const given = ctx.input(name);
    return given === undefined || given === null ? DEFAULTS[name]! : given;
  };
  const regionInput = ctx.major >= 6 ? raw('region') : null;
  const region: Value = typeof regionInput === 'string' || isUnknown(regionInput) ? regionInput : ctx.region;
  const sink = new InstanceSink(ctx, region);
  const create = toBool(ctx.input('create'), true, 'create');
  const createSg = and(create, toBool(ctx.input('create_security_group'), false, 'create_security_group'));
  const vpcId = raw('vpc_id');
  const sgRef = buildSecurityGroup(ctx, sink, raw, createSg, vpcId);

  const shared: SharedSettings = {
    vpcId,
    region,
    hasRegionInput: ctx.major >= 6 && regionInput !== null,
    securityGroupIds: securityGroupIdsOf(ctx, createSg, sgRef),
    subnetIds: toList(ctx.input('subnet_ids'), [], 'subnet_ids'),
  };
  const endpoints = toMap(ctx.input('endpoints'), {}, 'endpoints');
  const keys = createdEndpointKeys(create, endpoints);
  const views: Record<string, Value> = {};
  sink.forEach('aws_vpc_endpoint', 'this', keys, (key) => {
    const entry = isUnknown(endpoints) ? endpoints : endpoints[key]!;
    const { values, drivers } = endpointInstance(ctx, key, entry, shared);
    const address = sink.address('aws_vpc_endpoint', 'this', key);
    // What `module.x.endpoints["s3"].id` reads: the instance's values, and references for what AWS assigns.
    views[key] = instanceView(
      new Set(Object.keys(values)),
      (attr) => values[attr] ?? null,
      (attr) => (attr === 'id' || attr === 'arn' || attr.endsWith('_id') ? makeRef(address, attr) : unknown(`${address}.${attr} is known only after apply`)),
    );
    return { values, drivers };
  });

  const outputs: Record<string, Value> = {
    endpoints: isUnknown(keys) ? unknown(`the endpoints are not known (${keys.reason})`) : views,
    security_group_id: createSg === true ? sgRef : isUnknown(createSg) ? createSg : null,
    security_group_arn: createSg === true ? makeRef(sink.address('aws_security_group', 'this', 0), 'arn') : isUnknown(createSg) ? createSg : null,
  };
  return { instances: sink.instances, outputs, unknownExpansions: sink.unknownExpansions, diagnostics: sink.diagnostics };
}

/** The module's own security group (`create_security_group`) and its rules; returns the group's id. */
function buildSecurityGroup(ctx: ModelContext, sink: InstanceSink, raw: (name: string) => Value, createSg: Maybe<boolean>, vpcId: Value): string {
  sink.count('aws_security_group', 'this', createSg === true ? 1 : createSg === false ? 0 : createSg, () => ({
    values: { name: raw('security_group_name'), name_prefix: raw('security_group_name_prefix'), description: raw('security_group_description'), vpc_id: vpcId },
    drivers: { vpc_id: 'vpc_id', name: 'security_group_name', name_prefix: 'security_group_name_prefix' },
  }));
  const sgRef = sink.ref('aws_security_group', 'this', 0);
  const rules = toMap(ctx.input('security_group_rules'), {}, 'security_group_rules');
  const ruleKeys: Maybe<string[]> = createSg === false ? [] : isUnknown(createSg) ? createSg : isUnknown(rules) ? rules : Object.keys(rules);
  sink.forEach('aws_security_group_rule', 'this', ruleKeys, (key) => {
    const r = isUnknown(rules) ? rules : rules[key]!;
    return {
      values: {
        security_group_id: sgRef,
        protocol: tryAttr(r, 'protocol', 'tcp'),
        from_port: tryAttr(r, 'from_port', 443),
        to_port: tryAttr(r, 'to_port', 443),
        type: tryAttr(r, 'type', 'ingress'),
        description: tryAttr(r, 'description', null),
        cidr_blocks: lookup(r, 'cidr_blocks', null),
        ipv6_cidr_blocks: lookup(r, 'ipv6_cidr_blocks', null),
        prefix_list_ids: lookup(r, 'prefix_list_ids', null),
        self: tryAttr(r, 'self', null),
        source_security_group_id: lookup(r, 'source_security_group_id', null),
      },
      drivers: { cidr_blocks: 'security_group_rules', from_port: 'security_group_rules', to_port: 'security_group_rules' },
    };
  });
  return sgRef;
}

/** The call's `security_group_ids`, with the module's own group added when it creates one. */
function securityGroupIdsOf(ctx: ModelContext, createSg: Maybe<boolean>, sgRef: string): Maybe<Value[]> {
  const given = toList(ctx.input('security_group_ids'), [], 'security_group_ids');
  if (createSg === true) return concatLists(given, [sgRef]);
  if (isUnknown(createSg)) return createSg;
  return given;
}

/** Keys of the `endpoints` entries that are created (`create` not false); Unknown as soon as one cannot be decided. */
function createdEndpointKeys(create: Maybe<boolean>, endpoints: Maybe<ValueObject>): Maybe<string[]> {
  if (create === false) return [];
  if (isUnknown(create)) return create;
  if (isUnknown(endpoints)) return endpoints;
  const keys: string[] = [];
  for (const [k, v] of Object.entries(endpoints)) {
    const c = isObject(v) ? toBool(v['create'], true, `endpoints["${k}"].create`) : isUnknown(v) ? v : true;
    if (isUnknown(c)) return unknown(`whether endpoints["${k}"] is created is not known`);
    if (c) keys.push(k);
  }
  return keys;
}

/** What the call sets for every endpoint alike. */
interface SharedSettings {
  vpcId: Value;
  region: Value;
  /** v6 with `region` set: service names come only from `service_endpoint`. */
  hasRegionInput: boolean;
  securityGroupIds: Maybe<Value[]>;
  subnetIds: Maybe<Value[]>;
}

/**
 * One `aws_vpc_endpoint.this[key]`: the entry's settings over the call's, each only for the endpoint types the module
 * sets it for, and the inputs a finding on each attribute should point at.
 */
function endpointInstance(ctx: ModelContext, key: string, entry: Value, shared: SharedSettings): { values: ValueObject; drivers: Record<string, string> } {
  const type = tryAttr(entry, 'service_type', 'Interface');
  const isType = (t: string): Maybe<boolean> => (isUnknown(type) ? type : type === t);
  const whenType = (t: string, v: () => Value): Value => {
    const is = isType(t);
    return is === true ? v() : is === false ? null : is;
  };
  const entrySgs = toList(lookup(entry, 'security_group_ids', []), [], `endpoints["${key}"].security_group_ids`);
  const entrySubnets = toList(lookup(entry, 'subnet_ids', []), [], `endpoints["${key}"].subnet_ids`);
  const values: ValueObject = {
    vpc_id: shared.vpcId,
    service_name: serviceNameOf(entry, shared.region, shared.hasRegionInput),
    service_region: tryAttr(entry, 'service_region', null),
    vpc_endpoint_type: type,
    auto_accept: tryAttr(entry, 'auto_accept', null),
    security_group_ids: whenType('Interface', () => {
      const all = concatLists(shared.securityGroupIds, entrySgs);
      if (isUnknown(all)) return all;
      const d = distinct(all);
      return d.length > 0 ? d : null;
    }),
    subnet_ids: whenType('Interface', () => {
      const all = concatLists(shared.subnetIds, entrySubnets);
      return isUnknown(all) ? all : distinct(all);
    }),
    route_table_ids: whenType('Gateway', () => lookup(entry, 'route_table_ids', null)),
    policy: tryAttr(entry, 'policy', null),
    private_dns_enabled: whenType('Interface', () => tryAttr(entry, 'private_dns_enabled', null)),
    ip_address_type: tryAttr(entry, 'ip_address_type', null),
  };
  const dnsOptions = tryAttr(entry, 'dns_options', null);
  if (isUnknown(dnsOptions)) values['dns_options'] = dnsOptions;
  else if (dnsOptions !== null) {
    values['dns_options'] = [
      {
        // The module reads dns_record_ip_type one level too deep (`dns_options.value.dns_options.dns_record_ip_type`).
        dns_record_ip_type: tryAttr(tryAttr(dnsOptions, 'dns_options', null), 'dns_record_ip_type', null),
        private_dns_only_for_inbound_resolver_endpoint: tryAttr(dnsOptions, 'private_dns_only_for_inbound_resolver_endpoint', null),
      },
    ];
  }
  return { values, drivers: endpointDrivers(ctx, entrySgs, entrySubnets) };
}

/** Subnets and security groups an entry lists itself are the entry's doing; otherwise the call input that gave them. */
function endpointDrivers(ctx: ModelContext, entrySgs: Maybe<Value[]>, entrySubnets: Maybe<Value[]>): Record<string, string> {
  const inputFor = (name: string) => (ctx.block.attributes[name] ? name : 'endpoints');
  return {
    vpc_id: 'vpc_id',
    service_name: 'endpoints',
    vpc_endpoint_type: 'endpoints',
    route_table_ids: 'endpoints',
    subnet_ids: entrySubnets !== null && !isUnknown(entrySubnets) && entrySubnets.length > 0 ? 'endpoints' : inputFor('subnet_ids'),
    security_group_ids:
      entrySgs !== null && !isUnknown(entrySgs) && entrySgs.length > 0
        ? 'endpoints'
        : ctx.block.attributes['security_group_ids']
          ? 'security_group_ids'
          : ctx.block.attributes['create_security_group']
            ? 'create_security_group'
            : 'endpoints',
    private_dns_enabled: 'endpoints',
    policy: 'endpoints',
    dns_options: 'endpoints',
  };
}

export const vpcEndpointsModel: ModuleModel = {
  id: 'terraform-aws-modules/vpc/aws//modules/vpc-endpoints',
  releases: TERRAFORM_AWS_VPC_RELEASES,
  inputStatus,
  build,
};
