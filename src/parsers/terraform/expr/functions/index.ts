import type { FnSpec } from './args.js';
import { cidrFunctions } from './cidr.js';
import { collectionFunctions } from './collections.js';
import { conversionFunctions } from './conversion.js';
import { encodingFunctions } from './encoding.js';
import { environmentFunctions } from './environment.js';
import { numericFunctions } from './numeric.js';
import { setFunctions } from './sets.js';
import { stringFunctions } from './strings.js';

export type { FnCall, FnSpec } from './args.js';

/** Every function the evaluator computes (`try` and `can` are evaluated by the evaluator itself). */
export const FUNCTIONS: Readonly<Record<string, FnSpec>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, FnSpec>,
    collectionFunctions,
    setFunctions,
    stringFunctions,
    numericFunctions,
    cidrFunctions,
    encodingFunctions,
    conversionFunctions,
    environmentFunctions,
  ),
);

/**
 * Terraform's built-in functions, so a call to one that is not evaluated reads "not evaluated" rather than "no such
 * function".
 */
export const TERRAFORM_FUNCTIONS: ReadonlySet<string> = new Set([
  ...Object.keys(FUNCTIONS),
  'try',
  'can',
  'base64gzip',
  'formatdate',
  'rsadecrypt',
  'templatestring',
  'textdecodebase64',
  'textencodebase64',
  'timeadd',
  'timecmp',
  'type',
  'yamlencode',
]);
