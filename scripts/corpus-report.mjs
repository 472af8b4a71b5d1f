#!/usr/bin/env node
// Per-case figures for the shared corpus, every format: files parsed, diagnostics by kind, findings by rule, with
// totals per format and overall. Prints a markdown table.
// usage: node scripts/corpus-report.mjs [CORPUS_DIR] [--region us-east-1]   (run `npm run build` first)
//
// A case's format comes from the kinds of the files the scan read (`result.files`), as discovery classifies them:
// `.tf`/`.tf.json`/`.tfvars` → terraform, a plan JSON → terraform-plan, a cloud assembly's manifest.json and what is
// read through it → cdk, other templates → cloudformation. A case mixing kinds is labelled with each, joined by `+`.
// "parsed" counts the files read, less those a diagnostic says could not be read or parsed at all.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { discover } from '../dist/src/engine/discover/index.js';
import { scan } from '../dist/src/engine/scan.js';

const args = process.argv.slice(2);
const regionAt = args.indexOf('--region');
const region = regionAt >= 0 ? args[regionAt + 1] : undefined;
if (regionAt >= 0 && (region === undefined || region.startsWith('--'))) {
  console.error('--region needs a value, e.g. --region eu-west-1');
  process.exit(2);
}
const corpus = path.resolve(args.find((a, i) => !a.startsWith('--') && i !== regionAt + 1) ?? '../shared/corpus');
if (!existsSync(corpus)) {
  console.error(`no corpus at ${corpus}`);
  process.exit(2);
}

const FORMATS = ['terraform', 'terraform-plan', 'cloudformation', 'cdk'];
const KIND_FORMAT = {
  terraform: 'terraform',
  tfvars: 'terraform',
  tfplan: 'terraform-plan',
  cloudformation: 'cloudformation',
  'cdk-assembly': 'cdk',
  'cdk-project': 'cdk',
};
// Diagnostics that mean a file was listed but not read or not parsed at all.
const UNREAD =
  /^(discover-read-error|tf-read-error|tf-load-failed|tf-parse-error|(tf|cfn)-file-too-large|(tf|cfn)-binary-file|cfn-syntax-error|cfn-not-a-template|tfplan-(too-large|binary|parse-error|not-a-plan)|cdk-manifest-(unreadable|invalid))$/;

/** Format of one file the scan read; `kinds` maps discovered paths to their kind, `assemblies` are cdk.out dirs. */
function formatOf(file, kinds, assemblies) {
  const kind = kinds.get(file);
  if (kind) return KIND_FORMAT[kind];
  if (assemblies.some((dir) => dir === '.' || file.startsWith(`${dir}/`))) return 'cdk';
  if (/\.tf(\.json)?$|\.tfvars(\.json)?$/i.test(file)) return 'terraform';
  // A file not discovered and not a template: the app source a CDK finding was moved to.
  if (/\.(ya?ml|json|template)$/i.test(file)) return 'cloudformation';
  return 'cdk';
}

const inc = (o, k, n = 1) => (o[k] = (o[k] ?? 0) + n);
const fmt = (o) =>
  Object.entries(o)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';
const label = (formats) => FORMATS.filter((f) => formats.has(f)).join('+') || '—';
const parsedCell = (byFormat) => {
  const entries = FORMATS.filter((f) => byFormat[f] !== undefined);
  if (entries.length <= 1) return String(byFormat[entries[0]] ?? 0);
  return `${entries.reduce((n, f) => n + byFormat[f], 0)} (${entries.map((f) => `${f} ${byFormat[f]}`).join(', ')})`;
};
const newTotals = () => ({ cases: 0, parsed: {}, diagnostics: {}, findings: {} });

const rows = [];
const byLabel = new Map();
const overall = newTotals();
for (const name of readdirSync(corpus).sort()) {
  const dir = path.join(corpus, name);
  if (!statSync(dir).isDirectory()) continue;
  const found = await discover([dir], { root: dir });
  const kinds = new Map(found.files.map((f) => [f.path, f.kind]));
  const assemblies = found.files.filter((f) => f.kind === 'cdk-assembly').map((f) => path.posix.dirname(f.path));
  const result = await scan({ paths: [dir], root: dir, region });
  const unread = new Set(result.diagnostics.filter((d) => UNREAD.test(d.code)).map((d) => d.file));
  const formats = new Set();
  const parsed = {};
  for (const file of result.files) {
    const format = formatOf(file, kinds, assemblies);
    formats.add(format);
    inc(parsed, format, unread.has(file) ? 0 : 1);
  }
  const diagnostics = {};
  const findings = {};
  result.diagnostics.forEach((x) => inc(diagnostics, x.code));
  result.findings.forEach((x) => inc(findings, x.ruleId));
  const caseLabel = label(formats);
  rows.push(`| ${name} | ${caseLabel} | ${parsedCell(parsed)} | ${fmt(diagnostics)} | ${fmt(findings)} |`);
  if (!byLabel.has(caseLabel)) byLabel.set(caseLabel, newTotals());
  for (const t of [byLabel.get(caseLabel), overall]) {
    t.cases++;
    Object.entries(parsed).forEach(([k, v]) => inc(t.parsed, k, v));
    Object.entries(diagnostics).forEach(([k, v]) => inc(t.diagnostics, k, v));
    Object.entries(findings).forEach(([k, v]) => inc(t.findings, k, v));
  }
}

const order = (l) => {
  const i = FORMATS.indexOf(l);
  return i >= 0 ? i : FORMATS.length;
};
const totalRow = (title, t) =>
  `| **${title}** (${t.cases} case${t.cases === 1 ? '' : 's'}) | | ${parsedCell(t.parsed)} | ${fmt(t.diagnostics)} | ${fmt(t.findings)} |`;
console.log(`| case | format | parsed | diagnostics by kind | findings by rule |`);
console.log('|---|---|---:|---|---|');
rows.forEach((r) => console.log(r));
// Every format gets its total row, even with no case, so the table says what the corpus does not hold.
for (const f of FORMATS) if (!byLabel.has(f)) byLabel.set(f, newTotals());
for (const [l, t] of [...byLabel.entries()].sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1))) console.log(totalRow(`total ${l}`, t));
console.log(totalRow('total', overall));
if (region) console.log(`\nRegion: ${region}.`);
