import { knownRegions, serviceRangeEntries } from '../facts/aws-data.js';
import { CidrSet } from '../facts/cidr.js';
import type { RouteDestination } from '../graph/model.js';

/** The services with gateway endpoints whose address ranges the routing queries resolve. */
export type GatewayService = 's3' | 'dynamodb';

export const SERVICE_LABEL: Record<GatewayService, string> = { s3: 'S3', dynamodb: 'DynamoDB' };

const anyRegionCache = new Map<GatewayService, CidrSet>();

/** Every address any region of the bundled data gives the service, computed once. */
function anyRegionRanges(service: GatewayService): CidrSet {
  let all = anyRegionCache.get(service);
  if (!all) {
    all = CidrSet.fromCidrs(knownRegions().flatMap((r) => [...(serviceRangeEntries(service, r, 'ipv4') ?? [])]));
    anyRegionCache.set(service, all);
  }
  return all;
}

/**
 * Whether a route destination may hold some of the service's IPv4 addresses in some region: an unknown destination
 * or a prefix list may; an IPv6 CIDR or one outside every region's ranges cannot.
 */
export function mayHoldServiceAddresses(d: RouteDestination, service: GatewayService): boolean {
  if (d.kind !== 'cidr') return true;
  if (d.cidr.includes(':')) return false;
  try {
    return !anyRegionRanges(service)
      .intersect(CidrSet.fromCidrs([d.cidr]))
      .isEmpty();
  } catch {
    return true;
  }
}

/** How a route's destination reads in a message: its CIDR, its prefix list, or `unknown` when neither is known. */
export function destinationLabel(d: RouteDestination, unknown: string): string {
  return d.kind === 'cidr' ? d.cidr : d.kind === 'prefix-list' ? d.label : unknown;
}
