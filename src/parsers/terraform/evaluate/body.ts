import type { Span, Diagnostic } from '../../../source/types.js';
import { evaluate, childScope, references, type Scope } from '../expr/index.js';
import { isObject, isUnknown, unknown, type Value, type ValueObject } from '../../../source/value.js';
import { instanceView } from './lazy.js';
import type { ParsedBlock } from './parsed.js';

/** Arguments that steer Terraform itself rather than describe the resource. */
export const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'providers', 'depends_on', 'source', 'version']);
const IGNORED_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection', 'timeouts', 'precondition', 'postcondition']);

export interface EvaluatedBody {
  values: ValueObject;
  nestedSpans: Record<string, Span[]>;
}

/** Names a block exposes to references before any of them is evaluated: arguments and nested block types. */
export function configuredNames(block: ParsedBlock): Set<string> {
  const names = new Set<string>();
  for (const name of Object.keys(block.attributes)) if (!META_ARGUMENTS.has(name)) names.add(name);
  for (const b of block.blocks) {
    if (b.type === 'dynamic' && b.labels[0]) names.add(b.labels[0]);
    else if (!IGNORED_BLOCKS.has(b.type)) names.add(b.type);
  }
  return names;
}

export function evaluateAttribute(block: ParsedBlock, name: string, scope: Scope, report: (d: Diagnostic) => void): Value {
  const attr = block.attributes[name];
  if (!attr) return null;
  return evaluate(attr.expr, scope, { file: attr.file ?? block.file, line: attr.span.start.line, report });
}

/** Evaluates a block body: arguments, nested blocks (as arrays of objects under their type) and dynamic blocks. */
export function evaluateBody(block: ParsedBlock, scope: Scope, report: (d: Diagnostic) => void, only?: string): EvaluatedBody {
  const values: ValueObject = {};
  const nestedSpans: Record<string, Span[]> = {};
  for (const name of Object.keys(block.attributes)) {
    if (META_ARGUMENTS.has(name) || (only !== undefined && name !== only)) continue;
    values[name] = evaluateAttribute(block, name, scope, report);
  }
  const push = (type: string, v: Value, span: Span) => {
    const list = values[type];
    if (isUnknown(list)) return;
    if (Array.isArray(list)) list.push(v);
    else values[type] = [v];
    (nestedSpans[type] ??= []).push(span);
  };
  for (const child of block.blocks) {
    if (IGNORED_BLOCKS.has(child.type)) continue;
    if (child.type === 'dynamic') {
      const label = child.labels[0];
      if (!label || (only !== undefined && label !== only)) continue;
      expandDynamic(child, label, scope, report, push, (reason) => (values[label] = unknown(reason)));
      continue;
    }
    if (only !== undefined && child.type !== only) continue;
    const inner = evaluateBody(child, scope, report);
    push(child.type, inner.values, child.span);
  }
  return { values, nestedSpans };
}

function expandDynamic(
  dyn: ParsedBlock,
  label: string,
  scope: Scope,
  report: (d: Diagnostic) => void,
  push: (type: string, v: Value, span: Span) => void,
  markUnknown: (reason: string) => void,
): void {
  const content = dyn.blocks.find((b) => b.type === 'content');
  const forEach = evaluateAttribute(dyn, 'for_each', scope, report);
  if (!content) {
    report({
      severity: 'error',
      code: 'tf-dynamic-without-content',
      file: dyn.file,
      line: dyn.headerSpan.start.line,
      message: `dynamic "${label}" has no content block.`,
    });
    return;
  }
  if (isUnknown(forEach)) {
    markUnknown(`dynamic "${label}" blocks depend on ${forEach.reason}`);
    return;
  }
  let iterator = label;
  const iterAttr = dyn.attributes['iterator'];
  if (iterAttr) iterator = references(iterAttr.expr)[0]?.[0] ?? label;
  let entries: Array<[Value, Value]>;
  if (Array.isArray(forEach)) entries = forEach.map((v, i) => [i, v]);
  else if (isObject(forEach))
    entries = Object.keys(forEach)
      .sort()
      .map((k) => [k, forEach[k]!]);
  else if (forEach === null) entries = [];
  else {
    report({
      severity: 'error',
      code: 'tf-invalid-for-each',
      file: dyn.file,
      line: dyn.headerSpan.start.line,
      message: `dynamic "${label}" for_each must be a collection.`,
    });
    return;
  }
  for (const [key, value] of entries) {
    const inner = evaluateBody(content, childScope(scope, { [iterator]: { key, value } }), report);
    push(label, inner.values, dyn.span);
  }
}

/** The blocks that define nested blocks of `type` inside `blocks`: static ones, and the content of dynamic ones. */
function nestedDefinitions(blocks: ParsedBlock[], type: string): ParsedBlock[] {
  const defs: ParsedBlock[] = [];
  for (const b of blocks) {
    if (b.type === type) defs.push(b);
    else if (b.type === 'dynamic' && b.labels[0] === type) {
      const content = b.blocks.find((c) => c.type === 'content');
      if (content) defs.push(content);
    }
  }
  return defs;
}

/**
 * A resource's nested blocks as references see them (`aws_eks_cluster.c.vpc_config[0].vpc_id`): configured
 * arguments as evaluated; any other attribute may be one the provider computes, which only its schema could tell,
 * so it is Unknown rather than an error.
 */
export function nestedBlockView(v: Value, defs: ParsedBlock[], path: string): Value {
  if (!Array.isArray(v)) return v;
  const nestedTypes = new Set<string>();
  for (const d of defs) for (const c of d.blocks) if (!IGNORED_BLOCKS.has(c.type)) nestedTypes.add(c.type === 'dynamic' ? (c.labels[0] ?? '') : c.type);
  return v.map((el, i) => {
    if (!isObject(el)) return el;
    const at = `${path}[${i}]`;
    return instanceView(
      new Set(Object.keys(el)),
      (name) => {
        const inner = el[name]!;
        return nestedTypes.has(name)
          ? nestedBlockView(
              inner,
              defs.flatMap((d) => nestedDefinitions(d.blocks, name)),
              `${at}.${name}`,
            )
          : inner;
      },
      (name) => unknown(`${at}.${name} is known only after apply`),
    );
  });
}

/** The definitions of nested blocks of `type` in a top-level block, for nestedBlockView. */
export function nestedBlockDefinitions(block: ParsedBlock, type: string): ParsedBlock[] {
  return nestedDefinitions(block.blocks, type);
}
