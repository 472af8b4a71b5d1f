import type { Expr } from './ast.js';

/**
 * Root traversals an expression reads, e.g. `[['var', 'azs'], ['aws_subnet', 'private', 'id']]`, in first-seen order
 * without duplicates. Index keys appear as their string form (`aws_subnet.private[0].id` → `['aws_subnet',
 * 'private', '0', 'id']`). Iterator names of enclosing `for` expressions are not references.
 */
export function references(expr: Expr): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const walk = (e: Expr, bound: ReadonlySet<string>): void => {
    switch (e.k) {
      case 'trav': {
        if (bound.has(e.root)) return;
        const path = [e.root, ...e.steps.map((s) => (s.t === 'attr' ? s.name : String(s.key)))];
        const key = JSON.stringify(path);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(path);
        }
        return;
      }
      case 'lit':
      case 'anon':
      case 'invalid':
        return;
      case 'tpl':
        e.parts.forEach((p) => walk(p, bound));
        return;
      case 'tuple':
        e.items.forEach((i) => walk(i, bound));
        return;
      case 'object':
        e.items.forEach((i) => {
          walk(i.key, bound);
          walk(i.value, bound);
        });
        return;
      case 'rel':
        walk(e.source, bound);
        return;
      case 'index':
        walk(e.collection, bound);
        walk(e.key, bound);
        return;
      case 'splat':
        walk(e.source, bound);
        walk(e.each, bound);
        return;
      case 'call':
        e.args.forEach((a) => walk(a, bound));
        return;
      case 'cond':
      case 'tif':
        walk(e.condition, bound);
        walk(e.then, bound);
        walk(e.else, bound);
        return;
      case 'unary':
        walk(e.operand, bound);
        return;
      case 'binary':
        walk(e.left, bound);
        walk(e.right, bound);
        return;
      case 'for':
      case 'tfor': {
        walk(e.collection, bound);
        const inner = new Set(bound);
        inner.add(e.valVar);
        if (e.keyVar) inner.add(e.keyVar);
        if (e.k === 'for') {
          if (e.key) walk(e.key, inner);
          walk(e.value, inner);
          if (e.cond) walk(e.cond, inner);
        } else walk(e.body, inner);
        return;
      }
    }
  };
  walk(expr, new Set());
  return out;
}
