import type { BinaryOp, Expr, Step } from './ast.js';
import { CODES } from './codes.js';
import { decodeLiteral, dedentFlush, stripFlags, trimLeftSpace, trimRightSpace, type TemplateMode } from './template-text.js';

/**
 * The subset of HashiCorp's syntax tree (`@cdktf/hcl2json` `getExpressionAst`) this converter reads. Node ranges are
 * reliable only for literals and object keys, so everything else is read from `children` and `meta`.
 */
export interface HclNode {
  type: string;
  meta?: Record<string, unknown>;
  children?: HclNode[];
  range?: { start: { byte: number }; end: { byte: number } };
}

const BINARY_OPS: Record<string, BinaryOp> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  modulo: '%',
  equal: '==',
  notEqual: '!=',
  lessThan: '<',
  lessThanOrEqual: '<=',
  greaterThan: '>',
  greaterThanOrEqual: '>=',
  logicalAnd: '&&',
  logicalOr: '||',
};

const invalid = (message: string): Expr => ({ k: 'invalid', code: CODES.unsupportedExpression, message });

function metaString(node: HclNode, key: string): string {
  const v = node.meta?.[key];
  return typeof v === 'string' ? v : '';
}

function kids(node: HclNode): HclNode[] {
  return node.children ?? [];
}

/**
 * A template from its parts: adjacent literal texts joined, empty ones dropped; a template of one literal is that
 * literal, and one of nothing the empty string.
 */
export function templateOf(parts: readonly Expr[]): Expr {
  const merged: Expr[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (p.k === 'lit' && typeof p.v === 'string') {
      if (p.v === '') continue;
      if (prev && prev.k === 'lit' && typeof prev.v === 'string') {
        merged[merged.length - 1] = { k: 'lit', v: prev.v + p.v };
        continue;
      }
    }
    merged.push(p);
  }
  if (merged.length === 0) return { k: 'lit', v: '' };
  if (merged.length === 1 && merged[0]!.k === 'lit') return merged[0]!;
  return { k: 'tpl', parts: merged };
}

export class Converter {
  constructor(private readonly buf: Buffer) {}

  /** The spaces and tabs between the start of a line and `byte`, if only those precede it on its line. */
  private indentBefore(byte: number): string | undefined {
    let i = byte;
    while (i > 0 && (this.buf[i - 1] === 0x20 || this.buf[i - 1] === 0x09)) i--;
    if (i > 0 && this.buf[i - 1] !== 0x0a) return undefined;
    return this.buf.subarray(i, byte).toString('latin1');
  }

  private source(node: HclNode): string {
    if (!node.range) return '';
    return this.buf.subarray(node.range.start.byte, node.range.end.byte).toString('utf8');
  }

  expr(node: HclNode): Expr {
    const children = kids(node);
    switch (node.type) {
      case 'templateWrap':
        return children[0] ? this.expr(children[0]) : invalid('Empty interpolation.');
      case 'template': {
        const value = metaString(node, 'value');
        const mode: TemplateMode = value.startsWith('<<-') ? 'flush' : value.startsWith('<<') ? 'heredoc' : 'quoted';
        return this.template(node, mode);
      }
      case 'literalValue':
        return this.literal(node, 'quoted');
      case 'tuple':
        return { k: 'tuple', items: children.map((c) => this.expr(c)) };
      case 'object':
        return this.object(node);
      case 'scopeTraversal': {
        const parts = this.steps(node);
        const first = parts[0];
        if (!first || first.t !== 'attr') return invalid(`Unsupported traversal "${metaString(node, 'value')}".`);
        return { k: 'trav', root: first.name, steps: parts.slice(1) };
      }
      case 'relativeTraversal':
        return children[0] ? { k: 'rel', source: this.expr(children[0]), steps: this.steps(node) } : invalid('Traversal without a source.');
      case 'index':
        if (children.length !== 2) return invalid('Malformed index expression.');
        return { k: 'index', collection: this.expr(children[0]!), key: this.expr(children[1]!) };
      case 'splat':
        if (children.length !== 2) return invalid('Malformed splat expression.');
        return { k: 'splat', source: this.expr(children[0]!), each: this.expr(children[1]!) };
      case 'function':
        return { k: 'call', name: metaString(node, 'name'), args: children.map((c) => this.expr(c)), expand: node.meta?.['expandedFinalArgument'] === true };
      case 'conditional':
        if (children.length !== 3) return invalid('Malformed conditional expression.');
        return { k: 'cond', condition: this.expr(children[0]!), then: this.expr(children[1]!), else: this.expr(children[2]!) };
      case 'unaryOp': {
        const op = metaString(node, 'operator');
        if (!children[0] || (op !== 'negate' && op !== 'logicalNot')) return invalid(`Unsupported operator "${op}".`);
        return { k: 'unary', op: op === 'negate' ? '-' : '!', operand: this.expr(children[0]) };
      }
      case 'binaryOp': {
        const op = BINARY_OPS[metaString(node, 'operator')];
        if (!op || children.length !== 2) return invalid(`Unsupported operator "${metaString(node, 'operator')}".`);
        return { k: 'binary', op, left: this.expr(children[0]!), right: this.expr(children[1]!) };
      }
      case 'for':
        return this.forExpr(node);
      case '':
        // Parentheses wrap one expression; an empty wrapper is the element placeholder of a splat.
        if (children.length === 1) return this.expr(children[0]!);
        if (children.length === 0) return { k: 'anon' };
        return invalid('Unexpected expression wrapper.');
      default:
        return invalid(`Expression kind "${node.type}" is not supported.`);
    }
  }

  private literal(node: HclNode, mode: TemplateMode): Expr {
    const raw = metaString(node, 'value');
    switch (metaString(node, 'type')) {
      case 'number': {
        const n = Number(raw);
        return Number.isFinite(n) ? { k: 'lit', v: n } : invalid(`Number literal "${raw}" is out of range.`);
      }
      case 'bool':
        return { k: 'lit', v: raw === 'true' };
      case 'string':
        return { k: 'lit', v: decodeLiteral(raw, mode) };
      default:
        return raw === 'null' ? { k: 'lit', v: null } : invalid(`Literal "${raw}" is not supported.`);
    }
  }

  private steps(node: HclNode): Step[] {
    const traversal = node.meta?.['traversal'];
    if (!Array.isArray(traversal)) return [];
    return traversal.map((p: { type?: string; segment?: string }): Step => {
      const segment = p.segment ?? '';
      if (p.type !== 'indexTraversal') return { t: 'attr', name: segment };
      if (segment.startsWith('"') && segment.endsWith('"') && segment.length >= 2) return { t: 'index', key: segment.slice(1, -1) };
      const n = Number(segment);
      return { t: 'index', key: Number.isNaN(n) ? segment : n };
    });
  }

  private object(node: HclNode): Expr {
    const children = kids(node);
    if (children.length % 2 !== 0) return invalid('Malformed object constructor.');
    const items: Array<{ key: Expr; value: Expr }> = [];
    for (let i = 0; i < children.length; i += 2) {
      const keyNode = children[i]!;
      const inner = kids(keyNode);
      // A bare identifier key is its own name, never a variable: `{ vpc_id = … }`.
      const key: Expr = keyNode.type === '' && inner.length === 0 ? { k: 'lit', v: this.source(keyNode) } : this.expr(inner.length === 1 ? inner[0]! : keyNode);
      items.push({ key, value: this.expr(children[i + 1]!) });
    }
    return { k: 'object', items };
  }

  private forExpr(node: HclNode): Expr {
    const children = kids(node);
    const hasKey = metaString(node, 'keyExpression') !== '';
    const hasCond = metaString(node, 'conditionalExpression') !== '';
    if (children.length !== 2 + (hasKey ? 1 : 0) + (hasCond ? 1 : 0)) return invalid('Malformed for expression.');
    let i = 0;
    const collection = this.expr(children[i++]!);
    const key = hasKey ? this.expr(children[i++]!) : undefined;
    const value = this.expr(children[i++]!);
    const cond = hasCond ? this.expr(children[i]!) : undefined;
    const keyVar = metaString(node, 'keyVar');
    return {
      k: 'for',
      ...(keyVar ? { keyVar } : {}),
      valVar: metaString(node, 'valVar'),
      collection,
      ...(key ? { key } : {}),
      value,
      ...(cond ? { cond } : {}),
      group: node.meta?.['groupedValue'] === true,
    };
  }

  /** A template and the directives inside it; `dropFinalNewline` undoes the heredoc used to parse a raw string. */
  template(node: HclNode, mode: TemplateMode, dropFinalNewline = false): Expr {
    const children = kids(node);
    const parts: Expr[] = [];
    const literalIdx: number[] = [];
    const atLineStart: boolean[] = [];
    children.forEach((child, i) => {
      if (child.type === 'literalValue' && metaString(child, 'type') === 'string') {
        let raw = metaString(child, 'value');
        if (dropFinalNewline && i === children.length - 1 && raw.endsWith('\n')) raw = raw.slice(0, -1);
        let lineStart = i === 0;
        if (mode === 'flush' && child.range) {
          // HCL has already cut the indentation of a flush heredoc's first line from the literal; restore it so
          // the common indentation can be measured over every line.
          const indent = this.indentBefore(child.range.start.byte);
          if (indent !== undefined) {
            raw = indent + raw;
            lineStart = true;
          }
        }
        let text = decodeLiteral(raw, mode);
        if (child.range) {
          const flags = stripFlags(this.buf, child.range.start.byte, child.range.end.byte);
          if (flags.left) text = trimLeftSpace(text);
          if (flags.right) text = trimRightSpace(text);
        }
        literalIdx.push(parts.length);
        atLineStart.push(lineStart);
        parts.push({ k: 'lit', v: text });
      } else if (child.type === 'conditional' && metaString(child, 'value').startsWith('%{')) {
        const c = kids(child);
        if (c.length !== 3) parts.push(invalid('Malformed template if directive.'));
        else parts.push({ k: 'tif', condition: this.expr(c[0]!), then: this.template(c[1]!, mode), else: this.template(c[2]!, mode) });
      } else if (child.type === 'templateJoin') {
        parts.push(this.templateFor(kids(child)[0], mode));
      } else {
        parts.push(this.expr(child));
      }
    });
    if (mode === 'flush' && literalIdx.length) {
      const texts = dedentFlush(
        literalIdx.map((i) => (parts[i] as { v: string }).v),
        atLineStart,
      );
      literalIdx.forEach((i, j) => (parts[i] = { k: 'lit', v: texts[j]! }));
    }
    return templateOf(parts);
  }

  private templateFor(node: HclNode | undefined, mode: TemplateMode): Expr {
    if (!node || node.type !== 'for' || kids(node).length !== 2) return invalid('Malformed template for directive.');
    const [collection, body] = kids(node) as [HclNode, HclNode];
    const keyVar = metaString(node, 'keyVar');
    return {
      k: 'tfor',
      ...(keyVar ? { keyVar } : {}),
      valVar: metaString(node, 'valVar'),
      collection: this.expr(collection),
      body: body.type === 'template' ? this.template(body, mode) : this.expr(body),
    };
  }
}
