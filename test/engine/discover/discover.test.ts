import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/engine/discover/index.js';
import { tmpTree } from '../../helpers/tmp-tree.js';

const VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n';
const CFN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n';

describe('discover: walking', () => {
  it('skips node_modules, .git and hidden folders, and keeps .terraform/modules as non-root modules', async () => {
    const root = tmpTree({
      'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
      'terraform.tfvars': 'region = "eu-west-1"\n',
      'prod.auto.tfvars': 'env = "prod"\n',
      'node_modules/pkg/main.tf': VPC,
      '.git/hooks/x.tf': VPC,
      '.github/workflows/ci.tf': VPC,
      '.hidden.tf': VPC,
      '.terraform/providers/registry/aws.tf': VPC,
      '.terraform/modules/modules.json': '{"Modules":[]}',
      '.terraform/modules/vpc/main.tf': VPC,
      '.terraform/modules/vpc/.git/objects.tf': VPC,
    });
    const r = await discover([root]);
    expect(r.root).toBe(root);
    expect(r.files).toEqual([
      { path: '.terraform/modules/vpc/main.tf', kind: 'terraform' },
      { path: 'main.tf', kind: 'terraform' },
      { path: 'prod.auto.tfvars', kind: 'tfvars' },
      { path: 'terraform.tfvars', kind: 'tfvars' },
    ]);
    expect(r.terraformModules).toEqual([
      { dir: '.', files: ['main.tf'], tfvars: ['prod.auto.tfvars', 'terraform.tfvars'], isRoot: true },
      { dir: '.terraform/modules/vpc', files: ['.terraform/modules/vpc/main.tf'], tfvars: [], isRoot: false },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('does not loop through a symbolic link to a parent directory, and says so', async () => {
    const root = tmpTree({ 'envs/prod/main.tf': VPC });
    symlinkSync(path.join(root, 'envs'), path.join(root, 'envs/prod/loop'), 'dir');
    const r = await discover([root]);
    expect(r.files).toEqual([{ path: 'envs/prod/main.tf', kind: 'terraform' }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'note', code: 'discover-symlink-loop', file: 'envs/prod/loop' })]);
  });

  it('lists a directory reached through a link into the tree once, under its real name, and sees calls through the link', async () => {
    const root = tmpTree({ 'modules/net/main.tf': VPC, 'stacks/a/main.tf': 'module "n" {\n  source = "../net-link"\n}\n' });
    symlinkSync(path.join(root, 'modules/net'), path.join(root, 'stacks/net-link'), 'dir');
    const r = await discover([root]);
    expect(r.files.map((f) => f.path)).toEqual(['modules/net/main.tf', 'stacks/a/main.tf']);
    expect(r.terraformModules.map((m) => [m.dir, m.isRoot])).toEqual([
      ['modules/net', false],
      ['stacks/a', true],
    ]);
  });

  it('ignores dangling links', async () => {
    const root = tmpTree({ 'main.tf': VPC });
    symlinkSync(path.join(root, 'missing'), path.join(root, 'gone'), 'dir');
    symlinkSync(path.join(root, 'missing.tf'), path.join(root, 'gone.tf'), 'file');
    const r = await discover([root]);
    expect(r.files.map((f) => f.path)).toEqual(['main.tf']);
    expect(r.diagnostics).toEqual([]);
  });

  it('stops at the depth limit with a note instead of walking forever', async () => {
    const deep = Array.from({ length: 70 }, (_, i) => `d${i}`).join('/');
    const root = tmpTree({ [`${deep}/main.tf`]: VPC, 'main.tf': VPC });
    const r = await discover([root]);
    expect(r.files.map((f) => f.path)).toEqual(['main.tf']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'discover-too-deep' })]);
  });

  it('reports a path that does not exist and still scans the others', async () => {
    const root = tmpTree({ 'a/main.tf': VPC });
    const r = await discover([path.join(root, 'a'), path.join(root, 'nope')]);
    expect(r.files).toEqual([{ path: 'main.tf', kind: 'terraform' }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'discover-path-not-found' })]);
  });
});

describe('discover: root and relative paths', () => {
  it('uses the common parent of several paths as the root, with forward slashes', async () => {
    const root = realpathSync(tmpTree({ 'live/prod/main.tf': VPC, 'live/dev/main.tf': VPC, 'templates/vpc.yaml': CFN }));
    const r = await discover([path.join(root, 'live/prod'), path.join(root, 'templates/vpc.yaml')]);
    expect(r.root).toBe(root);
    expect(r.files).toEqual([
      { path: 'live/prod/main.tf', kind: 'terraform' },
      { path: 'templates/vpc.yaml', kind: 'cloudformation' },
    ]);
  });

  it('uses the directory of a single file as the root, and classifies a hidden file when it is named', async () => {
    const root = tmpTree({ 'net/.generated.tf': VPC });
    const r = await discover([path.join(root, 'net/.generated.tf')]);
    expect(r.root).toBe(path.join(root, 'net'));
    expect(r.files).toEqual([{ path: '.generated.tf', kind: 'terraform' }]);
    expect(r.terraformModules).toEqual([{ dir: '.', files: ['.generated.tf'], tfvars: [], isRoot: true }]);
  });

  it('makes paths relative to an explicit root', async () => {
    const root = tmpTree({ 'infra/main.tf': VPC });
    const r = await discover([path.join(root, 'infra')], { root });
    expect(r.root).toBe(root);
    expect(r.terraformModules.map((m) => m.dir)).toEqual(['infra']);
  });

  it('is deterministic', async () => {
    const files: Record<string, string> = {};
    for (const d of ['b', 'a', 'c/z', 'c/a']) for (const f of ['z.tf', 'a.tf', 'm.tf.json']) files[`${d}/${f}`] = f.endsWith('.json') ? '{}' : VPC;
    const root = tmpTree(files);
    const first = await discover([root]);
    const second = await discover([root]);
    expect(second).toEqual(first);
    expect(first.terraformModules.map((m) => m.dir)).toEqual(['a', 'b', 'c/a', 'c/z']);
    expect(first.terraformModules[0]!.files).toEqual(['a/a.tf', 'a/m.tf.json', 'a/z.tf']);
  });
});

describe('discover: module roots', () => {
  it('marks a directory called with a local source as a child, not a root', async () => {
    const root = tmpTree({
      'envs/prod/main.tf':
        '# module "old" { source = "../../modules/unused" }\nmodule "network" {\n  source = "../../modules/network"\n  cidr   = "10.0.0.0/16"\n}\n',
      'envs/prod/policy.tf': 'locals {\n  arn = "arn:aws:s3:::bucket/*"\n}\n',
      'envs/dev/main.tf.json': '{"module": {"network": {"source": "../../modules/network/"}}}',
      'modules/network/main.tf':
        'module "subnets" {\n  source = "./subnets"\n}\nterraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
      'modules/network/subnets/main.tf': VPC,
      'modules/unused/main.tf': VPC,
      'standalone/main.tf': VPC,
    });
    const r = await discover([root]);
    expect(r.terraformModules.map((m) => [m.dir, m.isRoot])).toEqual([
      ['envs/dev', true],
      ['envs/prod', true],
      ['modules/network', false],
      ['modules/network/subnets', false],
      ['modules/unused', true],
      ['standalone', true],
    ]);
  });

  it('keeps a module that calls itself a root', async () => {
    const root = tmpTree({ 'main.tf': 'module "self" {\n  source = "./"\n}\n' });
    const r = await discover([root]);
    expect(r.terraformModules).toEqual([{ dir: '.', files: ['main.tf'], tfvars: [], isRoot: true }]);
  });
});

describe('discover: CDK assemblies', () => {
  it('lists cdk.out/manifest.json once and does not walk its templates or assets', async () => {
    const root = tmpTree({
      'cdk.out/manifest.json': '{"version":"36.0.0","artifacts":{"Net":{"type":"aws:cloudformation:stack"}}}',
      'cdk.out/Net.template.json': '{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"}}}',
      'cdk.out/asset.abc/node_modules/x/main.tf': VPC,
      'cdk.out/asset.abc/index.js': '',
      'lib/net-stack.ts': 'export {}',
    });
    const r = await discover([root]);
    expect(r.files).toEqual([{ path: 'cdk.out/manifest.json', kind: 'cdk-assembly' }]);
  });

  it('recognises an assembly written to another directory by its manifest', async () => {
    const root = tmpTree({
      'synth/manifest.json':
        '{"version":"36.0.0","artifacts":{"Net":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/unknown-region"}}}',
      'synth/Net.template.json': '{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"}}}',
    });
    mkdirSync(path.join(root, 'empty'));
    const r = await discover([root]);
    expect(r.files).toEqual([{ path: 'synth/manifest.json', kind: 'cdk-assembly' }]);
  });
});

describe('discover: local module calls', () => {
  it('finds a call however its source is written, and not one in a comment or in a string that only looks like one', async () => {
    const root = tmpTree({
      'main.tf': 'module "a" {\n  source="./a"\n}\nmodule "b" {\n  source = "\\u002E/b"\n}\n# module "c" { source = "./c" }\n',
      'a/main.tf': VPC,
      'b/main.tf': VPC,
      'c/main.tf': 'locals {\n  note = "source = \\"../d\\""\n}\n',
      'd/main.tf': VPC,
    });
    const r = await discover([root]);
    expect(r.terraformModules.map((m) => [m.dir, m.isRoot])).toEqual([
      ['.', true],
      ['a', false],
      ['b', false],
      ['c', true],
      ['d', true],
    ]);
  });
});
