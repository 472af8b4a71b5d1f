import type { Expr } from '../expr/ast.js';
import { isObject, isUnknown, type Value, type ValueObject } from '../../../source/value.js';

/**
 * A variable's `type` constraint, read from its expression. Terraform converts every value given to a variable (and
 * its default) to this type: object attributes the type does not declare are dropped, `optional` attributes that are
 * missing become null or their default, and primitive values convert between string, number and bool.
 * https://developer.hashicorp.com/terraform/language/expressions/type-constraints
 */
export type TypeConstraint =
  | { k: 'any' }
  | { k: 'string' | 'number' | 'bool' }
  | { k: 'list' | 'set' | 'map'; elem: TypeConstraint }
  | { k: 'tuple'; elems: TypeConstraint[] }
  | { k: 'object'; attrs: Map<string, { type: TypeConstraint; optional: boolean; default?: Expr }> };

const ANY: TypeConstraint = { k: 'any' };

/** The constraint an expression spells, or undefined when it is not a type expression this reader understands. */
export function parseTypeConstraint(expr: Expr): TypeConstraint | undefined {
  if (expr.k === 'trav' && expr.steps.length === 0) {
    switch (expr.root) {
      case 'string':
      case 'number':
      case 'bool':
        return { k: expr.root };
      case 'any':
        return ANY;
      default:
        return undefined;
    }
  }
  // Terraform 0.11 quoted types: "string", "list", "map".
  if (expr.k === 'lit' && typeof expr.v === 'string') {
    if (expr.v === 'string') return { k: 'string' };
    if (expr.v === 'list') return { k: 'list', elem: ANY };
    if (expr.v === 'map') return { k: 'map', elem: ANY };
    return undefined;
  }
  if (expr.k !== 'call') return undefined;
  const [first] = expr.args;
  switch (expr.name) {
    case 'list':
    case 'set':
    case 'map': {
      const elem = first ? parseTypeConstraint(first) : undefined;
      return elem ? { k: expr.name, elem } : undefined;
    }
    case 'tuple': {
      if (!first || first.k !== 'tuple') return undefined;
      const elems = first.items.map(parseTypeConstraint);
      return elems.every((e): e is TypeConstraint => e !== undefined) ? { k: 'tuple', elems } : undefined;
    }
    case 'object': {
      if (!first || first.k !== 'object') return undefined;
      const attrs = new Map<string, { type: TypeConstraint; optional: boolean; default?: Expr }>();
      for (const item of first.items) {
        const name =
          item.key.k === 'trav' && item.key.steps.length === 0
            ? item.key.root
            : item.key.k === 'lit' && typeof item.key.v === 'string'
              ? item.key.v
              : undefined;
        if (name === undefined) return undefined;
        const v = item.value;
        if (v.k === 'call' && v.name === 'optional') {
          const type = v.args[0] ? parseTypeConstraint(v.args[0]) : undefined;
          if (!type) return undefined;
          attrs.set(name, v.args[1] ? { type, optional: true, default: v.args[1] } : { type, optional: true });
        } else {
          const type = parseTypeConstraint(v);
          if (!type) return undefined;
          attrs.set(name, { type, optional: false });
        }
      }
      return { k: 'object', attrs };
    }
    default:
      return undefined;
  }
}

/**
 * Converts a value to a constraint the way Terraform does for variables. Values that do not fit are returned as they
 * are (Terraform would reject them; the evaluator reports what it cannot use further on). `evaluateDefault` turns an
 * `optional(type, default)` default expression into a value.
 */
export function convertToType(value: Value, type: TypeConstraint, evaluateDefault: (e: Expr) => Value): Value {
  if (value === null || isUnknown(value)) return value;
  switch (type.k) {
    case 'any':
      return value;
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    case 'number':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'bool':
      if (value === 'true' || value === 'false') return value === 'true';
      return value;
    case 'list':
    case 'set':
      return Array.isArray(value) ? value.map((v) => convertToType(v, type.elem, evaluateDefault)) : value;
    case 'map': {
      if (!isObject(value)) return value;
      const out: ValueObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = convertToType(v, type.elem, evaluateDefault);
      return out;
    }
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => (type.elems[i] ? convertToType(v, type.elems[i]!, evaluateDefault) : v)) : value;
    case 'object': {
      if (!isObject(value)) return value;
      const out: ValueObject = {};
      for (const [name, attr] of type.attrs) {
        if (Object.prototype.hasOwnProperty.call(value, name) && value[name] !== null) out[name] = convertToType(value[name]!, attr.type, evaluateDefault);
        else if (attr.optional && attr.default !== undefined) out[name] = convertToType(evaluateDefault(attr.default), attr.type, evaluateDefault);
        else if (attr.optional || Object.prototype.hasOwnProperty.call(value, name)) out[name] = null;
        // A required attribute that is missing is left missing: Terraform rejects the value, and reading it is reported.
      }
      return out;
    }
  }
}
