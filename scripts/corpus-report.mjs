#!/usr/bin/env node
// Per-case figures for the shared corpus: files parsed, diagnostics by kind, findings by rule.
// usage: node scripts/corpus-report.mjs [CORPUS_DIR] [--region us-east-1]   (run `npm run build` first)
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../dist/src/engine/scan.js';

const args = process.argv.slice(2);
const region = args.includes('--region') ? args[args.indexOf('--region') + 1] : undefined;
const corpus = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--region') ?? '../shared/corpus');
if (!existsSync(corpus)) {
  console.error(`no corpus at ${corpus}`);
  process.exit(2);
}
const totals = { files: 0, diagnostics: {}, findings: {} };
const inc = (o, k) => (o[k] = (o[k] ?? 0) + 1);
console.log('| case | files | diagnostics by kind | findings by rule |');
console.log('|---|---:|---|---|');
for (const name of readdirSync(corpus).sort()) {
  const dir = path.join(corpus, name);
  if (!statSync(dir).isDirectory() || !readdirSync(dir, { recursive: true }).some((f) => /\.tf(\.json)?$/.test(String(f)))) continue;
  const result = await scan({ paths: [dir], root: dir, region });
  const tfFiles = result.files.filter((f) => /\.tf(\.json)?$/.test(f));
  const d = {};
  const f = {};
  result.diagnostics.forEach((x) => (inc(d, x.code), inc(totals.diagnostics, x.code)));
  result.findings.forEach((x) => (inc(f, x.ruleId), inc(totals.findings, x.ruleId)));
  totals.files += tfFiles.length;
  const fmt = (o) => Object.entries(o).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  console.log(`| ${name} | ${tfFiles.length} | ${fmt(d)} | ${fmt(f)} |`);
}
const fmt = (o) => Object.entries(o).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—';
console.log(`| **total** | ${totals.files} | ${fmt(totals.diagnostics)} | ${fmt(totals.findings)} |`);
