import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const EXAMPLE = path.resolve(__dirname, '../../examples/terraform-nat-vpc');
const GOLDEN = path.resolve(__dirname, '../../fixtures/golden/terraform-nat-vpc.sarif');

async function run(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const NAT_CONFIG = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
/** The NAT configuration with zone ids instead of zone names, which would say the region themselves. */
const NAT_CONFIG_ZONE_IDS = NAT_CONFIG.replace(/availability_zone = "us-east-1a"/g, 'availability_zone_id = "use1-az1"');

describe('iac-vpce scan', () => {
  it('prints findings grouped by file on the example and exits 0 when nothing reaches --fail-on error', async () => {
    const r = await run(['scan', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('main.tf');
    expect(r.stdout).toContain('VPCE101');
    expect(r.stdout).toContain('VPCE102');
    expect(r.stdout).toContain('VPCE103');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 1 when a finding is at or above --fail-on', async () => {
    expect((await run(['scan', EXAMPLE, '--fail-on', 'warning'])).code).toBe(1);
    expect((await run(['scan', EXAMPLE, '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 2 on usage errors and when there is nothing to scan', async () => {
    expect((await run(['scan', 'does-not-exist'])).code).toBe(2);
    expect((await run(['scan', EXAMPLE, '--format', 'xml'])).code).toBe(2);
    expect((await run(['scan', EXAMPLE, '--var', 'novalue'])).code).toBe(2);
    const empty = tmpTree({ 'README.md': '# nothing here\n' });
    const r = await run(['scan', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to scan');
  });

  // Every golden file is compared with a fresh scan in test/cli/golden.test.ts; this one checks --output writes the same.
  it('writes schema-valid SARIF identical to the golden file with --output', async () => {
    const dir = tmpTree({});
    const out = path.join(dir, 'out.sarif');
    const r = await run(['scan', '.', '--format', 'sarif', '--output', out], EXAMPLE);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(validateSarif(JSON.parse(text))).toEqual([]);
    expect(existsSync(GOLDEN), 'run `npm run golden` to create the golden file').toBe(true);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('takes CloudFormation parameter values from --param and from the config file', async () => {
    const template = [
      'Parameters:',
      '  WithNat: { Type: String, Default: "no" }',
      'Conditions:',
      '  UseNat: !Equals [!Ref WithNat, "yes"]',
      'Resources:',
      '  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }',
      '  Public: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 } }',
      '  Private: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }',
      '  Nat: { Type: AWS::EC2::NatGateway, Condition: UseNat, Properties: { SubnetId: !Ref Public, AllocationId: eipalloc-1 } }',
      '  Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }',
      '  Default: { Type: AWS::EC2::Route, Condition: UseNat, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat } }',
      '  Assoc: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Private, RouteTableId: !Ref Table } }',
      '',
    ].join('\n');
    const dir = tmpTree({ 'network.yaml': template });
    const base = ['scan', '.', '--region', 'us-east-1', '--format', 'json'];
    const ids = (out: string) => (JSON.parse(out) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId);
    expect(ids((await run(base, dir)).stdout)).toEqual([]);
    expect(ids((await run([...base, '--param', 'WithNat=yes'], dir)).stdout)).toEqual(['VPCE101']);
    expect((await run([...base, '--param', 'WithNat'], dir)).code).toBe(2);
    const configured = tmpTree({ 'network.yaml': template, '.iac-vpce.yml': 'params:\n  WithNat: "yes"\n' });
    expect(ids((await run(base, configured)).stdout)).toEqual(['VPCE101']);
    expect(ids((await run([...base, '--param', 'WithNat=no'], configured)).stdout)).toEqual([]);
  });

  it('gives byte-identical SARIF on repeated runs', async () => {
    const a = await run(['scan', '.', '--format', 'sarif'], EXAMPLE);
    const b = await run(['scan', '.', '--format', 'sarif'], EXAMPLE);
    expect(a.stdout).toBe(b.stdout);
  });

  it('reports a malformed file with its line and still scans the good files next to it', async () => {
    const dir = tmpTree({ 'main.tf': NAT_CONFIG, 'broken.tf': 'resource "aws_route" "x" {\n  route_table_id = \n}\n' });
    const r = await run(['scan', '.', '--format', 'json'], dir);
    const json = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }>; diagnostics: Array<{ file: string; line?: number; code: string }> };
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ file: 'broken.tf', line: 2, code: 'tf-parse-error' }));
    expect(json.findings.map((f) => f.ruleId)).toContain('VPCE101');
    expect(r.stderr).toMatch(/broken\.tf:2: error tf-parse-error/);
  });

  it('uses --region for a provider without region, and --var for variables', async () => {
    const dir = tmpTree({
      'main.tf': NAT_CONFIG_ZONE_IDS.replace('region = "us-east-1"', 'region = var.region') + '\nvariable "region" {\n  type = string\n}\n',
    });
    const silent = JSON.parse((await run(['scan', '.', '--format', 'json'], dir)).stdout) as { findings: unknown[] };
    expect(silent.findings).toEqual([]);
    const withVar = JSON.parse((await run(['scan', '.', '--format', 'json', '--var', 'region=eu-west-1'], dir)).stdout) as {
      findings: Array<{ message: string }>;
    };
    expect(withVar.findings[0]!.message).toContain('eu-west-1');
    const noRegion = tmpTree({ 'main.tf': NAT_CONFIG_ZONE_IDS.replace('region = "us-east-1"', '') });
    const withRegion = JSON.parse((await run(['scan', '.', '--format', 'json', '--region', 'ap-southeast-2'], noRegion)).stdout) as {
      findings: Array<{ message: string }>;
    };
    expect(withRegion.findings[0]!.message).toContain('ap-southeast-2');
  });

  it('selects rules with --rule and --skip-rule', async () => {
    const only = JSON.parse((await run(['scan', '.', '--format', 'json', '--rule', 'VPCE103'], EXAMPLE)).stdout) as { findings: Array<{ ruleId: string }> };
    expect(new Set(only.findings.map((f) => f.ruleId))).toEqual(new Set(['VPCE103']));
    const skip = JSON.parse((await run(['scan', '.', '--format', 'json', '--skip-rule', 'VPCE101'], EXAMPLE)).stdout) as {
      findings: Array<{ ruleId: string }>;
    };
    expect(skip.findings.map((f) => f.ruleId)).not.toContain('VPCE101');
  });
});

describe('iac-vpce rules / explain', () => {
  it('lists every rule', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(0);
    for (const id of ['VPCE101', 'VPCE102', 'VPCE103', 'VPCE104']) expect(r.stdout).toContain(id);
  });

  it('prints a rule’s documentation', async () => {
    const r = await run(['explain', 'vpce101']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# VPCE101 — s3-traffic-via-nat');
    expect((await run(['explain', 'VPCE999'])).code).toBe(2);
  });
});

describe('iac-vpce scan: rules that stayed silent', () => {
  // The NAT configuration without a provider region: VPCE101 cannot match S3's ranges, and says so.
  const files = { 'main.tf': NAT_CONFIG_ZONE_IDS.replace(/provider "aws" \{[^}]*\}/, 'provider "aws" {}') };
  const line = files['main.tf'].split('\n').findIndex((l) => l.startsWith('resource "aws_route_table" "private"')) + 1;

  it('counts them in the text summary, and lists them with --show-undecided', async () => {
    const dir = tmpTree(files);
    const plain = await run(['scan', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('0 errors, 0 warnings, 0 notes in 0 files (1 file scanned), 1 VPC analyzed, 1 undecided');
    expect(plain.stdout).not.toContain('VPCE101 undecided for');
    expect(plain.stdout).toContain('--show-undecided lists them');
    const shown = await run(['scan', dir, '--show-undecided']);
    expect(shown.stdout).toContain(`main.tf:${line}:1`);
    expect(shown.stdout).toContain('rule-undecided  VPCE101 undecided for aws_route_table.private: the region of aws_vpc.main is not known');
  });

  it('carries them in JSON, with the rule and the resource, and counts them', async () => {
    const r = await run(['scan', tmpTree(files), '--format', 'json']);
    const report = JSON.parse(r.stdout) as { undecided: number; diagnostics: Array<Record<string, unknown>> };
    expect(report.undecided).toBe(1);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'rule-undecided', rule: 'VPCE101', resource: 'aws_route_table.private', file: 'main.tf', line, severity: 'note' }),
    );
  });

  it('carries them in SARIF as notifications that refer to the rule descriptor', async () => {
    const r = await run(['scan', tmpTree(files), '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log)).toEqual([]);
    const run0 = log.runs[0];
    const n = run0.invocations[0].toolExecutionNotifications.find((x: { descriptor: { id: string } }) => x.descriptor.id === 'rule-undecided');
    expect(n.level).toBe('note');
    expect(n.message.text).toMatch(/^VPCE101 undecided for aws_route_table\.private: /);
    expect(n.associatedRule.id).toBe('VPCE101');
    expect(run0.tool.driver.rules[n.associatedRule.index].id).toBe('VPCE101');
    expect(n.locations[0].physicalLocation.region.startLine).toBe(line);
  });
});
