import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CidrSet, formatAddress, formatCidr, type Family } from '../../src/facts/cidr.js';
import { resolveRoutes, type PropagationSource, type RouteInput } from '../../src/sim/routes.js';
import { params } from './settings.js';

/**
 * A brute-force resolver, written from the AWS rules as `src/sim/routes.ts` quotes them and nothing else: for one
 * address, the matching entries of the longest prefix; among them static and local routes, then prefix lists, then
 * propagated routes (Direct Connect, VPN static, VPN BGP); ties at the best rank are uncertain. A prefix-list entry
 * more specific than a local route's CIDR that holds it never wins, but leaves the addresses it covers uncertain.
 */
interface Entry {
  route: RouteInput;
  order: number;
  family: Family;
  network: bigint;
  prefix: number;
  kind: 'cidr' | 'prefix-list';
}

const WIDTH: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const RANK: Record<PropagationSource, number> = { 'direct-connect': 2, 'vpn-static': 3, 'vpn-bgp': 4 };
const contains = (e: Pick<Entry, 'family' | 'network' | 'prefix'>, family: Family, a: bigint) =>
  e.family === family && (e.prefix === 0 || a >> BigInt(WIDTH[family] - e.prefix) === e.network >> BigInt(WIDTH[family] - e.prefix));
const rank = (e: Entry) => (e.kind === 'prefix-list' ? 1 : e.route.origin === 'propagated' ? RANK[e.route.propagatedFrom!] : 0);

function bruteForce(entries: readonly Entry[], family: Family, a: bigint): { route: RouteInput | undefined; uncertain: boolean } {
  const locals = entries.filter((e) => e.kind === 'cidr' && e.route.origin === 'local');
  const doubtful = (e: Entry) => e.kind === 'prefix-list' && locals.some((l) => l.prefix < e.prefix && contains(l, e.family, e.network));
  const matching = entries.filter((e) => contains(e, family, a));
  const eligible = matching.filter((e) => !doubtful(e));
  const longest = Math.max(-1, ...eligible.map((e) => e.prefix));
  const best = eligible.filter((e) => e.prefix === longest).sort((x, y) => rank(x) - rank(y) || x.order - y.order);
  const winner = best[0];
  const tie = best.some((e) => winner !== undefined && e.route !== winner.route && rank(e) === rank(winner));
  const shadowedByDoubt = matching.some((e) => doubtful(e) && e.prefix > longest && e.route !== winner?.route);
  return { route: winner?.route, uncertain: tie || shadowedByDoubt };
}

// Networks drawn from few high bits so that routes overlap, nest and coincide often.
function cidrIn(family: Family): fc.Arbitrary<{ network: bigint; prefix: number }> {
  const w = WIDTH[family];
  const base = family === 'ipv4' ? 10n << 24n : 0x20010db8n << 96n;
  const top = family === 'ipv4' ? 8 : 32;
  return fc.tuple(fc.bigInt(0n, (1n << 6n) - 1n), fc.bigInt(0n, 255n), fc.integer({ min: 0, max: w })).map(([hi, lo, p]) => {
    const raw = base | (hi << BigInt(w - top - 6)) | lo;
    const prefix = p < top / 2 ? p : Math.max(p, top);
    const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(w - prefix);
    return { network: raw & mask, prefix };
  });
}

const routeTable = fc.constantFrom<Family>('ipv4', 'ipv6').chain((family) =>
  fc
    .array(
      fc.oneof(
        fc.record({
          kind: fc.constant('cidr' as const),
          c: cidrIn(family),
          origin: fc.constantFrom('local' as const, 'static' as const, 'propagated' as const),
          from: fc.constantFrom<PropagationSource>('direct-connect', 'vpn-static', 'vpn-bgp'),
        }),
        fc.record({ kind: fc.constant('prefix-list' as const), cs: fc.array(cidrIn(family), { minLength: 1, maxLength: 3 }) }),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((specs) => {
      const entries: Entry[] = [];
      const routes = specs.map((s, order): RouteInput => {
        const id = `r${order}`;
        const route: RouteInput =
          s.kind === 'cidr'
            ? {
                id,
                destination: { kind: 'cidr', cidr: formatCidr({ family, ...s.c }) },
                origin: s.origin,
                ...(s.origin === 'propagated' ? { propagatedFrom: s.from } : {}),
              }
            : { id, destination: { kind: 'prefix-list', prefixListId: `pl-${order}`, cidrs: s.cs.map((c) => formatCidr({ family, ...c })) } };
        for (const c of s.kind === 'cidr' ? [s.c] : s.cs) entries.push({ route, order, family, ...c, kind: s.kind });
        return route;
      });
      return { family, routes, entries };
    }),
);

describe('longest-prefix match agrees with a brute-force resolver', () => {
  it('on random IPv4 and IPv6 route tables with CIDR, local, propagated and prefix-list routes', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(routeTable, fc.array(fc.bigInt(0n, 0xffffn), { maxLength: 6 }), ({ family, routes, entries }, offsets) => {
        const shares = resolveRoutes(routes, CidrSet.all(family));
        // Probe every network's first and last address, their neighbours, and a few more.
        const w = BigInt(WIDTH[family]);
        const max = (1n << w) - 1n;
        const probes = new Set<bigint>([0n, max]);
        for (const e of entries) {
          const last = e.network | ((1n << (w - BigInt(e.prefix))) - 1n);
          for (const a of [e.network, last, e.network - 1n, last + 1n, ...offsets.map((o) => e.network + o)]) if (a >= 0n && a <= max) probes.add(a);
        }
        for (const a of probes) {
          const address = formatAddress(family, a);
          const holding = shares.filter((s) => s.cidrs.contains(address));
          expect(holding, address).toHaveLength(1);
          const expected = bruteForce(entries, family, a);
          expect(holding[0]!.route?.id, address).toBe(expected.route?.id);
          expect(holding[0]!.uncertainCidrs.contains(address), `${address} uncertain`).toBe(expected.uncertain);
        }
      }),
      params(300),
    );
  });
});
