import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import type { PolicyDocument } from '../../src/graph/model.js';
import { isUnknown } from '../../src/source/value.js';
import { configResource, constant, idOf, planText } from '../terraform-plan/build-plan.js';
import { cfnGraph, planGraph, policyJson, tfGraph } from './helpers.js';
import { POLICY } from './network.js';

const endpoint = (g: Graph, id: string) => {
  const e = g.getKind(id, 'vpc-endpoint');
  if (!e) throw new Error(`no endpoint ${id}`);
  return e;
};
const doc = (p: unknown) => p as PolicyDocument;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const TF_VPC = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`;

describe('endpoint policies in Terraform', () => {
  it('read a missing policy as undefined (AWS attaches full access), JSON text as a document, other text as text with the parse error', async () => {
    const text = `${TF_VPC}
variable "policy" {
  type = string
}
resource "aws_vpc_endpoint" "none" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
}
resource "aws_vpc_endpoint" "json" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = jsonencode(${JSON.stringify(POLICY)})
}
resource "aws_vpc_endpoint" "document" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = data.aws_iam_policy_document.ssm.json
}
data "aws_iam_policy_document" "ssm" {
  statement {
    actions   = ["ssm:GetParameter"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_vpc_endpoint" "broken" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = "{ Statement: nope"
}
resource "aws_vpc_endpoint" "variable" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = var.policy
}
resource "aws_s3_bucket" "b" {
  bucket_prefix = "b-"
}
resource "aws_vpc_endpoint" "refers" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = aws_s3_bucket.b.arn }]
  })
}
`;
    const { graph } = await tfGraph(text);
    expect(endpoint(graph, 'aws_vpc_endpoint.none').policy).toBeUndefined();
    expect(endpoint(graph, 'aws_vpc_endpoint.none').policyAt).toBeUndefined();

    const json = doc(endpoint(graph, 'aws_vpc_endpoint.json').policy);
    expect(json.document).toEqual(POLICY);
    expect(json.text).toBe(
      JSON.stringify({ Statement: [{ Action: ['ssm:GetParameter'], Effect: 'Allow', Principal: '*', Resource: '*' }], Version: '2012-10-17' }),
    );
    expect(endpoint(graph, 'aws_vpc_endpoint.json').policyAt!.span.start.line).toBe(lineOf(text, 'policy       = jsonencode'));

    const rendered = doc(endpoint(graph, 'aws_vpc_endpoint.document').policy);
    expect(rendered.document).toMatchObject({ Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*', Principal: '*' }] });

    const broken = doc(endpoint(graph, 'aws_vpc_endpoint.broken').policy);
    expect(broken).toMatchObject({ document: undefined, text: '{ Statement: nope' });
    expect(broken.parseError).toMatch(/JSON/);

    expect(isUnknown(endpoint(graph, 'aws_vpc_endpoint.variable').policy)).toBe(true);
    // jsonencode of a value known only after apply: the statements stay readable, the ARN is an Unknown leaf.
    const refers = doc(endpoint(graph, 'aws_vpc_endpoint.refers').policy);
    expect(policyJson(refers.document)).toEqual({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '(unknown)' }] });
    expect(refers.text).toBeUndefined();
  });

  it('take the policy aws_vpc_endpoint_policy attaches, in place of the inline one, located on that resource', async () => {
    const text = `${TF_VPC}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = jsonencode({ Statement = [] })
}
resource "aws_vpc_endpoint_policy" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  policy          = jsonencode(${JSON.stringify(POLICY)})
}
resource "aws_vpc_endpoint" "full" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.dynamodb"
}
resource "aws_vpc_endpoint_policy" "full" {
  vpc_endpoint_id = aws_vpc_endpoint.full.id
}
`;
    const { graph } = await tfGraph(text);
    const s3 = endpoint(graph, 'aws_vpc_endpoint.s3');
    expect(doc(s3.policy).document).toEqual(POLICY);
    expect(s3.policyAt).toMatchObject({ address: 'aws_vpc_endpoint_policy.s3' });
    expect(s3.policyAt!.span.start.line).toBe(lineOf(text, 'policy          = jsonencode'));
    // Without a policy argument, aws_vpc_endpoint_policy restores full access.
    const full = endpoint(graph, 'aws_vpc_endpoint.full');
    expect(full.policy).toBeUndefined();
    expect(full.policyAt).toMatchObject({ address: 'aws_vpc_endpoint_policy.full' });
  });

  it('take the policy of aws_vpc_endpoint_policy from a plan', async () => {
    const plan = planText({
      resources: [
        { address: 'aws_vpc.main', type: 'aws_vpc', name: 'main', values: { cidr_block: '10.0.0.0/16' }, unknown: { id: true } },
        {
          address: 'aws_vpc_endpoint.s3',
          type: 'aws_vpc_endpoint',
          name: 's3',
          values: { service_name: 'com.amazonaws.us-east-1.s3', vpc_endpoint_type: 'Gateway' },
          unknown: { id: true, vpc_id: true, policy: true },
        },
        {
          address: 'aws_vpc_endpoint_policy.s3',
          type: 'aws_vpc_endpoint_policy',
          name: 's3',
          values: { policy: JSON.stringify(POLICY) },
          unknown: { vpc_endpoint_id: true },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            configResource('aws_vpc.main', { cidr_block: constant('10.0.0.0/16') }),
            configResource('aws_vpc_endpoint.s3', { vpc_id: idOf('aws_vpc.main'), service_name: constant('com.amazonaws.us-east-1.s3') }),
            configResource('aws_vpc_endpoint_policy.s3', { vpc_endpoint_id: idOf('aws_vpc_endpoint.s3'), policy: constant(JSON.stringify(POLICY)) }),
          ],
        },
      },
    });
    const graph = await planGraph(plan);
    const s3 = endpoint(graph, 'aws_vpc_endpoint.s3');
    expect(s3.vpc).toBe('aws_vpc.main');
    expect(doc(s3.policy).document).toEqual(POLICY);
    expect(s3.policyAt).toMatchObject({ address: 'aws_vpc_endpoint_policy.s3' });
  });
});

describe('endpoint policies in CloudFormation', () => {
  const template = (policy: string) => `Parameters:
  PolicyParam:
    Type: String
Resources:
  Main:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Bucket:
    Type: AWS::S3::Bucket
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Main
      ServiceName: com.amazonaws.us-east-1.s3
${policy}
`;

  it('read an object and the same policy as JSON text alike; text keeps its string', () => {
    const asObject = cfnGraph(
      template(`      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: [ssm:GetParameter]
            Resource: '*'`),
    );
    const asText = cfnGraph(template(`      PolicyDocument: '${JSON.stringify(POLICY)}'`));
    const asSub = cfnGraph(
      template(`      PolicyDocument: !Sub |
        ${JSON.stringify(POLICY)}`),
    );
    const o = doc(endpoint(asObject.graph, 'S3').policy);
    const t = doc(endpoint(asText.graph, 'S3').policy);
    const s = doc(endpoint(asSub.graph, 'S3').policy);
    expect(o.document).toEqual(POLICY);
    expect(t.document).toEqual(POLICY);
    expect(s.document).toEqual(POLICY);
    expect(o.text).toBeUndefined();
    expect(t.text).toBe(JSON.stringify(POLICY));
    expect(endpoint(asObject.graph, 'S3').policyAt!.span.start.line).toBe(lineOf(template(''), 'ServiceName') + 1);
  });

  it('keep text that is not JSON, leave values known only at deployment as Unknown leaves, and a parameter without value Unknown', () => {
    const broken = doc(endpoint(cfnGraph(template(`      PolicyDocument: 'Statement: nope'`)).graph, 'S3').policy);
    expect(broken).toMatchObject({ document: undefined, text: 'Statement: nope' });
    expect(broken.parseError).toBeTruthy();

    const withRef = doc(
      endpoint(
        cfnGraph(
          template(`      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '\${Bucket.Arn}/*'`),
        ).graph,
        'S3',
      ).policy,
    );
    expect(policyJson(withRef.document)).toEqual({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '(unknown)' }] });

    expect(isUnknown(endpoint(cfnGraph(template(`      PolicyDocument: !Ref PolicyParam`)).graph, 'S3').policy)).toBe(true);
    expect(endpoint(cfnGraph(template('')).graph, 'S3').policy).toBeUndefined();
  });
});

describe('bucket policies', () => {
  it('read aws_s3_bucket_policy and the inline policy of aws_s3_bucket', async () => {
    const { graph } = await tfGraph(`
resource "aws_s3_bucket" "a" {
  bucket = "bucket-a"
}
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = jsonencode(${JSON.stringify(POLICY)})
}
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  policy = "not json"
}
resource "aws_s3_bucket_policy" "external" {
  bucket = "someone-elses-bucket"
  policy = jsonencode(${JSON.stringify(POLICY)})
}
`);
    expect(
      graph
        .all('bucket-policy')
        .map((b) => [b.id, b.bucketResource, b.bucketName, b.bucketLabel, isUnknown(b.policy) ? 'unknown' : b.policy.parseError ? 'invalid' : 'json']),
    ).toEqual([
      ['aws_s3_bucket.legacy (policy)', 'aws_s3_bucket.legacy', 'legacy', 'aws_s3_bucket.legacy', 'invalid'],
      ['aws_s3_bucket_policy.a', 'aws_s3_bucket.a', 'bucket-a', 'aws_s3_bucket.a', 'json'],
      ['aws_s3_bucket_policy.external', undefined, 'someone-elses-bucket', 'someone-elses-bucket', 'json'],
    ]);
  });

  it('read AWS::S3::BucketPolicy as an object or JSON text', () => {
    const { graph } = cfnGraph(`Resources:
  Bucket:
    Type: AWS::S3::Bucket
  AsObject:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: '*' }
  AsText:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: named-bucket
      PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}'
`);
    const [obj, text] = [graph.getKind('AsObject', 'bucket-policy')!, graph.getKind('AsText', 'bucket-policy')!];
    expect(obj).toMatchObject({ bucketResource: 'Bucket', bucketLabel: 'Bucket' });
    expect(isUnknown(obj.bucketName)).toBe(true);
    expect(text).toMatchObject({ bucketResource: undefined, bucketName: 'named-bucket' });
    expect(doc(obj.policy).document).toEqual(doc(text.policy).document);
  });
});
