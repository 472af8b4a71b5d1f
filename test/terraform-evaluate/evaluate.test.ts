import { describe, expect, it } from 'vitest';
import { evaluateRootModule, ModuleLoader, type EvaluateOptions } from '../../src/parsers/terraform/evaluate/index.js';
import { isUnknown, parseRef } from '../../src/source/value.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

async function evaluate(files: Record<string, string>, options: EvaluateOptions = {}, dir = '.') {
  const root = tmpTree(files);
  const diagnostics: Diagnostic[] = [];
  const loader = new ModuleLoader(root, (d) => diagnostics.push(d));
  const result = await evaluateRootModule(loader, dir, options);
  const byAddress = new Map(result.instances.map((i) => [i.address, i]));
  return { ...result, byAddress, all: [...diagnostics, ...result.diagnostics], root };
}

describe('variables', () => {
  const vars = `
variable "a" {
  default = "from-default"
}
variable "b" {
  default = "from-default"
}
variable "c" {
  default = "from-default"
}
variable "d" {
  default = "from-default"
}
variable "n" {
  type    = number
  default = 1
}
variable "unset" {}
resource "null_resource" "x" {
  triggers = { a = var.a, b = var.b, c = var.c, d = var.d, n = var.n }
}
resource "null_resource" "y" {
  triggers = { u = var.unset }
}
`;
  it('applies defaults, terraform.tfvars, *.auto.tfvars, --var-file and --var in precedence order', async () => {
    const r = await evaluate(
      {
        'main.tf': vars,
        'terraform.tfvars': 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
        'z.auto.tfvars': 'b = "auto"\nc = "auto"\n',
        'extra.tfvars': 'c = "var-file"\n',
      },
      { varFiles: ['extra.tfvars'], vars: { d: 'flag', n: '42' } },
    );
    expect(r.byAddress.get('null_resource.x')!.values['triggers']).toEqual({ a: 'tfvars', b: 'auto', c: 'var-file', d: 'flag', n: 42 });
  });

  it('marks a variable without any value Unknown and says so', async () => {
    const r = await evaluate({ 'main.tf': vars });
    const t = r.byAddress.get('null_resource.y')!.values['triggers'] as Record<string, unknown>;
    expect(isUnknown(t['u'])).toBe(true);
    expect(r.all.some((d) => d.code === 'tf-variable-unset' && d.message.includes('"unset"'))).toBe(true);
  });
  it('converts values to the variable type: optional attributes, defaults, dropped attributes, primitives', async () => {
    const r = await evaluate({
      'main.tf': `
variable "flow" {
  type = object({
    destination = optional(string, "cloud-watch-logs")
    traffic     = optional(string)
    retention   = optional(number, 7)
    nested      = optional(object({ on = optional(bool, true) }), {})
  })
  default = { traffic = "ALL", extra = 1 }
}
variable "count_of" {
  type = number
}
variable "flags" {
  type    = map(bool)
  default = { a = "true", b = false }
}
variable "subnets" {
  type = list(object({ cidr = string, az = optional(string) }))
}
resource "null_resource" "x" {
  triggers = {
    flow     = var.flow
    count_of = var.count_of
    flags    = var.flags
    subnets  = var.subnets
  }
}
`,
      'terraform.tfvars': 'count_of = "3"\nsubnets = [{ cidr = "10.0.0.0/24" }, { cidr = "10.0.1.0/24", az = "a" }]\n',
    });
    expect(r.all.filter((d) => d.code === 'tf-invalid-reference')).toEqual([]);
    expect(r.byAddress.get('null_resource.x')!.values['triggers']).toEqual({
      flow: { destination: 'cloud-watch-logs', traffic: 'ALL', retention: 7, nested: { on: true } },
      count_of: 3,
      flags: { a: true, b: false },
      subnets: [
        { cidr: '10.0.0.0/24', az: null },
        { cidr: '10.0.1.0/24', az: 'a' },
      ],
    });
  });
});

describe('count and for_each', () => {
  it('expands instances with Terraform addresses and exposes count.index / each', async () => {
    const r = await evaluate({
      'main.tf': `
locals {
  azs = ["a", "b", "c"]
}
resource "aws_subnet" "c" {
  count      = length(local.azs)
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "f" {
  for_each   = toset(local.azs)
  cidr_block = "10.1.\${index(local.azs, each.key)}.0/24"
  tags       = { az = each.value }
}
resource "aws_subnet" "m" {
  for_each   = { app = 1, db = 2 }
  cidr_block = "10.2.\${each.value}.0/24"
}
resource "aws_subnet" "zero" {
  count      = 0
  cidr_block = "10.3.0.0/24"
}
`,
    });
    expect([...r.byAddress.keys()].filter((k) => k.startsWith('aws_subnet.c'))).toEqual(['aws_subnet.c[0]', 'aws_subnet.c[1]', 'aws_subnet.c[2]']);
    expect(r.byAddress.get('aws_subnet.c[2]')!.values['cidr_block']).toBe('10.0.2.0/24');
    expect(r.byAddress.get('aws_subnet.f["b"]')!.values).toMatchObject({ cidr_block: '10.1.1.0/24', tags: { az: 'b' } });
    expect(r.byAddress.get('aws_subnet.m["db"]')!.values['cidr_block']).toBe('10.2.2.0/24');
    expect([...r.byAddress.keys()].some((k) => k.startsWith('aws_subnet.zero'))).toBe(false);
  });

  it('records an unknown count instead of guessing how many instances exist', async () => {
    const r = await evaluate({ 'main.tf': 'variable "n" {}\nresource "aws_subnet" "s" {\n  count = var.n\n  cidr_block = "10.0.0.0/24"\n}\n' });
    expect(r.instances.filter((i) => i.type === 'aws_subnet')).toEqual([]);
    expect(r.unknownExpansions).toEqual(['aws_subnet.s']);
  });

  it('resolves references between instances to reference strings, through splats and for expressions', async () => {
    const r = await evaluate({
      'main.tf': `
resource "aws_route_table" "rt" {
  count = 2
}
resource "aws_vpc_endpoint" "s3" {
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = concat(aws_route_table.rt[*].id, [for t in aws_route_table.rt : t.id])
}
`,
    });
    const ids = r.byAddress.get('aws_vpc_endpoint.s3')!.values['route_table_ids'] as string[];
    expect(ids.map((v) => parseRef(v)?.address)).toEqual(['aws_route_table.rt[0]', 'aws_route_table.rt[1]', 'aws_route_table.rt[0]', 'aws_route_table.rt[1]']);
  });
});

describe('modules', () => {
  const child = `
variable "cidr" {}
variable "n" {
  default = 1
}
resource "aws_subnet" "s" {
  count      = var.n
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "subnet_ids" {
  value = aws_subnet.s[*].id
}
output "first_cidr" {
  value = aws_subnet.s[0].cidr_block
}
`;
  it('passes inputs in and outputs out, with module addresses', async () => {
    const r = await evaluate({
      'main.tf': `
module "net" {
  source = "./modules/net"
  cidr   = "10.9.0.0/16"
  n      = 2
}
resource "null_resource" "uses" {
  triggers = { ids = module.net.subnet_ids, cidr = module.net.first_cidr }
}
`,
      'modules/net/main.tf': child,
    });
    expect(r.byAddress.get('module.net.aws_subnet.s[1]')!.values['cidr_block']).toBe('10.9.1.0/24');
    const t = r.byAddress.get('null_resource.uses')!.values['triggers'] as { ids: string[]; cidr: string };
    expect(t.cidr).toBe('10.9.0.0/24');
    expect(t.ids.map((v) => parseRef(v)?.address)).toEqual(['module.net.aws_subnet.s[0]', 'module.net.aws_subnet.s[1]']);
    expect(r.byAddress.get('module.net.aws_subnet.s[0]')!.callChain.map((b) => b.labels[0])).toEqual(['net']);
    expect(r.files).toEqual(['main.tf', 'modules/net/main.tf']);
  });

  it('expands modules with for_each', async () => {
    const r = await evaluate({
      'main.tf': 'module "net" {\n  source   = "./modules/net"\n  for_each = { a = "10.1.0.0/16", b = "10.2.0.0/16" }\n  cidr     = each.value\n}\n',
      'modules/net/main.tf': child,
    });
    expect(r.byAddress.get('module.net["b"].aws_subnet.s[0]')!.values['cidr_block']).toBe('10.2.0.0/24');
  });

  it('loads downloaded modules from .terraform/modules/modules.json', async () => {
    const r = await evaluate({
      'main.tf': 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n  cidr    = "10.7.0.0/16"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'vpc', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Version: '5.0.0', Dir: '.terraform/modules/vpc' },
        ],
      }),
      '.terraform/modules/vpc/main.tf': child,
    });
    expect(r.byAddress.get('module.vpc.aws_subnet.s[0]')!.block.file).toBe('.terraform/modules/vpc/main.tf');
  });

  it('points each malformed modules.json entry at its line and column, and keeps the good ones', async () => {
    const r = await evaluate({
      'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  cidr   = "10.7.0.0/16"\n}\n',
      '.terraform/modules/modules.json':
        '{"Modules": [\n  null,\n    {"Key": "x", "Dir": 3},\n  {"Key": "vpc", "Source": "s", "Dir": ".terraform/modules/vpc"}\n]}\n',
      '.terraform/modules/vpc/main.tf': child,
    });
    const bad = r.all.filter((d) => d.code === 'tf-modules-json-invalid');
    expect(bad.map((d) => [d.file, d.line, d.column])).toEqual([
      ['.terraform/modules/modules.json', 2, 3],
      ['.terraform/modules/modules.json', 3, 5],
    ]);
    expect(bad[1]!.message).toContain('Entry 2 of Modules (Key "x")');
    expect(r.byAddress.get('module.vpc.aws_subnet.s[0]')!.block.file).toBe('.terraform/modules/vpc/main.tf');
  });

  it('gives a modules.json that is not JSON the line of the error', async () => {
    const r = await evaluate({
      'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
      '.terraform/modules/modules.json': '{"Modules": [\n  {"Key": "vpc",}\n]}\n',
    });
    expect(r.all.filter((d) => d.code === 'tf-modules-json-invalid').map((d) => [d.file, d.line])).toEqual([['.terraform/modules/modules.json', 2]]);
  });

  it('says what to do when a registry module is not downloaded, and creates nothing for it', async () => {
    // A registry module without a built-in model (test/terraform-models covers the modelled ones).
    const r = await evaluate({
      'main.tf': 'module "vpc" {\n  source = "cloudposse/vpc/aws"\n}\nresource "null_resource" "x" {\n  triggers = { id = module.vpc.vpc_id }\n}\n',
    });
    const d = r.all.find((x) => x.code === 'tf-module-not-downloaded')!;
    expect(d.line).toBe(1);
    expect(d.message).toContain('terraform init -backend=false');
    expect(isUnknown((r.byAddress.get('null_resource.x')!.values['triggers'] as Record<string, unknown>)['id'])).toBe(true);
  });
});

describe('providers and data sources', () => {
  it('takes the region from the provider, its aliases and module provider maps', async () => {
    const r = await evaluate({
      'main.tf': `
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}
data "aws_region" "here" {}
data "aws_region" "there" {
  provider = aws.use1
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags       = { here = data.aws_region.here.name, there = data.aws_region.there.name }
}
module "m" {
  source    = "./m"
  providers = { aws = aws.use1 }
}
`,
      'm/main.tf': 'resource "aws_vpc" "w" {\n  cidr_block = "10.1.0.0/16"\n}\n',
    });
    expect(r.byAddress.get('aws_vpc.v')!.values['tags']).toEqual({ here: 'eu-west-1', there: 'us-east-1' });
    expect(r.byAddress.get('aws_vpc.v')!.region).toBe('eu-west-1');
    expect(r.byAddress.get('module.m.aws_vpc.w')!.region).toBe('us-east-1');
  });

  it('leaves the region Unknown without a provider region, and uses --region when given', async () => {
    const files = { 'main.tf': 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n' };
    expect(isUnknown((await evaluate(files)).byAddress.get('aws_vpc.v')!.region)).toBe(true);
    expect((await evaluate(files, { region: 'ap-south-1' })).byAddress.get('aws_vpc.v')!.region).toBe('ap-south-1');
  });

  it('gives symbolic availability zones for known regions', async () => {
    const r = await evaluate({
      'main.tf':
        'provider "aws" {\n  region = "us-west-2"\n}\ndata "aws_availability_zones" "az" {}\nresource "aws_subnet" "s" {\n  count = length(data.aws_availability_zones.az.names)\n  availability_zone = data.aws_availability_zones.az.names[count.index]\n}\n',
    });
    expect(r.instances.filter((i) => i.type === 'aws_subnet').map((i) => i.values['availability_zone'])).toEqual([
      'us-west-2a',
      'us-west-2b',
      'us-west-2c',
      'us-west-2d',
    ]);
  });

  it('renders aws_iam_policy_document to policy JSON', async () => {
    const r = await evaluate({
      'main.tf': `
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
  }
}
resource "aws_vpc_endpoint" "e" {
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = data.aws_iam_policy_document.p.json
}
`,
    });
    expect(JSON.parse(r.byAddress.get('aws_vpc_endpoint.e')!.values['policy'] as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Principal: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    });
  });
});

describe('blocks', () => {
  it('expands dynamic blocks and keeps each element’s span', async () => {
    const r = await evaluate({
      'main.tf': `
locals {
  routes = [{ cidr = "10.1.0.0/16", tgw = "tgw-1" }, { cidr = "10.2.0.0/16", tgw = "tgw-2" }]
}
resource "aws_route_table" "rt" {
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-1"
  }
  dynamic "route" {
    for_each = local.routes
    content {
      cidr_block         = route.value.cidr
      transit_gateway_id = route.value.tgw
    }
  }
}
`,
    });
    const rt = r.byAddress.get('aws_route_table.rt')!;
    expect((rt.values['route'] as Array<Record<string, unknown>>).map((x) => x['cidr_block'])).toEqual(['0.0.0.0/0', '10.1.0.0/16', '10.2.0.0/16']);
    expect(rt.nestedSpans['route']!.map((s) => s.start.line)).toEqual([6, 10, 10]);
  });

  it('turns a reference cycle into Unknown with a diagnostic', async () => {
    const r = await evaluate({ 'main.tf': 'locals {\n  a = local.b\n  b = local.a\n}\nresource "null_resource" "x" {\n  triggers = { a = local.a }\n}\n' });
    expect(isUnknown((r.byAddress.get('null_resource.x')!.values['triggers'] as Record<string, unknown>)['a'])).toBe(true);
    expect(r.all.some((d) => d.code === 'tf-reference-cycle')).toBe(true);
  });
});
