import { describe, expect, it } from 'vitest';
import { CidrSet } from '../../src/facts/cidr.js';
import { destinationSet, isCertain, resolveRoutes, routeFor, routesOverriding, type RouteInput, type RouteShare } from '../../src/sim/routes.js';

const S3_USE1 = ['3.5.0.0/19', '16.182.0.0/16', '52.216.0.0/15', '54.231.0.0/16'];

const cidr = (id: string, c: string, extra: Partial<RouteInput> = {}): RouteInput => ({ id, destination: { kind: 'cidr', cidr: c }, ...extra });
const pl = (id: string, cidrs: string[], prefixListId = 'pl-63a5400a'): RouteInput => ({ id, destination: { kind: 'prefix-list', cidrs, prefixListId } });
const local = (c: string): RouteInput => cidr(`local ${c}`, c, { origin: 'local' });
const unknownRoute = (id: string): RouteInput => ({ id, destination: { kind: 'unknown' } });
const set = (...c: string[]) => CidrSet.fromCidrs(c);

function byId(shares: RouteShare[]): Record<string, string[]> {
  return Object.fromEntries(shares.map((s) => [s.route?.id ?? '(none)', s.cidrs.toCidrs()]));
}

/** Every address of the destination is in exactly one share. */
function expectPartition(shares: RouteShare[], destination: CidrSet): void {
  let union = CidrSet.empty();
  let total = 0n;
  for (const s of shares) {
    expect(s.cidrs.isEmpty()).toBe(false);
    expect(union.overlaps(s.cidrs)).toBe(false);
    expect(s.cidrs.covers(s.uncertainCidrs)).toBe(true);
    union = union.union(s.cidrs);
    total += s.cidrs.size();
  }
  expect(union.equals(destination)).toBe(true);
  expect(total).toBe(destination.size());
}

describe('resolveRoutes: longest prefix match', () => {
  const table = [local('10.0.0.0/16'), cidr('nat', '0.0.0.0/0'), pl('s3-endpoint', S3_USE1)];

  it('sends the service ranges to the prefix-list route, more specific than 0.0.0.0/0', () => {
    const dest = set(...S3_USE1);
    const shares = resolveRoutes(table, dest);
    expect(byId(shares)).toEqual({ 's3-endpoint': dest.toCidrs() });
    expect(isCertain(shares)).toBe(true);
    expectPartition(shares, dest);
  });

  it('sends the rest of the internet to the NAT and VPC addresses to local', () => {
    const dest = set('8.8.8.0/24', '10.0.5.0/24', '3.5.1.0/24');
    expect(byId(resolveRoutes(table, dest))).toEqual({ 'local 10.0.0.0/16': ['10.0.5.0/24'], nat: ['8.8.8.0/24'], 's3-endpoint': ['3.5.1.0/24'] });
  });

  it('lets a CIDR route of the exact length of an entry win over the prefix list (gateway endpoint docs)', () => {
    const routes = [...table, cidr('pcx', '3.5.0.0/19')];
    const shares = resolveRoutes(routes, set(...S3_USE1));
    expect(byId(shares)['pcx']).toEqual(['3.5.0.0/19']);
    expect(byId(shares)['s3-endpoint']).toEqual(['16.182.0.0/16', '52.216.0.0/15', '54.231.0.0/16']);
    expect(isCertain(shares)).toBe(true);
  });

  it('lets a /20 inside the /19 entry take half of it and leaves the other half to the endpoint', () => {
    const routes = [...table, cidr('pcx', '3.5.0.0/20')];
    const dest = set('3.5.0.0/19');
    const shares = resolveRoutes(routes, dest);
    const pcx = shares.find((s) => s.route?.id === 'pcx')!;
    const endpoint = shares.find((s) => s.route?.id === 's3-endpoint')!;
    expect(pcx.cidrs.size()).toBe(4096n);
    expect(endpoint.cidrs.toCidrs()).toEqual(['3.5.16.0/20']);
    expect(endpoint.entries).toEqual([{ cidr: '3.5.0.0/19', prefix: 19, kind: 'prefix-list', cidrs: set('3.5.16.0/20') }]);
    expect(pcx.entries.map((e) => [e.cidr, e.kind])).toEqual([['3.5.0.0/20', 'cidr']]);
    expectPartition(shares, dest);
  });

  it('lets each prefix-list entry compete at its own length, not as a merged block', () => {
    // The /21 route is less specific than the /22 entries but more specific than the /20 entry next to them.
    const list = pl('endpoint', ['16.15.160.0/22', '16.15.164.0/22', '16.15.176.0/20']);
    const shares = resolveRoutes([list, cidr('tgw', '16.15.160.0/21'), cidr('tgw2', '16.15.176.0/21')], set('16.15.160.0/19'));
    expect(byId(shares)).toEqual({ endpoint: ['16.15.160.0/21', '16.15.184.0/21'], tgw2: ['16.15.176.0/21'], '(none)': ['16.15.168.0/21'] });
  });

  it('ignores a less specific route for addresses a prefix-list entry matches', () => {
    expect(byId(resolveRoutes([pl('endpoint', ['3.5.0.0/19']), cidr('vgw', '3.0.0.0/8')], set('3.5.0.0/19')))).toEqual({ endpoint: ['3.5.0.0/19'] });
  });

  it('keeps IPv4 and IPv6 routes apart', () => {
    const routes = [cidr('eigw', '::/0'), cidr('nat', '0.0.0.0/0')];
    const dest = set('52.216.0.0/15', '2600:1fa0:8000::/39');
    expect(byId(resolveRoutes(routes, dest))).toEqual({ eigw: ['2600:1fa0:8000::/39'], nat: ['52.216.0.0/15'] });
    expect(byId(resolveRoutes([cidr('eigw', '::/0')], set('52.216.0.0/15')))).toEqual({ '(none)': ['52.216.0.0/15'] });
  });

  it('puts unmatched addresses in a share without a route: dropped traffic', () => {
    const shares = resolveRoutes([local('10.0.0.0/16')], set(...S3_USE1));
    expect(shares).toHaveLength(1);
    expect(shares[0]!.route).toBeUndefined();
    expect(shares[0]!.entries).toEqual([]);
    expect(isCertain(shares)).toBe(true);
  });

  it('normalises host bits in route destinations as CreateRoute does', () => {
    expect(byId(resolveRoutes([cidr('pcx', '3.5.0.9/20')], set('3.5.0.0/19')))).toEqual({ pcx: ['3.5.0.0/20'], '(none)': ['3.5.16.0/20'] });
  });

  it('returns shares in the order of the routes, no-route last', () => {
    const shares = resolveRoutes([cidr('b', '3.5.16.0/20'), cidr('a', '3.5.0.0/20')], set('3.5.0.0/18'));
    expect(shares.map((s) => s.route?.id)).toEqual(['b', 'a', undefined]);
  });
});

describe('resolveRoutes: equal prefixes', () => {
  it('ranks a static route over a prefix list over a propagated route', () => {
    const vgw = cidr('vgw', '3.5.0.0/19', { origin: 'propagated', propagatedFrom: 'vpn-bgp' });
    expect(byId(resolveRoutes([vgw, pl('endpoint', ['3.5.0.0/19'])], set('3.5.0.0/19')))).toEqual({ endpoint: ['3.5.0.0/19'] });
    expect(byId(resolveRoutes([vgw, cidr('igw', '3.5.0.0/19')], set('3.5.0.0/19')))).toEqual({ igw: ['3.5.0.0/19'] });
  });

  it('lets a more specific propagated route win over a prefix list', () => {
    const vgw = cidr('vgw', '3.5.0.0/24', { origin: 'propagated', propagatedFrom: 'vpn-bgp' });
    expect(byId(resolveRoutes([pl('endpoint', ['3.5.0.0/19']), vgw], set('3.5.0.0/23')))).toEqual({ endpoint: ['3.5.1.0/24'], vgw: ['3.5.0.0/24'] });
  });

  it('orders propagated routes Direct Connect, VPN static, VPN BGP', () => {
    const routes = [
      cidr('bgp', '192.0.2.0/24', { origin: 'propagated', propagatedFrom: 'vpn-bgp' }),
      cidr('vpn', '192.0.2.0/24', { origin: 'propagated', propagatedFrom: 'vpn-static' }),
      cidr('dx', '192.0.2.0/24', { origin: 'propagated', propagatedFrom: 'direct-connect' }),
    ];
    const shares = resolveRoutes(routes, set('192.0.2.0/24'));
    expect(byId(shares)).toEqual({ dx: ['192.0.2.0/24'] });
    expect(isCertain(shares)).toBe(true);
    expect(routeFor(routes.slice(0, 2), '192.0.2.7')?.id).toBe('vpn');
  });

  it('ties two propagated routes when the source of one is not known', () => {
    const shares = resolveRoutes(
      [cidr('a', '192.0.2.0/24', { origin: 'propagated' }), cidr('b', '192.0.2.0/24', { origin: 'propagated', propagatedFrom: 'direct-connect' })],
      set('192.0.2.0/24'),
    );
    expect(isCertain(shares)).toBe(false);
    expect(shares[0]!.contenders.map((r) => r.id)).toEqual(['b']);
  });

  it('reports overlapping prefix lists as a tie AWS settles at random', () => {
    const shares = resolveRoutes([pl('first', ['3.5.0.0/19']), pl('second', ['3.5.0.0/19', '52.216.0.0/15'], 'pl-other')], set(...S3_USE1));
    const first = shares.find((s) => s.route?.id === 'first')!;
    expect(first.cidrs.toCidrs()).toEqual(['3.5.0.0/19']);
    expect(first.uncertainCidrs.toCidrs()).toEqual(['3.5.0.0/19']);
    expect(first.contenders.map((r) => r.id)).toEqual(['second']);
    const second = shares.find((s) => s.route?.id === 'second')!;
    expect(second.cidrs.toCidrs()).toEqual(['52.216.0.0/15']);
    expect(second.uncertainCidrs.isEmpty()).toBe(true);
  });

  it('ties two static routes with one destination, which AWS would refuse', () => {
    const shares = resolveRoutes([cidr('a', '10.1.0.0/16'), cidr('b', '10.1.0.0/16')], set('10.1.2.0/24'));
    expect(shares.map((s) => [s.route?.id, s.contenders.map((r) => r.id)])).toEqual([['a', ['b']]]);
  });
});

describe('resolveRoutes: what cannot be known', () => {
  it('makes every share uncertain when a route destination is unknown, naming it', () => {
    const routes = [local('10.0.0.0/16'), cidr('nat', '0.0.0.0/0'), unknownRoute('mystery')];
    const shares = resolveRoutes(routes, set(...S3_USE1));
    expect(shares.map((s) => s.route?.id)).toEqual(['nat']);
    expect(shares[0]!.uncertainCidrs.equals(shares[0]!.cidrs)).toBe(true);
    expect(shares[0]!.contenders.map((r) => r.id)).toEqual(['mystery']);
    expect(isCertain(shares)).toBe(false);
  });

  it('keeps unmatched addresses uncertain too', () => {
    const shares = resolveRoutes([unknownRoute('mystery')], set('3.5.0.0/19'));
    expect(shares[0]!.route).toBeUndefined();
    expect(shares[0]!.contenders.map((r) => r.id)).toEqual(['mystery']);
  });

  it('leaves a static host route certain: nothing can be more specific', () => {
    const shares = resolveRoutes([cidr('host', '3.5.0.1/32'), unknownRoute('mystery')], set('3.5.0.1/32'));
    expect(isCertain(shares)).toBe(true);
  });

  it('treats an invalid CIDR or a partly invalid prefix list as unknown', () => {
    const bad = resolveRoutes([cidr('nat', '0.0.0.0/0'), cidr('typo', '3.5.0.0/33')], set('3.5.0.0/19'));
    expect(bad[0]!.contenders.map((r) => r.id)).toEqual(['typo']);
    const partial = resolveRoutes([pl('list', ['3.5.0.0/19', 'nope'])], set('3.5.0.0/19'));
    expect(partial[0]!.route?.id).toBe('list');
    // Its own unreadable entry cannot take addresses from it; elsewhere it is a contender.
    expect(partial[0]!.contenders).toEqual([]);
    expect(partial[0]!.uncertainCidrs.isEmpty()).toBe(true);
    const elsewhere = resolveRoutes([cidr('nat', '0.0.0.0/0'), pl('list', ['3.5.0.0/19', 'nope'])], set('8.8.8.0/24'));
    expect(elsewhere[0]!.contenders.map((r) => r.id)).toEqual(['list']);
  });

  it('marks prefix-list entries more specific than a VPC CIDR as uncertain rather than applying them', () => {
    const routes = [local('10.0.0.0/16'), pl('customer-list', ['10.0.1.0/24', '192.0.2.0/24'], 'pl-customer')];
    const shares = resolveRoutes(routes, set('10.0.0.0/23', '192.0.2.0/24'));
    const loc = shares.find((s) => s.route?.id === 'local 10.0.0.0/16')!;
    expect(loc.cidrs.toCidrs()).toEqual(['10.0.0.0/23']);
    expect(loc.uncertainCidrs.toCidrs()).toEqual(['10.0.1.0/24']);
    expect(loc.contenders.map((r) => r.id)).toEqual(['customer-list']);
    expect(byId(shares)['customer-list']).toEqual(['192.0.2.0/24']);
  });
});

describe('routeFor', () => {
  const table = [local('10.0.0.0/16'), cidr('nat', '0.0.0.0/0'), pl('s3', S3_USE1), cidr('eigw', '::/0')];

  it('picks the most specific route for one address', () => {
    expect(routeFor(table, '52.217.1.1')?.id).toBe('s3');
    expect(routeFor(table, '10.0.3.4')?.id).toBe('local 10.0.0.0/16');
    expect(routeFor(table, '1.1.1.1')?.id).toBe('nat');
    expect(routeFor(table, '2600::1')?.id).toBe('eigw');
  });

  it('answers undefined for no route or an invalid address', () => {
    expect(routeFor([local('10.0.0.0/16')], '1.1.1.1')).toBeUndefined();
    expect(routeFor(table, '300.1.1.1')).toBeUndefined();
  });
});

describe('routesOverriding', () => {
  it('names the routes that take part of an endpoint route, and how much', () => {
    const routes = [local('10.0.0.0/16'), cidr('nat', '0.0.0.0/0'), pl('s3-endpoint', S3_USE1), cidr('pcx', '3.5.0.0/20'), cidr('wide', '3.0.0.0/8')];
    const over = routesOverriding(routes, 's3-endpoint', set(...S3_USE1));
    expect(over.map((s) => [s.route?.id, s.cidrs.toCidrs(), s.entries.map((e) => e.cidr)])).toEqual([['pcx', ['3.5.0.0/20'], ['3.5.0.0/20']]]);
    expect(over[0]!.cidrs.size()).toBe(4096n);
  });

  it('finds nothing for an unshadowed route or an unknown one', () => {
    const routes = [cidr('nat', '0.0.0.0/0'), pl('s3-endpoint', S3_USE1), unknownRoute('u')];
    expect(routesOverriding(routes, 's3-endpoint', set(...S3_USE1))).toEqual([]);
    expect(routesOverriding(routes, 'u', set(...S3_USE1))).toEqual([]);
    expect(routesOverriding(routes, 'missing', set(...S3_USE1))).toEqual([]);
  });

  it('shows a tie with another prefix list as a contender', () => {
    const routes = [pl('other', ['3.5.0.0/19'], 'pl-other'), pl('s3-endpoint', S3_USE1)];
    const over = routesOverriding(routes, 's3-endpoint', set(...S3_USE1));
    expect(over.map((s) => [s.route?.id, s.contenders.map((r) => r.id)])).toEqual([['other', ['s3-endpoint']]]);
  });
});

describe('destinationSet', () => {
  it('is the union of the entries, or undefined when unknown', () => {
    expect(destinationSet(pl('x', ['3.5.0.0/20', '3.5.16.0/20']))?.toCidrs()).toEqual(['3.5.0.0/19']);
    expect(destinationSet(unknownRoute('u'))).toBeUndefined();
    expect(destinationSet(cidr('bad', 'x'))).toBeUndefined();
  });
});

describe('partition property', () => {
  it('splits random destinations into disjoint shares that add up', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      const routes: RouteInput[] = [];
      for (let i = 0; i < 12; i++) {
        const len = 8 + rnd(17);
        const c = `${3 + rnd(2)}.${rnd(8)}.${rnd(4) * 64}.0/${len}`;
        routes.push(rnd(3) === 0 ? pl(`r${i}`, [c, `${3 + rnd(2)}.${rnd(8)}.0.0/${12 + rnd(10)}`]) : cidr(`r${i}`, c));
      }
      const dest = set(`${3 + rnd(2)}.0.0.0/${9 + rnd(8)}`, `4.${rnd(8)}.0.0/16`);
      expectPartition(resolveRoutes(routes, dest), dest);
    }
  });

  it('resolves a large table against a large destination quickly', () => {
    const entries = Array.from({ length: 1500 }, (_, i) => `${52 + (i % 4)}.${Math.floor(i / 4) % 256}.${(i * 16) % 256}.0/20`);
    const routes = [cidr('nat', '0.0.0.0/0'), pl('big', entries), ...Array.from({ length: 300 }, (_, i) => cidr(`c${i}`, `52.${i % 256}.0.0/22`))];
    const dest = CidrSet.fromCidrs(entries.slice(0, 800));
    const start = performance.now();
    const shares = resolveRoutes(routes, dest);
    expectPartition(shares, dest);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
