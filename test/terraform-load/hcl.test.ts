import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTerraformFile, type TfBlock, type TfFile } from '../../src/parsers/terraform/load/index.js';
import type { Span } from '../../src/source/types.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/loader/hcl');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

const span = (l1: number, c1: number, l2: number, c2: number): Span => ({ start: { line: l1, column: c1 }, end: { line: l2, column: c2 } });

async function load(name: string): Promise<TfFile> {
  const { file, diagnostics } = await loadTerraformFile(name, fixture(name));
  expect(diagnostics).toEqual([]);
  return file!;
}

const find = (blocks: TfBlock[], type: string, ...labels: string[]) => blocks.filter((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));

describe('loadTerraformFile on HCL: positions', () => {
  it('gives the header and whole span of a resource, and of each nested route block', async () => {
    const file = await load('spans.tf');
    const [rt] = find(file.blocks, 'resource', 'aws_route_table', 'private');
    expect(rt!.headerSpan).toEqual(span(4, 1, 4, 39));
    expect(rt!.span).toEqual(span(4, 1, 17, 2));
    expect(rt!.blocks.map((b) => [b.type, b.headerSpan, b.span])).toEqual([
      ['route', span(6, 3, 6, 10), span(6, 3, 9, 4)],
      ['route', span(10, 3, 10, 10), span(10, 3, 13, 4)],
    ]);
    expect(rt!.blocks[1]!.attributes['vpc_peering_connection_id']).toEqual({
      name: 'vpc_peering_connection_id',
      value: 'pcx-1',
      span: span(12, 5, 12, 40),
      nameSpan: span(12, 5, 12, 30),
    });
  });

  it('ends an attribute at its value, not at a trailing comment, and spans multi-line objects', async () => {
    const file = await load('spans.tf');
    const [rt] = find(file.blocks, 'resource', 'aws_route_table');
    expect(rt!.attributes['vpc_id']!.span).toEqual(span(5, 3, 5, 27));
    expect(rt!.attributes['vpc_id']!.value).toBe('${aws_vpc.main.id}');
    expect(rt!.attributes['tags']!.span).toEqual(span(14, 3, 16, 4));
    expect(rt!.attributes['tags']!.value).toEqual({ Name: 'rt-{private}-${var.env}' });
  });

  it('is not misled by braces and quotes in strings, interpolations, heredocs and comments', async () => {
    const file = await load('spans.tf');
    const locals = find(file.blocks, 'locals');
    expect(locals.map((l) => l.span)).toEqual([span(19, 1, 35, 2), span(37, 1, 37, 30)]);
    const attrs = locals[0]!.attributes;
    expect(Object.keys(attrs)).toEqual(['brace', 'policy', 'rendered', 'list']);
    expect(attrs['brace']!.span).toEqual(span(21, 3, 21, 71));
    // The heredoc ends at its closing marker; `#` inside it is text, not a comment.
    expect(attrs['policy']!.span).toEqual(span(22, 3, 26, 8));
    expect(attrs['policy']!.value).toBe('{\n  "Statement": [{ "Effect": "Allow" }] # not a comment\n}\n');
    expect(attrs['rendered']!.span).toEqual(span(27, 3, 30, 4));
    expect(attrs['list']!.span).toEqual(span(31, 3, 34, 4));
    // The block comment that looks like a resource is not one.
    expect(find(file.blocks, 'resource', 'aws_vpc')).toEqual([]);
  });

  it('counts columns in code points after non-ASCII text', async () => {
    const file = await load('spans.tf');
    expect(find(file.blocks, 'locals')[1]!.attributes['name']).toMatchObject({ span: span(37, 10, 37, 28), value: 'ünïcödé 🚀' });
    const [subnet] = find(file.blocks, 'resource', 'aws_subnet', 'ü');
    expect(subnet!.headerSpan).toEqual(span(38, 1, 38, 28));
    expect(subnet!.attributes['cidr_block']!.span).toEqual(span(38, 29, 38, 58));
  });

  it('reads dynamic blocks with their label, content block and iterator', async () => {
    const file = await load('spans.tf');
    const [sg] = find(file.blocks, 'resource', 'aws_security_group', 'sg');
    expect(sg!.blocks.map((b) => [b.type, b.labels, b.headerSpan])).toEqual([
      ['dynamic', ['ingress'], span(41, 3, 41, 22)],
      ['dynamic', ['ingress'], span(47, 3, 47, 22)],
    ]);
    const [first, second] = sg!.blocks;
    expect(first!.attributes['for_each']!.value).toBe('${var.ports}');
    expect(first!.blocks[0]).toMatchObject({ type: 'content', labels: [], span: span(43, 5, 45, 6) });
    expect(first!.blocks[0]!.attributes['from_port']!.value).toBe('${ingress.value}');
    expect(second!.attributes['iterator']!.value).toBe('${port}');
    expect(second!.blocks[0]!.attributes['from_port']!.value).toBe('${port.value}');
  });

  it('keeps every comment with its line, and none from inside strings or heredocs', async () => {
    const file = await load('spans.tf');
    expect(file.comments).toEqual([
      { line: 1, text: '# Routes for the private tier { not a block }' },
      { line: 2, text: '/* a block comment\n   resource "aws_vpc" "fake" { */' },
      { line: 5, text: '// trailing comment {' },
      { line: 20, text: '# iac-vpce:ignore:VPCE101 -- reason { }' },
      { line: 33, text: '# comment' },
    ]);
  });

  it('returns plain data that survives structuredClone', async () => {
    const file = await load('spans.tf');
    expect(structuredClone(file)).toEqual(file);
  });
});

describe('loadTerraformFile on HCL: repeated blocks', () => {
  it('keeps two resources with the same type and name apart, in source order', async () => {
    const file = await load('repeated.tf');
    const routes = find(file.blocks, 'resource', 'aws_route', 'a');
    expect(routes.map((r) => [r.attributes['route_table_id']!.value, r.headerSpan.start.line])).toEqual([
      ['rtb-1', 1],
      ['rtb-2', 9],
    ]);
    expect(file.blocks.map((b) => b.labels.join('.') || b.type)).toEqual([
      'aws_route.a',
      'aws_subnet.s',
      'aws_route.a',
      'aws_route.b',
      'aws',
      'aws',
      'locals',
      'locals',
      'aws_security_group.web',
    ]);
  });

  it('pairs repeated providers and locals blocks with their own values', async () => {
    const file = await load('repeated.tf');
    const providers = find(file.blocks, 'provider', 'aws');
    expect(providers.map((p) => Object.fromEntries(Object.entries(p.attributes).map(([k, a]) => [k, a.value])))).toEqual([
      { region: 'us-east-1' },
      { alias: 'west', region: 'us-west-2' },
    ]);
    expect(find(file.blocks, 'locals').map((l) => Object.keys(l.attributes))).toEqual([['one'], ['two']]);
  });

  it('keeps interleaved nested blocks in source order and a list of objects as an attribute', async () => {
    const file = await load('repeated.tf');
    const [sg] = find(file.blocks, 'resource', 'aws_security_group', 'web');
    expect(sg!.blocks.map((b) => [b.type, b.attributes['from_port']!.value, b.span.start.line])).toEqual([
      ['ingress', 443, 31],
      ['egress', 0, 34],
      ['ingress', 80, 37],
    ]);
    expect(sg!.attributes['routes_as_data']!.value).toEqual([{ cidr: 'a' }, { cidr: 'b' }]);
  });

  it('handles CRLF line endings and a byte-order mark', async () => {
    const text = '\uFEFFresource "aws_vpc" "main" {\r\n  cidr_block = "10.0.0.0/16" # primary\r\n}\r\n';
    const { file, diagnostics } = await loadTerraformFile('crlf.tf', Buffer.from(text, 'utf8'));
    expect(diagnostics).toEqual([]);
    expect(file!.blocks[0]!.headerSpan).toEqual(span(1, 1, 1, 28));
    expect(file!.blocks[0]!.attributes['cidr_block']!.span).toEqual(span(2, 3, 2, 29));
    expect(file!.comments).toEqual([{ line: 2, text: '# primary' }]);
  });
});

describe('loadTerraformFile on HCL: errors', () => {
  it('turns a parse error into a diagnostic at the right line, with no file', async () => {
    const { file, diagnostics } = await loadTerraformFile('parse-error.tf', fixture('parse-error.tf'));
    expect(file).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-parse-error',
        file: 'parse-error.tf',
        line: 7,
        column: 35,
        message:
          'Invalid single-argument block definition: Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.',
      },
    ]);
  });

  it('reports the first of several errors and counts the rest', async () => {
    const { diagnostics } = await loadTerraformFile('modules/vpc/main.tf', 'resource "a" "b" { x = "unterminated\n}\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'tf-parse-error', file: 'modules/vpc/main.tf', line: 1, column: 37 });
    expect(diagnostics[0]!.message).toMatch(
      /^Invalid multi-line string: Quoted strings may not be split over multiple lines\..*\(2 more errors in this file\)$/,
    );
  });

  it('warns when hcl2json drops a block it cannot tell from an attribute of the same name', async () => {
    const { file, diagnostics } = await loadTerraformFile(
      'both.tf',
      'resource "aws_route_table" "r" {\n  route = []\n  route {\n    cidr_block = "0.0.0.0/0"\n  }\n}\n',
    );
    expect(file!.blocks[0]!.attributes['route']!.value).toEqual([]);
    expect(file!.blocks[0]!.blocks).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'tf-locator-mismatch', file: 'both.tf', line: 3 })]);
  });

  it('reports a conversion error without a position', async () => {
    const { file, diagnostics } = await loadTerraformFile('mixed.tf', 'resource "a" "b" {\n}\nresource "a" {\n}\n');
    expect(file).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-parse-error',
        file: 'mixed.tf',
        message: 'Invalid HCL detected for "a" block, cannot have blocks with and without labels.',
      },
    ]);
  });
});
