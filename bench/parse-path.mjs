#!/usr/bin/env node
// A measured proposal, not part of the product: parse HCL with tree-sitter's Terraform grammar (WebAssembly, one call
// per file, positions included) instead of @cdktf/hcl2json (Go compiled to WebAssembly, whose JSON keeps expressions
// as "${…}" text that is then parsed again, one call per expression). For every `.tf` file under the given folders it
// converts tree-sitter's syntax tree into hcl2json's JSON shape, compares the two (mismatches are listed), and times
// both: hcl2json's `parse` against tree-sitter's parse alone and parse plus conversion.
//
// usage: node bench/parse-path.mjs <dir>... [--reps n] [--show n]
// needs: npm install --no-save web-tree-sitter@0.27.2 @tree-sitter-grammars/tree-sitter-hcl@1.2.0
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const valueOf = (flag, dflt) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : dflt);
const reps = valueOf('--reps', 3);
const show = valueOf('--show', 10);
const dirs = args.filter((a, i) => !a.startsWith('--') && !['--reps', '--show'].includes(args[i - 1]));
if (dirs.length === 0) {
  console.error('usage: node bench/parse-path.mjs <dir>... [--reps n] [--show n]');
  process.exit(2);
}

let TreeSitter;
let grammar;
try {
  TreeSitter = await import('web-tree-sitter');
  grammar = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
} catch {
  console.error('needs: npm install --no-save web-tree-sitter@0.27.2 @tree-sitter-grammars/tree-sitter-hcl@1.2.0');
  process.exit(2);
}
const { parse: hcl2json } = require('@cdktf/hcl2json');
await TreeSitter.Parser.init();
const parser = new TreeSitter.Parser();
parser.setLanguage(await TreeSitter.Language.load(grammar));

// ---- tree-sitter's tree → hcl2json's JSON ----

const named = (n) => n.namedChildren;

/** Decodes a quoted template's literal text as HCL does (`$${` and `%%{` stay escaped, as hcl2json writes them). */
function decodeLiteral(raw) {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return `\\${e}`;
    }
  });
}

/** The text of a template: literals decoded, interpolations and directives as written (`${…}`). */
function templateText(node, text, heredoc) {
  let out = '';
  const parts = node.children;
  // A quoted template's text runs between its quotes; a heredoc's from the line after `<<ID` to the closing line.
  const start = parts.find((c) => c.type === 'quoted_template_start' || c.type === 'heredoc_identifier');
  let from = heredoc ? text.indexOf('\n', start.endIndex) + 1 : start.endIndex;
  const endNode = heredoc ? parts.filter((c) => c.type === 'heredoc_identifier').at(-1) : parts.find((c) => c.type === 'quoted_template_end');
  const end = heredoc ? text.lastIndexOf('\n', endNode.startIndex - 1) + 1 : endNode.startIndex;
  for (const c of parts) {
    if (c.type !== 'template_interpolation' && c.type !== 'template_directive') continue;
    const lit = text.slice(from, c.startIndex);
    out += heredoc ? lit : decodeLiteral(lit);
    out += c.text;
    from = c.endIndex;
  }
  const tail = text.slice(from, end);
  out += heredoc ? tail : decodeLiteral(tail);
  if (heredoc && parts.some((c) => c.type === 'heredoc_start' && c.text.includes('-'))) {
    const lines = out.split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)[0].length));
    out = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
  }
  return out;
}

const wrap = (node) => `\${${node.text}}`;

function value(expr, text) {
  const n = expr.type === 'expression' && expr.namedChildCount === 1 ? expr.namedChild(0) : expr;
  switch (n.type) {
    case 'literal_value': {
      const lit = n.namedChild(0);
      if (lit.type === 'numeric_lit') return Number(lit.text);
      if (lit.type === 'bool_lit') return lit.text === 'true';
      if (lit.type === 'null_lit') return null;
      if (lit.type === 'string_lit') return templateText(lit, text, false);
      return wrap(n);
    }
    case 'template_expr': {
      const t = n.namedChild(0);
      return templateText(t, text, t.type === 'heredoc_template');
    }
    case 'collection_value': {
      const c = n.namedChild(0);
      if (c.type === 'tuple')
        return named(c)
          .filter((e) => e.type === 'expression')
          .map((e) => value(e, text));
      const obj = {};
      for (const elem of named(c).filter((e) => e.type === 'object_elem')) {
        const [k, v] = named(elem).filter((e) => e.type === 'expression');
        const kn = k.namedChild(0);
        const key = kn?.type === 'variable_expr' && k.namedChildCount === 1 ? kn.text : kn?.type === 'literal_value' ? String(value(k, text)) : wrap(k);
        obj[key] = value(v, text);
      }
      return obj;
    }
    case 'operation': {
      const u = n.namedChild(0);
      if (u.type === 'unary_operation' && u.child(0).type === '-' && u.namedChild(0)?.type === 'literal_value') {
        const v = value(u.namedChild(0), text);
        if (typeof v === 'number') return -v;
      }
      return wrap(n);
    }
    default:
      return wrap(expr);
  }
}

function bodyOf(body, text) {
  const out = {};
  for (const item of body ? named(body) : []) {
    if (item.type === 'attribute') {
      out[item.namedChild(0).text] = value(
        item.namedChildren.find((c) => c.type === 'expression'),
        text,
      );
    } else if (item.type === 'block') {
      const parts = named(item);
      const type = parts[0].text;
      const labels = parts.slice(1).filter((p) => p.type === 'string_lit' || p.type === 'identifier');
      const inner = bodyOf(
        parts.find((p) => p.type === 'body'),
        text,
      );
      let at = out;
      let key = type;
      for (const l of labels) {
        at[key] ??= {};
        at = at[key];
        key = l.type === 'string_lit' ? templateText(l, text, false) : l.text;
      }
      (at[key] ??= []).push(inner);
    }
  }
  return out;
}

function treeSitterJson(text) {
  const tree = parser.parse(text);
  const root = tree.rootNode;
  const result = root.hasError
    ? { error: true }
    : bodyOf(
        root.namedChildren.find((c) => c.type === 'body'),
        text,
      );
  tree.delete();
  return result;
}

// ---- compare and time ----

function firstDifference(a, b, at = '$') {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: hcl2json ${JSON.stringify(a)?.slice(0, 120)} / tree-sitter ${JSON.stringify(b)?.slice(0, 120)}`;
}

const files = dirs
  .flatMap((d) =>
    readdirSync(d, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.tf'))
      .map((e) => path.join(e.parentPath, e.name)),
  )
  .sort();
const texts = files.map((f) => readFileSync(f, 'utf8'));
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);

const mismatches = [];
let hclErrors = 0;
for (let i = 0; i < files.length; i++) {
  let expected;
  try {
    expected = await hcl2json(path.basename(files[i]), texts[i]);
  } catch {
    hclErrors++;
    continue;
  }
  const got = treeSitterJson(texts[i]);
  const d = firstDifference(expected, got);
  if (d) mismatches.push({ file: files[i], d });
}

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

const tH = await timeIt(async () => {
  for (let i = 0; i < files.length; i++) await hcl2json(path.basename(files[i]), texts[i]).catch(() => undefined);
});
const tP = await timeIt(async () => {
  for (const t of texts) parser.parse(t).delete();
});
const tC = await timeIt(async () => {
  for (const t of texts) treeSitterJson(t);
});

const ms = (t) => `${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;
console.log(`${files.length} .tf files, ${(bytes / 1024).toFixed(0)} KB (${hclErrors} that hcl2json rejects were not compared)`);
console.log(`hcl2json parse:                 ${ms(tH)}`);
console.log(`tree-sitter parse:              ${ms(tP)} (${(tH.wall / tP.wall).toFixed(1)}× faster)`);
console.log(`tree-sitter parse + to JSON:    ${ms(tC)} (${(tH.wall / tC.wall).toFixed(1)}× faster)`);
console.log(`same JSON as hcl2json: ${files.length - hclErrors - mismatches.length} of ${files.length - hclErrors}; mismatches: ${mismatches.length}`);
for (const m of mismatches.slice(0, show)) console.log(`  ${m.file}: ${m.d}`);
