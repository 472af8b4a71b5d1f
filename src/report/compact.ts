import type { ScanResult } from '../source/findings.js';
import { sanitize } from './code-frame.js';
import { sortedFindings } from './common.js';

/**
 * One line per finding, `file:line:col: level RULE message`, in the shape of ESLint's `compact` and `unix` formatters
 * and of compilers, so editors, `grep` and problem matchers read it without a parser. Findings only: diagnostics go
 * to stderr, as for every format but text. Newlines and control characters in a message become U+FFFD, so one
 * finding is always one line. No summary line: an empty report means no findings.
 */
export function formatCompact(result: ScanResult): string {
  return sortedFindings(result)
    .map((f) => {
      const { file, span } = f.location;
      return `${sanitize(file)}:${span.start.line}:${span.start.column}: ${f.level} ${sanitize(f.ruleId)} ${sanitize(f.message)}\n`;
    })
    .join('');
}
