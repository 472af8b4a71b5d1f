import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import type { ResultCacheStats } from '../../src/engine/result-cache.js';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { format } from '../../src/report/index.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const today = '2026-01-01';

/** A fresh cache directory and key file outside every scanned tree. */
function freshCache() {
  const home = tmpTree({});
  return { dir: path.join(home, 'cache'), keyFile: path.join(home, 'key') };
}

async function run(options: ScanOptions, cache?: { dir: string; keyFile: string }) {
  const stats = {} as ResultCacheStats;
  const result = await scan({ today, ...options, ...(cache ? { parse: { cache } } : {}), resultCacheStats: stats });
  return { sarif: format(result, 'sarif'), json: format(result, 'json'), stats, result };
}

const resultEntries = (cache: { dir: string }) => readdirSync(path.join(cache.dir, 'results-v1')).filter((n) => n.endsWith('.json'));

/** A NAT-routed private subnet: VPCE101 reports it with a fix that edits the route table's file. */
const NAT_ROOT = readFileSync(path.join(repo, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

const VPC_MODULE = 'variable "cidr" {}\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n';
const CALLER = (cidr: string) => `module "net" {\n  source = "../../modules/net"\n  cidr   = "${cidr}"\n}\n`;
const TEMPLATE = (cidr: string) => `Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: ${cidr}\n`;

/** Three root modules (two calling one local module), one NAT configuration, two templates. */
function project(): string {
  return tmpTree({
    'live/a/main.tf': CALLER('10.0.0.0/16'),
    'live/b/main.tf': CALLER('10.1.0.0/16'),
    'live/nat/main.tf': NAT_ROOT,
    'modules/net/main.tf': VPC_MODULE,
    'cfn/one.yaml': TEMPLATE('10.2.0.0/16'),
    'cfn/two.yaml': TEMPLATE('10.3.0.0/16'),
  });
}

describe('result cache', () => {
  it('gives byte-identical SARIF and JSON cold, warm and without a cache on the bundled examples and fixtures', { timeout: 600_000 }, async () => {
    const paths = ['fixtures', 'examples'].map((p) => path.join(repo, p)).filter((p) => existsSync(p));
    const cache = freshCache();
    const none = await run({ paths, root: repo });
    const cold = await run({ paths, root: repo }, cache);
    const warm = await run({ paths, root: repo }, cache);
    expect(cold.stats.reused).toBe(0);
    expect(cold.stats.written).toBeGreaterThan(100);
    expect(warm.stats.computed).toBe(0);
    expect(warm.stats.reused).toBe(cold.stats.written);
    // Fixes with exact edits survive the cache: they are resolved from the files after the units are collected.
    expect(warm.sarif).toContain('"fixes"');
    expect(cold.sarif).toBe(none.sarif);
    expect(warm.sarif).toBe(none.sarif);
    expect(cold.json).toBe(none.json);
    expect(warm.json).toBe(none.json);
  });

  it('recomputes exactly the units whose files changed', async () => {
    const dir = project();
    const cache = freshCache();
    const cold = await run({ paths: [dir] }, cache);
    expect(cold.stats).toMatchObject({ reused: 0, computed: 5, written: 5, uncacheable: 0 });
    expect(resultEntries(cache)).toHaveLength(5);
    expect((await run({ paths: [dir] }, cache)).stats).toMatchObject({ reused: 5, computed: 0 });

    // One file of one root module.
    writeFileSync(path.join(dir, 'live/nat/main.tf'), `${NAT_ROOT}\n# edited\n`);
    const edited = await run({ paths: [dir] }, cache);
    expect(edited.stats).toMatchObject({ reused: 4, computed: 1, stale: 1 });
    expect(edited.sarif).toBe((await run({ paths: [dir] })).sarif);

    // The module two root modules call: both, and nothing else.
    writeFileSync(path.join(dir, 'modules/net/main.tf'), VPC_MODULE.replace('this', 'main'));
    const moduleEdited = await run({ paths: [dir] }, cache);
    expect(moduleEdited.stats).toMatchObject({ reused: 3, computed: 2 });
    expect(moduleEdited.json).toBe((await run({ paths: [dir] })).json);

    // One template.
    writeFileSync(path.join(dir, 'cfn/two.yaml'), TEMPLATE('10.9.0.0/16'));
    expect((await run({ paths: [dir] }, cache)).stats).toMatchObject({ reused: 4, computed: 1 });
  });

  it('recomputes the callers of a module directory a file was added to', async () => {
    const dir = project();
    const cache = freshCache();
    const before = await run({ paths: [dir] }, cache);
    writeFileSync(path.join(dir, 'modules/net/extra.tf'), 'resource "aws_vpc" "second" {\n  cidr_block = "10.8.0.0/16"\n}\n');
    const after = await run({ paths: [dir] }, cache);
    expect(after.stats).toMatchObject({ reused: 3, computed: 2 });
    // Each caller now makes two VPCs.
    expect(after.result.vpcs).toBe(before.result.vpcs + 2);
    expect(after.json).toBe((await run({ paths: [dir] })).json);
    // A variables file the root module reads by name counts as well.
    writeFileSync(path.join(dir, 'live/a/terraform.tfvars'), 'unused = 1\n');
    expect((await run({ paths: [dir] }, cache)).stats).toMatchObject({ reused: 4, computed: 1 });
  });

  it('recomputes every unit an option reaches: --region, --var, a variables file, --param, the rules', async () => {
    const dir = project();
    const varFile = path.join(dir, 'vars.tfvars');
    writeFileSync(varFile, 'cidr = "10.0.0.0/16"\n');
    const cache = freshCache();
    await run({ paths: [dir] }, cache);
    expect((await run({ paths: [dir], region: 'eu-west-1' }, cache)).stats).toMatchObject({ reused: 0, computed: 5 });
    expect((await run({ paths: [dir], region: 'eu-west-1' }, cache)).stats).toMatchObject({ reused: 5, computed: 0 });
    // Terraform's options leave the templates alone, and CloudFormation's the root modules.
    expect((await run({ paths: [dir], vars: { x: '1' } }, cache)).stats).toMatchObject({ reused: 2, computed: 3 });
    expect((await run({ paths: [dir], varFiles: [varFile] }, cache)).stats).toMatchObject({ reused: 2, computed: 3 });
    writeFileSync(varFile, 'cidr = "10.5.0.0/16"\n');
    expect((await run({ paths: [dir], varFiles: [varFile] }, cache)).stats).toMatchObject({ reused: 2, computed: 3 });
    expect((await run({ paths: [dir], params: { P: 'v' } }, cache)).stats).toMatchObject({ reused: 3, computed: 2 });
    expect((await run({ paths: [dir], skipRules: ['VPCE101'] }, cache)).stats).toMatchObject({ reused: 0, computed: 5 });
    expect((await run({ paths: [dir], rules: ['VPCE101'] }, cache)).stats).toMatchObject({ reused: 0, computed: 5 });
    expect((await run({ paths: [dir], inlineSuppressions: false }, cache)).stats).toMatchObject({ reused: 0, computed: 5 });
    expect((await run({ paths: [dir], limits: { maxSteps: 123456 } }, cache)).stats).toMatchObject({ reused: 0, computed: 5 });
    // Suppression expiry is applied after the units are collected: another day reuses them.
    expect((await run({ paths: [dir], today: '2030-01-01' }, cache)).stats).toMatchObject({ reused: 5, computed: 0 });
  });

  it('ignores a tampered, truncated or foreign entry without failing, and rewrites it', async () => {
    const dir = project();
    const cache = freshCache();
    const cold = await run({ paths: [dir] }, cache);
    const names = resultEntries(cache);
    const [first, second, third] = names.map((n) => path.join(cache.dir, 'results-v1', n));
    // A changed byte in the body: the signature no longer matches.
    const raw = readFileSync(first!, 'utf8');
    writeFileSync(first!, raw.replace('"findings":[', '"findings":[ '));
    writeFileSync(second!, raw.slice(0, 40));
    // An entry signed with another key.
    const other = freshCache();
    await run({ paths: [dir] }, other);
    const foreign = resultEntries(other).find((n) => path.basename(third!) === n)!;
    writeFileSync(third!, readFileSync(path.join(other.dir, 'results-v1', foreign)));
    const warm = await run({ paths: [dir] }, cache);
    expect(warm.stats).toMatchObject({ rejected: 3, computed: 3, reused: 2, written: 3 });
    expect(warm.sarif).toBe(cold.sarif);
    expect((await run({ paths: [dir] }, cache)).stats).toMatchObject({ reused: 5, computed: 0 });
  });

  it('does not keep a unit whose reading met a refused file', async () => {
    const outside = tmpTree({ 'secret.tf': 'resource "aws_vpc" "x" {\n  cidr_block = "10.0.0.0/16"\n}\n' });
    const dir = tmpTree({ 'root/main.tf': CALLER('10.0.0.0/16').replace('../../modules/net', './net'), 'root/net/main.tf': VPC_MODULE });
    symlinkSync(path.join(outside, 'secret.tf'), path.join(dir, 'root/net/linked.tf'));
    const cache = freshCache();
    const cold = await run({ paths: [dir] }, cache);
    expect(cold.json).toContain('input-outside-root');
    expect(cold.stats).toMatchObject({ computed: 1, uncacheable: 1, written: 0 });
    const again = await run({ paths: [dir] }, cache);
    expect(again.stats).toMatchObject({ computed: 1, reused: 0 });
    expect(again.json).toBe(cold.json);
  });

  it('neither reads nor writes a cache with --no-cache', async () => {
    const dir = project();
    const home = tmpTree({});
    const io = (out: string[]): Io => ({ stdout: (s) => out.push(s), stderr: () => undefined, isTty: false, env: { XDG_CACHE_HOME: home }, cwd: dir });
    const withCache: string[] = [];
    await main(['scan', '.', '-q', '-f', 'json'], io(withCache));
    const entries = path.join(home, 'iac-vpce', 'parse', 'results-v1');
    expect(readdirSync(entries).length).toBe(5);
    // Poison every entry: a scan that read them would drop them as rejected and write them again.
    for (const n of readdirSync(entries)) writeFileSync(path.join(entries, n), 'x');
    const without: string[] = [];
    await main(['scan', '.', '-q', '-f', 'json', '--no-cache'], io(without));
    expect(without.join('')).toBe(withCache.join(''));
    expect(readdirSync(entries).map((n) => readFileSync(path.join(entries, n), 'utf8'))).toEqual(Array(5).fill('x'));
  });
});
