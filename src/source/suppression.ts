import type { Span } from './types.js';

/**
 * An inline suppression, whatever the format it was written in (a Terraform comment today). It applies to the
 * findings of its rules whose primary location is in `file` and, for a span scope, on a line of that span.
 */
export interface SuppressionDirective {
  /** A Terraform comment, or a CloudFormation/CDK resource's `Metadata`. */
  source: 'terraform' | 'cloudformation';
  /** Rule ids, upper case (`VPCE101`). */
  rules: string[];
  /** Last day it suppresses, `YYYY-MM-DD`. */
  expires?: string;
  reason?: string;
  /** Where the directive is written, relative to the scan root. */
  file: string;
  line: number;
  /**
   * `file` and `span` (Terraform comments) match the finding's primary location; `resource` (CloudFormation Metadata)
   * matches a finding whose primary resource is that logical id in that template, also after a CDK finding was moved
   * to the TypeScript that made the resource.
   */
  scope: { kind: 'file' } | { kind: 'span'; span: Span } | { kind: 'resource'; address: string };
}

/** How a rule id is written in a suppression (`VPCE101`); case is folded later. */
export const RULE_ID_PATTERN = /^[A-Za-z]+[0-9]+$/;

/** One entry of the config file's `ignore:` list. */
export interface ConfigIgnore {
  source: 'config';
  /** Rule id, upper case. */
  rule: string;
  /** Glob over the finding's file, relative to the scan root. */
  path?: string;
  /** Resource address or glob over addresses. */
  resource?: string;
  reason: string;
  expires?: string;
  /** Where the entry is written: the config file (as reported) and the line of the entry. */
  file: string;
  line: number;
}

export type Suppression = SuppressionDirective | ConfigIgnore;

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
