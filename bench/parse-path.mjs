#!/usr/bin/env node
// The two HCL parse paths of the built product side by side on every `.tf` file under the given folders: hcl2json
// (Go compiled to WebAssembly; its JSON keeps expressions as "${…}" text, each parsed again by a second call) and the
// fast path (tree-sitter's HCL grammar, one call per file, converted to the same JSON; template strings converted from
// tree-sitter's tree too). For each path it times the file parse and the parse of every template string in it, and
// it counts what the fast path declines (and hcl2json then reads). Agreement itself is tested, not measured here:
// test/terraform-load/tree-sitter-parity.test.ts.
//
// usage: npm run build && node bench/parse-path.mjs <dir>... [--reps n]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(repo, 'dist/src/parsers/terraform', p);
const args = process.argv.slice(2);
const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 3;
const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--reps');
if (dirs.length === 0) {
  console.error('usage: node bench/parse-path.mjs <dir>... [--reps n]');
  process.exit(2);
}

const { hclToJson, hclExpressionAst } = await import(dist('load/hcl2json.js'));
const { fileJson } = await import(dist('load/hcl-json.js'));
const { treeSitterParser, withTree } = await import(dist('load/tree-sitter.js'));
const { templateFromTree } = await import(dist('expr/tree-sitter.js'));

const files = dirs
  .flatMap((d) =>
    readdirSync(d, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.tf'))
      .map((e) => path.join(e.parentPath, e.name)),
  )
  .sort();
const texts = files.map((f) => readFileSync(f, 'utf8'));
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);

const heredoc = (t) => `<<TFEXPR_EOT\n${t}\nTFEXPR_EOT\n`;
const templates = new Set();
const collect = (v) => {
  if (typeof v === 'string') {
    if (v.includes('${') || v.includes('%{')) templates.add(v);
  } else if (Array.isArray(v)) v.forEach(collect);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      collect(k);
      collect(x);
    }
};
let rejected = 0;
for (const t of texts) {
  const r = await hclToJson('main.tf', t);
  if (r.error) rejected++;
  else collect(r.json);
}
const sources = [...templates].filter((t) => !t.split('\n').some((l) => l.trim() === 'TFEXPR_EOT')).map(heredoc);

async function timeIt(fn) {
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    const cu = process.cpuUsage(c);
    runs.push({ wall: performance.now() - t, cpu: (cu.user + cu.system) / 1000 });
  }
  runs.sort((a, b) => a.wall - b.wall);
  return runs[runs.length >> 1];
}

const started = performance.now();
const parser = await treeSitterParser();
const startup = performance.now() - started;
let declinedFiles = 0;
let declinedTemplates = 0;
const hclFiles = await timeIt(async () => {
  for (const t of texts) await hclToJson('main.tf', t);
});
const hclTemplates = await timeIt(async () => {
  for (const s of sources) await hclExpressionAst(s);
});
const fastFiles = await timeIt(async () => {
  declinedFiles = 0;
  for (const t of texts) if (!withTree(parser, t, fileJson)) declinedFiles++;
});
const fastTemplates = await timeIt(async () => {
  declinedTemplates = 0;
  for (const s of sources) if (!templateFromTree(parser, s)) declinedTemplates++;
});

const ms = (t) => `${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;
const ratio = (a, b) => `${(a.wall / b.wall).toFixed(1)}×`;
console.log(`${files.length} .tf files, ${(bytes / 1024).toFixed(0)} KB (hcl2json rejects ${rejected}); ${sources.length} distinct template strings`);
console.log(`files      hcl2json: ${ms(hclFiles)}; fast path: ${ms(fastFiles)} (${ratio(hclFiles, fastFiles)} faster), declined ${declinedFiles}`);
console.log(
  `templates  hcl2json: ${ms(hclTemplates)}; fast path: ${ms(fastTemplates)} (${ratio(hclTemplates, fastTemplates)} faster), declined ${declinedTemplates}`,
);
console.log(`fast path start-up (WebAssembly runtime and grammar): ${startup.toFixed(0)} ms`);
