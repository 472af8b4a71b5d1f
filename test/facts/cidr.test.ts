import { describe, expect, it } from 'vitest';
import {
  CidrSet,
  cidrContains,
  cidrIntersection,
  cidrOverlaps,
  formatAddress,
  formatCidr,
  isCanonical,
  netmask,
  nextPrefix,
  normalizeCidr,
  parseAddress,
  parseCidr,
  previousPrefix,
  subnetOf,
} from '../../src/facts/cidr.js';

const set = (...cidrs: string[]) => CidrSet.fromCidrs(cidrs);

describe('parseCidr', () => {
  it('reads IPv4 prefixes at both ends of the length range', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 'ipv4', network: 0n, prefix: 0, bits: 32, hostBitsSet: false });
    expect(parseCidr('255.255.255.255/32')).toEqual({ family: 'ipv4', network: 0xffffffffn, prefix: 32, bits: 32, hostBitsSet: false });
    expect(parseCidr('10.1.0.0/16')?.network).toBe(0x0a010000n);
  });

  it('reads IPv6 prefixes, compressed or not, in any case', () => {
    expect(parseCidr('::/0')).toMatchObject({ family: 'ipv6', network: 0n, prefix: 0, bits: 128 });
    expect(parseCidr('::1/128')).toMatchObject({ network: 1n, prefix: 128 });
    expect(parseCidr('2001:0DB8:0000:0000:0000:0000:0000:0000/32')?.network).toBe(parseCidr('2001:db8::/32')!.network);
    expect(parseCidr('2600:1f60:8000::/39')?.network).toBe(0x26001f60800000000000000000000000n);
    expect(parseCidr('::ffff:1.2.3.4/128')?.network).toBe(0xffff01020304n);
    expect(parseCidr('1::/16')?.network).toBe(1n << 112n);
  });

  it('clears host bits and says so, as CreateRoute normalises 100.68.0.18/18', () => {
    const c = parseCidr('100.68.0.18/18')!;
    expect(formatCidr(c)).toBe('100.68.0.0/18');
    expect(c.hostBitsSet).toBe(true);
    expect(isCanonical('100.68.0.18/18')).toBe(false);
    expect(isCanonical('100.68.0.0/18')).toBe(true);
    expect(parseCidr('2001:db8::1/64')?.hostBitsSet).toBe(true);
  });

  it.each([
    '',
    'abc',
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/08',
    '10.0.0.0/8/8',
    '256.0.0.0/8',
    '10.0.0/8',
    '10.0.0.0.0/8',
    '01.0.0.0/8',
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '2001:db8::/129',
    '1::2::3/64',
    '1:2:3:4:5:6:7:8:9/128',
    '1:2:3:4:5:6:7::8/128',
    '1:2:3:4:5:6:7/128',
    '12345::/16',
    'g::/16',
    ':1::/16',
    'fe80::1%eth0/64',
    '1.2.3.4::/64',
    '::ffff:1.2.3/128',
  ])('refuses %j', (s) => {
    expect(parseCidr(s)).toBeUndefined();
    expect(isCanonical(s)).toBe(false);
  });

  it('refuses what is not a string without throwing', () => {
    expect(parseCidr(undefined as unknown as string)).toBeUndefined();
    expect(parseCidr(42 as unknown as string)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('follows RFC 5952: lower case, longest zero run compressed, the first on a tie, never a single group', () => {
    expect(normalizeCidr('2001:DB8:0:0:1:0:0:1/128')).toBe('2001:db8::1:0:0:1/128');
    expect(normalizeCidr('2001:db8:0:1:1:1:1:1/128')).toBe('2001:db8:0:1:1:1:1:1/128');
    expect(normalizeCidr('2001:0:0:1:0:0:0:1/128')).toBe('2001:0:0:1::1/128');
    expect(normalizeCidr('0:0:0:0:0:0:0:0/0')).toBe('::/0');
    expect(normalizeCidr('0:0:0:0:0:0:0:1/128')).toBe('::1/128');
    expect(normalizeCidr('1:0:0:0:0:0:0:0/16')).toBe('1::/16');
    expect(normalizeCidr('not a cidr')).toBeUndefined();
  });

  it('round-trips addresses', () => {
    expect(formatAddress('ipv4', parseAddress('192.0.2.255')!.value)).toBe('192.0.2.255');
    expect(formatAddress('ipv6', parseAddress('2406:da61:8800::')!.value)).toBe('2406:da61:8800::');
    expect(parseAddress('10.0.0.0/8')).toBeUndefined();
  });
});

describe('prefix relations', () => {
  it('contains, overlaps and intersects within one family only', () => {
    expect(cidrContains('3.5.0.0/19', '3.5.0.0/20')).toBe(true);
    expect(cidrContains('3.5.0.0/20', '3.5.0.0/19')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255/32')).toBe(true);
    expect(cidrContains('::/0', '0.0.0.0/0')).toBe(false);
    expect(cidrOverlaps('3.5.16.0/20', '3.5.0.0/19')).toBe(true);
    expect(cidrOverlaps('3.5.32.0/20', '3.5.0.0/19')).toBe(false);
    expect(formatCidr(cidrIntersection('3.5.0.0/19', '3.5.16.0/20')!)).toBe('3.5.16.0/20');
    expect(cidrIntersection('10.0.0.0/8', '11.0.0.0/8')).toBeUndefined();
    expect(cidrContains('bogus', '10.0.0.0/8')).toBe(false);
  });
});

describe('prefix arithmetic', () => {
  it('reads leading zeros as decimal only when asked, as Terraform does', () => {
    expect(parseCidr('010.001.0.0/016')).toBeUndefined();
    expect(formatCidr(parseCidr('010.001.0.0/016', { leadingZeros: true })!)).toBe('10.1.0.0/16');
    expect(parseAddress('::ffff:010.0.0.1', { leadingZeros: true })?.value).toBe(0xffff0a000001n);
    expect(parseCidr('1.2.3.4::/64', { leadingZeros: true })).toBeUndefined();
  });

  it('gives masks, numbered subnets and neighbouring prefixes', () => {
    expect(formatAddress('ipv4', netmask('ipv4', 20))).toBe('255.255.240.0');
    expect(netmask('ipv4', 0)).toBe(0n);
    expect(formatCidr(subnetOf(parseCidr('10.1.0.0/16')!, 20, 2n))).toBe('10.1.32.0/20');
    expect(formatCidr(subnetOf(parseCidr('fd00:fd12:3456:7890::/56')!, 72, 162n))).toBe('fd00:fd12:3456:7800:a200::/72');
    expect(formatCidr(previousPrefix(parseCidr('10.1.0.0/16')!, 20))).toBe('10.0.240.0/20');
    expect(formatCidr(previousPrefix(parseCidr('0.0.0.0/8')!, 8))).toBe('255.0.0.0/8');
    const after = nextPrefix(parseCidr('10.1.0.0/20')!, 24);
    expect([formatCidr(after.next), after.rollover]).toEqual(['10.1.16.0/24', false]);
    const last = nextPrefix(parseCidr('255.255.255.0/24')!, 24);
    expect([formatCidr(last.next), last.rollover]).toEqual(['0.0.0.0/24', true]);
  });
});

describe('CidrSet', () => {
  it('counts addresses: /0, /32 and /128', () => {
    expect(CidrSet.all('ipv4').size()).toBe(2n ** 32n);
    expect(CidrSet.all('ipv6').size()).toBe(2n ** 128n);
    expect(set('0.0.0.0/0').toCidrs()).toEqual(['0.0.0.0/0']);
    expect(set('::/0').toCidrs()).toEqual(['::/0']);
    expect(set('1.2.3.4/32').size()).toBe(1n);
    expect(set('::1/128').size()).toBe(1n);
    expect(CidrSet.empty().size()).toBe(0n);
    expect(CidrSet.empty().isEmpty()).toBe(true);
  });

  it('says 3.5.0.0/20 takes 4096 of the 8192 addresses of 3.5.0.0/19', () => {
    const s3 = set('3.5.0.0/19');
    const taken = s3.intersect(set('3.5.0.0/20'));
    expect(s3.size()).toBe(8192n);
    expect(taken.size()).toBe(4096n);
    expect(s3.subtract(taken).toCidrs()).toEqual(['3.5.16.0/20']);
  });

  it('merges overlapping and adjacent prefixes into the fewest CIDRs', () => {
    expect(set('10.0.0.128/25', '10.0.0.0/25').toCidrs()).toEqual(['10.0.0.0/24']);
    expect(set('10.0.0.0/24', '10.0.0.0/16').toCidrs()).toEqual(['10.0.0.0/16']);
    expect(set('10.0.1.0/24', '10.0.2.0/24').toCidrs()).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    const odd = CidrSet.fromRanges('ipv4', [[parseAddress('10.0.0.1')!.value, parseAddress('10.0.0.6')!.value]]);
    expect(odd.toCidrs()).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(odd.size()).toBe(6n);
  });

  it('subtracts holes and keeps both sides', () => {
    const rest = set('10.0.0.0/16').subtract(set('10.0.1.0/24', '10.0.3.0/24'));
    expect(rest.size()).toBe(65536n - 512n);
    expect(rest.contains('10.0.1.5')).toBe(false);
    expect(rest.contains('10.0.2.0/24')).toBe(true);
    expect(rest.toCidrs().slice(0, 3)).toEqual(['10.0.0.0/24', '10.0.2.0/24', '10.0.4.0/22']);
    expect(set('10.0.0.0/24').subtract(set('0.0.0.0/0')).isEmpty()).toBe(true);
  });

  it('keeps the families apart', () => {
    const both = set('10.0.0.0/8', '2600:1f60:8000::/39');
    expect(both.families()).toEqual(['ipv4', 'ipv6']);
    expect(both.size('ipv4')).toBe(2n ** 24n);
    expect(both.size('ipv6')).toBe(2n ** 89n);
    expect(both.intersect(CidrSet.all('ipv4')).families()).toEqual(['ipv4']);
    expect(both.only('ipv6').toCidrs()).toEqual(['2600:1f60:8000::/39']);
    expect(both.subtract(CidrSet.all('ipv6')).toCidrs()).toEqual(['10.0.0.0/8']);
    expect(both.toCidrs('ipv4')).toEqual(['10.0.0.0/8']);
  });

  it('answers contains, covers, overlaps and equals', () => {
    const s = set('3.5.0.0/19', '52.216.0.0/15');
    expect(s.contains('3.5.31.255')).toBe(true);
    expect(s.contains('3.5.32.0')).toBe(false);
    expect(s.contains('52.217.0.0/16')).toBe(true);
    expect(s.contains('52.216.0.0/14')).toBe(false);
    expect(s.contains('nonsense')).toBe(false);
    expect(s.covers(set('3.5.8.0/21'))).toBe(true);
    expect(s.covers(set('3.5.0.0/18'))).toBe(false);
    expect(s.overlaps(set('3.0.0.0/8'))).toBe(true);
    expect(s.overlaps(set('4.0.0.0/8'))).toBe(false);
    expect(set('10.0.0.0/25', '10.0.0.128/25').equals(set('10.0.0.0/24'))).toBe(true);
  });

  it('refuses invalid input on the trusted path and reports it on the other', () => {
    expect(() => CidrSet.fromCidrs(['10.0.0.0/8', '10.0.0.0/40'])).toThrow(/10\.0\.0\.0\/40/);
    expect(CidrSet.tryFromCidrs(['10.0.0.0/8', 'x'])).toBeUndefined();
    expect(() => CidrSet.fromRanges('ipv4', [[0n, 2n ** 32n]])).toThrow(RangeError);
  });

  it('handles thousands of prefixes quickly', () => {
    const cidrs: string[] = [];
    for (let i = 0; i < 4000; i++) cidrs.push(`${10 + (i % 200)}.${(i * 7) % 256}.${(i * 13) % 256}.0/24`);
    const start = performance.now();
    const a = CidrSet.fromCidrs(cidrs);
    const b = CidrSet.fromCidrs(cidrs.filter((_, i) => i % 3 === 0));
    const rest = a.subtract(b);
    expect(rest.union(b).equals(a)).toBe(true);
    expect(rest.intersect(b).isEmpty()).toBe(true);
    expect(rest.size() + b.size()).toBe(a.size());
    expect(a.toCidrs().length).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
