import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as sarif from 'sarif';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/*
 * What GitHub code scanning reads from an uploaded SARIF file, as "SARIF support for code scanning" documents it
 * (docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning),
 * checked on every golden file and on logs the CLI writes as a process.
 */

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'dist/src/cli/bin.js');
const cases = JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'golden-cases.json'), 'utf8')) as Array<{ input: string; golden: string }>;

/** GitHub's limits per run ("Validating your SARIF file"): past them the file is rejected. */
const MAX_RESULTS_PER_RUN = 25_000;
const MAX_RULES_PER_RUN = 25_000;
const MAX_LOCATIONS_PER_RESULT = 1_000;
const MAX_THREAD_FLOW_LOCATIONS = 10_000;
const MAX_TAGS_PER_RULE = 20;
const PROBLEM_SEVERITIES = ['error', 'warning', 'recommendation'];

/** Every `[text](id)` embedded link of a plain-text message (SARIF 2.1.0 §3.11.6; `\[` and `\]` are literal). */
function embeddedLinks(text: string): Array<{ text: string; id: number }> {
  return [...text.matchAll(/(?<!\\)\[((?:\\.|[^\\\]])*)\]\((\d+)\)/g)].map((m) => ({ text: m[1]!.replace(/\\(.)/g, '$1'), id: Number(m[2]) }));
}

function uriProblems(where: string, loc: sarif.ArtifactLocation | undefined): string[] {
  const uri = loc?.uri ?? '';
  const out: string[] = [];
  if (!uri) out.push(`${where}: no artifactLocation.uri`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) out.push(`${where}: ${uri} is absolute; GitHub wants a path relative to the repository root`);
  if (uri.split('/').includes('..') || uri.startsWith('/')) out.push(`${where}: ${uri} leaves the repository root`);
  return out;
}

function ruleProblems(rule: sarif.ReportingDescriptor): string[] {
  const out: string[] = [];
  const p = rule.properties ?? {};
  if (!rule.shortDescription?.text) out.push(`${rule.id}: shortDescription.text is required`);
  if (!rule.fullDescription?.text) out.push(`${rule.id}: fullDescription.text is required`);
  if (!rule.help?.text) out.push(`${rule.id}: help.text is required`);
  if ((rule.shortDescription?.text.length ?? 0) > 1024 || (rule.fullDescription?.text.length ?? 0) > 1024)
    out.push(`${rule.id}: descriptions over 1024 characters`);
  if ((rule.name?.length ?? 0) > 255) out.push(`${rule.id}: name over 255 characters`);
  if (((p['tags'] as string[] | undefined)?.length ?? 0) > MAX_TAGS_PER_RULE) out.push(`${rule.id}: more than ${MAX_TAGS_PER_RULE} tags`);
  const security = p['security-severity'];
  if (security !== undefined) {
    const score = Number(security);
    if (typeof security !== 'string' || !(score > 0 && score <= 10)) out.push(`${rule.id}: security-severity must be a string score in (0, 10]`);
    if (!(p['tags'] as string[]).includes('security')) out.push(`${rule.id}: a security rule is tagged security`);
  } else if (!PROBLEM_SEVERITIES.includes(p['problem.severity'] as string))
    out.push(`${rule.id}: problem.severity must be one of ${PROBLEM_SEVERITIES.join(', ')}`);
  return out;
}

function resultProblems(run: sarif.Run, r: sarif.Result, i: number): string[] {
  const where = `result ${i} (${r.ruleId})`;
  const out: string[] = [];
  const rules = run.tool.driver.rules ?? [];
  if (r.ruleIndex === undefined || rules[r.ruleIndex]?.id !== r.ruleId) out.push(`${where}: ruleIndex does not point at its rule`);
  if (!r.message.text) out.push(`${where}: message.text is required`);
  if (r.locations?.length !== 1) out.push(`${where}: GitHub uses the first location only; there must be exactly one`);
  const region = r.locations?.[0]?.physicalLocation?.region;
  if (!region?.startLine) out.push(`${where}: the primary location needs a region with startLine`);
  else if (region.endLine !== undefined && region.endLine !== region.startLine)
    out.push(`${where}: the primary region spans lines ${region.startLine}-${region.endLine}; a pull request shows it only when every line changed`);
  out.push(...uriProblems(where, r.locations?.[0]?.physicalLocation?.artifactLocation));
  if (!r.partialFingerprints?.['primaryLocationLineHash']) out.push(`${where}: partialFingerprints.primaryLocationLineHash is missing`);
  const related = r.relatedLocations ?? [];
  for (const l of related) out.push(...uriProblems(`${where} related ${l.id}`, l.physicalLocation?.artifactLocation));
  const ids = related.map((l) => l.id);
  if (new Set(ids).size !== ids.length) out.push(`${where}: related location ids repeat`);
  for (const link of embeddedLinks(r.message.text ?? '')) {
    const target = related.find((l) => l.id === link.id);
    if (!target) out.push(`${where}: link [${link.text}](${link.id}) has no related location`);
    else if (target.logicalLocations?.[0]?.fullyQualifiedName !== link.text) out.push(`${where}: link text ${link.text} is not the resource at ${link.id}`);
  }
  if ((r.locations?.length ?? 0) + related.length > MAX_LOCATIONS_PER_RESULT) out.push(`${where}: too many locations`);
  const steps = (r.codeFlows ?? []).flatMap((c) => c.threadFlows.flatMap((t) => t.locations));
  if (steps.length > MAX_THREAD_FLOW_LOCATIONS) out.push(`${where}: too many thread flow locations`);
  return out;
}

/** Everything in a log that GitHub code scanning would reject, truncate or show wrongly; empty when it reads it all. */
function githubProblems(log: sarif.Log): string[] {
  const out: string[] = [];
  if (log.version !== '2.1.0') out.push('version must be 2.1.0');
  for (const run of log.runs) {
    const rules = run.tool.driver.rules ?? [];
    const results = run.results ?? [];
    if (!run.automationDetails?.id?.endsWith('/')) out.push(`automationDetails.id ${run.automationDetails?.id} must end in / (a category without a run id)`);
    if (results.length > MAX_RESULTS_PER_RUN) out.push(`${results.length} results in a run`);
    if (rules.length > MAX_RULES_PER_RUN) out.push(`${rules.length} rules in a run`);
    for (const rule of rules) out.push(...ruleProblems(rule));
    results.forEach((r, i) => out.push(...resultProblems(run, r, i)));
    for (const a of run.artifacts ?? []) out.push(...uriProblems('artifact', a.location));
    for (const n of run.invocations?.flatMap((inv) => inv.toolExecutionNotifications ?? []) ?? [])
      for (const l of n.locations ?? []) out.push(...uriProblems(`notification ${n.descriptor?.id}`, l.physicalLocation?.artifactLocation));
  }
  return out;
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NAT = readFileSync(path.join(ROOT, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

/** A repository with a Terraform configuration at infra/network whose route table sends S3 through NAT. */
function repository(extra: Record<string, string> = {}): string {
  const dir = tmpTree({ 'infra/network/main.tf': NAT, 'README.md': '# infra\n', ...extra });
  if (!('.git' in extra)) mkdirSync(path.join(dir, '.git'));
  return dir;
}

const uris = (log: sarif.Log) => log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);

describe('SARIF as GitHub code scanning reads it', () => {
  it.each(cases.map((c) => [c.golden] as const))('%s has every field GitHub reads, within its limits', (golden) => {
    const log = JSON.parse(readFileSync(path.join(ROOT, golden), 'utf8')) as sarif.Log;
    expect(log.runs[0]!.results!.length).toBeGreaterThan(0);
    expect(githubProblems(log)).toEqual([]);
  });

  it('links the resources a message names to their related locations', () => {
    const log = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/golden/terraform-nat-vpc.sarif'), 'utf8')) as sarif.Log;
    // Every result with related locations links them; VPCE301's note names only its own endpoint.
    const related = log.runs[0]!.results!.filter((r) => (r.relatedLocations ?? []).length > 0);
    expect(related.length).toBe(5);
    for (const r of related) expect(embeddedLinks(r.message.text!).length).toBeGreaterThan(0);
    const first = log.runs[0]!.results![0]!;
    expect(first.message.text).toMatch(/^S3 traffic from \[aws_subnet\.app\\\["us-east-1a"\\\]\]\(1\) /);
  });

  it('names files from the repository root when a subdirectory is scanned, from the top or from inside it', () => {
    const repo = repository();
    const fromTop = cli(['scan', 'infra/network', '-f', 'sarif'], repo);
    expect(fromTop.code, fromTop.stderr).toBe(0);
    const log = JSON.parse(fromTop.stdout) as sarif.Log;
    expect(uris(log)).toEqual(['infra/network/main.tf']);
    expect(log.runs[0]!.artifacts!.map((a) => a.location!.uri)).toEqual(['infra/network/main.tf']);
    expect(githubProblems(log)).toEqual([]);
    expect(validateSarif(log)).toEqual([]);
    expect(fromTop.stdout).not.toContain(repo);
    const fromInside = cli(['scan', '.', '-f', 'sarif'], path.join(repo, 'infra/network'));
    expect(fromInside.stdout).toBe(fromTop.stdout);
  });

  it('takes a .git file (a linked worktree or submodule) as the top of the repository', () => {
    const repo = repository({ '.git': 'gitdir: /elsewhere/.git/worktrees/infra\n' });
    expect(uris(JSON.parse(cli(['scan', '.', '-f', 'sarif'], path.join(repo, 'infra')).stdout) as sarif.Log)).toEqual(['infra/network/main.tf']);
  });

  it('outside a git work tree, names files from the working directory', () => {
    const dir = tmpTree({ 'infra/network/main.tf': NAT });
    expect(uris(JSON.parse(cli(['scan', 'infra/network', '-f', 'sarif'], dir).stdout) as sarif.Log)).toEqual(['infra/network/main.tf']);
    // A scan root outside the working directory cannot be reached without '..': its own directory is the base then.
    expect(uris(JSON.parse(cli(['scan', path.join(dir, 'infra'), '-f', 'sarif'], path.join(dir, 'infra/network')).stdout) as sarif.Log)).toEqual([
      'network/main.tf',
    ]);
  });

  it('--category sets the analysis category GitHub keeps apart; without it the category is iac-vpce', () => {
    const repo = repository();
    const plain = JSON.parse(cli(['scan', '.', '-f', 'sarif'], repo).stdout) as sarif.Log;
    expect(plain.runs[0]!.automationDetails).toEqual({ id: 'iac-vpce/' });
    const network = JSON.parse(cli(['scan', '.', '-f', 'sarif', '--category', 'network/prod'], repo).stdout) as sarif.Log;
    expect(network.runs[0]!.automationDetails).toEqual({ id: 'iac-vpce/network/prod/' });
    expect(githubProblems(network)).toEqual([]);
    const empty = cli(['scan', '.', '-f', 'sarif', '--category', '/'], repo);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--category needs a name');
  });

  it('leaves suppressed findings out unless --include-suppressed, which marks them inSource or external with the reason', () => {
    const commented = NAT.replace(
      'resource "aws_route_table" "private"',
      '# iac-vpce:ignore:VPCE101 -- S3 is reached in another region\nresource "aws_route_table" "private"',
    );
    const repo = repository({
      'infra/a/main.tf': commented,
      'infra/b/main.tf': NAT,
      '.iac-vpce.yml': 'ignore:\n  - rule: VPCE101\n    path: infra/b/**\n    reason: legacy VPC, decommissioned in Q1\n',
    });
    const plain = JSON.parse(cli(['scan', '.', '-f', 'sarif'], repo).stdout) as sarif.Log;
    expect(uris(plain)).toEqual(['infra/network/main.tf']);
    const all = JSON.parse(cli(['scan', '.', '-f', 'sarif', '--include-suppressed'], repo).stdout) as sarif.Log;
    expect(validateSarif(all)).toEqual([]);
    expect(githubProblems(all)).toEqual([]);
    const byFile = Object.fromEntries(all.runs[0]!.results!.map((r) => [r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.suppressions]));
    expect(byFile).toEqual({
      'infra/a/main.tf': [{ kind: 'inSource', status: 'accepted', justification: 'S3 is reached in another region' }],
      'infra/b/main.tf': [{ kind: 'external', status: 'accepted', justification: 'legacy VPC, decommissioned in Q1' }],
      'infra/network/main.tf': undefined,
    });
  });

  it('the checker catches what GitHub would not read', () => {
    const log = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/golden/cloudformation-yaml.sarif'), 'utf8')) as sarif.Log;
    const run = log.runs[0]!;
    const r = run.results![0]!;
    r.message.text = `${r.message.text} See [elsewhere](99).`;
    r.locations![0]!.physicalLocation!.artifactLocation!.uri = 'file:///home/runner/work/x/template.yaml';
    r.locations![0]!.physicalLocation!.region!.endLine = r.locations![0]!.physicalLocation!.region!.startLine! + 2;
    delete r.partialFingerprints;
    run.automationDetails = { id: 'iac-vpce' };
    delete run.tool.driver.rules![0]!.help;
    const problems = githubProblems(log).join('\n');
    for (const expected of ['no related location', 'is absolute', 'spans lines', 'primaryLocationLineHash', 'must end in /', 'help.text']) {
      expect(problems).toContain(expected);
    }
  });
});
