import { childrenOf as children, decline, elements, namedOf as named, type Node } from './tree-sitter.js';

/**
 * tree-sitter's syntax tree of a `.tf` file → the JSON hcl2json gives for it: blocks nested under their type and
 * labels (every occurrence of the same type and labels in one array, in source order), literal values as JSON, string
 * templates as their text with the literal parts decoded, and every other expression as `"${<its source text>}"`, for
 * the expression parser. What hcl2json would reject, or might render differently, is declined (see tree-sitter.ts).
 */

/** The first named child, or why the tree is not as expected. */
function only(n: Node): Node {
  return named(n)[0] ?? decline(`empty ${n.type}`);
}

/** A quoted string's literal text as hcl2json writes it: escapes decoded except `$${` and `%%{`, which stay as written. */
export function decodeQuoted(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[i + 1];
    if (e === undefined) decline('a backslash ends the string');
    i++;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case 'u':
      case 'U': {
        const width = e === 'u' ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + width);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) decline('a malformed unicode escape');
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) decline('an escape outside Unicode');
        out += String.fromCodePoint(cp);
        i += width;
        break;
      }
      default:
        // HCL rejects any other escape; hcl2json reports it.
        decline(`the escape \\${e}`);
    }
  }
  return out;
}

/**
 * A quoted or heredoc template as hcl2json writes it: a string that is one interpolation and nothing else is that
 * expression's own value; otherwise literal parts are decoded (heredocs take them as written) and each interpolation
 * becomes its string form (`stringPart`). A flush heredoc (`<<-`) loses the indentation common to its lines.
 */
function template(node: Node, text: string): unknown {
  const parts = children(node);
  const heredoc = node.type === 'heredoc_template';
  let from: number;
  let end: number;
  if (heredoc) {
    const ids = parts.filter((c) => c.type === 'heredoc_identifier');
    if (ids.length !== 2) decline('a heredoc without its closing marker');
    const open = text.indexOf('\n', ids[0]!.endIndex);
    if (open < 0 || open >= ids[1]!.startIndex) decline('a heredoc whose content starts on its marker line');
    from = open + 1;
    end = text.lastIndexOf('\n', ids[1]!.startIndex - 1) + 1;
    // The closing marker stands alone on its line, indented at most.
    if (!/^[ \t]*$/.test(text.slice(end, ids[1]!.startIndex))) decline('a heredoc closing marker after text');
    if (end < from) end = from;
  } else {
    const start = parts.find((c) => c.type === 'quoted_template_start') ?? decline('a template without its opening quote');
    const close = parts.find((c) => c.type === 'quoted_template_end') ?? decline('a template without its closing quote');
    from = start.endIndex;
    end = close.startIndex;
  }
  const pieces = parts.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
  if (pieces.some((c) => c.type === 'template_directive')) decline('a template directive');
  if (!heredoc && pieces.length === 1 && pieces[0]!.startIndex === from && pieces[0]!.endIndex === end) {
    // `"${x}"`: hcl2json gives x's own value.
    return value(interpolated(pieces[0]!), text);
  }
  let out = '';
  for (const c of pieces) {
    const lit = text.slice(from, c.startIndex);
    out += heredoc ? lit : decodeQuotedLine(lit);
    out += stringPart(interpolated(c), text);
    from = c.endIndex;
  }
  const tail = text.slice(from, end);
  out += heredoc ? tail : decodeQuotedLine(tail);
  if (heredoc && parts.some((c) => c.type === 'heredoc_start' && c.text === '<<-')) {
    if (pieces.length) decline('a flush heredoc with interpolations');
    const lines = out.split('\n');
    const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
    const indent = indents.length ? Math.min(...indents) : 0;
    out = lines.map((l) => l.slice(Math.min(indent, /^[ \t]*/.exec(l)![0].length))).join('\n');
  }
  return out;
}

/** The expression inside `${…}`; strip markers are declined. */
function interpolated(c: Node): Node {
  if (named(c).some((x) => x.type === 'strip_marker')) decline('a strip marker');
  return named(c).find((x) => x.type === 'expression') ?? decline('an empty interpolation');
}

/** A quoted string cannot hold a line break of its own (HCL reports it); an escaped one is fine. */
function decodeQuotedLine(raw: string): string {
  if (raw.includes('\n') || raw.includes('\r')) decline('a line break inside a quoted string');
  return decodeQuoted(raw);
}

/** The one term of an expression that is nothing more (no operator, traversal or parentheses around it). */
function soleTerm(expr: Node): Node | undefined {
  const cs = children(expr);
  return cs.length === 1 ? cs[0] : undefined;
}

/** `"${" + source + "}"`, as hcl2json wraps what it does not convert; its one quirk (a `)` after the range) is declined. */
function wrap(expr: Node, text: string): string {
  if (text[expr.endIndex] === ')') decline('a closing parenthesis right after an expression');
  return `\${${expr.text}}`;
}

/** A number as cty writes it as a string: only whole numbers are taken. */
function numberText(lit: Node): string {
  if (!/^[0-9]+$/.test(lit.text)) decline(`the number ${lit.text} in a string`);
  return BigInt(lit.text).toString();
}

/** An interpolation's string form in hcl2json's JSON: literals and nested templates by value, the rest wrapped. */
function stringPart(expr: Node, text: string): string {
  const term = soleTerm(expr);
  if (term?.type === 'literal_value') {
    const lit = only(term);
    if (lit.type === 'numeric_lit') return numberText(lit);
    if (lit.type === 'bool_lit') return lit.text;
    if (lit.type === 'string_lit') return String(template(lit, text));
    return decline(`the literal ${lit.type} in a string`);
  }
  if (term?.type === 'template_expr') {
    const t = only(term);
    const pieces = children(t).filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
    const inner = children(t).filter((c) => c.type === 'template_literal' || pieces.includes(c));
    // `${"${x}"}` is x's string form; any other template is its text.
    if (t.type === 'quoted_template' && pieces.length === 1 && inner.length === 1) return stringPart(interpolated(pieces[0]!), text);
    const v = template(t, text);
    return typeof v === 'string' ? v : decline('a template that is not a string');
  }
  if (term?.type === 'conditional') return decline('a conditional in a string');
  return wrap(expr, text);
}

/** One attribute value, tuple element or object value, as hcl2json writes it. */
function value(expr: Node, text: string): unknown {
  const n = soleTerm(expr);
  switch (n?.type) {
    case 'literal_value': {
      const lit = only(n);
      if (lit.type === 'numeric_lit') {
        const v = Number(lit.text);
        return Number.isFinite(v) ? v : decline(`the number ${lit.text}`);
      }
      if (lit.type === 'bool_lit') return lit.text === 'true';
      if (lit.type === 'null_lit') return null;
      if (lit.type === 'string_lit') return template(lit, text);
      return decline(`the literal ${lit.type}`);
    }
    case 'template_expr':
      return template(only(n), text);
    case 'operation': {
      const op = only(n);
      const cs = children(op);
      // A sign or negation before a literal is folded into it.
      if (op.type === 'unary_operation' && cs.length === 2 && cs[1]!.type === 'literal_value') {
        const lit = only(cs[1]!);
        if (cs[0]!.type === '-' && lit.type === 'numeric_lit') return -Number(lit.text);
        if (cs[0]!.type === '!' && lit.type === 'bool_lit') return lit.text !== 'true';
        return decline('an operator on a literal of another type');
      }
      return wrap(expr, text);
    }
    case 'collection_value': {
      const c = only(n);
      if (c.type === 'tuple') return elements(c, 'expression').map((e) => value(e, text));
      if (c.type !== 'object') return decline(`the collection ${c.type}`);
      const obj: Record<string, unknown> = {};
      for (const elem of elements(c, 'object_elem')) {
        const [k, v] = named(elem);
        if (!k || !v) return decline('an object element without key or value');
        const key = objectKey(k, text);
        if (Object.prototype.hasOwnProperty.call(obj, key)) decline('a key given twice');
        Object.defineProperty(obj, key, { value: value(v, text), enumerable: true, writable: true, configurable: true });
      }
      // Its keys are put in hcl2json's order with the whole file's, by fileJson.
      return obj;
    }
    default:
      return wrap(expr, text);
  }
}

/** UTF-8 byte order, which is code point order: UTF-16 order differs from it only where surrogates are compared. */
function byUtf8(a: string, b: string): number {
  if (!/[\ud800-\uffff]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** hcl2json's objects are Go maps, written with their keys in byte order. */
function sortedKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj).sort(byUtf8);
  for (const k of keys) Object.defineProperty(out, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
  return out;
}

/** An object key: a name or a traversal as written, a literal or template by its string form, anything else wrapped. */
function objectKey(k: Node, text: string): string {
  const cs = children(k);
  if (cs.length >= 1 && cs[0]!.type === 'variable_expr' && cs.slice(1).every((c) => c.type === 'get_attr')) return k.text;
  return stringPart(k, text);
}

function block(item: Node, text: string, into: Record<string, unknown>): void {
  const parts = named(item);
  const type = parts[0]?.text ?? decline('a block without a type');
  const labels: string[] = [];
  for (const p of parts.slice(1)) {
    if (p.type === 'identifier') labels.push(p.text);
    else if (p.type === 'string_lit') {
      const label = template(p, text);
      if (typeof label !== 'string' || label.includes('${') || label.includes('%{')) return decline('a block label with a template sequence');
      labels.push(label);
    }
  }
  const body = parts.find((p) => p.type === 'body');
  const open = parts.find((p) => p.type === 'block_start');
  const close = parts.find((p) => p.type === 'block_end');
  if (!open || !close) return decline('a block without braces');
  // A block's type, labels and opening brace stand on one line.
  if (parts.some((p) => p.startIndex < open.startIndex && p.startPosition.row !== open.startPosition.row)) decline('a block header over several lines');
  if (body) {
    const items = named(body);
    const single = open.startPosition.row === close.startPosition.row;
    // A block on one line holds one attribute at most; otherwise its content starts and ends on lines of its own.
    if (single && (items.length > 1 || items[0]?.type !== 'attribute')) decline('a one-line block with more than one attribute');
    if (!single && (items[0]!.startPosition.row === open.endPosition.row || items.at(-1)!.endPosition.row === close.startPosition.row))
      decline('block content on the line of a brace');
  }
  const inner = bodyOf(body, text);
  let at: Record<string, unknown> = into;
  let key = type;
  for (const label of labels) {
    const next = Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
    if (Array.isArray(next)) decline('a block whose type or label is also a shorter block');
    const obj = (next as Record<string, unknown> | undefined) ?? {};
    if (next === undefined) Object.defineProperty(at, key, { value: obj, enumerable: true, writable: true, configurable: true });
    at = obj;
    key = label;
  }
  const existing = Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
  if (existing !== undefined && !Array.isArray(existing)) decline('a block whose type or label is also a longer block');
  const list = (existing as unknown[] | undefined) ?? [];
  if (existing === undefined) Object.defineProperty(at, key, { value: list, enumerable: true, writable: true, configurable: true });
  list.push(inner);
}

const OPEN = new Set(['(', '[', '{', 'tuple_start', 'object_start', 'block_start']);
const CLOSE = new Set([')', ']', '}', 'tuple_end', 'object_end', 'block_end']);
/** Read as one piece: their own lines are theirs (a heredoc's text; a template's interpolations may break lines). */
const OPAQUE = new Set(['heredoc_template', 'quoted_template', 'string_lit']);

/**
 * HCL ends an attribute at the first line break outside brackets; tree-sitter's grammar reads line breaks as spaces.
 * An attribute over several lines is taken only when every break is inside brackets or a template.
 */
function onOneLine(attribute: Node): void {
  let row = attribute.startPosition.row;
  let depth = 0;
  const walk = (n: Node): void => {
    for (const c of children(n)) {
      if (depth > 0) {
        if (OPEN.has(c.type)) depth++;
        else if (CLOSE.has(c.type) && --depth === 0) row = c.endPosition.row;
        continue;
      }
      if (c.startPosition.row !== row) decline('an attribute that continues on another line');
      if (OPEN.has(c.type)) depth++;
      else if (OPAQUE.has(c.type) || c.childCount === 0) row = c.endPosition.row;
      else walk(c);
    }
  };
  walk(attribute);
}

function bodyOf(body: Node | undefined, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!body) return out;
  let previousEnd = -1;
  const attributes = new Set<string>();
  for (const item of named(body)) {
    // HCL ends every attribute and block with a newline.
    if (item.startPosition.row <= previousEnd) decline('two items on one line');
    previousEnd = item.endPosition.row;
    if (item.type === 'attribute') {
      const name = named(item)[0]?.text ?? decline('an attribute without a name');
      if (attributes.has(name) || Object.prototype.hasOwnProperty.call(out, name)) decline('an attribute given twice');
      attributes.add(name);
      const expr = named(item).find((c) => c.type === 'expression') ?? decline('an attribute without a value');
      if (item.startPosition.row !== item.endPosition.row) onOneLine(item);
      Object.defineProperty(out, name, { value: value(expr, text), enumerable: true, writable: true, configurable: true });
    } else if (item.type === 'block') {
      const type = named(item)[0]?.text;
      if (type !== undefined && attributes.has(type)) decline('a block named like an attribute');
      block(item, text, out);
    } else {
      decline(`the body item ${item.type}`);
    }
  }
  return out;
}

/** Every object of the JSON with its keys in hcl2json's order. */
function deepSorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepSorted);
  if (v === null || typeof v !== 'object') return v;
  const obj = v as Record<string, unknown>;
  const sorted = sortedKeys(obj);
  for (const k of Object.keys(sorted)) Object.defineProperty(sorted, k, { value: deepSorted(sorted[k]), enumerable: true, writable: true, configurable: true });
  return sorted;
}

/** The file's JSON as hcl2json gives it; throws Declined for anything it does not mirror. */
export function fileJson(root: Node, text: string): Record<string, unknown> {
  for (const n of root.descendantsOfType(['object_elem', 'object'])) {
    if (!n) continue;
    // An object's elements end at line breaks as attributes do, and are separated by a comma or a line break.
    if (n.type === 'object') elements(n, 'object_elem');
    else if (n.startPosition.row !== n.endPosition.row) onOneLine(n);
  }
  const top = named(root);
  if (top.length === 0) return {};
  if (top.length !== 1 || top[0]!.type !== 'body') return decline('a file that is not a body');
  return deepSorted(bodyOf(top[0], text)) as Record<string, unknown>;
}
