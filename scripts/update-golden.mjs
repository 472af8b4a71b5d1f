#!/usr/bin/env node
// Regenerates the golden SARIF files from the built CLI. Golden files are never edited by hand.
// Each case in scripts/golden-cases.json is `iac-vpce scan . --format sarif` run in its input directory, exactly as
// test/cli/golden.test.ts runs it; fixtures/golden holds those files and nothing else (others are removed).
// usage: npm run build && npm run golden
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../dist/src/cli/main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cases = JSON.parse(readFileSync(path.join(root, 'scripts', 'golden-cases.json'), 'utf8'));
const GOLDEN_DIR = path.join(root, 'fixtures', 'golden');

let failed = false;
for (const { input, golden } of cases) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, cwd: path.join(root, input) };
  const code = await main(['scan', '.', '--format', 'sarif'], io);
  if (code !== 0 && code !== 1) {
    process.stderr.write(`${input}: iac-vpce scan exited with ${code}\n${stderr}`);
    failed = true;
    continue;
  }
  mkdirSync(path.dirname(path.join(root, golden)), { recursive: true });
  writeFileSync(path.join(root, golden), stdout);
  console.log(`wrote ${golden} (${JSON.parse(stdout).runs[0].results?.length ?? 0} results)`);
}

const wanted = new Set(cases.map((c) => path.resolve(root, c.golden)));
for (const name of readdirSync(GOLDEN_DIR)) {
  const file = path.join(GOLDEN_DIR, name);
  if (wanted.has(file)) continue;
  rmSync(file, { recursive: true });
  console.log(`removed ${path.relative(root, file)}: no case in scripts/golden-cases.json writes it`);
}
process.exitCode = failed ? 1 : 0;
