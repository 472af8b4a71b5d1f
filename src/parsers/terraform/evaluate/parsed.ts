import type { Span, Diagnostic } from '../../../source/types.js';
import type { TfBlock, TfFile } from '../load/index.js';
import { parseRawValue, type Expr } from '../expr/index.js';

/** A block whose attribute values are parsed expressions, ready for synchronous evaluation. */
export interface ParsedAttribute {
  name: string;
  expr: Expr;
  span: Span;
  /** Set when the attribute was merged in from an override file: the file it was written in. */
  file?: string;
}

export interface ParsedBlock {
  type: string;
  labels: string[];
  attributes: Record<string, ParsedAttribute>;
  blocks: ParsedBlock[];
  span: Span;
  headerSpan: Span;
  /** Path relative to the scan root. */
  file: string;
}

export interface ParsedFile {
  path: string;
  blocks: ParsedBlock[];
  comments: TfFile['comments'];
}

async function parseBlock(block: TfBlock, file: string, diagnostics: Diagnostic[]): Promise<ParsedBlock> {
  const attributes: Record<string, ParsedAttribute> = {};
  for (const [name, attr] of Object.entries(block.attributes)) {
    const { expr, diagnostics: d } = await parseRawValue(attr.value, file, attr.span.start.line);
    diagnostics.push(...d);
    attributes[name] = { name, expr, span: attr.span };
  }
  const blocks: ParsedBlock[] = [];
  for (const child of block.blocks) blocks.push(await parseBlock(child, file, diagnostics));
  return { type: block.type, labels: block.labels, attributes, blocks, span: block.span, headerSpan: block.headerSpan, file };
}

/** Parses every expression of a loaded file once, so that evaluation never waits on the parser. */
export async function parseFileExpressions(file: TfFile): Promise<{ file: ParsedFile; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const blocks: ParsedBlock[] = [];
  for (const block of file.blocks) blocks.push(await parseBlock(block, file.path, diagnostics));
  return { file: { path: file.path, blocks, comments: file.comments }, diagnostics };
}
