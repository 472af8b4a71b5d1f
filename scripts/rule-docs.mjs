#!/usr/bin/env node
// Writes what the rule metadata says into the docs, so the metadata stays their single source: the rule table of
// README.md ("What it finds") and of docs/rules/README.md, between <!-- rules:start --> and <!-- rules:end -->, and the
// title and summary paragraph at the top of each docs/rules/<ID>.md. With --check it writes nothing, lists the files
// that differ and exits 1. The rest of each file is prose and is left alone.
// usage: npm run build && npm run rule-docs [-- --check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START = '<!-- rules:start -->';
export const END = '<!-- rules:end -->';

const cell = (s) =>
  String(s)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The README's "What it finds" table: links go to the docs pages from the repository root. */
export function readmeTable(rules) {
  return table(
    ['id', 'name', 'level', 'finds'],
    rules.map((r) => [`[${r.id}](docs/rules/${r.id}.md)`, r.name, r.level, r.summary]),
  );
}

/** The table of docs/rules/README.md: links go to the pages beside it. */
export function docsIndexTable(rules) {
  return table(
    ['id', 'name', 'level', 'summary'],
    rules.map((r) => [`[${r.id}](${r.id}.md)`, r.name, r.level, r.summary]),
  );
}

/** `text` with what lies between the markers replaced by `block`; throws when the markers are missing or out of order. */
export function withBlock(text, block, file) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: needs ${START} and ${END} around the rule table`);
  return `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`;
}

/** The title line and the summary paragraph under it, from the metadata; what follows the paragraph is kept. */
export function pageHeader(rule) {
  return `# ${rule.id} — ${rule.name}\n\n${rule.summary}\n`;
}

/** A docs page with its title and first paragraph replaced by `pageHeader(rule)`. */
export function withPageHeader(text, rule) {
  const lines = text.split('\n');
  let i = 1;
  while (i < lines.length && lines[i].trim() === '') i++;
  while (i < lines.length && lines[i].trim() !== '') i++;
  return pageHeader(rule) + lines.slice(i).join('\n');
}

/** The summary paragraph of a docs page: the lines between the title and the next blank line, joined. */
export function pageSummary(text) {
  const lines = text.split('\n');
  let i = 1;
  while (i < lines.length && lines[i].trim() === '') i++;
  const out = [];
  while (i < lines.length && lines[i].trim() !== '') out.push(lines[i++].trim());
  return out.join(' ');
}

/** Every file the metadata writes into, relative to the repository root, with the text it should have. */
export function ruleDocs(rules, read) {
  const out = [];
  const readme = 'README.md';
  out.push({ file: readme, text: withBlock(read(readme), readmeTable(rules), readme) });
  const index = 'docs/rules/README.md';
  out.push({ file: index, text: withBlock(read(index), docsIndexTable(rules), index) });
  for (const rule of rules) {
    const page = `docs/rules/${rule.id}.md`;
    out.push({ file: page, text: withPageHeader(read(page), rule) });
  }
  return out;
}

async function main(argv) {
  const check = argv.includes('--check');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { rules } = await import(pathToFileURL(path.join(root, 'dist', 'rules', 'index.js')).href);
  const read = (file) => readFileSync(path.join(root, file), 'utf8');
  const stale = [];
  for (const { file, text } of ruleDocs(rules, read)) {
    if (read(file) === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path.join(root, file), text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`rule-docs: out of date with the rule metadata: ${stale.join(', ')} (run npm run build && npm run rule-docs)\n`);
    return 1;
  }
  process.stdout.write(stale.length > 0 ? `rule-docs: wrote ${stale.join(', ')}\n` : 'rule-docs: up to date\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
