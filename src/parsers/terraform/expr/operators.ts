import type { BinaryOp } from './ast.js';
import { CODES } from './codes.js';
import { fail, type Env } from './scope.js';
import { isRef, isUnknown, type Unknown, type Value } from '../../../source/value.js';
import { parseNumber, refUnknown, typeName, valuesEqual } from '../../../source/values.js';

/** Operands convert as Terraform converts them: `"5"` is a number, `"true"` a bool; anything else is an error. */
export function operandNumber(v: Value, what: string, env: Env): number | Unknown {
  if (isUnknown(v)) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (isRef(v)) return refUnknown(v);
    const n = parseNumber(v);
    if (n !== undefined) return n;
    return fail(env, CODES.typeMismatch, `Invalid operand: ${what} must be a number; the string ${JSON.stringify(v)} is not a number.`);
  }
  if (v === null) return fail(env, CODES.typeMismatch, `Invalid operand: ${what} must be a number, not null.`);
  return fail(env, CODES.typeMismatch, `Invalid operand: ${what} must be a number, not a ${typeName(v)}.`);
}

export function operandBool(v: Value, what: string, env: Env): boolean | Unknown {
  if (isUnknown(v)) return v;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  if (isRef(v)) return refUnknown(v);
  if (v === null) return fail(env, CODES.typeMismatch, `Invalid operand: ${what} must be a bool, not null.`);
  return fail(env, CODES.typeMismatch, `Invalid operand: ${what} must be a bool, not ${typeof v === 'string' ? JSON.stringify(v) : `a ${typeName(v)}`}.`);
}

/** Decimal-looking arithmetic stays decimal (`0.1 + 0.2` is 0.3, as Terraform's arbitrary-precision numbers give). */
function tidy(n: number): number {
  return Number.isInteger(n) || !Number.isFinite(n) ? n : Number(n.toPrecision(15));
}

export function unary(op: '-' | '!', v: Value, env: Env): Value {
  if (op === '-') {
    const n = operandNumber(v, 'the operand of unary minus', env);
    return isUnknown(n) ? n : n === 0 ? 0 : -n;
  }
  const b = operandBool(v, 'the operand of "!"', env);
  return isUnknown(b) ? b : !b;
}

/** Every binary operator except `&&` / `||`, which the evaluator handles because they may skip an operand. */
export function binary(op: Exclude<BinaryOp, '&&' | '||'>, l: Value, r: Value, env: Env): Value {
  if (op === '==' || op === '!=') {
    const eq = valuesEqual(l, r);
    return isUnknown(eq) ? eq : op === '==' ? eq : !eq;
  }
  const a = operandNumber(l, `the left operand of "${op}"`, env);
  const b = operandNumber(r, `the right operand of "${op}"`, env);
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  switch (op) {
    case '+':
      return tidy(a + b);
    case '-':
      return tidy(a - b);
    case '*':
      return tidy(a * b);
    case '/':
      // Like Terraform's arbitrary-precision numbers, x/0 is an infinity; only 0/0 has no answer.
      if (b === 0 && a === 0) return fail(env, CODES.invalidOperation, "Operation failed: can't divide zero by zero or infinity by infinity.");
      return tidy(a / b);
    case '%':
      // Terraform's modulo by zero returns the dividend, and an infinite operand gives an infinity.
      if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b;
      if (b === 0) return a;
      return tidy(a % b);
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
