import { describe, expect, it } from 'vitest';
import { sourceIpViaEndpoint } from '../../src/sim/bucket-source-ip.js';
import { accountPrincipals, endpointPolicyTargets } from '../../src/sim/endpoint-policies.js';
import { accountRoleThroughGateway } from '../../src/sim/endpoint-requests.js';
import { tfGraph } from '../graph/helpers.js';

const tf = (endpointPolicy: string, bucketStatements: string) => `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  policy            = jsonencode(${endpointPolicy})
}
resource "aws_s3_bucket_policy" "b" {
  bucket = "orders"
  policy = jsonencode({ Version = "2012-10-17", Statement = [${bucketStatements}] })
}
`;
const FULL = '{ Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }] }';

describe('a bucket policy asked about a request through the S3 endpoint (VPCE305)', () => {
  it('finds the statement that matches a request with aws:SourceIp but not the same request through the endpoint', async () => {
    const { graph } = await tfGraph(
      tf(
        FULL,
        `{ Sid = "AllowVpc", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*",
           Condition = { IpAddress = { "aws:SourceIp" = "10.0.0.0/16" } } },
         { Sid = "DenyOthers", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::orders/*",
           Condition = { NotIpAddress = { "aws:SourceIp" = "10.0.0.0/16" } } }`,
      ),
    );
    const { hits, undecided } = sourceIpViaEndpoint(graph);
    expect(undecided).toEqual([]);
    expect(hits.map((h) => [h.statement.sid, h.use, h.evaluated])).toEqual([
      ['AllowVpc', 'allow-only-from', { address: '10.0.0.0', intended: true, throughEndpoint: false }],
      ['DenyOthers', 'deny-unless-from', { address: '10.0.0.0', intended: false, throughEndpoint: true }],
    ]);
    expect(hits[0]!.endpoints.map((e) => e.id)).toEqual(['aws_vpc_endpoint.s3']);
  });

  it('reports nothing when the statement treats both requests alike', async () => {
    // Within 10.0.0.0/16 but outside 10.0.0.0/8 is no address: the statement never applies, through the endpoint or not.
    const { graph } = await tfGraph(
      tf(
        FULL,
        `{ Sid = "Never", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*",
           Condition = { IpAddress = { "aws:SourceIp" = "10.0.0.0/16" }, NotIpAddress = { "aws:SourceIp" = "10.0.0.0/8" } } }`,
      ),
    );
    expect(sourceIpViaEndpoint(graph).hits).toEqual([]);
  });
});

describe('a role of the account through a gateway endpoint whose policy names the account (VPCE306)', () => {
  const roleOf = async (policy: string) => {
    const { graph } = await tfGraph(tf(policy, ''));
    const t = endpointPolicyTargets(graph).find((x) => x.endpoint.id === 'aws_vpc_endpoint.s3')!;
    if (t.policy.kind !== 'document') throw new Error('no policy document');
    const s = t.policy.read.statements.find((x) => accountPrincipals(x).length > 0)!;
    return accountRoleThroughGateway(graph, t.endpoint, t.policy.read, s, '111122223333');
  };

  it('is not matched by the account principal there, though it is elsewhere, and the policy denies it', async () => {
    const r = await roleOf(
      '{ Statement = [{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*" }] }',
    );
    expect(r.applies).toEqual({ gateway: false, elsewhere: true });
    expect(r.request).toMatchObject({ action: 's3:GetObject', resource: 'arn:aws:s3:::orders/*', decision: { decision: 'denied', explicit: false } });
  });

  it('is allowed when another statement lets it through with aws:PrincipalAccount', async () => {
    const r = await roleOf(`{ Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*" },
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*",
        Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } } }
    ] }`);
    expect(r.applies.gateway).toBe(false);
    expect(r.request?.decision.decision).toBe('allowed');
  });

  it('is undecided when another statement keys on something the configuration does not tell', async () => {
    const r = await roleOf(`{ Statement = [
      { Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*" },
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::orders/*",
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } } }
    ] }`);
    expect(r.request?.decision.decision).toBe('unknown');
  });
});
