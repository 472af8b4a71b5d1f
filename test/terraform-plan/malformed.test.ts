import { describe, expect, it } from 'vitest';
import { isTerraformPlan, loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import { fixtureText } from './helpers.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const root = tmpTree({ 'README.md': 'no configuration here\n' });
const load = (text: string, file = 'plan.json') => loadTerraformPlan(file, text, { scanRoot: root });

describe('input that is not a readable plan', () => {
  it.each([
    ['not JSON', '{\n  "format_version": "1.2",\n  "planned_values": {\n', 'tfplan-parse-error', 4],
    ['JSON with a syntax error', '{\n  "format_version": "1.2",\n  "planned_values": { "root_module": [ }\n}\n', 'tfplan-parse-error', 3],
    ['an empty file', '', 'tfplan-parse-error', 1],
    ['a JSON array', '[1, 2]', 'tfplan-not-a-plan', 1],
    ['a future major version', '{\n  "format_version": "2.0",\n  "planned_values": {}\n}\n', 'tfplan-unsupported-version', 2],
    ['a version that is not one', '{\n  "format_version": 1,\n  "planned_values": {}\n}\n', 'tfplan-unsupported-version', 2],
    ['no planned_values', '{\n  "format_version": "1.2",\n  "terraform_version": "1.9.5"\n}\n', 'tfplan-missing-planned-values', 1],
    ['planned_values that is not an object', '{\n  "format_version": "1.2",\n  "planned_values": []\n}\n', 'tfplan-missing-planned-values', 3],
    ['a binary plan file', 'tfplan\u0000\u0001PK', 'tfplan-binary', 1],
    ['nesting deeper than any plan', `{"format_version":"1.2","planned_values":${'['.repeat(200)}${']'.repeat(200)}}`, 'tfplan-too-deep', 1],
  ])('%s gives a diagnostic, never a throw', async (_label, text, code, line) => {
    const plan = await load(text);
    expect(plan.instances).toEqual([]);
    expect(plan.diagnostics).toEqual([expect.objectContaining({ code, file: 'plan.json', line, severity: 'error' })]);
  });

  it('says so when it is given a state instead of a plan', async () => {
    const plan = await load('{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}');
    expect(plan.diagnostics[0]!.message).toMatch(/state, not a plan/);
  });

  it('skips resources without an address and reads the rest', async () => {
    const text = JSON.stringify(
      {
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              { mode: 'managed', type: 'aws_vpc', name: 'broken', values: {} },
              { address: 'aws_vpc.ok', mode: 'managed', type: 'aws_vpc', name: 'ok', values: { cidr_block: '10.0.0.0/16' } },
            ],
          },
        },
      },
      null,
      2,
    );
    const plan = await load(text);
    expect(plan.instances.map((i) => i.address)).toEqual(['aws_vpc.ok']);
    expect(plan.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['tfplan-invalid-resource', 6],
      ['tfplan-no-configuration', 3],
    ]);
    // Without a configuration, the region comes from --region or stays unknown.
    expect(plan.instances[0]!.region).toEqual(expect.objectContaining({ reason: expect.any(String) }));
  });

  it('uses --region when the plan does not say', async () => {
    const plan = await loadTerraformPlan(
      'p.json',
      '{"format_version":"1.1","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","values":{}}]}}}',
      { scanRoot: root, region: 'us-east-2' },
    );
    expect(plan.instances[0]!.region).toBe('us-east-2');
  });

  it('reads the 0.x format of Terraform 0.12 to 1.0', async () => {
    const plan = await load(
      '{"format_version":"0.2","terraform_version":"0.15.5","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16"}}]}},"configuration":{"root_module":{}}}',
    );
    expect(plan.diagnostics).toEqual([]);
    expect(plan.instances.map((i) => i.address)).toEqual(['aws_vpc.a']);
  });

  it('warns when Terraform stopped planning on an error', async () => {
    const plan = await load('{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"root_module":{}},"errored":true}');
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['tfplan-errored']);
  });
});

describe('isTerraformPlan', () => {
  it('recognises the output of terraform show -json of a plan', () => {
    expect(isTerraformPlan(fixtureText('nat-private-subnet'))).toBe(true);
    expect(isTerraformPlan('{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}}}')).toBe(true);
  });

  it.each([
    ['a state', '{"format_version":"1.0","values":{"root_module":{}}}'],
    ['a CloudFormation template', '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}'],
    ['a JSON file that mentions planned_values in a string', '{"note":"\\"planned_values\\""}'],
    ['broken JSON', '{"format_version":"1.2","planned_values":'],
    ['a document without any plan property besides planned_values', '{"planned_values":{}}'],
  ])('rejects %s', (_label, text) => {
    expect(isTerraformPlan(text)).toBe(false);
  });
});
