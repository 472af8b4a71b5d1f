import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/**
 * A few hundred bytes of Terraform that ask for billions of elements, characters or instances: each scan ends (the
 * per-test time limit guards against a hang), says where and which limit was reached, and keeps the findings of the
 * good configuration beside it, in its own root module and in the same file.
 */
const GOOD = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
const HANG_GUARD_MS = 20_000;

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`"${needle}" is not in the text`);
  return i + 1;
}

interface Case {
  name: string;
  /** Terraform added after the good configuration in `bad/main.tf`. */
  tf: string;
  /** Extra files of the bad root module (called modules). */
  files?: Record<string, string>;
  /** Text on the line the diagnostic names. */
  at: string;
  limit: 'max-collection' | 'max-string' | 'max-steps' | 'max-instances';
  /** Whether the good resources in the same root module still give their finding (not when every step is spent). */
  sameModuleKept?: boolean;
}

const bomb = (expr: string) => `
resource "aws_vpc" "bomb" {
  cidr_block = "10.9.0.0/16"
  tags = {
    Bomb = ${expr}
  }
}
`;

const CASES: Case[] = [
  {
    name: 'setproduct of three ranges',
    tf: bomb('length(setproduct(range(1024), range(1024), range(64)))'),
    at: 'tags = {',
    limit: 'max-collection',
  },
  {
    name: 'nested for over range(1024)',
    tf: bomb('length(flatten([for a in range(1024) : [for b in range(1024) : [for c in range(64) : c]]]))'),
    at: 'tags = {',
    limit: 'max-steps',
    sameModuleKept: false,
  },
  {
    name: 'join of a large generated list',
    tf: bomb('length(join(",", [for a in range(1024) : format("%01000d", a)]))'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'join of joins of large generated lists',
    tf: bomb('length(join(",", [for a in range(1024) : join(",", [for b in range(1024) : "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])]))'),
    at: 'tags = {',
    limit: 'max-steps',
  },
  {
    name: 'count of a hundred million',
    tf: `
resource "aws_subnet" "many" {
  count      = 100000000
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.9.0/24"
}
`,
    at: 'count',
    limit: 'max-instances',
  },
  {
    name: 'formatlist with a huge width',
    tf: bomb('length(formatlist("%0999999999d", range(1024)))'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'format padding',
    tf: bomb('format("%-999999999s|", "x")'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'strrev of a padded string',
    tf: bomb('strrev(format("%099999999d", 7))'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'flatten of a huge nest of shared lists',
    tf: `
locals {
  l1 = [for i in range(1000) : range(1000)]
  l2 = [for i in range(1000) : local.l1]
}
${bomb('length(flatten(local.l2))')}`,
    at: 'tags = {',
    limit: 'max-collection',
  },
  {
    name: 'jsonencode of a huge nest of shared lists',
    tf: `
locals {
  l1 = [for i in range(1000) : range(1000)]
  l2 = [for i in range(1000) : local.l1]
}
${bomb('length(jsonencode(local.l2))')}`,
    at: 'tags = {',
    limit: 'max-collection',
  },
  {
    name: 'locals that double a string',
    tf: `
locals {
${Array.from({ length: 40 }, (_, i) => (i === 0 ? '  s0 = "xxxxxxxxxxxxxxxx"' : `  s${i} = "\${local.s${i - 1}}\${local.s${i - 1}}"`)).join('\n')}
}
${bomb('length(local.s39)')}`,
    at: 's16 =',
    limit: 'max-string',
  },
  {
    name: 'indent by a billion spaces',
    tf: bomb('length(indent(999999999, "a\\nb\\nc"))'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'replace of every character',
    tf: bomb('length(replace(format("%0999999d", 1), "", format("%09999d", 2)))'),
    at: 'tags = {',
    limit: 'max-string',
  },
  {
    name: 'module fan-out',
    tf: `
module "fan" {
  source = "./fan"
  count  = 1000
}
`,
    files: {
      'bad/fan/main.tf': `
module "inner" {
  source = "./inner"
  count  = 1000
}
`,
      'bad/fan/inner/main.tf': `
resource "aws_vpc" "v" {
  count      = 1000
  cidr_block = "10.1.0.0/16"
}
`,
    },
    at: 'count',
    limit: 'max-instances',
  },
];

function limitDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'tf-limit-exceeded');
}

describe('evaluation budgets for hostile Terraform', () => {
  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const bad = `${GOOD}\n${c.tf}`;
        const root = tmpTree({ 'good/main.tf': GOOD, 'bad/main.tf': bad, ...c.files });
        const result = await scan({ paths: [root], today: '2026-06-01' });
        const limits = limitDiagnostics(result.diagnostics);
        const where = c.files && c.at === 'count' ? (limits.find((d) => d.file !== 'bad/main.tf') ?? limits[0]) : limits[0];
        expect(limits.map((d) => d.message.match(/\((max-[a-z]+)\)/)?.[1])).toContain(c.limit);
        // One diagnostic per limit, not one per value past it.
        expect(new Set(limits.map((d) => d.message.match(/\((max-[a-z]+)\)/)?.[1])).size).toBe(limits.length);
        const d = limits.find((x) => x.message.includes(`(${c.limit})`))!;
        expect(d.file.startsWith('bad/')).toBe(true);
        const text = d.file === 'bad/main.tf' ? bad : c.files![d.file]!;
        expect(d.line).toBe(lineOf(text, c.at));
        expect(where).toBeDefined();
        const found = (dir: string) => result.findings.filter((f) => f.ruleId === 'VPCE101' && f.location.file === `${dir}/main.tf`);
        expect(found('good')).toHaveLength(1);
        if (c.sameModuleKept !== false) expect(found('bad')).toHaveLength(1);
      },
      HANG_GUARD_MS,
    );
  }

  it('a limit given in the options applies, and the defaults leave ordinary configurations alone', async () => {
    const tf = `${GOOD}\n${bomb('length(range(200))')}`;
    const root = tmpTree({ 'main.tf': tf });
    const plain = await scan({ paths: [root], today: '2026-06-01' });
    expect(limitDiagnostics(plain.diagnostics)).toEqual([]);
    const strict = await scan({ paths: [root], today: '2026-06-01', limits: { maxCollection: 100 } });
    const [d] = limitDiagnostics(strict.diagnostics);
    expect(d?.message).toContain('a collection of 200 elements, over the limit of 100 (max-collection)');
    expect(d?.line).toBe(lineOf(tf, 'tags = {'));
    expect(strict.findings.filter((f) => f.ruleId === 'VPCE101')).toHaveLength(1);
  });
});
