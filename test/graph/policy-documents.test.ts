import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/graph/model.js';
import { cfnGraph, policyJson, tfGraph } from './helpers.js';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const TF = (body: string) => `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
${body}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = local.policy
}
`;

describe('aws_iam_policy_document as the provider renders it', () => {
  it('merges source documents before and override documents after its own statements, by Sid', async () => {
    const text = TF(`
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "extra" {
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.extra.json]
  policy_id                 = "merged"
  statement {
    sid       = "Write"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Read"
    actions   = ["s3:GetObjectVersion"]
    resources = ["*"]
  }
}
locals {
  policy = data.aws_iam_policy_document.merged.json
}`);
    const { graph } = await tfGraph(text);
    const p = graph.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!.policy as PolicyDocument;
    const doc = policyJson(p.document) as { Id: string; Statement: Array<{ Sid?: string; Action: string }> };
    expect(doc.Id).toBe('merged');
    // Read from the source is replaced in place by the own Read; Write (own) is replaced by the override's Write.
    expect(doc.Statement.map((s) => `${s.Sid ?? '-'} ${s.Action}`)).toEqual(['Read s3:GetObjectVersion', '- s3:ListBucket', 'Write s3:PutObject']);
    // Found through the local, and the own statement blocks are located by Sid.
    expect(p.renderedBy?.address).toBe('data.aws_iam_policy_document.merged');
    const lines = text.split('\n');
    const ownRead = lines.findIndex((l, n) => n > lineOf(text, '"merged"') && l.includes('sid       = "Read"'));
    expect(p.statementAt?.[0]?.span.start.line).toBe(ownRead); // the statement { line above it
    expect(p.statementAt?.[1]).toBeUndefined();
  });

  it('keeps the statements of a document whose values are known only after apply', async () => {
    const text = TF(`
resource "aws_s3_bucket" "b" {
  bucket_prefix = "b-"
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
locals {
  policy = data.aws_iam_policy_document.d.json
}`);
    const { graph } = await tfGraph(text);
    const p = graph.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!.policy as PolicyDocument;
    expect(policyJson(p.document)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '(unknown)', Principal: '*' }],
    });
    expect(p.renderedBy?.address).toBe('data.aws_iam_policy_document.d');
    expect(p.statementAt?.[0]?.span.start.line).toBe(lineOf(text, '  statement {'));
  });
});

describe('CloudFormation policy statements', () => {
  it('are located by their position in the template', () => {
    const text = [
      'Resources:',
      '  Vpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties: { CidrBlock: 10.0.0.0/16 }',
      '  S3:',
      '    Type: AWS::EC2::VPCEndpoint',
      '    Properties:',
      '      VpcId: !Ref Vpc',
      '      ServiceName: com.amazonaws.us-east-1.s3',
      '      PolicyDocument:',
      '        Statement:',
      '          - Effect: Allow',
      "            Principal: '*'",
      '            Action: s3:GetObject',
      "            Resource: '*'",
      '          - Sid: Second',
      '            Effect: Deny',
      "            Principal: '*'",
      '            Action: s3:DeleteObject',
      "            Resource: '*'",
      '',
    ].join('\n');
    const p = cfnGraph(text).graph.getKind('S3', 'vpc-endpoint')!.policy as PolicyDocument;
    expect(p.statementAt?.map((s) => s?.span.start.line)).toEqual([12, 16]);
  });
});
