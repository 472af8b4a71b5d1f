import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The shared directory kept beside the repository: real configurations (`corpus`), peer tools' test suites
 * (`peer-suites`) and labelled scenarios (`scenarios`), read in place and never copied here. A developer's checkout may
 * not have it, so the tests that read it skip and say what is missing; CI sets IAC_VPCE_REQUIRE_SHARED=1, where a
 * missing directory fails the run instead, so those tests cannot pass by not running. IAC_VPCE_SHARED_DIR points
 * elsewhere (to check the failure itself, for one).
 */
export const REQUIRE_SHARED = 'IAC_VPCE_REQUIRE_SHARED';
export const SHARED_DIR = 'IAC_VPCE_SHARED_DIR';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = process.env[SHARED_DIR] ? path.resolve(process.env[SHARED_DIR]) : path.resolve(here, '../../../shared');

/** A path under the shared directory, e.g. `sharedPath('corpus', 'tfvpc-module-vpc-endpoints')`. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}

/** Whether the environment asks for the shared directory to be there (any value but empty, `0` or `false`). */
export function sharedRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env[REQUIRE_SHARED] ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/** What is missing of `paths`, and the sentence a skipped or failing test gives for it; undefined when all are there. */
export function missingShared(paths: string[]): string | undefined {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return undefined;
  return `${missing.map((p) => path.relative(path.dirname(SHARED), p) || p).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not present`;
}

/**
 * Whether every one of `paths` (under the shared directory) exists. When one does not, registers one test named after
 * `label` in the current suite that says so: skipped by default, failing when IAC_VPCE_REQUIRE_SHARED is set. Call it
 * while tests are being collected (at the top of a test file or inside a `describe`), once per group of tests it
 * guards, and skip those tests when it returns false.
 */
export function sharedAvailable(label: string, ...paths: string[]): boolean {
  const missing = missingShared(paths);
  if (missing === undefined) return true;
  if (sharedRequired()) {
    describe(label, () => {
      it(`needs ${missing.replace(/ (is|are) not present$/, '')}`, () => {
        throw new Error(`${missing}, and ${REQUIRE_SHARED} is set: the shared directory must be beside the repository`);
      });
    });
  } else {
    describe(label, () => {
      it.skip(`skipped: ${missing} (set ${REQUIRE_SHARED}=1 to fail instead)`, () => {});
    });
  }
  return false;
}
