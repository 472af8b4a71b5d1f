/**
 * The parsed form of one Terraform expression. Plain JSON data only (no classes, no functions, no cycles) so a parse
 * done in a worker thread survives `structuredClone`, and a cached tree can be shared: nothing ever mutates it.
 */
export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | TraversalExpr
  | RelativeTraversalExpr
  | IndexExpr
  | SplatExpr
  | AnonExpr
  | CallExpr
  | ConditionalExpr
  | UnaryExpr
  | BinaryExpr
  | ForExpr
  | TemplateIfExpr
  | TemplateForExpr
  | InvalidExpr;

export interface LiteralExpr {
  k: 'lit';
  v: string | number | boolean | null;
}

/** String concatenation of literal text and interpolations; always yields a string. */
export interface TemplateExpr {
  k: 'tpl';
  parts: Expr[];
}

export interface TupleExpr {
  k: 'tuple';
  items: Expr[];
}

export interface ObjectExpr {
  k: 'object';
  items: Array<{ key: Expr; value: Expr }>;
}

/** One step of a static traversal: `.name`, `[0]`, `["key"]` (legacy `.0` arrives as an index). */
export type Step = { t: 'attr'; name: string } | { t: 'index'; key: string | number };

/** `var.azs[0]`, `aws_subnet.private`, `each.value.cidr`: a root name followed by static steps. */
export interface TraversalExpr {
  k: 'trav';
  root: string;
  steps: Step[];
}

/** Static steps applied to the result of another expression: `f(x).id`, `a[var.i].name`. */
export interface RelativeTraversalExpr {
  k: 'rel';
  source: Expr;
  steps: Step[];
}

/** Indexing with a computed key: `a[var.i]`. */
export interface IndexExpr {
  k: 'index';
  collection: Expr;
  key: Expr;
}

/** `source[*].each` / `source.*.each`; `each` is evaluated once per element with the element bound to `anon`. */
export interface SplatExpr {
  k: 'splat';
  source: Expr;
  each: Expr;
}

/** The current element inside a splat's `each` expression. */
export interface AnonExpr {
  k: 'anon';
}

export interface CallExpr {
  k: 'call';
  name: string;
  args: Expr[];
  /** `f(a, list...)`: the last argument's elements become arguments. */
  expand: boolean;
}

export interface ConditionalExpr {
  k: 'cond';
  condition: Expr;
  then: Expr;
  else: Expr;
}

export interface UnaryExpr {
  k: 'unary';
  op: '-' | '!';
  operand: Expr;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface BinaryExpr {
  k: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value... if cond}`. */
export interface ForExpr {
  k: 'for';
  keyVar?: string;
  valVar: string;
  collection: Expr;
  /** Present only for object-producing `for`. */
  key?: Expr;
  value: Expr;
  cond?: Expr;
  /** `...` after the value: values with the same key are grouped into lists. */
  group: boolean;
}

/** `%{ if cond }…%{ else }…%{ endif }` inside a template. */
export interface TemplateIfExpr {
  k: 'tif';
  condition: Expr;
  then: Expr;
  else: Expr;
}

/** `%{ for k, v in coll }…%{ endfor }` inside a template: the body's strings joined. */
export interface TemplateForExpr {
  k: 'tfor';
  keyVar?: string;
  valVar: string;
  collection: Expr;
  body: Expr;
}

/**
 * Something that could not be parsed or is not understood. Evaluating it reports `code`/`message` and yields Unknown,
 * so a gap in the parser is never silent.
 */
export interface InvalidExpr {
  k: 'invalid';
  code: string;
  message: string;
}
