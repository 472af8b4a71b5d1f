import { parseTree, type CfnEntry, type CfnMap, type CfnNode } from '../../parsers/cloudformation/tree.js';
import type { Token } from '../../parsers/terraform/load/hcl-scanner.js';
import { locateHcl } from '../../parsers/terraform/load/locate.js';
import type { TextEdit } from '../../source/findings.js';
import type { SourceRef, Span } from '../../source/types.js';
import { samePosition, TextLines, type SourceTexts } from './text.js';
import { tokensIn } from './terraform.js';

/*
 * Setting one scalar attribute of a resource to a literal (`enable_dns_hostnames = true`, `EnableDnsHostnames: true`):
 * the literal written there is replaced; an absent attribute is added at the end of the block or of `Properties`.
 * Anything but a literal (a variable, an intrinsic, a conditional) is left alone: the fix stays advice.
 */

/** Literals an attribute may be replaced from: booleans, numbers, or a quoted string without interpolation. */
function literalValue(tokens: Token[]): Span | undefined {
  const [only] = tokens;
  if (tokens.length === 1 && only && ((only.kind === 'ident' && /^(true|false|null)$/.test(only.text)) || only.kind === 'number')) return only;
  const [open, literal, close] = tokens;
  if (tokens.length === 3 && open?.kind === 'template-open' && open.quoted && literal?.kind === 'template-literal' && close?.kind === 'template-close')
    return { start: open.start, end: close.end };
  return undefined;
}

/** `name = value` in the Terraform resource block whose header is at `resource`. */
export function setHclAttribute(texts: SourceTexts, resource: SourceRef, name: string, value: string): TextEdit | undefined {
  if (!resource.file.endsWith('.tf')) return undefined;
  const text = texts.read(resource.file);
  if (text === undefined) return undefined;
  const block = locateHcl(text).blocks.find((b) => b.type === 'resource' && samePosition(b.headerSpan.start, resource.span.start));
  // An instance of a block with count or for_each shares the block with every other instance: not edited for one.
  if (!block || resource.address !== `${block.labels[0]}.${block.labels[1]}`) return undefined;
  const file = resource.file;
  const attr = block.attributes.find((a) => a.name === name);
  if (attr) {
    const [key, assign, ...rest] = tokensIn(text, attr.span, { newlines: false });
    const literal = literalValue(rest);
    if (key?.text !== name || assign?.kind !== 'assign' || !literal) return undefined;
    const lines = new TextLines(text);
    if (lines.slice(literal) === value) return undefined;
    return { file, range: literal, text: value };
  }
  const lines = new TextLines(text);
  const close = block.span.end.line;
  // The closing brace alone on its line, below the header: the block has a body to add a line to.
  if (close <= block.headerSpan.end.line || !/^\s*\}/.test(lines.line(close))) return undefined;
  let last = close - 1;
  while (last > block.headerSpan.end.line && !lines.hasContent(last)) last--;
  const first = block.attributes[0] ?? block.blocks[0];
  const indent = first ? lines.indent(first.span.start.line) : `${lines.indent(block.headerSpan.start.line)}  `;
  const line = `${indent}${name} = ${value}`;
  const at = lines.lineEnd(last);
  // A group of its own (a blank line before it), so that `terraform fmt` leaves the aligned groups above as they are.
  return { file, range: { start: at, end: at }, text: last === block.headerSpan.end.line ? `${lines.eol}${line}` : `${lines.eol}${lines.eol}${line}` };
}

const entryOf = (map: CfnNode | undefined, key: string): CfnEntry | undefined => (map?.kind === 'map' ? map.entries.find((e) => e.key === key) : undefined);

/** `Name: value` in `Properties` of the template resource whose logical id is at `resource`. */
export function setTemplateProperty(texts: SourceTexts, resource: SourceRef, name: string, value: string): TextEdit | undefined {
  const text = texts.read(resource.file);
  if (text === undefined) return undefined;
  const tree = parseTree(resource.file, text);
  if (tree.root?.kind !== 'map' || tree.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const entry = entryOf(entryOf(tree.root, 'Resources')?.value, resource.address);
  if (!entry || !samePosition(entry.keySpan.start, resource.span.start)) return undefined;
  const props = entryOf(entry.value, 'Properties')?.value;
  if (props?.kind !== 'map' || props.tag) return undefined;
  const lines = new TextLines(text);
  const json = text.trimStart().startsWith('{');
  const file = resource.file;
  const existing = entryOf(props, name);
  if (existing) {
    const v = existing.value;
    if (v.kind !== 'scalar' || v.tag || String(v.value) === value) return undefined;
    return { file, range: v.span, text: value };
  }
  return json ? addJsonMember(lines, file, props, name, value) : addYamlEntry(lines, file, props, name, value);
}

/** One more member after the last of a JSON object written one member per line. */
function addJsonMember(lines: TextLines, file: string, props: CfnMap, name: string, value: string): TextEdit | undefined {
  const last = props.entries.at(-1);
  if (!last || props.span.end.line <= last.span.end.line) return undefined;
  const indent = lines.indent(last.keySpan.start.line);
  return { file, range: { start: last.span.end, end: last.span.end }, text: `,${lines.eol}${indent}${JSON.stringify(name)}: ${value}` };
}

/** One more key after the last entry of a YAML block mapping, at the same indentation. */
function addYamlEntry(lines: TextLines, file: string, props: CfnMap, name: string, value: string): TextEdit | undefined {
  const last = props.entries.at(-1);
  if (!last || /^[[{]/.test(lines.slice(props.span))) return undefined;
  const keyLine = lines.line(last.keySpan.start.line);
  const before = [...keyLine].slice(0, last.keySpan.start.column - 1).join('');
  if (before.trim() !== '') return undefined;
  const endLine = last.span.end.column === 1 && last.span.end.line > last.keySpan.start.line ? last.span.end.line - 1 : last.span.end.line;
  const at = lines.lineEnd(endLine);
  return { file, range: { start: at, end: at }, text: `${lines.eol}${before}${name}: ${value}` };
}
