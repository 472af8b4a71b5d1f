import type { CallExpr, Expr } from './ast.js';
import { CODES, FunctionError, RegexTimeout, UnknownResult } from './codes.js';
import { FUNCTIONS, TERRAFORM_FUNCTIONS, type FnCall } from './functions/index.js';
import { captured, fail, note, type Env } from './scope.js';
import { isUnknown, unknown, type Value } from '../../../source/value.js';
import { firstUnknown, typeName } from '../../../source/values.js';
import { BudgetExceeded } from '../../../source/budget.js';
import { DEEP_ARGUMENTS, treeSize } from './functions/size.js';

type Evaluator = (e: Expr, env: Env) => Value;

/** Function calls, including the two that take unevaluated expressions (`try`, `can`). */
export function evalCall(e: CallExpr, env: Env, ev: Evaluator): Value {
  // Terraform 1.8+ lets built-ins be written `core::name`.
  const name = e.name.startsWith('core::') ? e.name.slice('core::'.length) : e.name;
  if (name.startsWith('provider::')) {
    return note(
      env,
      CODES.providerFunction,
      `Provider function ${name} is not evaluated: provider plugins are never run.`,
      `${name}(…) runs in a provider plugin`,
    );
  }
  if (name === 'try') return evalTry(e, env, ev);
  if (name === 'can') return evalCan(e, env, ev);
  const spec = FUNCTIONS[name];
  if (!spec) {
    if (TERRAFORM_FUNCTIONS.has(name)) {
      return note(
        env,
        CODES.unsupportedFunction,
        `Function "${name}" is not evaluated by this analyzer; its result is unknown.`,
        `${name}(…) is not evaluated`,
      );
    }
    return fail(env, CODES.unsupportedFunction, `Call to unknown function: there is no function named "${name}".`);
  }
  let args = e.args.map((a) => ev(a, env));
  if (e.expand) {
    const last = args[args.length - 1];
    if (last === undefined) return fail(env, CODES.functionError, `Invalid expanding argument: "${name}(...)" needs an argument to expand.`);
    if (isUnknown(last)) return last;
    if (!Array.isArray(last)) {
      return fail(
        env,
        CODES.functionError,
        `Invalid expanding argument value: the argument marked with "..." must be a list, not ${last === null ? 'null' : `a ${typeName(last)}`}.`,
      );
    }
    args = [...args.slice(0, -1), ...last];
  }
  const min = spec.params;
  const max = spec.variadic ? Infinity : spec.params + (spec.optional ?? 0);
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    return fail(env, CODES.functionError, `Wrong number of arguments: function "${name}" expects ${expected} argument(s), got ${args.length}.`);
  }
  if (!spec.allowUnknown) {
    const u = args.find(isUnknown);
    if (u) return u;
  }
  const budget = env.budget;
  const call: FnCall = {
    name,
    note: (code, message, reason) => note(env, code, message, reason),
    budget,
  };
  try {
    // Functions that walk their arguments whole (encode, flatten, compare) are charged for what they walk first:
    // a list of a thousand references to a list of a thousand lists is small to build and huge to walk.
    if (DEEP_ARGUMENTS.has(name)) for (const a of args) budget.collection(treeSize(a, budget.limits.maxCollection));
    const result = spec.impl(args, call);
    // What a function builds is charged once it is built; functions whose result can outgrow their arguments by
    // more than a small factor check its size before building it.
    if (Array.isArray(result)) budget.collection(result.length);
    else if (typeof result === 'string') budget.string(result.length);
    return result;
  } catch (err) {
    if (err instanceof BudgetExceeded) return budget.exceeded(err, env.file, env.line);
    if (err instanceof UnknownResult) return unknown(err.reason, err.partialJson);
    if (err instanceof RegexTimeout) {
      return note(
        env,
        CODES.regexTimeout,
        `Call to function "${name}" is not evaluated: ${err.message} (the pattern backtracks catastrophically); its result is unknown.`,
        `${name}(…) took too long to evaluate`,
      );
    }
    if (err instanceof FunctionError) return fail(env, CODES.functionError, `Call to function "${name}" failed: ${err.message}`);
    return fail(env, CODES.functionError, `Call to function "${name}" failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function hasError(diagnostics: { severity: string }[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * `try(a, b, …)`: the first argument that evaluates without error. An argument whose value is not yet known cannot
 * be judged (it might fail once known), so the result is then Unknown, as in Terraform.
 */
function evalTry(e: CallExpr, env: Env, ev: Evaluator): Value {
  if (e.args.length === 0) return fail(env, CODES.functionError, 'Wrong number of arguments: function "try" expects at least 1 argument(s), got 0.');
  const failures: string[] = [];
  for (const arg of e.args) {
    const r = captured(env, (inner) => ev(arg, inner));
    if (hasError(r.diagnostics)) {
      failures.push(r.diagnostics.find((d) => d.severity === 'error')!.message);
      continue;
    }
    r.diagnostics.forEach(env.report);
    const u = firstUnknown(r.value);
    return u ? unknown(u.reason) : r.value;
  }
  return fail(env, CODES.functionError, `Call to function "try" failed: no expression succeeded (${failures.join('; ')}).`);
}

/** `can(expr)`: true when the expression evaluates without error; Unknown while its value is not known. */
function evalCan(e: CallExpr, env: Env, ev: Evaluator): Value {
  if (e.args.length !== 1) return fail(env, CODES.functionError, `Wrong number of arguments: function "can" expects 1 argument(s), got ${e.args.length}.`);
  const r = captured(env, (inner) => ev(e.args[0]!, inner));
  if (hasError(r.diagnostics)) return false;
  r.diagnostics.forEach(env.report);
  const u = firstUnknown(r.value);
  return u ? unknown(u.reason) : true;
}
