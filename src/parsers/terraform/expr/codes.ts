import type { Value } from '../../../source/value.js';

/**
 * Stable diagnostic codes of the expression language, so diagnostics can be counted by kind. Errors are what
 * Terraform itself would reject; notes are what Terraform would accept but this analyzer does not compute.
 */
export const CODES = {
  /** HCL that does not parse. */
  syntax: 'tf-expression-syntax',
  /** A root name nothing declares (`var.x` without `variable "x"`, an unknown resource type, a misspelt iterator). */
  unresolved: 'tf-unresolved-reference',
  /** A missing attribute, key or index, or an attribute/index applied to a value that has none. */
  invalidReference: 'tf-invalid-reference',
  /** A value of the wrong type for an operator, condition, template or iteration. */
  typeMismatch: 'tf-type-mismatch',
  /** An operation Terraform refuses on valid types, such as division by zero. */
  invalidOperation: 'tf-invalid-operation',
  /** An object-producing `for` that yields one key twice without `...`. */
  duplicateKey: 'tf-duplicate-key',
  /** A function call Terraform rejects: wrong arity, wrong argument, or failure inside the function. */
  functionError: 'tf-function-error',
  /** A function name Terraform does not have, or one this analyzer does not evaluate. */
  unsupportedFunction: 'tf-unsupported-function',
  /** A function whose result depends on files or the machine, which are never read. */
  fileNotRead: 'tf-file-not-read',
  /** `provider::…` functions run inside provider plugins, which are never executed. */
  providerFunction: 'tf-provider-function',
  /** A construct of the language this evaluator does not handle. */
  unsupportedExpression: 'tf-unsupported-expression',
  /** A regular expression match that ran past its time limit (catastrophic backtracking); its result is unknown. */
  regexTimeout: 'tf-regex-timeout',
} as const;

/** Raised inside a function implementation; the dispatcher turns it into a `tf-function-error` diagnostic. */
export class FunctionError extends Error {}

/** Raised inside a function implementation when an input it needs is not known; the result is that Unknown. */
export class UnknownResult extends Error {
  /** `partialJson`: what a JSON encoding would hold, parts not known left in place (see `Unknown`). */
  constructor(
    readonly reason: string,
    readonly partialJson?: Value,
  ) {
    super(reason);
  }
}

/** Raised when a regular expression match runs past its time limit; the dispatcher reports it and the result is Unknown. */
export class RegexTimeout extends Error {}
