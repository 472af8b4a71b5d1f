import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTerraformFile, loadTfvars, type TfBlock } from '../../src/parsers/terraform/load/index.js';
import type { Span } from '../../src/source/types.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/loader');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const span = (l1: number, c1: number, l2: number, c2: number): Span => ({ start: { line: l1, column: c1 }, end: { line: l2, column: c2 } });
const values = (b: TfBlock) => Object.fromEntries(Object.entries(b.attributes).map(([k, a]) => [k, a.value]));

async function loadMain() {
  const { file, diagnostics } = await loadTerraformFile('main.tf.json', fixture('json/main.tf.json'));
  expect(diagnostics).toEqual([]);
  return file!;
}

describe('loadTerraformFile on .tf.json', () => {
  it('normalises resources to the shape of HCL files, with spans from the label key', async () => {
    const file = await loadMain();
    expect(file.blocks.map((b) => [b.type, b.labels])).toEqual([
      ['resource', ['aws_route_table', 'private']],
      ['resource', ['aws_security_group', 'sg']],
      ['provider', ['aws']],
      ['provider', ['aws']],
      ['locals', []],
      ['module', ['net']],
      ['terraform', []],
    ]);
    const rt = file.blocks[0]!;
    expect(rt.headerSpan).toEqual(span(5, 7, 5, 19));
    expect(rt.span).toEqual(span(5, 7, 12, 8));
    expect(rt.attributes['vpc_id']).toEqual({ name: 'vpc_id', value: '${aws_vpc.main.id}', span: span(6, 9, 6, 39), nameSpan: span(6, 9, 6, 17) });
    expect(rt.attributes['tags']!.value).toEqual({ Name: 'rt-ü' });
  });

  it('reads an array under a block name as repeated nested blocks', async () => {
    const rt = (await loadMain()).blocks[0]!;
    expect(rt.blocks.map((b) => [b.type, b.span, values(b)])).toEqual([
      ['route', span(8, 11, 8, 85), { cidr_block: '0.0.0.0/0', nat_gateway_id: '${aws_nat_gateway.a.id}' }],
      ['route', span(9, 11, 9, 80), { cidr_block: '10.1.0.0/16', vpc_peering_connection_id: 'pcx-1' }],
    ]);
  });

  it('reads dynamic and lifecycle as blocks, and a block name holding an expression as an attribute', async () => {
    const sg = (await loadMain()).blocks[1]!;
    expect(sg.blocks.map((b) => [b.type, b.labels])).toEqual([
      ['dynamic', ['ingress']],
      ['lifecycle', []],
    ]);
    expect(values(sg.blocks[0]!)).toEqual({ for_each: '${var.ports}' });
    expect(sg.blocks[0]!.blocks.map((b) => [b.type, values(b)])).toEqual([['content', { from_port: '${ingress.value}' }]]);
    expect(sg.attributes['egress']!.value).toBe('${local.egress_rules}');
  });

  it('reads an array of provider bodies as repeated providers, and locals as attributes only', async () => {
    const file = await loadMain();
    expect(file.blocks.filter((b) => b.type === 'provider').map(values)).toEqual([{ region: 'us-east-1' }, { alias: 'west', region: 'us-west-2' }]);
    const locals = file.blocks.find((b) => b.type === 'locals')!;
    expect(locals.blocks).toEqual([]);
    expect(locals.attributes['route']!.value).toEqual({ cidr_block: 'literal' });
    const terraform = file.blocks.find((b) => b.type === 'terraform')!;
    expect(terraform.blocks.map((b) => [b.type, b.labels, values(b)])).toEqual([['backend', ['s3'], { bucket: 'b' }]]);
  });

  it('keeps "//" keys as comments', async () => {
    expect((await loadMain()).comments).toEqual([{ line: 2, text: '// iac-vpce:ignore-file:VPCE105' }]);
  });

  it('treats repeated top-level keys as more blocks', async () => {
    const text = '{"resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16"}}},\n "resource": {"aws_vpc": {"b": {}}}}';
    const { file } = await loadTerraformFile('dup.tf.json', text);
    expect(file!.blocks.map((b) => [b.labels, b.span.start.line])).toEqual([
      [['aws_vpc', 'a'], 1],
      [['aws_vpc', 'b'], 2],
    ]);
  });

  it('reports invalid JSON at its position', async () => {
    const { file, diagnostics } = await loadTerraformFile('bad.tf.json', '{\n  "resource": {\n    "aws_vpc": { "a": { "x": 1, } }\n  }\n}\n');
    expect(file).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-parse-error',
        file: 'bad.tf.json',
        line: 3,
        column: 33,
        message: 'Invalid JSON: Expected a property name in double quotes.',
      },
    ]);
  });

  it('rejects a JSON file that is not an object', async () => {
    const { file, diagnostics } = await loadTerraformFile('list.tf.json', '[1, 2]');
    expect(file).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'tf-parse-error', line: 1, column: 1 });
  });
});

describe('loadTfvars', () => {
  it('reads HCL assignments with their spans', async () => {
    const { values: vars, diagnostics } = await loadTfvars('terraform.tfvars', fixture('tfvars/terraform.tfvars'));
    expect(diagnostics).toEqual([]);
    expect(Object.keys(vars)).toEqual(['region', 'azs', 'tags', 'cidr']);
    expect(vars['region']).toEqual({ value: 'eu-west-1', span: span(2, 1, 2, 21) });
    expect(vars['azs']!.value).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(vars['tags']).toEqual({ value: { Team: 'net' }, span: span(4, 1, 6, 2) });
  });

  it('reads JSON values as literals, escaping what would look like a template', async () => {
    const { values: vars, diagnostics } = await loadTfvars('prod.tfvars.json', fixture('tfvars/prod.tfvars.json'));
    expect(diagnostics).toEqual([]);
    expect(vars['region']).toEqual({ value: 'eu-west-1', span: span(2, 3, 2, 24) });
    expect(vars['template_like']!.value).toBe('literal $${not_an_expression}');
    expect(vars['subnets']!.value).toEqual({ a: ['10.0.1.0/24'] });
  });

  it('reports a parse error and returns no values', async () => {
    const { values: vars, diagnostics } = await loadTfvars('bad.tfvars', 'region = \n');
    expect(vars).toEqual({});
    expect(diagnostics[0]).toMatchObject({ code: 'tf-parse-error', line: 1 });
  });

  it('warns about blocks, which a variables file cannot hold', async () => {
    const { values: vars, diagnostics } = await loadTfvars('odd.tfvars', 'a = 1\nlocals {\n  b = 2\n}\n');
    expect(Object.keys(vars)).toEqual(['a']);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'tf-unexpected-block', line: 2 })]);
  });
});
