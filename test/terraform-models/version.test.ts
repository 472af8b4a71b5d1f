import { describe, expect, it } from 'vitest';
import { findModel, modelForSource } from '../../src/parsers/terraform/models/index.js';
import { TERRAFORM_AWS_VPC_RELEASES } from '../../src/parsers/terraform/models/releases.js';
import { admitsRelease, compareVersions, newestSatisfying, parseConstraint, parseVersion, satisfies } from '../../src/parsers/terraform/models/version.js';

const constraint = (text: string) => {
  const c = parseConstraint(text);
  if (!c) throw new Error(`not read: ${text}`);
  return c;
};
const version = (text: string) => {
  const v = parseVersion(text);
  if (!v) throw new Error(`not a version: ${text}`);
  return v;
};
const NEWEST = version('6.6.0');

describe('version constraints, read as Terraform reads a module version (hashicorp/go-version)', () => {
  it.each([
    // operators and conjunction
    ['>= 1.0, < 1.2', '1.1.5', true],
    ['< 1.0, < 1.2', '1.1.5', false],
    ['= 1.0', '1.1.5', false],
    ['= 1.0', '1.0.0', true],
    ['1.0', '1.0.0', true],
    ['v1.0.0', '1.0.0', true],
    ['!= 1.0.0', '1.0.0', false],
    ['!= 1.0.0', '1.0.1', true],
    ['> 1.0', '1.0.0', false],
    ['<= 1.0', '1.0.0', true],
    // ~> lets only the rightmost written segment grow
    ['~> 1.0', '2.0', false],
    ['~> 1.0', '1.1', true],
    ['~> 1.0', '1.2.3', true],
    ['~> 1.0.0', '1.2.3', false],
    ['~> 1.0.0', '1.0.7', true],
    ['~> 1.0.0', '1.1.0', false],
    ['~> 1.0.7', '1.0.4', false],
    ['~> 1.0.7', '1.0.8', true],
    ['~> 1.0.7', '1.0.7.5', true],
    ['~> 1.0.7', '1.0.6.99', false],
    ['~> 1.0.9.5', '1.0.9.6', true],
    ['~> 1.0.9.5', '1.0.9', false],
    ['~> 1', '1.0.0', true],
    ['~> 1', '7.3.0', true],
    ['~> 1', '0.9.0', false],
    // pre-releases match only conditions naming a pre-release of the same segments
    ['~> 2.0', '2.1.0-beta', false],
    ['~> 2.1.0-a', '2.2.0', false],
    ['~> 2.1.0-a', '2.1.0', false],
    ['~> 2.1.0-a', '2.1.0-beta', true],
    ['~> 2.1.0-a', '2.2.0-alpha', false],
    ['> 2.0', '2.1.0-beta', false],
    ['>= 2.1.0-a', '2.1.0-beta', true],
    ['>= 2.1.0-a', '2.1.1-beta', false],
    ['>= 2.0.0', '2.1.0-beta', false],
    ['>= 2.1.0-a', '2.1.1', true],
    ['>= 2.1.0-a', '2.1.0', true],
    ['<= 2.1.0-a', '2.0.0', true],
    ['= 2.1.0-beta', '2.1.0-beta', true],
  ])('%s is satisfied by %s: %s', (c, v, want) => {
    expect(satisfies(constraint(c), version(v))).toBe(want);
  });

  it('orders versions as go-version does', () => {
    const order = ['1.0.0-1', '1.0.0-alpha', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.0.0.1', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 0; i + 1 < order.length; i++) expect(compareVersions(version(order[i]!), version(order[i + 1]!)), `${order[i]} < ${order[i + 1]}`).toBe(-1);
    expect(compareVersions(version('5.0'), version('5.0.0'))).toBe(0);
    expect(compareVersions(version('v5.0.0+build.1'), version('5.0.0'))).toBe(0);
  });

  it.each([
    '',
    'latest',
    '>= 5.0,',
    ', >= 5.0',
    '5.x',
    '>= 1.x',
    '>== 5',
    '=> 5.0',
    '^5.0',
    '~5.0',
    '5.0 - 6.0',
    '>= 5.0 < 6.0',
    '11387778780781445675529500000000000000000',
  ])('does not read %j', (text) => {
    expect(parseConstraint(text)).toBeUndefined();
  });

  it('reads whitespace around operators and conditions the way go-version does', () => {
    expect(parseConstraint('>=5.0,<6')?.conditions).toHaveLength(2);
    expect(parseConstraint('  ~>  5.0  ')?.conditions).toHaveLength(1);
    expect(parseConstraint('1.0beta')?.conditions[0]!.version.pre).toBe('beta');
  });
});

describe('the release terraform init installs among those the vpc models cover', () => {
  it.each([
    // [constraint, chosen release or null, admits releases after 6.6.0]
    ['5.1.2', '5.1.2', false],
    ['= 5.1.2', '5.1.2', false],
    ['v5.1.2', '5.1.2', false],
    ['5.1', '5.1.0', false],
    ['~> 5.0', '5.21.1', false],
    ['~> 5.0.0', '5.0.0', false],
    ['~> 5.1.0', '5.1.2', false],
    ['~> 5.5', '5.21.1', false],
    ['~> 5.5.1', '5.5.3', false],
    ['~> 3.14', '3.19.0', false],
    ['~> 4.0', '4.0.2', false],
    ['~> 6.0', '6.6.0', true],
    ['~> 6.6.0', '6.6.0', true],
    ['~> 5', '6.6.0', true],
    ['>= 5.9.0', '6.6.0', true],
    ['>= 5.0.0', '6.6.0', true],
    ['>= 5.0, < 5.5', '5.4.0', false],
    ['>= 5.0,< 5.5.0', '5.4.0', false],
    ['>= 5.0, < 6.0', '5.21.1', false],
    ['>= 3.0, < 6', '5.21.1', false],
    ['> 5.9.9, < 6.1', '6.0.1', false],
    ['<= 5.9.0', '5.9.0', false],
    ['< 4', '3.19.0', false],
    ['< 7', '6.6.0', true],
    ['<= 6.6.0', '6.6.0', false],
    ['!= 6.6.0', '6.5.1', true],
    ['~> 6.0, != 6.6.0', '6.5.1', true],
    ['~> 5.21.0, != 5.21.1', '5.21.0', false],
    ['>= 5.0.0-beta1, < 6', '5.21.1', false],
    ['< 6.0.0-rc1', '5.21.1', false],
    ['~> 6.0.0-beta1', null, false],
    ['= 6.0.0-rc1', null, false],
    ['>= 99.0', null, true],
    ['~> 6.6.1', null, true],
    ['~> 2.70', null, false],
    ['< 3.0.0', null, false],
    ['5.3.5', null, false],
    ['~> 5.1.2.0', null, false],
    ['>= 6.0, < 5.0', null, false],
    ['= 5.0.0, != 5.0.0', null, false],
  ])('%s → %s (admits later releases: %s)', (text, want, beyond) => {
    const c = constraint(text);
    expect(newestSatisfying(c, TERRAFORM_AWS_VPC_RELEASES) ?? null).toBe(want);
    expect(admitsRelease(c, NEWEST)).toBe(beyond);
  });

  it('installs the newest release when there is no constraint, and a pre-release only when asked for exactly', () => {
    const published = ['1.0.0', '1.1.0-beta1', '0.9.0'];
    expect(newestSatisfying(undefined, published)).toBe('1.0.0');
    expect(newestSatisfying(constraint('>= 1.0'), published)).toBe('1.0.0');
    expect(newestSatisfying(constraint('= 1.1.0-beta1'), published)).toBe('1.1.0-beta1');
    expect(newestSatisfying(constraint('1.1.0-beta1'), published)).toBe('1.1.0-beta1');
    expect(newestSatisfying(constraint('>= 1.1.0-beta1'), published)).toBeUndefined();
    expect(newestSatisfying(constraint('~> 1.1.0-beta1'), published)).toBeUndefined();
    expect(newestSatisfying(constraint('< 1.0'), published)).toBe('0.9.0');
  });

  it('tells a constraint that admits no release at all from one that admits only releases the model does not cover', () => {
    expect(admitsRelease(constraint('>= 6.0, < 5.0'))).toBe(false);
    expect(admitsRelease(constraint('> 5.0.0, < 5.0.1'))).toBe(false);
    expect(admitsRelease(constraint('= 5.0.0, != 5.0.0'))).toBe(false);
    expect(admitsRelease(constraint('>= 5.0.0, <= 5.0.2, != 5.0.0, != 5.0.1'))).toBe(true);
    expect(admitsRelease(constraint('~> 2.70'))).toBe(true);
    expect(admitsRelease(constraint('>= 6.6.0, != 6.6.1, != 6.6.2'), NEWEST)).toBe(true);
    expect(admitsRelease(constraint('>= 6.6.0, <= 6.6.1, != 6.6.1'), NEWEST)).toBe(false);
  });

  it('lists every release from 3.0.0 to 6.6.0 once, oldest first, with no pre-release', () => {
    const parsed = TERRAFORM_AWS_VPC_RELEASES.map(version);
    expect(TERRAFORM_AWS_VPC_RELEASES[0]).toBe('3.0.0');
    expect(TERRAFORM_AWS_VPC_RELEASES.at(-1)).toBe('6.6.0');
    for (let i = 0; i + 1 < parsed.length; i++) expect(compareVersions(parsed[i]!, parsed[i + 1]!)).toBe(-1);
    expect(parsed.every((v) => v.pre === '' && v.written === 3)).toBe(true);
    expect([...new Set(parsed.map((v) => v.segments[0]))]).toEqual([3, 4, 5, 6]);
  });
});

describe('findModel', () => {
  it('recognises the registry module and its vpc-endpoints submodule, with or without the registry host', () => {
    expect(modelForSource('terraform-aws-modules/vpc/aws')?.model.id).toBe('terraform-aws-modules/vpc/aws');
    expect(modelForSource('registry.terraform.io/terraform-aws-modules/vpc/aws')?.model.id).toBe('terraform-aws-modules/vpc/aws');
    expect(modelForSource('Terraform-AWS-Modules/VPC/AWS')?.model.id).toBe('terraform-aws-modules/vpc/aws');
    expect(modelForSource('terraform-aws-modules/vpc/aws//modules/vpc-endpoints')?.model.id).toBe('terraform-aws-modules/vpc/aws//modules/vpc-endpoints');
    expect(modelForSource('terraform-aws-modules/vpc/aws//modules/flow-log')).toBeUndefined();
    expect(modelForSource('terraform-aws-modules/eks/aws')).toBeUndefined();
    expect(modelForSource('someone/vpc/aws')).toBeUndefined();
  });

  it('models the newest covered release an open-ended constraint admits, and says that a later one may be installed', () => {
    const r = findModel('terraform-aws-modules/vpc/aws', '>= 5.9.0');
    expect(r).toMatchObject({ matched: true, version: '6.6.0', major: 6 });
    expect(r.reason).toContain('the newest covered version that `>= 5.9.0` admits');
    expect(r.reason).toContain('also admits releases after 6.6.0');
    const sub = findModel('terraform-aws-modules/vpc/aws//modules/vpc-endpoints', '>= 5.0.0');
    expect(sub).toMatchObject({ matched: true, version: '6.6.0', major: 6 });
  });

  it('models the newest release of a closed range without a caveat', () => {
    const r = findModel('terraform-aws-modules/vpc/aws', '~> 5.0');
    expect(r).toMatchObject({ matched: true, version: '5.21.1', major: 5 });
    expect(r.reason).toBe('the newest covered version that `~> 5.0` admits');
    expect(findModel('terraform-aws-modules/vpc/aws', '>= 3.0, < 6')).toMatchObject({ matched: true, version: '5.21.1', major: 5 });
    expect(findModel('terraform-aws-modules/vpc/aws', '3.7.0')).toMatchObject({ matched: true, version: '3.7.0', major: 3 });
  });

  it('models the newest covered release when the call has no constraint, and says a later one may be published', () => {
    const r = findModel('terraform-aws-modules/vpc/aws', undefined);
    expect(r).toMatchObject({ matched: true, version: '6.6.0', major: 6 });
    expect(r.reason).toContain('no version constraint');
    expect(r.reason).toContain('unless a later one has been published');
  });

  it('recognises the module repository on GitHub and reads a release tag as the exact release', () => {
    const tagged = findModel('git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git//modules/vpc-endpoints?ref=v5.1.2', undefined);
    expect(tagged).toMatchObject({ matched: true, version: '5.1.2', major: 5 });
    expect(tagged.model?.id).toBe('terraform-aws-modules/vpc/aws//modules/vpc-endpoints');
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc?ref=v3.19.0', undefined)).toMatchObject({ matched: true, version: '3.19.0' });
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc', undefined)).toMatchObject({ matched: true, version: '6.6.0' });
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc?ref=main', undefined)).toMatchObject({ matched: false });
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc?ref=v9.0.0', undefined).reason).toContain(
      'not among the releases the model covers (3.0.0 to 6.6.0)',
    );
    expect(findModel('github.com/someone/terraform-aws-vpc?ref=v5.0.0', undefined).model).toBeUndefined();
  });

  it.each([
    ['>= 99.0', 'admits only releases after 6.6.0, the newest the model covers'],
    ['~> 2.0', 'admits none of the releases the model covers (3.0.0 to 6.6.0)'],
    ['= 7.0.0-rc1', 'asks for the pre-release 7.0.0-rc1'],
    ['>= 6.0, < 5.0', 'admits no version at all'],
    ['latest', 'is not a valid Terraform version constraint'],
  ])('does not apply when the constraint %j admits no covered release, and says why', (text, why) => {
    const r = findModel('terraform-aws-modules/vpc/aws', text);
    expect(r.matched).toBe(false);
    expect(r.model?.id).toBe('terraform-aws-modules/vpc/aws');
    expect(r.reason).toContain(why);
  });

  it('does not apply when the constraint is not a literal string', () => {
    expect(findModel('terraform-aws-modules/vpc/aws', null)).toMatchObject({ matched: false, reason: 'its version constraint is not a literal string' });
  });
});
