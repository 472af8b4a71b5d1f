import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { COMMENT_MARKER } from '../../src/action/comment.js';
import { interfaceEndpointHourPrice } from '../../src/facts/aws-data.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = path.join(REPO, 'examples', 'terraform-nat-vpc');

/** An interface endpoint in the two application subnets: the summary prices it per AZ per hour. */
const ENDPOINTS = `resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.\${var.region}.ecr.api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.app : s.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
`;

/** A checked-out repository: the example under infra/, and the files the runner names in the environment. */
function workspace(event: unknown): { dir: string; env: NodeJS.ProcessEnv } {
  const files: Record<string, string> = { '.git/HEAD': 'ref: refs/heads/main\n', 'event.json': JSON.stringify(event), 'summary.md': '', 'output.txt': '' };
  for (const f of readdirSync(EXAMPLE)) if (f.endsWith('.tf')) files[`infra/${f}`] = readFileSync(path.join(EXAMPLE, f), 'utf8');
  files['infra/endpoints.tf'] = ENDPOINTS;
  const dir = tmpTree(files);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: path.join(dir, 'output.txt'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_REPOSITORY: 'octo/net',
    'INPUT_WORKING-DIRECTORY': 'infra',
    'INPUT_FAIL-ON': 'warning',
    INPUT_FORMAT: 'none',
    INPUT_ANNOTATIONS: 'true',
    INPUT_SUMMARY: 'true',
  };
  return { dir, env };
}

const prEvent = (head = 'octo/net') => ({ pull_request: { number: 7, head: { repo: { full_name: head } }, base: { repo: { full_name: 'octo/net' } } } });

/** The outputs as the runner reads `$GITHUB_OUTPUT`: `name<<DELIMITER`, value lines, `DELIMITER`. */
function outputs(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

interface Recorded {
  method: string;
  url: string;
  auth: string | undefined;
  body: { body?: string } | undefined;
}

/** A stand-in for the REST API's issue comments, on 127.0.0.1. */
class FakeApi {
  readonly requests: Recorded[] = [];
  readonly comments: Array<{ id: number; body: string }> = [{ id: 1, body: 'a reviewer wrote this' }];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, json]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = raw ? (JSON.parse(raw) as { body?: string }) : undefined;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    const url = req.url ?? '';
    if (req.method === 'GET' && url.startsWith('/repos/octo/net/issues/7/comments')) return [200, this.comments];
    if (req.method === 'POST' && url === '/repos/octo/net/issues/7/comments') {
      const c = { id: this.comments.length + 1, body: body!.body! };
      this.comments.push(c);
      return [201, { ...c, html_url: `https://github.com/octo/net/pull/7#issuecomment-${c.id}` }];
    }
    const patch = /^\/repos\/octo\/net\/issues\/comments\/(\d+)$/.exec(url);
    if (req.method === 'PATCH' && patch) {
      const c = this.comments.find((x) => x.id === Number(patch[1]))!;
      c.body = body!.body!;
      return [200, { ...c, html_url: `https://github.com/octo/net/pull/7#issuecomment-${c.id}` }];
    }
    return [404, { message: 'Not Found' }];
  }
}

async function run(env: NodeJS.ProcessEnv, cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runAction({ stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd });
  return { code, stdout, stderr };
}

describe('the GitHub Action in a simulated workflow', () => {
  const api = new FakeApi();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('writes the SARIF file, annotations, job summary and outputs, posts one comment and updates it on the next run', async () => {
    const { dir, env } = workspace(prEvent());
    Object.assign(env, { INPUT_COMMENT: 'update', 'INPUT_GITHUB-TOKEN': 'test-token', GITHUB_API_URL: api.url });
    const first = await run(env, dir);
    expect(first.code).toBe(1); // five warnings (and two notes), fail-on: warning

    const sarifPath = path.join(dir, 'infra', 'iac-vpce.sarif');
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as { runs: Array<{ results: Array<{ level: string }> }> };
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toHaveLength(7);

    const annotations = first.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(7);
    for (const a of annotations.slice(0, 5))
      expect(a).toMatch(/^::warning file=infra\/main\.tf,line=\d+,col=\d+,endLine=\d+,(endColumn=\d+,)?title=VPCE10[123] /);
    // Notes come last: the endpoints without a policy (VPCE301).
    expect(annotations.slice(5).map((a) => /^(::notice file=[^,]+,line=\d+),.*?title=(\S+ \S+)::/.exec(a)?.slice(1).join(' '))).toEqual([
      '::notice file=infra/endpoints.tf,line=11 VPCE301 aws_vpc_endpoint.ecr_api',
      '::notice file=infra/main.tf,line=103 VPCE301 aws_vpc_endpoint.s3',
    ]);

    const summary = readFileSync(env['GITHUB_STEP_SUMMARY']!, 'utf8');
    expect(summary).toContain('## iac-vpce');
    expect(summary).toContain('**0 errors, 5 warnings, 2 notes**');
    expect(summary).toContain('### Routing paths');
    expect(summary).toContain('### NAT data processing at stake');
    const rate = interfaceEndpointHourPrice('us-east-1')!.perAzHour;
    expect(summary).toContain(
      `| \`aws_vpc_endpoint.ecr_api\` | ecr.api | us-east-1 | 2 | $${(2 * rate).toFixed(2)} | $${(2 * rate * 730).toFixed(2)} | \`infra/endpoints.tf:11\` |`,
    );
    expect(summary).toContain(
      `Standing cost: 1 interface endpoint in 2 endpoint-AZs, each billed per hour it is provisioned in each AZ, whatever the traffic. Together: $${(2 * rate).toFixed(2)} an hour`,
    );
    expect(summary).toContain('(`infra/main.tf:73`)');
    // One scan for every report: the SARIF file's line is written once.
    expect(first.stderr.match(/report written to/g)).toHaveLength(1);

    expect(outputs(env['GITHUB_OUTPUT']!)).toEqual({ 'sarif-file': sarifPath, errors: '0', warnings: '5', notes: '2' });

    expect(api.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(api.requests.every((r) => r.auth === 'Bearer test-token')).toBe(true);
    const posted = api.comments.at(-1)!;
    expect(posted.body.startsWith(`${COMMENT_MARKER}\n## iac-vpce`)).toBe(true);
    expect(first.stdout).toContain(`Posted the pull request comment https://github.com/octo/net/pull/7#issuecomment-${posted.id}.`);

    const second = await run(env, dir);
    expect(second.code).toBe(1);
    expect(api.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(api.requests.at(-1)!.url).toBe(`/repos/octo/net/issues/comments/${posted.id}`);
    expect(api.comments).toHaveLength(2); // the reviewer's and ours, updated in place
    expect(second.stdout).toContain('Updated the pull request comment');
  });

  it('posts nothing for a pull request from a fork, says so in the summary and goes on', async () => {
    const before = api.requests.length;
    const { dir, env } = workspace(prEvent('someone/net'));
    Object.assign(env, { INPUT_COMMENT: 'on', 'INPUT_GITHUB-TOKEN': 'read-only', GITHUB_API_URL: api.url, 'INPUT_FAIL-ON': 'none' });
    const res = await run(env, dir);
    expect(res.code).toBe(0);
    expect(api.requests.length).toBe(before);
    expect(res.stdout).toContain('::warning title=iac-vpce::No pull request comment: the pull request comes from the fork someone/net');
    expect(readFileSync(env['GITHUB_STEP_SUMMARY']!, 'utf8')).toContain('> No pull request comment: the pull request comes from the fork someone/net');
    expect(outputs(env['GITHUB_OUTPUT']!)['warnings']).toBe('5');
  });

  it('writes suppressed findings to the SARIF, marked as suppressed, only when include-suppressed is on', async () => {
    const { dir, env } = workspace({});
    const main = path.join(dir, 'infra', 'main.tf');
    const text = readFileSync(main, 'utf8');
    writeFileSync(
      main,
      text.replace('resource "aws_route" "db_pinned"', '# iac-vpce:ignore:VPCE103 -- pinned on purpose for the audit\nresource "aws_route" "db_pinned"'),
    );
    Object.assign(env, { 'INPUT_FAIL-ON': 'none', INPUT_SUMMARY: 'false', INPUT_ANNOTATIONS: 'false' });
    const sarifPath = path.join(dir, 'infra', 'iac-vpce.sarif');
    type Sarif = { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification?: string }> }> }> };
    const read = () => JSON.parse(readFileSync(sarifPath, 'utf8')) as Sarif;
    expect((await run(env, dir)).code).toBe(0);
    expect(read().runs[0]!.results.map((r) => r.ruleId)).not.toContain('VPCE103');
    env['INPUT_INCLUDE-SUPPRESSED'] = 'true';
    expect((await run(env, dir)).code).toBe(0);
    const suppressed = read().runs[0]!.results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.ruleId)).toEqual(['VPCE103']);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'pinned on purpose for the audit' }]);
    expect(outputs(env['GITHUB_OUTPUT']!)['warnings']).toBe('4'); // the counts are of findings that are not suppressed
    env['INPUT_INCLUDE-SUPPRESSED'] = 'sometimes';
    expect((await run(env, dir)).stdout).toContain('input include-suppressed must be true or false');
  });

  it('ends with exit code 2 and an error annotation on an invalid input', async () => {
    const { dir, env } = workspace(prEvent());
    env['INPUT_FAIL-ON'] = 'sometimes';
    const res = await run(env, dir);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('::error title=iac-vpce::input fail-on must be one of error, warning, note, none, got "sometimes"\n');
  });
});

describe('the committed bundle', () => {
  it('runs as a process with no install, as the runner starts it', () => {
    const { dir, env } = workspace({});
    Object.assign(env, { 'INPUT_FAIL-ON': 'error', INPUT_SUMMARY: 'false' });
    writeFileSync(env['GITHUB_OUTPUT']!, '');
    const res = spawnSync(process.execPath, [path.join(REPO, 'dist', 'action', 'index.js')], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    expect(res.stderr).toContain('report written to');
    expect(res.status).toBe(0);
    expect(res.stdout.split('\n').filter((l) => l.startsWith('::warning file=infra/main.tf,'))).toHaveLength(5);
    expect(outputs(env['GITHUB_OUTPUT']!)).toMatchObject({ errors: '0', warnings: '5', notes: '2' });
    expect(readFileSync(env['GITHUB_STEP_SUMMARY']!, 'utf8')).toBe('');
  }, 120_000);
});
