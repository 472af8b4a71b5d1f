import type { Diagnostic, Span } from '../../source/types.js';
import { numberToString } from '../../source/values.js';
import type { CfnEntry, CfnMap, CfnNode } from './tree.js';

/** Reports a diagnostic of the template at a node's span (or at no line, for the file as a whole). */
export type ReportAt = (severity: Diagnostic['severity'], code: string, message: string, span: Span | undefined) => void;

export function reportAt(file: string, report: (d: Diagnostic) => void): ReportAt {
  return (severity, code, message, span) => {
    report({ severity, code, file, message, ...(span ? { line: span.start.line, column: span.start.column } : {}) });
  };
}

export function entryOf(map: CfnMap, key: string): CfnEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** A plain scalar as the string CloudFormation reads it; undefined for null, tagged nodes and collections. */
export function literalString(node: CfnNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.tag || node.value === null) return undefined;
  return typeof node.value === 'number' ? numberToString(node.value) : String(node.value);
}

/**
 * A top-level section that is a mapping. An absent or empty (`Outputs:` with nothing under it) section is undefined;
 * one that is not a mapping is reported, where it is looked up, and ignored.
 */
export function sectionOf(root: CfnMap, name: string, at: ReportAt): CfnMap | undefined {
  const e = entryOf(root, name);
  if (!e) return undefined;
  if (e.value.kind === 'scalar' && e.value.value === null) return undefined;
  if (e.value.kind !== 'map' || e.value.tag) {
    at('error', 'cfn-invalid-section', `${name} must be a mapping; the section was ignored.`, e.keySpan);
    return undefined;
  }
  return e.value;
}
