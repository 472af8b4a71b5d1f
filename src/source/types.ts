/** 1-based line and column, as editors and SARIF count them. */
export interface Position {
  line: number;
  column: number;
}

export interface Span {
  start: Position;
  end: Position;
}

/** Where a resource (or one of its attributes) is written, and the address a user recognises. */
export interface SourceRef {
  /** Path relative to the scan root, with forward slashes. */
  file: string;
  span: Span;
  /** `aws_route_table.private`, `module.network.aws_subnet.tier["app-0"]`, or a CloudFormation logical id. */
  address: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'note';

/**
 * Something the loader could not read or evaluate. Never fatal: the scan goes on.
 * `code` is a stable kebab-case kind (`tf-parse-error`, `tf-unknown-function`, …) so diagnostics can be counted.
 */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  code: string;
  message: string;
  /** Path relative to the scan root (or as given), forward slashes. */
  file: string;
  line?: number;
  column?: number;
  /**
   * For `rule-undecided`: the rule that could not decide, and the address of the resource it could not decide about.
   * A rule that stays silent because something it needs is Unknown says so this way, so that "0 findings" always means
   * "checked and fine".
   */
  rule?: string;
  resource?: string;
}

/** The code of the diagnostic a rule emits when it stays silent because the answer would rest on an Unknown. */
export const UNDECIDED = 'rule-undecided';

export function isUndecided(d: Diagnostic): boolean {
  return d.code === UNDECIDED;
}
