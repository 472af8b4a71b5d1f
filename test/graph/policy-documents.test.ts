import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/graph/model.js';
import { isUnknown } from '../../src/source/value.js';
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

  // The rules below follow terraform-provider-aws: dataSourcePolicyDocumentRead in
  // internal/service/iam/policy_document_data_source.go, iamPolicyDoc.Merge in internal/service/iam/policy_model.go, and
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
  // ("Statements defined in source_policy_documents must have unique sids").
  const rendered = async (body: string) => {
    const { graph, diagnostics } = await tfGraph(
      TF(`${body}
locals {
  policy = data.aws_iam_policy_document.merged.json
}`),
    );
    const p = graph.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!.policy as PolicyDocument;
    type Doc = { Version?: string; Id?: string; Statement?: Array<Record<string, unknown>> };
    return { p, doc: (isUnknown(p) ? '(unknown)' : policyJson(p.document)) as Doc, diagnostics };
  };
  const stmt = (sid: string | undefined, action: string) => JSON.stringify({ ...(sid ? { Sid: sid } : {}), Effect: 'Allow', Action: action, Resource: '*' });
  const docJson = (...s: string[]) => JSON.stringify(`{"Version":"2012-10-17","Statement":[${s.join(',')}]}`);

  it('refuses a Sid repeated among the source documents, as the provider does', async () => {
    const { doc, diagnostics } = await rendered(`
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [${docJson(stmt('A', 's3:GetObject'))}, ${docJson(stmt('A', 's3:PutObject'))}]
}`);
    expect(doc).toBe('(unknown)');
    expect(diagnostics.map((d) => d.code)).toContain('tf-policy-document-invalid');
    expect(diagnostics.find((d) => d.code === 'tf-policy-document-invalid')?.message).toMatch(/duplicate Sid "A" in source_policy_documents/);
  });

  it('refuses a Sid repeated among its own statements, but not statements without Sid', async () => {
    const dup = await rendered(`
data "aws_iam_policy_document" "merged" {
  statement {
    sid     = "A"
    actions = ["s3:GetObject"]
  }
  statement {
    sid     = "A"
    actions = ["s3:PutObject"]
  }
}`);
    expect(dup.doc).toBe('(unknown)');
    expect(dup.diagnostics.find((d) => d.code === 'tf-policy-document-invalid')?.message).toMatch(/duplicate Sid "A"/);
    const noSid = await rendered(`
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [${docJson(stmt(undefined, 's3:GetObject'))}, ${docJson(stmt(undefined, 's3:GetObject'))}]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}`);
    expect(noSid.diagnostics).toEqual([]);
    expect(noSid.doc.Statement).toHaveLength(3);
  });

  it('lets an override document replace a statement by Sid (also one from a source) and appends the rest, in order', async () => {
    const { p, doc, diagnostics } = await rendered(`
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [${docJson(stmt('S', 's3:GetObject'), stmt(undefined, 's3:ListBucket'))}]
  override_policy_documents = [${docJson(stmt('S', 's3:GetObjectVersion'), stmt('Own', 's3:DeleteObject'))}, ${docJson(stmt('New', 's3:PutObject'), stmt(undefined, 's3:GetBucketLocation'))}]
  statement {
    sid       = "Own"
    actions   = ["s3:GetObjectAcl"]
    resources = ["*"]
  }
  statement {
    sid       = "Kept"
    actions   = ["s3:GetObjectTagging"]
    resources = ["*"]
  }
}`);
    expect(diagnostics).toEqual([]);
    expect(doc.Statement!.map((s) => `${(s['Sid'] as string) ?? '-'} ${s['Action'] as string}`)).toEqual([
      'S s3:GetObjectVersion',
      '- s3:ListBucket',
      'Own s3:DeleteObject',
      'Kept s3:GetObjectTagging',
      'New s3:PutObject',
      '- s3:GetBucketLocation',
    ]);
    // The replaced own statement is not located in its block; the kept one is.
    expect(p.statementAt?.[2]).toBeUndefined();
    expect(p.statementAt?.[3]).toBeDefined();
  });

  it('takes Id from the last document that gives one and the later Version', async () => {
    const { doc } = await rendered(`
data "aws_iam_policy_document" "merged" {
  version                   = "2008-10-17"
  policy_id                 = "own"
  source_policy_documents   = [${JSON.stringify(`{"Version":"2012-10-17","Id":"src","Statement":[${stmt('A', 's3:GetObject')}]}`)}]
  override_policy_documents = [${JSON.stringify(`{"Id":"","Statement":[]}`)}]
}`);
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Id).toBe('own');
  });

  it('reads the deprecated source_json first and merges override_json last (providers before 5.0); an empty string is ignored', async () => {
    const { doc, diagnostics } = await rendered(`
data "aws_iam_policy_document" "merged" {
  source_json               = ${docJson(stmt('A', 's3:GetObject'), stmt('B', 's3:ListBucket'))}
  override_policy_documents = [${docJson(stmt('B', 's3:PutObject'))}]
  override_json             = ${docJson(stmt('B', 's3:DeleteObject'))}
}`);
    expect(diagnostics).toEqual([]);
    expect(doc.Statement!.map((s) => `${s['Sid'] as string} ${s['Action'] as string}`)).toEqual(['A s3:GetObject', 'B s3:DeleteObject']);
    const empty = await rendered(`
data "aws_iam_policy_document" "merged" {
  source_json   = ""
  override_json = ""
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}`);
    expect(empty.diagnostics).toEqual([]);
    expect(empty.doc.Statement).toHaveLength(1);
  });

  it('renders sets as the provider does: one value unwrapped, several in reverse order, condition values appended in order', async () => {
    const { doc } = await rendered(`
data "aws_iam_policy_document" "merged" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:GetObject"]
    resources = ["arn:aws:s3:::b/&{aws:userid}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-2"]
    }
  }
}`);
    const s = doc.Statement![0]!;
    expect(s['Action']).toEqual(['s3:PutObject', 's3:GetObject']);
    expect(s['Resource']).toBe('arn:aws:s3:::b/$' + '{aws:userid}/*');
    expect(s['Principal']).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
    expect((s['Condition'] as Record<string, Record<string, unknown>>)['StringEquals']!['aws:SourceVpce']).toEqual(['vpce-1', 'vpce-2']);
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
