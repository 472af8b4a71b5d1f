/**
 * The one place addresses and prefixes of both families are parsed, formatted and computed with, on bigints: AWS
 * facts, routing, Terraform's cidr* functions and CloudFormation's Fn::Cidr all use it. Import from cidr.ts.
 */

export type Family = 'ipv4' | 'ipv6';

export interface Cidr {
  family: Family;
  /** The network address, host bits cleared. */
  network: bigint;
  prefix: number;
  /** Address width: 32 or 128. */
  bits: number;
  /** The text had bits set below the prefix (10.0.0.1/8). AWS normalises such a route destination, some other APIs refuse it. */
  hostBitsSet: boolean;
}

export interface Address {
  family: Family;
  value: bigint;
}

const WIDTH: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const ONE = 1n;

export function familyWidth(family: Family): number {
  return WIDTH[family];
}

export interface ParseOptions {
  /**
   * Read IPv4 octets and prefix lengths written with leading zeros as decimal (`010.0.0.0/08` is 10.0.0.0/8), as
   * Terraform does. Refused by default: some parsers read them as octal, so the intent is ambiguous.
   */
  leadingZeros?: boolean;
}

/** A decimal number of at most three digits: an IPv4 octet or a prefix length, before its range is checked. */
const STRICT_DECIMAL = /^(?:0|[1-9]\d{0,2})$/;
const LENIENT_DECIMAL = /^\d{1,3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

const decimalPattern = (opts: ParseOptions | undefined): RegExp => (opts?.leadingZeros ? LENIENT_DECIMAL : STRICT_DECIMAL);

function parseV4(s: string, opts: ParseOptions | undefined): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const octet = decimalPattern(opts);
  let v = 0n;
  for (const p of parts) {
    if (!octet.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseGroups(s: string, opts: ParseOptions | undefined): number[] | undefined {
  if (s === '') return [];
  const out: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p, opts);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(p)) out.push(parseInt(p, 16));
    else return undefined;
  }
  return out;
}

function parseV6(s: string, opts: ParseOptions | undefined): bigint | undefined {
  // Zone ids (fe80::1%eth0) name an interface, not a network: not valid in a route or a CIDR.
  if (s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!, opts);
    const tail = parseGroups(halves[1]!, opts);
    if (!head || !tail) return undefined;
    // An embedded IPv4 address may only end the address.
    if (halves[0]!.includes('.')) return undefined;
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s, opts);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses a bare address (no prefix length). */
export function parseAddress(s: string, opts?: ParseOptions): Address | undefined {
  // No trimming: AWS refuses " 10.0.0.0/8", so a value with spaces is not an address we can reason about.
  const t = s;
  if (typeof t !== 'string') return undefined;
  if (t.includes(':')) {
    const value = parseV6(t, opts);
    return value === undefined ? undefined : { family: 'ipv6', value };
  }
  const value = parseV4(t, opts);
  return value === undefined ? undefined : { family: 'ipv4', value };
}

/**
 * Parses `a.b.c.d/n` or an IPv6 prefix. Host bits are cleared and reported in `hostBitsSet` rather than refused,
 * because CreateRoute normalises 100.68.0.18/18 to 100.68.0.0/18; callers that must refuse them use isCanonical.
 */
export function parseCidr(s: string, opts?: ParseOptions): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s;
  const slash = t.indexOf('/');
  if (slash < 0 || slash !== t.lastIndexOf('/')) return undefined;
  const addr = parseAddress(t.slice(0, slash), opts);
  const len = t.slice(slash + 1);
  if (!addr || !decimalPattern(opts).test(len)) return undefined;
  const bits = WIDTH[addr.family];
  const prefix = Number(len);
  if (prefix > bits) return undefined;
  const network = addr.value & prefixMask(prefix, bits);
  return { family: addr.family, network, prefix, bits, hostBitsSet: network !== addr.value };
}

/** Valid and without host bits set. */
export function isCanonical(s: string): boolean {
  const c = parseCidr(s);
  return c !== undefined && !c.hostBitsSet;
}

/** The network bits of a prefix length set, the host bits clear; lengths outside 0–bits are clamped. */
function prefixMask(prefix: number, bits: number): bigint {
  const all = (ONE << BigInt(bits)) - ONE;
  if (prefix <= 0) return 0n;
  if (prefix >= bits) return all;
  return all ^ ((ONE << BigInt(bits - prefix)) - ONE);
}

/** The mask of a prefix length as an address of the family: /20 is 255.255.240.0. */
export function netmask(family: Family, prefix: number): bigint {
  return prefixMask(prefix, WIDTH[family]);
}

function cidrOf(family: Family, network: bigint, prefix: number): Cidr {
  return { family, network, prefix, bits: WIDTH[family], hostBitsSet: false };
}

export function cidrRange(c: Cidr): [bigint, bigint] {
  return [c.network, c.network | ((ONE << BigInt(c.bits - c.prefix)) - ONE)];
}

/** How many addresses the prefix holds: 2^(bits − prefix). */
export function addressCount(c: Pick<Cidr, 'bits' | 'prefix'>): bigint {
  return ONE << BigInt(c.bits - c.prefix);
}

/** The address `offset` places after the network address; the caller keeps `offset` below addressCount(c). */
export function hostAddress(c: Cidr, offset: bigint): bigint {
  return c.network | offset;
}

/**
 * The `index`-th prefix of length `prefix` inside `c`, counting from 0 in address order: 10.1.0.0/16 with 20 and 2
 * is 10.1.32.0/20. The caller keeps `prefix` between c.prefix and the family width and `index` below 2^(prefix − c.prefix).
 */
export function subnetOf(c: Cidr, prefix: number, index: bigint): Cidr {
  return cidrOf(c.family, c.network | (index << BigInt(c.bits - prefix)), prefix);
}

/** Wraps a value into the address space of a family width, as fixed-width address arithmetic does. */
function wrapAddress(v: bigint, bits: number): bigint {
  const size = ONE << BigInt(bits);
  return ((v % size) + size) % size;
}

/** The prefix of length `prefix` that holds the address just below `c` (the last address of all when `c` starts at zero). */
export function previousPrefix(c: Cidr, prefix: number): Cidr {
  return cidrOf(c.family, wrapAddress(c.network - ONE, c.bits) & prefixMask(prefix, c.bits), prefix);
}

/**
 * The prefix of length `prefix` that follows the one holding `c`'s last address; `rollover` when it wrapped past the
 * last address of the family to zero.
 */
export function nextPrefix(c: Cidr, prefix: number): { next: Cidr; rollover: boolean } {
  const current = cidrOf(c.family, cidrRange(c)[1] & prefixMask(prefix, c.bits), prefix);
  const after = wrapAddress(cidrRange(current)[1] + ONE, c.bits);
  return { next: cidrOf(c.family, after & prefixMask(prefix, c.bits), prefix), rollover: after === 0n };
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((sh) => String((value >> sh) & 0xffn)).join('.');
  const groups: number[] = [];
  for (let sh = 112n; sh >= 0n; sh -= 16n) groups.push(Number((value >> sh) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export function formatCidr(c: Pick<Cidr, 'family' | 'network' | 'prefix'>): string {
  return `${formatAddress(c.family, c.network)}/${c.prefix}`;
}

/** The canonical text of a CIDR (host bits cleared, IPv6 compressed), or undefined when it is not one. */
export function normalizeCidr(s: string): string | undefined {
  const c = parseCidr(s);
  return c && formatCidr(c);
}

function asCidr(x: string | Cidr): Cidr | undefined {
  return typeof x === 'string' ? parseCidr(x) : x;
}

/** `outer` contains every address of `inner` (same family). False when either is invalid. */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const a = asCidr(outer);
  const b = asCidr(inner);
  if (!a || !b || a.family !== b.family || a.prefix > b.prefix) return false;
  return (b.network & prefixMask(a.prefix, a.bits)) === a.network;
}

export function cidrOverlaps(a: string | Cidr, b: string | Cidr): boolean {
  return cidrIntersection(a, b) !== undefined;
}

/** Two prefixes either nest or are disjoint, so their intersection is the more specific one or nothing. */
export function cidrIntersection(a: string | Cidr, b: string | Cidr): Cidr | undefined {
  const x = asCidr(a);
  const y = asCidr(b);
  if (!x || !y) return undefined;
  if (cidrContains(x, y)) return y;
  if (cidrContains(y, x)) return x;
  return undefined;
}
