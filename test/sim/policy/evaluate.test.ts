import { describe, expect, it } from 'vitest';
import type { PolicyJson } from '../../../src/graph/model.js';
import { readPolicy } from '../../../src/sim/policy/document.js';
import { evaluatePolicy, type PolicyRequest } from '../../../src/sim/policy/evaluate.js';
import { actionIsForeign, wildcardMatch } from '../../../src/sim/policy/match.js';
import { unknown } from '../../../src/source/value.js';

const ROLE = { type: 'AWS', arn: 'arn:aws:iam::111122223333:role/app', account: '111122223333' };
const ROOT = { type: 'AWS', arn: 'arn:aws:iam::111122223333:root', account: '111122223333' };
const BUCKET = 'arn:aws:s3:::orders/report.csv';

const req = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({ principal: ROLE, action: 's3:GetObject', resource: BUCKET, context: {}, ...over });
const allow = (extra: Record<string, PolicyJson> = {}) => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', ...extra });
const deny = (extra: Record<string, PolicyJson> = {}) => ({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', ...extra });
const decide = (statements: PolicyJson[], r: PolicyRequest = req(), opts = {}) => {
  const d = evaluatePolicy(readPolicy({ Version: '2012-10-17', Statement: statements }), r, opts);
  return d.decision === 'denied' ? (d.explicit ? 'explicit-deny' : 'implicit-deny') : d.decision;
};

interface Case {
  name: string;
  statements: PolicyJson[];
  request?: Partial<PolicyRequest>;
  options?: { accountMeansRootOnly?: boolean };
  want: 'allowed' | 'explicit-deny' | 'implicit-deny' | 'unknown';
}

const cases: Case[] = [
  // Effects: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  { name: 'an Allow that matches allows', statements: [allow()], want: 'allowed' },
  { name: 'no statement that matches: implicit deny', statements: [allow({ Action: 's3:PutObject' })], want: 'implicit-deny' },
  { name: 'an empty statement list denies everything', statements: [], want: 'implicit-deny' },
  { name: 'an explicit Deny wins over an Allow', statements: [allow(), deny()], want: 'explicit-deny' },
  { name: 'a single statement object reads like a list of one', statements: [allow({ Action: ['s3:GetObject'] })], want: 'allowed' },
  // Action wildcards, case-insensitive names.
  { name: 'Action wildcard s3:Get*', statements: [allow({ Action: 's3:Get*' })], want: 'allowed' },
  { name: 'Action names are case-insensitive', statements: [allow({ Action: 'S3:getobject' })], want: 'allowed' },
  { name: 'Action ? matches one character', statements: [allow({ Action: 's3:GetObjec?' })], want: 'allowed' },
  { name: 'Action of another service does not match', statements: [allow({ Action: 'dynamodb:*' })], want: 'implicit-deny' },
  { name: 'NotAction allows every other action', statements: [allow({ Action: undefined as never, NotAction: 's3:Delete*' })], want: 'allowed' },
  { name: 'NotAction excludes the listed ones', statements: [allow({ Action: undefined as never, NotAction: 's3:Get*' })], want: 'implicit-deny' },
  // Resource wildcards are case-sensitive.
  { name: 'Resource wildcard matches', statements: [allow({ Resource: 'arn:aws:s3:::orders/*' })], want: 'allowed' },
  { name: 'Resource matching is case-sensitive', statements: [allow({ Resource: 'arn:aws:s3:::ORDERS/*' })], want: 'implicit-deny' },
  {
    name: 'NotResource excludes the bucket',
    statements: [allow({ Resource: undefined as never, NotResource: 'arn:aws:s3:::orders/*' })],
    want: 'implicit-deny',
  },
  // Principals.
  { name: 'Principal AWS * matches an IAM role', statements: [allow({ Principal: { AWS: '*' } })], want: 'allowed' },
  { name: 'Principal by role ARN', statements: [allow({ Principal: { AWS: ROLE.arn } })], want: 'allowed' },
  { name: 'Principal of another account', statements: [allow({ Principal: { AWS: '444455556666' } })], want: 'implicit-deny' },
  { name: 'an account principal covers its roles in resource policies', statements: [allow({ Principal: { AWS: '111122223333' } })], want: 'allowed' },
  {
    name: 'an account principal means the root user only on gateway endpoints',
    statements: [allow({ Principal: { AWS: '111122223333' } })],
    options: { accountMeansRootOnly: true },
    want: 'implicit-deny',
  },
  {
    name: 'the root user still matches an account principal on gateway endpoints',
    statements: [allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })],
    request: { principal: ROOT },
    options: { accountMeansRootOnly: true },
    want: 'allowed',
  },
  { name: 'a Service principal does not match an IAM role', statements: [allow({ Principal: { Service: 'ec2.amazonaws.com' } })], want: 'implicit-deny' },
  {
    name: 'NotPrincipal: everyone but the named role',
    statements: [deny({ Principal: undefined as never, NotPrincipal: { AWS: ROLE.arn } }), allow()],
    want: 'allowed',
  },
  {
    name: 'NotPrincipal: a Deny applies to other principals',
    statements: [deny({ Principal: undefined as never, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/admin' } }), allow()],
    want: 'explicit-deny',
  },
  // Conditions: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  {
    name: 'StringEquals on aws:SourceVpce matches',
    statements: [allow({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })],
    request: { context: { 'aws:SourceVpce': 'vpce-1' } },
    want: 'allowed',
  },
  {
    name: 'condition keys are case-insensitive',
    statements: [allow({ Condition: { StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1' } } })],
    request: { context: { 'aws:SourceVpce': 'vpce-1' } },
    want: 'allowed',
  },
  {
    name: 'several values are OR',
    statements: [allow({ Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] } } })],
    request: { context: { 'aws:SourceVpc': 'vpc-2' } },
    want: 'allowed',
  },
  {
    name: 'several keys are AND',
    statements: [allow({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1', 'aws:PrincipalAccount': '999999999999' } } })],
    request: { context: { 'aws:SourceVpc': 'vpc-1', 'aws:PrincipalAccount': '111122223333' } },
    want: 'implicit-deny',
  },
  { name: 'a missing key fails StringEquals', statements: [allow({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })], want: 'implicit-deny' },
  {
    name: 'a missing key satisfies StringNotEquals: the Deny applies',
    statements: [allow(), deny({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })],
    want: 'explicit-deny',
  },
  {
    name: 'StringNotEquals with the endpoint: the Deny does not apply',
    statements: [allow(), deny({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })],
    request: { context: { 'aws:SourceVpce': 'vpce-1' } },
    want: 'allowed',
  },
  {
    name: 'IfExists holds when the key is absent',
    statements: [allow({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })],
    want: 'allowed',
  },
  {
    name: 'IfExists still compares a present key',
    statements: [allow({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })],
    request: { context: { 'aws:SourceVpce': 'vpce-2' } },
    want: 'implicit-deny',
  },
  {
    name: 'StringLike wildcards',
    statements: [allow({ Condition: { StringLike: { 'aws:PrincipalOrgPaths': 'o-abc/r-1/ou-*' } } })],
    request: { context: { 'aws:PrincipalOrgPaths': 'o-abc/r-1/ou-42/' } },
    want: 'allowed',
  },
  {
    name: 'ArnLike on aws:PrincipalArn',
    statements: [allow({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } } })],
    request: { context: { 'aws:PrincipalArn': ROLE.arn } },
    want: 'allowed',
  },
  {
    name: 'IpAddress matches inside the range',
    statements: [allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })],
    request: { context: { 'aws:SourceIp': '203.0.113.7' } },
    want: 'allowed',
  },
  {
    name: 'IpAddress fails outside the range',
    statements: [allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })],
    request: { context: { 'aws:SourceIp': '198.51.100.7' } },
    want: 'implicit-deny',
  },
  {
    name: 'NotIpAddress with the key absent (through an endpoint): the Deny applies',
    statements: [allow(), deny({ Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })],
    want: 'explicit-deny',
  },
  {
    name: 'Bool compares true/false as text',
    statements: [allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
    request: { context: { 'aws:SecureTransport': 'true' } },
    want: 'allowed',
  },
  { name: 'Null true: the key must be absent', statements: [allow({ Condition: { Null: { 'aws:SourceVpce': 'true' } } })], want: 'allowed' },
  { name: 'Null false: the key must be present', statements: [allow({ Condition: { Null: { 'aws:SourceVpce': 'false' } } })], want: 'implicit-deny' },
  {
    name: 'ForAnyValue: one request value matching is enough',
    statements: [allow({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } })],
    request: { context: { 'aws:TagKeys': ['owner', 'env'] } },
    want: 'allowed',
  },
  {
    name: 'ForAnyValue: an absent key fails',
    statements: [allow({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } } })],
    want: 'implicit-deny',
  },
  {
    name: 'ForAllValues: every request value must match',
    statements: [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } })],
    request: { context: { 'aws:TagKeys': ['owner', 'env'] } },
    want: 'implicit-deny',
  },
  { name: 'ForAllValues: an absent key holds', statements: [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } } })], want: 'allowed' },
  {
    name: 'NumericLessThan',
    statements: [allow({ Condition: { NumericLessThan: { 's3:max-keys': '10' } } })],
    request: { context: { 's3:max-keys': '5' } },
    want: 'allowed',
  },
  // Unknown parts stay unknown.
  { name: 'an Unknown action that might match: unknown', statements: [allow({ Action: unknown('var.actions has no value') })], want: 'unknown' },
  { name: 'an Unknown action beside one that matches: allowed', statements: [allow({ Action: ['s3:GetObject', unknown('later')] })], want: 'allowed' },
  {
    name: 'an Unknown request key: unknown',
    statements: [allow({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })],
    request: { context: { 'aws:SourceVpce': unknown('the endpoint is not known') } },
    want: 'unknown',
  },
  {
    name: 'an Unknown condition value beside a Deny that might apply: unknown',
    statements: [allow(), deny({ Condition: { StringNotEquals: { 'aws:SourceVpce': unknown('aws_vpc_endpoint.s3.id is known only after apply') } } })],
    request: { context: { 'aws:SourceVpce': 'vpce-1' } },
    want: 'unknown',
  },
  {
    name: 'an Unknown that cannot matter: a certain part fails first',
    statements: [allow({ Action: 'dynamodb:*', Resource: unknown('later') })],
    want: 'implicit-deny',
  },
  { name: 'an explicit Deny is certain beside Unknown statements', statements: [unknown('a statement is not known'), deny()], want: 'explicit-deny' },
  {
    name: 'no Allow can match: denied even when a Deny is uncertain',
    statements: [deny({ Condition: { StringEquals: { 'aws:SourceVpce': unknown('later') } } })],
    want: 'implicit-deny',
  },
];

describe('evaluatePolicy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(decide(c.statements, req(c.request), c.options)).toBe(c.want);
  });

  it('says which part is not known', () => {
    const d = evaluatePolicy(readPolicy({ Statement: [allow({ Resource: unknown('aws_s3_bucket.b.arn is known only after apply') })] }), req());
    expect(d).toMatchObject({ decision: 'unknown' });
    expect(d.decision === 'unknown' && d.reason).toContain('aws_s3_bucket.b.arn is known only after apply');
  });

  it('names the statement that decided', () => {
    const d = evaluatePolicy(readPolicy({ Statement: [allow({ Sid: 'Reads' }), deny({ Sid: 'NoDeletes', Action: 's3:Delete*' })] }), req());
    expect(d.decision === 'allowed' && d.statement.sid).toBe('Reads');
  });

  it('reads a policy that is not one as invalid', () => {
    expect(readPolicy(['x']).invalid).toMatch(/not a JSON object/);
    expect(readPolicy({ Version: '2012-10-17' }).invalid).toMatch(/no Statement/);
  });
});

describe('wildcards and action prefixes', () => {
  it.each([
    ['s3:*', 's3:GetObject', true, true],
    ['s3:Get*Tagging', 's3:GetObjectTagging', true, true],
    ['s3:Get*Tagging', 's3:GetObject', true, false],
    ['*', 'anything', false, true],
    ['arn:aws:s3:::a/*', 'arn:aws:s3:::a/b/c', false, true],
    ['a*b*c', 'aXXbYYc', false, true],
    ['a*b*c', 'aXXbYY', false, false],
  ])('%s against %s', (pattern, value, ignoreCase, want) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(want);
  });

  it.each([
    ['dynamodb:*', ['s3'], true],
    ['DynamoDB:GetItem', ['s3'], true],
    ['s3:GetObject', ['s3'], false],
    ['S3:GetObject', ['s3'], false],
    ['*', ['s3'], false],
    ['s*:Get*', ['s3'], false],
    ['*Object', ['s3'], false],
  ])('%s is foreign to %j: %s', (action, prefixes, want) => {
    expect(actionIsForeign(action, prefixes)).toBe(want);
  });
});
