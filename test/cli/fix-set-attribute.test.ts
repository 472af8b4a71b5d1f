import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI on copies of VPCE205's fixtures: `npm run build` comes first, as in CI.
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const FIXTURES = path.join(REPO, 'fixtures/rules');

const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyOf(fixture: string, file: string): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-fix-'));
  copies.push(dir);
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return { dir, file: path.join(dir, file), text: readFileSync(path.join(dir, file), 'utf8') };
}

const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] } });

const count = (dir: string, rule: string) =>
  (JSON.parse(cli(['scan', '.', '--format', 'json', '--fail-on', 'none'], dir).stdout) as { findings: Array<{ ruleId: string }> }).findings.filter(
    (f) => f.ruleId === rule,
  ).length;

describe('iac-vpce fix for VPCE205', () => {
  it('adds enable_dns_hostnames = true to the Terraform VPC, and the re-scan finds nothing', () => {
    const c = copyOf('VPCE205/terraform/bad-dns-hostnames-unset', 'main.tf');
    expect(cli(['fix', '.'], c.dir).status).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(
      c.text.replace('  enable_dns_support = true\n}', '  enable_dns_support = true\n\n  enable_dns_hostnames = true\n}'),
    );
    expect(count(c.dir, 'VPCE205')).toBe(0);
  });

  it('turns enable_dns_support = false into true', () => {
    const c = copyOf('VPCE205/terraform/bad-dns-support-off', 'main.tf');
    expect(cli(['fix', '.'], c.dir).status).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(c.text.replace('enable_dns_support   = false', 'enable_dns_support   = true'));
    expect(count(c.dir, 'VPCE205')).toBe(0);
  });

  it('adds EnableDnsHostnames: true to the template VPC', () => {
    const c = copyOf('VPCE205/cloudformation-yaml/bad-dns-hostnames-unset', 'template.yaml');
    expect(cli(['fix', '.'], c.dir).status).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(
      c.text.replace('      EnableDnsSupport: true\n', '      EnableDnsSupport: true\n      EnableDnsHostnames: true\n'),
    );
    expect(count(c.dir, 'VPCE205')).toBe(0);
  });
});
