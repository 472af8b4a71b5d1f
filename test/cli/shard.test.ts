import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from '../../src/engine/shard.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'fixtures');
const fixture = (rel: string) => readFileSync(path.join(FIXTURES, rel), 'utf8');

interface Log {
  runs: Array<{ results: unknown[]; invocations: Array<{ toolExecutionNotifications: Array<{ descriptor: { id: string } }> }> }>;
}
const QUIET = ['-f', 'sarif', '-q', '--fail-on', 'none', '--fail-on-diagnostics', 'none'];

/** Scans `paths` once and in `n` parts merged; returns both logs as text and the parts parsed. */
async function oneShotAndMerged(paths: string[], n: number, cwd: string) {
  const out = tmpTree({});
  expect((await run(['scan', ...paths, ...QUIET, '-o', path.join(out, 'one.sarif')], cwd)).code).toBe(0);
  const parts: string[] = [];
  for (let k = 1; k <= n; k++) {
    const file = path.join(out, `part-${k}.sarif`);
    const r = await run(['scan', ...paths, ...QUIET, '--shard', `${k}/${n}`, '-o', file], cwd);
    expect(r.code, r.stderr).toBe(0);
    parts.push(file);
  }
  const merged = path.join(out, 'all.sarif');
  // Given in reverse: the order of the parts on the command line does not matter.
  const m = await run(['merge', ...[...parts].reverse(), '--output', merged], cwd);
  expect(m.code, m.stderr).toBe(0);
  return {
    one: readFileSync(path.join(out, 'one.sarif'), 'utf8'),
    merged: readFileSync(merged, 'utf8'),
    parts: parts.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Log),
  };
}

describe('--shard K/N', () => {
  it('reads K/N and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1/5000']) expect(typeof parseShard(bad)).toBe('string');
  });

  it('puts a unit in the same part on every machine: SHA-256 of its path, nothing else', () => {
    // Pinned: a change here moves every root module of every user's CI matrix to another job.
    expect(['live/a', 'live/b', 'live/c', 'live/d'].map((k) => shardOf(k, 3))).toEqual([2, 1, 2, 3]);
    expect(shardOf('anything', 1)).toBe(1);
  });

  it('is a usage error when malformed', async () => {
    const r = await run(['scan', path.join(REPO, 'examples'), '--shard', '3/2'], REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard');
  });
});

describe('a sharded scan merged equals a one-shot scan, byte for byte', () => {
  it('over the examples and fixtures of every format (several root modules, templates, plans, CDK apps)', { timeout: 300_000 }, async () => {
    const paths = ['examples', 'fixtures/rules/VPCE101', 'fixtures/cloudformation', 'fixtures/cdk', 'fixtures/terraform-plan'];
    const { one, merged, parts } = await oneShotAndMerged(paths, 2, REPO);
    expect(merged).toBe(one);
    expect(validateSarif(JSON.parse(merged))).toEqual([]);
    // Both parts did real work, and neither did all of it.
    const total = (JSON.parse(one) as Log).runs[0]!.results.length;
    expect(total).toBeGreaterThan(20);
    for (const p of parts) {
      expect(p.runs[0]!.results.length).toBeGreaterThan(0);
      expect(p.runs[0]!.results.length).toBeLessThan(total);
    }
  });

  it('reports a suppression as unused only when no part used it', { timeout: 120_000 }, async () => {
    const network = fixture('rules/VPCE101/terraform/bad-local-module/modules/network/main.tf');
    const call = (name: string) =>
      `provider "aws" {\n  region = "us-east-2"\n}\n\nmodule "${name}" {\n  source = "../../modules/network"\n  cidr   = "10.40.0.0/16"\n  name   = "${name}"\n}\n`;
    // live/a falls in part 1 of 2, live/c in part 2 (see the pinned hashes above).
    const dir = tmpTree({
      'live/a/main.tf': call('alpha'),
      'live/c/main.tf': call('gamma'),
      'modules/network/main.tf': network.replace(
        'resource "aws_route_table" "private" {',
        '# iac-vpce:ignore:VPCE101,VPCE102 -- endpoints come with the callers\nresource "aws_route_table" "private" {',
      ),
      'stacks/app.yaml': fixture('rules/VPCE101/cloudformation-yaml/bad-nat-no-endpoint/template.yaml'),
      '.iac-vpce.yml': 'ignore:\n  - rule: VPCE101\n    resource: module.alpha.*\n    reason: legacy VPC\n',
    });
    expect([shardOf('live/a', 2), shardOf('live/c', 2)]).toEqual([1, 2]);
    const { one, merged, parts } = await oneShotAndMerged(['.'], 2, dir);
    expect(merged).toBe(one);
    const unused = (log: Log) => log.runs[0]!.invocations[0]!.toolExecutionNotifications.filter((n) => n.descriptor.id === 'suppression-unused').length;
    // Alone, part 2 never saw module.alpha, so it calls the ignore entry unused; together it is used.
    expect(unused(parts[1]!)).toBeGreaterThan(unused(JSON.parse(one) as Log));
  });
});

describe('iac-vpce merge', () => {
  it('refuses parts that do not make a whole', { timeout: 120_000 }, async () => {
    const out = tmpTree({});
    const part = async (spec: string) => {
      const file = path.join(out, `${spec.replace('/', '-of-')}.sarif`);
      await run(['scan', 'examples', ...QUIET, '--shard', spec, '-o', file], REPO);
      return file;
    };
    const [a, b, c] = [await part('1/3'), await part('2/3'), await part('1/2')];
    const missing = await run(['merge', a, b], out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('3/3 missing');
    expect((await run(['merge', a, a, b], out)).stderr).toContain('given twice');
    expect((await run(['merge', a, c], out)).stderr).toContain('split into');
    const plain = path.join(out, 'plain.sarif');
    await run(['scan', 'examples', ...QUIET, '-o', plain], REPO);
    expect((await run(['merge', plain, c], out)).stderr).toContain('not a part of a sharded scan');
    expect((await run(['merge', path.join(out, 'nope.sarif')], out)).code).toBe(2);
  });
});
