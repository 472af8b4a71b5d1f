import { describe, expect, it } from 'vitest';
import { CidrSet, parseAddress, formatAddress } from '../../src/facts/cidr.js';
import type { NetworkAclEntry, SecurityGroupNode, SecurityGroupRule } from '../../src/graph/model.js';
import { evaluateAcl, evaluateSecurityGroups, type OtherEnd, type Piece } from '../../src/sim/reachability/filters.js';
import { judge, type Demand } from '../../src/sim/reachability/judge.js';
import { PortSet } from '../../src/sim/reachability/ports.js';
import { unknown } from '../../src/source/value.js';

/*
 * The property: on random ACLs and security groups over a small universe of addresses and ports, the symbolic
 * evaluation (pieces of address × port sets, then the verdict) agrees with a brute-force check that takes every
 * concrete packet one by one. No dependency: a seeded generator (mulberry32).
 */

const src = { file: 'x.tf', span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, address: 'x' };

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The universe: 10.0.0.0/26 (64 addresses) and ports 0–40. */
const BASE = parseAddress('10.0.0.0')!.value;
const ADDRS = 64;
const MAXPORT = 40;
const addr = (i: number) => formatAddress('ipv4', BASE + BigInt(i));

function randomCidr(r: () => number): string {
  const prefix = 26 + Math.floor(r() * 7); // /26 … /32
  const size = 2 ** (32 - prefix);
  const start = Math.floor(r() * (ADDRS / size)) * size;
  return r() < 0.1 ? '192.168.0.0/24' : `${addr(start)}/${prefix}`;
}

function randomPorts(r: () => number): { from: number; to: number } {
  const a = Math.floor(r() * (MAXPORT + 1));
  const b = Math.min(MAXPORT, a + Math.floor(r() * 15));
  return { from: a, to: b };
}

const protocols = ['tcp', 'tcp', 'tcp', '-1', 'udp'];

function randomEntries(r: () => number, n: number, withUnknowns: boolean): NetworkAclEntry[] {
  const out: NetworkAclEntry[] = [];
  for (let i = 0; i < n; i++) {
    const protocol = protocols[Math.floor(r() * protocols.length)]!;
    const u = withUnknowns && r() < 0.15 ? Math.floor(r() * 4) : -1;
    out.push({
      id: `e${i}`,
      direction: r() < 0.8 ? 'ingress' : 'egress',
      ruleNumber: u === 0 ? unknown('var') : 1 + Math.floor(r() * 200),
      action: u === 1 ? unknown('var') : r() < 0.5 ? 'allow' : 'deny',
      protocol,
      ports: protocol === '-1' ? { from: 0, to: 65535 } : u === 2 ? unknown('var') : randomPorts(r),
      peer: u === 3 ? { kind: 'unknown', reason: 'var' } : { kind: 'cidr', cidr: randomCidr(r) },
      origin: 'inline',
      source: src,
    });
  }
  return out;
}

/** One packet through an ACL, the way AWS describes it: lowest rule number first, first match wins, `*` denies. */
function bruteAcl(entries: NetworkAclEntry[], direction: string, incomplete: boolean, a: number, port: number): { status: Piece['status']; by?: string } {
  if (incomplete) return { status: 'unknown' };
  const ip = BASE + BigInt(a);
  const matchable = (e: NetworkAclEntry) => e.direction === direction && (e.protocol === 'tcp' || e.protocol === '-1');
  const inCidr = (e: NetworkAclEntry) => e.peer.kind === 'unknown' || CidrSet.fromCidrs([e.peer.cidr]).contains(formatAddress('ipv4', ip));
  const inPorts = (e: NetworkAclEntry) => typeof e.ports !== 'object' || !('from' in e.ports) || (e.ports.from <= port && port <= e.ports.to);
  const couldMatch = (e: NetworkAclEntry) => matchable(e) && inCidr(e) && inPorts(e);
  const unsure = (e: NetworkAclEntry) =>
    e.peer.kind === 'unknown' || typeof e.action !== 'string' || typeof e.ruleNumber !== 'number' || (e.protocol !== '-1' && !('from' in (e.ports as object)));
  // An entry whose place is not known may come first.
  if (entries.some((e) => typeof e.ruleNumber !== 'number' && couldMatch(e))) return { status: 'unknown' };
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .filter((x) => typeof x.e.ruleNumber === 'number')
    .sort((x, y) => (x.e.ruleNumber as number) - (y.e.ruleNumber as number) || x.i - y.i);
  for (const { e } of ordered) {
    if (!couldMatch(e)) continue;
    if (unsure(e)) return { status: 'unknown' };
    return { status: e.action === 'allow' ? 'allowed' : 'dropped', by: e.id };
  }
  return { status: 'dropped', by: '*' };
}

function group(id: string, rules: SecurityGroupRule[], rulesIncomplete = false): SecurityGroupNode {
  return { kind: 'security-group', id, source: src, attributeRefs: {}, callSites: [], vpc: 'v', default: false, name: id, rules, rulesIncomplete };
}

function randomRules(r: () => number, n: number, withUnknowns: boolean): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  for (let i = 0; i < n; i++) {
    const protocol = protocols[Math.floor(r() * protocols.length)]!;
    const k = r();
    const peer =
      withUnknowns && k < 0.1
        ? ({ kind: 'unknown', reason: 'var' } as const)
        : k < 0.2
          ? ({ kind: 'security-group', securityGroup: r() < 0.5 ? 'sg-client' : 'sg-other', label: 'g' } as const)
          : k < 0.27
            ? ({ kind: 'self' } as const)
            : ({ kind: 'cidr', cidr: randomCidr(r) } as const);
    out.push({
      id: `r${i}`,
      direction: r() < 0.8 ? 'ingress' : 'egress',
      protocol,
      ports: protocol === '-1' ? { from: 0, to: 65535 } : withUnknowns && r() < 0.05 ? unknown('var') : randomPorts(r),
      peers: [peer],
      origin: 'inline',
      source: src,
    });
  }
  return out;
}

function bruteSg(groups: SecurityGroupNode[], direction: string, other: OtherEnd, a: number, port: number): Piece['status'] {
  let maybe = false;
  for (const g of groups)
    for (const rule of g.rules) {
      if (rule.direction !== direction || (rule.protocol !== 'tcp' && rule.protocol !== '-1')) continue;
      const range = typeof rule.ports === 'object' && rule.ports !== null && 'from' in rule.ports ? rule.ports : undefined;
      const portsKnown = range !== undefined;
      if (range && !(range.from <= port && port <= range.to)) continue;
      for (const p of rule.peers) {
        let m: boolean | 'maybe';
        if (p.kind === 'cidr') m = CidrSet.fromCidrs([p.cidr]).contains(addr(a));
        else if (p.kind === 'security-group' || p.kind === 'self') {
          const id = p.kind === 'self' ? g.id : p.securityGroup!;
          m = other.groups.has(id) ? true : other.groupsComplete ? false : 'maybe';
        } else m = 'maybe';
        if (m === true && portsKnown) return 'allowed';
        if (m !== false) maybe = true;
      }
    }
  return maybe || groups.some((g) => g.rulesIncomplete) ? 'unknown' : 'dropped';
}

/** The verdict of one hop from per-packet answers, by its definition (see Demand). */
function bruteVerdict(
  status: (a: number, p: number) => Piece['status'],
  addrs: number[],
  d: { quantifier: 'each' | 'one'; ports: number[]; critical: number[] },
) {
  const per = addrs.map((a) => {
    const blocked = d.critical.some((p) => status(a, p) === 'dropped');
    const allowed = d.ports.every((p) => status(a, p) === 'allowed');
    return { a, blocked, allowed };
  });
  const blocked = d.quantifier === 'each' ? per.some((x) => x.blocked) : per.length > 0 && per.every((x) => x.blocked);
  if (blocked) return { verdict: 'blocked', blockedAddrs: per.filter((x) => x.blocked).map((x) => x.a) };
  if (per.every((x) => x.allowed)) return { verdict: 'allowed', blockedAddrs: [] };
  return { verdict: 'unknown', blockedAddrs: [] };
}

function pieceAt(pieces: Piece[], a: number, port: number): Piece[] {
  return pieces.filter((p) => p.addrs.contains(addr(a)) && p.ports.has(port));
}

function randomDemand(r: () => number): { demand: Demand; addrs: number[]; ports: number[]; critical: number[] } {
  const cidr = randomCidr(r) === '192.168.0.0/24' ? '10.0.0.0/26' : randomCidr(r).replace('192.168.0.0/24', '10.0.0.0/27');
  const set = CidrSet.fromCidrs([cidr]);
  const addrs = [...Array(ADDRS).keys()].filter((i) => set.contains(addr(i)));
  const wide = randomPorts(r);
  const cFrom = wide.from + Math.floor(r() * (wide.to - wide.from + 1));
  const cTo = cFrom + Math.floor(r() * (wide.to - cFrom + 1));
  const ports = [...Array(wide.to - wide.from + 1).keys()].map((i) => wide.from + i);
  const critical = [...Array(cTo - cFrom + 1).keys()].map((i) => cFrom + i);
  return {
    demand: { addresses: set, quantifier: r() < 0.5 ? 'each' : 'one', ports: PortSet.range(wide.from, wide.to), critical: PortSet.range(cFrom, cTo) },
    addrs,
    ports,
    critical,
  };
}

describe('brute-force packets agree with the symbolic evaluation', () => {
  it('for network ACLs on random entry sets (with unknown fields), packet by packet and verdict by verdict', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const r = rng(seed);
      const entries = randomEntries(r, 1 + Math.floor(r() * 8), seed % 3 === 0);
      const incomplete = seed % 37 === 0;
      const direction = r() < 0.7 ? 'ingress' : 'egress';
      const { demand, addrs, ports, critical } = randomDemand(r);
      const pieces = evaluateAcl({ id: 'acl', entries, entriesIncomplete: incomplete }, direction, { addrs: demand.addresses, ports: demand.ports });
      for (const a of addrs)
        for (const p of ports) {
          const here = pieceAt(pieces, a, p);
          expect(here, `seed ${seed}: one piece for ${addr(a)}:${p}`).toHaveLength(1);
          const want = bruteAcl(entries, direction, incomplete, a, p);
          expect(here[0]!.status, `seed ${seed} ${addr(a)}:${p}`).toBe(want.status);
          if (want.by) expect(here[0]!.cause.kind === 'acl-entry' ? here[0]!.cause.entry.id : '*', `seed ${seed}`).toBe(want.by);
        }
      const got = judge(pieces, demand);
      const want = bruteVerdict((a, p) => bruteAcl(entries, direction, incomplete, a, p).status, addrs, { quantifier: demand.quantifier, ports, critical });
      expect(got.verdict, `seed ${seed}`).toBe(want.verdict);
      if (want.verdict === 'blocked')
        expect(
          addrs.filter((a) => got.blockedAddresses.contains(addr(a))),
          `seed ${seed}`,
        ).toEqual(want.blockedAddrs);
    }
  });

  it('for security groups on random rule sets (CIDRs, groups, self, unknown peers)', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const r = rng(seed * 7919);
      const groups = [
        group('sg-a', randomRules(r, Math.floor(r() * 5), seed % 4 === 0)),
        group('sg-b', randomRules(r, Math.floor(r() * 3), false), seed % 41 === 0),
      ];
      const other: OtherEnd = { groups: new Set(r() < 0.5 ? ['sg-client'] : ['sg-a']), groupsComplete: r() < 0.7 };
      const direction = r() < 0.7 ? 'ingress' : 'egress';
      const { demand, addrs, ports, critical } = randomDemand(r);
      const pieces = evaluateSecurityGroups(groups, direction, { addrs: demand.addresses, ports: demand.ports }, other, () => ({ unknown: 'n/a' }));
      for (const a of addrs)
        for (const p of ports) {
          const here = pieceAt(pieces, a, p);
          expect(here, `seed ${seed}: one piece for ${addr(a)}:${p}`).toHaveLength(1);
          expect(here[0]!.status, `seed ${seed} ${addr(a)}:${p}`).toBe(bruteSg(groups, direction, other, a, p));
        }
      const got = judge(pieces, demand);
      const want = bruteVerdict((a, p) => bruteSg(groups, direction, other, a, p), addrs, { quantifier: demand.quantifier, ports, critical });
      expect(got.verdict, `seed ${seed}`).toBe(want.verdict);
    }
  });
});
