import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { toSarif } from '../../src/report/index.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules');
const fixture = (rel: string) => readFileSync(path.join(FIXTURES, rel), 'utf8');
/** VPCE101 on `aws_route_table.private`, header on line 30. */
const NAT = fixture('VPCE101/terraform/bad-nat-default-route/main.tf');
const TABLE = 'resource "aws_route_table" "private" {';
const SUBNET = 'resource "aws_subnet" "private" {';

const above = (text: string, header: string, ...comments: string[]) => text.replace(header, `${comments.join('\n')}\n${header}`);
const inside = (text: string, header: string, comment: string) => text.replace(header, `${header}\n  ${comment}`);

async function scanTree(files: Record<string, string>, opts: Partial<ScanOptions> = {}) {
  const dir = tmpTree(files);
  return scan({ paths: [dir], today: '2026-06-01', ...opts });
}
const ids = (r: { findings: Array<{ ruleId: string }> }) => r.findings.map((f) => f.ruleId);
const codes = (r: { diagnostics: Array<{ code: string; file: string; line?: number }> }) =>
  r.diagnostics.filter((d) => d.code.startsWith('suppression-')).map((d) => `${d.file}:${d.line} ${d.code}`);

describe('inline suppressions in a scan', () => {
  it('reports VPCE101 on the route table when there is no directive', async () => {
    const r = await scanTree({ 'main.tf': NAT });
    expect(ids(r)).toEqual(['VPCE101']);
    expect(r.suppressed).toBeUndefined();
    expect(codes(r)).toEqual([]);
  });

  it('suppresses it with a directive on the line above the block', async () => {
    const r = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101 -- endpoint rollout in NET-412') });
    expect(ids(r)).toEqual([]);
    expect(r.suppressed).toEqual([
      {
        finding: expect.objectContaining({ ruleId: 'VPCE101', location: expect.objectContaining({ address: 'aws_route_table.private' }) }),
        directive: expect.objectContaining({ line: 30, reason: 'endpoint rollout in NET-412' }),
      },
    ]);
    expect(codes(r)).toEqual([]);
  });

  it('suppresses it with a // directive above a run of comments, and with one inside the block', async () => {
    const run = await scanTree({ 'main.tf': above(NAT, TABLE, '// iac-vpce:ignore:VPCE101,VPCE102 -- reason', '# the private tier') });
    expect(ids(run)).toEqual([]);
    const within = await scanTree({ 'main.tf': inside(NAT, TABLE, '# iac-vpce:ignore:VPCE101:exp:2026-06-01 -- until the rollout') });
    expect(ids(within)).toEqual([]);
    expect(codes(within)).toEqual([]);
  });

  it('does not suppress from another block, and notes the unused directive', async () => {
    const r = await scanTree({ 'main.tf': above(NAT, SUBNET, '# iac-vpce:ignore:VPCE101 -- wrong block') });
    expect(ids(r)).toEqual(['VPCE101']);
    expect(codes(r)).toEqual(['main.tf:15 suppression-unused']);
  });

  it('does not suppress across a blank line, and says the directive is misplaced', async () => {
    const r = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101 -- detached', '') });
    expect(ids(r)).toEqual(['VPCE101']);
    expect(codes(r)).toEqual(['main.tf:30 suppression-misplaced']);
  });

  it('suppresses in the whole file with ignore-file, only in that file', async () => {
    const r = await scanTree({ 'main.tf': `${NAT}\n# iac-vpce:ignore-file:VPCE101 -- whole file\n` });
    expect(ids(r)).toEqual([]);
    const elsewhere = await scanTree({ 'main.tf': NAT, 'notes.tf': '# iac-vpce:ignore-file:VPCE101 -- other file\n' });
    expect(ids(elsewhere)).toEqual(['VPCE101']);
    expect(codes(elsewhere)).toEqual(['notes.tf:1 suppression-unused']);
  });

  it('stops suppressing once expired, with a warning', async () => {
    const files = { 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101:exp:2026-05-31 -- until May') };
    expect(ids(await scanTree(files, { today: '2026-05-31' }))).toEqual([]);
    const r = await scanTree(files, { today: '2026-06-01' });
    expect(ids(r)).toEqual(['VPCE101']);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'suppression-expired',
        file: 'main.tf',
        line: 30,
        message: expect.stringMatching(/VPCE101 expired on 2026-05-31/),
      }),
    );
  });

  it('reports malformed directives and unknown rule ids, and a directive without reason still suppresses', async () => {
    const malformed = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore -- forgot the id') });
    expect(ids(malformed)).toEqual(['VPCE101']);
    expect(malformed.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'suppression-malformed', file: 'main.tf', line: 30 }));
    const badDate = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101:exp:2026-02-30 -- x') });
    expect(ids(badDate)).toEqual(['VPCE101']);
    expect(codes(badDate)).toEqual(['main.tf:30 suppression-malformed']);
    const unknown = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101,VPCE777') });
    expect(ids(unknown)).toEqual([]);
    expect(codes(unknown)).toEqual(['main.tf:30 suppression-unknown-rule', 'main.tf:30 suppression-without-reason']);
  });

  it('reads directives in module files, where findings inside a module point', async () => {
    const base = 'VPCE101/terraform/bad-local-module';
    const moduleText = fixture(`${base}/modules/network/main.tf`);
    const files = { 'main.tf': fixture(`${base}/main.tf`), 'modules/network/main.tf': moduleText };
    expect(ids(await scanTree(files))).toEqual(['VPCE101']);
    const r = await scanTree({
      ...files,
      'modules/network/main.tf': above(moduleText, TABLE, '# iac-vpce:ignore:VPCE101 -- shared module, endpoints added by callers'),
    });
    expect(ids(r)).toEqual([]);
    expect(r.suppressed![0]!.finding.location.file).toBe('modules/network/main.tf');
  });

  it('disregards every directive with inlineSuppressions: false', async () => {
    const r = await scanTree(
      { 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101 -- r', '# iac-vpce:ignore -- malformed') },
      { inlineSuppressions: false },
    );
    expect(ids(r)).toEqual(['VPCE101']);
    expect(codes(r)).toEqual([]);
  });

  it('applies config ignores by rule, path and resource', async () => {
    const files = { 'net/legacy/main.tf': NAT, 'net/core/main.tf': NAT };
    const entry = { source: 'config' as const, rule: 'VPCE101', reason: 'legacy', file: '.iac-vpce.yml', line: 2 };
    const files0 = await scanTree(files);
    expect(files0.findings.map((f) => f.location.file)).toEqual(['net/core/main.tf', 'net/legacy/main.tf']);
    const byPath = await scanTree(files, { configIgnores: [{ ...entry, path: 'net/legacy/**' }] });
    expect(byPath.findings.map((f) => f.location.file)).toEqual(['net/core/main.tf']);
    const byResource = await scanTree(files, { configIgnores: [{ ...entry, resource: 'aws_route_table.*' }] });
    expect(byResource.findings).toEqual([]);
    expect(byResource.suppressed).toHaveLength(2);
    const otherResource = await scanTree(files, { configIgnores: [{ ...entry, resource: 'aws_route_table.public' }] });
    expect(otherResource.findings).toHaveLength(2);
    expect(codes(otherResource)).toEqual(['.iac-vpce.yml:2 suppression-unused']);
  });

  it('keeps suppressed findings out of SARIF', async () => {
    const r = await scanTree({ 'main.tf': above(NAT, TABLE, '# iac-vpce:ignore:VPCE101 -- reason') });
    expect(toSarif(r).runs[0]!.results).toEqual([]);
  });
});

describe('iac-vpce scan with suppressions and a config file', () => {
  const SUPPRESSED = above(NAT, TABLE, '# iac-vpce:ignore:VPCE101 -- tracked in NET-412');

  it('leaves suppressed findings out of the text report and counts them in the summary', async () => {
    const plain = await run(['scan', '.', '--fail-on', 'warning'], tmpTree({ 'main.tf': NAT }));
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('VPCE101');
    expect(plain.stdout).not.toContain('suppressed');
    const r = await run(['scan', '.', '--fail-on', 'warning'], tmpTree({ 'main.tf': SUPPRESSED }));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('VPCE101');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 0 warnings, 0 notes in 0 files (1 file scanned), 1 suppressed, 1 VPC analyzed');
  });

  it('lists suppressed findings under "suppressed" in JSON, with the reason', async () => {
    const r = await run(['scan', '.', '--format', 'json'], tmpTree({ 'main.tf': SUPPRESSED }));
    const json = JSON.parse(r.stdout) as { findings: unknown[]; suppressed: Array<{ ruleId: string; suppression: unknown }> };
    expect(json.findings).toEqual([]);
    expect(json.suppressed.map((s) => s.ruleId)).toEqual(['VPCE101']);
    expect(json.suppressed[0]!.suppression).toEqual({ source: 'terraform', file: 'main.tf', line: 30, reason: 'tracked in NET-412' });
  });

  it('--no-inline-suppressions brings the finding back', async () => {
    const r = await run(['scan', '.', '--format', 'json', '--no-inline-suppressions'], tmpTree({ 'main.tf': SUPPRESSED }));
    expect((JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toEqual(['VPCE101']);
  });

  it('uses the config file in the scan root: format, fail-on, ignore', async () => {
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': 'format: json\nfail-on: warning\n' });
    const r = await run(['scan', dir], process.cwd());
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toEqual(['VPCE101']);

    const ignored = tmpTree({
      'main.tf': NAT,
      '.iac-vpce.yml': 'format: json\nfail-on: warning\nignore:\n  - rule: VPCE101\n    resource: aws_route_table.private\n    reason: legacy VPC\n',
    });
    const r2 = await run(['scan', ignored], process.cwd());
    expect(r2.code).toBe(0);
    const json = JSON.parse(r2.stdout) as { findings: unknown[]; suppressed: Array<{ suppression: unknown }> };
    expect(json.findings).toEqual([]);
    expect(json.suppressed[0]!.suppression).toEqual({ source: 'config', file: '.iac-vpce.yml', line: 4, reason: 'legacy VPC' });
  });

  it('falls back to the config file in the working directory', async () => {
    const cwd = tmpTree({ '.iac-vpce.yml': 'skip-rules: [VPCE101]\n', 'infra/main.tf': NAT });
    const r = await run(['scan', 'infra', '--format', 'json'], cwd);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('lets flags override the config file', async () => {
    const dir = tmpTree({ 'main.tf': SUPPRESSED, '.iac-vpce.yml': 'format: json\nfail-on: none\nskip-rules: [VPCE101]\ninline-suppressions: true\n' });
    const fromConfig = await run(['scan', '.'], dir);
    expect(fromConfig.code).toBe(0);
    expect(JSON.parse(fromConfig.stdout)).toMatchObject({ findings: [] });
    const r = await run(['scan', '.', '--format', 'text', '--fail-on', 'warning', '--skip-rule', 'VPCE104', '--no-inline-suppressions'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VPCE101');
    expect(r.stdout).toMatch(/^0 errors, 1 warning, 0 notes in 1 file/m);
  });

  it('turns inline suppressions off from the config file', async () => {
    const dir = tmpTree({ 'main.tf': SUPPRESSED, '.iac-vpce.yml': 'inline-suppressions: false\nformat: json\n' });
    expect((JSON.parse((await run(['scan', '.'], dir)).stdout) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('reports an invalid auto-found config as a diagnostic and scans with the defaults', async () => {
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': 'format: json\nfail-on: [\n' });
    const r = await run(['scan', '.', '--fail-on', 'warning'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VPCE101');
    expect(r.stdout).toMatch(/\.iac-vpce\.yml(:\d+)?\s+warning\s+config-invalid/);
    const unknownKey = await run(['scan', '.', '--format', 'json'], tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': 'fail_on: warning\n' }));
    expect(unknownKey.code).toBe(0);
    expect(JSON.parse(unknownKey.stdout)).toMatchObject({ diagnostics: [expect.objectContaining({ code: 'config-invalid', file: '.iac-vpce.yml', line: 1 })] });
    expect(unknownKey.stderr).toContain('.iac-vpce.yml:1: warning config-invalid');
  });

  it('exits 2 when --config names a missing or malformed file', async () => {
    const dir = tmpTree({ 'main.tf': NAT, 'bad.yml': 'ignore: [\n' });
    const missing = await run(['scan', '.', '--config', 'nope.yml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('iac-vpce: --config nope.yml: no such file\n');
    const bad = await run(['scan', '.', '--config', 'bad.yml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^iac-vpce: --config bad\.yml(:\d+)?: not a valid config file/);
  });

  it('--config replaces the file the lookup would find', async () => {
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': 'format: sarif\n', 'ci/strict.yml': 'format: json\nfail-on: warning\n' });
    const r = await run(['scan', '.', '--config', 'ci/strict.yml'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toHaveProperty('summary');
  });

  it('reads var-files and vars from the config file, with --var winning by name', async () => {
    // The zone follows the region: a literal us-east-1a beside another region would be a region conflict.
    const text =
      NAT.replace('region = "us-east-1"', 'region = var.region').replaceAll('"us-east-1a"', '"${var.region}a"') + '\nvariable "region" {\n  type = string\n}\n';
    const dir = tmpTree({ 'main.tf': text, 'env/eu.tfvars': 'region = "eu-west-1"\n', '.iac-vpce.yml': 'format: json\nvar-files: [env/eu.tfvars]\n' });
    const msg = async (...extra: string[]) =>
      (JSON.parse((await run(['scan', '.', ...extra], dir)).stdout) as { findings: Array<{ message: string }> }).findings[0]!.message;
    expect(await msg()).toContain('eu-west-1');
    expect(await msg('--var', 'region=ap-southeast-2')).toContain('ap-southeast-2');
    const withVars = tmpTree({ 'main.tf': text, '.iac-vpce.yml': 'format: json\nvars:\n  region: eu-central-1\n' });
    expect((JSON.parse((await run(['scan', '.'], withVars)).stdout) as { findings: Array<{ message: string }> }).findings[0]!.message).toContain(
      'eu-central-1',
    );
  });
});
