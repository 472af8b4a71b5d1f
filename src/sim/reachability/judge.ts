import { CidrSet } from '../../facts/cidr.js';
import type { Piece } from './filters.js';
import { PortSet } from './ports.js';

/**
 * What one hop must let through, and how to read a partial answer.
 *
 * - `addresses`: the addresses the hop matches on. `each`: every one of them is used (the ranges of a service: DNS may
 *   answer any of them), so dropping any is a failure. `one`: a single address somewhere in the set is used, and which
 *   is not known (a workload's address in its subnet, an endpoint's network interface in its subnet), so the hop is
 *   blocked only when every address is, and a partial answer is undecided.
 * - `critical` ⊆ `ports`: destination ports of which any one dropped is a failure; every port of `ports` passing is
 *   success. For a request they are both the service port. For the return traffic of a stateless ACL they are the
 *   client's ephemeral ports (see EPHEMERAL): an ACL that drops some port every client uses blocks; one that admits
 *   the whole recommended range passes; one in between serves some clients and not others, and stays undecided.
 */
export interface Demand {
  addresses: CidrSet;
  quantifier: 'each' | 'one';
  ports: PortSet;
  critical: PortSet;
}

/**
 * Ephemeral ports for return traffic through network ACLs.
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html — "The client that initiates the request
 * chooses the ephemeral port range … Many Linux kernels (including the Amazon Linux kernel) use ports 32768-61000 …
 * Windows Server 2008 and later versions use ports 49152-65535 … AWS Lambda functions use ports 1024-65535 … In
 * practice, to cover the different types of clients … you can open ephemeral ports 1024-65535."
 *
 * For an instance or container (Linux or Windows, which is not known):
 * - `critical`: 49152–61000, the ports both kinds pick from: dropping any of them breaks every client now and then;
 * - `ports`: 32768–65535, the union of both ranges: admitting all of them serves every client.
 * An ACL that admits all of `critical` but not all of `ports` serves some clients and not others: undecided.
 * A Lambda function picks from 1024–65535, all of it critical. `recommended` is what messages and fixes name.
 */
export const EPHEMERAL = { ports: PortSet.range(32768, 65535), critical: PortSet.range(49152, 61000), recommended: PortSet.range(1024, 65535) };
export const LAMBDA_EPHEMERAL = { ports: PortSet.range(1024, 65535), critical: PortSet.range(1024, 65535), recommended: PortSet.range(1024, 65535) };

export type HopVerdict = 'allowed' | 'blocked' | 'unknown';

export interface HopJudgement {
  verdict: HopVerdict;
  /** For `blocked`: the dropped pieces that make it so (their causes name the entry or rule). */
  dropped: Piece[];
  /** For `blocked`: the addresses that are blocked. */
  blockedAddresses: CidrSet;
  /** For `blocked`: the ports dropped for them. */
  blockedPorts: PortSet;
  /** For `unknown`: why. */
  reasons: string[];
}

interface Atom {
  addrs: CidrSet;
  dropped: PortSet;
  unknown: PortSet;
  pieces: Piece[];
}

/** Splits the demanded addresses into sets over which every piece is either wholly present or absent. */
function atoms(pieces: readonly Piece[], addresses: CidrSet): Atom[] {
  const out: Atom[] = [];
  for (const family of addresses.families()) {
    const points = new Set<bigint>();
    for (const [lo, hi] of addresses.ranges(family)) points.add(lo).add(hi + 1n);
    for (const p of pieces) for (const [lo, hi] of p.addrs.ranges(family)) points.add(lo).add(hi + 1n);
    const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const set = CidrSet.fromRanges(family, [[sorted[i]!, sorted[i + 1]! - 1n]]);
      if (!addresses.covers(set)) continue;
      const here = pieces.filter((p) => p.addrs.covers(set));
      const ports = (status: Piece['status']) => here.filter((p) => p.status === status).reduce((acc, p) => acc.union(p.ports), PortSet.empty());
      out.push({ addrs: set, dropped: ports('dropped'), unknown: ports('unknown'), pieces: here });
    }
  }
  return out;
}

/** Reads the pieces of one hop against what the hop must let through. */
export function judge(pieces: readonly Piece[], demand: Demand): HopJudgement {
  const all = atoms(pieces, demand.addresses);
  const blocked = all.filter((a) => !a.dropped.intersect(demand.critical).isEmpty());
  const allowed = all.filter((a) => a.dropped.union(a.unknown).intersect(demand.ports).isEmpty());
  const isBlocked = demand.quantifier === 'each' ? blocked.length > 0 : all.length > 0 && blocked.length === all.length;
  if (isBlocked) {
    const blockedAddresses = blocked.reduce((acc, a) => acc.union(a.addrs), CidrSet.empty());
    const blockedPorts = blocked.reduce((acc, a) => acc.union(a.dropped.intersect(demand.ports)), PortSet.empty());
    const dropped = pieces.filter((p) => p.status === 'dropped' && p.addrs.overlaps(blockedAddresses) && !p.ports.intersect(demand.critical).isEmpty());
    return { verdict: 'blocked', dropped, blockedAddresses, blockedPorts, reasons: [] };
  }
  if (allowed.length === all.length) return { verdict: 'allowed', dropped: [], blockedAddresses: CidrSet.empty(), blockedPorts: PortSet.empty(), reasons: [] };
  const reasons = new Set<string>();
  for (const a of all) for (const p of a.pieces) if (p.status === 'unknown' && p.cause.kind === 'unknown') reasons.add(p.cause.reason);
  if (reasons.size === 0) {
    if (blocked.length > 0)
      reasons.add(`it drops traffic for ${blocked.map((a) => a.addrs.toString()).join(', ')} but not for every address the traffic may come from or go to`);
    else
      reasons.add(
        `it admits ports ${demand.critical.toString()} but not all of ${demand.ports.toString()}: whether it works depends on the ports the client picks`,
      );
  }
  return { verdict: 'unknown', dropped: [], blockedAddresses: CidrSet.empty(), blockedPorts: PortSet.empty(), reasons: [...reasons] };
}
