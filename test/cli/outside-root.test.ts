import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { tmpTree } from '../helpers/tmp-tree.js';

// The file-system policy end to end: each hostile entry sits next to a configuration with a known finding that must
// survive, and the scan must end with its report written and the diagnostic naming the file (and line) at fault.

const NAT = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
const CDK_APP = path.resolve(__dirname, '../../examples/cdk-app');
const LIMIT = 30_000;
const onPosix = process.platform !== 'win32';

interface Report {
  findings: Array<{ ruleId: string; location: { file: string } }>;
  diagnostics: Array<{ code: string; file: string; line?: number; message: string }>;
}

async function scanTo(dir: string, extra: string[] = [], cwd = dir): Promise<{ code: number; report: Report; stderr: string }> {
  const out = path.join(dir, '..', `${path.basename(dir)}-report.json`);
  let stderr = '';
  const io: Io = { stdout: () => {}, stderr: (s) => (stderr += s), isTty: false, env: {}, cwd };
  const code = await main(['scan', dir, '--format', 'json', '--output', out, ...extra], io);
  expect(existsSync(out), `no report written (exit ${code}): ${stderr}`).toBe(true);
  return { code, report: JSON.parse(readFileSync(out, 'utf8')) as Report, stderr };
}

const ids = (r: Report) => r.findings.map((f) => `${f.ruleId} ${f.location.file}`);
const diag = (r: Report, code: string, file: string) => r.diagnostics.find((d) => d.code === code && d.file === file);

describe.skipIf(!onPosix)('file-system policy through the CLI', () => {
  it('skips a FIFO named terraform.tfvars and a FIFO config without opening them', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'main.tf': NAT });
    execFileSync('mkfifo', [path.join(dir, 'terraform.tfvars'), path.join(dir, '.iac-vpce.yml')]);
    const { code, report } = await scanTo(dir);
    expect(code).toBe(0);
    expect(ids(report)).toContain('VPCE101 main.tf');
    expect(diag(report, 'input-not-regular-file', 'terraform.tfvars')?.message).toMatch(/named pipe/);
    expect(diag(report, 'input-not-regular-file', '.iac-vpce.yml')?.message).toMatch(/named pipe.*defaults/);
  });

  it('refuses a *.auto.tfvars and a config linked to /dev/zero', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'main.tf': NAT });
    symlinkSync('/dev/zero', path.join(dir, 'zero.auto.tfvars'));
    symlinkSync('/dev/zero', path.join(dir, '.iac-vpce.yml'));
    const { code, report } = await scanTo(dir);
    expect(code).toBe(0);
    expect(ids(report)).toContain('VPCE101 main.tf');
    // Both resolve outside the tree: refused before their type is even looked at.
    expect(diag(report, 'input-outside-root', 'zero.auto.tfvars')?.message).toContain('/dev/zero');
    expect(diag(report, 'input-not-regular-file', '.iac-vpce.yml')?.message).toMatch(/character device/);
  });

  it('refuses a variables file over the size limit', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'main.tf': NAT, 'big.auto.tfvars': `x = "${'a'.repeat(5 * 1024 * 1024 + 10)}"\n` });
    const { report } = await scanTo(dir);
    expect(ids(report)).toContain('VPCE101 main.tf');
    expect(diag(report, 'tf-file-too-large', 'big.auto.tfvars')?.message).toMatch(/over the 5\.0 MB limit/);
  });

  it('refuses a config over its size limit, and reads a --var-file named outside the tree', { timeout: LIMIT }, async () => {
    const vars = tmpTree({ 'prod.tfvars': 'unused = "x"\n' });
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': `# ${'x'.repeat(1024 * 1024)}\n` });
    const { code, report } = await scanTo(dir, ['--var-file', path.join(vars, 'prod.tfvars')]);
    expect(code).toBe(0);
    expect(ids(report)).toContain('VPCE101 main.tf');
    expect(diag(report, 'input-too-large', '.iac-vpce.yml')?.message).toMatch(/over the 1\.0 MB limit/);
    expect(report.diagnostics.filter((d) => d.code.startsWith('input-') && d.file !== '.iac-vpce.yml')).toEqual([]);
  });

  it('does not walk a link to /etc, and says so on the link', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'main.tf': NAT });
    symlinkSync('/etc', path.join(dir, 'etc'));
    symlinkSync('/etc/hostname', path.join(dir, 'hostname.tf'));
    const { report } = await scanTo(dir);
    expect(ids(report)).toEqual(expect.arrayContaining(['VPCE101 main.tf']));
    expect(diag(report, 'input-outside-root', 'etc')?.message).toMatch(/resolves to \/etc, outside the scanned tree/);
    expect(diag(report, 'input-outside-root', 'hostname.tf')?.message).toContain('--allow-outside-root');
    expect(report.diagnostics.filter((d) => d.file.startsWith('etc/'))).toEqual([]);
  });

  it('reads a .tf that is a link to a file inside the tree', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'store/nat.tf.txt': NAT });
    mkdirSync(path.join(dir, 'app'));
    symlinkSync('../store/nat.tf.txt', path.join(dir, 'app', 'main.tf'));
    const { report } = await scanTo(dir);
    expect(ids(report)).toContain('VPCE101 app/main.tf');
  });

  it('skips a FIFO named main.tf in a module directory with a diagnostic', { timeout: LIMIT }, async () => {
    const dir = tmpTree({ 'main.tf': NAT });
    execFileSync('mkfifo', [path.join(dir, 'pipe.tf')]);
    const { report } = await scanTo(dir);
    expect(ids(report)).toContain('VPCE101 main.tf');
    expect(diag(report, 'input-not-regular-file', 'pipe.tf')).toBeDefined();
  });
});

describe.skipIf(!onPosix)('module sources outside the scanned tree', () => {
  const tree = () =>
    tmpTree({
      'envs/prod/main.tf': 'module "net" {\n  source = "../../modules/nat"\n}\n',
      'modules/nat/main.tf': NAT,
    });

  it('refuses a local module above the scanned directory, at the module block, saying how to allow it', { timeout: LIMIT }, async () => {
    const dir = tree();
    const { code, report } = await scanTo(path.join(dir, 'envs/prod'));
    expect(code).toBe(0);
    const d = diag(report, 'input-outside-root', 'main.tf');
    expect(d?.line).toBe(1);
    expect(d?.message).toContain('source "../../modules/nat"');
    expect(d?.message).toContain(`--allow-outside-root ${path.join(dir, 'modules/nat')}`);
    expect(report.findings).toEqual([]);
  });

  it('reads it with --allow-outside-root naming it or a parent, or with the config key', { timeout: LIMIT }, async () => {
    const dir = tree();
    for (const allowed of [path.join(dir, 'modules/nat'), path.join(dir, 'modules')]) {
      const { report } = await scanTo(path.join(dir, 'envs/prod'), ['--allow-outside-root', allowed]);
      expect(ids(report)).toContain('VPCE101 ../../modules/nat/main.tf');
      expect(report.diagnostics.filter((d) => d.code === 'input-outside-root')).toEqual([]);
    }
    writeFileSync(path.join(dir, 'envs/prod/.iac-vpce.yml'), 'allow-outside-root:\n  - ../../modules\n');
    const { report } = await scanTo(path.join(dir, 'envs/prod'));
    expect(ids(report)).toContain('VPCE101 ../../modules/nat/main.tf');
  });

  it('reads it by default when both lie in one git work tree', { timeout: LIMIT }, async () => {
    const dir = tree();
    mkdirSync(path.join(dir, '.git'));
    const { report } = await scanTo(path.join(dir, 'envs/prod'));
    expect(ids(report)).toContain('VPCE101 ../../modules/nat/main.tf');
  });

  it('refuses a modules.json Dir outside the tree, and survives a null or malformed entry', { timeout: LIMIT }, async () => {
    const outside = tmpTree({ 'main.tf': NAT });
    const dir = tmpTree({ 'main.tf': `${NAT}\nmodule "remote" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n` });
    const remote = { Key: 'remote', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Dir: path.relative(dir, outside) };
    mkdirSync(path.join(dir, '.terraform/modules'), { recursive: true });
    writeFileSync(path.join(dir, '.terraform/modules/modules.json'), JSON.stringify({ Modules: [null, 7, { Key: 'x' }, remote] }));
    const { code, report } = await scanTo(dir);
    expect(code).toBe(0);
    expect(ids(report)).toEqual(['VPCE101 main.tf']);
    const invalid = report.diagnostics.filter((d) => d.code === 'tf-modules-json-invalid' && d.file === '.terraform/modules/modules.json');
    expect(invalid.map((d) => d.message)).toEqual([
      expect.stringMatching(/^Entry 1 of Modules is not an object/),
      expect.stringMatching(/^Entry 2 of Modules is not an object/),
      expect.stringMatching(/^Entry 3 of Modules \(Key "x"\) is not an object/),
    ]);
    const refused = diag(report, 'input-outside-root', 'main.tf');
    expect(refused?.line).toBe(NAT.split('\n').length + 1);
    expect(refused?.message).toContain('modules.json');
    expect(refused?.message).toContain(outside);
  });

  it('does not expand a module that calls itself with source "./", and reports each finding once', { timeout: LIMIT }, async () => {
    const alone = await scanTo(tmpTree({ 'main.tf': NAT }));
    const dir = tmpTree({ 'main.tf': NAT, 'self.tf': 'module "again" {\n  source = "./"\n}\n' });
    const { report } = await scanTo(dir);
    expect(ids(report)).toEqual(ids(alone.report));
    expect(diag(report, 'tf-module-recursion', 'self.tf')?.line).toBe(1);
  });
});

describe.skipIf(!onPosix)('CDK references outside the scanned tree', () => {
  it('refuses a cdk.json output outside the tree, at the line that names it', { timeout: LIMIT }, async () => {
    const outside = tmpTree({});
    cpSync(path.join(CDK_APP, 'cdk.out'), path.join(outside, 'cdk.out'), { recursive: true });
    const dir = tmpTree({
      'cdk.json': `{\n  "app": "npx ts-node bin/app.ts",\n  "output": ${JSON.stringify(path.join(outside, 'cdk.out'))}\n}\n`,
      'main.tf': NAT,
    });
    const { report } = await scanTo(dir);
    expect(ids(report)).toEqual(['VPCE101 main.tf']);
    const d = diag(report, 'input-outside-root', 'cdk.json');
    expect(d?.line).toBe(3);
    expect(d?.message).toContain(path.join(outside, 'cdk.out'));
  });

  it('refuses a template inside cdk.out that links outside, at its manifest entry', { timeout: LIMIT }, async () => {
    const outside = tmpTree({});
    const dir = tmpTree({ 'main.tf': NAT });
    cpSync(CDK_APP, path.join(dir, 'app'), { recursive: true });
    const template = path.join(dir, 'app/cdk.out/NetworkStack.template.json');
    cpSync(template, path.join(outside, 'NetworkStack.template.json'));
    const manifest = readFileSync(path.join(dir, 'app/cdk.out/manifest.json'), 'utf8');
    const { rmSync } = await import('node:fs');
    rmSync(template);
    symlinkSync(path.join(outside, 'NetworkStack.template.json'), template);
    const { report } = await scanTo(dir);
    expect(ids(report)).toEqual(['VPCE101 main.tf']);
    const d = diag(report, 'input-outside-root', 'app/cdk.out/manifest.json');
    expect(d?.line).toBe(manifest.split('\n').findIndex((l) => l.includes('"NetworkStack"')) + 1);
    expect(d?.message).toContain(path.join(outside, 'NetworkStack.template.json'));
  });
});
