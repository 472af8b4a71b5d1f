import { describe, expect, it } from 'vitest';
import { unknown } from '../../src/source/value.js';
import { err, ok, unknownReason, vpcId } from './helpers.js';

const roots = { var: { u: unknown('known after apply') }, aws_vpc: { main: { id: vpcId } } };

describe('jsonencode', () => {
  it("writes Terraform's bytes: no spaces, sorted keys, Go string escaping", async () => {
    expect(await ok('jsonencode({"hello" = "world"})')).toBe('{"hello":"world"}');
    expect(await ok('jsonencode({b = 1, a = [true, null, 1.5, "x"], "10" = {}, "9" = []})')).toBe('{"10":{},"9":[],"a":[true,null,1.5,"x"],"b":1}');
    expect(await ok('jsonencode("<a href=\\"x\\">&</a>")')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(await ok('jsonencode("é\\u2028\\t\\n\\u0001\\\\")')).toBe('"é\\u2028\\t\\n\\u0001\\\\"');
    expect(await ok('jsonencode(1e21)')).toBe('1000000000000000000000');
    expect(await ok('jsonencode(0.000001)')).toBe('0.000001');
  });

  it('renders an IAM policy exactly', async () => {
    expect(
      await ok(
        'jsonencode({Version = "2012-10-17", Statement = [{Sid = "AllowGet", Effect = "Allow", Principal = "*", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::logs/*", Condition = {StringEquals = {"aws:SourceVpce" = "vpce-1"}}}]})',
      ),
    ).toBe(
      '{"Statement":[{"Action":["s3:GetObject"],"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::logs/*","Sid":"AllowGet"}],"Version":"2012-10-17"}',
    );
  });

  it('is Unknown when anything inside is Unknown or a reference', async () => {
    expect(await unknownReason('jsonencode({a = [var.u]})', roots)).toBe('known after apply');
    expect(await unknownReason('jsonencode({vpc = aws_vpc.main.id})', roots)).toBe('aws_vpc.main.id is known only after apply');
  });
});

describe('jsondecode and yamldecode', () => {
  it('jsondecode reads any JSON value', async () => {
    expect(await ok('jsondecode("{\\"hello\\": \\"world\\"}")')).toEqual({ hello: 'world' });
    expect(await ok('jsondecode("true")')).toBe(true);
    expect(await ok('jsondecode("[1, 2.5, null, {\\"__proto__\\": 1}]")')).toEqual([1, 2.5, null, JSON.parse('{"__proto__": 1}')]);
    expect(await ok('jsondecode(jsonencode({a = [1, "b"]}))')).toEqual({ a: [1, 'b'] });
    expect(await err('jsondecode("{")', 'tf-function-error')).toContain('Call to function "jsondecode" failed: invalid JSON');
    expect(await err('jsondecode("")', 'tf-function-error')).toBe('Call to function "jsondecode" failed: unexpected end of JSON input.');
  });

  it('yamldecode reads one YAML document', async () => {
    expect(await ok('yamldecode("hello: world")')).toEqual({ hello: 'world' });
    expect(await ok('yamldecode("true")')).toBe(true);
    expect(await ok('yamldecode("")')).toBeNull();
    expect(await ok('yamldecode("a: &x [1, 2.5, \\"s\\", ~]\\nb: *x\\nc: {<<: {k: v}, z: 0x10}")')).toEqual({
      a: [1, 2.5, 's', null],
      b: [1, 2.5, 's', null],
      c: { k: 'v', z: 16 },
    });
    expect(await err('yamldecode("a: 1\\n---\\nb: 2")', 'tf-function-error')).toBe(
      'Call to function "yamldecode" failed: unexpected extra content after value: only one YAML document is allowed.',
    );
    expect(await err('yamldecode("a: [1")', 'tf-function-error')).toContain('Call to function "yamldecode" failed: on line');
    expect(await err('yamldecode("x: .inf")', 'tf-function-error')).toContain('cannot represent');
  });
});

describe('base64, hashes, urlencode, csvdecode, uuidv5', () => {
  it('base64encode and base64decode', async () => {
    expect(await ok('base64encode("Hello World")')).toBe('SGVsbG8gV29ybGQ=');
    expect(await ok('base64decode("SGVsbG8gV29ybGQ=")')).toBe('Hello World');
    expect(await ok('base64decode(base64encode("héllo"))')).toBe('héllo');
    expect(await err('base64decode("SGVsbG8")', 'tf-function-error')).toBe('Call to function "base64decode" failed: failed to decode base64 data "SGVsbG8".');
    expect(await err('base64decode("/w==")', 'tf-function-error')).toBe(
      'Call to function "base64decode" failed: the result of decoding the provided string is not valid UTF-8.',
    );
  });

  it('hashes the UTF-8 bytes of a string', async () => {
    expect(await ok('md5("hello world")')).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    expect(await ok('sha1("hello world")')).toBe('2aae6c35c94fcfb415dbe95f408b9ce91ee846ed');
    expect(await ok('sha256("hello world")')).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect(await ok('sha512("hello world")')).toBe(
      '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f',
    );
    expect(await ok('base64sha256("hello world")')).toBe('uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=');
    expect(await ok('base64sha512("hello world")')).toBe('MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==');
    expect(await unknownReason('sha256(aws_vpc.main.id)', roots)).toBe('aws_vpc.main.id is known only after apply');
  });

  it("urlencode escapes as Go's QueryEscape", async () => {
    expect(await ok('urlencode("Hello World!")')).toBe('Hello+World%21');
    expect(await ok('urlencode("☃")')).toBe('%E2%98%83');
    expect(await ok('urlencode("foo:bar@localhost?foo=bar&bar=baz")')).toBe('foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz');
  });

  it('csvdecode reads a header and records', async () => {
    expect(await ok('csvdecode("a,b,c\\n1,2,3\\n4,\\"5,x\\",\\"say \\"\\"hi\\"\\"\\"\\n")')).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '4', b: '5,x', c: 'say "hi"' },
    ]);
    expect(await err('csvdecode("a,b\\n1")', 'tf-function-error')).toBe('Call to function "csvdecode" failed: record on line 2: wrong number of fields.');
  });

  it('uuidv5 matches the documented examples', async () => {
    expect(await ok('uuidv5("dns", "www.terraform.io")')).toBe('a5008fae-b28c-5ba5-96cd-82b4c53552d6');
    expect(await ok('uuidv5("url", "https://www.terraform.io/")')).toBe('9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5');
    expect(await ok('uuidv5("oid", "1.3.6.1.4")')).toBe('af9d40a5-7a36-5c07-b23a-851cd99fbfa5');
    expect(await ok('uuidv5("x500", "CN=Example,C=GB")')).toBe('84e09961-4aa4-57f8-95b7-03edb1073253');
    expect(await ok('uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io")')).toBe('a5008fae-b28c-5ba5-96cd-82b4c53552d6');
  });
});
