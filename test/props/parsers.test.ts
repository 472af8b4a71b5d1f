import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTerraformFile, loadTfvars } from '../../src/parsers/terraform/load/index.js';
import { loadCloudFormation } from '../../src/parsers/cloudformation/template.js';
import type { Diagnostic } from '../../src/source/types.js';
import { cfnJson, cfnYaml, hclFile } from './arbitraries.js';
import { INTERNAL, params } from './settings.js';

/** Every diagnostic names its file and none stands for a caught crash. */
function wellFormed(diagnostics: readonly Diagnostic[], file: string): void {
  for (const d of diagnostics) {
    expect(d.code, d.message).not.toMatch(INTERNAL);
    expect(d.file).toBe(file);
    expect(typeof d.message).toBe('string');
  }
}

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 }));
const bytes = fc.uint8Array({ maxLength: 300 });

describe('parsers never throw: any text gives a value or diagnostics', () => {
  it('Terraform HCL, .tf.json and .tfvars', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, bytes, hclFile), async (input) => {
        for (const file of ['main.tf', 'main.tf.json']) {
          const loaded = await loadTerraformFile(file, input);
          expect(loaded.file !== undefined || loaded.diagnostics.length > 0).toBe(true);
          wellFormed(loaded.diagnostics, file);
        }
        const vars = await loadTfvars('x.tfvars', input);
        wellFormed(vars.diagnostics, 'x.tfvars');
      }),
      params(150),
    );
  });

  it('CloudFormation YAML and JSON, evaluated (intrinsics, conditions, parameters)', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.oneof(text, bytes, cfnYaml, cfnJson), (input) => {
        for (const file of ['template.yaml', 'template.json']) {
          const t = loadCloudFormation(file, input, { region: 'us-east-1' });
          expect(Array.isArray(t.resources)).toBe(true);
          wellFormed(t.diagnostics, file);
        }
      }),
      params(300),
    );
  });
});
