import type { Diagnostic, Span } from '../../../source/types.js';
import { readJson, JsonSyntaxError, type JsonEntry, type JsonNode } from '../../../source/json.js';
import { setOwn } from './zip.js';
import { MAX_NESTING } from './text.js';
import type { RawValue, TfAttribute, TfBlock, TfComment, TfFile } from './types.js';

/** Label counts of the top-level block types of Terraform's JSON syntax. */
const TOP_LEVEL: Record<string, number> = {
  resource: 2,
  data: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  check: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  removed: 0,
};

/**
 * JSON cannot tell a nested block from an attribute holding objects, so the names that are blocks where they appear
 * are listed; everything else is an attribute (the AWS provider's network resources use these blocks).
 */
const RESOURCE_BLOCKS: Record<string, number> = {
  dynamic: 1,
  lifecycle: 0,
  provisioner: 1,
  connection: 0,
  route: 0,
  ingress: 0,
  egress: 0,
  subnet_mapping: 0,
  subnet_configuration: 0,
  dns_options: 0,
  vpc_config: 0,
  timeouts: 0,
  precondition: 0,
  postcondition: 0,
};

const BODY_BLOCKS: Record<string, Record<string, number>> = {
  resource: RESOURCE_BLOCKS,
  data: RESOURCE_BLOCKS,
  dynamic: { content: 0 },
  content: RESOURCE_BLOCKS,
  terraform: { required_providers: 0, backend: 1, cloud: 0, provider_meta: 1 },
  cloud: { workspaces: 0 },
  variable: { validation: 0 },
  output: { precondition: 0 },
  check: { data: 2, assert: 0 },
  removed: { lifecycle: 0, provisioner: 1, connection: 0 },
};

/** Which nested blocks a block of this type has: a resource's nested blocks may nest further as resource blocks do. */
function nestedSchema(type: string, parent: Record<string, number> | undefined): Record<string, number> {
  return BODY_BLOCKS[type] ?? (parent === RESOURCE_BLOCKS ? RESOURCE_BLOCKS : {});
}

const COMMENT_KEY = '//';

export function jsonToRaw(node: JsonNode, literal = false): RawValue {
  switch (node.kind) {
    case 'object': {
      const out: { [k: string]: RawValue } = {};
      for (const e of node.entries) setOwn(out, literal ? escapeTemplate(e.key) : e.key, jsonToRaw(e.value, literal));
      return out;
    }
    case 'array':
      return node.items.map((i) => jsonToRaw(i, literal));
    case 'string':
      return literal ? escapeTemplate(node.value) : node.value;
    default:
      return node.value;
  }
}

/** A literal string written so that the template parser reads it back unchanged. */
export function escapeTemplate(s: string): string {
  return s.replace(/([$%])\{/g, '$1$1{');
}

export function loadTfJsonText(path: string, text: string): { file: TfFile | undefined; diagnostics: Diagnostic[] } {
  let root: JsonNode;
  try {
    root = readJson(text, { maxNesting: MAX_NESTING });
  } catch (e) {
    return { file: undefined, diagnostics: [jsonErrorDiagnostic(path, e)] };
  }
  const diagnostics: Diagnostic[] = [];
  if (root.kind !== 'object') {
    return {
      file: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'tf-parse-error',
          file: path,
          line: root.span.start.line,
          column: root.span.start.column,
          message: 'A Terraform JSON file must hold one object.',
        },
      ],
    };
  }
  const comments: TfComment[] = [];
  const blocks: TfBlock[] = [];
  for (const entry of root.entries) {
    if (entry.key === COMMENT_KEY) {
      comments.push(comment(entry));
      continue;
    }
    const labels = TOP_LEVEL[entry.key];
    if (labels === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'tf-unknown-block',
        file: path,
        line: entry.keySpan.start.line,
        column: entry.keySpan.start.column,
        message: `"${entry.key}" is not a Terraform block type; it was ignored.`,
      });
      continue;
    }
    blocks.push(...readBlocks(entry, labels, BODY_BLOCKS[entry.key] ?? {}, comments));
  }
  return { file: { path, blocks, comments }, diagnostics };
}

export function jsonErrorDiagnostic(path: string, e: unknown): Diagnostic {
  if (e instanceof JsonSyntaxError) {
    const { line, column } = e.position;
    if (e.tooDeep)
      return {
        severity: 'warning',
        code: 'tf-nesting-too-deep',
        file: path,
        line,
        column,
        message: `Nesting is deeper than ${MAX_NESTING} levels; the file was not parsed.`,
      };
    return { severity: 'error', code: 'tf-parse-error', file: path, line, column, message: `Invalid JSON: ${e.message}` };
  }
  return { severity: 'error', code: 'tf-parse-error', file: path, message: `Invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
}

function comment(entry: JsonEntry): TfComment {
  const value = entry.value.kind === 'string' ? entry.value.value : JSON.stringify(jsonToRaw(entry.value));
  return { line: entry.keySpan.start.line, text: `// ${value}` };
}

/** The blocks one property stands for: labels are nested object keys, and a body may be an array of bodies. */
function readBlocks(entry: JsonEntry, labelCount: number, schema: Record<string, number>, comments: TfComment[]): TfBlock[] {
  const out: TfBlock[] = [];
  const walk = (node: JsonNode, labels: string[], keySpan: Span, inArray: boolean) => {
    if (node.kind === 'array') {
      for (const item of node.items) walk(item, labels, keySpan, true);
      return;
    }
    if (node.kind !== 'object') return;
    if (labels.length < labelCount) {
      for (const e of node.entries) {
        if (e.key === COMMENT_KEY) comments.push(comment(e));
        else walk(e.value, [...labels, e.key], e.keySpan, false);
      }
      return;
    }
    out.push(bodyBlock(entry.key, labels, node, inArray ? node.span.start : keySpan.start, schema, comments));
  };
  walk(entry.value, [], entry.keySpan, false);
  return out;
}

function bodyBlock(
  type: string,
  labels: string[],
  body: Extract<JsonNode, { kind: 'object' }>,
  start: Span['start'],
  schema: Record<string, number>,
  comments: TfComment[],
): TfBlock {
  const attributes: Record<string, TfAttribute> = {};
  const blocks: TfBlock[] = [];
  for (const e of body.entries) {
    if (e.key === COMMENT_KEY) {
      comments.push(comment(e));
      continue;
    }
    const labelCount = schema[e.key];
    if (labelCount !== undefined && holdsBodies(e.value, labelCount)) {
      blocks.push(...readBlocks(e, labelCount, nestedSchema(e.key, schema), comments));
      continue;
    }
    setOwn(attributes, e.key, { name: e.key, value: jsonToRaw(e.value), span: { start: e.keySpan.start, end: e.value.span.end }, nameSpan: e.keySpan });
  }
  const openEnd = { line: body.span.start.line, column: body.span.start.column + 1 };
  return { type, labels, attributes, blocks, span: { start, end: body.span.end }, headerSpan: { start, end: openEnd } };
}

/** `"route": "${local.routes}"` is an attribute even though `route` can be a block. */
function holdsBodies(node: JsonNode, labelCount: number): boolean {
  if (node.kind === 'array') return node.items.every((i) => i.kind === 'object');
  if (node.kind !== 'object') return false;
  return labelCount === 0 || node.entries.every((e) => e.key === COMMENT_KEY || e.value.kind === 'object' || e.value.kind === 'array');
}
