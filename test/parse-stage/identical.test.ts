import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { format } from '../../src/report/index.js';
import { BUILT_UNIT_WORKER } from './built-worker.js';
import { PARSE_CACHE_MIN_FILE_BYTES } from '../../src/parsers/terraform/parse/cache.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const paths = ['fixtures', 'examples'].map((p) => path.join(repo, p)).filter((p) => existsSync(p));
const today = '2026-01-01';

async function report(parse: ScanOptions['parse'], resultCacheStats?: ScanOptions['resultCacheStats']): Promise<{ sarif: string; json: string }> {
  const result = await scan({ paths, root: repo, today, ...(parse ? { parse } : {}), ...(resultCacheStats ? { resultCacheStats } : {}) });
  return { sarif: format(result, 'sarif'), json: format(result, 'json') };
}

// Every fixture and example, scanned on one thread, through the parse cache cold then warm, and in unit workers.
describe.skipIf(BUILT_UNIT_WORKER === undefined)('the parse stage does not change reports', () => {
  it('gives byte-identical SARIF and JSON without and with a cold and a warm parse cache', { timeout: 600_000 }, async () => {
    const home = tmpTree({});
    const cache = { dir: path.join(home, 'parse'), keyFile: path.join(home, 'key'), minFileBytes: 0 };
    const inProcess = await report({ jobs: 1 });
    expect(JSON.parse(inProcess.sarif).runs[0].results.length).toBeGreaterThan(50);
    const cold = await report({ jobs: 1, cache });
    const entries = readdirSync(path.join(cache.dir, 'v1')).length;
    expect(entries).toBeGreaterThan(100);
    const warm = await report({ jobs: 1, cache });
    expect(readdirSync(path.join(cache.dir, 'v1')).length).toBe(entries);
    expect(cold.sarif).toBe(inProcess.sarif);
    expect(warm.sarif).toBe(inProcess.sarif);
    expect(warm.json).toBe(inProcess.json);
  });

  it('gives byte-identical SARIF and JSON with root modules and templates scanned in unit workers, cold and warm', { timeout: 600_000 }, async () => {
    const home = tmpTree({});
    const cache = { dir: path.join(home, 'cache'), keyFile: path.join(home, 'key') };
    const units = { jobs: 2, unitWorkerMinUnits: 0, unitWorkerScript: BUILT_UNIT_WORKER! };
    const inProcess = await report({ jobs: 1 });
    const inWorkers = await report(units);
    expect(inWorkers.sarif).toBe(inProcess.sarif);
    expect(inWorkers.json).toBe(inProcess.json);
    // Units scanned in workers are kept in the result cache as if scanned here: the warm scan is answered from it.
    const coldStats = { reused: 0, computed: 0, stale: 0, rejected: 0, uncacheable: 0, written: 0 };
    const cold = await report({ ...units, cache }, coldStats);
    expect(coldStats.written).toBeGreaterThan(100);
    const warmStats = { ...coldStats, reused: 0, computed: 0, written: 0 };
    const warm = await report({ ...units, cache }, warmStats);
    expect(warmStats.reused).toBe(coldStats.written);
    expect(warmStats.computed).toBe(coldStats.computed - coldStats.written);
    expect(cold.sarif).toBe(inProcess.sarif);
    expect(warm.sarif).toBe(inProcess.sarif);
    expect(warm.json).toBe(inProcess.json);
  });
});

describe('--jobs, --no-cache and --cache-dir', () => {
  // Over PARSE_CACHE_MIN_FILE_BYTES, so that the file is cached rather than parsed again.
  const TF = `resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n# ${'x'.repeat(PARSE_CACHE_MIN_FILE_BYTES)}\n`;

  async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env, cwd };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  it('keeps the cache in --cache-dir and never scans it, even inside the scanned tree', async () => {
    const dir = tmpTree({ 'main.tf': TF });
    const home = tmpTree({});
    const env = { XDG_CACHE_HOME: home };
    const first = await run(['scan', '.', '--cache-dir', 'cache', '-f', 'json', '-q'], dir, env);
    expect(first.code).toBe(0);
    expect(readdirSync(path.join(dir, 'cache', 'v1'))).toHaveLength(1);
    // A file in the cache directory is never read as IaC: the same broken file elsewhere is reported.
    const broken = 'resource "aws_vpc" {\n';
    writeFileSync(path.join(dir, 'cache', 'v1', 'broken.tf'), broken);
    const second = await run(['scan', '.', '--cache-dir', 'cache', '-f', 'json', '-q'], dir, env);
    expect(second.stdout).toBe(first.stdout);
    expect((JSON.parse(second.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    const control = tmpTree({ 'main.tf': TF, 'cache/v1/broken.tf': broken });
    const seen = await run(['scan', '.', '--cache-dir', path.join(home, 'elsewhere'), '-f', 'json', '-q'], control, env);
    expect((JSON.parse(seen.stdout) as { diagnostics: Array<{ file: string }> }).diagnostics.map((d) => d.file)).toContain('cache/v1/broken.tf');
    // The signing key stays in the user's cache directory.
    expect(existsSync(path.join(home, 'iac-vpce', 'key'))).toBe(true);
  });

  it('writes no cache with --no-cache, and uses the user cache directory by default', async () => {
    const dir = tmpTree({ 'main.tf': TF });
    const home = tmpTree({});
    await run(['scan', '.', '--no-cache', '-q', '-f', 'json'], dir, { XDG_CACHE_HOME: home });
    expect(readdirSync(home)).toEqual([]);
    await run(['scan', '.', '-q', '-f', 'json'], dir, { XDG_CACHE_HOME: home });
    expect(readdirSync(path.join(home, 'iac-vpce', 'parse', 'v1'))).toHaveLength(1);
  });

  it('refuses a --jobs that is not a whole number of at least 1', async () => {
    const dir = tmpTree({ 'main.tf': TF });
    for (const bad of ['0', '-1', 'two', '1.5']) {
      const r = await run(['scan', '.', '--jobs', bad], dir, {});
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/--jobs/);
    }
  });
});
