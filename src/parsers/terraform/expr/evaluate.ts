import { internalReason } from '../../../source/internal-error.js';
import type { ConditionalExpr, Expr, ForExpr, Step, TemplateForExpr } from './ast.js';
import { CODES } from './codes.js';
import { evalCall } from './call.js';
import { binary, operandBool, unary } from './operators.js';
import { captured, childScope, dedupingReporter, diag, fail, type Env, type EvalContext, type Scope } from './scope.js';
import { applySteps, exprText, indexValue } from './traverse.js';
import { isObject, isRef, isUnknown, unknown, type Unknown, type Value, type ValueObject } from '../../../source/value.js';
import { getOwn, numberToString, refUnknown, setKey, sortedKeys, typeName, valuesEqual } from '../../../source/values.js';

/** Expression nesting beyond this is hostile input, not configuration. */
const MAX_DEPTH = 500;

/** Roots whose first attribute names a declaration: a missing one is an undeclared reference, not a bad attribute. */
const DECLARATION_ROOTS: Record<string, string> = { var: 'input variable', local: 'local value', module: 'module call', data: 'data source type' };
const BUILTIN_ROOTS = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'count', 'each', 'self']);

export function evaluate(expr: Expr, scope: Scope, ctx: EvalContext): Value {
  const env: Env = { scope, file: ctx.file, line: ctx.line, report: dedupingReporter(ctx.report), bound: new Set(), depth: { n: 0 } };
  try {
    return ev(expr, env);
  } catch (e) {
    // Evaluation is written not to throw; a stack overflow on hostile input still must not end the scan.
    env.report(diag(env, 'error', CODES.unsupportedExpression, `Expression could not be evaluated: ${internalReason(e)}.`));
    return unknown('the expression could not be evaluated');
  }
}

export function ev(expr: Expr, env: Env): Value {
  if (env.depth.n > MAX_DEPTH) return fail(env, CODES.unsupportedExpression, 'Expression is nested too deeply to evaluate.');
  env.depth.n++;
  try {
    return evNode(expr, env);
  } finally {
    env.depth.n--;
  }
}

function evNode(expr: Expr, env: Env): Value {
  switch (expr.k) {
    case 'lit':
      return expr.v;
    case 'tpl':
      return template(expr.parts, env);
    case 'tuple':
      return expr.items.map((item) => ev(item, env));
    case 'object':
      return objectCons(expr.items, env);
    case 'trav':
      return traversal(expr.root, expr.steps, env);
    case 'rel':
      return applySteps(ev(expr.source, env), expr.steps, exprText(expr.source), env);
    case 'index':
      return indexValue(ev(expr.collection, env), ev(expr.key, env), exprText(expr.collection), env);
    case 'splat':
      return splat(expr.source, expr.each, env);
    case 'anon':
      return env.anon ? env.anon.value : fail(env, CODES.unsupportedExpression, 'Splat placeholder used outside a splat expression.');
    case 'call':
      return evalCall(expr, env, ev);
    case 'cond':
      return conditional(expr, env);
    case 'unary':
      return unary(expr.op, ev(expr.operand, env), env);
    case 'binary':
      if (expr.op === '&&' || expr.op === '||') return logical(expr.op, expr.left, expr.right, env);
      return binary(expr.op, ev(expr.left, env), ev(expr.right, env), env);
    case 'for':
      return forExpr(expr, env);
    case 'tif': {
      const c = operandBool(ev(expr.condition, env), 'the condition of a template "if" directive', env);
      if (isUnknown(c)) return c;
      return template([c ? expr.then : expr.else], env);
    }
    case 'tfor':
      return templateFor(expr, env);
    case 'invalid':
      if (expr.code) return fail(env, expr.code, expr.message);
      return unknown(expr.message);
  }
}

function traversal(root: string, steps: Step[], env: Env): Value {
  const start = env.scope.lookup(root);
  if (start === undefined) {
    return fail(env, CODES.unresolved, `Reference to undeclared name "${root}": nothing with that name is declared or in scope here.`);
  }
  const first = steps[0];
  const kind = DECLARATION_ROOTS[root] ?? (BUILTIN_ROOTS.has(root) || env.bound.has(root) ? undefined : 'resource');
  if (!kind || first?.t !== 'attr' || !isObject(start)) return applySteps(start, steps, root, env);
  // Each attribute is read once: scopes compute them lazily and reading is not free.
  const declared = getOwn(start, first.name);
  if (declared === undefined)
    return fail(env, CODES.unresolved, `Reference to undeclared ${kind} "${kind === 'resource' ? `${root}.${first.name}` : first.name}".`);
  const second = steps[1];
  if (root === 'data' && second?.t === 'attr' && isObject(declared)) {
    const source = getOwn(declared, second.name);
    if (source === undefined) return fail(env, CODES.unresolved, `Reference to undeclared data source "data.${first.name}.${second.name}".`);
    return applySteps(source, steps.slice(2), `data.${first.name}.${second.name}`, env);
  }
  return applySteps(declared, steps.slice(1), `${root}.${first.name}`, env);
}

function objectCons(items: Array<{ key: Expr; value: Expr }>, env: Env): Value {
  const out: ValueObject = {};
  let pending: Unknown | undefined;
  for (const item of items) {
    const k = ev(item.key, env);
    const v = ev(item.value, env);
    const key = keyString(k, 'Object key', env);
    if (isUnknown(key)) {
      pending ??= key;
      continue;
    }
    setKey(out, key, v);
  }
  return pending ?? out;
}

/** Keys must be strings; numbers and bools convert as Terraform converts them. */
function keyString(k: Value, what: string, env: Env): string | Unknown {
  if (isUnknown(k)) return k;
  if (isRef(k)) return refUnknown(k);
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return numberToString(k);
  if (typeof k === 'boolean') return String(k);
  if (k === null) return fail(env, CODES.typeMismatch, `Invalid object key: ${what} must not be null.`);
  return fail(env, CODES.typeMismatch, `Invalid object key: ${what} must be a string, not a ${typeName(k)}.`);
}

/** The string an interpolation contributes, or why it cannot. */
function interpolate(v: Value, env: Env): string | Unknown {
  if (isUnknown(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null)
    return fail(
      env,
      CODES.typeMismatch,
      'Invalid template interpolation value: the expression result is null; a null value cannot be included in a string template.',
    );
  return fail(env, CODES.typeMismatch, `Invalid template interpolation value: a ${typeName(v)} cannot be included in a string template; a string is required.`);
}

/**
 * Concatenates parts. A reference string survives only when it is the whole result; inside a larger string its
 * content (a computed id) is needed and the result is Unknown.
 */
function joinPieces(pieces: Array<string | Unknown>): Value {
  let pending: Unknown | undefined;
  const texts: string[] = [];
  for (const p of pieces) {
    if (isUnknown(p)) pending ??= p;
    else if (p !== '') texts.push(p);
  }
  if (pending) return pending;
  if (texts.length === 1) return texts[0]!;
  const ref = texts.find(isRef);
  if (ref) return refUnknown(ref);
  return texts.join('');
}

function template(parts: Expr[], env: Env): Value {
  return joinPieces(parts.map((p) => (p.k === 'lit' && typeof p.v === 'string' ? p.v : interpolate(ev(p, env), env))));
}

/** Elements of a collection as (key, value) pairs: lists by index, maps and objects by sorted key. */
function iterate(coll: Value, what: string, env: Env): Array<[Value, Value]> | Unknown {
  if (isUnknown(coll)) return coll;
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return sortedKeys(coll).map((k) => [k, coll[k]!]);
  if (coll === null) return fail(env, CODES.typeMismatch, `Iteration over null value: the collection of ${what} is null.`);
  return fail(env, CODES.typeMismatch, `Iteration over non-iterable value: a ${typeName(coll)} cannot be the collection of ${what}.`);
}

function bindIterators(env: Env, keyVar: string | undefined, valVar: string, key: Value, value: Value): Env {
  const vars: Record<string, Value> = { [valVar]: value };
  if (keyVar) vars[keyVar] = key;
  const bound = new Set(env.bound);
  bound.add(valVar);
  if (keyVar) bound.add(keyVar);
  return { ...env, scope: childScope(env.scope, vars), bound };
}

function forExpr(e: ForExpr, env: Env): Value {
  const entries = iterate(ev(e.collection, env), "a 'for' expression", env);
  if (isUnknown(entries)) return entries;
  const list: Value[] = [];
  const obj: ValueObject = {};
  const groups = new Map<string, Value[]>();
  for (const [k, v] of entries) {
    const inner = bindIterators(env, e.keyVar, e.valVar, k, v);
    if (e.cond) {
      const c = ev(e.cond, inner);
      if (c === null) return fail(env, CODES.typeMismatch, "Invalid 'for' condition: the condition value is null.");
      const b = operandBool(c, "the condition of a 'for' expression", inner);
      // Which elements survive decides the shape of the result, so an unknown condition makes it all unknown.
      if (isUnknown(b)) return b;
      if (!b) continue;
    }
    if (!e.key) {
      list.push(ev(e.value, inner));
      continue;
    }
    const key = keyString(ev(e.key, inner), "The key of a 'for' expression", inner);
    if (isUnknown(key)) return key;
    const value = ev(e.value, inner);
    if (e.group) {
      const g = groups.get(key);
      if (g) g.push(value);
      else groups.set(key, [value]);
    } else if (Object.prototype.hasOwnProperty.call(obj, key)) {
      return fail(
        env,
        CODES.duplicateKey,
        `Duplicate object key: two elements produced the key ${JSON.stringify(key)} in this 'for' expression; add "..." after the value expression to group them.`,
      );
    } else setKey(obj, key, value);
  }
  if (!e.key) return list;
  for (const [k, g] of groups) setKey(obj, k, g);
  return obj;
}

function templateFor(e: TemplateForExpr, env: Env): Value {
  const entries = iterate(ev(e.collection, env), 'a template "for" directive', env);
  if (isUnknown(entries)) return entries;
  return joinPieces(entries.map(([k, v]) => interpolate(ev(e.body, bindIterators(env, e.keyVar, e.valVar, k, v)), env)));
}

function splat(source: Expr, each: Expr, env: Env): Value {
  const src = ev(source, env);
  if (isUnknown(src)) return src;
  if (src === null) return [];
  // A single value is treated as a one-element list, which makes `var.maybe_object[*].id` work.
  const elements = Array.isArray(src) ? src : [src];
  return elements.map((value) => ev(each, { ...env, anon: { value } }));
}

function conditional(e: ConditionalExpr, env: Env): Value {
  const c = ev(e.condition, env);
  if (isUnknown(c)) {
    // Still known when both results agree; the branches' own errors do not matter for that decision.
    const a = captured(env, (inner) => ev(e.then, inner)).value;
    const b = captured(env, (inner) => ev(e.else, inner)).value;
    return valuesEqual(a, b) === true ? a : c;
  }
  if (c === null) return fail(env, CODES.typeMismatch, 'Null condition: the condition value is null; conditions must be true or false.');
  const b = operandBool(c, 'the condition of a conditional expression', env);
  if (isUnknown(b)) return b;
  const chosen = ev(b ? e.then : e.else, env);
  // Both results share one type: with a string on the other side, a number or bool result becomes a string.
  const other = b ? e.else : e.then;
  const otherIsString = (other.k === 'lit' && typeof other.v === 'string') || other.k === 'tpl';
  if (otherIsString && (typeof chosen === 'number' || typeof chosen === 'boolean')) return typeof chosen === 'number' ? numberToString(chosen) : String(chosen);
  return chosen;
}

/**
 * `&&` and `||` as HCL evaluates them since boolean short-circuiting: when one side alone decides the result,
 * the other side's errors and unknowns do not matter.
 */
function logical(op: '&&' | '||', left: Expr, right: Expr, env: Env): Value {
  const decisive = op === '||';
  const l = captured(env, (inner) => operandBool(ev(left, inner), `the left operand of "${op}"`, inner));
  if (l.value === decisive) {
    l.diagnostics.forEach(env.report);
    return decisive;
  }
  const r = captured(env, (inner) => operandBool(ev(right, inner), `the right operand of "${op}"`, inner));
  if (r.value === decisive) {
    r.diagnostics.forEach(env.report);
    return decisive;
  }
  l.diagnostics.forEach(env.report);
  r.diagnostics.forEach(env.report);
  if (isUnknown(l.value)) return l.value;
  if (isUnknown(r.value)) return r.value;
  return !decisive;
}
