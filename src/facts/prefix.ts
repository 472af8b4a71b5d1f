/** Parsing, formatting and comparing single IPv4 and IPv6 prefixes, on bigints. Import from cidr.ts. */

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

const V4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // Leading zeros are refused: some parsers read them as octal, so the intent is ambiguous.
    if (!V4_OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseGroups(s: string): number[] | undefined {
  if (s === '') return [];
  const out: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(p)) out.push(parseInt(p, 16));
    else return undefined;
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  // Zone ids (fe80::1%eth0) name an interface, not a network: not valid in a route or a CIDR.
  if (s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!);
    const tail = parseGroups(halves[1]!);
    if (!head || !tail) return undefined;
    // An embedded IPv4 address may only end the address.
    if (halves[0]!.includes('.')) return undefined;
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses a bare address (no prefix length). */
export function parseAddress(s: string): Address | undefined {
  // No trimming: AWS refuses " 10.0.0.0/8", so a value with spaces is not an address we can reason about.
  const t = s;
  if (typeof t !== 'string') return undefined;
  if (t.includes(':')) {
    const value = parseV6(t);
    return value === undefined ? undefined : { family: 'ipv6', value };
  }
  const value = parseV4(t);
  return value === undefined ? undefined : { family: 'ipv4', value };
}

/**
 * Parses `a.b.c.d/n` or an IPv6 prefix. Host bits are cleared and reported in `hostBitsSet` rather than refused,
 * because CreateRoute normalises 100.68.0.18/18 to 100.68.0.0/18; callers that must refuse them use isCanonical.
 */
export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s;
  const slash = t.indexOf('/');
  if (slash < 0 || slash !== t.lastIndexOf('/')) return undefined;
  const addr = parseAddress(t.slice(0, slash));
  const len = t.slice(slash + 1);
  if (!addr || !/^(?:0|[1-9]\d{0,2})$/.test(len)) return undefined;
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

function prefixMask(prefix: number, bits: number): bigint {
  const all = (ONE << BigInt(bits)) - ONE;
  return all ^ ((ONE << BigInt(bits - prefix)) - ONE);
}

export function cidrRange(c: Cidr): [bigint, bigint] {
  return [c.network, c.network | ((ONE << BigInt(c.bits - c.prefix)) - ONE)];
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
