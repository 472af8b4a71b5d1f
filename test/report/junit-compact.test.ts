import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { formatCompact } from '../../src/report/compact.js';
import { formatJunit } from '../../src/report/junit.js';
import type { ScanResult } from '../../src/source/findings.js';
import { xmlProblems } from '../helpers/xml-check.js';
import { ref, scanResult } from './scan-result.js';

const EXAMPLE = path.resolve(__dirname, '../../examples/terraform-nat-vpc');
/** The built CLI (`npm ci` builds it through `prepare`). */
const BIN = path.resolve(__dirname, '../../dist/src/cli/bin.js');

async function run(argv: string[], io: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, cwd: EXAMPLE, ...io });
  return { code, stdout, stderr };
}

/** A scan whose finding and diagnostics carry what XML cannot hold as is. */
function hostile(): ScanResult {
  const base = scanResult();
  const finding = base.findings.find((f) => f.ruleId === 'VPCE101')!;
  return {
    ...base,
    findings: [
      {
        ...finding,
        message: 'route <a href="x">&amp;</a> ]]> it\'s\u0001\u001b[31m red\ud800 and\nnext line',
        location: ref('main.tf', 10, 1, 5, 'aws_route_table.private'),
      },
    ],
    diagnostics: [
      { severity: 'note', code: 'rule-undecided', file: 'main.tf', line: 20, rule: 'VPCE101', resource: 'aws_route_table.other', message: 'region <unknown>' },
      { severity: 'error', code: 'tf-parse-error', file: 'bad.tf', line: 3, message: 'Unexpected "}" & more' },
      { severity: 'note', code: 'tf-region-unknown', file: 'main.tf', line: 1, message: 'a note, left out' },
    ],
  };
}

describe('--format junit', () => {
  it('gives each rule a testsuite and each finding of the example a failing testcase with file, line and message', async () => {
    const r = await run(['scan', '.', '--format', 'junit']);
    expect(r.code).toBe(0);
    expect(xmlProblems(r.stdout)).toEqual([]);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="iac-vpce" tests="6" failures="6" errors="0" skipped="0"')).toBe(true);
    const suites = [...r.stdout.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(suites).toEqual([
      ['VPCE101 s3-traffic-via-nat', '2', '2'],
      ['VPCE102 dynamodb-traffic-via-nat', '2', '2'],
      ['VPCE103 endpoint-route-shadowed', '1', '1'],
      ['VPCE301 endpoint-policy-full-access', '1', '1'],
    ]);
    const cases = [...r.stdout.matchAll(/<testcase classname="([^"]*)" name="([^"]*)" file="([^"]*)"/g)].map((m) => `${m[1]}|${m[2]}|${m[3]}`);
    expect(cases[4]).toMatch(/^VPCE103 endpoint-route-shadowed\|main\.tf:112:3 \S+\|main\.tf$/);
    expect(cases[0]).toBe('VPCE101 s3-traffic-via-nat|main.tf:73:1 aws_route_table.app[&quot;us-east-1a&quot;]|main.tf');
    // GitLab keeps one case per classname and name: names are unique within a suite.
    expect(new Set(cases).size).toBe(cases.length);
    expect(r.stdout).toContain('<failure type="warning" message="S3 traffic from aws_subnet.app[&quot;us-east-1a&quot;]');
    expect(r.stdout).toContain('fix: Associate aws_vpc_endpoint.s3 with aws_route_table.app["us-east-1a"].');
  });

  it('escapes markup, replaces characters XML 1.0 forbids, and keeps newlines in attributes as references', () => {
    const xml = formatJunit(hostile());
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('message="route &lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt; ]]&gt; it\'s\ufffd\ufffd[31m red\ufffd and&#10;next line"');
    expect(xml).not.toContain('\u0001');
  });

  it('reports an undecided place as a skipped case of its rule and an error diagnostic as an erroring case; notes are left out', () => {
    const xml = formatJunit(hostile());
    expect(xml).toContain('<testsuites name="iac-vpce" tests="3" failures="1" errors="1" skipped="1" time="0">');
    expect(xml).toContain(
      '<testcase classname="VPCE101 s3-traffic-via-nat" name="main.tf:20 aws_route_table.other" file="main.tf" time="0">\n      <skipped message="undecided: region &lt;unknown&gt;"/>',
    );
    expect(xml).toContain('<testsuite name="iac-vpce diagnostics" tests="1" failures="0" errors="1" skipped="0" time="0">');
    expect(xml).toContain(
      '<error type="tf-parse-error" message="Unexpected &quot;}&quot; &amp; more">bad.tf:3: error tf-parse-error: Unexpected "}" &amp; more</error>',
    );
    expect(xml).not.toContain('a note, left out');
  });

  it('numbers cases that would share a name, since GitLab keeps only the first', () => {
    const base = scanResult();
    const f = base.findings.find((x) => x.ruleId === 'VPCE101')!;
    const xml = formatJunit({ ...base, findings: [f, { ...f, fingerprint: 'other', message: 'second' }], diagnostics: [] });
    const names = [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(['main.tf:10:1 aws_route_table.private', 'main.tf:10:1 aws_route_table.private (2)']);
  });

  it('is a well-formed empty report when nothing is found', () => {
    const xml = formatJunit({ ...scanResult(), findings: [], diagnostics: [] });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="iac-vpce" tests="0" failures="0" errors="0" skipped="0" time="0">\n</testsuites>\n',
    );
    expect(xmlProblems(xml)).toEqual([]);
  });
});

describe('--format compact', () => {
  it('prints one file:line:col: level RULE message line per finding of the example', async () => {
    const r = await run(['scan', '.', '--format', 'compact']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^main\.tf:\d+:\d+: (error|warning|note) VPCE\d{3} \S/);
    expect(lines[4]).toMatch(/^main\.tf:103:1: note VPCE301 Endpoint aws_vpc_endpoint\.s3 /);
    expect(lines[5]).toMatch(/^main\.tf:112:3: warning VPCE103 Route 52\.216\.0\.0\/16 /);
  });

  it('keeps a message with newlines and escape sequences on its one line', () => {
    const out = formatCompact(hostile());
    expect(out.split('\n')).toEqual([expect.stringMatching(/^main\.tf:10:1: warning VPCE101 route <a href="x">/), '']);
    expect(out).not.toContain('\u001b');
  });

  it('prints nothing when nothing is found', () => {
    expect(formatCompact({ ...scanResult(), findings: [] })).toBe('');
  });
});

describe('text output width', () => {
  const headerAndContinuations = (out: string) => {
    const lines = out.split('\n');
    const i = lines.findIndex((l) => l.includes('VPCE103'));
    const block = [lines[i]!];
    for (let j = i + 1; lines[j]!.startsWith('    ') && !lines[j]!.startsWith('    aws_'); j++) block.push(lines[j]!);
    return block;
  };

  it('wraps long messages to the terminal width on a TTY, under the message column', async () => {
    const r = await run(['scan', '.', '--no-color'], { isTty: true, columns: 80 });
    const block = headerAndContinuations(r.stdout);
    expect(block.length).toBeGreaterThan(2);
    for (const line of block) expect([...line].length).toBeLessThanOrEqual(80);
    const start = block[0]!.indexOf('Route');
    for (const line of block.slice(1)) expect(line.slice(0, start).trim()).toBe('');
    expect(block.map((l) => l.trim()).join(' ')).toContain('takes 52.216.0.0/16 (65,536 of the 307,744 addresses of S3 in us-east-1');
  });

  it('does not wrap when piped: the built CLI run as a process, whatever COLUMNS says', () => {
    const r = spawnSync(process.execPath, [BIN, 'scan', '.'], { cwd: EXAMPLE, encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
    expect(r.status, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('VPCE103'))!;
    expect(line).toMatch(/^ {2}112:3 {2}warning {2}VPCE103 {2}Route .* so that traffic bypasses the endpoint\.$/);
  });
});
