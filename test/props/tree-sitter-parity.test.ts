import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFile, fastParser } from '../helpers/hcl-parity.js';
import { hclFile } from './arbitraries.js';
import { params } from './settings.js';

/**
 * (`PARITY_DUMP=<file>` writes the text of a failing case there, to replay it.)
 * The fast parse path never takes what hcl2json rejects and never disagrees with it, on real files broken at random:
 * a piece cut out, a token put in, a line repeated. (The exhaustive comparison on whole files is in
 * test/terraform-load/tree-sitter-parity.test.ts.)
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seeds = readdirSync(path.join(repo, 'fixtures'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.tf'))
  .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
  .filter((t) => t.length < 6000)
  .sort();

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  '${',
  '%{',
  '~',
  '\n',
  ' = ',
  '.',
  '.0',
  '[*]',
  '.*',
  '?',
  ':',
  ',',
  '...',
  '<<EOT\n',
  '\nEOT\n',
  '#',
  '//',
  '/*',
  '*/',
  '\\',
  '1.5',
  '0x1',
  '-',
  '!',
  '=>',
  'for x in y :',
  '$${',
  'null',
];

type Edit = { kind: 'cut' | 'insert' | 'repeat-line'; at: number; length: number; token: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<Edit['kind']>('cut', 'insert', 'repeat-line'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 12 }),
  token: fc.constantFrom(...TOKENS),
});

function apply(text: string, e: Edit): string {
  const at = text.length ? e.at % text.length : 0;
  if (e.kind === 'cut') return text.slice(0, at) + text.slice(at + e.length);
  if (e.kind === 'insert') return text.slice(0, at) + e.token + text.slice(at);
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end < 0 ? text.length : end + 1);
  return text.slice(0, start) + line + text.slice(start);
}

describe('tree-sitter parse path on broken files', () => {
  it('declines or agrees with hcl2json on real files with random edits', { timeout: 300_000 }, async () => {
    const parser = await fastParser();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), async (pick, edits) => {
        const text = edits.reduce(apply, seeds[pick % seeds.length]!);
        const outcome = await compareFile(parser, 'main.tf', text);
        if (outcome.differences.length && process.env['PARITY_DUMP']) writeFileSync(process.env['PARITY_DUMP'], text);
        expect(outcome.differences, JSON.stringify(text)).toEqual([]);
      }),
      params(300),
    );
  });

  it('declines or agrees with hcl2json on generated configurations', { timeout: 300_000 }, async () => {
    const parser = await fastParser();
    await fc.assert(
      fc.asyncProperty(hclFile, async (text) => {
        const outcome = await compareFile(parser, 'main.tf', text);
        if (outcome.differences.length && process.env['PARITY_DUMP']) writeFileSync(process.env['PARITY_DUMP'], text);
        expect(outcome.differences, JSON.stringify(text)).toEqual([]);
      }),
      params(200),
    );
  });
});
