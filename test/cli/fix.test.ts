import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI, run as a user runs it, on copies of the rule fixtures: `npm run build` comes first, as in CI.
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const FIXTURES = path.join(REPO, 'fixtures/rules');

const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh copy of a fixture folder, and the text of its one configuration file. */
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

function findingsOf(dir: string, rule: string): number {
  const r = cli(['scan', '.', '--format', 'json', '--fail-on', 'none'], dir);
  return (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.filter((f) => f.ruleId === rule).length;
}

/** Replaces exactly one occurrence, so an expected text cannot silently miss its anchor. */
function once(text: string, find: string, replace: string): string {
  expect(text.split(find)).toHaveLength(2);
  return text.replace(find, replace);
}

describe('iac-vpce fix', () => {
  it('adds the table to a Terraform endpoint’s route_table_ids list, and the re-scan finds nothing', () => {
    const c = copyOf('VPCE101/terraform/bad-endpoint-on-other-table', 'main.tf');
    // Only VPCE101: the fixture's endpoint has no policy, and VPCE301's note on it has no mechanical fix.
    const r = cli(['fix', '.', '--rule', 'VPCE101'], c.dir);
    expect(r.code).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(
      once(c.text, 'route_table_ids = [aws_route_table.isolated.id]\n', 'route_table_ids = [aws_route_table.isolated.id, aws_route_table.private.id]\n'),
    );
    expect(r.stderr).toBe('iac-vpce: 1 edit made for 1 finding; 0 findings remain\n');
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('adds a Terraform gateway endpoint after the route table, with blank lines around it', () => {
    const c = copyOf('VPCE101/terraform/bad-nat-default-route', 'main.tf');
    expect(cli(['fix'], c.dir).code).toBe(0);
    const block = [
      'resource "aws_vpc_endpoint" "s3" {',
      '  vpc_id            = aws_vpc.main.id',
      '  service_name      = "com.amazonaws.us-east-1.s3"',
      '  vpc_endpoint_type = "Gateway"',
      '  route_table_ids   = [aws_route_table.private.id]',
      '}',
      '',
      '',
    ].join('\n');
    expect(readFileSync(c.file, 'utf8')).toBe(
      once(c.text, 'resource "aws_route_table_association" "private" {', `${block}resource "aws_route_table_association" "private" {`),
    );
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('appends `- !Ref Table` to a CloudFormation YAML RouteTableIds list', () => {
    const c = copyOf('VPCE101/cloudformation-yaml/bad-endpoint-on-public-table-only', 'template.yaml');
    expect(cli(['fix', '.'], c.dir).code).toBe(0);
    expect(readFileSync(c.file, 'utf8')).toBe(
      once(c.text, '        - !Ref PublicRouteTable\n', '        - !Ref PublicRouteTable\n        - !Ref PrivateRouteTable\n'),
    );
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('adds a gateway endpoint resource to a CloudFormation YAML template after the route table', () => {
    const c = copyOf('VPCE101/cloudformation-yaml/bad-nat-no-endpoint', 'template.yaml');
    expect(cli(['fix', '.'], c.dir).code).toBe(0);
    const resource = [
      '',
      '  S3GatewayEndpoint:',
      '    Type: AWS::EC2::VPCEndpoint',
      '    Properties:',
      '      VpcId: !Ref Vpc',
      '      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3',
      '      VpcEndpointType: Gateway',
      '      RouteTableIds:',
      '        - !Ref PrivateRouteTable',
      '',
      '',
    ].join('\n');
    expect(readFileSync(c.file, 'utf8')).toBe(
      once(c.text, '      VpcId: !Ref Vpc\n  PrivateDefaultRoute:', `      VpcId: !Ref Vpc\n${resource}  PrivateDefaultRoute:`),
    );
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('appends a `{"Ref": …}` item written like the others to a CloudFormation JSON RouteTableIds list', () => {
    const c = copyOf('VPCE101/cloudformation-json/bad-endpoint-on-public-table-only', 'template.json');
    expect(cli(['fix', '.'], c.dir).code).toBe(0);
    const before = ['          {', '            "Ref": "PublicRouteTable"', '          }', ''].join('\n');
    const after = [
      '          {',
      '            "Ref": "PublicRouteTable"',
      '          },',
      '          {',
      '            "Ref": "PrivateRouteTable"',
      '          }',
      '',
    ].join('\n');
    const fixed = readFileSync(c.file, 'utf8');
    expect(fixed).toBe(once(c.text, before, after));
    expect(() => JSON.parse(fixed)).not.toThrow();
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('adds a gateway endpoint member to a CloudFormation JSON template, indented as the file is', () => {
    const c = copyOf('VPCE101/cloudformation-json/bad-nat-no-endpoint', 'template.json');
    expect(cli(['fix', '.'], c.dir).code).toBe(0);
    const anchor =
      '"PrivateRouteTable": {\n      "Type": "AWS::EC2::RouteTable",\n      "Properties": {\n        "VpcId": {\n          "Ref": "Vpc"\n        }\n      }\n    }';
    const added = [
      ',',
      '    "S3GatewayEndpoint": {',
      '      "Type": "AWS::EC2::VPCEndpoint",',
      '      "Properties": {',
      '        "VpcId": { "Ref": "Vpc" },',
      '        "ServiceName": { "Fn::Sub": "com.amazonaws.${AWS::Region}.s3" },',
      '        "VpcEndpointType": "Gateway",',
      '        "RouteTableIds": [',
      '          { "Ref": "PrivateRouteTable" }',
      '        ]',
      '      }',
      '    }',
    ].join('\n');
    const fixed = readFileSync(c.file, 'utf8');
    expect(fixed).toBe(once(c.text, anchor, `${anchor}${added}`));
    expect(() => JSON.parse(fixed)).not.toThrow();
    expect(findingsOf(c.dir, 'VPCE101')).toBe(0);
  });

  it('prints the unified diff and writes nothing with --dry-run', () => {
    const c = copyOf('VPCE101/terraform/bad-endpoint-on-other-table', 'main.tf');
    const r = cli(['fix', '--dry-run', '--rule', 'VPCE101'], c.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '--- a/main.tf',
        '+++ b/main.tf',
        '@@ -48,5 +48,5 @@',
        ' resource "aws_vpc_endpoint" "s3" {',
        '   vpc_id          = aws_vpc.main.id',
        '   service_name    = "com.amazonaws.us-east-1.s3"',
        '-  route_table_ids = [aws_route_table.isolated.id]',
        '+  route_table_ids = [aws_route_table.isolated.id, aws_route_table.private.id]',
        ' }',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('iac-vpce: 1 edit would fix 1 finding of 1; 0 findings need a change by hand (dry run: no file written)\n');
    expect(readFileSync(c.file, 'utf8')).toBe(c.text);
    expect(findingsOf(c.dir, 'VPCE101')).toBe(1);
  });

  it('leaves a finding whose fix is not mechanical as it is, and says so', () => {
    // The endpoint is in a local module: an edit there would change every call of the module.
    const c = copyOf('VPCE101/terraform/bad-local-module', 'main.tf');
    const moduleText = readFileSync(path.join(c.dir, 'modules/network/main.tf'), 'utf8');
    const r = cli(['fix', '.', '--rule', 'VPCE101'], c.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(c.file, 'utf8')).toBe(c.text);
    expect(readFileSync(path.join(c.dir, 'modules/network/main.tf'), 'utf8')).toBe(moduleText);
    expect(r.stderr).toMatch(/^iac-vpce: 0 edits made for 0 findings; [1-9]\d* findings? remains?\n$/);
  });

  it('exits 2 on a path that does not exist', () => {
    const r = cli(['fix', 'no-such-dir'], REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or directory');
  });
});

describe('the JSON report', () => {
  it('carries the exact edits of a mechanical fix, the same ones iac-vpce fix applies', () => {
    const { dir, file, text } = copyOf('VPCE101/terraform/bad-nat-default-route', 'main.tf');
    const report = JSON.parse(cli(['scan', '.', '--format', 'json', '--fail-on', 'none'], dir).stdout) as {
      findings: Array<{
        ruleId: string;
        fix?: { edits?: Array<{ file: string; start: { line: number; column: number }; end: { line: number; column: number }; text: string }> };
      }>;
    };
    const edits = report.findings.find((f) => f.ruleId === 'VPCE101')?.fix?.edits ?? [];
    expect(edits).toHaveLength(1);
    const [edit] = edits;
    expect(edit!.file).toBe('main.tf');
    expect(edit!.start).toEqual(edit!.end);
    // Applying the edit by hand gives the file iac-vpce fix writes.
    const lines = text.split('\n');
    const at = edit!.start;
    lines[at.line - 1] = [...lines[at.line - 1]!].slice(0, at.column - 1).join('') + edit!.text + [...lines[at.line - 1]!].slice(at.column - 1).join('');
    cli(['fix', '.'], dir);
    expect(readFileSync(file, 'utf8')).toBe(lines.join('\n'));
  });
});
