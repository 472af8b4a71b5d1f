import { describe, expect, it } from 'vitest';
import { isCloudFormationTemplate, loadCloudFormation } from '../../src/parsers/cloudformation/index.js';
import { fixture } from './helpers.js';

describe('isCloudFormationTemplate', () => {
  it.each([
    ['the YAML fixture', 'network.yaml', fixture('network.yaml')],
    ['the JSON fixture', 'network.json', fixture('network.json')],
    ['only AWSTemplateFormatVersion', 'a.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nDescription: nothing yet\n"],
    ['Resources of AWS types, no version', 'r.yml', 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n'],
    [
      'a SAM template',
      'template.yaml',
      'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: { Timeout: 3 }\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n',
    ],
    ['third-party and custom types', 't.yaml', 'Resources:\n  C:\n    Type: Custom::Thing\n  M:\n    Type: MongoDB::Atlas::Cluster\n'],
    [
      'short-form tags',
      't.yaml',
      'Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: !Select [0, !GetAZs ""]\n',
    ],
    [
      'a CDK-synthesized template',
      'Stack.template.json',
      '{"Resources":{"Vpc8378EB38":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"},"Metadata":{"aws:cdk:path":"Stack/Vpc/Resource"}}},"Parameters":{"BootstrapVersion":{"Type":"AWS::SSM::Parameter::Value<String>","Default":"/cdk-bootstrap/hnb659fds/version"}},"Rules":{}}',
    ],
    [
      'a template with a syntax error that says it is one',
      'broken.yaml',
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n   Properties: [\n",
    ],
  ])('accepts %s', (_name, file, text) => {
    expect(isCloudFormationTemplate(text, file)).toBe(true);
  });

  it.each([
    [
      'a GitHub workflow',
      '.github/workflows/ci.yml',
      'name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
    ],
    ['a Kubernetes manifest', 'deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n'],
    ['package.json', 'package.json', '{"name": "x", "version": "1.0.0", "dependencies": {"yaml": "2.0.0"}}'],
    ['tsconfig.json', 'tsconfig.json', '{"compilerOptions": {"strict": true}}'],
    [
      'a Serverless Framework file',
      'serverless.yml',
      'service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    Bucket:\n      Type: AWS::S3::Bucket\n',
    ],
    [
      'a CDK manifest.json',
      'cdk.out/manifest.json',
      '{"version":"36.0.0","artifacts":{"Stack":{"type":"aws:cloudformation:stack","properties":{"templateFile":"Stack.template.json"}}}}',
    ],
    [
      'a CDK tree.json',
      'cdk.out/tree.json',
      '{"version":"tree-0.1","tree":{"id":"App","path":"","children":{"Stack":{"id":"Stack","attributes":{"aws:cdk:cloudformation:type":"AWS::EC2::VPC"}}}}}',
    ],
    ['Resources with other top-level keys', 'x.yaml', 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\nservice: x\n'],
    ['Resources whose entries have no types', 'x.yaml', 'Resources:\n  Vpc:\n    Name: thing\n'],
    ['Resources with free-form types', 'x.yaml', 'Resources:\n  Vpc:\n    Type: vpc\n'],
    ['an empty Resources mapping', 'x.yaml', 'Resources: {}\n'],
    ['only a Description', 'x.yaml', 'Description: hello\n'],
    ['a docker-compose file', 'docker-compose.yml', "version: '3'\nservices:\n  web:\n    image: nginx\n"],
    ['an empty file', 'x.yaml', ''],
    ['a scalar', 'x.yaml', 'hello'],
    ['a list', 'x.json', '[{"Type": "AWS::EC2::VPC"}]'],
    ['binary', 'x.json', '\u0000\u0001'],
    ['broken YAML that does not look like a template', 'x.yaml', 'a: [\n'],
  ])('rejects %s', (_name, file, text) => {
    expect(isCloudFormationTemplate(text, file)).toBe(false);
  });
});

describe('detection then loading', () => {
  it('reports the loader’s file name even when the text was parsed for detection first', () => {
    const text = 'Resources:\n  A:\n    Type: AWS::EC2::VPC\n  A:\n    Type: AWS::EC2::Subnet\n';
    expect(isCloudFormationTemplate(text, '/abs/path/t.yaml')).toBe(true);
    const t = loadCloudFormation('t.yaml', text);
    expect(t.diagnostics).toMatchObject([{ code: 'cfn-duplicate-key', file: 't.yaml', line: 4 }]);
    expect(t.resources.map((r) => r.type)).toEqual(['AWS::EC2::Subnet']);
  });
});
