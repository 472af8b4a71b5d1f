import type { Span, Diagnostic } from '../../../source/types.js';
import type { Value, ValueObject } from '../../../source/value.js';
import type { EvalLimits } from '../../../source/budget.js';
import type { ParsedBlock } from './parsed.js';

/** One resource or data source instance after count/for_each expansion, fully evaluated. */
export interface ResourceInstance {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `module.network.aws_subnet.tier["app-0"]` */
  address: string;
  /** `module.network` or '' for the root module. */
  moduleAddress: string;
  block: ParsedBlock;
  /** Arguments, with nested blocks (also dynamic ones) as arrays of objects under their type. */
  values: ValueObject;
  /** Where each nested block element came from, by block type, parallel to the arrays in `values`. */
  nestedSpans: Record<string, Span[]>;
  /** Region of the provider configuration the instance uses (Unknown when it comes from the environment). */
  region: Value;
  /** The module blocks leading from the root module to this instance's module, outermost first. */
  callChain: ParsedBlock[];
}

export interface EvaluateOptions {
  /** Values for root variables from `--var k=v`. */
  vars?: Record<string, string>;
  /** Paths (relative to the scan root) of `--var-file`s, applied in order after the automatic tfvars files. */
  varFiles?: string[];
  /** Region for provider configurations that do not set one. */
  region?: string;
  /** Evaluation limits for the root module (defaults: `DEFAULT_LIMITS`). */
  limits?: Partial<EvalLimits>;
}

export interface EvaluatedModule {
  /** Directory of the root module, relative to the scan root. */
  dir: string;
  files: string[];
  instances: ResourceInstance[];
  /** Addresses of resources and modules whose count or for_each could not be computed: what they create is unknown. */
  unknownExpansions: string[];
  diagnostics: Diagnostic[];
}
