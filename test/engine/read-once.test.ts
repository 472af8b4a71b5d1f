import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { discover } from '../../src/engine/discover/index.js';
import { scan } from '../../src/engine/scan.js';
import { ModuleLoader } from '../../src/parsers/terraform/evaluate/index.js';
import { InputPolicy } from '../../src/source/fs-policy.js';
import { PrereadFiles } from '../../src/source/preread.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** Counts, by root-relative path, every read of a file through the policy (the only way the scan reads inputs). */
function countReads(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (abs: string) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    counts.set(rel, (counts.get(rel) ?? 0) + 1);
  };
  for (const method of ['read', 'readSync', 'readEntrySync'] as const) {
    const original = InputPolicy.prototype[method] as (this: InputPolicy, abs: string, ...rest: never[]) => unknown;
    vi.spyOn(InputPolicy.prototype, method).mockImplementation(function (this: InputPolicy, abs: string, ...rest: unknown[]) {
      count(abs);
      return original.call(this, abs, ...(rest as never[])) as never;
    });
  }
  return counts;
}

const tree = {
  'envs/prod/main.tf': 'module "net" {\n  source = "../../modules/net"\n  cidr   = "10.1.0.0/16"\n}\n',
  'envs/prod/variables.tf': 'variable "region" {\n  default = "us-east-1"\n}\n',
  'envs/dev/main.tf': 'module "net" {\n  source = "../../modules/net"\n  cidr   = "10.2.0.0/16"\n}\n',
  'modules/net/main.tf':
    'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\nresource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.v.id\n  cidr_block = cidrsubnet(var.cidr, 8, 1)\n}\n',
  'modules/net/outputs.tf': 'output "vpc_id" {\n  value = aws_vpc.v.id\n}\n',
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('each Terraform file is read once per scan', () => {
  it('discovery reads every .tf file and the loader takes its bytes, a module called twice included', async () => {
    const root = tmpTree(tree);
    const counts = countReads(root);
    const out = await scan({ paths: [root], today: '2026-06-01' });
    expect(out.files).toEqual(Object.keys(tree).sort());
    const tf = [...counts].filter(([rel]) => rel.endsWith('.tf'));
    expect(tf.map(([rel]) => rel).sort()).toEqual(Object.keys(tree).sort());
    expect(tf.filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('a file over the budget of kept bytes is read again by the loader, to the same result', async () => {
    const root = tmpTree(tree);
    const found = await discover([root], { preread: new PrereadFiles(0) });
    expect(found.terraformModules.filter((m) => m.isRoot).map((m) => m.dir)).toEqual(['envs/dev', 'envs/prod']);
    expect(found.preread.bytesHeld).toBe(0);
    const counts = countReads(root);
    const loader = new ModuleLoader(root, () => {}, undefined, found.policy, found.preread);
    const loaded = await loader.load('modules/net');
    expect(loaded?.files.map((f) => f.path)).toEqual(['modules/net/main.tf', 'modules/net/outputs.tf']);
    expect(counts.get('modules/net/main.tf')).toBe(1);

    const kept = await discover([root]);
    expect(kept.preread.bytesHeld).toBeGreaterThan(0);
    expect(counts.get('modules/net/main.tf')).toBe(2);
    counts.clear();
    const keptLoader = new ModuleLoader(root, () => {}, undefined, kept.policy, kept.preread);
    const again = await keptLoader.load('modules/net');
    expect(again?.files).toEqual(loaded?.files);
    // Taken from what discovery kept: not read again.
    expect(counts.size).toBe(0);
  });
});
