import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI on copies of the VPCE201 fixtures: `npm run build` comes first, as in CI.
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const FIXTURES = path.join(REPO, 'fixtures/rules/VPCE201');

const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyOf(fixture: string, file: string): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-fix-'));
  copies.push(dir);
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return { dir, file: path.join(dir, file), text: readFileSync(path.join(dir, file), 'utf8') };
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function vpce201(dir: string): number {
  const r = cli(['scan', '.', '--format', 'json', '--fail-on', 'none', '--rule', 'VPCE201'], dir);
  return (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
}

describe('iac-vpce fix for VPCE201', () => {
  it('drops the second subnet of the zone from a Terraform subnet_ids list, and the re-scan finds nothing', () => {
    const c = copyOf('terraform/bad-two-subnets-one-az', 'main.tf');
    expect(cli(['fix', '.', '--rule', 'VPCE201'], c.dir).code).toBe(0);
    const before = 'subnet_ids          = [aws_subnet.app_a.id, aws_subnet.cache_a.id, aws_subnet.app_b.id]';
    expect(c.text.split(before)).toHaveLength(2);
    expect(readFileSync(c.file, 'utf8')).toBe(c.text.replace(before, 'subnet_ids          = [aws_subnet.app_a.id, aws_subnet.app_b.id]'));
    expect(vpce201(c.dir)).toBe(0);
  });

  it('drops the item line from a template’s SubnetIds', () => {
    const c = copyOf('cloudformation-yaml/bad-two-subnets-one-az', 'template.yaml');
    expect(cli(['fix', '.', '--rule', 'VPCE201'], c.dir).code).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(c.text.replace('        - !Ref CacheSubnetA\n', ''));
    expect(vpce201(c.dir)).toBe(0);
  });

  it('leaves a subnet attached by an association resource to the description', () => {
    const c = copyOf('terraform/bad-association-resource', 'main.tf');
    const r = cli(['fix', '.', '--rule', 'VPCE201', '--dry-run'], c.dir);
    expect(r.stderr).toContain('0 edits would fix 0 findings of 1');
    expect(readFileSync(c.file, 'utf8')).toBe(c.text);
  });
});
