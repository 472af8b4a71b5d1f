import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The process test runs the built CLI as a user meets it: `npm run build` comes first, as in CI.
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const EXAMPLE = path.join(REPO, 'examples/terraform-nat-vpc');

function cli(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, 'scan', EXAMPLE, '--format', 'json', '--fail-on', 'none'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], ...env },
  });
  return { code: r.status, stderr: r.stderr };
}

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
};

describe('stage timings (IAC_VPCE_TIMINGS)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('count a stage nested in another for itself only, sync or async', async () => {
    vi.stubEnv('IAC_VPCE_TIMINGS', '1');
    vi.resetModules();
    const { timed, stageTotals } = await import('../../src/source/timings.js');
    await timed('evaluate', async () => {
      busy(30);
      await timed('parse', async () => {
        await new Promise((r) => setTimeout(r, 5));
        busy(40);
      });
      timed('read', () => busy(20));
    });
    const totals = stageTotals();
    expect(totals['parse']).toBeGreaterThanOrEqual(40);
    expect(totals['read']).toBeGreaterThanOrEqual(20);
    expect(totals['evaluate']).toBeGreaterThanOrEqual(30);
    // Evaluate's own time excludes the 60 ms and more spent in parse and read.
    expect(totals['evaluate']!).toBeLessThan(totals['parse']! + totals['read']!);
  });

  it('share out overlapping stages so that they add up to the wall time, work before waiting', async () => {
    vi.stubEnv('IAC_VPCE_TIMINGS', '1');
    vi.resetModules();
    const { timed, stageTotals } = await import('../../src/source/timings.js');
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const before = stageTotals();
    const start = performance.now();
    await Promise.all([
      timed('parse', () => sleep(80)),
      timed('read', () => sleep(80)),
      (async () => {
        await sleep(5);
        timed('evaluate', () => busy(30));
      })(),
    ]);
    const wall = performance.now() - start;
    // Only what this test ran counts, whatever an earlier test left in the module.
    const after = stageTotals();
    const totals = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    const sum = Object.values(totals).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(wall + 0.5);
    expect(totals['evaluate']).toBeGreaterThanOrEqual(30);
    // While evaluate runs, the waits are not counted; after it, waiting for parsing comes before waiting for a read.
    expect(totals['parse']).toBeGreaterThanOrEqual(80 - 30 - 10);
    expect(totals['read'] ?? 0).toBeLessThan(10);
  });

  it('still pass on what the stage returns or throws', async () => {
    vi.stubEnv('IAC_VPCE_TIMINGS', '1');
    vi.resetModules();
    const { timed } = await import('../../src/source/timings.js');
    expect(timed('graph', () => 7)).toBe(7);
    await expect(timed('rules', () => Promise.resolve('x'))).resolves.toBe('x');
    expect(() =>
      timed('graph', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(timed('rules', () => Promise.reject(new Error('late')))).rejects.toThrow('late');
  });

  it('are printed by the CLI as one JSON line on stderr when asked, and not otherwise', () => {
    const on = cli({ IAC_VPCE_TIMINGS: '1' });
    expect(on.code).toBe(0);
    const line = /^iac-vpce-timings (\{.*\})$/m.exec(on.stderr);
    expect(line, on.stderr).not.toBeNull();
    const stages = JSON.parse(line![1]!) as Record<string, number>;
    for (const k of ['startup', 'discover', 'parse', 'evaluate', 'graph', 'rules', 'scan', 'report', 'total']) {
      expect(stages[k], k).toBeGreaterThan(0);
    }
    // Discovery reads the Terraform files and hands their bytes on, so the read stage itself may take no time.
    expect(stages['read'], 'read').toBeGreaterThanOrEqual(0);
    expect(stages['startup']! + stages['scan']! + stages['report']!).toBeCloseTo(stages['total']!, 0);
    const off = cli({});
    expect(off.code).toBe(0);
    expect(off.stderr).not.toContain('iac-vpce-timings');
  });
});
