import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { formatSarif } from '../../src/report/index.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { cfnJson, cfnYaml, hclFile } from './arbitraries.js';
import { INTERNAL, params } from './settings.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Writes the files in the given order into a fresh directory. */
function write(files: ReadonlyArray<readonly [string, string]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-prop-'));
  dirs.push(dir);
  for (const [rel, text] of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function sarifOf(dir: string): Promise<{ text: string; codes: string[] }> {
  const result = await scan({ paths: [dir], today: '2026-06-01', region: 'us-east-1' });
  return { text: formatSarif(result), codes: result.diagnostics.map((d) => d.code) };
}

// Several root modules (one with a local module), templates in YAML and JSON, near-valid or broken.
const tree = fc
  .record({
    roots: fc.array(fc.tuple(fc.constantFrom('net', 'app', 'shared', 'z'), fc.array(hclFile, { minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 3 }),
    module: fc.oneof(fc.constant(undefined), hclFile),
    templates: fc.array(
      fc.tuple(
        fc.constantFrom('stack', 'vpc', 'b'),
        fc.oneof(
          cfnYaml.map((t) => ['yaml', t] as const),
          cfnJson.map((t) => ['json', t] as const),
        ),
      ),
      { maxLength: 2 },
    ),
  })
  .map(({ roots, module, templates }) => {
    const files = new Map<string, string>();
    roots.forEach(([dir, texts], i) => texts.forEach((t, j) => files.set(`live/${dir}${i}/f${j}.tf`, t)));
    if (module !== undefined) files.set('modules/none/main.tf', module);
    templates.forEach(([name, [ext, t]], i) => files.set(`stacks/${name}${i}.${ext}`, t));
    return [...files.entries()];
  });

describe('scanning random configurations', () => {
  it('never crashes, gives valid SARIF 2.1.0, and the same bytes whatever order the files were written in', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.func(fc.integer()), async (files, shuffleKey) => {
        const first = await sarifOf(write(files));
        for (const code of first.codes) expect(code).not.toMatch(INTERNAL);
        expect(validateSarif(JSON.parse(first.text))).toEqual([]);
        // The same files, created in another order in another directory.
        const shuffled = [...files].sort((a, b) => shuffleKey(a[0]) - shuffleKey(b[0]) || (a[0] < b[0] ? 1 : -1));
        expect((await sarifOf(write(shuffled))).text).toBe(first.text);
      }),
      params(20),
    );
  });
});
