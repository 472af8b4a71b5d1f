import { isUnknown, unknown, type Value } from '../../../source/value.js';
import { and, count, element, len, lookup, not, or, pick, type Maybe } from './common.js';
import type { VpcCall } from './vpc-call.js';
import { SUBNET_TYPES, type SubnetType } from './vpc-inputs.js';

/** Subnet ids of every tier, in index order (`aws_subnet.private[*].id`). */
export type SubnetIds = Record<SubnetType, Maybe<Value[]>>;

/** The subnets of every tier, one per CIDR in `<tier>_subnets` (or IPv6 prefix), spread over `azs` in turn. */
export function buildSubnets(call: VpcCall, vpcId: Value): SubnetIds {
  const { sink, v4, create, lengths, subnets } = call;
  for (const t of SUBNET_TYPES) {
    let n: Maybe<number> = count(create[t], lengths[t]);
    if (t === 'public') {
      // Public subnets are not created when one NAT per AZ is asked for with fewer public subnets than AZs.
      const { azs } = call;
      const enough: Maybe<boolean> = isUnknown(lengths.public) ? lengths.public : isUnknown(azs) ? azs : lengths.public >= azs.length;
      n = count(and(create.public, or(not(call.perAz), enough)), lengths.public);
    }
    const native = v4 ? call.bool(`${t}_subnet_ipv6_native`) : false;
    sink.count('aws_subnet', t, n, (i) => ({
      values: {
        vpc_id: vpcId,
        // main.tf's `element(concat(var.<tier>_subnets, [""]), count.index)`; an IPv6-native subnet has no IPv4 block.
        cidr_block: pick(native, null, element(isUnknown(subnets[t]) ? subnets[t] : [...subnets[t], ''], i, `${t}_subnets`)),
        ...(t === 'outpost' ? { availability_zone: call.raw('outpost_az'), availability_zone_id: null } : azOf(call, i)),
        ipv6_cidr_block: ipv6Of(call, t, i),
        ...(t === 'public' ? { map_public_ip_on_launch: call.bool('map_public_ip_on_launch') } : {}),
      },
      drivers: { cidr_block: `${t}_subnets`, availability_zone: t === 'outpost' ? 'outpost_az' : 'azs', availability_zone_id: 'azs' },
    }));
  }
  return Object.fromEntries(SUBNET_TYPES.map((t) => [t, sink.refs('aws_subnet', t)])) as SubnetIds;
}

/** `azs` may hold zone names (`eu-west-1a`) or zone ids (`euw1-az1`); the module sets the matching attribute. */
function azOf(call: VpcCall, i: number): { availability_zone: Value; availability_zone_id: Value } {
  const az = element(call.azs, i, 'azs');
  if (typeof az !== 'string') return { availability_zone: az, availability_zone_id: null };
  return /^[a-z]{2}-/.test(az) ? { availability_zone: az, availability_zone_id: null } : { availability_zone: null, availability_zone_id: az };
}

/** A subnet's IPv6 block is cut from the VPC's, known only once the VPC has one; null where the tier has no IPv6 prefixes. */
function ipv6Of(call: VpcCall, t: SubnetType, i: number): Value {
  const { enableIpv6 } = call;
  if (enableIpv6 === false) return null;
  const prefixes = call.list(`${t}_subnet_ipv6_prefixes`);
  if (!isUnknown(prefixes) && prefixes.length === 0) return null;
  if (isUnknown(enableIpv6)) return enableIpv6;
  return unknown(`the IPv6 CIDR of ${call.sink.address('aws_subnet', t, i)} is carved from the VPC's IPv6 block`);
}

/** A tier's dedicated network ACL (`<tier>_dedicated_network_acl`) and its inbound and outbound rules. */
export function buildNetworkAcls(call: VpcCall, vpcId: Value, subnetIds: SubnetIds): void {
  const { sink } = call;
  for (const t of SUBNET_TYPES) {
    const dedicated = and(call.create[t], call.bool(`${t}_dedicated_network_acl`));
    sink.count('aws_network_acl', t, count(dedicated, 1), () => ({
      values: { vpc_id: vpcId, subnet_ids: subnetIds[t] },
      drivers: { subnet_ids: `${t}_dedicated_network_acl` },
    }));
    for (const direction of ['inbound', 'outbound'] as const) {
      const rules = call.list(`${t}_${direction}_acl_rules`);
      sink.count('aws_network_acl_rule', `${t}_${direction}`, count(dedicated, len(rules)), (i) => {
        const r = element(rules, i, `${t}_${direction}_acl_rules`);
        return {
          values: {
            network_acl_id: sink.ref('aws_network_acl', t, 0),
            egress: direction === 'outbound',
            rule_number: lookup(r, 'rule_number', null),
            rule_action: lookup(r, 'rule_action', null),
            from_port: lookup(r, 'from_port', null),
            to_port: lookup(r, 'to_port', null),
            icmp_code: lookup(r, 'icmp_code', null),
            icmp_type: lookup(r, 'icmp_type', null),
            protocol: lookup(r, 'protocol', null),
            cidr_block: lookup(r, 'cidr_block', null),
            ipv6_cidr_block: lookup(r, 'ipv6_cidr_block', null),
          },
          drivers: { rule_number: `${t}_${direction}_acl_rules` },
        };
      });
    }
  }
}
