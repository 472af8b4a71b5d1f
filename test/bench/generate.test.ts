import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCloudFormationTree, writeSubnetModule, writeTerraformTree } from '../../bench/generate.mjs';
import { scan } from '../../src/engine/scan.js';

// The benchmark measures what these generators write; a generator that produced parse errors or Unknowns would time
// the error paths instead. Small sizes of each are scanned here and must be clean.
const fresh = () => mkdtempSync(path.join(tmpdir(), 'iac-vpce-bench-gen-'));
const problems = (r: Awaited<ReturnType<typeof scan>>) => r.diagnostics.filter((d) => d.severity !== 'note');

describe('benchmark inputs', () => {
  it('Terraform root modules: three files each, every VPC built with its subnets, NAT gateways and routes', async () => {
    const dir = fresh();
    expect(writeTerraformTree(dir, 4)).toBe(12);
    const r = await scan({ paths: [dir], root: dir, keepGraphs: true });
    expect(problems(r)).toEqual([]);
    expect(r.files).toHaveLength(12);
    expect(r.graphs).toHaveLength(4);
    for (const g of r.graphs) {
      expect(g.all('subnet')).toHaveLength(6);
      expect(g.all('nat-gateway')).toHaveLength(3);
      // Three private tables and the VPC's main one.
      expect(g.all('route-table')).toHaveLength(4);
    }
    expect(r.graphs.reduce((n, g) => n + g.all('vpc-endpoint').length, 0)).toBe(2);
  });

  it('CloudFormation templates: the same network', async () => {
    const dir = fresh();
    expect(writeCloudFormationTree(dir, 2)).toBe(2);
    const r = await scan({ paths: [dir], root: dir, keepGraphs: true });
    expect(problems(r)).toEqual([]);
    expect(r.graphs.map((g) => [g.all('subnet').length, g.all('nat-gateway').length, g.all('vpc-endpoint').length])).toEqual([
      [6, 3, 0],
      [6, 3, 1],
    ]);
  });

  it('the many-subnet module: each subnet with its own route table and association', async () => {
    const dir = fresh();
    writeSubnetModule(dir, 30);
    const r = await scan({ paths: [dir], root: dir, keepGraphs: true });
    expect(problems(r)).toEqual([]);
    const [g] = r.graphs;
    expect(g!.all('subnet')).toHaveLength(30);
    // Its own table for each subnet, and the VPC's main route table.
    expect(g!.all('route-table')).toHaveLength(31);
    const tables = g!.all('subnet').map((s) => {
      const rt = g!.routeTableOf(s.id);
      return typeof rt === 'object' ? rt.table.id : rt;
    });
    expect(new Set(tables).size).toBe(30);
    expect(tables).not.toContain('unknown');
    expect(tables).not.toContain(undefined);
  });
});
