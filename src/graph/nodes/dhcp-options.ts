import { isUnknown, unknown, type Unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { Maybe, NodeId, VpcDhcpOptions } from '../model.js';

/*
 * DHCP options sets as both builders attach them to VPCs: what a VPC's instances are told to use as DNS servers.
 * https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html
 */

/** The name servers AWS's default DHCP options set gives (`aws_default_vpc_dhcp_options` adopts it and cannot change them). */
export const DEFAULT_SET_SERVERS = ['AmazonProvidedDNS'];

/** A list of name servers as written; Unknown entries where a server cannot be computed, an empty list when not set. */
export function nameServersOf(v: Value | undefined, describe: (v: Value) => string): Maybe<Array<Maybe<string>>> {
  if (v === undefined || v === null) return [];
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) return unknown(`domain name servers ${describe(v)} is not a list`);
  return v.map((s) => (typeof s === 'string' ? s : isUnknown(s) ? s : unknown(`name server ${describe(s)} is not known`)));
}

/**
 * Records the DHCP options set one association gives a VPC. A VPC holds one set at a time: a second association of
 * the same VPC makes its set Unknown, since which one applies last is not written down.
 */
export function associateDhcpOptions(graph: Graph, vpcId: NodeId | undefined, options: Maybe<VpcDhcpOptions>): void {
  const vpc = graph.getKind(vpcId, 'vpc');
  if (!vpc) return;
  const current = vpc.dhcpOptions;
  const next: Maybe<VpcDhcpOptions> =
    current === undefined ? options : unknown(`${vpc.id} is associated with more than one DHCP options set (${[current, options].map(label).join(', ')})`);
  Object.assign(vpc, { dhcpOptions: next });
}

const label = (o: Maybe<VpcDhcpOptions>): string => (isUnknown(o) ? 'one not known' : o.address);

/** Every VPC's options set becomes Unknown: associations of unknown number may name any of them. */
export function markDhcpOptionsUnknown(graph: Graph, reason: string): void {
  const why: Unknown = unknown(reason);
  for (const vpc of graph.all('vpc')) Object.assign(vpc, { dhcpOptions: why });
}
