import type { Diagnostic } from './types.js';
import { unknown, type Unknown } from './value.js';

/**
 * Evaluation limits for one Terraform root module or one CloudFormation template. A few hundred bytes of hostile
 * configuration can ask for billions of elements (`setproduct`, nested `for`, `count`); past a limit the value
 * becomes Unknown with one diagnostic per limit, and the scan goes on.
 */
export interface EvalLimits {
  /** Elements of one list, set, map or object an expression or function builds. */
  maxCollection: number;
  /** Characters of one string an expression or function builds. */
  maxString: number;
  /**
   * Units of work for the whole root module or template: each expression evaluated counts one, and so does each
   * element and every 16 characters a function, template or `for` builds.
   */
  maxSteps: number;
  /** Resource and module instances `count` and `for_each` create, together, in one root module or template. */
  maxInstances: number;
}

/**
 * Far above what real configurations need (a root module of 6000 resources takes about 26,000 steps), low enough
 * that reaching one takes seconds, not minutes or gigabytes.
 */
export const DEFAULT_LIMITS: Readonly<EvalLimits> = Object.freeze({
  maxCollection: 100_000,
  maxString: 1_000_000,
  maxSteps: 2_000_000,
  maxInstances: 20_000,
});

/** The name of each limit in `.iac-vpce.yml` (`limits:`) and on the command line (`--max-…`). */
export const LIMIT_NAMES: Readonly<Record<keyof EvalLimits, string>> = Object.freeze({
  maxCollection: 'max-collection',
  maxString: 'max-string',
  maxSteps: 'max-steps',
  maxInstances: 'max-instances',
});

/** Characters of a built string that count as one step. */
const CHARS_PER_STEP = 16;

/** Thrown where a limit is reached; the evaluator catches it and makes the value Unknown (see `EvalBudget.exceeded`). */
export class BudgetExceeded extends Error {
  constructor(
    readonly limit: keyof EvalLimits,
    /** What was asked for: elements, characters, steps or instances. */
    readonly requested: number,
  ) {
    super(`evaluation limit ${LIMIT_NAMES[limit]} reached`);
  }
}

const WHAT: Record<keyof EvalLimits, (requested: number, limit: number) => string> = {
  maxCollection: (n, l) => `would build a collection of ${n} elements, over the limit of ${l}`,
  maxString: (n, l) => `would build a string of ${n} characters, over the limit of ${l}`,
  maxSteps: (_n, l) => `reached the limit of ${l} evaluation steps for this input`,
  maxInstances: (n, l) => `would create ${n} instances in all, over the limit of ${l}`,
};

/**
 * The running account of one evaluation. Checks are plain comparisons and a counter, cheap enough for the
 * evaluator's hot path. Each limit is reported once per budget, where it is first reached; every later value past
 * it is Unknown with the same reason.
 */
export class EvalBudget {
  readonly limits: Readonly<EvalLimits>;
  /** Steps taken so far. */
  steps = 0;
  /** `limits.maxSteps`, kept here for the hot path. */
  readonly maxSteps: number;
  private instances = 0;
  private readonly reported = new Set<keyof EvalLimits>();

  constructor(
    limits: Partial<EvalLimits> | undefined,
    private readonly sink: (d: Diagnostic) => void,
    /** The diagnostic code of the format: `tf-limit-exceeded`, `cfn-limit-exceeded`. */
    private readonly code: string,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...definedOnly(limits) };
    this.maxSteps = this.limits.maxSteps;
  }

  /** Charges `n` steps; throws `BudgetExceeded` when the total passes the limit. */
  charge(n: number): void {
    this.steps += n;
    if (this.steps > this.maxSteps) throw new BudgetExceeded('maxSteps', this.steps);
  }

  /** Before building a collection of `n` elements: checks its size and charges a step per element. */
  collection(n: number): void {
    if (n > this.limits.maxCollection) throw new BudgetExceeded('maxCollection', n);
    this.charge(n);
  }

  /** Before building a string of `n` characters: checks its length and charges its steps. */
  string(n: number): void {
    if (n > this.limits.maxString) throw new BudgetExceeded('maxString', n);
    this.charge(Math.ceil(n / CHARS_PER_STEP));
  }

  /** Before expanding a block into `n` instances. */
  instancesOf(n: number): void {
    if (this.instances + n > this.limits.maxInstances) throw new BudgetExceeded('maxInstances', this.instances + n);
    this.instances += n;
    this.charge(n);
  }

  /** True once the step limit is passed: everything evaluated after that is Unknown. */
  get exhausted(): boolean {
    return this.steps > this.maxSteps;
  }

  /**
   * The Unknown that stands for a value past a limit, and the limit's one diagnostic (at the first place it is
   * reached). Reported straight to the input's diagnostics, so a `try` or a discarded branch cannot hide it.
   */
  exceeded(e: BudgetExceeded, file: string, line: number | undefined): Unknown {
    const name = LIMIT_NAMES[e.limit];
    if (!this.reported.has(e.limit)) {
      this.reported.add(e.limit);
      const d: Diagnostic = {
        severity: 'warning',
        code: this.code,
        file,
        message: `Evaluation stopped: this ${WHAT[e.limit](e.requested, this.limits[e.limit])} (${name}); the value is unknown${
          e.limit === 'maxSteps' ? ', and so is everything evaluated after it in this input' : ''
        }. Other values past this limit in this input are unknown too, without another diagnostic. Raise the limit with --${name} or limits.${name} in .iac-vpce.yml if the configuration is meant to be this large.`,
      };
      if (line !== undefined) d.line = line;
      this.sink(d);
    }
    return unknown(`the evaluation limit ${name} (${this.limits[e.limit]}) was reached`);
  }
}

function definedOnly(limits: Partial<EvalLimits> | undefined): Partial<EvalLimits> {
  const out: Partial<EvalLimits> = {};
  for (const [k, v] of Object.entries(limits ?? {}) as Array<[keyof EvalLimits, number | undefined]>) if (v !== undefined) out[k] = v;
  return out;
}
