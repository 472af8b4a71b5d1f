import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';

// These run the built CLI as a user meets it: `npm run build` comes first, as in CI.
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const EXAMPLE = path.join(REPO, 'examples/terraform-nat-vpc');
const NAT_CONFIG = readFileSync(path.join(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

function cli(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'], ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the iac-vpce process', () => {
  it('is built', () => {
    expect(existsSync(BIN), 'run `npm run build` before the tests').toBe(true);
  });

  it('ends quietly when the reader of stdout goes away (iac-vpce scan … | head -1)', () => {
    // Enough VPCs that the report is larger than a pipe's buffer, so writes go on after head has exited.
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`vpc${i}/main.tf`] = NAT_CONFIG;
    const dir = tmpTree(files);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" scan . --format json | head -c 10 >/dev/null`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('writes the report to stdout with -o -', () => {
    const r = cli(['scan', EXAMPLE, '--format', 'sarif', '-o', '-']);
    expect(r.code).toBe(0);
    expect(validateSarif(JSON.parse(r.stdout))).toEqual([]);
  });

  it('checks --output before scanning: a missing directory is a usage error, with no stack trace', () => {
    const r = cli(['scan', EXAMPLE, '--output', 'no-such-dir/report.sarif', '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('iac-vpce: --output no-such-dir/report.sarif: the directory no-such-dir does not exist\n');
    const dir = tmpTree({ 'sub/x': '' });
    const d = cli(['scan', EXAMPLE, '--output', 'sub'], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('is a directory');
  });

  it('writes a valid SARIF file that says so when nothing can be scanned, and exits 2', () => {
    const dir = tmpTree({ 'README.md': '# no infrastructure here\n' });
    const r = cli(['scan', '.', '--format', 'sarif', '--output', 'out.sarif'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to scan');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as {
      runs: Array<{ results: unknown[]; invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }>;
    };
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text).join('\n')).toContain('nothing to scan');
  });

  it('points a mistyped command at the right help', () => {
    const r = cli(['scna']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(Did you mean scan?)');
    expect(r.stderr).toContain('iac-vpce scan --help');
    const opt = cli(['scan', '--formt', 'json']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain('run iac-vpce scan --help for the options');
  });
});

describe('internal errors and progress', () => {
  it('exit 3 with one line and where to report it, distinct from usage errors', async () => {
    let stderr = '';
    const io: Io = {
      stdout: () => {
        throw new Error('disk on fire\n  second line');
      },
      stderr: (s) => (stderr += s),
      isTty: false,
      env: {},
      cwd: REPO,
    };
    expect(await main(['scan', EXAMPLE], io)).toBe(3);
    expect(stderr).toBe(
      'iac-vpce: internal error: disk on fire second line\n(this is a bug in iac-vpce: please report it with the command you ran at https://github.com/iac-vpce/iac-vpce/issues)\n',
    );
  });

  it('shows a progress line on a terminal stderr once a scan takes longer than a second, and erases it', async () => {
    const run = async (stderrIsTty: boolean) => {
      let stderr = '';
      let clock = 0;
      const io: Io = { stdout: () => {}, stderr: (s) => (stderr += s), isTty: false, stderrIsTty, env: {}, cwd: REPO, now: () => (clock += 2000) };
      await main(['scan', EXAMPLE], io);
      return stderr;
    };
    const tty = await run(true);
    expect(tty.startsWith('\r\u001b[2Kiac-vpce: scanning… ')).toBe(true);
    expect(tty).toMatch(/scanning… \d+ files? read/);
    expect(tty.endsWith('\r\u001b[2K')).toBe(true);
    expect(await run(false)).toBe('');
  });
});

describe('the published package', () => {
  it('ships the license and no source maps pointing at sources it leaves out', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/src/cli/bin.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // What tsc builds from src/ and rules/ (the action's bundle is built and checked on its own).
    const js = files.filter((f) => (f.startsWith('dist/src/') || f.startsWith('dist/rules/')) && f.endsWith('.js'));
    expect(js.filter((f) => readFileSync(path.join(REPO, f), 'utf8').includes('sourceMappingURL'))).toEqual([]);
    expect(statSync(path.join(REPO, 'LICENSE')).size).toBeGreaterThan(10000);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['license']).toBe('Apache-2.0');
    expect(pkg['repository']).toEqual({ type: 'git', url: 'git+https://github.com/iac-vpce/iac-vpce.git' });
    expect(pkg['bugs']).toEqual({ url: 'https://github.com/iac-vpce/iac-vpce/issues' });
    expect(pkg['homepage']).toBe('https://github.com/iac-vpce/iac-vpce#readme');
  });
});
