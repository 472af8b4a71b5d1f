import { describe, expect, it, vi } from 'vitest';
import { evaluateRootModule, ModuleLoader } from '../../src/parsers/terraform/evaluate/index.js';
import * as lazy from '../../src/parsers/terraform/evaluate/lazy.js';
import { parseRef } from '../../src/source/value.js';
import { tmpTree } from '../helpers/tmp-tree.js';

vi.mock('../../src/parsers/terraform/evaluate/lazy.js', async (importOriginal) => {
  const actual = await importOriginal<typeof lazy>();
  return { ...actual, memoObject: vi.fn(actual.memoObject) };
});

async function evaluate(files: Record<string, string>) {
  const root = tmpTree(files);
  const loader = new ModuleLoader(root, () => {});
  const result = await evaluateRootModule(loader, '.');
  return { ...result, byAddress: new Map(result.instances.map((i) => [i.address, i])) };
}

/** n subnets, each with its own route table and an association naming both by reference. */
function manySubnets(n: number): string {
  let s = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n';
  for (let i = 0; i < n; i++) {
    s += `resource "aws_subnet" "s${i}" {\n  vpc_id     = aws_vpc.v.id\n  cidr_block = "10.0.${i}.0/24"\n}\n`;
    s += `resource "aws_route_table" "rt${i}" {\n  vpc_id = aws_vpc.v.id\n}\n`;
    s += `resource "aws_route_table_association" "a${i}" {\n  subnet_id      = aws_subnet.s${i}.id\n  route_table_id = aws_route_table.rt${i}.id\n}\n`;
  }
  s += 'locals {\n  blocks = [for s in aws_subnet : s.cidr_block]\n}\n';
  s += 'resource "null_resource" "all" {\n  triggers = { blocks = join(",", local.blocks), first = aws_subnet.s0.cidr_block }\n}\n';
  return s;
}

describe('resource type values', () => {
  it('builds the value of each referenced resource type once per module, however many references name it', async () => {
    const build = vi.mocked(lazy.memoObject);
    build.mockClear();
    const n = 40;
    const r = await evaluate({ 'main.tf': manySubnets(n) });
    const builtFor = build.mock.calls.map(([keys]) => [...keys][0]);
    // One build per type that some expression names: aws_vpc, aws_subnet and aws_route_table (never the association).
    expect(builtFor.sort()).toEqual(['rt0', 's0', 'v']);
    expect(build).toHaveBeenCalledTimes(3);
    for (const i of [0, 17, n - 1]) {
      const a = r.byAddress.get(`aws_route_table_association.a${i}`)!;
      expect(parseRef(a.values['subnet_id'] as string)).toEqual({ address: `aws_subnet.s${i}`, attribute: 'id' });
      expect(parseRef(a.values['route_table_id'] as string)).toEqual({ address: `aws_route_table.rt${i}`, attribute: 'id' });
    }
    const triggers = r.byAddress.get('null_resource.all')!.values['triggers'] as Record<string, string>;
    expect(triggers['first']).toBe('10.0.0.0/24');
    // Every instance of the type, in the order Terraform iterates an object: its keys sorted.
    const expected = Array.from({ length: n }, (_, i) => `s${i}`)
      .sort()
      .map((k) => `10.0.${k.slice(1)}.0/24`);
    expect(triggers['blocks']).toBe(expected.join(','));
  });

  it('keeps one value per type and module instance: a module and its caller never see each other’s resources', async () => {
    const r = await evaluate({
      'main.tf': `
resource "aws_subnet" "r" {
  cidr_block = "10.0.0.0/24"
}
module "m" {
  source = "./m"
  count  = 2
  base   = count.index
}
resource "null_resource" "root" {
  triggers = { mine = join(",", [for s in aws_subnet : s.cidr_block]), theirs = join(",", module.m[*].blocks) }
}
`,
      'm/main.tf': `
variable "base" {}
resource "aws_subnet" "c" {
  cidr_block = "10.1.\${var.base}.0/24"
}
output "blocks" {
  value = join("+", [for s in aws_subnet : s.cidr_block])
}
`,
    });
    const t = r.byAddress.get('null_resource.root')!.values['triggers'] as Record<string, unknown>;
    expect(t['mine']).toBe('10.0.0.0/24');
    expect(t['theirs']).toBe('10.1.0.0/24,10.1.1.0/24');
    expect(r.byAddress.get('module.m[1].aws_subnet.c')!.values['cidr_block']).toBe('10.1.1.0/24');
  });
});
