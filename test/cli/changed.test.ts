import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

const NAT = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

describe('iac-vpce scan --changed', () => {
  it('reports a finding of the calling root module with paths relative to the working directory', async () => {
    const repo = tmpTree({
      'envs/prod/main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "network" {\n  source = "../../modules/network"\n}\n',
      'modules/network/main.tf': NAT.replace(/provider "aws" \{[^}]*\}\n/, ''),
      'README.md': '# infra\n',
    });
    const r = await run(['scan', '--changed', '--fail-on', 'warning', 'modules/network/main.tf', 'README.md'], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^modules\/network\/main\.tf\n/);
    expect(r.stdout).toContain('VPCE101  S3 traffic from module.network.aws_subnet.private');
    expect(r.stdout).toContain('envs/prod/main.tf:5  called from module "network"');
    expect(r.stdout).not.toContain(repo);
  });

  it('exits 0 and says so when no changed file is IaC', async () => {
    const repo = tmpTree({ 'main.tf': NAT, 'README.md': '# infra\n' });
    const r = await run(['scan', '--changed', 'README.md', 'cdk-app/../docs/notes.txt'], repo);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: 'iac-vpce: nothing to scan: none of the 2 changed files is Terraform, CloudFormation or part of a CDK app\n',
    });
    expect((await run(['scan', '--changed', '--quiet', 'README.md'], repo)).stderr).toBe('');
  });
});
