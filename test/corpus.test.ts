import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type FileKind } from '../src/engine/discover/index.js';
import { scan } from '../src/engine/scan.js';
import { format } from '../src/report/index.js';
import { validateSarif } from './helpers/sarif-schema.js';
import { sharedAvailable, sharedPath } from './helpers/shared.js';

// Real configurations from public repositories, kept outside the project and read in place (see the shared corpus's
// SOURCES.md). Every case goes through the whole pipeline; test/cloudformation and test/terraform-plan check the loaders.
const CORPUS = sharedPath('corpus');
const present = sharedAvailable('corpus through the scan pipeline', CORPUS);

type Format = 'terraform' | 'terraform-plan' | 'cloudformation' | 'cdk';
const KIND_FORMAT: Record<FileKind, Format> = {
  terraform: 'terraform',
  tfvars: 'terraform',
  tfplan: 'terraform-plan',
  cloudformation: 'cloudformation',
  'cdk-assembly': 'cdk',
  'cdk-project': 'cdk',
};

/** Every case directory, with the formats discovery finds in it: new cases are picked up without naming them here. */
async function corpusCases(): Promise<Array<{ name: string; formats: Format[] }>> {
  const names = readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(CORPUS, name);
      const found = await discover([dir], { root: dir });
      return { name, formats: [...new Set(found.files.map((f) => KIND_FORMAT[f.kind]))].sort() };
    }),
  );
}

const cases = present ? await corpusCases() : [];
const ofFormat = (f: Format) => cases.filter((c) => c.formats.includes(f));
/** `tf-internal-error`, `cfn-internal-error`, `tfplan-internal-error`, … and a rule that threw. */
const isInternal = (code: string) => code === 'rule-error' || code.endsWith('-internal-error');

describe.skipIf(!present)('corpus through the scan pipeline', () => {
  it('holds cases of every format it is meant to exercise, and reads something in each case', () => {
    expect(ofFormat('terraform').length).toBeGreaterThan(5);
    expect(ofFormat('cloudformation').length).toBeGreaterThan(5);
    expect(ofFormat('terraform-plan').length).toBeGreaterThan(0);
    // CDK snapshots in the corpus are bare synthesized templates (no manifest.json), so they read as CloudFormation;
    // a cloud assembly added later is picked up as `cdk`.
    expect(cases.filter((c) => c.formats.length === 0).map((c) => c.name)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c.formats.join('+')]))('%s (%s) scans without a crash and gives valid SARIF', async (name) => {
    const dir = path.join(CORPUS, name);
    for (const region of [undefined, 'eu-west-1']) {
      const result = await scan({ paths: [dir], root: dir, region });
      expect(result.empty).toBe(false);
      expect(result.files.length).toBeGreaterThan(0);
      expect(result.diagnostics.filter((d) => isInternal(d.code))).toEqual([]);
      const log = JSON.parse(format(result, 'sarif')) as { runs: Array<{ results?: unknown[] }> };
      expect(validateSarif(log)).toEqual([]);
      expect(log.runs[0]!.results ?? []).toHaveLength(result.findings.length);
    }
  });
});
