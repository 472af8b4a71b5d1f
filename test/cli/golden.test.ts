import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const ROOT = path.resolve(__dirname, '../..');
const GOLDEN_DIR = path.join(ROOT, 'fixtures', 'golden');

/** What `npm run golden` (scripts/update-golden.mjs) writes: one SARIF file per scanned directory. */
const cases = JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'golden-cases.json'), 'utf8')) as Array<{ input: string; golden: string }>;

/** `iac-vpce scan . --format sarif` in `dir`, as the script runs it. */
async function sarifOf(dir: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, cwd: dir };
  const code = await main(['scan', '.', '--format', 'sarif'], io);
  return { code, stdout, stderr };
}

describe('golden SARIF files', () => {
  it('are exactly the files npm run golden writes: none missing, none left over', () => {
    const listed = cases.map((c) => path.resolve(ROOT, c.golden)).sort();
    expect(new Set(listed).size).toBe(listed.length);
    const present = readdirSync(GOLDEN_DIR)
      .map((n) => path.join(GOLDEN_DIR, n))
      .sort();
    expect(present, 'run npm run build && npm run golden').toEqual(listed);
  });

  it.each(cases.map((c) => [c.golden, c.input] as const))('%s is the scan of %s, byte for byte, and valid SARIF', async (golden, input) => {
    const r = await sarifOf(path.join(ROOT, input));
    expect([0, 1], r.stderr).toContain(r.code);
    expect(validateSarif(JSON.parse(r.stdout))).toEqual([]);
    expect(r.stdout, `${golden} is out of date: run npm run build && npm run golden`).toBe(readFileSync(path.join(ROOT, golden), 'utf8'));
  });
});
