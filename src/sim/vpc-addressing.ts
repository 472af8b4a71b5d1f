import type { GraphView } from '../graph/graph.js';
import type { SubnetNode, VpcNode } from '../graph/model.js';
import { cidrContains, cidrRange, normalizeCidr, parseCidr, type Family } from '../facts/cidr.js';
import { isUnknown } from '../source/value.js';
import type { UndecidedAt } from './undecided.js';

/** A subnet's CIDR block of one family: normalised, or undefined with the reason when it is not known. */
export interface SubnetCidr {
  subnet: SubnetNode;
  cidr: string | undefined;
  reason?: string;
}

/**
 * The subnets of a VPC that have a CIDR block of the family, with that block (IPv4 `cidr`, IPv6 `ipv6Cidr`). A
 * subnet without one (an IPv6-only subnet for IPv4) is left out; a block that is not a CIDR is left out too.
 */
export function subnetCidrsOf(graph: GraphView, vpc: VpcNode, family: Family): SubnetCidr[] {
  const out: SubnetCidr[] = [];
  for (const subnet of graph.all('subnet')) {
    if (subnet.vpc !== vpc.id) continue;
    const v = family === 'ipv4' ? subnet.cidr : subnet.ipv6Cidr;
    if (v === undefined) continue;
    if (isUnknown(v)) out.push({ subnet, cidr: undefined, reason: v.reason });
    else if (parseCidr(v)) out.push({ subnet, cidr: normalizeCidr(v)! });
  }
  return out;
}

/** A subnet whose block lies outside every block of its VPC in that family. */
export interface SubnetOutsideVpc {
  subnet: SubnetNode;
  vpc: VpcNode;
  family: Family;
  cidr: string;
  /** The VPC's blocks of the family (empty: the VPC has none). */
  vpcCidrs: string[];
}

/** Two subnets of one VPC whose blocks overlap; `second` is the later one in the source. */
export interface OverlappingSubnets {
  vpc: VpcNode;
  family: Family;
  first: SubnetCidr & { cidr: string };
  second: SubnetCidr & { cidr: string };
}

const ASSOCIATION_TYPE: Record<Family, string> = { ipv4: 'aws_vpc_ipv4_cidr_block_association', ipv6: 'aws_vpc_ipv6_cidr_block_association' };

const bySource = (a: SubnetCidr, b: SubnetCidr) =>
  a.subnet.source.file.localeCompare(b.subnet.source.file) ||
  a.subnet.source.span.start.line - b.subnet.source.span.start.line ||
  a.subnet.id.localeCompare(b.subnet.id);

/**
 * Subnets AWS refuses for their CIDR blocks: one outside every block of its VPC, or one that overlaps another subnet of
 * the same VPC. IPv4 always; IPv6 where the subnet's block is written as a literal (a block computed from the VPC's
 * Amazon-provided block is known only after apply, and lies inside it by construction).
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html ; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
 */
export function subnetCidrConflicts(graph: GraphView): { outside: SubnetOutsideVpc[]; overlaps: OverlappingSubnets[]; undecided: UndecidedAt[] } {
  const outside: SubnetOutsideVpc[] = [];
  const overlaps: OverlappingSubnets[] = [];
  const undecided: UndecidedAt[] = [];
  for (const vpc of graph.all('vpc')) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const subnets = subnetCidrsOf(graph, vpc, family).sort(bySource);
      const blocks = family === 'ipv4' ? vpc.cidrs : vpc.ipv6Cidrs;
      const known = blocks.filter((c): c is string => typeof c === 'string' && parseCidr(c) !== undefined).map((c) => normalizeCidr(c)!);
      const unknownBlock = blocks.find((c) => isUnknown(c));
      const flagged = new Set<string>();
      for (const s of subnets) {
        if (s.cidr === undefined) {
          if (family === 'ipv4' && subnets.some((o) => o !== s))
            undecided.push({
              node: s.subnet,
              reason: `the CIDR of ${s.subnet.id} is not known (${s.reason}), so whether it overlaps another subnet of ${vpc.id} cannot be decided`,
            });
          continue;
        }
        const cidr = s.cidr;
        if (known.some((b) => cidrContains(b, cidr))) continue;
        const why =
          unknownBlock && isUnknown(unknownBlock)
            ? `a CIDR block of ${vpc.id} is not known (${unknownBlock.reason})`
            : graph.isUncertain(ASSOCIATION_TYPE[family])
              ? `${ASSOCIATION_TYPE[family]} resources of unknown count may add blocks to ${vpc.id}`
              : s.subnet.mayNotExist;
        if (why) undecided.push({ node: s.subnet, reason: `${cidr} lies outside the known CIDR blocks of ${vpc.id}, and ${why}` });
        else {
          outside.push({ subnet: s.subnet, vpc, family, cidr, vpcCidrs: known });
          flagged.add(s.subnet.id);
        }
      }
      if (family === 'ipv4' && subnets.length > 0 && graph.isUncertain('aws_subnet'))
        undecided.push({ node: vpc, reason: `aws_subnet resources of unknown count may add subnets to ${vpc.id} that overlap ${subnets[0]!.subnet.id}` });
      const withCidr = subnets.filter((s): s is SubnetCidr & { cidr: string } => s.cidr !== undefined);
      // Each block as its address range, parsed once: two prefixes overlap exactly when their ranges do.
      const ranges = withCidr.map((s) => cidrRange(parseCidr(s.cidr)!));
      for (let j = 1; j < withCidr.length; j++) {
        const second = withCidr[j]!;
        if (flagged.has(second.subnet.id)) continue;
        const [lo, hi] = ranges[j]!;
        let i = 0;
        while (i < j && !(ranges[i]![0] <= hi && lo <= ranges[i]![1])) i++;
        if (i === j) continue;
        const first = withCidr[i]!;
        const absent = second.subnet.mayNotExist ?? first.subnet.mayNotExist;
        if (absent) undecided.push({ node: second.subnet, reason: `${second.cidr} overlaps ${first.subnet.id} (${first.cidr}), but ${absent}` });
        else overlaps.push({ vpc, family, first, second });
      }
    }
  }
  return { outside, overlaps, undecided };
}
