import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { loadTerraformFile } from '../../src/parsers/terraform/load/index.js';
import { parseDirectiveComment, terraformSuppressions } from '../../src/parsers/terraform/suppressions.js';

async function extract(text: string, path = 'main.tf') {
  const { file, diagnostics } = await loadTerraformFile(path, text);
  expect(diagnostics).toEqual([]);
  return terraformSuppressions(file!);
}

describe('parseDirectiveComment', () => {
  it('ignores comments that are not directives', () => {
    expect(parseDirectiveComment('# just a comment')).toBeUndefined();
    expect(parseDirectiveComment('# see iac-vpce:ignore:VPCE101 in the docs')).toBeUndefined();
    expect(parseDirectiveComment('// nat for the batch tier')).toBeUndefined();
  });

  it('reads ids, expiry and reason in #, // and /* */ comments', () => {
    expect(parseDirectiveComment('# iac-vpce:ignore:VPCE101 -- legacy VPC')).toEqual({ ok: true, kind: 'ignore', rules: ['VPCE101'], reason: 'legacy VPC' });
    expect(parseDirectiveComment('// iac-vpce:ignore:VPCE101,vpce103:exp:2027-01-31 -- NET-412')).toEqual({
      ok: true,
      kind: 'ignore',
      rules: ['VPCE101', 'VPCE103'],
      expires: '2027-01-31',
      reason: 'NET-412',
    });
    expect(parseDirectiveComment('/* iac-vpce:ignore-file:VPCE102 */')).toEqual({ ok: true, kind: 'ignore-file', rules: ['VPCE102'] });
    expect(parseDirectiveComment('#iac-vpce:ignore:VPCE101, VPCE102')).toEqual({ ok: true, kind: 'ignore', rules: ['VPCE101', 'VPCE102'] });
    // A reason may itself contain " -- ": only the first separates it.
    expect(parseDirectiveComment('# iac-vpce:ignore:VPCE101 -- a -- b')).toMatchObject({ ok: true, reason: 'a -- b' });
    // An empty reason is no reason.
    expect(parseDirectiveComment('# iac-vpce:ignore:VPCE101 --')).toEqual({ ok: true, kind: 'ignore', rules: ['VPCE101'] });
  });

  it('reports directives it cannot read', () => {
    const problem = (text: string) => {
      const r = parseDirectiveComment(text);
      expect(r?.ok).toBe(false);
      return r && !r.ok ? r.problem : '';
    };
    expect(problem('# iac-vpce:ignore')).toMatch(/names no rule/);
    expect(problem('# iac-vpce:ignore: -- reason')).toMatch(/names no rule/);
    expect(problem('# iac-vpce:ignore:VPCE101:exp:2027-02-30')).toMatch(/"2027-02-30" is not a date/);
    expect(problem('# iac-vpce:ignore:VPCE101:exp:31/01/2027 -- x')).toMatch(/not a date/);
    expect(problem('# iac-vpce:ignore:* -- all')).toMatch(/Wildcards/);
    expect(problem('# iac-vpce:ignore:VPCE101 because legacy')).toMatch(/Separate the reason with " -- "/);
    expect(problem('# iac-vpce:disable:VPCE101')).toMatch(/"iac-vpce:disable" is not a directive/);
    expect(problem('# iac-vpce:ignoreVPCE101')).toMatch(/is not a directive|Expected ":"/);
    expect(problem('# iac-vpce:ignore:VPCE101,,VPCE102')).toMatch(/not a rule id/);
  });
});

const TF = `provider "aws" {
  region = "us-east-1"
}

# iac-vpce:ignore:VPCE101 -- first
# a note for reviewers
resource "aws_route_table" "a" {
  vpc_id = "vpc-1"
}

resource "aws_route_table" "b" {
  # iac-vpce:ignore:VPCE103 -- inside
  route {
    cidr_block = "0.0.0.0/0" // iac-vpce:ignore:VPCE102 -- nested
  }
}

# iac-vpce:ignore:VPCE104 -- a blank line separates it

resource "aws_route_table" "c" {}
# iac-vpce:ignore-file:VPCE101
# iac-vpce:ignore:VPCE101:exp:2027-13-01 -- bad date
`;

describe('terraformSuppressions', () => {
  it('gives each directive the span of the block it sits above or inside, and the file to ignore-file', async () => {
    const { directives, diagnostics } = await extract(TF);
    const span = (from: number, to: number) => ({
      kind: 'span',
      span: expect.objectContaining({ start: expect.objectContaining({ line: from }), end: expect.objectContaining({ line: to }) }),
    });
    expect(directives).toEqual([
      { source: 'terraform', rules: ['VPCE101'], reason: 'first', file: 'main.tf', line: 5, scope: span(7, 9) },
      { source: 'terraform', rules: ['VPCE103'], reason: 'inside', file: 'main.tf', line: 12, scope: span(11, 16) },
      { source: 'terraform', rules: ['VPCE102'], reason: 'nested', file: 'main.tf', line: 14, scope: span(11, 16) },
      { source: 'terraform', rules: ['VPCE101'], file: 'main.tf', line: 21, scope: { kind: 'file' } },
    ]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'suppression-misplaced', file: 'main.tf', line: 18 }),
      expect.objectContaining({ severity: 'warning', code: 'suppression-malformed', file: 'main.tf', line: 22 }),
    ]);
  });

  it('reads "//" keys of Terraform JSON as comments inside their block', async () => {
    const json = JSON.stringify({ resource: { aws_route_table: { a: { '//': 'iac-vpce:ignore:VPCE101 -- json', vpc_id: 'vpc-1' } } } }, null, 2);
    const { directives, diagnostics } = await extract(json, 'main.tf.json');
    expect(diagnostics).toEqual([]);
    expect(directives).toEqual([
      expect.objectContaining({ rules: ['VPCE101'], reason: 'json', file: 'main.tf.json', scope: expect.objectContaining({ kind: 'span' }) }),
    ]);
  });

  it('counts a multi-line block comment as part of the run above a block', async () => {
    const { directives, diagnostics } = await extract('# iac-vpce:ignore:VPCE101 -- r\n/* one\n   two */\nresource "aws_vpc" "v" {\n}\n');
    expect(diagnostics).toEqual([]);
    expect(directives[0]!.scope).toEqual({ kind: 'span', span: expect.objectContaining({ start: expect.objectContaining({ line: 4 }) }) });
  });
});

describe('documented suppression examples', () => {
  const docs = ['configuration.md', 'rules/VPCE101.md', 'rules/VPCE102.md', 'rules/VPCE103.md', 'rules/VPCE104.md'].map((rel) => ({
    rel,
    text: readFileSync(path.resolve(__dirname, '../../docs', rel), 'utf8'),
  }));

  it('are directives the scanner reads', () => {
    let count = 0;
    for (const { rel, text } of docs) {
      for (const block of text.matchAll(/```hcl\n([\s\S]*?)```/g)) {
        for (const line of block[1]!.split('\n')) {
          const comment = /(#|\/\/).*$/.exec(line.trim())?.[0];
          if (!comment?.includes('iac-vpce:')) continue;
          count++;
          expect(parseDirectiveComment(comment), `${rel}: ${comment}`).toMatchObject({ ok: true });
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(6);
  });

  it('have config examples the config reader accepts', () => {
    let count = 0;
    for (const { rel, text } of docs) {
      for (const block of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        if (!/^(ignore:|# \.iac-vpce\.yml)/m.test(block[1]!) || /^\s+Type:/m.test(block[1]!)) continue;
        count++;
        const r = parseConfig(block[1]!, { reportAs: '.iac-vpce.yml', dir: path.resolve(__dirname, '../../docs') });
        // The full example names a var file that is not in the repository; everything else must be clean.
        expect(
          r.diagnostics.filter((d) => !d.message.includes('var file')),
          rel,
        ).toEqual([]);
        expect(r.config.ignore.length, rel).toBeGreaterThan(0);
      }
    }
    expect(count).toBeGreaterThanOrEqual(6);
  });
});
