import { describe, expect, it } from 'vitest';
import { findModel, modelForSource } from '../../src/parsers/terraform/models/index.js';
import { majorCoverage, parseConstraint } from '../../src/parsers/terraform/models/version.js';

const MAJORS = [3, 4, 5, 6];
const coverage = (text: string) => {
  const c = parseConstraint(text);
  if (!c) throw new Error(`not read: ${text}`);
  return majorCoverage(c, MAJORS);
};

describe('version constraints (go-version semantics, as Terraform reads module versions)', () => {
  it.each([
    ['5.1.2', [5], false],
    ['= 5.1.2', [5], false],
    ['v5.1.2', [5], false],
    ['~> 5.0', [5], false],
    ['~> 5.1.2', [5], false],
    ['~> 5', [5, 6], true],
    ['>= 3.0, < 6', [3, 4, 5], false],
    ['>= 3.0,< 6.0.0', [3, 4, 5], false],
    ['>=4.0.0, <=5.9.9', [4, 5], false],
    ['> 5.9.9, < 6.1', [5, 6], false],
    ['>= 5.0', [5, 6], true],
    ['< 4', [3], true],
    ['~> 6.0', [6], false],
    ['~> 2.70', [], true],
    ['>= 3.0, < 4, != 3.1.0', [3], false],
  ])('%s allows majors %j (beyond 3.x–6.x: %s)', (text, majors, outside) => {
    const c = coverage(text);
    expect(c.majors).toEqual(majors);
    expect(c.outside).toBe(outside);
  });

  it('treats an exclusion as excluding only that version', () => {
    expect(coverage('= 5.0.0, != 5.0.0').empty).toBe(true);
    expect(coverage('>= 5.0.0, <= 5.0.1, != 5.0.0').majors).toEqual([5]);
  });

  it('sees contradictory constraints as allowing nothing', () => {
    expect(coverage('>= 6.0, < 5.0').empty).toBe(true);
    expect(coverage('> 5.0.0, < 5.0.1').empty).toBe(true);
  });

  it.each(['', 'latest', '~> 5.0.0-beta1', '>= 5.0,', '5.x', '>== 5'])('does not read %j', (text) => {
    expect(parseConstraint(text)).toBeUndefined();
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

  it('recognises the module repository on GitHub and reads a release tag as the exact version', () => {
    const tagged = findModel('git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git//modules/vpc-endpoints?ref=v5.1.2', undefined);
    expect(tagged).toMatchObject({ matched: true, majors: [5] });
    expect(tagged.model?.id).toBe('terraform-aws-modules/vpc/aws//modules/vpc-endpoints');
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc?ref=v3.19.0', undefined)).toMatchObject({ matched: true, majors: [3] });
    expect(findModel('github.com/terraform-aws-modules/terraform-aws-vpc?ref=main', undefined)).toMatchObject({ matched: false });
    expect(findModel('github.com/someone/terraform-aws-vpc?ref=v5.0.0', undefined).model).toBeUndefined();
  });

  it('models the latest major when the call has no constraint, and says so', () => {
    const r = findModel('terraform-aws-modules/vpc/aws', undefined);
    expect(r).toMatchObject({ matched: true, majors: [6] });
    expect(r.reason).toContain('no version constraint');
  });

  it('does not apply when the constraint reaches versions it does not cover, or cannot be read', () => {
    expect(findModel('terraform-aws-modules/vpc/aws', '~> 2.0')).toMatchObject({ matched: false });
    expect(findModel('terraform-aws-modules/vpc/aws', '>= 5.0')).toMatchObject({ matched: false });
    expect(findModel('terraform-aws-modules/vpc/aws', 'latest')).toMatchObject({ matched: false });
    expect(findModel('terraform-aws-modules/vpc/aws', null)).toMatchObject({ matched: false });
    expect(findModel('terraform-aws-modules/vpc/aws', '>= 3.0, < 6')).toMatchObject({ matched: true, majors: [3, 4, 5] });
  });
});
