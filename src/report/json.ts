import type { Suppression } from '../source/suppression.js';
import type { Finding, Fix, Level, ScanResult } from '../source/findings.js';
import { isUndecided, type DiagnosticSeverity, type SourceRef } from '../source/types.js';
import { countLevels, portablePath, sortedDiagnostics, sortedFindings } from './common.js';

/*
 * The JSON report is a public interface (scripts, dashboards, the Action's summary): its shape is declared here,
 * apart from the engine's types, so internal refactors cannot change it by accident. Additions are allowed;
 * renaming or removing a field is a breaking change. Paths are relative to the scan root with forward slashes,
 * lines and columns are 1-based, columns count code points, end columns are exclusive.
 */

export interface JsonPosition {
  line: number;
  column: number;
}

export interface JsonLocation {
  file: string;
  /** The resource address a user recognises: `aws_route_table.private`, a CloudFormation logical id. */
  address: string;
  start: JsonPosition;
  end: JsonPosition;
}

export interface JsonFinding {
  ruleId: string;
  level: Level;
  messageId: string;
  message: string;
  location: JsonLocation;
  related: Array<JsonLocation & { message: string }>;
  /** Routing path, first step first; absent when the rule has none. */
  path?: Array<JsonLocation & { message: string }>;
  /** `edits`: present when the fix is exact edits (what `iac-vpce fix` applies); end positions are exclusive. */
  fix?: { description: string; snippet?: string; edits?: JsonEdit[] };
  /** Stable across unrelated edits; the SARIF `primaryLocationLineHash`. */
  fingerprint: string;
}

/** One exact edit: replace the text from `start` to `end` (exclusive; equal for an insertion) of `file` by `text`. */
export interface JsonEdit {
  file: string;
  start: JsonPosition;
  end: JsonPosition;
  text: string;
}

export interface JsonDiagnostic {
  severity: DiagnosticSeverity;
  code: string;
  message: string;
  file: string;
  line?: number;
  column?: number;
  /** `rule-undecided` only: the rule that stayed silent and the resource it could not decide about. */
  rule?: string;
  resource?: string;
}

/** What left a finding out of the report: an inline directive or an `ignore:` entry of the config file. */
export interface JsonSuppression {
  /** `terraform` for a comment directive, `config` for an `ignore:` entry. */
  source: Suppression['source'];
  /** Where the directive or entry is written. */
  file: string;
  line: number;
  reason?: string;
  expires?: string;
}

export interface JsonReport {
  /** The iac-vpce version that wrote the report. */
  version: string;
  /** Always '.': the scan root itself is not recorded, so reports compare equal across machines. */
  root: '.';
  findings: JsonFinding[];
  diagnostics: JsonDiagnostic[];
  summary: Record<Level, number>;
  /** How many times a rule stayed silent because the answer rests on something unknown (`rule-undecided` diagnostics). */
  undecided: number;
  /** Present only when something was suppressed; these findings are not in `findings` nor in `summary`. */
  suppressed?: Array<JsonFinding & { suppression: JsonSuppression }>;
}

export function toJsonReport(result: ScanResult): JsonReport {
  const location = (ref: SourceRef): JsonLocation => ({
    file: ref.file,
    address: ref.address,
    start: { line: ref.span.start.line, column: ref.span.start.column },
    end: { line: ref.span.end.line, column: ref.span.end.column },
  });
  const finding = (f: Finding): JsonFinding => ({
    ruleId: f.ruleId,
    level: f.level,
    messageId: f.messageId,
    message: f.message,
    location: location(f.location),
    related: f.related.map((r) => ({ ...location(r.at), message: r.message })),
    ...(f.path && f.path.length > 0 ? { path: f.path.map((s) => ({ ...location(s.at), message: s.message })) } : {}),
    ...(f.fix ? { fix: jsonFix(f.fix, result.root) } : {}),
    fingerprint: f.fingerprint,
  });
  const findings = sortedFindings(result);
  const suppressedBy = new Map((result.suppressed ?? []).map((s) => [s.finding.fingerprint, s.directive]));
  const suppressed = sortedFindings({ ...result, findings: (result.suppressed ?? []).map((s) => s.finding) }).map((f) => {
    const d = suppressedBy.get(f.fingerprint)!;
    const suppression: JsonSuppression = { source: d.source, file: d.file, line: d.line };
    if (d.reason !== undefined) suppression.reason = d.reason;
    if (d.expires !== undefined) suppression.expires = d.expires;
    return { ...finding(f), suppression };
  });
  return {
    version: result.toolVersion,
    root: '.',
    findings: findings.map(finding),
    diagnostics: sortedDiagnostics(result).map((d) => {
      const out: JsonDiagnostic = { severity: d.severity, code: d.code, message: d.message, file: d.file };
      if (d.line !== undefined) out.line = d.line;
      if (d.column !== undefined) out.column = d.column;
      if (d.rule !== undefined) out.rule = d.rule;
      if (d.resource !== undefined) out.resource = d.resource;
      return out;
    }),
    summary: countLevels(findings),
    undecided: result.diagnostics.filter(isUndecided).length,
    ...(suppressed.length > 0 ? { suppressed } : {}),
  };
}

export function formatJson(result: ScanResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

function jsonFix(fix: Fix, root: string): NonNullable<JsonFinding['fix']> {
  const out: NonNullable<JsonFinding['fix']> = { description: fix.description };
  if (fix.snippet !== undefined) out.snippet = fix.snippet;
  if (fix.edits && fix.edits.length > 0) {
    out.edits = fix.edits.map((e) => ({
      file: portablePath(e.file, root),
      start: { line: e.range.start.line, column: e.range.start.column },
      end: { line: e.range.end.line, column: e.range.end.column },
      text: e.text,
    }));
  }
  return out;
}
