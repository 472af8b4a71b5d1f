import { isDeepStrictEqual } from 'node:util';
import type { Parser } from 'web-tree-sitter';
import { hclExpressionAst, hclToJson } from '../../src/parsers/terraform/load/hcl2json.js';
import { fileJson } from '../../src/parsers/terraform/load/hcl-json.js';
import { treeSitterParser, withTree } from '../../src/parsers/terraform/load/tree-sitter.js';
import { Converter, type HclNode } from '../../src/parsers/terraform/expr/convert.js';
import { templateFromTree } from '../../src/parsers/terraform/expr/tree-sitter.js';

/**
 * The two HCL parse paths side by side on one text: hcl2json (the reference) and tree-sitter's fast path, which must
 * either decline or give exactly hcl2json's result: the same JSON, keys in the same order, and for every template
 * string in it the same expression.
 */
export interface ParityOutcome {
  /** What hcl2json did with the file. */
  reference: 'parsed' | 'rejected';
  /** What the fast path did: took it (and so must agree) or declined it. */
  fast: 'took' | 'declined';
  /** Differences found; empty when the two agree. */
  differences: string[];
  /** Template strings compared, and how many the fast path took. */
  expressions: { compared: number; took: number };
}

export async function fastParser(): Promise<Parser> {
  const parser = await treeSitterParser();
  if (!parser) throw new Error('the tree-sitter parser did not start');
  return parser;
}

function templateStrings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.includes('${') || v.includes('%{')) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) templateStrings(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      templateStrings(k, out);
      templateStrings(x, out);
    }
}

/** The wrapper expr/parse.ts gives a template string. */
function heredocOf(text: string): string {
  let delimiter = 'TFEXPR_EOT';
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.includes(delimiter)) delimiter += '_';
  return `<<${delimiter}\n${text}\n${delimiter}\n`;
}

const brief = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 300);

/** Compares one template string's expression on both paths; undefined when they agree or the fast path declines. */
export async function compareTemplate(parser: Parser, text: string): Promise<{ took: boolean; difference?: string }> {
  const source = heredocOf(text);
  const fast = templateFromTree(parser, source);
  const parsed = await hclExpressionAst(source);
  if ('error' in parsed)
    return fast ? { took: true, difference: `expression ${brief(text)}: hcl2json rejects it (${parsed.error}), the fast path took it` } : { took: false };
  if (!fast) return { took: false };
  const reference = new Converter(Buffer.from(source, 'utf8')).template(parsed.ast as HclNode, 'heredoc', true);
  if (isDeepStrictEqual(fast, reference)) return { took: true };
  return { took: true, difference: `expression ${brief(text)}: fast ${brief(fast)} / hcl2json ${brief(reference)}` };
}

export async function compareFile(parser: Parser, name: string, text: string, seen = new Set<string>()): Promise<ParityOutcome> {
  const reference = await hclToJson(name, text);
  const fast = withTree(parser, text, fileJson);
  const outcome: ParityOutcome = {
    reference: reference.error ? 'rejected' : 'parsed',
    fast: fast ? 'took' : 'declined',
    differences: [],
    expressions: { compared: 0, took: 0 },
  };
  if (reference.error) {
    if (fast) outcome.differences.push(`hcl2json rejects the file (${reference.error.message}), the fast path took it`);
    return outcome;
  }
  if (fast && JSON.stringify(fast) !== JSON.stringify(reference.json))
    outcome.differences.push(`file JSON: fast ${brief(fast)} / hcl2json ${brief(reference.json)}`);
  const templates = new Set<string>();
  templateStrings(reference.json, templates);
  for (const t of templates) {
    if (seen.has(t)) continue;
    seen.add(t);
    const r = await compareTemplate(parser, t);
    outcome.expressions.compared++;
    if (r.took) outcome.expressions.took++;
    if (r.difference) outcome.differences.push(r.difference);
  }
  return outcome;
}
