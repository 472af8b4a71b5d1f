import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import type { Finding } from '../../src/source/findings.js';
import { toSarif } from '../../src/report/index.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const REPO = path.resolve(__dirname, '../..');
const CDK_APP = path.join(REPO, 'examples/cdk-app');
const PLAN = path.join(REPO, 'fixtures/terraform-plan/nat-private-subnet');
const CFN = path.join(REPO, 'fixtures/rules/VPCE104');

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`"${needle}" is not in the text`);
  return i + 1;
}

const at = (f: Finding) => `${f.location.file}:${f.location.span.start.line}`;

async function sarifOf(opts: ScanOptions) {
  const result = await scan({ today: '2026-06-01', ...opts });
  const log = toSarif(result);
  expect(validateSarif(log)).toEqual([]);
  return { result, log, results: log.runs[0]!.results ?? [] };
}

const copies: string[] = [];
afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
});

/** A copy of the example CDK app to edit. */
function copyApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-cdk-'));
  copies.push(dir);
  cpSync(CDK_APP, dir, { recursive: true });
  return dir;
}

describe('a CDK app', () => {
  const source = readFileSync(path.join(CDK_APP, 'lib/network-stack.ts'), 'utf8');

  it('puts each finding on the TypeScript line that made the resource, with the template as a related location', async () => {
    const { result, results } = await sarifOf({ paths: [CDK_APP], root: CDK_APP });
    const vpcLine = lineOf(source, "new ec2.Vpc(this, 'Vpc'");
    const s3 = result.findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3.map(at)).toEqual([`lib/network-stack.ts:${vpcLine}`, `lib/network-stack.ts:${vpcLine}`]);
    expect(s3.map((f) => f.location.address).sort()).toEqual(['NetworkStack/Vpc/PrivateSubnet1/RouteTable', 'NetworkStack/Vpc/PrivateSubnet2/RouteTable']);
    for (const f of s3) {
      expect(f.origin?.file).toBe('cdk.out/NetworkStack.template.json');
      expect(f.related[0]!.at).toEqual(f.origin);
      expect(f.related[0]!.message).toBe(`${f.origin!.address} in the synthesized template of stack NetworkStack`);
    }
    // SARIF: the .ts file is the primary location, the template a related one.
    const r = results.find((x) => x.ruleId === 'VPCE101')!;
    const primary = r.locations![0]!.physicalLocation!;
    expect(primary.artifactLocation!.uri).toBe('lib/network-stack.ts');
    expect(primary.region!.startLine).toBe(vpcLine);
    expect(r.relatedLocations!.some((l) => l.physicalLocation!.artifactLocation!.uri === 'cdk.out/NetworkStack.template.json')).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
  });

  it("gives the fix in the app's TypeScript for a missing or unassociated gateway endpoint", async () => {
    const result = await scan({ paths: [CDK_APP], root: CDK_APP });
    const s3 = result.findings.find((f) => f.ruleId === 'VPCE101')!;
    expect(s3.messageId).toBe('viaNatUnassociated');
    expect(s3.fix!.snippet).toContain("vpc.addGatewayEndpoint('S3', {\n  service: ec2.GatewayVpcEndpointAwsService.S3,");
    expect(s3.fix!.description).toContain('widen the `subnets` of the S3 gateway endpoint');
    const dynamodb = result.findings.find((f) => f.ruleId === 'VPCE102')!;
    expect(dynamodb.messageId).toBe('viaNat');
    expect(dynamodb.fix!.snippet).toBe("vpc.addGatewayEndpoint('DynamoDB', {\n  service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,\n});");
  });

  it('finds the app from its cdk.json when pointed at the project, and the cdk.out folder alone still maps to source', async () => {
    const fromOut = await scan({ paths: [path.join(CDK_APP, 'cdk.out')], root: CDK_APP });
    expect(fromOut.findings.filter((f) => f.ruleId === 'VPCE101').map(at)).toEqual([
      `lib/network-stack.ts:${lineOf(source, "new ec2.Vpc(this, 'Vpc'")}`,
      `lib/network-stack.ts:${lineOf(source, "new ec2.Vpc(this, 'Vpc'")}`,
    ]);
  });

  it('puts a finding on an endpoint on its vpc.addGatewayEndpoint call', async () => {
    const dir = copyApp();
    const ts = path.join(dir, 'lib/network-stack.ts');
    const edited = source.replace(
      '    const orders = new dynamodb.Table(',
      "    vpc.addGatewayEndpoint('S3Again', {\n      service: ec2.GatewayVpcEndpointAwsService.S3,\n      subnets: [{ subnetType: ec2.SubnetType.PUBLIC }],\n    });\n\n    const orders = new dynamodb.Table(",
    );
    writeFileSync(ts, edited);
    const templateFile = path.join(dir, 'cdk.out/NetworkStack.template.json');
    const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
    const copy = JSON.parse(JSON.stringify(template.Resources['VpcS3A5408339'])) as { Metadata: Record<string, unknown> };
    copy.Metadata = { 'aws:cdk:path': 'NetworkStack/Vpc/S3Again/Resource' };
    template.Resources['VpcS3AgainB1C2D3E4'] = copy;
    writeFileSync(templateFile, JSON.stringify(template, null, 1));

    const { result } = await sarifOf({ paths: [dir], root: dir });
    const dup = result.findings.filter((f) => f.ruleId === 'VPCE104');
    expect(dup.length).toBeGreaterThan(0);
    expect(dup.map(at)).toContain(`lib/network-stack.ts:${lineOf(edited, "vpc.addGatewayEndpoint('S3Again'")}`);
  });

  it('honours iac-vpce Metadata written with addMetadata, on the resource the finding is about', async () => {
    const dir = copyApp();
    const templateFile = path.join(dir, 'cdk.out/NetworkStack.template.json');
    const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
    template.Resources['VpcPrivateSubnet1RouteTableB2C5B500']!.Metadata!['iac-vpce'] = {
      rules_to_suppress: [{ id: 'VPCE101', reason: 'S3 traffic of this tier is tiny', expires: '2026-12-31' }],
    };
    writeFileSync(templateFile, JSON.stringify(template, null, 1));
    const result = await scan({ paths: [dir], root: dir, today: '2026-06-01' });
    expect(result.findings.filter((f) => f.ruleId === 'VPCE101').map((f) => f.location.address)).toEqual(['NetworkStack/Vpc/PrivateSubnet2/RouteTable']);
    expect(result.suppressed?.map((s) => [s.finding.ruleId, s.finding.origin?.address, s.directive.reason])).toEqual([
      ['VPCE101', 'VpcPrivateSubnet1RouteTableB2C5B500', 'S3 traffic of this tier is tiny'],
    ]);
    // Expired: it no longer suppresses, and says so.
    const later = await scan({ paths: [dir], root: dir, today: '2027-01-01' });
    expect(later.findings.filter((f) => f.ruleId === 'VPCE101')).toHaveLength(2);
    expect(later.diagnostics.map((d) => d.code)).toContain('suppression-expired');
  });

  it('says to synthesize an app whose cdk.json has no cloud assembly beside it, and runs nothing', async () => {
    const dir = tmpTree({ 'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }), 'bin/app.ts': "throw new Error('must not run');\n" });
    const result = await scan({ paths: [dir], root: dir });
    expect(result.empty).toBe(false);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'cdk-not-synthesized', file: 'cdk.json', severity: 'warning' })]);
  });

  it('reads the assembly a cdk.json sends to a hidden output directory', async () => {
    const dir = copyApp();
    cpSync(path.join(dir, 'cdk.out'), path.join(dir, '.synth'), { recursive: true });
    rmSync(path.join(dir, 'cdk.out'), { recursive: true });
    writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'npx ts-node bin/app.ts', output: '.synth' }));
    const result = await scan({ paths: [dir], root: dir });
    expect(result.findings.filter((f) => f.ruleId === 'VPCE101').map((f) => f.location.file)).toEqual(['lib/network-stack.ts', 'lib/network-stack.ts']);
    expect(result.diagnostics.map((d) => d.code)).not.toContain('cdk-not-synthesized');
  });
});

describe('a Terraform plan JSON', () => {
  const tf = readFileSync(path.join(PLAN, 'main.tf'), 'utf8');
  const tableLine = lineOf(tf, 'resource "aws_route_table" "private"');

  it('puts the finding on the .tf line of the resource when the configuration is present, read from the plan alone', async () => {
    const { result, results } = await sarifOf({ paths: [path.join(PLAN, 'plan.json')], root: PLAN });
    expect(result.findings.map((f) => `${f.ruleId} ${at(f)} ${f.location.address}`)).toEqual([`VPCE101 main.tf:${tableLine} aws_route_table.private`]);
    expect(results[0]!.locations![0]!.physicalLocation!.region!.startLine).toBe(tableLine);
    expect(result.files).toEqual(['main.tf', 'plan.json']);
  });

  it('gives a Terraform fix even when the .tf files are absent and the finding points into the plan', async () => {
    const dir = path.join(REPO, 'fixtures/terraform-plan/existing-vpc');
    const result = await scan({ paths: [dir], root: dir });
    const [f] = result.findings;
    expect(f!.location.file).toBe('plan.json');
    expect(f!.fix!.snippet).toMatch(/^resource "aws_vpc_endpoint" "s3" \{/);
  });

  it('refuses a plan that is not UTF-8 with a diagnostic', async () => {
    const dir = tmpTree({});
    writeFileSync(
      path.join(dir, 'plan.json'),
      Buffer.concat([Buffer.from('{"format_version":"1.2","planned_values":{"root_module":{}},"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    );
    const result = await scan({ paths: [dir], root: dir });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'tfplan-invalid-utf8', file: 'plan.json' })]);
  });

  it('analyzes a root module once when its plan sits beside it', async () => {
    const result = await scan({ paths: [PLAN], root: PLAN });
    expect(result.findings.map(at)).toEqual([`main.tf:${tableLine}`]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['tf-root-read-from-plan']);
  });

  it('honours iac-vpce:ignore comments in the .tf files of a plan', async () => {
    const dir = tmpTree({
      'main.tf': tf.replace(
        'resource "aws_route_table" "private"',
        '# iac-vpce:ignore:VPCE101 -- planned endpoint rollout\nresource "aws_route_table" "private"',
      ),
    });
    // The plan's configuration names main.tf lines; the comment shifts them by one, as an edit would.
    writeFileSync(path.join(dir, 'plan.json'), readFileSync(path.join(PLAN, 'plan.json'), 'utf8'));
    const result = await scan({ paths: [path.join(dir, 'plan.json')], root: dir, today: '2026-06-01' });
    expect(result.findings).toEqual([]);
    expect(result.suppressed?.map((s) => s.finding.ruleId)).toEqual(['VPCE101']);
  });
});

describe('a Terraform configuration without a region', () => {
  it('says once that the region-dependent rules did not check its VPCs', async () => {
    // Zone ids, not zone names: a literal zone name would say the region (see the next test).
    const tf = readFileSync(path.join(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8')
      .replace(/provider "aws" \{[^}]*\}/, 'provider "aws" {}')
      .replace(/availability_zone = "us-east-1a"/g, 'availability_zone_id = "use1-az1"');
    const dir = tmpTree({ 'main.tf': tf });
    const without = await scan({ paths: [dir], root: dir });
    expect(without.findings).toEqual([]);
    expect(without.diagnostics).toEqual([
      expect.objectContaining({ code: 'tf-region-unknown', file: 'main.tf', line: lineOf(tf, 'resource "aws_vpc"'), severity: 'note' }),
      // The rule that would have fired says where and why it stayed silent; VPCE102 has nothing to decide (no DynamoDB use).
      expect.objectContaining({
        code: 'rule-undecided',
        rule: 'VPCE101',
        resource: 'aws_route_table.private',
        file: 'main.tf',
        line: lineOf(tf, 'resource "aws_route_table" "private"'),
        severity: 'note',
      }),
    ]);
    expect(without.diagnostics[1]!.message).toMatch(/^VPCE101 undecided for aws_route_table\.private: the region of aws_vpc\.main is not known/);
    const withRegion = await scan({ paths: [dir], root: dir, region: 'eu-west-1' });
    expect(withRegion.findings.map((f) => f.ruleId)).toEqual(['VPCE101']);
    expect(withRegion.diagnostics).toEqual([]);
  });

  it("takes the region its subnets' zones name, and says so when --region or the provider contradicts them", async () => {
    const tf = readFileSync(path.join(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8').replace(
      /provider "aws" \{[^}]*\}/,
      'provider "aws" {}',
    );
    const dir = tmpTree({ 'main.tf': tf });
    const pinned = await scan({ paths: [dir], root: dir });
    expect(pinned.findings.map((f) => f.ruleId)).toEqual(['VPCE101']);
    expect(pinned.findings[0]!.message).toContain('us-east-1');
    expect(pinned.diagnostics).toEqual([]);

    const contradicted = await scan({ paths: [dir], root: dir, region: 'eu-west-1' });
    expect(contradicted.findings).toEqual([]);
    const warnings = contradicted.diagnostics.filter((d) => d.code === 'tf-region-conflict');
    expect(warnings.map((d) => [d.severity, d.file, d.line])).toEqual(
      [...tf.matchAll(/availability_zone = "us-east-1a"/g)].map((m) => ['warning', 'main.tf', tf.slice(0, m.index).split('\n').length]),
    );
    expect(warnings[0]!.message).toMatch(/names availability zone us-east-1a, in us-east-1, but the region of aws_vpc\.main is eu-west-1/);
    // No tf-region-unknown note on top of the warning; the rule that stays silent says why.
    expect(contradicted.diagnostics.filter((d) => d.code !== 'tf-region-conflict').map((d) => [d.code, d.rule])).toEqual([['rule-undecided', 'VPCE101']]);
  });

  it('warns where a subnet names a zone of another region than the provider gives (fixture)', async () => {
    const dir = path.join(REPO, 'fixtures/rules/VPCE101/terraform/undecided-zone-contradicts-provider-region');
    const tf = readFileSync(path.join(dir, 'main.tf'), 'utf8');
    const result = await scan({ paths: [dir], root: dir });
    expect(result.findings).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === 'tf-region-conflict').map((d) => [d.severity, d.file, d.line])).toEqual([
      ['warning', 'main.tf', lineOf(tf, 'resource "aws_subnet" "public"') + 3],
      ['warning', 'main.tf', lineOf(tf, 'resource "aws_subnet" "private"') + 3],
    ]);
    expect(result.diagnostics.find((d) => d.code === 'tf-region-conflict')!.message).toContain(
      'eu-west-1a, in eu-west-1, but the region of aws_vpc.main is us-east-1',
    );
  });
});

describe('CloudFormation templates', () => {
  for (const [format, file] of [
    ['cloudformation-yaml', 'template.yaml'],
    ['cloudformation-json', 'template.json'],
  ] as const) {
    it(`give valid SARIF on the exact line of the offending entry (${format})`, async () => {
      const dir = path.join(CFN, format, 'bad-two-s3-endpoints');
      const text = readFileSync(path.join(dir, file), 'utf8');
      const { results } = await sarifOf({ paths: [dir], root: dir });
      const r = results.find((x) => x.ruleId === 'VPCE104')!;
      const loc = r.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation!.uri).toBe(file);
      // The second endpoint's entry naming PrivateRouteTable: the last occurrence in the file.
      const lines = text.split('\n');
      const last = lines.length - [...lines].reverse().findIndex((l) => l.includes('PrivateRouteTable'));
      expect(loc.region!.startLine).toBe(format === 'cloudformation-yaml' ? last : last - 1);
      expect(r.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toBe('S3EndpointB');
    });
  }

  it('honours rules_to_suppress in a resource Metadata, and reports a malformed entry', async () => {
    const dir = path.join(CFN, 'cloudformation-yaml', 'bad-two-s3-endpoints');
    const text = readFileSync(path.join(dir, 'template.yaml'), 'utf8');
    const suppressed = text.replace(
      /(\n {2}S3EndpointB:\n {4}Type: AWS::EC2::VPCEndpoint\n)/,
      '$1    Metadata:\n      iac-vpce:\n        rules_to_suppress:\n          - id: VPCE104\n            reason: migration, removed next sprint\n',
    );
    expect(suppressed).not.toBe(text);
    const ok = await scan({ paths: [tmpTree({ 'template.yaml': suppressed })], today: '2026-06-01' });
    expect(ok.findings.filter((f) => f.ruleId === 'VPCE104')).toEqual([]);
    expect(ok.suppressed?.map((s) => [s.finding.location.address, s.directive.line])).toEqual([['S3EndpointB', lineOf(suppressed, '  S3EndpointB:')]]);

    const bad = await scan({ paths: [tmpTree({ 'template.yaml': suppressed.replace('- id: VPCE104', '- rule: VPCE104') })], today: '2026-06-01' });
    expect(bad.findings.filter((f) => f.ruleId === 'VPCE104')).toHaveLength(1);
    expect(bad.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'suppression-malformed', file: 'template.yaml', line: lineOf(suppressed, '  S3EndpointB:') }),
    );

    const off = await scan({ paths: [tmpTree({ 'template.yaml': suppressed })], today: '2026-06-01', inlineSuppressions: false });
    expect(off.findings.filter((f) => f.ruleId === 'VPCE104')).toHaveLength(1);
  });

  it('gives JSON fixes for a JSON template and YAML fixes for a YAML one', async () => {
    const base = path.join(REPO, 'fixtures/rules/VPCE101');
    const json = await scan({ paths: [path.join(base, 'cloudformation-json/bad-nat-no-endpoint')] });
    const snippet = json.findings[0]!.fix!.snippet!;
    expect(JSON.parse(`{${snippet}}`)).toMatchObject({
      S3GatewayEndpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, RouteTableIds: [{ Ref: 'PrivateRouteTable' }] } },
    });
    const yaml = await scan({ paths: [path.join(base, 'cloudformation-yaml/bad-nat-no-endpoint')] });
    expect(yaml.findings[0]!.fix!.snippet).toContain('S3GatewayEndpoint:\n  Type: AWS::EC2::VPCEndpoint');
  });

  it('asks for a reason: entry in a Metadata suppression that has none', async () => {
    const dir = path.join(CFN, 'cloudformation-yaml', 'bad-two-s3-endpoints');
    const text = readFileSync(path.join(dir, 'template.yaml'), 'utf8').replace(
      /(\n {2}S3EndpointB:\n {4}Type: AWS::EC2::VPCEndpoint\n)/,
      '$1    Metadata:\n      iac-vpce:\n        rules_to_suppress:\n          - id: VPCE104\n',
    );
    const r = await scan({ paths: [tmpTree({ 'template.yaml': text })], today: '2026-06-01' });
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'suppression-without-reason', message: expect.stringContaining('add a `reason:` to its entry') }),
    );
  });

  it('takes parameter values from params', async () => {
    const template = [
      'Parameters:',
      '  WithNat:',
      '    Type: String',
      '    AllowedValues: ["yes", "no"]',
      'Conditions:',
      '  UseNat: !Equals [!Ref WithNat, "yes"]',
      'Resources:',
      '  Vpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties: { CidrBlock: 10.0.0.0/16 }',
      '  Igw:',
      '    Type: AWS::EC2::InternetGateway',
      '  Attach:',
      '    Type: AWS::EC2::VPCGatewayAttachment',
      '    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }',
      '  Public:',
      '    Type: AWS::EC2::Subnet',
      '    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }',
      '  Private:',
      '    Type: AWS::EC2::Subnet',
      '    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }',
      '  Eip:',
      '    Type: AWS::EC2::EIP',
      '    Condition: UseNat',
      '  Nat:',
      '    Type: AWS::EC2::NatGateway',
      '    Condition: UseNat',
      '    Properties: { SubnetId: !Ref Public, AllocationId: !GetAtt Eip.AllocationId }',
      '  PrivateTable:',
      '    Type: AWS::EC2::RouteTable',
      '    Properties: { VpcId: !Ref Vpc }',
      '  PrivateDefault:',
      '    Type: AWS::EC2::Route',
      '    Condition: UseNat',
      '    Properties: { RouteTableId: !Ref PrivateTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }',
      '  PrivateAssoc:',
      '    Type: AWS::EC2::SubnetRouteTableAssociation',
      '    Properties: { SubnetId: !Ref Private, RouteTableId: !Ref PrivateTable }',
      '',
    ].join('\n');
    const dir = tmpTree({ 'network.yaml': template });
    const yes = await scan({ paths: [dir], region: 'eu-west-1', params: { WithNat: 'yes' } });
    expect(yes.findings.map((f) => `${f.ruleId} ${f.location.address}`)).toEqual(['VPCE101 PrivateTable']);
    const no = await scan({ paths: [dir], region: 'eu-west-1', params: { WithNat: 'no' } });
    expect(no.findings).toEqual([]);
  });
});
