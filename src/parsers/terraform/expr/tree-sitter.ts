import { decodeQuoted } from '../load/hcl-json.js';
import { childrenOf as kids, decline, elements, namedOf as named, withTree, type Node } from '../load/tree-sitter.js';
import type { Parser } from 'web-tree-sitter';
import type { BinaryOp, Expr, Step } from './ast.js';
import { templateOf } from './convert.js';
import { decodeLiteral, type TemplateMode } from './template-text.js';

/**
 * tree-sitter's syntax tree of one template string → the expression `Converter` builds from hcl2json's syntax tree of
 * the same string (see parse.ts: the string is read as the body of a heredoc). It mirrors HCL's own parser where
 * tree-sitter's grammar differs: traversals collect static steps (`.name`, `[0]`, `["key"]`) and a computed index
 * starts an index expression; a splat's `each` is the traversal after it; `a ? b : c ? d : e` nests to the right.
 * Template directives, strip markers and nested heredocs are declined (hcl2json reads them), as is anything else this
 * does not mirror exactly.
 */

const BINARY_OPS: Record<string, BinaryOp> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '&&': '&&',
  '||': '||',
};

/** The wrapper parse.ts gives hcl2json: the string as a heredoc's body. */
export function templateFromTree(parser: Parser, source: string): Expr | undefined {
  if (source.includes('\r')) return undefined;
  return withTree(parser, `x = ${source}`, (root, text) => {
    const body = named(root)[0];
    const attr = body && named(body)[0];
    const value = attr && named(attr).find((c) => c.type === 'expression');
    const tpl = value && named(value)[0];
    const heredoc = tpl?.type === 'template_expr' ? named(tpl)[0] : undefined;
    if (!heredoc || heredoc.type !== 'heredoc_template' || named(body).length !== 1) return decline('not one heredoc');
    return new TreeConverter(text).template(heredoc, 'heredoc', true);
  });
}

class TreeConverter {
  constructor(private readonly text: string) {}

  expression(n: Node): Expr {
    if (n.type !== 'expression') return decline(`expected an expression, found ${n.type}`);
    const cs = kids(n);
    if (cs.length === 1 && cs[0]!.type === 'conditional') return this.conditional(cs[0]!);
    return this.term(cs);
  }

  /**
   * `a ? b : c ? d : e` is `a ? b : (c ? d : e)` in HCL; tree-sitter's grammar nests it to the left,
   * `((a ? b : c) ? d : e)`. The chain is read back as [a, b, c, d, e] and nested to the right.
   */
  private conditional(n: Node): Expr {
    const chain = this.chain(n);
    let out = this.expression(chain[chain.length - 1]!);
    for (let i = chain.length - 3; i >= 0; i -= 2) out = { k: 'cond', condition: this.expression(chain[i]!), then: this.expression(chain[i + 1]!), else: out };
    return out;
  }

  private chain(n: Node): Node[] {
    const parts = named(n);
    if (parts.length !== 3) return decline('a malformed conditional');
    const [cond, then, otherwise] = parts as [Node, Node, Node];
    const condKids = kids(cond);
    if (condKids.length === 1 && condKids[0]!.type === 'conditional') return [...this.chain(condKids[0]!), then, otherwise];
    return [cond, then, otherwise];
  }

  /** A term and the traversal, index and splat operators after it (tree-sitter lists them flat). */
  private term(cs: Node[]): Expr {
    const first = cs[0] ?? decline('an empty expression');
    let i = 1;
    let base: Expr;
    let scope: { root: string; steps: Step[] } | undefined;
    if (first.type === '(') {
      const inner = cs[1];
      if (!inner || inner.type !== 'expression' || cs[2]?.type !== ')') return decline('unbalanced parentheses');
      base = this.expression(inner);
      i = 3;
    } else if (first.type === 'variable_expr') {
      scope = { root: first.text, steps: [] };
      base = { k: 'trav', root: first.text, steps: [] };
    } else {
      base = this.primary(first);
    }
    let current: Expr = base;
    let relative: Step[] | undefined;
    const flush = () => {
      if (scope) current = { k: 'trav', root: scope.root, steps: scope.steps };
      else if (relative && relative.length) current = { k: 'rel', source: current, steps: relative };
      scope = undefined;
      relative = undefined;
    };
    const addStep = (step: Step) => {
      if (scope) scope.steps.push(step);
      else (relative ??= []).push(step);
    };
    for (; i < cs.length; i++) {
      const op = cs[i]!;
      if (op.type === 'get_attr') addStep({ t: 'attr', name: named(op)[0]?.text ?? decline('an attribute without a name') });
      else if (op.type === 'index') {
        const step = this.staticIndex(op);
        if (step) addStep(step);
        else {
          flush();
          current = { k: 'index', collection: current, key: this.expression(named(named(op)[0]!)[0] ?? decline('an empty index')) };
        }
      } else if (op.type === 'splat') {
        if (i !== cs.length - 1) decline('operators after a splat');
        flush();
        current = { k: 'splat', source: current, each: this.splatEach(op) };
      } else return decline(`the operator ${op.type}`);
    }
    flush();
    return current;
  }

  /** `[0]`, `["key"]` and `.0` are steps of a traversal; any other index is computed. */
  private staticIndex(op: Node): Step | undefined {
    const ix = named(op)[0] ?? decline('an empty index');
    if (ix.type === 'legacy_index') return { t: 'index', key: Number(ix.text.slice(1)) };
    const expr = named(ix)[0];
    if (!expr || kids(expr).length !== 1 || kids(expr)[0]!.type !== 'literal_value') return undefined;
    const lit = named(kids(expr)[0]!)[0] ?? decline('an empty literal');
    if (lit.type === 'numeric_lit') return { t: 'index', key: this.number(lit) };
    if (lit.type === 'string_lit') {
      const raw = this.quotedRaw(lit);
      if (/[\\"$%]/.test(raw) || !/^[\x20-\x7e]*$/.test(raw)) decline('an index key with escapes or special characters');
      return { t: 'index', key: Number.isNaN(Number(raw)) ? raw : Number(raw) };
    }
    return decline(`an index by ${lit.type}`);
  }

  private splatEach(op: Node): Expr {
    const splat = named(op)[0] ?? decline('an empty splat');
    const steps = named(splat);
    if (splat.type === 'attr_splat' && steps.some((s) => s.type === 'index')) decline('an index after an attribute splat');
    if (steps.length === 0) return { k: 'anon' };
    const rel: Step[] = [];
    let current: Expr = { k: 'anon' };
    for (const s of steps) {
      if (s.type === 'get_attr') rel.push({ t: 'attr', name: named(s)[0]?.text ?? decline('an attribute without a name') });
      else {
        const step = this.staticIndex(s);
        if (!step) return decline('a computed index inside a splat');
        rel.push(step);
      }
    }
    current = { k: 'rel', source: current, steps: rel };
    return current;
  }

  private number(lit: Node): number {
    if (!/^[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?)?$/.test(lit.text)) decline(`the number ${lit.text}`);
    const n = Number(lit.text);
    return Number.isFinite(n) ? n : decline(`the number ${lit.text}`);
  }

  /** The source text between a quoted string's quotes. */
  private quotedRaw(n: Node): string {
    const parts = kids(n);
    const start = parts.find((c) => c.type === 'quoted_template_start');
    const end = parts.find((c) => c.type === 'quoted_template_end');
    if (!start || !end) return decline('a string without quotes');
    return this.text.slice(start.endIndex, end.startIndex);
  }

  private primary(n: Node): Expr {
    switch (n.type) {
      case 'literal_value': {
        const lit = named(n)[0] ?? decline('an empty literal');
        if (lit.type === 'numeric_lit') return { k: 'lit', v: this.number(lit) };
        if (lit.type === 'bool_lit') return { k: 'lit', v: lit.text === 'true' };
        if (lit.type === 'null_lit') return { k: 'lit', v: null };
        if (lit.type === 'string_lit') return this.template(lit, 'quoted');
        return decline(`the literal ${lit.type}`);
      }
      case 'template_expr': {
        const t = named(n)[0] ?? decline('an empty template');
        if (t.type !== 'quoted_template') return decline('a heredoc inside an expression');
        return this.template(t, 'quoted');
      }
      case 'collection_value': {
        const c = named(n)[0] ?? decline('an empty collection');
        if (c.type === 'tuple') return { k: 'tuple', items: elements(c, 'expression').map((e) => this.expression(e)) };
        if (c.type === 'object') return this.object(c);
        return decline(`the collection ${c.type}`);
      }
      case 'function_call': {
        const name = named(n)[0]?.text ?? decline('a call without a name');
        const args = named(n).find((c) => c.type === 'function_arguments');
        const list = args ? named(args) : [];
        const expand = list.some((c) => c.type === 'ellipsis');
        return { k: 'call', name, args: list.filter((c) => c.type === 'expression').map((e) => this.expression(e)), expand };
      }
      case 'for_expr':
        return this.forExpr(named(n)[0] ?? decline('an empty for expression'));
      case 'operation':
        return this.operation(named(n)[0] ?? decline('an empty operation'));
      default:
        return decline(`the expression ${n.type}`);
    }
  }

  private operation(n: Node): Expr {
    const cs = kids(n);
    if (n.type === 'unary_operation') {
      const op = cs[0]?.type;
      if (op !== '-' && op !== '!') return decline(`the operator ${op}`);
      return { k: 'unary', op, operand: this.term(cs.slice(1)) };
    }
    if (n.type !== 'binary_operation') return decline(`the operation ${n.type}`);
    const at = cs.findIndex((c, i) => i > 0 && !c.isNamed && c.type in BINARY_OPS);
    if (at < 0) return decline('a binary operation without its operator');
    return { k: 'binary', op: BINARY_OPS[cs[at]!.type]!, left: this.term(cs.slice(0, at)), right: this.term(cs.slice(at + 1)) };
  }

  private object(n: Node): Expr {
    const items: Array<{ key: Expr; value: Expr }> = [];
    for (const elem of elements(n, 'object_elem')) {
      const [k, v] = named(elem);
      if (!k || !v) return decline('an object element without key or value');
      const kc = kids(k);
      // A bare name is the key itself, never a variable: `{ vpc_id = … }`.
      const key: Expr = kc.length === 1 && kc[0]!.type === 'variable_expr' ? { k: 'lit', v: kc[0]!.text } : this.expression(k);
      items.push({ key, value: this.expression(v) });
    }
    return { k: 'object', items };
  }

  private forExpr(n: Node): Expr {
    const parts = named(n);
    const intro = parts.find((p) => p.type === 'for_intro') ?? decline('a for expression without its intro');
    const names = named(intro).filter((p) => p.type === 'identifier');
    const collectionNode = named(intro).find((p) => p.type === 'expression') ?? decline('a for expression without a collection');
    const exprs = parts.filter((p) => p.type === 'expression');
    const condNode = parts.find((p) => p.type === 'for_cond');
    const group = parts.some((p) => p.type === 'ellipsis');
    const isObject = n.type === 'for_object_expr';
    if (names.length < 1 || names.length > 2 || exprs.length !== (isObject ? 2 : 1)) return decline('a malformed for expression');
    const keyVar = names.length === 2 ? names[0]!.text : '';
    const cond = condNode ? this.expression(named(condNode)[0] ?? decline('an empty if')) : undefined;
    const collection = this.expression(collectionNode);
    const key = isObject ? this.expression(exprs[0]!) : undefined;
    const value = this.expression(exprs[isObject ? 1 : 0]!);
    return {
      k: 'for',
      ...(keyVar ? { keyVar } : {}),
      valVar: names[names.length - 1]!.text,
      collection,
      ...(key ? { key } : {}),
      value,
      ...(cond ? { cond } : {}),
      group,
    };
  }

  /** A quoted template or the wrapper heredoc, as Converter.template builds it. */
  template(n: Node, mode: TemplateMode, dropFinalNewline = false): Expr {
    const cs = kids(n);
    let from: number;
    let end: number;
    if (mode === 'heredoc') {
      const ids = cs.filter((c) => c.type === 'heredoc_identifier');
      if (ids.length !== 2 || cs.some((c) => c.type === 'heredoc_start' && c.text !== '<<')) return decline('an unexpected heredoc');
      const open = this.text.indexOf('\n', ids[0]!.endIndex);
      if (open < 0 || open >= ids[1]!.startIndex) return decline('a heredoc without content');
      from = open + 1;
      end = this.text.lastIndexOf('\n', ids[1]!.startIndex - 1) + 1;
      if (!/^[ \t]*$/.test(this.text.slice(end, ids[1]!.startIndex)) || end < from) return decline('an unexpected heredoc end');
    } else {
      const start = cs.find((c) => c.type === 'quoted_template_start');
      const close = cs.find((c) => c.type === 'quoted_template_end');
      if (!start || !close) return decline('a string without quotes');
      from = start.endIndex;
      end = close.startIndex;
    }
    const parts: Expr[] = [];
    const literal = (raw: string) => {
      if (mode === 'quoted' && (raw.includes('\n') || raw.includes('\r'))) decline('a line break inside a quoted string');
      if (mode === 'quoted' && raw.includes('\\')) decodeQuoted(raw); // declines the escapes HCL rejects
      parts.push({ k: 'lit', v: decodeLiteral(raw, mode) });
    };
    let interpolations = 0;
    for (const c of cs) {
      if (c.type === 'template_directive') return decline('a template directive');
      if (c.type !== 'template_interpolation') continue;
      if (named(c).some((x) => x.type === 'strip_marker')) return decline('a strip marker');
      const expr = named(c).find((x) => x.type === 'expression') ?? decline('an empty interpolation');
      if (c.startIndex > from) literal(this.text.slice(from, c.startIndex));
      parts.push(this.expression(expr));
      interpolations++;
      from = c.endIndex;
    }
    if (end > from) {
      let tail = this.text.slice(from, end);
      if (dropFinalNewline && tail.endsWith('\n')) tail = tail.slice(0, -1);
      literal(tail);
    }
    // A quoted string that is one interpolation and nothing else yields the interpolated value itself.
    if (mode === 'quoted' && interpolations === 1 && parts.length === 1) return parts[0]!;
    return templateOf(parts);
  }
}
