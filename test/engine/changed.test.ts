import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedTargets } from '../../src/engine/changed.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const NAT = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
const TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n';

/** A repository: a root module calling a local module that calls another, a second root, a template, a CDK app, prose. */
function repository(): string {
  return tmpTree({
    'envs/prod/main.tf': 'module "network" {\n  source = "../../modules/network"\n}\n',
    'envs/prod/terraform.tfvars': 'x = 1\n',
    'envs/dev/main.tf': 'module "network" {\n  source = "../../modules/network"\n}\n',
    'modules/network/main.tf': 'module "subnets" {\n  source = "./subnets"\n}\n',
    'modules/network/subnets/main.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
    'standalone/main.tf': NAT,
    'templates/vpc.yaml': TEMPLATE,
    'cdk-app/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
    'cdk-app/lib/stack.ts': 'export {};\n',
    'README.md': '# infra\n',
  });
}

const rel = (root: string, list: string[]) => list.map((p) => path.relative(root, p).split(path.sep).join('/'));

describe('changedTargets', () => {
  it('widens a file of a local module to every root module that calls it, however deep', async () => {
    const repo = repository();
    const r = await changedTargets(['modules/network/subnets/main.tf'], repo);
    expect(r.root).toBe(repo);
    expect(rel(repo, r.targets)).toEqual(['envs/dev/main.tf', 'envs/prod/main.tf', 'envs/prod/terraform.tfvars']);
    expect(r.ignored).toEqual([]);
  });

  it('keeps a root module to its own files, so a root module at the top does not scan the whole repository', async () => {
    const repo = tmpTree({ 'main.tf': NAT, 'nested/main.tf': NAT, 'nested/t.yaml': TEMPLATE });
    expect(rel(repo, (await changedTargets(['main.tf'], repo)).targets)).toEqual(['main.tf']);
  });

  it('maps templates to themselves, a file of a CDK app to its cdk.json, a deleted .tf file to its module, and ignores the rest', async () => {
    const repo = repository();
    const r = await changedTargets(['templates/vpc.yaml', 'cdk-app/lib/stack.ts', 'standalone/deleted.tf', 'README.md', 'docs/gone.md'], repo);
    expect(rel(repo, r.targets)).toEqual(['cdk-app/cdk.json', 'standalone/main.tf', 'templates/vpc.yaml']);
    expect(r.ignored).toEqual(['README.md', 'docs/gone.md']);
  });
});
