import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/engine/scan.js';
import { validateSarif } from './helpers/sarif-schema.js';
import { toSarif } from '../src/report/sarif.js';

// Real configurations from public repositories, kept outside the project (see the shared corpus's SOURCES.md).
const CORPUS = path.resolve(__dirname, '../../shared/corpus');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus tests skipped: ${CORPUS} is not present`);

function hasTerraform(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && /\.tf(\.json)?$/.test(e.name)) return true;
    if (e.isDirectory() && hasTerraform(path.join(dir, e.name))) return true;
  }
  return false;
}

const cases = present ? readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory() && hasTerraform(path.join(CORPUS, e.name))).map((e) => e.name).sort() : [];

describe.skipIf(!present)('Terraform corpus', () => {
  it('holds Terraform cases', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)('%s scans without a crash and gives valid SARIF', async (name) => {
    const dir = path.join(CORPUS, name);
    const result = await scan({ paths: [dir], root: dir });
    expect(result.files.length).toBeGreaterThan(0);
    const internal = result.diagnostics.filter((d) => d.code === 'tf-internal-error' || d.code === 'rule-error');
    expect(internal).toEqual([]);
    expect(validateSarif(toSarif(result))).toEqual([]);
  });
});
