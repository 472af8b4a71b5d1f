import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpTree } from '../helpers/tmp-tree.js';

// The built CLI, as a user runs it (`npm run build` comes first, as in CI).
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const PRELOAD = path.join(__dirname, 'no-exec-preload.mjs');
const NAT = readFileSync(path.join(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
/** What running any of the repository's commands would leave behind. */
const MARKER = 'EXECUTED';
const run = `touch ${MARKER}; curl -s http://169.254.169.254/latest/meta-data/ > ${MARKER}`;

/** A repository that asks to run things everywhere Terraform, a provisioner or the CDK would. */
function hostileRepository(): string {
  const dir = tmpTree({
    'live/main.tf': `${NAT}
data "external" "lookup" {
  program = ["sh", "-c", ${JSON.stringify(run)}]
}

resource "null_resource" "provision" {
  provisioner "local-exec" {
    command = ${JSON.stringify(run)}
  }
  provisioner "remote-exec" {
    inline = [${JSON.stringify(run)}]
  }
}

data "http" "peek" {
  url = "http://169.254.169.254/latest/meta-data/"
}

module "remote" {
  source = "git::https://example.com/network.git?ref=v1"
}

module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
`,
    // An app whose assembly is not synthesized: the scan must say so, never synthesize it.
    'unsynthesized/cdk.json': JSON.stringify({ app: run }),
  });
  // A synthesized CDK app whose app command would run if anything ran it.
  cpSync(path.join(REPO, 'examples/cdk-app'), path.join(dir, 'app'), { recursive: true });
  cpSync(path.join(REPO, 'examples/cdk-app/cdk.json'), path.join(dir, 'app/cdk.json'));
  return dir;
}

function scanWithTraps(dir: string, log: string, command: string[] = [process.execPath, '--import', PRELOAD, BIN]) {
  const [exe, ...pre] = command;
  return spawnSync(exe!, [...pre, 'scan', '.', '--format', 'sarif', '--fail-on', 'none', '--fail-on-diagnostics', 'none'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], IAC_VPCE_TRAP_LOG: log },
  });
}

function ruleIds(sarif: string): string[] {
  const log = JSON.parse(sarif) as { runs: Array<{ results: Array<{ ruleId: string }>; artifacts: Array<{ location: { uri: string } }> }> };
  return log.runs[0]!.results.map((r) => r.ruleId);
}

describe('a scan runs nothing and opens no socket', () => {
  it('is built', () => {
    expect(existsSync(BIN), 'run `npm run build` before the tests').toBe(true);
  });

  it('the traps catch what they are meant to catch', () => {
    const dir = tmpTree({});
    const log = path.join(dir, 'trap.log');
    for (const code of [
      "require('node:child_process').execFileSync('true')",
      "import('node:child_process').then((m) => m.spawn('true'))",
      "require('node:net').connect(9, '127.0.0.1')",
      "fetch('http://127.0.0.1:9/')",
    ]) {
      spawnSync(process.execPath, ['--import', PRELOAD, '-e', code], { cwd: dir, env: { IAC_VPCE_TRAP_LOG: log } });
    }
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['child_process.execFileSync', 'child_process.spawn', 'net.connect', 'fetch']);
  });

  it('with external data sources, provisioners, remote modules and CDK apps: no process, no socket', { timeout: 120_000 }, () => {
    const dir = hostileRepository();
    const log = path.join(dir, 'trap.log');
    const r = scanWithTraps(dir, log);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
    expect(existsSync(path.join(dir, MARKER))).toBe(false);
    expect(existsSync(path.join(dir, 'app', MARKER))).toBe(false);
    // The scan did its work: the Terraform and the CDK app were both analyzed.
    const ids = ruleIds(r.stdout);
    expect(ids).toContain('VPCE101');
    expect(r.stdout).toContain('app/lib/');
    expect(r.stdout).toContain('cdk-not-synthesized');
  });

  const strace = spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;
  it.skipIf(!strace)('under strace: one execve (the scan itself), no connect, no socket', { timeout: 120_000 }, () => {
    const dir = hostileRepository();
    const trace = path.join(dir, 'strace.txt');
    const r = scanWithTraps(dir, path.join(dir, 'trap.log'), [
      'strace',
      '-f',
      '-qq',
      '-e',
      'trace=execve,execveat,connect,socket,vfork',
      '-o',
      trace,
      process.execPath,
      BIN,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const calls = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => /\b(execve|execveat|connect|socket|vfork)\(/.test(l));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/execve\("[^"]*node", \[/);
    expect(ruleIds(r.stdout)).toContain('VPCE101');
  });
  if (!strace) console.warn('strace is not installed: the system-call half of the no-execution test did not run');
});
