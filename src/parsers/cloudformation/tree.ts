import {
  Composer,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type CollectionTag,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, Span } from '../../source/types.js';
import { cstDepth, ROUGH_NESTING_LIMIT, roughNesting } from './nesting.js';
import { MAX_ALIAS_COUNT, MAX_ALIAS_NODES, MAX_NESTING, MAX_YAML_NODES, PositionIndex } from './text.js';
import { yamlAliasesOverLimit, yamlNodesOverLimit } from '../../source/yaml-aliases.js';

/**
 * A template as a tree of plain nodes, every node with its source span. Short-form intrinsics keep their tag
 * (`!Ref`, `!GetAtt`, …) on the node they are written on; aliases are expanded (within limits), so the evaluator
 * never sees YAML machinery.
 */
export type CfnNode = CfnScalar | CfnSeq | CfnMap;

interface NodeBase {
  span: Span;
  /** The local tag as written (`!Sub`), when the node has one other than a standard YAML tag. */
  tag?: string;
}

export interface CfnScalar extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}

export interface CfnSeq extends NodeBase {
  kind: 'seq';
  items: CfnNode[];
}

export interface CfnMap extends NodeBase {
  kind: 'map';
  entries: CfnEntry[];
}

export interface CfnEntry {
  key: string;
  keySpan: Span;
  /** From the key to the end of the value. */
  span: Span;
  value: CfnNode;
}

/** Every short form CloudFormation defines, as a YAML tag. */
export const SHORT_FORM_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'Condition',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
  'Transform',
  'ToJsonString',
  'Length',
] as const;

/** Registered for scalars, sequences and mappings alike, so the parser keeps the tag without a warning. */
const CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = SHORT_FORM_TAGS.flatMap((name): Array<ScalarTag | CollectionTag> => [
  { tag: `!${name}`, resolve: (s: string) => s },
  { tag: `!${name}`, collection: 'seq', resolve: (v: unknown) => v },
  { tag: `!${name}`, collection: 'map', resolve: (v: unknown) => v },
]);

export interface ParsedTree {
  root: CfnNode | undefined;
  diagnostics: Diagnostic[];
  positions: PositionIndex;
}

class TreeLimit extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function isStandardTag(tag: string): boolean {
  return tag.startsWith('tag:yaml.org,2002:') || tag === '!';
}

/**
 * Parses YAML or JSON text (JSON is read as YAML 1.2 flow, which keeps node ranges) into a CfnNode tree.
 * Never throws; syntax errors, nesting beyond MAX_NESTING and alias bombs end in diagnostics and no tree.
 */
export function parseTree(file: string, text: string): ParsedTree {
  // Discovery asks isCloudFormationTemplate and the loader then reads the same text: parse it once. The tree is
  // never modified after parsing, so sharing it is safe; only the file named in diagnostics may differ.
  if (lastParse && lastParse.text === text) {
    const { tree } = lastParse;
    return { ...tree, diagnostics: tree.diagnostics.map((d) => ({ ...d, file })) };
  }
  const tree = parseTreeUncached(file, text);
  lastParse = { text, tree };
  return { ...tree, diagnostics: [...tree.diagnostics] };
}

let lastParse: { text: string; tree: ParsedTree } | undefined;

function parseTreeUncached(file: string, text: string): ParsedTree {
  const positions = new PositionIndex(text);
  const diagnostics: Diagnostic[] = [];
  const diag = diagnosticAt(file, positions);
  const doc = composeDocument(text, diag, diagnostics);
  if (!doc) return { root: undefined, diagnostics, positions };
  try {
    const root = new TreeConverter(file, text, positions, diagnostics, diag).convert(doc.contents, 0, doc.range[0]);
    return { root, diagnostics, positions };
  } catch (e) {
    if (e instanceof TreeLimit) {
      diagnostics.push(e.diagnostic);
      return { root: undefined, diagnostics, positions };
    }
    throw e;
  }
}

type DiagnosticAt = (severity: Diagnostic['severity'], code: string, message: string, offset?: number) => Diagnostic;

/** A diagnostic of the file, at the line and column of a text offset when there is one. */
function diagnosticAt(file: string, positions: PositionIndex): DiagnosticAt {
  return (severity, code, message, offset) => {
    const d: Diagnostic = { severity, code, file, message };
    if (offset !== undefined) {
      const p = positions.at(offset);
      d.line = p.line;
      d.column = p.column;
    }
    return d;
  };
}

/**
 * The template's YAML document, composed once the input is known to be shallow enough for the recursive composer;
 * undefined (with the reason in `diagnostics`) when there is none to convert: too deep, syntax errors, or empty.
 */
function composeDocument(text: string, diag: DiagnosticAt, diagnostics: Diagnostic[]): Document.Parsed | undefined {
  const tooDeep = (offset: number) =>
    diagnostics.push(diag('warning', 'cfn-nesting-too-deep', `Nesting is deeper than ${MAX_NESTING} levels; the template was not parsed.`, offset));
  const rough = roughNesting(text, ROUGH_NESTING_LIMIT);
  if (rough !== undefined) {
    tooDeep(rough);
    return undefined;
  }
  const aliasesOver = yamlAliasesOverLimit(text, MAX_ALIAS_COUNT);
  if (aliasesOver !== undefined) {
    diagnostics.push(diag('warning', 'cfn-alias-limit', `More than ${MAX_ALIAS_COUNT} YAML aliases; the template was not parsed.`, aliasesOver));
    return undefined;
  }
  const nodesOver = yamlNodesOverLimit(text, MAX_YAML_NODES);
  if (nodesOver !== undefined) {
    diagnostics.push(diag('warning', 'cfn-node-limit', `More than ${MAX_YAML_NODES} YAML nodes; the template was not parsed.`, nodesOver));
    return undefined;
  }
  const tokens = Array.from(new Parser().parse(text));
  const depth = cstDepth(tokens, MAX_NESTING);
  if (depth.depth > MAX_NESTING) {
    tooDeep(depth.offset);
    return undefined;
  }
  const composer = new Composer({ customTags: CUSTOM_TAGS, uniqueKeys: false, prettyErrors: false });
  const docs: Document.Parsed[] = Array.from(composer.compose(tokens, true, text.length));
  const nonEmpty = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  if (nonEmpty.length > 1) {
    diagnostics.push(
      diag(
        'warning',
        'cfn-multiple-documents',
        `File holds ${nonEmpty.length} YAML documents; a template is one document, only the first was read.`,
        nonEmpty[1]!.range[0],
      ),
    );
  }
  const doc = nonEmpty[0] ?? docs[0];
  if (!doc) return undefined;
  const errors = doc.errors;
  for (const e of errors.slice(0, 10)) {
    diagnostics.push(diag('error', 'cfn-syntax-error', `Syntax error: ${e.message}`, e.pos[0]));
  }
  if (errors.length > 10) diagnostics.push(diag('error', 'cfn-syntax-error', `${errors.length - 10} more syntax errors were not listed.`));
  if (errors.length > 0) return undefined;
  for (const w of doc.warnings) {
    // Unknown local tags are reported by the evaluator, which knows whether they are intrinsics.
    if (w.code === 'TAG_RESOLVE_FAILED') continue;
    diagnostics.push(diag('note', 'cfn-yaml-warning', w.message, w.pos[0]));
  }
  return doc.contents === null ? undefined : doc;
}

/**
 * Converts a composed YAML document into CfnNodes, expanding aliases. The limits on nesting and on alias expansion
 * end the conversion by throwing TreeLimit: a template beyond them is not read at all.
 */
class TreeConverter {
  /** Anchors in document order: an alias names the last anchor of that name before it. */
  private readonly anchors = new Map<string, YamlNode>();
  /** Anchors being expanded and nodes being converted: an alias to one of them is a cycle. */
  private readonly expanding = new Set<YamlNode>();
  private aliasDepth = 0;
  private expandedNodes = 0;
  private aliasCount = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly positions: PositionIndex,
    private readonly diagnostics: Diagnostic[],
    private readonly diag: DiagnosticAt,
  ) {}

  convert(node: unknown, level: number, fallbackOffset: number): CfnNode {
    this.checkLimits(level, fallbackOffset);
    if (node === null || node === undefined) {
      const at = this.positions.at(fallbackOffset);
      return { kind: 'scalar', value: null, span: { start: at, end: at } };
    }
    if (isAlias(node)) return this.expandAlias(node, level, fallbackOffset);
    const n = node as YamlNode & { anchor?: string; tag?: string };
    if (n.anchor && this.aliasDepth === 0) this.anchors.set(n.anchor, n);
    const tag = n.tag && !isStandardTag(n.tag) ? n.tag : undefined;
    const span = this.spanOf(n.range, tag);
    const withTag = <T extends CfnNode>(x: T): T => {
      if (tag) x.tag = tag;
      return x;
    };
    if (isScalar(n)) return withTag({ kind: 'scalar', value: scalarValue(n.value, n.source, n.type), span });
    // A node being converted is in `expanding` too, so an alias to an enclosing anchor is caught as a cycle.
    this.expanding.add(n);
    try {
      if (isSeq(n)) {
        const items = n.items.map((item) => this.convert(item, level + 1, n.range?.[0] ?? fallbackOffset));
        return withTag({ kind: 'seq', items, span });
      }
      if (isMap(n)) return withTag({ kind: 'map', entries: this.mapEntries(n, level, fallbackOffset), span });
    } finally {
      this.expanding.delete(n);
    }
    this.diagnostics.push(this.diag('warning', 'cfn-yaml-warning', 'A YAML node of an unexpected kind was read as null.', n.range?.[0] ?? fallbackOffset));
    return { kind: 'scalar', value: null, span };
  }

  /** Nesting (aliases expanded) and the nodes aliases expand to are bounded, so hostile input ends quickly. */
  private checkLimits(level: number, fallbackOffset: number): void {
    if (level > MAX_NESTING) {
      throw new TreeLimit(
        this.diag(
          'warning',
          'cfn-nesting-too-deep',
          `Nesting (with aliases expanded) is deeper than ${MAX_NESTING} levels; the template was not parsed.`,
          fallbackOffset,
        ),
      );
    }
    if (this.aliasDepth > 0 && ++this.expandedNodes > MAX_ALIAS_NODES) {
      throw new TreeLimit(
        this.diag('warning', 'cfn-alias-limit', `YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes; the template was not parsed.`, fallbackOffset),
      );
    }
  }

  /** An alias becomes a copy of its anchor's node; aliases met while expanding one do not count toward MAX_ALIAS_COUNT. */
  private expandAlias(node: Alias, level: number, fallbackOffset: number): CfnNode {
    const offset = node.range?.[0] ?? fallbackOffset;
    if (this.aliasDepth === 0 && ++this.aliasCount > MAX_ALIAS_COUNT) {
      throw new TreeLimit(this.diag('warning', 'cfn-alias-limit', `More than ${MAX_ALIAS_COUNT} YAML aliases; the template was not parsed.`, offset));
    }
    const target = this.anchors.get(node.source);
    if (!target) {
      this.diagnostics.push(this.diag('error', 'cfn-syntax-error', `Alias *${node.source} has no anchor before it.`, offset));
      return { kind: 'scalar', value: null, span: this.spanOf(node.range) };
    }
    if (this.expanding.has(target)) {
      throw new TreeLimit(this.diag('warning', 'cfn-alias-cycle', `Alias *${node.source} is inside its own anchor; the template was not parsed.`, offset));
    }
    this.expanding.add(target);
    this.aliasDepth++;
    try {
      return this.convert(target, level, offset);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(target);
    }
  }

  /**
   * A mapping's entries in order. A repeated key keeps its first place and takes the last value, as CloudFormation
   * reads it; YAML merge keys (`<<: *defaults`) add, after the mapping's own entries, those it does not set itself.
   */
  private mapEntries(n: YAMLMap, level: number, fallbackOffset: number): CfnEntry[] {
    const entries: CfnEntry[] = [];
    const seen = new Map<string, number>();
    const add = (entry: CfnEntry, explicit: boolean) => {
      const at = seen.get(entry.key);
      if (at === undefined) {
        seen.set(entry.key, entries.length);
        entries.push(entry);
      } else if (explicit) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'cfn-duplicate-key',
          file: this.file,
          line: entry.keySpan.start.line,
          column: entry.keySpan.start.column,
          message: `Key "${entry.key}" is repeated in this mapping (first on line ${entries[at]!.keySpan.start.line}); the last one is used.`,
        });
        entries[at] = entry;
      }
    };
    const merges: Array<CfnMap | CfnSeq> = [];
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as (YamlNode & { source?: string; type?: string }) | null;
      const keyOffset = (keyNode && 'range' in keyNode ? keyNode.range?.[0] : undefined) ?? n.range?.[0] ?? fallbackOffset;
      const k = this.mapKey(keyNode, level, keyOffset);
      if (!k) continue;
      const { key, keySpan } = k;
      const valueNode = pair.value as YamlNode | null;
      const keyEnd = keyNode?.range?.[1] ?? keyOffset;
      const value = this.convert(valueNode, level + 1, valueNode?.range?.[0] ?? keyEnd);
      if (key === '<<' && keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN' && (value.kind === 'map' || value.kind === 'seq') && !value.tag) {
        merges.push(value);
        continue;
      }
      add({ key, keySpan, span: { start: keySpan.start, end: maxPos(value.span.end, keySpan.end) }, value }, true);
    }
    for (const m of merges) {
      const sources = m.kind === 'map' ? [m] : m.items.filter((x): x is CfnMap => x.kind === 'map');
      for (const source of sources) for (const e of source.entries) add(e, false);
    }
    return entries;
  }

  /** A mapping key as a string (an empty or null key is ''); undefined, reported, for a collection as key. */
  private mapKey(
    keyNode: (YamlNode & { source?: string; type?: string }) | null,
    level: number,
    keyOffset: number,
  ): { key: string; keySpan: Span } | undefined {
    if (keyNode === null || keyNode === undefined) {
      return { key: '', keySpan: { start: this.positions.at(keyOffset), end: this.positions.at(keyOffset) } };
    }
    if (isScalar(keyNode)) {
      const v = scalarValue(keyNode.value, keyNode.source, keyNode.type);
      return { key: v === null ? '' : String(v), keySpan: this.spanOf(keyNode.range) };
    }
    if (isAlias(keyNode)) {
      const resolved = this.convert(keyNode, level + 1, keyOffset);
      if (resolved.kind === 'scalar') return { key: resolved.value === null ? '' : String(resolved.value), keySpan: this.spanOf(keyNode.range) };
    }
    this.diagnostics.push(this.diag('warning', 'cfn-complex-key', 'A mapping key is a collection; the entry was ignored.', keyOffset));
    return undefined;
  }

  private spanOf(range: readonly number[] | null | undefined, tag?: string): Span {
    const { text, positions } = this;
    let start = range?.[0] ?? 0;
    if (tag) {
      // A node's range starts after its tag; a span of `!Select [0, …]` starts at the tag, where the reader looks.
      let p = start;
      while (p > 0 && /\s/.test(text[p - 1]!)) p--;
      if (text.startsWith(tag, p - tag.length)) start = p - tag.length;
    }
    const end = positions.trimEnd(start, range?.[1] ?? start);
    return { start: positions.at(start), end: positions.at(end) };
  }
}

function maxPos(a: Span['end'], b: Span['end']): Span['end'] {
  return a.line > b.line || (a.line === b.line && a.column >= b.column) ? a : b;
}

/**
 * A scalar as CloudFormation means it. Numbers stay numbers, except where the number would lose what was written
 * (`012345678901` as an account id, integers beyond 2^53, `.inf`): those keep their text.
 */
function scalarValue(value: unknown, source: string | undefined, type: string | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (type === 'PLAIN' && typeof source === 'string') {
      if (!Number.isFinite(value)) return source;
      if (/^[-+]?0\d/.test(source)) return source;
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return source;
    }
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return source ?? value.toISOString();
  return typeof source === 'string' ? source : String(value);
}
