import { describe, expect, it } from 'vitest';
import { SYMBOLIC_REGION } from '../../src/source/region.js';
import { loadCloudFormation } from '../../src/parsers/cloudformation/index.js';
import { makeRef } from '../../src/source/value.js';
import { loadFixture, resource } from './helpers.js';

describe('network template, YAML and JSON', () => {
  const yaml = loadFixture('network.yaml', { region: 'eu-west-1' });
  const json = loadFixture('network.json', { region: 'eu-west-1' });

  it('detects the format', () => {
    expect(yaml.format).toBe('yaml');
    expect(json.format).toBe('json');
    expect(yaml.region).toBe('eu-west-1');
  });

  it('gives the YAML resource header and entry the lines and columns of the file', () => {
    const ep = resource(yaml, 'S3Endpoint');
    expect(ep.headerSpan).toEqual({ start: { line: 32, column: 3 }, end: { line: 32, column: 13 } });
    expect(ep.span.start).toEqual({ line: 32, column: 3 });
    expect(ep.span.end).toEqual({ line: 46, column: 26 });
  });

  it('gives the JSON resource header the position of its quoted key', () => {
    const ep = resource(json, 'S3Endpoint');
    expect(ep.headerSpan).toEqual({ start: { line: 44, column: 5 }, end: { line: 44, column: 17 } });
    expect(ep.span.end).toEqual({ line: 65, column: 6 });
  });

  it('gives properties, list items and nested policy fields their spans in YAML', () => {
    const s = resource(yaml, 'S3Endpoint').propertySpans;
    expect(s['ServiceName']).toEqual({ start: { line: 38, column: 7 }, end: { line: 38, column: 56 } });
    expect(s['RouteTableIds']?.start).toEqual({ line: 39, column: 7 });
    expect(s['RouteTableIds[0]']).toEqual({ start: { line: 40, column: 11 }, end: { line: 40, column: 26 } });
    expect(s['PolicyDocument.Statement[0].Effect']).toEqual({ start: { line: 43, column: 13 }, end: { line: 43, column: 26 } });
  });

  it('gives properties, list items and nested policy fields their spans in JSON', () => {
    const s = resource(json, 'S3Endpoint').propertySpans;
    expect(s['ServiceName']).toEqual({ start: { line: 50, column: 9 }, end: { line: 50, column: 72 } });
    expect(s['RouteTableIds']?.start).toEqual({ line: 51, column: 9 });
    expect(s['RouteTableIds[0]']).toEqual({ start: { line: 52, column: 11 }, end: { line: 52, column: 34 } });
    expect(s['PolicyDocument.Statement[0].Effect']).toEqual({ start: { line: 57, column: 15 }, end: { line: 57, column: 32 } });
  });

  it('evaluates both formats to the same values', () => {
    const strip = (t: typeof yaml) =>
      t.resources.map((r) => ({ id: r.logicalId, type: r.type, properties: r.properties, exists: r.exists, dependsOn: r.dependsOn, condition: r.condition }));
    expect(strip(json)).toEqual(strip(yaml));
    expect(Object.keys(json.parameters)).toEqual(Object.keys(yaml.parameters));
    expect(json.outputs['VpcId']?.value).toEqual(yaml.outputs['VpcId']?.value);
    expect(yaml.diagnostics).toEqual([]);
    expect(json.diagnostics).toEqual([]);
  });

  it('evaluates the resources', () => {
    expect(yaml.resources.map((r) => r.logicalId)).toEqual(['Vpc', 'Subnet', 'RouteTable', 'S3Endpoint']);
    expect(resource(yaml, 'Vpc').properties).toEqual({ CidrBlock: '10.0.0.0/16', EnableDnsSupport: true });
    expect(resource(yaml, 'Subnet').properties).toEqual({ VpcId: makeRef('Vpc', 'Ref'), CidrBlock: '10.0.1.0/24', AvailabilityZone: 'eu-west-1a' });
    const ep = resource(yaml, 'S3Endpoint');
    expect(ep.condition).toBe('IsProd');
    expect(ep.exists).toBe(true);
    expect(ep.dependsOn).toEqual(['RouteTable']);
    expect(ep.properties['ServiceName']).toBe('com.amazonaws.eu-west-1.s3');
    expect(ep.properties['RouteTableIds']).toEqual([makeRef('RouteTable', 'Ref')]);
    expect(ep.properties['PolicyDocument']).toEqual({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] });
    expect(yaml.parameters['PeerVpc']).toMatchObject({ type: 'AWS::EC2::VPC::Id', value: 'vpc-0123456789abcdef0' });
    expect(yaml.parameters['Env']?.span.start).toEqual({ line: 4, column: 3 });
    expect(yaml.outputs['VpcId']?.span.start).toEqual({ line: 48, column: 3 });
  });

  it('keeps the region symbolic without --region', () => {
    const t = loadFixture('network.yaml');
    expect(t.region).toBe(SYMBOLIC_REGION);
    expect(resource(t, 'S3Endpoint').properties['ServiceName']).toBe(`com.amazonaws.${SYMBOLIC_REGION}.s3`);
    expect(resource(t, 'Subnet').properties['AvailabilityZone']).toBe(`${SYMBOLIC_REGION}a`);
  });

  it('omits a resource whose condition is false', () => {
    const t = loadFixture('network.yaml', { params: { Env: 'dev' } });
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Vpc', 'Subnet', 'RouteTable']);
  });

  it('accepts the text as bytes', () => {
    const t = loadCloudFormation('network.yaml', new TextEncoder().encode('Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n'));
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Vpc']);
  });
});

describe('spans', () => {
  it('counts columns in code points, so characters beyond the BMP are one column', () => {
    const t = loadCloudFormation(
      'u.yaml',
      'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { Tags: [{ Key: "😀😀", Value: x }], CidrBlock: 10.0.0.0/16 }\n',
    );
    const s = resource(t, 'Vpc').propertySpans;
    expect(s['Tags[0].Key']).toEqual({ start: { line: 4, column: 28 }, end: { line: 4, column: 37 } });
    expect(s['CidrBlock']?.start).toEqual({ line: 4, column: 52 });
  });

  it('starts a short-form intrinsic at its tag and ends a block scalar at its last character', () => {
    const text =
      'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: |\n          print(1)\n\n  Role:\n    Type: AWS::IAM::Role\n';
    const t = loadCloudFormation('s.yaml', text);
    const fn = resource(t, 'Fn');
    expect(fn.propertySpans['Role']).toEqual({ start: { line: 5, column: 7 }, end: { line: 5, column: 29 } });
    expect(fn.propertySpans['Code.ZipFile']?.end).toEqual({ line: 8, column: 19 });
    expect(fn.span.end).toEqual({ line: 8, column: 19 });
  });

  it('numbers list items after AWS::NoValue items are removed', () => {
    const text = 'Resources:\n  E:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      SubnetIds:\n        - !Ref AWS::NoValue\n        - subnet-b\n';
    const e = resource(loadCloudFormation('n.yaml', text), 'E');
    expect(e.properties['SubnetIds']).toEqual(['subnet-b']);
    expect(e.propertySpans['SubnetIds[0]']?.start).toEqual({ line: 7, column: 11 });
    expect(e.propertySpans['SubnetIds[1]']).toBeUndefined();
  });

  it('records the spans of the branch Fn::If chose', () => {
    const text =
      'Conditions:\n  On: !Equals [a, a]\nResources:\n  E:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      PolicyDocument: !If\n        - On\n        - Statement: [{ Effect: Allow }]\n        - !Ref AWS::NoValue\n';
    const e = resource(loadCloudFormation('if.yaml', text), 'E');
    expect(e.properties['PolicyDocument']).toEqual({ Statement: [{ Effect: 'Allow' }] });
    expect(e.propertySpans['PolicyDocument.Statement[0].Effect']?.start).toEqual({ line: 9, column: 25 });
  });
});

describe('template sections', () => {
  it('reads metadata, DependsOn lists and outputs with conditions', () => {
    const text = `Conditions:
  Never: !Equals [a, b]
Resources:
  A:
    Type: AWS::EC2::VPC
    Metadata:
      aws:cdk:path: Stack/Vpc/Resource
      iac-vpce:
        rules_to_suppress:
          - id: VPCE101
            reason: tested
  B:
    Type: AWS::EC2::InternetGateway
    DependsOn: [A, Missing]
Outputs:
  Shown:
    Value: !Ref A
  Hidden:
    Condition: Never
    Value: !Ref B
`;
    const t = loadCloudFormation('m.yaml', text);
    expect(resource(t, 'A').metadata).toEqual({
      'aws:cdk:path': 'Stack/Vpc/Resource',
      'iac-vpce': { rules_to_suppress: [{ id: 'VPCE101', reason: 'tested' }] },
    });
    expect(resource(t, 'B').dependsOn).toEqual(['A', 'Missing']);
    expect(resource(t, 'B').metadata).toBeUndefined();
    expect(Object.keys(t.outputs)).toEqual(['Shown']);
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([['cfn-invalid-reference', 14]]);
  });

  it('reports resources without a Type, unknown sections and unknown resource attributes', () => {
    const text = 'Resourcez: {}\nResources:\n  NoType:\n    Properties: {}\n  Typo:\n    Type: AWS::EC2::VPC\n    Propertes: {}\n';
    const t = loadCloudFormation('bad.yaml', text);
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Typo']);
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['cfn-unknown-section', 1],
      ['cfn-invalid-resource', 3],
      ['cfn-unknown-resource-attribute', 7],
    ]);
  });

  it('keeps SAM resources as written and notes once that the transform is not expanded', () => {
    const text =
      'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: 3\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: [subnet-1]\n  Api:\n    Type: AWS::Serverless::Api\n';
    const t = loadCloudFormation('sam.yaml', text);
    expect(t.resources.map((r) => [r.logicalId, r.type])).toEqual([
      ['Fn', 'AWS::Serverless::Function'],
      ['Api', 'AWS::Serverless::Api'],
    ]);
    expect(resource(t, 'Fn').properties).toEqual({ VpcConfig: { SubnetIds: ['subnet-1'] } });
    expect(t.diagnostics.map((d) => d.code)).toEqual(['cfn-transform-not-expanded']);
  });

  it('reports AWS::Include in Resources and Fn::ForEach as not expanded', () => {
    const text = `Transform: [AWS::LanguageExtensions, MyMacro]
Resources:
  Fn::Transform:
    Name: AWS::Include
    Parameters: { Location: s3://bucket/snippet.yaml }
  Fn::ForEach::Subnets:
    - Name
    - [a, b]
    - Subnet\${Name}: { Type: AWS::EC2::Subnet }
  Vpc:
    Type: AWS::EC2::VPC
`;
    const t = loadCloudFormation('inc.yaml', text);
    expect(t.resources.map((r) => r.logicalId)).toEqual(['Vpc']);
    expect(t.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['cfn-transform-not-expanded', 1],
      ['cfn-include-not-expanded', 3],
      ['cfn-unsupported-function', 6],
    ]);
  });

  it('reads YAML anchors, aliases and merge keys', () => {
    const text =
      'Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: &props\n      CidrBlock: 10.0.0.0/16\n      Tags: [{ Key: k, Value: v }]\n  B:\n    Type: AWS::EC2::VPC\n    Properties:\n      <<: *props\n      CidrBlock: 10.1.0.0/16\n';
    const t = loadCloudFormation('anchors.yaml', text);
    expect(resource(t, 'B').properties).toEqual({ CidrBlock: '10.1.0.0/16', Tags: [{ Key: 'k', Value: 'v' }] });
    expect(t.diagnostics).toEqual([]);
  });

  it('keeps scalars as YAML gives them, and numbers whose text a number would lose as text', () => {
    const text =
      "Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      A: 443\n      B: 'true'\n      C: true\n      D: 012345678901\n      E: 1.5\n      F: 2012-10-17\n      G: ~\n      H: 123456789012345678901\n";
    expect(resource(loadCloudFormation('s.yaml', text), 'P').properties).toEqual({
      A: 443,
      B: 'true',
      C: true,
      D: '012345678901',
      E: 1.5,
      F: '2012-10-17',
      G: null,
      H: '123456789012345678901',
    });
  });

  it('leaves a policy written as a JSON string as it is', () => {
    const text = 'Resources:\n  E:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      PolicyDocument: \'{"Statement":[{"Effect":"Allow"}]}\'\n';
    expect(resource(loadCloudFormation('p.yaml', text), 'E').properties['PolicyDocument']).toBe('{"Statement":[{"Effect":"Allow"}]}');
  });

  it('reports a duplicate key and uses the last value', () => {
    const t = loadCloudFormation(
      'dup.json',
      '{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", "CidrBlock": "10.1.0.0/16"}}}}',
    );
    expect(resource(t, 'V').properties).toEqual({ CidrBlock: '10.1.0.0/16' });
    expect(t.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['cfn-duplicate-key', 1, 90]]);
  });

  it('is not confused by keys named like Object.prototype members', () => {
    const text = 'Resources:\n  __proto__:\n    Type: AWS::EC2::VPC\n    Properties:\n      __proto__: { polluted: true }\n      constructor: x\n';
    const t = loadCloudFormation('proto.yaml', text);
    const r = resource(t, '__proto__');
    expect(Object.keys(r.properties)).toEqual(['__proto__', 'constructor']);
    expect(Object.keys(r.propertySpans).sort()).toEqual(['__proto__', '__proto__.polluted', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('SAM templates', () => {
  it('references to resources the SAM transform generates are Unknown notes, not invalid references', () => {
    const t = loadFixture('sam-generated.yaml');
    expect(t.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['note', 'cfn-transform-not-expanded', 2],
      ['note', 'cfn-sam-generated-reference', 32],
      ['note', 'cfn-sam-generated-reference', 35],
      ['note', 'cfn-sam-generated-reference', 37],
      ['warning', 'cfn-invalid-reference', 39],
    ]);
    expect(resource(t, 'myPolicy').properties['Roles']).toEqual([expect.objectContaining({ reason: '"myFunctionRole" is generated by the SAM transform' })]);
    expect(t.diagnostics.find((d) => d.line === 39)?.message).toMatch(/"NotGenerated"/);
  });

  it('a SAM-generated name without the SAM transform is an invalid reference', () => {
    const text = 'Resources:\n  P:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref ServerlessRestApi\n';
    const t = loadCloudFormation('plain.yaml', text);
    expect(t.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'cfn-invalid-reference']]);
  });

  it('accepts IgnoreGlobals on SAM resources only', () => {
    expect(loadFixture('sam-generated.yaml').diagnostics.map((d) => d.code)).not.toContain('cfn-unknown-resource-attribute');
    const text = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    IgnoreGlobals: "*"\n';
    expect(loadCloudFormation('q.yaml', text).diagnostics.map((d) => d.code)).toEqual(['cfn-unknown-resource-attribute']);
  });

  it('Fn::Sub whose argument is an Fn::Transform gives an unknown value and a note', () => {
    const t = loadFixture('sub-transform.yaml');
    expect(t.diagnostics.map((d) => [d.severity, d.code])).toEqual([['note', 'cfn-transform-not-expanded']]);
    expect(resource(t, 'LaunchConfiguration').properties['UserData']).toEqual(
      expect.objectContaining({ reason: 'Fn::Transform DynamicUserData is not expanded' }),
    );
  });
});
