import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import { format } from '../../src/report/index.js';
import { BUILT_UNIT_WORKER } from './built-worker.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/**
 * Unit workers that fail: one dies on the root module `crash` (its unit is scanned on the main thread instead), one never
 * answers on `hang` (stopped at the time limit and reported, not scanned again); and none at all when the worker script
 * is missing. The rest of the report is what one thread gives.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const misbehaving = path.join(here, 'misbehaving-worker.mjs');
const example = path.resolve(here, '../../examples/terraform-nat-vpc');
const moduleFiles = (dir: string) =>
  Object.fromEntries(
    readdirSync(example)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => [`${dir}/${f}`, readFileSync(path.join(example, f), 'utf8')]),
  );
const today = '2026-01-01';

async function run(root: string, parse: ScanOptions['parse']) {
  return scan({ paths: [root], root, today, parse });
}

describe.skipIf(BUILT_UNIT_WORKER === undefined)('unit workers that fail', () => {
  it('scans a crashed unit on the main thread and reports a hung one, keeping every other unit', { timeout: 120_000 }, async () => {
    const units = ['alpha', 'crash', 'beta'];
    const tree = tmpTree(Object.assign({}, ...[...units, 'hang'].map(moduleFiles)));
    const control = tmpTree(Object.assign({}, ...units.map(moduleFiles)));
    const expected = await run(control, { jobs: 1 });
    const got = await run(tree, { jobs: 2, unitWorkerMinUnits: 0, unitWorkerScript: misbehaving, unitTimeLimitMs: 3000 });
    expect(expected.findings.some((f) => f.location.file.startsWith('crash/'))).toBe(true);
    expect(got.findings.map((f) => [f.fingerprint, f.location.file])).toEqual(expected.findings.map((f) => [f.fingerprint, f.location.file]));
    const timedOut = got.diagnostics.filter((d) => d.code === 'scan-unit-timeout');
    expect(timedOut).toEqual([expect.objectContaining({ severity: 'error', file: 'hang', message: expect.stringContaining('did not finish within 3 s') })]);
    expect(got.findings.some((f) => f.location.file.startsWith('hang/'))).toBe(false);
  });

  it('scans every unit on the main thread when no worker can start, with the same report', { timeout: 120_000 }, async () => {
    const tree = tmpTree(Object.assign({}, ...['a', 'b', 'c'].map(moduleFiles)));
    const one = format(await run(tree, { jobs: 1 }), 'sarif');
    const missing = format(await run(tree, { jobs: 2, unitWorkerMinUnits: 0, unitWorkerScript: path.join(here, 'no-such-worker.mjs') }), 'sarif');
    const built = format(await run(tree, { jobs: 2, unitWorkerMinUnits: 0, unitWorkerScript: BUILT_UNIT_WORKER! }), 'sarif');
    expect(missing).toBe(one);
    expect(built).toBe(one);
  });
});
