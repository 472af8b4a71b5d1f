import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../src/engine/new-since.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

const EXAMPLE = path.resolve(__dirname, '../../examples/terraform-nat-vpc');
const NAT_CONFIG = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
const GOOD_CONFIG = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/good-no-nat-route/main.tf'), 'utf8');

const findings = (out: string) => (JSON.parse(out) as { findings: Array<{ ruleId: string; location: { file: string } }> }).findings;

describe('--write-baseline and --baseline', () => {
  it('records the findings by fingerprint, sorted and the same bytes every time', async () => {
    const dir = tmpTree({});
    expect((await run(['scan', EXAMPLE, '--write-baseline', 'a.json', '--fail-on', 'none'], dir)).code).toBe(0);
    await run(['scan', EXAMPLE, '--write-baseline', 'b.json', '--fail-on', 'none'], dir);
    const text = readFileSync(path.join(dir, 'a.json'), 'utf8');
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe(text);
    const baseline = JSON.parse(text) as { version: number; tool: { name: string; version: string }; findings: Array<Record<string, string>> };
    expect(baseline.version).toBe(1);
    expect(baseline.tool.name).toBe('iac-vpce');
    expect(baseline.findings).toHaveLength(6); // VPCE101 ×2, VPCE102 ×2, VPCE103, and VPCE301's note on the endpoint without a policy
    const fps = baseline.findings.map((f) => f.fingerprint!);
    expect(fps).toEqual([...fps].sort());
    expect(Object.keys(baseline.findings[0]!)).toEqual(['fingerprint', 'ruleId', 'address', 'file']);
    expect(baseline.findings.every((f) => f.file === 'main.tf' && /^VPCE(10\d|301)$/.test(f.ruleId!))).toBe(true);
  });

  it('reports only findings the baseline does not hold, and counts the rest in the summary', async () => {
    const dir = tmpTree({ 'a/main.tf': NAT_CONFIG });
    await run(['scan', '.', '--write-baseline', 'baseline.json'], dir);
    const same = await run(['scan', '.', '--baseline', 'baseline.json', '--fail-on', 'warning'], dir);
    expect(same.code).toBe(0);
    expect(same.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 0 warnings, 0 notes in 0 files (1 file scanned), 1 in baseline, 1 VPC analyzed');
    // A second VPC with the same problem is new: only it is reported.
    execFileSync('cp', ['-r', path.join(dir, 'a'), path.join(dir, 'b')]);
    const more = await run(['scan', '.', '--baseline', 'baseline.json', '--format', 'json', '--fail-on', 'warning'], dir);
    expect(more.code).toBe(1);
    expect(findings(more.stdout).map((f) => f.location.file)).toEqual(['b/main.tf']);
  });

  it('takes the baseline from the config file, relative to it', async () => {
    const dir = tmpTree({ 'infra/main.tf': NAT_CONFIG });
    await run(['scan', 'infra', '--write-baseline', 'infra/known.json'], dir);
    writeFileSync(path.join(dir, 'infra/.iac-vpce.yml'), 'baseline: known.json\n');
    const r = await run(['scan', 'infra', '--format', 'json'], dir);
    expect(findings(r.stdout)).toEqual([]);
  });

  it('refuses a baseline that cannot be read or is not one', async () => {
    const dir = tmpTree({ 'main.tf': NAT_CONFIG, 'bad.json': '{"version": 7}' });
    const missing = await run(['scan', '.', '--baseline', 'none.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--baseline: cannot read');
    const bad = await run(['scan', '.', '--baseline', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an iac-vpce baseline of version 1');
    const unwritable = await run(['scan', '.', '--write-baseline', 'no/dir/b.json'], dir);
    expect(unwritable.code).toBe(2);
  });
});

describe('--new-since', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

  function repository() {
    const dir = tmpTree({ 'old/main.tf': NAT_CONFIG, 'new/main.tf': GOOD_CONFIG });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'start');
    return dir;
  }

  it('keeps findings on lines changed since the ref, and those of files git does not track yet', async () => {
    const dir = repository();
    expect(findings((await run(['scan', '.', '--format', 'json', '--new-since', 'HEAD'], dir)).stdout)).toEqual([]);
    // The same NAT problem, now introduced in a tracked file: reported; the old one is not.
    writeFileSync(path.join(dir, 'new/main.tf'), NAT_CONFIG);
    const r = await run(['scan', '.', '--format', 'json', '--new-since', 'HEAD'], dir);
    expect(findings(r.stdout).map((f) => `${f.ruleId} ${f.location.file}`)).toEqual(['VPCE101 new/main.tf']);
    const all = await run(['scan', '.', '--format', 'json'], dir);
    expect(findings(all.stdout)).toHaveLength(2);
    // An untracked file is new as a whole.
    execFileSync('cp', ['-r', path.join(dir, 'old'), path.join(dir, 'untracked')]);
    const u = await run(['scan', '.', '--format', 'json', '--new-since', 'HEAD'], dir);
    expect(findings(u.stdout).map((f) => f.location.file)).toEqual(['new/main.tf', 'untracked/main.tf']);
  });

  it('scans a subdirectory of the repository with paths relative to it', async () => {
    const dir = repository();
    writeFileSync(path.join(dir, 'new/main.tf'), NAT_CONFIG);
    const r = await run(['scan', 'new', '--format', 'json', '--new-since', 'HEAD'], dir);
    expect(findings(r.stdout).map((f) => f.location.file)).toEqual(['main.tf']);
  });

  it('is a usage error outside a git repository or with a ref git does not know', async () => {
    const plain = tmpTree({ 'main.tf': NAT_CONFIG });
    const outside = await run(['scan', '.', '--new-since', 'HEAD'], plain);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('--new-since needs a git repository');
    const dir = repository();
    const unknown = await run(['scan', '.', '--new-since', 'origin/nope'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--new-since origin/nope: git knows no commit by that name');
    expect((await run(['scan', '.', '--new-since', '--output=x'], dir)).code).toBe(2);
  });

  it('reads the new side of every hunk of a diff with no context', () => {
    const diff = [
      'diff --git a/main.tf b/main.tf',
      '--- a/main.tf',
      '+++ b/main.tf',
      '@@ -3 +3 @@ x',
      '@@ -10,0 +11,2 @@',
      '@@ -20,3 +22,0 @@',
      'diff --git a/gone.tf b/gone.tf',
      '--- a/gone.tf',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '+++ "b/sp\\"ace.tf"',
      '@@ -0,0 +1 @@',
    ].join('\n');
    const changed = parseUnifiedDiff(diff);
    expect([...(changed.get('main.tf') as Set<number>)]).toEqual([3, 11, 12]);
    expect(changed.has('gone.tf')).toBe(false);
    expect([...(changed.get('sp"ace.tf') as Set<number>)]).toEqual([1]);
  });
});
