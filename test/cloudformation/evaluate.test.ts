import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../src/parsers/cloudformation/index.js';
import { SYMBOLIC_REGION } from '../../src/source/region.js';
import { isUnknown } from '../../src/source/value.js';
import { codes, reasonOf, resource, valueOf } from './helpers.js';

describe('conditions', () => {
  const text = `Parameters:
  Env:
    Type: String
    Default: prod
  Unset:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Maybe: !Equals [!Ref Unset, yes]
  ProdAndMaybe: !And [!Condition IsProd, !Condition Maybe]
  DevAndMaybe: !And [!Condition IsDev, !Condition Maybe]
  ProdOrMaybe: !Or [!Condition IsProd, !Condition Maybe]
  InUsEast1: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Always:
    Type: AWS::EC2::VPC
  WhenProd:
    Type: AWS::EC2::VPC
    Condition: IsProd
  WhenDev:
    Type: AWS::EC2::VPC
    Condition: IsDev
  WhenMaybe:
    Type: AWS::EC2::VPC
    Condition: Maybe
  WhenProdAndMaybe:
    Type: AWS::EC2::VPC
    Condition: ProdAndMaybe
  WhenDevAndMaybe:
    Type: AWS::EC2::VPC
    Condition: DevAndMaybe
  WhenProdOrMaybe:
    Type: AWS::EC2::VPC
    Condition: ProdOrMaybe
  WhenUsEast1:
    Type: AWS::EC2::VPC
    Condition: InUsEast1
`;

  it('keeps resources whose condition is true, omits false ones, marks undecidable ones', () => {
    const t = loadCloudFormation('c.yaml', text);
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Always', 'WhenProd', 'WhenMaybe', 'WhenProdAndMaybe', 'WhenProdOrMaybe', 'WhenUsEast1']);
    expect(resource(t, 'Always').exists).toBe(true);
    expect(resource(t, 'Always').condition).toBeUndefined();
    expect(resource(t, 'WhenProd').exists).toBe(true);
    expect(resource(t, 'WhenProdOrMaybe').exists).toBe(true);
    expect(reasonOf(resource(t, 'WhenMaybe').exists)).toBe('condition Maybe is not known: parameter Unset has no default and no value was given');
    expect(reasonOf(resource(t, 'WhenProdAndMaybe').exists)).toMatch(/^condition ProdAndMaybe is not known: condition Maybe is not known/);
    expect(reasonOf(resource(t, 'WhenUsEast1').exists)).toMatch(/depends on the region/);
    expect(resource(t, 'WhenMaybe').condition).toBe('Maybe');
  });

  it('names the regions where a resource whose condition tests only the region exists', () => {
    const t = loadCloudFormation('c.yaml', text);
    expect(resource(t, 'WhenUsEast1').existsInRegions).toEqual(['us-east-1']);
    // A condition that also needs an unset parameter is not decided by the region alone.
    expect(resource(t, 'WhenMaybe').existsInRegions).toBeUndefined();
    expect(resource(t, 'WhenProdAndMaybe').existsInRegions).toBeUndefined();
    const notChina = loadCloudFormation(
      'c.yaml',
      'Conditions:\n  NotChina: !Not [!Equals [!Ref AWS::Region, cn-north-1]]\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Condition: NotChina\n',
    );
    const regions = resource(notChina, 'V').existsInRegions!;
    expect(regions).not.toContain('cn-north-1');
    expect(regions).toContain('us-east-1');
    expect(regions).toContain('cn-northwest-1');
    // With the region given, the condition is decided outright.
    expect(resource(loadCloudFormation('c.yaml', text, { region: 'us-east-1' }), 'WhenUsEast1').existsInRegions).toBeUndefined();
  });

  it('decides with parameters and the region given', () => {
    const t = loadCloudFormation('c.yaml', text, { params: { Env: 'dev', Unset: 'yes' }, region: 'eu-west-1' });
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Always', 'WhenDev', 'WhenMaybe', 'WhenDevAndMaybe', 'WhenProdOrMaybe']);
    expect(t.resources.every((r) => r.exists === true)).toBe(true);
  });

  it('Fn::If on an undecidable condition is Unknown unless both branches agree', () => {
    const undefinedCondition = valueOf('!If [Maybe, a, b]');
    expect(reasonOf(undefinedCondition.value)).toBe('depends on condition Maybe: condition Maybe is not defined');
    expect(codes(undefinedCondition.template)).toEqual(['cfn-invalid-condition']);
    const t = loadCloudFormation(
      'c.yaml',
      text.replace(
        '  Always:\n    Type: AWS::EC2::VPC\n',
        '  Always:\n    Type: AWS::EC2::VPC\n    Properties:\n      A: !If [Maybe, a, b]\n      B: !If [Maybe, same, same]\n',
      ),
    );
    const p = resource(t, 'Always').properties;
    expect(reasonOf(p['A'])).toBe('depends on condition Maybe: condition Maybe is not known: parameter Unset has no default and no value was given');
    expect(p['B']).toBe('same');
  });

  it('reports cycles, undefined conditions and conditions that are not condition functions', () => {
    const t = loadCloudFormation(
      'bad.yaml',
      'Conditions:\n  A: !And [!Condition B, !Equals [x, x]]\n  B: !Condition A\n  C: just-a-string\nResources:\n  X:\n    Type: AWS::EC2::VPC\n    Condition: A\n  Y:\n    Type: AWS::EC2::VPC\n    Condition: Missing\n',
    );
    expect(t.resources.map((r) => [r.logicalId, isUnknown(r.exists)])).toEqual([
      ['X', true],
      ['Y', true],
    ]);
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['cfn-condition-cycle', 2],
      ['cfn-invalid-condition', 4],
      ['cfn-invalid-condition', 11],
    ]);
  });

  it('a long chain of conditions ends in a diagnostic, not a stack overflow', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => `  C${i}: !Not [!Condition C${i + 1}]`).join('\n');
    const t = loadCloudFormation(
      'chain.yaml',
      `Conditions:\n${chain}\n  C3000: !Equals [a, a]\nResources:\n  X:\n    Type: AWS::EC2::VPC\n    Condition: C0\n`,
    );
    expect(codes(t)).toContain('cfn-nesting-too-deep');
    expect(codes(t)).not.toContain('cfn-internal-error');
  });

  it('a reference to a resource whose condition is false is reported', () => {
    const t = loadCloudFormation(
      'r.yaml',
      'Conditions:\n  Off: !Equals [a, b]\nResources:\n  Gone:\n    Type: AWS::EC2::VPC\n    Condition: Off\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Gone\n      Other: !If [Off, !Ref Gone, none]\n',
    );
    expect(t.resources.map((r) => r.logicalId)).toEqual(['S']);
    expect(reasonOf(resource(t, 'S').properties['VpcId'])).toBe('resource Gone is not created (its Condition is false)');
    expect(resource(t, 'S').properties['Other']).toBe('none');
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([['cfn-invalid-reference', 10]]);
  });
});

describe('parameters', () => {
  const text = `Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod, dev]
  Size:
    Type: Number
    Default: 2
  NoDefault:
    Type: String
  VpcId:
    Type: AWS::EC2::VPC::Id
  PeerVpcId:
    Type: AWS::EC2::VPC::Id
    Default: vpc-0abc
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-1, subnet-2
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup::Id
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
  Cidrs:
    Type: CommaDelimitedList
Resources:
  X:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref VpcId
`;

  it('reads defaults, converts as Ref does and marks what is outside the template', () => {
    const t = loadCloudFormation('p.yaml', text);
    const v = (name: string) => t.parameters[name]?.value;
    expect(v('Env')).toBe('prod');
    expect(v('Size')).toBe('2');
    expect(reasonOf(v('NoDefault'))).toBe('parameter NoDefault has no default and no value was given');
    expect(reasonOf(v('VpcId'))).toBe('external: parameter VpcId (AWS::EC2::VPC::Id)');
    expect(v('PeerVpcId')).toBe('vpc-0abc');
    expect(v('SubnetIds')).toEqual(['subnet-1', 'subnet-2']);
    expect(reasonOf(v('SecurityGroup'))).toBe('external: parameter SecurityGroup (AWS::EC2::SecurityGroup::Id)');
    expect(reasonOf(v('Ami'))).toBe(
      'external: SSM parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (parameter Ami, AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>)',
    );
    expect(reasonOf(v('Cidrs'))).toBe('parameter Cidrs has no default and no value was given');
    expect(t.parameters['VpcId']?.type).toBe('AWS::EC2::VPC::Id');
    expect(reasonOf(resource(t, 'X').properties['VpcId'])).toBe('external: parameter VpcId (AWS::EC2::VPC::Id)');
    expect(t.diagnostics.filter((d) => d.code === 'cfn-parameter-unset').map((d) => [d.severity, d.line])).toEqual([
      ['note', 9],
      ['note', 11],
      ['note', 19],
      ['note', 24],
    ]);
    expect(t.diagnostics.length).toBe(4);
  });

  it('takes given values over defaults', () => {
    const t = loadCloudFormation('p.yaml', text, {
      params: { Env: 'dev', VpcId: 'vpc-given', Cidrs: '10.0.0.0/8,192.168.0.0/16', NoDefault: 'x', SecurityGroup: 'sg-1', Ami: '/my/ami' },
    });
    const v = (name: string) => t.parameters[name]?.value;
    expect(v('Env')).toBe('dev');
    expect(v('VpcId')).toBe('vpc-given');
    expect(resource(t, 'X').properties['VpcId']).toBe('vpc-given');
    expect(v('Cidrs')).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(reasonOf(v('Ami'))).toBe('external: SSM parameter /my/ami (parameter Ami, AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>)');
    expect(t.diagnostics).toEqual([]);
  });

  it('reports a value outside AllowedValues and keeps it', () => {
    const t = loadCloudFormation('p.yaml', text, { params: { Env: 'staging', VpcId: 'v', NoDefault: 'x', SecurityGroup: 's', Cidrs: 'c' } });
    expect(t.parameters['Env']?.value).toBe('staging');
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([['cfn-parameter-not-allowed', 2]]);
  });
});

describe('pseudo parameters', () => {
  const pseudo = (name: string, options?: Parameters<typeof valueOf>[1]) => valueOf(`!Ref ${name}`, options).value;

  it('with a region', () => {
    expect(pseudo('AWS::Region', { region: 'eu-west-1' })).toBe('eu-west-1');
    expect(pseudo('AWS::Partition', { region: 'eu-west-1' })).toBe('aws');
    expect(pseudo('AWS::Partition', { region: 'cn-north-1' })).toBe('aws-cn');
    expect(pseudo('AWS::Partition', { region: 'us-gov-west-1' })).toBe('aws-us-gov');
    expect(pseudo('AWS::URLSuffix', { region: 'eu-west-1' })).toBe('amazonaws.com');
    expect(pseudo('AWS::URLSuffix', { region: 'cn-northwest-1' })).toBe('amazonaws.com.cn');
    expect(pseudo('AWS::AccountId', { accountId: '123456789012' })).toBe('123456789012');
  });

  it('without a region', () => {
    expect(pseudo('AWS::Region')).toBe(SYMBOLIC_REGION);
    expect(reasonOf(pseudo('AWS::Partition'))).toBe('AWS::Partition depends on the region, which is not given (--region)');
    expect(reasonOf(pseudo('AWS::URLSuffix'))).toBe('AWS::URLSuffix depends on the region, which is not given (--region)');
  });

  it('known only at deployment', () => {
    for (const name of ['AWS::AccountId', 'AWS::StackName', 'AWS::StackId', 'AWS::NotificationARNs']) {
      expect(reasonOf(pseudo(name, { region: 'eu-west-1' }))).toBe(`${name} is known only at deployment`);
    }
  });

  it('in Fn::Sub', () => {
    expect(valueOf('!Sub "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}"', { region: 'us-east-1', accountId: '111122223333' }).value).toBe(
      'arn:aws:s3:::b-111122223333',
    );
    expect(reasonOf(valueOf('!Sub "arn:${AWS::Partition}:s3:::b"').value)).toBe('AWS::Partition depends on the region, which is not given (--region)');
  });
});
