import type { Diagnostic } from '../../../source/types.js';
import { unknown, type Unknown, type Value } from '../../../source/value.js';
import { EvalBudget } from '../../../source/budget.js';

/**
 * Names an expression can start from: `var`, `local`, `module`, `data`, `count`, `each`, `path`, `terraform`,
 * `self`, resource types such as `aws_vpc`, and iterator names of `for` expressions and dynamic blocks.
 */
export interface Scope {
  lookup(name: string): Value | undefined;
}

export interface EvalContext {
  file: string;
  line?: number;
  report(d: Diagnostic): void;
  /** The budget this evaluation charges; by default the one attached to `report` (see `attachBudget`). */
  budget?: EvalBudget;
}

/** The diagnostic code of an evaluation limit reached in Terraform. */
export const LIMIT_CODE = 'tf-limit-exceeded';

const budgetBySink = new WeakMap<(d: Diagnostic) => void, EvalBudget>();

/**
 * Makes every evaluation that reports to `sink` charge `budget`: a root module's evaluations share one budget
 * through their diagnostic sink, however deep the call that evaluates them.
 */
export function attachBudget(sink: (d: Diagnostic) => void, budget: EvalBudget): void {
  budgetBySink.set(sink, budget);
}

/** The budget of an evaluation: given, attached to its sink, or a fresh one with the default limits. */
export function budgetOf(ctx: EvalContext): EvalBudget {
  return ctx.budget ?? budgetBySink.get(ctx.report) ?? new EvalBudget(undefined, ctx.report, LIMIT_CODE);
}

export function childScope(parent: Scope, vars: Record<string, Value>): Scope {
  return {
    lookup: (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : parent.lookup(name)),
  };
}

/**
 * Per-evaluation state. `report` already deduplicates; `bound` holds names bound by enclosing `for` expressions
 * (they are iterators, not declarations, which changes how a missing attribute is described).
 */
export interface Env {
  scope: Scope;
  file: string;
  line: number | undefined;
  report: (d: Diagnostic) => void;
  bound: ReadonlySet<string>;
  /** The element a splat's `each` expression is applied to. */
  anon?: { value: Value };
  /** Nesting of the current evaluation, shared by every derived environment. */
  depth: { n: number };
  /** The evaluation limits of the root module, shared by every evaluation in it. */
  budget: EvalBudget;
}

/** Reports a Terraform error and returns the Unknown that stands for the failed value. */
export function fail(env: Env, code: string, message: string): Unknown {
  env.report(diag(env, 'error', code, message));
  return unknown(message.replace(/\.$/, ''));
}

/** Reports what this analyzer does not compute (Terraform would) and returns the Unknown that stands for it. */
export function note(env: Env, code: string, message: string, reason: string): Unknown {
  env.report(diag(env, 'note', code, message));
  return unknown(reason);
}

export function diag(env: Env, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  const d: Diagnostic = { severity, code, file: env.file, message };
  if (env.line !== undefined) d.line = env.line;
  return d;
}

const seenBySink = new WeakMap<(d: Diagnostic) => void, Set<string>>();

/** One report per (code, file, line, message) for a given sink, however many times an expression is evaluated. */
export function dedupingReporter(sink: (d: Diagnostic) => void): (d: Diagnostic) => void {
  let seen = seenBySink.get(sink);
  if (!seen) {
    seen = new Set();
    seenBySink.set(sink, seen);
  }
  const set = seen;
  return (d) => {
    const key = `${d.code}\u0000${d.file}\u0000${d.line ?? ''}\u0000${d.message}`;
    if (set.has(key)) return;
    set.add(key);
    sink(d);
  };
}

/** Runs a sub-evaluation whose diagnostics are kept aside, for `try`, `can` and branches that may be discarded. */
export function captured<T>(env: Env, run: (inner: Env) => T): { value: T; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const value = run({ ...env, report: (d) => diagnostics.push(d) });
  return { value, diagnostics };
}
