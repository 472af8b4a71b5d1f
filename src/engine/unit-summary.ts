import path from 'node:path';
import type { ModuleLoader } from '../parsers/terraform/evaluate/index.js';
import { terraformSuppressions } from '../parsers/terraform/suppressions.js';
import type { Contribution } from './formats.js';
import { interfaceEndpointsOf } from './inventory.js';
import type { FileDirectives, UnitResult } from './result-cache.js';

/**
 * What the scan keeps of one unit (a root module, a template) once its graphs are dropped: their interface endpoints
 * and VPC count, and the suppression directives of the Terraform files it evaluated. The scanning thread, the result
 * cache and the unit workers all sum a unit up the same way.
 */

/** The part of a unit's result its graphs and files stand for. */
export type Summary = Pick<UnitResult, 'endpoints' | 'vpcs' | 'directories'>;

/** What the scan takes from a contribution's graphs, before they are dropped. */
export function summarize(c: Contribution): Summary {
  return { endpoints: interfaceEndpointsOf(c.graphs), vpcs: c.graphs.reduce((n, g) => n + g.all('vpc').length, 0), directories: [] };
}

/** A Terraform root module's summary, with the directives of every file of each module directory it evaluated. */
export async function summarizeTerraform(c: Contribution, loader: ModuleLoader, inline: boolean): Promise<Summary> {
  const directories: UnitResult['directories'] = [];
  if (inline) {
    for (const dir of new Set(c.terraformFiles.map((f) => path.posix.dirname(f)))) {
      directories.push({ dir, files: directivesOf((await loader.load(dir))?.files ?? []) });
    }
  }
  return { ...summarize(c), directories };
}

export function directivesOf(files: Parameters<typeof terraformSuppressions>[0][]): FileDirectives[] {
  return files.map((file) => ({ file: file.path, ...terraformSuppressions(file) }));
}

export function resultOf(c: Contribution, summary: Summary): UnitResult {
  const { findings, diagnostics, directives, files, terraformFiles } = c;
  return { findings, diagnostics, directives, files, terraformFiles, ...summary };
}
