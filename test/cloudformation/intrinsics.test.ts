import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../src/parsers/cloudformation/index.js';
import { SYMBOLIC_REGION } from '../../src/source/region.js';
import { isUnknown, makeRef, type Value } from '../../src/source/value.js';
import { codes, reasonOf, resource, templateWith, valueOf } from './helpers.js';

/** The line of `V: <expr>` in the test template. */
const V_LINE =
  templateWith('EXPR')
    .split('\n')
    .findIndex((l) => l.includes('V: EXPR')) + 1;

const REGION = { region: 'us-east-1' };

/** [name, short form, long form, expected value]: both forms must give the value, with no diagnostic. */
const BOTH_FORMS: Array<[string, string, string, Value]> = [
  ['Ref to a parameter', '!Ref Env', '{ "Ref": "Env" }', 'prod'],
  ['Ref to a resource', '!Ref Vpc', '{ "Ref": "Vpc" }', makeRef('Vpc', 'Ref')],
  ['Ref to a list parameter', '!Ref Subnets', '{ "Ref": "Subnets" }', ['subnet-a', 'subnet-b']],
  ['Ref to a Number parameter (a string, as Ref gives it)', '!Ref Count', '{ "Ref": "Count" }', '3'],
  ['Fn::GetAtt, Resource.Attribute', '!GetAtt Vpc.CidrBlock', '{ "Fn::GetAtt": "Vpc.CidrBlock" }', makeRef('Vpc', 'CidrBlock')],
  ['Fn::GetAtt, list', '!GetAtt [Vpc, DefaultSecurityGroup]', '{ "Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"] }', makeRef('Vpc', 'DefaultSecurityGroup')],
  ['Fn::GetAtt, dotted attribute', '!GetAtt Vpc.Outputs.Name', '{ "Fn::GetAtt": ["Vpc", "Outputs.Name"] }', makeRef('Vpc', 'Outputs.Name')],
  [
    'Fn::GetAtt with a computed attribute',
    '!GetAtt [Vpc, !Sub "Cidr${Env}"]',
    '{ "Fn::GetAtt": ["Vpc", { "Fn::Sub": "Cidr${Env}" }] }',
    makeRef('Vpc', 'Cidrprod'),
  ],
  ['Fn::Sub, string', '!Sub "${Env}-${AWS::Region}"', '{ "Fn::Sub": "${Env}-${AWS::Region}" }', 'prod-us-east-1'],
  [
    'Fn::Sub, with variables',
    '!Sub ["${A}/${Env}", { A: !Select [1, !Ref Subnets] }]',
    '{ "Fn::Sub": ["${A}/${Env}", { "A": { "Fn::Select": [1, { "Ref": "Subnets" }] } }] }',
    'subnet-b/prod',
  ],
  ['Fn::Sub, ${!Literal}', '!Sub "${!Literal}-${Env}"', '{ "Fn::Sub": "${!Literal}-${Env}" }', '${Literal}-prod'],
  ['Fn::Sub, one reference', '!Sub "${Vpc.CidrBlock}"', '{ "Fn::Sub": "${Vpc.CidrBlock}" }', makeRef('Vpc', 'CidrBlock')],
  ['Fn::Sub, one resource', '!Sub "${Vpc}"', '{ "Fn::Sub": "${Vpc}" }', makeRef('Vpc', 'Ref')],
  ['Fn::Join', '!Join [",", [a, !Ref Env, 3]]', '{ "Fn::Join": [",", ["a", { "Ref": "Env" }, 3]] }', 'a,prod,3'],
  ['Fn::Join of a list parameter', '!Join ["|", !Ref Subnets]', '{ "Fn::Join": ["|", { "Ref": "Subnets" }] }', 'subnet-a|subnet-b'],
  ['Fn::Join of exactly one reference', '!Join ["", [!Ref Vpc]]', '{ "Fn::Join": ["", [{ "Ref": "Vpc" }]] }', makeRef('Vpc', 'Ref')],
  ['Fn::Join without AWS::NoValue items', '!Join ["-", [a, !Ref AWS::NoValue, b]]', '{ "Fn::Join": ["-", ["a", { "Ref": "AWS::NoValue" }, "b"]] }', 'a-b'],
  ['Fn::Select', '!Select [1, [a, b, c]]', '{ "Fn::Select": [1, ["a", "b", "c"]] }', 'b'],
  ['Fn::Select, index as a string', '!Select ["0", !Ref Subnets]', '{ "Fn::Select": ["0", { "Ref": "Subnets" }] }', 'subnet-a'],
  ['Fn::Select keeps references', '!Select [1, [a, !Ref Vpc]]', '{ "Fn::Select": [1, ["a", { "Ref": "Vpc" }]] }', makeRef('Vpc', 'Ref')],
  ['Fn::Split', '!Split [",", "a,b,,c"]', '{ "Fn::Split": [",", "a,b,,c"] }', ['a', 'b', '', 'c']],
  [
    'Fn::Select of Fn::Split',
    '!Select [2, !Split ["-", !Sub "x-${Env}-y"]]',
    '{ "Fn::Select": [2, { "Fn::Split": ["-", { "Fn::Sub": "x-${Env}-y" }] }] }',
    'y',
  ],
  ['Fn::If, true', '!If [IsProd, big, small]', '{ "Fn::If": ["IsProd", "big", "small"] }', 'big'],
  ['Fn::If, false', '!If [IsDev, big, small]', '{ "Fn::If": ["IsDev", "big", "small"] }', 'small'],
  ['Fn::If with Fn::And and Condition', '!If [ProdNotDev, yes, no]', '{ "Fn::If": ["ProdNotDev", "yes", "no"] }', 'yes'],
  ['Fn::If with Fn::Or', '!If [ProdOrDev, yes, no]', '{ "Fn::If": ["ProdOrDev", "yes", "no"] }', 'yes'],
  ['Fn::Equals', '!Equals [!Ref Count, 3]', '{ "Fn::Equals": [{ "Ref": "Count" }, 3] }', true],
  ['Fn::Equals, strings differ', '!Equals [a, b]', '{ "Fn::Equals": ["a", "b"] }', false],
  ['Fn::And', '!And [!Equals [a, a], !Equals [b, c]]', '{ "Fn::And": [{ "Fn::Equals": ["a", "a"] }, { "Fn::Equals": ["b", "c"] }] }', false],
  ['Fn::Or', '!Or [!Equals [a, b], !Condition IsProd]', '{ "Fn::Or": [{ "Fn::Equals": ["a", "b"] }, { "Condition": "IsProd" }] }', true],
  ['Fn::Not', '!Not [!Equals [a, b]]', '{ "Fn::Not": [{ "Fn::Equals": ["a", "b"] }] }', true],
  ['Condition', '!Condition IsDev', '{ "Fn::If": ["IsDev", true, false] }', false],
  ['Fn::FindInMap', '!FindInMap [RegionMap, !Ref AWS::Region, Ami]', '{ "Fn::FindInMap": ["RegionMap", { "Ref": "AWS::Region" }, "Ami"] }', 'ami-1'],
  ['Fn::FindInMap, list value', '!FindInMap [RegionMap, eu-west-1, Zones]', '{ "Fn::FindInMap": ["RegionMap", "eu-west-1", "Zones"] }', ['a', 'b']],
  [
    'Fn::FindInMap with DefaultValue',
    '!FindInMap [RegionMap, ap-south-1, Ami, { DefaultValue: ami-0 }]',
    '{ "Fn::FindInMap": ["RegionMap", "ap-south-1", "Ami", { "DefaultValue": "ami-0" }] }',
    'ami-0',
  ],
  ['Fn::Base64', '!Base64 "hello ${x}"', '{ "Fn::Base64": "hello ${x}" }', 'aGVsbG8gJHt4fQ=='],
  ['Fn::Base64 of Fn::Sub', '!Base64 { "Fn::Sub": "${Env}" }', '{ "Fn::Base64": { "Fn::Sub": "${Env}" } }', 'cHJvZA=='],
  [
    'Fn::Cidr',
    '!Cidr ["192.168.0.0/24", 6, 5]',
    '{ "Fn::Cidr": ["192.168.0.0/24", "6", "5"] }',
    ['192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27', '192.168.0.96/27', '192.168.0.128/27', '192.168.0.160/27'],
  ],
  [
    'Fn::Cidr, IPv6',
    '!Cidr ["2600:1f14:abc:de00::/56", 2, 64]',
    '{ "Fn::Cidr": ["2600:1f14:abc:de00::/56", 2, 64] }',
    ['2600:1f14:abc:de00::/64', '2600:1f14:abc:de01::/64'],
  ],
  [
    'Fn::Cidr of a VPC CidrBlock',
    '!Select [3, !Cidr [!GetAtt Vpc.CidrBlock, 4, 12]]',
    '{ "Fn::Select": [3, { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 4, 12] }] }',
    '10.0.48.0/20',
  ],
  ['Fn::GetAZs, current region', "!GetAZs ''", '{ "Fn::GetAZs": "" }', ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']],
  [
    'Fn::GetAZs, Ref AWS::Region',
    '!GetAZs { Ref: AWS::Region }',
    '{ "Fn::GetAZs": { "Ref": "AWS::Region" } }',
    ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
  ],
  ['Fn::GetAZs, named region', '!GetAZs eu-west-1', '{ "Fn::GetAZs": "eu-west-1" }', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
  [
    'Fn::ToJsonString',
    '!ToJsonString { a: [1, "x"], b: !Ref Env }',
    '{ "Fn::ToJsonString": { "a": [1, "x"], "b": { "Ref": "Env" } } }',
    '{"a":[1,"x"],"b":"prod"}',
  ],
  ['Fn::Length', '!Length [a, b, c]', '{ "Fn::Length": ["a", "b", "c"] }', 3],
  ['Fn::Length of a list parameter', '!Length { Ref: Subnets }', '{ "Fn::Length": { "Ref": "Subnets" } }', 2],
];

describe('intrinsic functions in short and long form', () => {
  it.each(BOTH_FORMS)('%s', (_name, short, long, expected) => {
    for (const expr of [short, long]) {
      const { value, template } = valueOf(expr, REGION);
      expect(template.diagnostics, expr).toEqual([]);
      expect(value, expr).toEqual(expected);
    }
  });

  it('reads long forms in a JSON file', () => {
    const json = JSON.stringify(
      {
        Resources: {
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
          Subnet: {
            Type: 'AWS::EC2::Subnet',
            Properties: {
              VpcId: { Ref: 'Vpc' },
              CidrBlock: { 'Fn::Select': [0, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 2, 8] }] },
              AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
            },
          },
        },
      },
      null,
      2,
    );
    const t = loadCloudFormation('t.json', json, REGION);
    expect(resource(t, 'Subnet').properties).toEqual({ VpcId: makeRef('Vpc', 'Ref'), CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1b' });
    expect(t.diagnostics).toEqual([]);
  });
});

describe('what cannot be computed is Unknown, with the reason', () => {
  it('a reference inside a larger string', () => {
    expect(reasonOf(valueOf('!Sub "arn:aws:s3:::${Vpc}/*"').value)).toBe(
      'Fn::Sub "arn:aws:s3:::${Vpc}/*" embeds Vpc.Ref, which is known only after deployment',
    );
    expect(reasonOf(valueOf('!Join ["-", [!Ref Vpc, x]]').value)).toMatch(/^Fn::Join with "-" embeds Vpc\.Ref/);
  });

  it('Fn::ImportValue is external', () => {
    const { value, template } = valueOf('!ImportValue Shared-VpcId');
    expect(reasonOf(value)).toBe('external: import Shared-VpcId');
    expect(codes(template)).toEqual(['cfn-import-value']);
    const sub = valueOf('{ "Fn::ImportValue": { "Fn::Sub": "${AWS::StackName}-Vpc" } }');
    expect(reasonOf(sub.value)).toBe('external: import ${AWS::StackName}-Vpc');
  });

  it('Fn::Transform and AWS::Include are not expanded', () => {
    const { value, template } = valueOf('!Transform { Name: AWS::Include, Parameters: { Location: "s3://b/k" } }');
    expect(isUnknown(value)).toBe(true);
    expect(codes(template)).toEqual(['cfn-include-not-expanded']);
    const macro = valueOf('{ "Fn::Transform": { "Name": "MyMacro" } }');
    expect(reasonOf(macro.value)).toBe('Fn::Transform MyMacro is not expanded');
    expect(codes(macro.template)).toEqual(['cfn-transform-not-expanded']);
  });

  it('Fn::ToJsonString of a reference', () => {
    expect(reasonOf(valueOf('!ToJsonString { a: !Ref Vpc }').value)).toMatch(/holding Vpc\.Ref/);
  });

  it('Fn::Cidr of a block known only after deployment', () => {
    expect(reasonOf(valueOf('!Cidr [!GetAtt Vpc.Ipv6CidrBlock, 2, 64]').value)).toBe('Vpc.Ipv6CidrBlock is known only after deployment');
  });

  it('Fn::Select from a list known only after deployment', () => {
    expect(reasonOf(valueOf('!Select [0, !GetAtt Vpc.Ipv6CidrBlocks]').value)).toBe('item 0 of Vpc.Ipv6CidrBlocks is known only after deployment');
  });

  it('unknown functions and tags are reported', () => {
    const fn = valueOf('{ "Fn::Frobnicate": [1] }');
    expect(reasonOf(fn.value)).toBe('Fn::Frobnicate is not supported');
    expect(fn.template.diagnostics).toMatchObject([{ code: 'cfn-unsupported-function', line: V_LINE, column: 10 }]);
    const tag = valueOf('!Frobnicate x');
    expect(isUnknown(tag.value)).toBe(true);
    expect(tag.template.diagnostics).toMatchObject([{ code: 'cfn-unsupported-function', line: V_LINE, column: 10 }]);
  });
});

describe('invalid uses are reported with their line', () => {
  it('Ref and GetAtt to undefined names', () => {
    for (const expr of ['!Ref Nope', '!GetAtt Nope.Arn', '!GetAtt Env.Arn', '!Sub "${Nope}"', '!Ref AWS::Nope']) {
      const { value, template } = valueOf(expr);
      expect(isUnknown(value), expr).toBe(true);
      expect(template.diagnostics, expr).toMatchObject([{ code: 'cfn-invalid-reference', severity: 'warning', line: V_LINE, file: 't.yaml' }]);
    }
  });

  it('Fn::Select out of range', () => {
    const { value, template } = valueOf('!Select [3, [a, b]]');
    expect(reasonOf(value)).toBe('Fn::Select index 3 is out of range');
    expect(template.diagnostics).toMatchObject([{ code: 'cfn-select-out-of-range', line: V_LINE, column: 10 }]);
  });

  it('malformed arguments', () => {
    for (const expr of [
      '!Join [","]',
      '!Select [a, [1]]',
      '!Split [",", [1]]',
      '!If [IsProd, a]',
      '!Equals [a]',
      '!Length x',
      '!GetAtt NoDot',
      '!Sub [1, 2]',
      '!ToJsonString x',
    ]) {
      const { value, template } = valueOf(expr);
      expect(isUnknown(value), expr).toBe(true);
      expect(codes(template), expr).toEqual(['cfn-invalid-intrinsic']);
    }
  });

  it('Fn::Cidr that does not fit', () => {
    for (const expr of [
      '!Cidr ["10.0.0.0/24", 9, 5]',
      '!Cidr ["10.0.0.0/24", 1, 9]',
      '!Cidr ["10.0.0.0/24", 0, 4]',
      '!Cidr ["not-a-cidr", 1, 4]',
      '!Cidr ["10.0.0.0/8", 257, 4]',
    ]) {
      const { value, template } = valueOf(expr);
      expect(isUnknown(value), expr).toBe(true);
      expect(codes(template), expr).toEqual(['cfn-invalid-cidr']);
    }
  });

  it('Fn::FindInMap with a missing key or mapping', () => {
    const key = valueOf('!FindInMap [RegionMap, us-east-1, Nope]');
    expect(reasonOf(key.value)).toBe('mapping RegionMap has no us-east-1.Nope');
    expect(codes(key.template)).toEqual(['cfn-mapping-key-missing']);
    const map = valueOf('!FindInMap [Nope, a, b]');
    expect(codes(map.template)).toEqual(['cfn-invalid-reference']);
  });
});

describe('AWS::NoValue', () => {
  it('removes a property', () => {
    const { value, template } = valueOf('!Ref AWS::NoValue');
    expect(value).toBeUndefined();
    expect(Object.keys(resource(template, 'R').properties)).toEqual([]);
    expect(resource(template, 'R').propertySpans['V']).toBeUndefined();
  });

  it('removes a property through Fn::If', () => {
    const { template } = valueOf('!If [IsDev, x, !Ref AWS::NoValue]');
    expect(resource(template, 'R').properties).toEqual({});
  });

  it('removes a list item', () => {
    expect(valueOf('[a, !If [IsProd, !Ref AWS::NoValue, b], c]').value).toEqual(['a', 'c']);
    expect(valueOf('{ "x": [{ "Ref": "AWS::NoValue" }] }').value).toEqual({ x: [] });
  });
});

describe('symbolic region', () => {
  it('flows through strings and availability zones', () => {
    expect(valueOf('!Sub "com.amazonaws.${AWS::Region}.s3"').value).toBe(`com.amazonaws.${SYMBOLIC_REGION}.s3`);
    // Symbolic zones: <region>a, <region>b, <region>c.
    expect(valueOf("!GetAZs ''").value).toEqual([`${SYMBOLIC_REGION}a`, `${SYMBOLIC_REGION}b`, `${SYMBOLIC_REGION}c`]);
    expect(valueOf("!Select [1, !GetAZs '']").value).toBe(`${SYMBOLIC_REGION}b`);
  });

  it('splitting the region is Unknown, splitting around it is not', () => {
    expect(reasonOf(valueOf('!Select [0, !Split ["-", !Ref AWS::Region]]').value)).toBe(
      'Fn::Split of ${AWS::Region} depends on the region, which is not given (--region)',
    );
    expect(reasonOf(valueOf('!Split [":", !Sub "x:${AWS::Region}"]').value)).toMatch(/depends on the region/);
    expect(valueOf('!Split [",", !Sub "${AWS::Region}a,${AWS::Region}b"]').value).toEqual([`${SYMBOLIC_REGION}a`, `${SYMBOLIC_REGION}b`]);
  });

  it('a zone index beyond the symbolic three is Unknown without an error', () => {
    const { value, template } = valueOf("!Select [4, !GetAZs '']");
    expect(reasonOf(value)).toBe('availability zone 4 of a region not given (--region)');
    expect(template.diagnostics).toEqual([]);
  });

  it('Fn::FindInMap by region is known when every region gives the same value, else Unknown', () => {
    expect(valueOf('!FindInMap [RegionMap, !Ref AWS::Region, Zones]').value).toEqual(['a', 'b']);
    expect(reasonOf(valueOf('!FindInMap [RegionMap, !Ref AWS::Region, Ami]').value)).toBe(
      'Fn::FindInMap RegionMap by ${AWS::Region}, and the region is not given (--region)',
    );
  });

  it('comparing the region is Unknown', () => {
    expect(reasonOf(valueOf('!Equals [!Ref AWS::Region, us-east-1]').value)).toMatch(/depends on the region/);
    expect(valueOf('!Equals [!Ref AWS::Region, !Ref AWS::Region]').value).toBe(true);
  });

  it('Fn::GetAZs of a region without bundled zones is Unknown', () => {
    expect(reasonOf(valueOf("!GetAZs ''", { region: 'xx-nowhere-1' }).value)).toMatch(/availability zones of xx-nowhere-1/);
  });

  it('Fn::Sub ignores spaces inside ${ }, as CloudFormation does', () => {
    const { value, template } = valueOf('!Sub "com.amazonaws.${ AWS::Region }.s3/${ Env}/${Vpc.CidrBlock }"', REGION);
    expect(reasonOf(value)).toMatch(/embeds Vpc\.CidrBlock/);
    expect(codes(template)).toEqual([]);
    const plain = valueOf('{ "Fn::Sub": "com.amazonaws.${ AWS::Region }.s3-${ Env }" }', REGION);
    expect(plain.value).toBe('com.amazonaws.us-east-1.s3-prod');
    expect(codes(plain.template)).toEqual([]);
  });

  it('Fn::Sub of an Fn::Transform is the unknown output of a macro, not a malformed Fn::Sub', () => {
    for (const expr of ['{ "Fn::Sub": { "Fn::Transform": { "Name": "DynamicUserData" } } }', '!Sub { "Fn::Transform": { Name: DynamicUserData } }']) {
      const { value, template } = valueOf(expr);
      expect(reasonOf(value)).toBe('Fn::Transform DynamicUserData is not expanded');
      expect(template.diagnostics.map((d) => [d.severity, d.code])).toEqual([['note', 'cfn-transform-not-expanded']]);
    }
  });
});
