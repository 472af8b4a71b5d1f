import { describe, expect, it } from 'vitest';
import { parse } from '@cdktf/hcl2json';
import { parseRawValue } from '../../src/parsers/terraform/expr/index.js';
import { isUnknown } from '../../src/source/value.js';
import { run } from './helpers.js';

describe('parseRawValue', () => {
  it('keeps a plain string as a literal without calling the parser', async () => {
    expect(await parseRawValue('10.0.0.0/16', 'main.tf', 1)).toEqual({ expr: { k: 'lit', v: '10.0.0.0/16' }, diagnostics: [] });
  });

  it('turns numbers, bools and null into literals', async () => {
    expect((await parseRawValue(3, 'f')).expr).toEqual({ k: 'lit', v: 3 });
    expect((await parseRawValue(true, 'f')).expr).toEqual({ k: 'lit', v: true });
    expect((await parseRawValue(null, 'f')).expr).toEqual({ k: 'lit', v: null });
  });

  it('parses a single interpolation to the expression itself', async () => {
    expect((await parseRawValue('${var.azs[0]}', 'f')).expr).toEqual({
      k: 'trav',
      root: 'var',
      steps: [
        { t: 'attr', name: 'azs' },
        { t: 'index', key: 0 },
      ],
    });
  });

  it('reads string keys, legacy numeric attributes and computed indexes', async () => {
    expect((await parseRawValue('${a["k"].b.0}', 'f')).expr).toEqual({
      k: 'trav',
      root: 'a',
      steps: [
        { t: 'index', key: 'k' },
        { t: 'attr', name: 'b' },
        { t: 'index', key: 0 },
      ],
    });
    expect((await parseRawValue('${a[var.i].name}', 'f')).expr).toEqual({
      k: 'rel',
      source: { k: 'index', collection: { k: 'trav', root: 'a', steps: [] }, key: { k: 'trav', root: 'var', steps: [{ t: 'attr', name: 'i' }] } },
      steps: [{ t: 'attr', name: 'name' }],
    });
  });

  it('parses a template with literal text into parts', async () => {
    expect((await parseRawValue('subnet-${count.index}', 'f')).expr).toEqual({
      k: 'tpl',
      parts: [
        { k: 'lit', v: 'subnet-' },
        { k: 'trav', root: 'count', steps: [{ t: 'attr', name: 'index' }] },
      ],
    });
  });

  it('produces plain data that survives structuredClone', async () => {
    const { expr } = await parseRawValue(
      { a: ['${[for k, v in var.m : upper(k) if v != null]}', '${{ for s in var.l : s => s... }}'], b: '%{ if var.c }x%{ else }y%{ endif }', c: '${x[*].id}' },
      'f',
    );
    expect(structuredClone(expr)).toEqual(expr);
    expect(JSON.parse(JSON.stringify(expr))).toEqual(expr);
  });

  it('caches parses by string', async () => {
    const a = await parseRawValue('${lower(var.name_for_cache_test)}', 'a.tf');
    const b = await parseRawValue('${lower(var.name_for_cache_test)}', 'b.tf');
    expect(b.expr).toBe(a.expr);
  });

  it('reports a syntax error once, with file and line, and never throws', async () => {
    const r = await parseRawValue('${var.}', 'net.tf', 12);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-expression-syntax',
        file: 'net.tf',
        line: 12,
        message: 'Invalid expression: Invalid attribute name; An attribute name is required after a dot.',
      },
    ]);
    const evaluated = await run('${var.}');
    expect(isUnknown(evaluated.value)).toBe(true);
    expect(evaluated.diagnostics.map((d) => d.code)).toEqual(['tf-expression-syntax']);
  });

  it('reports each distinct syntax error of a nested value once', async () => {
    const r = await parseRawValue({ a: ['${a +}', 'ok', '${a +}'], b: '${var.}' }, 'x.tf', 3);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.message.split(';')[0]])).toEqual([
      ['tf-expression-syntax', 3, 'Invalid expression: Invalid expression'],
      ['tf-expression-syntax', 3, 'Invalid expression: Invalid attribute name'],
    ]);
  });

  it('turns a non-Terraform raw value into an Unknown with a diagnostic', async () => {
    const r = await run(undefined);
    expect(isUnknown(r.value)).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['tf-unsupported-expression']);
  });
});

describe('template text', () => {
  it('unescapes $${ and %%{ in literal strings', async () => {
    expect((await run('$${literal} and %%{ x }')).value).toBe('${literal} and %{ x }');
    expect((await run('$${a}-${"b"}')).value).toBe('${a}-b');
  });

  it('keeps quotes, backslashes and newlines of literal parts as delivered', async () => {
    expect((await run('say "hi"\\n\n${"x"}\nend\n')).value).toBe('say "hi"\\n\nx\nend\n');
  });

  it('decodes escapes in quoted strings inside interpolations', async () => {
    expect((await run('${"a\\nb\\t\\"c\\" \\\\ \\u00e9 \\U0001F600"}')).value).toBe('a\nb\t"c" \\ é 😀');
  });

  it('applies strip markers in nested templates', async () => {
    expect((await run('${"a ${~ "b" ~} c"}')).value).toBe('abc');
    expect((await run('${"%{ if true ~}  yes  %{~ endif }|"}')).value).toBe('yes|');
  });

  it('reads heredocs nested in expressions, dedenting flush heredocs', async () => {
    expect((await run('${<<EOT\nx\\n"y" $${z}\nEOT\n}')).value).toBe('x\\n"y" ${z}\n');
    expect((await run('${<<-EOT\n    a ${1}\n      b\n    EOT\n}')).value).toBe('a 1\n  b\n');
  });

  it('is not confused by a line equal to the internal heredoc delimiter', async () => {
    expect((await run('TFEXPR_EOT\n${"x"}\nTFEXPR_EOT')).value).toBe('TFEXPR_EOT\nx\nTFEXPR_EOT');
  });

  it('parses template keys of objects', async () => {
    expect((await run({ '${var.k}': 1, plain: 2, '$${esc}': 3, '${(var.j)}': 4 }, { var: { k: 'dyn', j: 'paren' } })).value).toEqual({
      dyn: 1,
      plain: 2,
      '${esc}': 3,
      paren: 4,
    });
  });

  it('reads what hcl2json produces from real HCL', async () => {
    const hcl = await parse(
      'main.tf',
      `locals {
  name = "app-\${var.env}"
  policy = <<EOT
{"Resource": "arn:aws:s3:::\${var.bucket}/*", "Note": "say \\"hi\\""}
EOT
  tags = { Name = "x", Env = var.env }
  list = [for s in var.subnets : s.id if s.public]
  cond = "%{ if var.env == "prod" }p%{ else }n%{ endif }"
}
`,
    );
    const locals = (hcl['locals'] as Array<Record<string, unknown>>)[0]!;
    const roots = {
      var: {
        env: 'prod',
        bucket: 'logs',
        subnets: [
          { id: 's-1', public: true },
          { id: 's-2', public: false },
        ],
      },
    };
    expect((await run(locals['name'], roots)).value).toBe('app-prod');
    expect((await run(locals['policy'], roots)).value).toBe('{"Resource": "arn:aws:s3:::logs/*", "Note": "say \\"hi\\""}\n');
    expect((await run(locals['tags'], roots)).value).toEqual({ Name: 'x', Env: 'prod' });
    expect((await run(locals['list'], roots)).value).toEqual(['s-1']);
    expect((await run(locals['cond'], roots)).value).toBe('p');
  });
});
