import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { ModuleLoader } from '../../src/parsers/terraform/evaluate/index.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** A root module with a NAT route (VPCE101 material), a syntax error in one file when `broken`, and a note-level unset variable. */
function rootModule(i: number, broken: boolean): Record<string, string> {
  const dir = `env${String(i).padStart(2, '0')}`;
  return {
    [`${dir}/main.tf`]: `provider "aws" {
  region = "us-east-1"
}
variable "unset_${i}" {}
resource "aws_vpc" "v" {
  cidr_block = "10.${i}.0.0/16"
  tags       = { Name = var.unset_${i} }
}
resource "aws_subnet" "s" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.${i}.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_nat_gateway" "n" {
  subnet_id = aws_subnet.s.id
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.n.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.s.id
  route_table_id = aws_route_table.r.id
}
`,
    [`${dir}/extra.tf`]: broken ? 'resource "aws_vpc" "w" {\n  cidr_block = \n}\n' : `locals {\n  n = ${i}\n}\n`,
  };
}

describe('root modules loaded ahead of their evaluation', () => {
  it('report each module exactly as a scan of that module alone does', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 9; i++) Object.assign(files, rootModule(i, i % 3 === 1));
    const root = tmpTree(files);
    const whole = await scan({ paths: [root], today: '2026-06-01', keepGraphs: true });
    const dirs = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
    expect(whole.graphs).toHaveLength(dirs.length);
    for (const dir of dirs) {
      const alone = await scan({ paths: [root], exclude: dirs.filter((d) => d !== dir), today: '2026-06-01' });
      const inDir = <T extends { file: string }>(list: T[]) => list.filter((x) => x.file.startsWith(`${dir}/`));
      expect(inDir(whole.diagnostics)).toEqual(inDir(alone.diagnostics));
      expect(inDir(alone.diagnostics).length).toBeGreaterThan(0);
      expect(whole.findings.filter((f) => f.location.file.startsWith(`${dir}/`))).toEqual(alone.findings);
    }
    // The broken files are reported, and the modules around them still produce their findings.
    expect(whole.diagnostics.filter((d) => d.code === 'tf-parse-error').map((d) => d.file)).toEqual(['env01/extra.tf', 'env04/extra.tf', 'env07/extra.tf']);
    expect(new Set(whole.findings.map((f) => f.location.file.split('/')[0]))).toEqual(new Set(dirs));
  });

  it('parses a module directory of more files than are read ahead, in name order, override files last', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`m/f${String(i).padStart(2, '0')}.tf`] = `locals {\n  v${i} = ${i}\n}\n`;
    files['m/a_override.tf'] = 'locals {\n  v3 = "overridden"\n}\n';
    const loader = new ModuleLoader(tmpTree(files), () => {});
    const source = await loader.load('m');
    expect(source!.files.map((f) => f.path)).toEqual([...Array.from({ length: 20 }, (_, i) => `m/f${String(i).padStart(2, '0')}.tf`), 'm/a_override.tf']);
    const v3 = source!.files[3]!.blocks[0]!.attributes['v3']!;
    expect(v3.file).toBe('m/a_override.tf');
  });
});
