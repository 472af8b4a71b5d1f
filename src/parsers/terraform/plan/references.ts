import { isJsonObject, type Json } from '../../../source/json-tree.js';
import { parseQuoted } from './document.js';

/**
 * The `references` of an expression representation. Terraform lists every reference in the expression and, after
 * each, the shorter traversals it implies (`aws_vpc.main.id`, `aws_vpc.main`; `aws_subnet.a[0].id`, `aws_subnet.a[0]`,
 * `aws_subnet.a`). A computed index is not a traversal step, so `aws_subnet.a[count.index].id` is listed as
 * `aws_subnet.a` and `count.index`: the attribute after the index is not recorded. Terraform 0.12 lists only the
 * referenced object (`aws_vpc.main` for `aws_vpc.main.id`). A listing that keeps the computed index in the traversal
 * (`aws_subnet.a[count.index].id`, `aws_subnet.a`, `count.index`) is read as well: the index is then a symbol.
 */

/** A computed index written as one of the instance's own keys. */
export type IndexSymbol = 'count.index' | 'each.key' | 'each.value';

export type RefStep = { attr: string } | { key: number | string } | { symbol: IndexSymbol };

export type Subject =
  | { kind: 'resource'; mode: 'managed' | 'data'; type: string; name: string; key: number | string | undefined; symbol?: IndexSymbol; rest: RefStep[] }
  | { kind: 'module'; name: string; key: number | string | undefined; rest: RefStep[] }
  | { kind: 'var' | 'local'; name: string; rest: RefStep[] }
  | { kind: 'count'; rest: RefStep[] }
  | { kind: 'each'; rest: RefStep[] }
  | { kind: 'path' | 'terraform' | 'self' | 'other'; rest: RefStep[] };

export interface Reference {
  text: string;
  subject: Subject;
}

/** An expression representation: `constant_value` when it references nothing, else `references`. */
export interface ExpressionRep {
  hasConstant: boolean;
  constant: Json | undefined;
  references: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

export function asExpression(v: Json | undefined): ExpressionRep | undefined {
  if (!isJsonObject(v)) return undefined;
  const keys = Object.keys(v);
  if (!keys.every((k) => k === 'constant_value' || k === 'references')) return undefined;
  const refs = v['references'];
  return {
    hasConstant: Object.prototype.hasOwnProperty.call(v, 'constant_value'),
    constant: v['constant_value'],
    references: Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [],
  };
}

function parseSteps(text: string): { root: string; steps: RefStep[] } | undefined {
  IDENT.lastIndex = 0;
  const first = IDENT.exec(text);
  if (!first) return undefined;
  let pos = IDENT.lastIndex;
  const steps: RefStep[] = [];
  while (pos < text.length) {
    const c = text[pos];
    if (c === '.') {
      IDENT.lastIndex = pos + 1;
      const m = IDENT.exec(text);
      if (!m) return undefined;
      steps.push({ attr: m[0] });
      pos = IDENT.lastIndex;
    } else if (c === '[') {
      const num = /^\[(\d+)\]/.exec(text.slice(pos));
      if (num) {
        steps.push({ key: Number(num[1]) });
        pos += num[0].length;
        continue;
      }
      const symbol = /^\[(count\.index|each\.key|each\.value)\]/.exec(text.slice(pos));
      if (symbol) {
        steps.push({ symbol: symbol[1] as IndexSymbol });
        pos += symbol[0].length;
        continue;
      }
      const str = /^\[("(?:[^"\\]|\\.)*")\]/.exec(text.slice(pos));
      if (!str) return undefined;
      steps.push({ key: parseQuoted(str[1]!) });
      pos += str[0].length;
    } else return undefined;
  }
  return { root: first[0], steps };
}

const attrName = (s: RefStep | undefined): string | undefined => (s && 'attr' in s ? s.attr : undefined);
const keyOf = (s: RefStep | undefined): number | string | undefined => (s && 'key' in s ? s.key : undefined);
const symbolOf = (s: RefStep | undefined): IndexSymbol | undefined => (s && 'symbol' in s ? s.symbol : undefined);

function resourceSubject(mode: 'managed' | 'data', type: string, name: string, steps: RefStep[]): Subject {
  const key = keyOf(steps[0]);
  const symbol = symbolOf(steps[0]);
  const rest = steps.slice(key === undefined && symbol === undefined ? 0 : 1);
  return symbol ? { kind: 'resource', mode, type, name, key, symbol, rest } : { kind: 'resource', mode, type, name, key, rest };
}

export function parseReference(text: string): Reference | undefined {
  const parsed = parseSteps(text);
  if (!parsed) return undefined;
  const { root, steps } = parsed;
  const subject = ((): Subject | undefined => {
    switch (root) {
      case 'var':
      case 'local': {
        const name = attrName(steps[0]);
        return name ? { kind: root, name, rest: steps.slice(1) } : undefined;
      }
      case 'count':
      case 'each':
        return { kind: root, rest: steps };
      case 'path':
      case 'terraform':
      case 'self':
        return { kind: root, rest: steps };
      case 'module': {
        const name = attrName(steps[0]);
        if (!name) return undefined;
        const key = keyOf(steps[1]);
        return { kind: 'module', name, key, rest: steps.slice(key === undefined ? 1 : 2) };
      }
      case 'data': {
        const type = attrName(steps[0]);
        const name = attrName(steps[1]);
        if (!type || !name) return undefined;
        return resourceSubject('data', type, name, steps.slice(2));
      }
      default: {
        const name = attrName(steps[0]);
        if (!name) return { kind: 'other', rest: steps };
        return resourceSubject('managed', root, name, steps.slice(1));
      }
    }
  })();
  return subject ? { text, subject } : undefined;
}

function implies(head: string, candidate: string): boolean {
  if (!head.startsWith(candidate)) return false;
  const next = head[candidate.length];
  return next === undefined || next === '.' || next === '[';
}

/**
 * The references an expression makes, one per traversal written in it, without the shorter forms Terraform lists
 * after each. Unparseable entries are kept as `other` so that they still count.
 */
export function distinctReferences(references: string[]): Reference[] {
  const heads: string[] = [];
  let head: string | undefined;
  for (const r of references) {
    if (head !== undefined && implies(head, r)) continue;
    head = r;
    heads.push(r);
  }
  const seen = new Set<string>();
  const out: Reference[] = [];
  for (const h of heads) {
    if (seen.has(h)) continue;
    seen.add(h);
    out.push(parseReference(h) ?? { text: h, subject: { kind: 'other', rest: [] } });
  }
  return out;
}
