import path from 'node:path';
import { HclScanner, type Token } from '../../parsers/terraform/load/hcl-scanner.js';
import { locateHcl } from '../../parsers/terraform/load/locate.js';
import type { TextEdit } from '../../source/findings.js';
import type { SourceRef, Span } from '../../source/types.js';
import { comparePositions, indentText, samePosition, TextLines, type SourceTexts } from './text.js';

/** Tokens of a list literal of references and strings: anything else (`for`, calls, splats, conditionals) is refused. */
const LIST_PUNCT = new Set(['.', ',', '[', ']']);
const LIST_TOKENS = new Set(['ident', 'number', 'newline', 'template-open', 'template-literal', 'template-close']);

/** Whether `text` holds `ref` as a whole reference (not as the start of a longer name). */
export function mentions(text: string, ref: string): boolean {
  const escaped = ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.-])${escaped}(?![\\w-])`).test(text);
}

/**
 * The HCL tokens that start inside `span` (newlines included unless asked otherwise), and the comments the scanner met
 * up to the end of the span.
 */
function scanSpan(text: string, span: Span, opts: { newlines?: boolean } = {}): { tokens: Token[]; comments: HclScanner['comments'] } {
  const scanner = new HclScanner(text);
  const tokens: Token[] = [];
  for (let t = scanner.next(); t.kind !== 'eof'; t = scanner.next()) {
    if (comparePositions(t.start, span.end) >= 0) break;
    if (comparePositions(t.start, span.start) >= 0 && (opts.newlines !== false || t.kind !== 'newline')) tokens.push(t);
  }
  return { tokens, comments: scanner.comments };
}

/** The HCL tokens that start inside `span`, newlines included unless asked otherwise. */
export function tokensIn(text: string, span: Span, opts: { newlines?: boolean } = {}): Token[] {
  return scanSpan(text, span, opts).tokens;
}

/**
 * `name = [ … ]` written as a literal list of references and strings, exactly spanning `list`: its brackets and the
 * tokens between them. Undefined for anything else (a `for` expression, a function call, a list that is a variable).
 */
function literalHclList(text: string, list: SourceRef): { open: Token; close: Token; inner: Token[]; comments: HclScanner['comments'] } | undefined {
  const { tokens, comments } = scanSpan(text, list.span);
  const [name, assign, open] = tokens;
  const close = tokens.at(-1);
  if (name?.kind !== 'ident' || assign?.kind !== 'assign' || open?.text !== '[' || close?.text !== ']' || !samePosition(close.end, list.span.end))
    return undefined;
  const inner = tokens.slice(3, -1);
  if (inner.some((t) => !LIST_TOKENS.has(t.kind) && !(t.kind === 'punct' && LIST_PUNCT.has(t.text)))) return undefined;
  if (inner.some((t) => t.kind === 'ident' && t.text === 'for')) return undefined;
  return { open, close, inner, comments };
}

/**
 * `name = [a.id, b.id]` → `name = [a.id, b.id, item]`, keeping the list's layout: one line stays one line, a list
 * written one element per line gets one more line with the last element's indentation and the comments where they were.
 */
export function appendToHclList(texts: SourceTexts, list: SourceRef, item: string): TextEdit | undefined {
  if (!list.file.endsWith('.tf')) return undefined;
  const text = texts.read(list.file);
  if (text === undefined) return undefined;
  const literal = literalHclList(text, list);
  if (!literal) return undefined;
  const { open, close, inner } = literal;
  const lines = new TextLines(text);
  // Already written there (under a name the evaluator did not resolve): adding it again is not the fix.
  if (mentions(lines.slice({ start: open.start, end: close.end }), item)) return undefined;
  const last = inner.filter((t) => t.kind !== 'newline').at(-1);
  const file = list.file;
  if (!last) return { file, range: { start: open.start, end: close.end }, text: `[${item}]` };
  if (close.start.line === last.end.line) return { file, range: { start: close.start, end: close.start }, text: last.text === ',' ? ` ${item}` : `, ${item}` };
  const indent = lines.indent(last.end.line);
  const lineEnd = lines.lineEnd(last.end.line);
  if (last.text === ',') return { file, range: { start: lineEnd, end: lineEnd }, text: `${lines.eol}${indent}${item},` };
  const rest = lines.slice({ start: last.end, end: lineEnd });
  return { file, range: { start: last.end, end: lineEnd }, text: `,${rest}${lines.eol}${indent}${item}` };
}

/** Whether a `resource "type" "name"` block is written in any file of the module's directory (a `.tf.json` file counts as yes). */
function resourceNameTaken(texts: SourceTexts, dir: string, address: string): boolean {
  const [type, name] = address.split('.');
  const entries = texts.list(dir);
  if (!entries) return true;
  if (entries.some((e) => e.endsWith('.tf.json'))) return true;
  for (const entry of entries.filter((e) => e.endsWith('.tf'))) {
    const text = texts.read(dir === '.' ? entry : `${dir}/${entry}`);
    if (text === undefined) return true;
    if (locateHcl(text).blocks.some((b) => b.type === 'resource' && b.labels[0] === type && b.labels[1] === name)) return true;
  }
  return false;
}

/** A new block after the resource block whose header is at `after`, with a blank line before it and the block's indentation. */
export function insertAfterHclBlock(texts: SourceTexts, after: SourceRef, block: string, name: string): TextEdit | undefined {
  if (!after.file.endsWith('.tf')) return undefined;
  const text = texts.read(after.file);
  if (text === undefined) return undefined;
  const anchor = locateHcl(text).blocks.find((b) => b.type === 'resource' && samePosition(b.headerSpan.start, after.span.start));
  if (!anchor || !after.address.startsWith(`${anchor.labels[0]}.${anchor.labels[1]}`)) return undefined;
  if (resourceNameTaken(texts, path.posix.dirname(after.file), name)) return undefined;
  const lines = new TextLines(text);
  const at = lines.lineEnd(anchor.span.end.line);
  const indent = lines.indent(anchor.headerSpan.start.line);
  return { file: after.file, range: { start: at, end: at }, text: lines.blockAfter(at.line, indentText(block, indent, '  ', lines.eol)) };
}

interface ListElement {
  tokens: Token[];
  /** The comma after it, if any. */
  comma?: Token;
}

/** The elements of a list literal's inner tokens, split at the commas outside brackets. */
function listElements(inner: Token[]): ListElement[] {
  const out: ListElement[] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of inner) {
    if (t.kind === 'newline') continue;
    if (t.kind === 'punct' && t.text === '[') depth++;
    if (t.kind === 'punct' && t.text === ']') depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      out.push({ tokens: current, comma: t });
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) out.push({ tokens: current });
  return out;
}

/**
 * `name = [a.id, b.id, c.id]` → `name = [a.id, c.id]`: the one element written exactly as `item` goes with its comma.
 * A list written one element per line loses that element's line (and the comment at its end); anything the remover
 * cannot read as a literal list of references and strings, an item written twice or not at all, leaves the fix as advice.
 */
export function removeFromHclList(texts: SourceTexts, list: SourceRef, item: string): TextEdit | undefined {
  if (!list.file.endsWith('.tf')) return undefined;
  const text = texts.read(list.file);
  if (text === undefined) return undefined;
  const literal = literalHclList(text, list);
  if (!literal) return undefined;
  const { open, close, inner, comments } = literal;
  const lines = new TextLines(text);
  const elements = listElements(inner).filter((e) => e.tokens.length > 0);
  const squash = (s: string) => s.replace(/\s+/g, '');
  const written = (e: ListElement) => squash(lines.slice({ start: e.tokens[0]!.start, end: e.tokens.at(-1)!.end }));
  const matches = elements.flatMap((e, k) => (written(e) === squash(item) ? [k] : []));
  if (matches.length !== 1) return undefined;
  const k = matches[0]!;
  const el = elements[k]!;
  const first = el.tokens[0]!;
  const last = el.comma ?? el.tokens.at(-1)!;
  const file = list.file;
  // Alone on its line(s): the lines go.
  const before = [...lines.line(first.start.line)].slice(0, first.start.column - 1).join('');
  const after = [...lines.line(last.end.line)].slice(last.end.column - 1).join('');
  const ownLines = /^[ \t]*$/.test(before) && /^[ \t]*(#.*|\/\/.*)?$/.test(after) && first.start.line > open.start.line && last.end.line < close.start.line;
  const range = ownLines
    ? { start: lines.lineEnd(first.start.line - 1), end: lines.lineEnd(last.end.line) }
    : k > 0
      ? { start: elements[k - 1]!.tokens.at(-1)!.end, end: el.tokens.at(-1)!.end }
      : elements.length > 1
        ? { start: first.start, end: elements[1]!.tokens[0]!.start }
        : { start: first.start, end: last.end };
  // A comment inside the removed text would go with it: only the one at the end of the element's own line may.
  const lineComments = (from: number, to: number) => comments.filter((c) => c.line >= from && c.line <= to);
  const risky = ownLines
    ? lineComments(first.start.line, last.end.line).some((c) => c.line !== last.end.line || c.text.startsWith('/*'))
    : lineComments(range.start.line, range.end.line).some((c) => c.line < range.end.line || c.text.startsWith('/*'));
  if (risky) return undefined;
  return { file, range, text: '' };
}
