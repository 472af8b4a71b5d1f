/**
 * The Terraform expression language. Raw attribute values are parsed once (with HashiCorp's own parser) into plain,
 * serialisable `Expr` trees, then evaluated synchronously against scopes as often as needed. What static analysis
 * cannot compute is an `Unknown` with its reason, never a guess; every construct that is not evaluated is reported
 * with a stable code (see EXPRESSION_DIAGNOSTIC_CODES).
 */
export type { Expr } from './ast.js';
export { parseRawValue } from './parse.js';
export { evaluate } from './evaluate.js';
export { references } from './references.js';
export { attachBudget, budgetOf, childScope, LIMIT_CODE, type EvalContext, type Scope } from './scope.js';
export { CODES as EXPRESSION_DIAGNOSTIC_CODES } from './codes.js';
