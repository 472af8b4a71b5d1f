/**
 * Longest-prefix-match over one route table, splitting a destination set by the route that wins each address.
 *
 * What AWS documents, and how it is encoded here:
 *
 * - https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 *   - "we direct traffic using the most specific route that matches the traffic", and "for routes that overlap, more
 *     specific routes always take priority irrespective of whether they are propagated routes, static routes, or
 *     routes that reference prefix lists": prefix length decides first, whatever the kind of route.
 *   - Routes to IPv4 and to IPv6 destinations are independent: the two families never compete.
 *   - At equal prefix length the summary orders "Static routes", then "Prefix list routes", then "Propagated routes"
 *     (Direct Connect BGP, then VPN static, then VPN BGP). The `local` routes are static CIDR routes.
 *   - "If your route table contains a propagated route that matches a route that references a prefix list, the
 *     route that references the prefix list takes priority."
 *   - "If your route table references multiple prefix lists that have overlapping CIDR blocks to different
 *     targets, we randomly choose which route takes priority. Thereafter, the same route always takes priority."
 *     We cannot know that choice: the addresses are reported uncertain, with every tied route as a contender.
 * - https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 *   - "If there is a route that specifies the exact IP address range for the service (Amazon S3 or DynamoDB) in the
 *     same Region, that route takes precedence over the endpoint route": a CIDR route beats a prefix-list entry of the
 *     same length. Each entry of a prefix list competes as a prefix of its own length, so a /20 route inside a /19
 *     entry takes that /20 and leaves the rest of the /19 to the endpoint.
 *
 * What the docs leave open, and what we do:
 *
 * - Two static routes with the same destination cannot be created (AWS refuses the second); if the input has them
 *   anyway, they tie and the addresses are uncertain. Same for two propagated routes when the source of either is
 *   not given.
 * - Whether the random choice between prefix lists is made per route or per overlapping entry is not said; we tie
 *   per overlapping entry, which is the finest grain and never claims more than is known.
 * - An older version of the route-table page said a prefix-list entry "more specific than the VPC CIDR" is ignored in
 *   a subnet route table; the current page dropped the sentence. Such entries neither win nor are ignored here: the
 *   addresses they cover are reported uncertain, with that route as a contender.
 * - A route whose destination is unknown (unresolved expression, prefix list of unknown content, invalid CIDR) may win
 *   any address, except one taken by a static host route (/32, /128), which nothing can beat.
 */
import { CidrSet, cidrContains, formatCidr, parseAddress, parseCidr, type Cidr, type Family } from '../facts/cidr.js';

export type RouteDestinationInput = { kind: 'cidr'; cidr: string } | { kind: 'prefix-list'; cidrs: string[]; prefixListId: string } | { kind: 'unknown' };

/** `local` for the VPC CIDR routes; `propagated` for routes a virtual private gateway propagates. Default `static`. */
export type RouteOrigin = 'local' | 'static' | 'propagated';
export type PropagationSource = 'direct-connect' | 'vpn-static' | 'vpn-bgp';

/** One route of a route table, already resolved by the graph. The target is opaque to the resolver. */
export interface RouteInput {
  /** Opaque id of the route (the graph's node id). */
  id: string;
  destination: RouteDestinationInput;
  origin?: RouteOrigin;
  /** Only for propagated routes; without it, two propagated routes of equal length tie. */
  propagatedFrom?: PropagationSource;
}

/** Which destination entry of the winning route took which addresses. */
export interface EntryShare {
  /** The entry in canonical form (host bits cleared, IPv6 compressed). */
  cidr: string;
  prefix: number;
  kind: 'cidr' | 'prefix-list';
  cidrs: CidrSet;
}

export interface RouteShare {
  /** The route that wins these addresses; undefined when no route matches: the traffic is dropped. */
  route: RouteInput | undefined;
  cidrs: CidrSet;
  /** Most specific first. Empty when `route` is undefined. */
  entries: EntryShare[];
  /** The part of `cidrs` that may go through a contender instead: empty when the answer is certain. */
  uncertainCidrs: CidrSet;
  /** Routes that may win some of `uncertainCidrs`: equal-priority ties and routes whose destination is unknown. */
  contenders: RouteInput[];
}

interface Candidate {
  route: RouteInput;
  order: number;
  cidr: Cidr;
  kind: 'cidr' | 'prefix-list';
  rank: number;
  propagated: boolean;
  sourceUnknown: boolean;
}

const PROPAGATION_RANK: Record<PropagationSource, number> = { 'direct-connect': 2, 'vpn-static': 3, 'vpn-bgp': 4 };

function candidate(route: RouteInput, order: number, cidr: Cidr, kind: 'cidr' | 'prefix-list'): Candidate {
  const propagated = kind === 'cidr' && route.origin === 'propagated';
  const rank = kind === 'prefix-list' ? 1 : propagated ? PROPAGATION_RANK[route.propagatedFrom ?? 'direct-connect'] : 0;
  return { route, order, cidr, kind, rank, propagated, sourceUnknown: propagated && !route.propagatedFrom };
}

interface Prepared {
  /** Candidates grouped by identical prefix (prefixes of equal length either coincide or are disjoint). */
  groups: Candidate[][];
  /** Routes whose destination could not be read in full. */
  unknown: RouteInput[];
  /** Prefix-list entries more specific than a VPC CIDR: their effect is not documented any more. */
  doubtful: Candidate[];
}

function prepare(routes: readonly RouteInput[]): Prepared {
  const all: Candidate[] = [];
  const unknown: RouteInput[] = [];
  routes.forEach((route, order) => {
    const d = route.destination;
    if (d.kind === 'cidr') {
      const c = parseCidr(d.cidr);
      if (c) all.push(candidate(route, order, c, 'cidr'));
      else unknown.push(route);
    } else if (d.kind === 'prefix-list' && Array.isArray(d.cidrs)) {
      let partial = false;
      for (const text of d.cidrs) {
        const c = parseCidr(text);
        if (c) all.push(candidate(route, order, c, 'prefix-list'));
        else partial = true;
      }
      if (partial) unknown.push(route);
    } else unknown.push(route);
  });
  const locals = all.filter((c) => c.kind === 'cidr' && c.route.origin === 'local');
  const doubtful: Candidate[] = [];
  const byKey = new Map<string, Candidate[]>();
  for (const c of all) {
    if (c.kind === 'prefix-list' && locals.some((l) => l.cidr.prefix < c.cidr.prefix && cidrContains(l.cidr, c.cidr))) {
      doubtful.push(c);
      continue;
    }
    const key = `${c.cidr.family}|${c.cidr.prefix}|${c.cidr.network}`;
    const g = byKey.get(key);
    if (g) g.push(c);
    else byKey.set(key, [c]);
  }
  const groups = [...byKey.values()];
  for (const g of groups) g.sort((a, b) => a.rank - b.rank || a.order - b.order);
  groups.sort((a, b) => {
    const x = a[0]!.cidr;
    const y = b[0]!.cidr;
    return y.prefix - x.prefix || (x.network < y.network ? -1 : x.network > y.network ? 1 : 0);
  });
  return { groups, unknown, doubtful };
}

/** Routes of the group that AWS may pick instead of its first member. */
function tiesOf(group: Candidate[]): RouteInput[] {
  const best = group[0]!;
  const out: RouteInput[] = [];
  for (const c of group.slice(1)) {
    if (c.route === best.route || out.includes(c.route)) continue;
    const sameRank = c.rank === best.rank;
    const unknownPropagation = best.propagated && c.propagated && (best.sourceUnknown || c.sourceUnknown);
    if (sameRank || unknownPropagation) out.push(c.route);
  }
  return out;
}

function unionAll(sets: CidrSet[]): CidrSet {
  if (sets.length === 1) return sets[0]!;
  const out: CidrSet[] = [];
  for (const family of ['ipv4', 'ipv6'] as Family[]) {
    const ranges = sets.flatMap((s) => s.ranges(family));
    if (ranges.length) out.push(CidrSet.fromRanges(family, ranges));
  }
  return out.length === 2 ? out[0]!.union(out[1]!) : (out[0] ?? CidrSet.empty());
}

interface Accumulator {
  route: RouteInput | undefined;
  order: number;
  parts: CidrSet[];
  entries: EntryShare[];
  uncertain: CidrSet[];
  contenders: RouteInput[];
}

function addContenders(acc: Accumulator, routes: readonly RouteInput[]): void {
  for (const r of routes) if (r !== acc.route && !acc.contenders.includes(r)) acc.contenders.push(r);
}

/**
 * Splits `destination` by the route that wins each address: every address of `destination` is in exactly one share.
 * Shares come in the order of `routes`, then the share of addresses no route matches.
 */
export function resolveRoutes(routes: readonly RouteInput[], destination: CidrSet): RouteShare[] {
  const { groups, unknown, doubtful } = prepare(routes);
  const accs = new Map<string, Accumulator>();
  const accFor = (route: RouteInput | undefined, order: number): Accumulator => {
    const key = route ? `r${order}` : 'none';
    let acc = accs.get(key);
    if (!acc) accs.set(key, (acc = { route, order, parts: [], entries: [], uncertain: [], contenders: [] }));
    return acc;
  };
  const markDoubtful = (acc: Accumulator, take: CidrSet, winnerPrefix: number) => {
    for (const d of doubtful) {
      if (d.cidr.prefix <= winnerPrefix || d.route === acc.route) continue;
      const hit = take.intersect(CidrSet.fromCidr(d.cidr));
      if (hit.isEmpty()) continue;
      acc.uncertain.push(hit);
      addContenders(acc, [d.route]);
    }
  };

  let remaining = destination;
  for (const group of groups) {
    if (remaining.isEmpty()) break;
    const best = group[0]!;
    const block = CidrSet.fromCidr(best.cidr);
    const take = remaining.intersect(block);
    if (take.isEmpty()) continue;
    remaining = remaining.subtract(block);
    const acc = accFor(best.route, best.order);
    acc.parts.push(take);
    acc.entries.push({ cidr: formatCidr(best.cidr), prefix: best.cidr.prefix, kind: best.kind, cidrs: take });
    const ties = tiesOf(group);
    const hostRoute = best.kind === 'cidr' && !best.propagated && best.cidr.prefix === best.cidr.bits;
    // A route's own unreadable entries cannot take addresses from itself.
    const contenders = [...ties, ...(hostRoute ? [] : unknown)].filter((r) => r !== best.route);
    if (contenders.length) {
      acc.uncertain.push(take);
      addContenders(acc, contenders);
    }
    markDoubtful(acc, take, best.cidr.prefix);
  }
  if (!remaining.isEmpty()) {
    const acc = accFor(undefined, routes.length);
    acc.parts.push(remaining);
    if (unknown.length) {
      acc.uncertain.push(remaining);
      addContenders(acc, unknown);
    }
    markDoubtful(acc, remaining, -1);
  }

  return [...accs.values()]
    .sort((a, b) => a.order - b.order)
    .map((acc) => ({
      route: acc.route,
      cidrs: unionAll(acc.parts),
      entries: acc.entries,
      uncertainCidrs: acc.uncertain.length ? unionAll(acc.uncertain) : CidrSet.empty(),
      contenders: acc.contenders,
    }));
}

/** No address of any share could go elsewhere. */
export function isCertain(shares: readonly RouteShare[]): boolean {
  return shares.every((s) => s.uncertainCidrs.isEmpty());
}

/**
 * The route that carries one address; undefined when no route matches or the address is invalid. It does not say
 * whether an unknown route could win instead: ask resolveRoutes when that matters.
 */
export function routeFor(routes: readonly RouteInput[], address: string): RouteInput | undefined {
  const a = parseAddress(address);
  if (!a) return undefined;
  const set = CidrSet.fromRanges(a.family, [[a.value, a.value]]);
  return resolveRoutes(routes, set)[0]?.route;
}

/** Every address a route's destination names; undefined when the destination is not fully known. */
export function destinationSet(route: RouteInput): CidrSet | undefined {
  const d = route.destination;
  if (d.kind === 'cidr') return CidrSet.tryFromCidrs([d.cidr]);
  if (d.kind === 'prefix-list' && Array.isArray(d.cidrs)) return CidrSet.tryFromCidrs(d.cidrs);
  return undefined;
}

/**
 * The parts of `destination` that route `routeId` matches but another route wins: the routes at least as specific
 * as its entries there (for a gateway endpoint's route, the routes that shadow the endpoint). Each share's `entries`
 * name the winning prefixes; a share whose contenders include `routeId` is a tie AWS may settle either way.
 */
export function routesOverriding(routes: readonly RouteInput[], routeId: string, destination: CidrSet): RouteShare[] {
  const route = routes.find((r) => r.id === routeId);
  const matched = route && destinationSet(route);
  if (!matched) return [];
  return resolveRoutes(routes, destination.intersect(matched)).filter((s) => s.route !== route);
}
