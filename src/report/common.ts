import path from 'node:path';
import type { Finding, Level, ScanResult } from '../source/findings.js';
import type { Diagnostic, SourceRef } from '../source/types.js';

/**
 * Orders strings by UTF-16 code units. `localeCompare` depends on the machine's ICU data and locale, which would make
 * reports differ between a laptop and CI.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A path relative to the scan root with forward slashes. Most producers already give one; an absolute path (a
 * diagnostic "as given") would leak the machine's layout into committed reports, so it is made relative to the root.
 */
export function portablePath(file: string, root: string): string {
  const rel = path.isAbsolute(file) && root ? path.relative(root, file).split(path.sep).join('/') : file;
  return rel.replace(/^\.\//, '') || '.';
}

// RFC 3986 `pchar`: unreserved, sub-delims, ':' and '@'. Everything else in a segment is percent-encoded as UTF-8.
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

/**
 * A relative URI reference for a repo-relative path: each segment percent-encoded, `/` kept. A ':' in the first
 * segment is encoded too, or `c:main.tf` would read as a URI with the scheme `c` (RFC 3986 §4.2).
 */
export function pathToUri(relPath: string): string {
  return relPath
    .split('/')
    .map((segment, i) => {
      let out = '';
      for (const ch of segment) {
        if (PCHAR.test(ch) && !(i === 0 && ch === ':')) out += ch;
        else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      return out;
    })
    .join('/');
}

export function compareFindingsForReport(a: Finding, b: Finding): number {
  const sa = a.location.span;
  const sb = b.location.span;
  return (
    compareText(a.location.file, b.location.file) ||
    sa.start.line - sb.start.line ||
    sa.start.column - sb.start.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.location.address, b.location.address) ||
    compareText(a.fingerprint, b.fingerprint) ||
    sa.end.line - sb.end.line ||
    sa.end.column - sb.end.column ||
    compareText(a.message, b.message)
  );
}

/**
 * The findings every reporter prints: paths made portable (see `portablePath`) and in one total order, so a shuffled
 * input gives the same output.
 */
export function sortedFindings(result: ScanResult): Finding[] {
  const at = (ref: SourceRef): SourceRef => ({ ...ref, file: portablePath(ref.file, result.root) });
  return result.findings
    .map((f) => ({
      ...f,
      location: at(f.location),
      related: f.related.map((r) => ({ ...r, at: at(r.at) })),
      ...(f.path ? { path: f.path.map((step) => ({ ...step, at: at(step.at) })) } : {}),
    }))
    .sort(compareFindingsForReport);
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.code, b.code) ||
    compareText(a.severity, b.severity) ||
    compareText(a.message, b.message)
  );
}

/** Diagnostics with portable paths (an empty file stays empty: the diagnostic is about the scan as a whole). */
export function sortedDiagnostics(result: ScanResult): Diagnostic[] {
  return result.diagnostics.map((d) => (d.file ? { ...d, file: portablePath(d.file, result.root) } : d)).sort(compareDiagnostics);
}

export type LevelCounts = Record<Level, number>;

export function countLevels(findings: readonly Finding[]): LevelCounts {
  const counts: LevelCounts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.level] += 1;
  return counts;
}

export const REPO_URL = 'https://github.com/iac-vpce/iac-vpce';

export function ruleDocUrl(ruleId: string): string {
  return `${REPO_URL}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}
