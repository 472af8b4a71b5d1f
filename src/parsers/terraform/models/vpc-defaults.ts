import { isObject, isUnknown, makeRef, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { and, count, lookup, type Maybe } from './common.js';
import type { VpcCall } from './vpc-call.js';

/**
 * The resources that adopt what AWS creates by default: the account's default VPC, and the new VPC's default security
 * group, network ACL and route table (`manage_default_*`), with their rules and routes as dynamic blocks.
 */
export function buildDefaults(call: VpcCall, vpcRef: Value): void {
  const { sink, createVpc } = call;
  sink.count('aws_default_vpc', 'this', count(call.bool('manage_default_vpc'), 1), () => ({
    values: { enable_dns_support: call.bool('default_vpc_enable_dns_support'), enable_dns_hostnames: call.bool('default_vpc_enable_dns_hostnames') },
    drivers: { enable_dns_support: 'default_vpc_enable_dns_support', enable_dns_hostnames: 'default_vpc_enable_dns_hostnames' },
  }));
  sink.count('aws_default_security_group', 'this', count(and(createVpc, call.bool('manage_default_security_group')), 1), () => ({
    values: {
      vpc_id: vpcRef,
      ...dynamicBlock('ingress', call.list('default_security_group_ingress'), securityGroupRule),
      ...dynamicBlock('egress', call.list('default_security_group_egress'), securityGroupRule),
    },
    drivers: { vpc_id: 'manage_default_security_group' },
    nested: { ingress: 'default_security_group_ingress', egress: 'default_security_group_egress' },
  }));
  sink.count('aws_default_network_acl', 'this', count(and(createVpc, call.bool('manage_default_network_acl')), 1), () => ({
    values: {
      default_network_acl_id: makeRef(sink.address('aws_vpc', 'this', 0), 'default_network_acl_id'),
      subnet_ids: null,
      ...dynamicBlock('ingress', call.list('default_network_acl_ingress'), networkAclEntry),
      ...dynamicBlock('egress', call.list('default_network_acl_egress'), networkAclEntry),
    },
    drivers: { default_network_acl_id: 'manage_default_network_acl' },
    nested: { ingress: 'default_network_acl_ingress', egress: 'default_network_acl_egress' },
  }));
  sink.count('aws_default_route_table', 'default', count(and(createVpc, call.bool('manage_default_route_table')), 1), () => ({
    values: {
      default_route_table_id: makeRef(sink.address('aws_vpc', 'this', 0), 'default_route_table_id'),
      propagating_vgws: call.raw('default_route_table_propagating_vgws'),
      ...dynamicBlock('route', call.list('default_route_table_routes'), defaultRoute),
    },
    drivers: { default_route_table_id: 'manage_default_route_table', propagating_vgws: 'default_route_table_propagating_vgws' },
    nested: { route: 'default_route_table_routes' },
  }));
}

/** A `dynamic` block over a list: its elements under the block type, or nothing when the list is empty. */
function dynamicBlock(type: string, items: Maybe<Value[]>, content: (v: Value) => Value): ValueObject {
  if (isUnknown(items)) return { [type]: unknown(`dynamic "${type}" blocks depend on ${items.reason}`) };
  return items.length ? { [type]: items.map(content) } : {};
}

/** A rule of the default security group: the module takes address lists as comma-separated strings (`compact(split(…))`). */
function securityGroupRule(r: Value): Value {
  const csv = (key: string): Value => {
    const s = lookup(r, key, '');
    if (isUnknown(s)) return s;
    return typeof s === 'string' ? s.split(',').filter((x) => x !== '') : unknown(`${key} of a default security group rule is not a string`);
  };
  return {
    self: lookup(r, 'self', null),
    cidr_blocks: csv('cidr_blocks'),
    ipv6_cidr_blocks: csv('ipv6_cidr_blocks'),
    prefix_list_ids: csv('prefix_list_ids'),
    security_groups: csv('security_groups'),
    description: lookup(r, 'description', null),
    from_port: lookup(r, 'from_port', 0),
    to_port: lookup(r, 'to_port', 0),
    protocol: lookup(r, 'protocol', '-1'),
  };
}

/** An entry of the default network ACL, as the module's dynamic block reads it. */
function networkAclEntry(r: Value): Value {
  return {
    action: isObject(r) ? (r['action'] ?? unknown('a default network ACL rule has no action')) : r,
    cidr_block: lookup(r, 'cidr_block', null),
    ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
    rule_no: isObject(r) ? (r['rule_no'] ?? unknown('a default network ACL rule has no rule_no')) : r,
    from_port: isObject(r) ? (r['from_port'] ?? null) : r,
    to_port: isObject(r) ? (r['to_port'] ?? null) : r,
    protocol: isObject(r) ? (r['protocol'] ?? null) : r,
    icmp_code: lookup(r, 'icmp_code', null),
    icmp_type: lookup(r, 'icmp_type', null),
  };
}

/** A route of the default route table, as the module's dynamic block reads it (`cidr_block` without lookup()). */
function defaultRoute(r: Value): Value {
  return {
    cidr_block: isObject(r) ? (r['cidr_block'] ?? unknown('a default route table route has no cidr_block')) : r,
    ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
    egress_only_gateway_id: lookup(r, 'egress_only_gateway_id', null),
    gateway_id: lookup(r, 'gateway_id', null),
    instance_id: lookup(r, 'instance_id', null),
    nat_gateway_id: lookup(r, 'nat_gateway_id', null),
    network_interface_id: lookup(r, 'network_interface_id', null),
    transit_gateway_id: lookup(r, 'transit_gateway_id', null),
    vpc_endpoint_id: lookup(r, 'vpc_endpoint_id', null),
    vpc_peering_connection_id: lookup(r, 'vpc_peering_connection_id', null),
  };
}
