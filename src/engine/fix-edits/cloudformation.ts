import { parseTree, type CfnEntry, type CfnMap, type CfnNode, type CfnSeq } from '../../parsers/cloudformation/tree.js';
import type { TextEdit } from '../../source/findings.js';
import type { SourceRef } from '../../source/types.js';
import { indentText, samePosition, TextLines, type SourceTexts } from './text.js';

interface Template {
  lines: TextLines;
  json: boolean;
  resources: CfnMap;
}

function readTemplate(texts: SourceTexts, file: string): Template | undefined {
  const text = texts.read(file);
  if (text === undefined) return undefined;
  const tree = parseTree(file, text);
  if (tree.root?.kind !== 'map' || tree.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const resources = tree.root.entries.find((e) => e.key === 'Resources')?.value;
  if (resources?.kind !== 'map' || resources.tag) return undefined;
  return { lines: new TextLines(text), json: text.trimStart().startsWith('{'), resources };
}

const entryOf = (map: CfnNode | undefined, key: string): CfnEntry | undefined => (map?.kind === 'map' ? map.entries.find((e) => e.key === key) : undefined);

/** Whether a node is written as a flow collection (`[…]`, `{…}`: all of JSON) rather than YAML block style. */
const isFlow = (t: Template, node: CfnNode) => /^[[{]/.test(t.lines.slice(node.span));

/** `!Ref X`, `Ref: X` or `{"Ref": "X"}`: the logical id it names. */
function refName(node: CfnNode): string | undefined {
  if (node.kind === 'scalar' && node.tag === '!Ref') return String(node.value);
  const ref = entryOf(node, 'Ref');
  return ref && node.kind === 'map' && node.entries.length === 1 && ref.value.kind === 'scalar' ? String(ref.value.value) : undefined;
}

/** The logical id `item` refers to (`!Ref X`, `{ "Ref": "X" }`). */
const itemName = (item: string) => /^!Ref (\S+)$/.exec(item)?.[1] ?? /^\{ "Ref": "([^"]+)" \}$/.exec(item)?.[1];

/**
 * One more item at the end of a literal `RouteTableIds` sequence, in its own style: a block sequence gets a `- item`
 * line, a flow sequence (and JSON) one more element after the last. A sequence built by an intrinsic is left alone.
 */
export function appendToTemplateList(texts: SourceTexts, list: SourceRef, item: string): TextEdit | undefined {
  const t = readTemplate(texts, list.file);
  const name = itemName(item);
  if (!t || !name) return undefined;
  const entry = entryOf(entryOf(entryOf(t.resources, list.address)?.value, 'Properties')?.value, 'RouteTableIds');
  const seq = entry?.value;
  if (!entry || !samePosition(entry.span.start, list.span.start) || seq?.kind !== 'seq' || seq.tag) return undefined;
  if (seq.items.some((i) => refName(i) === name)) return undefined;
  return isFlow(t, seq) ? appendToFlowSeq(t, list.file, seq, item) : appendToBlockSeq(t, list.file, seq, item);
}

function appendToFlowSeq(t: Template, file: string, seq: CfnSeq, item: string): TextEdit {
  const last = seq.items.at(-1);
  if (!last) {
    const at = { line: seq.span.start.line, column: seq.span.start.column + 1 };
    return { file, range: { start: at, end: at }, text: item };
  }
  // A JSON item written like the last one: `{"Ref": "A"}` makes `{"Ref": "B"}`.
  const lastText = t.lines.slice(last.span);
  const styled = t.json && refName(last) !== undefined ? lastText.replace(/"[^"]*"(\s*)\}$/, `${JSON.stringify(itemName(item))}$1}`) : item;
  const multiline = seq.span.end.line > last.span.end.line;
  const text = multiline ? `,${t.lines.eol}${t.lines.indent(last.span.start.line)}${styled}` : `, ${styled}`;
  return { file, range: { start: last.span.end, end: last.span.end }, text };
}

function appendToBlockSeq(t: Template, file: string, seq: CfnSeq, item: string): TextEdit | undefined {
  const last = seq.items.at(-1);
  if (!last) return undefined;
  // The dash of the last item, alone on its line but for indentation.
  const before = [...t.lines.line(last.span.start.line)].slice(0, last.span.start.column - 1).join('');
  const dash = /^([ \t]*)- +$/.exec(before);
  if (!dash) return undefined;
  const at = t.lines.lineEnd(last.span.end.line);
  return { file, range: { start: at, end: at }, text: `${t.lines.eol}${dash[1]}- ${item}` };
}

/** The indentation step of the file: how far a resource's `Type` sits inside its logical id. */
function indentStep(t: Template, resource: CfnEntry): string | undefined {
  const type = entryOf(resource.value, 'Type');
  if (!type || type.keySpan.start.line === resource.keySpan.start.line) return undefined;
  const width = type.keySpan.start.column - resource.keySpan.start.column;
  return width > 0 ? ' '.repeat(width) : undefined;
}

/**
 * A new resource after the one whose logical id is at `after`: in YAML after a blank line, at the resource's
 * indentation with the file's step; in JSON as the next member of `Resources`, with the file's indentation.
 */
export function insertAfterTemplateResource(texts: SourceTexts, after: SourceRef, resource: string, name: string): TextEdit | undefined {
  const t = readTemplate(texts, after.file);
  if (!t || entryOf(t.resources, name)) return undefined;
  const anchor = entryOf(t.resources, after.address);
  const step = anchor && indentStep(t, anchor);
  if (!anchor || !step || !samePosition(anchor.keySpan.start, after.span.start)) return undefined;
  const indent = t.lines.indent(anchor.keySpan.start.line);
  if (t.json !== resource.trimStart().startsWith('"') || isFlow(t, t.resources) !== t.json) return undefined;
  const body = indentText(resource, indent, step, t.lines.eol);
  if (t.json) return { file: after.file, range: { start: anchor.span.end, end: anchor.span.end }, text: `,${t.lines.eol}${body}` };
  const at = t.lines.lineEnd(anchor.span.end.line);
  return { file: after.file, range: { start: at, end: at }, text: t.lines.blockAfter(at.line, body) };
}

/**
 * The one item of a literal sequence property (`SubnetIds`) that refers to `item`'s logical id, removed with its
 * separator: a block sequence loses the item's `- …` line(s), a flow sequence (and JSON) the item and one comma. A
 * sequence built by an intrinsic, an item named twice or not at all, or a comment in the way leaves the fix as advice.
 */
export function removeFromTemplateList(texts: SourceTexts, list: SourceRef, item: string): TextEdit | undefined {
  const t = readTemplate(texts, list.file);
  const name = itemName(item);
  if (!t || !name) return undefined;
  const properties = entryOf(entryOf(t.resources, list.address)?.value, 'Properties')?.value;
  const entry = properties?.kind === 'map' ? properties.entries.find((e) => samePosition(e.span.start, list.span.start)) : undefined;
  const seq = entry?.value;
  if (!entry || seq?.kind !== 'seq' || seq.tag) return undefined;
  const matches = seq.items.flatMap((i, k) => (refName(i) === name ? [k] : []));
  if (matches.length !== 1) return undefined;
  const k = matches[0]!;
  const target = seq.items[k]!;
  if (isFlow(t, seq)) {
    const range =
      k > 0
        ? { start: seq.items[k - 1]!.span.end, end: target.span.end }
        : seq.items.length > 1
          ? { start: target.span.start, end: seq.items[1]!.span.start }
          : target.span;
    if (!t.json && t.lines.slice(range).includes('#')) return undefined;
    return { file: list.file, range, text: '' };
  }
  // Block style: the item's dash must start its line, and nothing but the item may follow on its last line.
  const before = [...t.lines.line(target.span.start.line)].slice(0, target.span.start.column - 1).join('');
  if (!/^[ \t]*- +$/.test(before)) return undefined;
  const lastLine = target.span.end.column === 1 && target.span.end.line > target.span.start.line ? target.span.end.line - 1 : target.span.end.line;
  const rest = target.span.end.line === lastLine ? [...t.lines.line(lastLine)].slice(target.span.end.column - 1).join('') : '';
  if (!/^[ \t]*(#.*)?$/.test(rest)) return undefined;
  for (let n = target.span.start.line; n < lastLine; n++) if (t.lines.line(n).includes('#')) return undefined;
  return { file: list.file, range: { start: t.lines.lineEnd(target.span.start.line - 1), end: t.lines.lineEnd(lastLine) }, text: '' };
}
