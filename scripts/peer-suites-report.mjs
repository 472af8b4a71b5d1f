#!/usr/bin/env node
// Figures for the peer tools' test suites kept beside the repository (cfn-lint's bad/good/quickstart templates,
// checkov's CloudFormation and Terraform fixtures): per tree, files scanned, wall time, diagnostics by code (with
// error-level ones apart) and findings by rule. Each tree is scanned once, as test/peer-suites does.
// usage: node scripts/peer-suites-report.mjs [PEER_SUITES_DIR] [--region us-east-1] [--findings]   (run `npm run build` first)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scan } from '../dist/src/engine/scan.js';

const args = process.argv.slice(2);
const regionAt = args.indexOf('--region');
const region = regionAt >= 0 ? args[regionAt + 1] : undefined;
if (regionAt >= 0 && (region === undefined || region.startsWith('--'))) {
  console.error('--region needs a value, e.g. --region eu-west-1');
  process.exit(2);
}
const listFindings = args.includes('--findings');
const root = path.resolve(args.find((a, i) => !a.startsWith('--') && (regionAt < 0 || i !== regionAt + 1)) ?? '../shared/peer-suites');
const TREES = ['cfn-lint/bad', 'cfn-lint/good', 'cfn-lint/quickstart', 'checkov/cloudformation', 'checkov/terraform'];
if (!TREES.every((t) => existsSync(path.join(root, t)))) {
  console.error(`no peer suites at ${root} (expected ${TREES.join(', ')})`);
  process.exit(2);
}

const inc = (o, k) => (o[k] = (o[k] ?? 0) + 1);
const fmt = (o) =>
  Object.entries(o)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

const rows = [];
const found = [];
for (const tree of TREES) {
  const started = performance.now();
  const result = await scan({ paths: [path.join(root, tree)], root, region });
  const seconds = (performance.now() - started) / 1000;
  const codes = {};
  const errors = {};
  const rules = {};
  for (const d of result.diagnostics) {
    inc(codes, d.code);
    if (d.severity === 'error') inc(errors, d.code);
  }
  for (const f of result.findings) {
    inc(rules, f.ruleId);
    found.push(`${f.ruleId} ${f.location.file} ${f.location.address}: ${f.message}`);
  }
  rows.push(`| ${tree} | ${result.files.length} | ${seconds.toFixed(1)} s | ${fmt(codes)} | ${fmt(errors)} | ${fmt(rules)} |`);
}

console.log(`Peer suites at ${root}${region ? `, --region ${region}` : ''}\n`);
console.log('| tree | files scanned | time | diagnostics by code | of which error level | findings by rule |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (listFindings) {
  console.log('\nFindings:\n');
  for (const f of found) console.log(`- ${f}`);
}
