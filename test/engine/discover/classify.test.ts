import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFile, kindFromName } from '../../../src/engine/discover/classify.js';
import { discover } from '../../../src/engine/discover/index.js';
import { tmpTree } from '../../helpers/tmp-tree.js';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/loader/classify');

describe('classification by content', () => {
  const cases: Array<[string, string | undefined]> = [
    ['vpc-template.yaml', 'cloudformation'],
    ['no-version.yml', 'cloudformation'],
    ['template.json', 'cloudformation'],
    ['plan.json', 'tfplan'],
    ['workflow.yml', undefined],
    ['package.json', undefined],
    ['deployment.yaml', undefined],
    ['serverless.yml', undefined],
  ];
  for (const [name, kind] of cases) {
    it(`${name} is ${kind ?? 'ignored'}`, async () => {
      expect(await classifyFile(path.join(FIXTURES, name), name, 'classify')).toBe(kind);
    });
  }

  it('classifies the whole fixture folder in one walk', async () => {
    const r = await discover([FIXTURES]);
    expect(r.files).toEqual([
      { path: 'no-version.yml', kind: 'cloudformation' },
      { path: 'plan.json', kind: 'tfplan' },
      { path: 'template.json', kind: 'cloudformation' },
      { path: 'vpc-template.yaml', kind: 'cloudformation' },
    ]);
    expect(r.terraformModules).toEqual([]);
  });

  it('ignores a binary file with a template extension', async () => {
    const root = tmpTree({ 'x.json': 'AWSTemplateFormatVersion\0' });
    expect(await classifyFile(path.join(root, 'x.json'), 'x.json', 'r')).toBeUndefined();
  });

  it('sniffs only the head of a file', async () => {
    const late = `{"format_version":"1.2","variables":{"pad":"${'x'.repeat(70 * 1024)}"},"planned_values":{}}`;
    const early = `{"format_version":"1.2","planned_values":{},"pad":"${'x'.repeat(70 * 1024)}"}`;
    const root = tmpTree({ 'late.json': late, 'early.json': early });
    expect(await classifyFile(path.join(root, 'late.json'), 'late.json', 'r')).toBeUndefined();
    expect(await classifyFile(path.join(root, 'early.json'), 'early.json', 'r')).toBe('tfplan');
  });
});

describe('classification by name', () => {
  it('knows Terraform files and variable files', () => {
    expect(
      ['main.tf', 'main.tf.json', 'a.tfvars', 'b.auto.tfvars', 'c.tfvars.json', 'd.auto.tfvars.json', 't.yaml', 'README.md', '.terraform.lock.hcl'].map(
        kindFromName,
      ),
    ).toEqual(['terraform', 'terraform', 'tfvars', 'tfvars', 'tfvars', 'tfvars', 'sniff', undefined, undefined]);
  });
});
