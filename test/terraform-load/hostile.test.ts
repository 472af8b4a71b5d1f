import { describe, expect, it } from 'vitest';
import { hclToJson } from '../../src/parsers/terraform/load/hcl2json.js';
import { loadTerraformFile, loadTfvars, MAX_FILE_BYTES, MAX_NESTING } from '../../src/parsers/terraform/load/index.js';

const vpc = (i: number) => `resource "aws_vpc" "v${i}" {\n  cidr_block = "10.${i}.0.0/16"\n}\n`;

describe('hostile input', () => {
  it('refuses a binary file', async () => {
    const { file, diagnostics } = await loadTerraformFile('blob.tf', new Uint8Array([0x72, 0x65, 0x00, 0x01, 0x02]));
    expect(file).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'tf-binary-file', file: 'blob.tf' })]);
  });

  it('refuses invalid UTF-8, given as bytes or as a string with a lone surrogate', async () => {
    const bytes = await loadTerraformFile('latin1.tf', new Uint8Array([...Buffer.from('locals { a = "caf'), 0xe9, ...Buffer.from('" }\n')]));
    expect(bytes.file).toBeUndefined();
    expect(bytes.diagnostics).toEqual([expect.objectContaining({ code: 'tf-invalid-utf8', file: 'latin1.tf' })]);
    const text = await loadTerraformFile('lone.tf', 'locals { a = "\uD800" }\n');
    expect(text.diagnostics).toEqual([expect.objectContaining({ code: 'tf-invalid-utf8' })]);
  });

  it('refuses a file over the size limit without parsing it', async () => {
    expect(MAX_FILE_BYTES).toBe(5 * 1024 * 1024);
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x20);
    const started = Date.now();
    const { file, diagnostics } = await loadTerraformFile('huge.tf', big);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(file).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'tf-file-too-large', file: 'huge.tf' })]);
    const vars = await loadTfvars('huge.tfvars', 'a'.repeat(MAX_FILE_BYTES + 1));
    expect(vars.diagnostics).toEqual([expect.objectContaining({ code: 'tf-file-too-large' })]);
  });

  const n = 20_000;
  const deep: Record<string, string> = {
    'nested blocks': 'a {\n'.repeat(n) + '}\n'.repeat(n),
    'nested lists': 'locals {\n  x = ' + '['.repeat(n) + ']'.repeat(n) + '\n}\n',
    'nested interpolations': 'locals {\n  x = ' + '"${'.repeat(n) + '1' + '}"'.repeat(n) + '\n}\n',
    'nested template directives': 'locals {\n  x = "' + '%{if true}'.repeat(n) + 'x' + '%{endif}'.repeat(n) + '"\n}\n',
    'a chain of conditionals': 'locals {\n  x = ' + 'a ? 1 : '.repeat(n) + '2\n}\n',
    'a chain of negations': 'locals {\n  x = ' + '!'.repeat(n) + 'true\n}\n',
    'a chain of splats': 'locals {\n  x = a' + '[*].b'.repeat(n) + '\n}\n',
  };
  for (const [what, text] of Object.entries(deep)) {
    it(`refuses ${what} before the parser can overflow`, async () => {
      const { file, diagnostics } = await loadTerraformFile('deep.tf', text);
      expect(file).toBeUndefined();
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'tf-nesting-too-deep', file: 'deep.tf' })]);
      expect(diagnostics[0]!.message).toContain(String(MAX_NESTING));
    });
  }

  it('refuses deeply nested JSON', async () => {
    const { diagnostics } = await loadTerraformFile('deep.tf.json', '{"locals": {"x": ' + '['.repeat(n) + ']'.repeat(n) + '}}');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'tf-nesting-too-deep', line: 1 })]);
  });

  it('accepts ordinary nesting and long flat expressions', async () => {
    const text =
      'locals {\n  x = ' +
      '['.repeat(40) +
      ']'.repeat(40) +
      '\n  y = ' +
      Array.from({ length: 5000 }, () => 'a ? 1 : 2')
        .join(', ')
        .replace(/^/, '[') +
      ']\n  z = 1' +
      ' + 1'.repeat(5000) +
      '\n}\n';
    const { file, diagnostics } = await loadTerraformFile('wide.tf', text);
    expect(diagnostics).toEqual([]);
    expect(Object.keys(file!.blocks[0]!.attributes)).toEqual(['x', 'y', 'z']);
  });

  it('recovers when the parser itself overflows: the next file still parses', async () => {
    // Bypasses the locator's guard on purpose, to prove that a poisoned parser instance is replaced.
    const overflow = await hclToJson('raw.tf', 'x = ' + '!'.repeat(200_000) + 'true\n');
    expect(overflow.error?.code).toBe('tf-nesting-too-deep');
    const { file, diagnostics } = await loadTerraformFile('after.tf', vpc(1));
    expect(diagnostics).toEqual([]);
    expect(file!.blocks[0]!.attributes['cidr_block']!.value).toBe('10.1.0.0/16');
  });

  it('loads 20 files concurrently, each with its own result', async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.tf`, text: i % 5 === 4 ? `${vpc(i)}broken {` : vpc(i) }));
    const results = await Promise.all(inputs.map((f) => loadTerraformFile(f.name, f.text)));
    results.forEach((r, i) => {
      if (i % 5 === 4) {
        expect(r.file).toBeUndefined();
        expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'tf-parse-error', file: `f${i}.tf`, line: 4 })]);
      } else {
        expect(r.diagnostics).toEqual([]);
        expect(r.file!.path).toBe(`f${i}.tf`);
        expect(r.file!.blocks[0]!.labels).toEqual(['aws_vpc', `v${i}`]);
        expect(r.file!.blocks[0]!.attributes['cidr_block']!.value).toBe(`10.${i}.0.0/16`);
      }
    });
  });

  it('never throws on garbage', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      'resource',
      '"a"',
      '{',
      '}',
      '[',
      ']',
      '(',
      ')',
      '=',
      '"${',
      '%{',
      '}"',
      '<<EOT\n',
      '\nEOT\n',
      '#',
      '//',
      '/*',
      '*/',
      '\n',
      ' ',
      'x',
      '1',
      ',',
      '?',
      ':',
      '!',
      '-',
      '\\',
      '"',
      'é',
      '🚀',
      '\r\n',
    ];
    for (let i = 0; i < 150; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      for (const name of ['g.tf', 'g.tf.json']) {
        const r = await loadTerraformFile(name, text);
        expect(Array.isArray(r.diagnostics)).toBe(true);
        if (!r.file) expect(r.diagnostics.length).toBeGreaterThan(0);
      }
      const vars = await loadTfvars('g.tfvars', text);
      expect(typeof vars.values).toBe('object');
    }
  });
});
