import path from 'node:path';
import { HclScanner, type Token } from '../../parsers/terraform/load/hcl-scanner.js';
import { locateHcl } from '../../parsers/terraform/load/locate.js';
import type { TextEdit } from '../../source/findings.js';
import type { SourceRef } from '../../source/types.js';
import { comparePositions, indentText, samePosition, TextLines, type SourceTexts } from './text.js';

/** Tokens of a list literal of references and strings: anything else (`for`, calls, splats, conditionals) is refused. */
const LIST_PUNCT = new Set(['.', ',', '[', ']']);
const LIST_TOKENS = new Set(['ident', 'number', 'newline', 'template-open', 'template-literal', 'template-close']);

/** Whether `text` holds `ref` as a whole reference (not as the start of a longer name). */
export function mentions(text: string, ref: string): boolean {
  const escaped = ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.-])${escaped}(?![\\w-])`).test(text);
}

function tokensIn(text: string, list: SourceRef): Token[] {
  const scanner = new HclScanner(text);
  const out: Token[] = [];
  for (let t = scanner.next(); t.kind !== 'eof'; t = scanner.next()) {
    if (comparePositions(t.start, list.span.end) >= 0) break;
    if (comparePositions(t.start, list.span.start) >= 0) out.push(t);
  }
  return out;
}

/**
 * `name = [a.id, b.id]` → `name = [a.id, b.id, item]`, keeping the list's layout: one line stays one line, a list
 * written one element per line gets one more line with the last element's indentation and the comments where they were.
 */
export function appendToHclList(texts: SourceTexts, list: SourceRef, item: string): TextEdit | undefined {
  if (!list.file.endsWith('.tf')) return undefined;
  const text = texts.read(list.file);
  if (text === undefined) return undefined;
  const tokens = tokensIn(text, list);
  const [name, assign, open] = tokens;
  const close = tokens.at(-1);
  if (name?.kind !== 'ident' || assign?.kind !== 'assign' || open?.text !== '[' || close?.text !== ']' || !samePosition(close.end, list.span.end))
    return undefined;
  const inner = tokens.slice(3, -1);
  if (inner.some((t) => !LIST_TOKENS.has(t.kind) && !(t.kind === 'punct' && LIST_PUNCT.has(t.text)))) return undefined;
  if (inner.some((t) => t.kind === 'ident' && t.text === 'for')) return undefined;
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
