import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCloudFormation, type CfnResource, type CfnTemplate, type LoadOptions } from '../../src/parsers/cloudformation/index.js';
import { isUnknown, type Value } from '../../src/source/value.js';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/cloudformation');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function loadFixture(name: string, options?: LoadOptions): CfnTemplate {
  return loadCloudFormation(name, fixture(name), options);
}

export function resource(t: CfnTemplate, id: string): CfnResource {
  const r = t.resources.find((x) => x.logicalId === id);
  if (!r) throw new Error(`no resource ${id} in ${t.file}: ${t.resources.map((x) => x.logicalId).join(', ')}`);
  return r;
}

export function codes(t: CfnTemplate): string[] {
  return t.diagnostics.map((d) => d.code);
}

/** The reason of an Unknown, or a marker that the value is known (so a failing test shows what it got). */
export function reasonOf(v: Value | undefined): string {
  return isUnknown(v) ? v.reason : `known: ${JSON.stringify(v)}`;
}

/**
 * A template around one expression: `V: <expr>` in the properties of resource R, with parameters, a mapping and
 * conditions the expression can use.
 */
export function templateWith(expr: string, extraResources = ''): string {
  return `Parameters:
  Env:
    Type: String
    Default: prod
  Subnets:
    Type: CommaDelimitedList
    Default: "subnet-a, subnet-b"
  Count:
    Type: Number
    Default: 3
Mappings:
  RegionMap:
    us-east-1:
      Ami: ami-1
      Zones: [a, b]
    eu-west-1:
      Ami: ami-2
      Zones: [a, b]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  ProdNotDev: !And [!Condition IsProd, !Not [{ Condition: IsDev }]]
  ProdOrDev: !Or [!Condition IsDev, !Condition IsProd]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  R:
    Type: AWS::Test::Thing
    Properties:
      V: ${expr}
${extraResources}`;
}

export function valueOf(expr: string, options?: LoadOptions): { value: Value | undefined; template: CfnTemplate } {
  const template = loadCloudFormation('t.yaml', templateWith(expr), options);
  const r = template.resources.find((x) => x.logicalId === 'R');
  return { value: r?.properties['V'], template };
}
