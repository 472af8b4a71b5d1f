/**
 * CidrSet: an immutable set of addresses kept as sorted, disjoint, non-adjacent inclusive ranges per family. Ranges
 * rather than prefixes because subtracting a /20 from a /19 leaves something that is not one prefix, and the route
 * resolver subtracts all the time. The single-prefix helpers live in prefix.ts and are re-exported here.
 */
import { cidrRange, familyWidth, formatAddress, parseAddress, parseCidr, type Cidr, type Family } from './prefix.js';

export * from './prefix.js';

type Range = readonly [lo: bigint, hi: bigint];

const ONE = 1n;
const WIDTH: Record<Family, number> = { ipv4: familyWidth('ipv4'), ipv6: familyWidth('ipv6') };

function normalize(ranges: Range[]): Range[] {
  if (ranges.length < 2) return ranges;
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const [lo, hi] = sorted[i]!;
    const last = out[out.length - 1]!;
    if (lo <= last[1] + ONE) {
      if (hi > last[1]) last[1] = hi;
    } else out.push([lo, hi]);
  }
  return out;
}

function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    const lo = alo > blo ? alo : blo;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}

function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const [alo, ahi] of a) {
    let lo = alo;
    while (j < b.length && b[j]![1] < lo) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= ahi) {
      const [blo, bhi] = b[k]!;
      if (blo > lo) out.push([lo, blo - ONE]);
      if (bhi >= ahi) {
        lo = ahi + ONE;
        break;
      }
      lo = bhi + ONE;
      k++;
    }
    if (lo <= ahi) out.push([lo, ahi]);
  }
  return out;
}

/** Largest aligned blocks covering [lo, hi]: the fewest prefixes that describe exactly this range. */
function rangeToCidrs(family: Family, lo: bigint, hi: bigint, out: string[]): void {
  const bits = WIDTH[family];
  let cur = lo;
  while (cur <= hi) {
    let size = bits; // host bits of the block
    while (size > 0) {
      const block = ONE << BigInt(size);
      if ((cur & (block - ONE)) === 0n && cur + block - ONE <= hi) break;
      size--;
    }
    out.push(`${formatAddress(family, cur)}/${bits - size}`);
    cur += ONE << BigInt(size);
  }
}

const EMPTY: readonly Range[] = Object.freeze([]);

export class CidrSet {
  private constructor(
    private readonly v4: readonly Range[],
    private readonly v6: readonly Range[],
  ) {}

  private static readonly EMPTY_SET = new CidrSet(EMPTY, EMPTY);

  static empty(): CidrSet {
    return CidrSet.EMPTY_SET;
  }

  /** Every address of a family (0.0.0.0/0 or ::/0). */
  static all(family: Family): CidrSet {
    const r: Range[] = [[0n, (ONE << BigInt(WIDTH[family])) - ONE]];
    return family === 'ipv4' ? new CidrSet(r, EMPTY) : new CidrSet(EMPTY, r);
  }

  /** Throws on an invalid CIDR: for trusted data. Use tryFromCidrs for user input. */
  static fromCidrs(cidrs: Iterable<string>): CidrSet {
    const set = CidrSet.tryFromCidrs(cidrs);
    if (!set) {
      const bad = [...cidrs].find((c) => !parseCidr(c));
      throw new TypeError(`not a CIDR: ${JSON.stringify(bad)}`);
    }
    return set;
  }

  /** Undefined when any entry is not a CIDR. */
  static tryFromCidrs(cidrs: Iterable<string>): CidrSet | undefined {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const s of cidrs) {
      const c = parseCidr(s);
      if (!c) return undefined;
      (c.family === 'ipv4' ? v4 : v6).push(cidrRange(c));
    }
    return new CidrSet(normalize(v4), normalize(v6));
  }

  static fromCidr(c: Cidr): CidrSet {
    const r = [cidrRange(c)];
    return c.family === 'ipv4' ? new CidrSet(r, EMPTY) : new CidrSet(EMPTY, r);
  }

  /** Inclusive address ranges of one family, in any order, overlapping or not. */
  static fromRanges(family: Family, ranges: Iterable<readonly [bigint, bigint]>): CidrSet {
    const max = (ONE << BigInt(WIDTH[family])) - ONE;
    const list: Range[] = [];
    for (const [lo, hi] of ranges) {
      if (lo < 0n || hi > max) throw new RangeError(`range outside ${family}`);
      if (lo <= hi) list.push([lo, hi]);
    }
    const n = normalize(list);
    return family === 'ipv4' ? new CidrSet(n, EMPTY) : new CidrSet(EMPTY, n);
  }

  union(other: CidrSet): CidrSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return new CidrSet(normalize([...this.v4, ...other.v4]), normalize([...this.v6, ...other.v6]));
  }

  intersect(other: CidrSet): CidrSet {
    return new CidrSet(intersectRanges(this.v4, other.v4), intersectRanges(this.v6, other.v6));
  }

  subtract(other: CidrSet): CidrSet {
    if (other.isEmpty()) return this;
    return new CidrSet(subtractRanges(this.v4, other.v4), subtractRanges(this.v6, other.v6));
  }

  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  /** Number of addresses; both families together unless one is named. */
  size(family?: Family): bigint {
    let n = 0n;
    if (family !== 'ipv6') for (const [lo, hi] of this.v4) n += hi - lo + ONE;
    if (family !== 'ipv4') for (const [lo, hi] of this.v6) n += hi - lo + ONE;
    return n;
  }

  /** The fewest CIDRs that describe exactly this set, IPv4 first, ascending. */
  toCidrs(family?: Family): string[] {
    const out: string[] = [];
    if (family !== 'ipv6') for (const [lo, hi] of this.v4) rangeToCidrs('ipv4', lo, hi, out);
    if (family !== 'ipv4') for (const [lo, hi] of this.v6) rangeToCidrs('ipv6', lo, hi, out);
    return out;
  }

  /** The part of this set in one family. */
  only(family: Family): CidrSet {
    return family === 'ipv4' ? new CidrSet(this.v4, EMPTY) : new CidrSet(EMPTY, this.v6);
  }

  families(): Family[] {
    const out: Family[] = [];
    if (this.v4.length) out.push('ipv4');
    if (this.v6.length) out.push('ipv6');
    return out;
  }

  ranges(family: Family): ReadonlyArray<readonly [bigint, bigint]> {
    return family === 'ipv4' ? this.v4 : this.v6;
  }

  /** An address (`3.5.0.1`) or a CIDR (`3.5.0.0/20`) lies wholly inside the set. Invalid text is never contained. */
  contains(addressOrCidr: string): boolean {
    const c = addressOrCidr.includes('/') ? parseCidr(addressOrCidr) : undefined;
    const a = c ? undefined : parseAddress(addressOrCidr);
    if (!c && !a) return false;
    const family = (c ?? a)!.family;
    const [lo, hi] = c ? cidrRange(c) : [a!.value, a!.value];
    const list = family === 'ipv4' ? this.v4 : this.v6;
    // Ranges are disjoint and sorted: binary search the last one starting at or before lo.
    let l = 0;
    let h = list.length - 1;
    while (l <= h) {
      const m = (l + h) >> 1;
      if (list[m]![0] <= lo) l = m + 1;
      else h = m - 1;
    }
    const r = list[h];
    return r !== undefined && r[1] >= hi;
  }

  /** Every address of `other` is in this set. */
  covers(other: CidrSet): boolean {
    return other.subtract(this).isEmpty();
  }

  overlaps(other: CidrSet): boolean {
    return !this.intersect(other).isEmpty();
  }

  equals(other: CidrSet): boolean {
    const same = (a: readonly Range[], b: readonly Range[]) => a.length === b.length && a.every((r, i) => r[0] === b[i]![0] && r[1] === b[i]![1]);
    return same(this.v4, other.v4) && same(this.v6, other.v6);
  }

  toString(): string {
    return this.toCidrs().join(', ');
  }
}
