import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const NAT_CONFIG = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
/** The same VPC with `provider "aws" {}`: its region is whatever the environment deploys it to. */
const NO_REGION = NAT_CONFIG.replace(/provider "aws" \{[^}]*\}/, 'provider "aws" {}').replaceAll('us-east-1a', 'a');

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}, extra: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env, cwd, ...extra };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const ids = (out: string) => (JSON.parse(out) as { findings: Array<{ ruleId: string; message: string }> }).findings;
const codes = (out: string) => (JSON.parse(out) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code);

describe('the region from the environment', () => {
  const dir = tmpTree({ 'main.tf': NO_REGION });

  it('stays undecided without a region anywhere', async () => {
    const r = await run(['scan', '.', '--format', 'json'], dir);
    expect(ids(r.stdout)).toEqual([]);
    expect(codes(r.stdout)).toContain('rule-undecided');
  });

  it('reads AWS_REGION, then AWS_DEFAULT_REGION, then CDK_DEFAULT_REGION, and says so in a note', async () => {
    for (const [variable, region] of [
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-2'],
      ['CDK_DEFAULT_REGION', 'ap-south-1'],
    ] as const) {
      const r = await run(['scan', '.', '--format', 'json'], dir, { [variable]: region });
      expect(r.code).toBe(0);
      expect(ids(r.stdout).map((f) => f.ruleId)).toEqual(['VPCE101']);
      const note = (JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; message: string }> }).diagnostics.find(
        (d) => d.code === 'region-from-environment',
      );
      expect(note?.message).toContain(`${region} from ${variable}`);
    }
    const both = await run(['scan', '.'], dir, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2', CDK_DEFAULT_REGION: 'us-east-2' });
    expect(both.stdout).toContain('eu-west-1 from AWS_REGION');
  });

  it('gives way to --region and to the config file, without a note', async () => {
    const r = await run(['scan', '.', '--format', 'json', '--region', 'us-west-2'], dir, { AWS_REGION: 'eu-west-1' });
    expect(codes(r.stdout)).not.toContain('region-from-environment');
    expect(ids(r.stdout)[0]?.message).toMatch(/us-west-2|US West/);
    const configured = tmpTree({ 'main.tf': NO_REGION, '.iac-vpce.yml': 'region: us-west-2\n' });
    const c = await run(['scan', '.', '--format', 'json'], configured, { AWS_REGION: 'eu-west-1' });
    expect(codes(c.stdout)).not.toContain('region-from-environment');
  });

  it('refuses a region the bundled data does not know, wherever it comes from', async () => {
    const env = await run(['scan', '.'], dir, { AWS_REGION: 'eu-wset-1' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('AWS_REGION eu-wset-1 is not a region of the bundled AWS data (did you mean eu-west-1?)');
    const flag = await run(['scan', '.', '--region', 'mars-north-1'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Regions: af-south-1,');
    expect(flag.stdout).toBe('');
  });
});

describe('graph and fix read the inputs as scan does', () => {
  const dir = tmpTree({ 'main.tf': NO_REGION });

  it('take the region from the environment, with the same note', async () => {
    const plain = await run(['graph', '.', '--format', 'json'], dir);
    const flagged = (out: string) => (JSON.parse(out) as { nodes: Array<{ findings: string[] }> }).nodes.filter((n) => n.findings.length > 0).length;
    expect(flagged(plain.stdout)).toBe(0);
    const env = await run(['graph', '.', '--format', 'json'], dir, { AWS_REGION: 'eu-west-1' });
    expect(env.code).toBe(0);
    expect(flagged(env.stdout)).toBeGreaterThan(0);
    expect(env.stderr).toContain('eu-west-1 from AWS_REGION');
    const fix = await run(['fix', '.', '--dry-run'], dir, { AWS_DEFAULT_REGION: 'eu-west-2' });
    expect(fix.code).toBe(0);
    expect(fix.stderr).toContain('eu-west-2 from AWS_DEFAULT_REGION');
    expect(fix.stderr).toMatch(/would fix 1 finding of 1/);
  });

  it('refuse unknown regions and rules, and an output folder that does not exist', async () => {
    for (const argv of [
      ['graph', '.', '--region', 'eu-wset-1'],
      ['fix', '.', '--region', 'eu-wset-1'],
    ]) {
      const r = await run(argv, dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--region eu-wset-1 is not a region of the bundled AWS data (did you mean eu-west-1?)');
    }
    const env = await run(['graph', '.'], dir, { AWS_REGION: 'mars-1' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('AWS_REGION mars-1 is not a region');
    const rule = await run(['fix', '.', '--rule', 'VPCE10'], dir);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain('--rule VPCE10: no such rule (did you mean VPCE101?)');
    const skip = await run(['graph', '.', '--skip-rule', 'nope'], dir);
    expect(skip.code).toBe(2);
    const out = await run(['graph', '.', '-o', 'no/such/dir/g.mmd'], dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^iac-vpce: --output /);
  });
});

describe('usage errors name the valid choices', () => {
  const dir = tmpTree({ 'main.tf': NAT_CONFIG });

  it('refuses unknown --rule and --skip-rule values, by id or name', async () => {
    const r = await run(['scan', '.', '--rule', 'VPCE10'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rule VPCE10: no such rule (did you mean VPCE101?)');
    expect(r.stderr).toContain('VPCE104 (duplicate-gateway-endpoint)');
    const s = await run(['scan', '.', '--skip-rule', 's3-trafic-via-nat'], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('did you mean s3-traffic-via-nat?');
    const ok = await run(['scan', '.', '--rule', 's3-traffic-via-nat', '--skip-rule', 'vpce103', '--format', 'json'], dir);
    expect(ok.code).toBe(0);
    expect(ids(ok.stdout).map((f) => f.ruleId)).toEqual(['VPCE101']);
  });

  it('points a mistyped command at the right help', async () => {
    const r = await run(['scan', '.', '--fail-on', 'sometimes'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('iac-vpce scan --help');
  });
});

describe('--fail-on-diagnostics', () => {
  const dir = tmpTree({ 'main.tf': NAT_CONFIG, 'broken/main.tf': 'resource "aws_vpc" "x" {\n' });
  const quiet = tmpTree({ 'main.tf': NO_REGION });

  it('exits 1 on a parse error by default, and not with none', async () => {
    const r = await run(['scan', '.', '--fail-on', 'none'], dir);
    expect(r.stdout).toMatch(/error\s+tf-parse-error/);
    expect(r.code).toBe(1);
    expect((await run(['scan', '.', '--fail-on', 'none', '--fail-on-diagnostics', 'none'], dir)).code).toBe(0);
  });

  it('counts undecided notes without failing, unless the level is note', async () => {
    expect((await run(['scan', '.'], quiet)).code).toBe(0);
    expect((await run(['scan', '.', '--fail-on-diagnostics', 'warning'], quiet)).code).toBe(0);
    expect((await run(['scan', '.', '--fail-on-diagnostics', 'note'], quiet)).code).toBe(1);
  });

  it('takes the level from the config file, and the command line wins', async () => {
    const configured = tmpTree({ 'main.tf': NO_REGION, '.iac-vpce.yml': 'fail-on-diagnostics: note\n' });
    expect((await run(['scan', '.'], configured)).code).toBe(1);
    expect((await run(['scan', '.', '--fail-on-diagnostics', 'error'], configured)).code).toBe(0);
  });
});

describe('the text summary line', () => {
  it('counts the VPCs analyzed and the undecided places', async () => {
    const dir = tmpTree({ 'a/main.tf': NO_REGION, 'b/main.tf': NAT_CONFIG.replaceAll('"main"', '"other"').replaceAll('.main.', '.other.') });
    const r = await run(['scan', '.'], dir);
    expect(r.stdout.trimEnd().split('\n').at(-2)).toBe('0 errors, 1 warning, 0 notes in 1 file (2 files scanned), 2 VPCs analyzed, 1 undecided');
  });
});
