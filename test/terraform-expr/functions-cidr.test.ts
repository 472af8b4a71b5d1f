import { describe, expect, it } from 'vitest';
import { unknown } from '../../src/source/value.js';
import { err, ok, unknownReason, vpcId } from './helpers.js';

// Expected values are the examples of Terraform's function documentation.
describe('cidrsubnet', () => {
  it('matches the documented IPv4 and IPv6 examples', async () => {
    expect(await ok('cidrsubnet("172.16.0.0/12", 4, 2)')).toBe('172.18.0.0/16');
    expect(await ok('cidrsubnet("10.1.2.0/24", 4, 15)')).toBe('10.1.2.240/28');
    expect(await ok('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)')).toBe('fd00:fd12:3456:7800:a200::/72');
  });

  it('ignores host bits of the prefix and reads leading-zero octets as decimal', async () => {
    expect(await ok('cidrsubnet("10.1.2.5/24", 4, 15)')).toBe('10.1.2.240/28');
    expect(await ok('cidrsubnet("010.001.0.0/16", 8, 1)')).toBe('10.1.1.0/24');
  });

  it('formats IPv6 results as Go does', async () => {
    expect(await ok('cidrsubnet("2001:db8::/32", 16, 0)')).toBe('2001:db8::/48');
    expect(await ok('cidrsubnet("2001:db8::/56", 8, 1)')).toBe('2001:db8:0:1::/64');
    expect(await ok('cidrsubnet("::/0", 1, 1)')).toBe('8000::/1');
    expect(await ok('cidrsubnet("2001:db8:0:0:1::/80", 0, 0)')).toBe('2001:db8:0:0:1::/80');
    expect(await ok('cidrsubnet("2001:db8:0:0:1:0:0:1/128", 0, 0)')).toBe('2001:db8::1:0:0:1/128');
    expect(await ok('cidrsubnet("::ffff:10.0.0.0/120", 4, 1)')).toBe('10.0.0.16/124');
  });

  it('builds subnets for every AZ in a for expression', async () => {
    expect(await ok('[for i, az in var.azs : cidrsubnet(var.cidr, 8, i + 10)]', { var: { azs: ['a', 'b'], cidr: '10.0.0.0/16' } })).toEqual([
      '10.0.10.0/24',
      '10.0.11.0/24',
    ]);
  });

  it('reports prefixes that cannot be extended', async () => {
    expect(await err('cidrsubnet("10.0.0.0/30", 4, 0)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnet" failed: insufficient address space to extend prefix of 30 by 4.',
    );
    expect(await err('cidrsubnet("10.0.0.0/24", 2, 4)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnet" failed: prefix extension of 2 does not accommodate a subnet numbered 4.',
    );
    expect(await err('cidrsubnet("10.0.0.0", 2, 1)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnet" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0.',
    );
    expect(await err('cidrsubnet("10.0.0.300/24", 2, 1)', 'tf-function-error')).toContain('invalid CIDR address');
    // Go's parser, which Terraform uses, allows an embedded IPv4 address only at the end.
    expect(await err('cidrsubnet("1.2.3.4::/64", 0, 0)', 'tf-function-error')).toContain('invalid CIDR address: 1.2.3.4::/64');
    expect(await err('cidrsubnet("10.0.0.0/24", 1.5, 1)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnet" failed: invalid value for "newbits" parameter: a whole number is required, got 1.5.',
    );
  });

  it('is Unknown for Unknown arguments and for reference strings', async () => {
    expect(await unknownReason('cidrsubnet(var.c, 8, 1)', { var: { c: unknown('from a remote state') } })).toBe('from a remote state');
    expect(await unknownReason('cidrsubnet(aws_vpc.main.cidr_block, 8, 1)', { aws_vpc: { main: { cidr_block: vpcId } } })).toBe(
      'aws_vpc.main.id is known only after apply',
    );
  });
});

describe('cidrsubnets', () => {
  it('matches the documented examples', async () => {
    expect(await ok('cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)')).toEqual(['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    expect(await ok('cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)')).toEqual([
      'fd00:fd12:3456:7800::/72',
      'fd00:fd12:3456:7800:100::/72',
      'fd00:fd12:3456:7800:200::/72',
      'fd00:fd12:3456:7800:300::/88',
    ]);
    expect(await ok('[for cidr_block in cidrsubnets("10.0.0.0/8", 8, 8, 8, 8) : cidrsubnets(cidr_block, 4, 4)]')).toEqual([
      ['10.0.0.0/20', '10.0.16.0/20'],
      ['10.1.0.0/20', '10.1.16.0/20'],
      ['10.2.0.0/20', '10.2.16.0/20'],
      ['10.3.0.0/20', '10.3.16.0/20'],
    ]);
  });

  it('returns an empty list without newbits and accepts an expanded list', async () => {
    expect(await ok('cidrsubnets("10.0.0.0/16")')).toEqual([]);
    expect(await ok('cidrsubnets("10.0.0.0/16", [8, 8]...)')).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });

  it('reports exhausted space and invalid extensions', async () => {
    expect(await err('cidrsubnets("10.0.0.0/24", 1, 1, 1)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnets" failed: not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25.',
    );
    expect(await err('cidrsubnets("10.0.0.0/24", 0)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnets" failed: invalid value for "newbits" argument 1: must extend prefix by at least one bit.',
    );
    expect(await err('cidrsubnets("10.0.0.0/24", 9)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnets" failed: invalid value for "newbits" argument 1: would extend prefix to 33 bits, which is too long for an IPv4 address.',
    );
    expect(await err('cidrsubnets("2001:db8::/32", 33)', 'tf-function-error')).toBe(
      'Call to function "cidrsubnets" failed: invalid value for "newbits" argument 1: may not extend prefix by more than 32 bits.',
    );
  });
});

describe('cidrhost', () => {
  it('matches the documented examples', async () => {
    expect(await ok('cidrhost("10.12.112.0/20", 16)')).toBe('10.12.112.16');
    expect(await ok('cidrhost("10.12.112.0/20", 268)')).toBe('10.12.113.12');
    expect(await ok('cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)')).toBe('fd00:fd12:3456:7890::22');
  });

  it('counts negative host numbers from the end of the range', async () => {
    expect(await ok('cidrhost("10.0.0.0/24", -1)')).toBe('10.0.0.255');
    expect(await ok('cidrhost("10.0.0.0/24", -256)')).toBe('10.0.0.0');
    expect(await ok('cidrhost("10.0.0.0/24", 255)')).toBe('10.0.0.255');
  });

  it('reports host numbers outside the prefix', async () => {
    expect(await err('cidrhost("10.0.0.0/30", 4)', 'tf-function-error')).toBe(
      'Call to function "cidrhost" failed: prefix of 30 does not accommodate a host numbered 4.',
    );
    await err('cidrhost("10.0.0.0/30", -5)', 'tf-function-error');
  });
});

describe('cidrnetmask', () => {
  it('converts IPv4 prefixes and refuses IPv6', async () => {
    expect(await ok('cidrnetmask("172.16.0.0/12")')).toBe('255.240.0.0');
    expect(await ok('cidrnetmask("10.0.0.0/32")')).toBe('255.255.255.255');
    expect(await ok('cidrnetmask("0.0.0.0/0")')).toBe('0.0.0.0');
    expect(await err('cidrnetmask("fd00::/8")', 'tf-function-error')).toBe(
      'Call to function "cidrnetmask" failed: IPv6 addresses cannot have a netmask: fd00::/8.',
    );
  });
});
