import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareFile, compareTemplate, fastParser } from '../helpers/hcl-parity.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

/**
 * The fast parse path (tree-sitter) against hcl2json: on every Terraform file there is, it either declines or gives
 * exactly hcl2json's JSON and, for every template string in it, exactly the expression hcl2json's parser gives. It
 * must also take nearly all of them, or it would be a fast path in name only.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const isHcl = (name: string) => name.endsWith('.tf') || name.endsWith('.tfvars');

function hclFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && isHcl(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

async function checkTree(dirs: string[]) {
  const parser = await fastParser();
  const seen = new Set<string>();
  const totals = { files: 0, parsed: 0, took: 0, expressions: 0, expressionsTaken: 0 };
  const differences: string[] = [];
  for (const file of dirs.flatMap(hclFiles)) {
    const text = readFileSync(file, 'utf8');
    const outcome = await compareFile(parser, path.basename(file), text, seen);
    totals.files++;
    if (outcome.reference === 'parsed') totals.parsed++;
    if (outcome.reference === 'parsed' && outcome.fast === 'took') totals.took++;
    totals.expressions += outcome.expressions.compared;
    totals.expressionsTaken += outcome.expressions.took;
    differences.push(...outcome.differences.map((d) => `${path.relative(path.dirname(repo), file)}: ${d}`));
  }
  return { totals, differences };
}

describe('tree-sitter parse path agrees with hcl2json', () => {
  it("on this repository's fixtures, examples and test inputs", { timeout: 300_000 }, async () => {
    const { totals, differences } = await checkTree(['fixtures', 'examples'].map((d) => path.join(repo, d)));
    expect(differences).toEqual([]);
    expect(totals.files).toBeGreaterThan(200);
    expect(totals.took / totals.parsed).toBeGreaterThan(0.95);
    expect(totals.expressionsTaken / totals.expressions).toBeGreaterThan(0.95);
  });

  if (sharedAvailable('tree-sitter parity on the shared corpus and peer suites', sharedPath('corpus'), sharedPath('peer-suites'))) {
    it('on every Terraform file of the shared corpus and the peer suites', { timeout: 600_000 }, async () => {
      const { totals, differences } = await checkTree([sharedPath('corpus'), sharedPath('peer-suites')]);
      expect(differences).toEqual([]);
      expect(totals.files).toBeGreaterThan(1000);
      expect(totals.took / totals.parsed).toBeGreaterThan(0.98);
      expect(totals.expressionsTaken / totals.expressions).toBeGreaterThan(0.98);
    });
  }

  it('on constructs where the two grammars differ, taking what it mirrors', { timeout: 120_000 }, async () => {
    const parser = await fastParser();
    const mustTake = [
      'a ? b : c ? d : e ? f : g',
      '(a ? b : c) ? d : e',
      'a ? b ? c : d : e',
      'x == "none" ? v : x == "title" ? title(lower(v)) : upper(v)',
      'aws_subnet.private[*].id',
      'aws_subnet.private.*.id',
      'var.list[0].name[var.i].x',
      'f(x).id[2]',
      'var.m["key"]',
      'var.m.0',
      '-1 + -a.b * 2 % 3',
      '!a || b && c == d',
      '{ for k, v in var.m : k => v... if v != null }',
      '[for s in var.subnets : s.id]',
      'merge(var.a, { (var.k) = 1, b = 2, "c" = 3, var.z = 4 }, var.list...)',
      '"a-${var.b}-\\"q\\" \\u00e9 $${x} %%{y}"',
      'provider::aws::arn_parse(var.arn).region',
      'jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:*"] }] })',
    ];
    for (const source of mustTake) {
      const r = await compareTemplate(parser, `\${${source}}`);
      expect(r.difference, source).toBeUndefined();
      expect(r.took, source).toBe(true);
    }
    const mayDecline = [
      'a ${~ b ~} c',
      '%{ if a }x%{ else }y%{ endif }',
      '%{ for s in l }${s}%{ endfor }',
      'x ${<<EOT\nq\nEOT\n} y',
      '${10.11.10.12/32}',
      '${0x1F}',
    ];
    for (const source of mayDecline) expect((await compareTemplate(parser, source)).difference, source).toBeUndefined();
  });

  it('on whole files where the grammars differ: one-line blocks, repeated names, heredocs, numbers', { timeout: 120_000 }, async () => {
    const parser = await fastParser();
    const files = [
      'a = 1 b = 2\n',
      'b { a = 1 }\n',
      'b { a = 1\n}\n',
      'b {\n  a = 1 }\n',
      'a = 1\na = 2\n',
      'x "l" {}\nx {}\n',
      'x {}\nx "l" {}\n',
      'a = "x\ny"\n',
      'a = "\\q"\n',
      'a = <<EOT\n  one\n  ${var.x}\nEOT\n',
      'a = <<-EOT\n    one\n      two\n    EOT\n',
      'a = 1.50\nb = 007\nc = 1.5e3\nd = -2\ne = !true\n',
      'cidr = 10.11.10.12/32\n',
      'a = "10.${0}.x"\nb = "${1}"\nc = "${"s"}"\nd = { "${var.k}" = 1, 4 = 5, var.q = 6 }\n',
      'locals {\n  t = string\n  u = list(object({ a = string }))\n}\n',
    ];
    for (const text of files) {
      const outcome = await compareFile(parser, 'case.tf', text);
      expect(outcome.differences, text).toEqual([]);
    }
  });
});
