import { describe, expect, it } from 'vitest';
import { evaluateRootModule, ModuleLoader } from '../../src/parsers/terraform/evaluate/index.js';
import { isIgnoredTerraformFile, isOverrideFile } from '../../src/parsers/terraform/evaluate/override.js';
import { isUnknown } from '../../src/source/value.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

async function evaluate(files: Record<string, string>) {
  const root = tmpTree(files);
  const diagnostics: Diagnostic[] = [];
  const loader = new ModuleLoader(root, (d) => diagnostics.push(d));
  const result = await evaluateRootModule(loader, '.', {});
  const byAddress = new Map(result.instances.map((i) => [i.address, i]));
  return { ...result, byAddress, all: [...diagnostics, ...result.diagnostics] };
}

describe('which files make up a module', () => {
  it('follows Terraform: hidden files, editor backups and temporary files are ignored', () => {
    expect(isIgnoredTerraformFile('.disabled.tf')).toBe(true);
    expect(isIgnoredTerraformFile('main.tf~')).toBe(true);
    expect(isIgnoredTerraformFile('#main.tf#')).toBe(true);
    expect(isIgnoredTerraformFile('main.tf')).toBe(false);
    expect(isIgnoredTerraformFile('#main.tf')).toBe(false);
  });

  it('names override files as Terraform does', () => {
    for (const name of ['override.tf', 'override.tf.json', 'a_override.tf', 'a_override.tf.json']) expect(isOverrideFile(name), name).toBe(true);
    for (const name of ['aoverride.tf', 'override.tfvars', 'main.tf', 'override_main.tf']) expect(isOverrideFile(name), name).toBe(false);
  });

  it('does not load a hidden .tf file', async () => {
    const r = await evaluate({
      'main.tf': 'resource "aws_route_table" "a" {\n  vpc_id = "vpc-1"\n}\n',
      '.disabled.tf': 'resource "aws_route" "r" {\n  route_table_id = aws_route_table.a.id\n}\n',
    });
    expect([...r.byAddress.keys()]).toEqual(['aws_route_table.a']);
    expect(r.files).toEqual(['main.tf']);
    expect(r.all).toEqual([]);
  });
});

describe('override files', () => {
  it('replace arguments and keep the others; the replaced argument is located in the override file', async () => {
    const r = await evaluate({
      'main.tf': 'resource "aws_vpc_endpoint" "s3" {\n  vpc_id          = "vpc-1"\n  route_table_ids = ["rtb-a"]\n}\n',
      'override.tf': 'resource "aws_vpc_endpoint" "s3" {\n  route_table_ids = ["rtb-b"]\n}\n',
    });
    expect(r.all).toEqual([]);
    const i = r.byAddress.get('aws_vpc_endpoint.s3')!;
    expect(i.values['vpc_id']).toBe('vpc-1');
    expect(i.values['route_table_ids']).toEqual(['rtb-b']);
    expect(i.block.file).toBe('main.tf');
    expect(i.block.attributes['route_table_ids']!.file).toBe('override.tf');
    expect(i.block.attributes['vpc_id']!.file).toBeUndefined();
    expect(r.files).toEqual(['main.tf', 'override.tf']);
  });

  it('apply after all primary files, in lexical order, later ones winning', async () => {
    const r = await evaluate({
      'b_override.tf': 'resource "null_resource" "x" {\n  triggers = { v = "b" }\n}\n',
      'a_override.tf': 'resource "null_resource" "x" {\n  triggers = { v = "a" }\n}\n',
      'z.tf': 'resource "null_resource" "x" {\n  triggers = { v = "z" }\n}\n',
    });
    expect(r.byAddress.get('null_resource.x')!.values['triggers']).toEqual({ v: 'b' });
  });

  it('replace all nested blocks of a type (static and dynamic) and keep other types', async () => {
    const r = await evaluate({
      'main.tf': `resource "aws_security_group" "s" {
  ingress {
    from_port = 1
  }
  dynamic "ingress" {
    for_each = [2, 3]
    content {
      from_port = ingress.value
    }
  }
  egress {
    from_port = 9
  }
}
`,
      'sg_override.tf': 'resource "aws_security_group" "s" {\n  ingress {\n    to_port = 5\n  }\n}\n',
    });
    const v = r.byAddress.get('aws_security_group.s')!.values;
    expect(v['ingress']).toEqual([{ to_port: 5 }]);
    expect(v['egress']).toEqual([{ from_port: 9 }]);
  });

  it('merge locals value by value and variables argument by argument', async () => {
    const r = await evaluate({
      'main.tf': `locals {
  a = "1"
}
locals {
  b = "2"
}
variable "v" {
  type    = string
  default = "x"
}
resource "null_resource" "x" {
  triggers = { a = local.a, b = local.b, v = var.v }
}
`,
      'override.tf.json': JSON.stringify({ locals: { b: 'two' }, variable: { v: { default: 'y' } } }),
    });
    expect(r.all).toEqual([]);
    expect(r.byAddress.get('null_resource.x')!.values['triggers']).toEqual({ a: '1', b: 'two', v: 'y' });
  });

  it('merge lifecycle argument by argument', async () => {
    const r = await evaluate({
      'main.tf': 'resource "null_resource" "x" {\n  lifecycle {\n    ignore_changes = [triggers]\n  }\n}\n',
      'override.tf': 'resource "null_resource" "x" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    });
    const lifecycle = r.byAddress.get('null_resource.x')!.block.blocks.filter((b) => b.type === 'lifecycle');
    expect(lifecycle).toHaveLength(1);
    expect(Object.keys(lifecycle[0]!.attributes).sort()).toEqual(['create_before_destroy', 'ignore_changes']);
  });

  it('report an error for a block with nothing to override, and for depends_on', async () => {
    const r = await evaluate({
      'main.tf': 'resource "null_resource" "x" {}\n',
      'override.tf': `resource "null_resource" "y" {
  triggers = {}
}
resource "null_resource" "x" {
  depends_on = [null_resource.y]
}
locals {
  nope = 1
}
`,
    });
    expect(r.byAddress.has('null_resource.y')).toBe(false);
    const errors = r.all.filter((d) => d.code === 'tf-invalid-override');
    expect(errors.map((d) => [d.severity, d.file, d.line])).toEqual([
      ['error', 'override.tf', 1],
      ['error', 'override.tf', 5],
      ['error', 'override.tf', 8],
    ]);
  });
});

describe('computed attributes of nested blocks', () => {
  it('are Unknown, with no error, when another block refers to them', async () => {
    const r = await evaluate({
      'main.tf': `resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config {
    subnet_ids = ["subnet-1"]
  }
}
resource "null_resource" "x" {
  triggers = {
    vpc    = aws_eks_cluster.c.vpc_config[0].vpc_id
    sg     = aws_eks_cluster.c.vpc_config[0].cluster_security_group_id
    subnet = aws_eks_cluster.c.vpc_config[0].subnet_ids[0]
  }
}
`,
    });
    expect(r.all.filter((d) => d.severity === 'error' || d.severity === 'warning')).toEqual([]);
    const t = r.byAddress.get('null_resource.x')!.values['triggers'] as Record<string, unknown>;
    expect(isUnknown(t['vpc'])).toBe(true);
    expect(isUnknown(t['sg'])).toBe(true);
    expect(t['subnet']).toBe('subnet-1');
  });

  it('still refuse an index past the configured nested blocks', async () => {
    const r = await evaluate({
      'main.tf': `resource "aws_eks_cluster" "c" {
  vpc_config {
    subnet_ids = ["subnet-1"]
  }
}
resource "null_resource" "x" {
  triggers = { vpc = aws_eks_cluster.c.vpc_config[1].vpc_id }
}
`,
    });
    expect(r.all.map((d) => d.code)).toContain('tf-invalid-reference');
  });
});

describe('locations after an override', () => {
  it('name the override file for nested blocks it replaced', async () => {
    const { attributeRefs } = await import('../../src/graph/terraform/refs.js');
    const r = await evaluate({
      'main.tf': 'resource "aws_route_table" "t" {\n  vpc_id = "vpc-1"\n  route {\n    cidr_block = "10.0.0.0/8"\n  }\n}\n',
      'override.tf': '\n\nresource "aws_route_table" "t" {\n  route {\n    cidr_block = "0.0.0.0/0"\n  }\n}\n',
    });
    const refs = attributeRefs(r.byAddress.get('aws_route_table.t')!);
    expect([refs['route[0]']!.file, refs['route[0]']!.span.start.line]).toEqual(['override.tf', 4]);
    expect([refs['vpc_id']!.file, refs['vpc_id']!.span.start.line]).toEqual(['main.tf', 2]);
  });
});
