import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingShared, REQUIRE_SHARED, SHARED_DIR, sharedPath, sharedRequired } from './shared.js';
import { tmpTree } from './tmp-tree.js';

const ROOT = path.resolve(__dirname, '../..');
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** Runs one test file in a child vitest, with the shared directory pointed at `shared`. */
function runWithShared(file: string, shared: string, require: boolean) {
  const env = { ...process.env, [SHARED_DIR]: shared, [REQUIRE_SHARED]: require ? '1' : '' };
  return spawnSync(process.execPath, [VITEST, 'run', file], { cwd: ROOT, env, encoding: 'utf8' });
}

describe('tests that read the shared directory', () => {
  it('are required when IAC_VPCE_REQUIRE_SHARED has a value other than 0 or false', () => {
    expect(sharedRequired({})).toBe(false);
    expect(sharedRequired({ [REQUIRE_SHARED]: '' })).toBe(false);
    expect(sharedRequired({ [REQUIRE_SHARED]: '0' })).toBe(false);
    expect(sharedRequired({ [REQUIRE_SHARED]: 'false' })).toBe(false);
    expect(sharedRequired({ [REQUIRE_SHARED]: '1' })).toBe(true);
    expect(sharedRequired({ [REQUIRE_SHARED]: 'true' })).toBe(true);
  });

  it('say which paths are missing', () => {
    const there = tmpTree({ 'a.txt': 'a' });
    expect(missingShared([path.join(there, 'a.txt')])).toBeUndefined();
    expect(missingShared([path.join(there, 'b.txt')])).toMatch(/b\.txt is not present$/);
    expect(missingShared([sharedPath('no-such-dir'), sharedPath('nor-this')])).toMatch(/no-such-dir, .*nor-this are not present$/);
  });

  it('skip without the shared directory, and fail without it when it is required', () => {
    const empty = tmpTree({ 'README.md': 'no corpus here\n' });
    const file = 'test/terraform-plan/corpus.test.ts';
    const skipped = runWithShared(file, empty, false);
    expect(skipped.status, skipped.stdout + skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/skipped/);
    const failed = runWithShared(file, empty, true);
    expect(failed.status, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout + failed.stderr).toContain(`${REQUIRE_SHARED} is set`);
  });
});
