import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/**
 * CloudFormation counterparts of the Terraform budget tests: a template whose intrinsics ask for a huge string or
 * endless evaluation ends, says where and which limit, and keeps its own good resources' findings and those of the
 * template beside it.
 */
const GOOD = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/cloudformation-yaml/bad-nat-no-endpoint/template.yaml'), 'utf8');
const HANG_GUARD_MS = 20_000;

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`"${needle}" is not in the text`);
  return i + 1;
}

/** A VPC whose Name tag is `value` (YAML, indented as a tag's value), added to the good template's resources. */
const bomb = (value: string) => `
  BombVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.9.0.0/16
      Tags:
        - Key: Name
          Value: ${value}
`;

const CASES = [
  {
    name: 'Fn::Join of a long delimiter over a long split list',
    yaml: bomb(`!Join ["${'d'.repeat(200)}", !Split [",", "${','.repeat(20_000)}"]]`),
    at: 'Value: !Join',
    limit: 'max-string',
  },
  {
    name: 'Fn::Sub repeating one long variable',
    yaml: bomb(`!Sub ["${'${A}'.repeat(600)}", { A: "${'a'.repeat(2000)}" }]`),
    at: 'Value: !Sub',
    limit: 'max-string',
  },
];

describe('evaluation budgets for hostile CloudFormation', () => {
  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const bad = `${GOOD.trimEnd()}\n${c.yaml}`;
        const root = tmpTree({ 'good/template.yaml': GOOD, 'bad/template.yaml': bad });
        const result = await scan({ paths: [root], today: '2026-06-01' });
        const limits = result.diagnostics.filter((d) => d.code === 'cfn-limit-exceeded');
        expect(limits).toHaveLength(1);
        expect(limits[0]).toMatchObject({ file: 'bad/template.yaml', line: lineOf(bad, c.at) });
        expect(limits[0]!.message).toContain(`(${c.limit})`);
        const found = result.findings.filter((f) => f.ruleId === 'VPCE101').map((f) => f.location.file);
        expect(found.sort()).toEqual(['bad/template.yaml', 'good/template.yaml']);
      },
      HANG_GUARD_MS,
    );
  }

  it('counts evaluation steps, so a template that evaluates too much stops', async () => {
    const bad = `${GOOD.trimEnd()}\n${bomb('!Join ["-", [a, b, c, d]]')}`;
    const root = tmpTree({ 'template.yaml': bad });
    const result = await scan({ paths: [root], today: '2026-06-01', limits: { maxSteps: 20 } });
    const limits = result.diagnostics.filter((d) => d.code === 'cfn-limit-exceeded');
    expect(limits).toHaveLength(1);
    expect(limits[0]!.file).toBe('template.yaml');
    expect(limits[0]!.message).toContain('(max-steps)');
    const plain = await scan({ paths: [root], today: '2026-06-01' });
    expect(plain.diagnostics.filter((d) => d.code === 'cfn-limit-exceeded')).toEqual([]);
  });
});
