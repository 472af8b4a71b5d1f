import type { Diagnostic } from '../../../source/types.js';
import { hclExpressionAst } from '../load/hcl2json.js';
import { locateHcl } from '../load/locate.js';
import { treeSitterParser } from '../load/tree-sitter.js';
import { templateFromTree } from './tree-sitter.js';
import type { Expr } from './ast.js';
import { CODES } from './codes.js';
import { Converter, type HclNode } from './convert.js';
import { unescapeTemplateMarkers } from './template-text.js';

type Outcome = { expr: Expr } | { error: string; tooDeep?: true };

/** Configurations repeat the same strings endlessly (`"${var.vpc_id}"`): parse each once per process. */
const cache = new Map<string, Promise<Outcome>>();
const CACHE_LIMIT = 50_000;

function isTemplate(s: string): boolean {
  return s.includes('${') || s.includes('%{');
}

/** HCL reports `<file>:<line>,<col>-<col>: Summary; Detail`; positions inside our wrapper mean nothing to a user. */
function cleanError(message: string): string {
  const m = /expr:\d+,\d+-\d+: ([\s\S]*)$/.exec(message);
  return (m ? m[1]! : message).trim();
}

/**
 * A raw string is a template whose literal parts are already decoded (hcl2json and Terraform's JSON syntax both
 * deliver it so). Wrapping it in a heredoc lets HCL re-read it without re-escaping: heredocs take quotes, newlines
 * and backslashes literally. The heredoc's own final newline is removed again during conversion.
 */
async function parseTemplateString(text: string): Promise<Outcome> {
  let delimiter = 'TFEXPR_EOT';
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.includes(delimiter)) delimiter += '_';
  const source = `<<${delimiter}\n${text}\n${delimiter}\n`;
  const parser = await treeSitterParser();
  let converted = parser && !locateHcl(`expr = ${source}`).tooDeep ? templateFromTree(parser, source) : undefined;
  if (!converted) {
    const parsed = await hclExpressionAst(source);
    if ('error' in parsed) return parsed.tooDeep ? { error: parsed.error, tooDeep: true } : { error: cleanError(parsed.error) };
    const ast = parsed.ast as HclNode | null;
    if (!ast || ast.type !== 'template') return { error: 'The expression could not be read.' };
    converted = new Converter(Buffer.from(source, 'utf8')).template(ast, 'heredoc', true);
  }
  // A string that is exactly one interpolation yields the interpolated value itself, not its string form.
  if (converted.k === 'tpl' && converted.parts.length === 1) {
    const only = converted.parts[0]!;
    if (only.k !== 'lit' && only.k !== 'tif' && only.k !== 'tfor') return { expr: only };
  }
  return { expr: converted };
}

function parseCached(text: string): Promise<Outcome> {
  let hit = cache.get(text);
  if (!hit) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    hit = parseTemplateString(text);
    cache.set(text, hit);
  }
  return hit;
}

function syntaxError(message: string, file: string, line: number | undefined): { expr: Expr; diagnostic: Diagnostic } {
  const diagnostic: Diagnostic = { severity: 'error', code: CODES.syntax, file, message: `Invalid expression: ${message}` };
  if (line !== undefined) diagnostic.line = line;
  // The diagnostic is reported here, at parse time; evaluation only needs to know the value is missing.
  return { expr: { k: 'invalid', code: '', message: `the expression does not parse (${message})` }, diagnostic };
}

async function parseString(text: string, file: string, line: number | undefined, diagnostics: Diagnostic[]): Promise<Expr> {
  if (!isTemplate(text)) return { k: 'lit', v: text };
  const outcome = await parseCached(text);
  if ('expr' in outcome) return outcome.expr;
  if (outcome.tooDeep) {
    const diagnostic: Diagnostic = { severity: 'warning', code: 'tf-nesting-too-deep', file, message: `${outcome.error} It was not evaluated.` };
    if (line !== undefined) diagnostic.line = line;
    if (!diagnostics.some((d) => d.message === diagnostic.message)) diagnostics.push(diagnostic);
    return { k: 'invalid', code: '', message: 'the expression nests too deeply to be parsed' };
  }
  const { expr, diagnostic } = syntaxError(outcome.error, file, line);
  if (!diagnostics.some((d) => d.message === diagnostic.message)) diagnostics.push(diagnostic);
  return expr;
}

async function parseValue(raw: unknown, file: string, line: number | undefined, diagnostics: Diagnostic[], depth: number): Promise<Expr> {
  if (depth > 200) {
    diagnostics.push({
      severity: 'error',
      code: CODES.syntax,
      file,
      ...(line !== undefined ? { line } : {}),
      message: 'Value is nested too deeply to evaluate.',
    });
    return { k: 'invalid', code: '', message: 'the value is nested too deeply' };
  }
  if (raw === null) return { k: 'lit', v: null };
  switch (typeof raw) {
    case 'string':
      return parseString(raw, file, line, diagnostics);
    case 'number':
      return Number.isFinite(raw) ? { k: 'lit', v: raw } : { k: 'invalid', code: CODES.syntax, message: `Number ${raw} is out of range.` };
    case 'boolean':
      return { k: 'lit', v: raw };
    case 'object': {
      if (Array.isArray(raw)) {
        const items: Expr[] = [];
        for (const item of raw) items.push(await parseValue(item, file, line, diagnostics, depth + 1));
        return { k: 'tuple', items };
      }
      const items: Array<{ key: Expr; value: Expr }> = [];
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        const key: Expr = isTemplate(k) ? await parseString(k, file, line, diagnostics) : { k: 'lit', v: unescapeTemplateMarkers(k) };
        items.push({ key, value: await parseValue(v, file, line, diagnostics, depth + 1) });
      }
      return { k: 'object', items };
    }
    default:
      return { k: 'invalid', code: CODES.unsupportedExpression, message: `A value of JavaScript type ${typeof raw} is not a Terraform value.` };
  }
}

/**
 * Turns one raw attribute value (as hcl2json or Terraform's JSON syntax delivers it) into an expression.
 * Never throws: a syntax error becomes a diagnostic and an expression that evaluates to Unknown.
 */
export async function parseRawValue(raw: unknown, file: string, line?: number): Promise<{ expr: Expr; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  try {
    const expr = await parseValue(raw, file, line, diagnostics, 0);
    return { expr, diagnostics };
  } catch (e) {
    // Whatever escapes (a stack overflow on a value built to provoke one) stays a diagnostic, in words for a user.
    const message = e instanceof RangeError ? 'it nests too deeply to be read' : 'it could not be read';
    const { expr, diagnostic } = syntaxError(message, file, line);
    return { expr, diagnostics: [...diagnostics, diagnostic] };
  }
}
