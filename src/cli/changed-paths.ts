import path from 'node:path';
import { changedTargets } from '../engine/changed.js';
import type { Io } from './io.js';

/**
 * `iac-vpce scan --changed FILE…`: what the changed files belong to, to scan with every report path relative to the
 * working directory (the repository root, where pre-commit runs its hooks). Undefined when none of the files is
 * Terraform, CloudFormation or part of a CDK app: then there is nothing to check, which is no failure.
 */
export async function changedScanPaths(paths: string[], quiet: boolean | undefined, io: Io): Promise<{ paths: string[]; root: string } | undefined> {
  const widened = await changedTargets(paths, io.cwd);
  if (widened.targets.length === 0) {
    const which = paths.length === 1 ? `${paths[0]} is` : `none of the ${paths.length} changed files is`;
    if (!quiet) io.stderr(`iac-vpce: nothing to scan: ${which} Terraform, CloudFormation or part of a CDK app\n`);
    return undefined;
  }
  return { paths: widened.targets.map((t) => path.relative(io.cwd, t) || '.'), root: widened.root };
}
