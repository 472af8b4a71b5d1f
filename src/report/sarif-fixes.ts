import type * as sarif from 'sarif';
import type { Fix, TextEdit } from '../source/findings.js';
import { compareText } from './common.js';

const before = (a: TextEdit, b: TextEdit) => b.range.start.line - a.range.start.line || b.range.start.column - a.range.start.column;

/**
 * A fix's exact edits as SARIF `fixes` (SARIF 2.1.0 §3.55 fix, §3.56 artifactChange, §3.57 replacement): one
 * artifactChange per file, each edit a replacement of its `deletedRegion` by `insertedContent`; an insertion is a
 * region whose end is its start. Replacements are listed from the end of the file to its start, so that applying them
 * in order never moves a region still to come. Columns count code points, as the run's `columnKind` says.
 * `artifactLocation` gives a file's location in the log (as every other location of the result, so the URI is relative
 * to the same base). Undefined when the fix is advice only, or when a file it edits has no location in the log.
 */
export function sarifFixes(fix: Fix | undefined, artifactLocation: (file: string) => sarif.ArtifactLocation | undefined): sarif.Fix[] | undefined {
  const edits = fix?.edits ?? [];
  if (!fix || edits.length === 0) return undefined;
  const files = [...new Set(edits.map((e) => e.file))].sort(compareText);
  const locations = files.map(artifactLocation);
  if (locations.some((l) => l === undefined)) return undefined;
  return [
    {
      description: { text: fix.description },
      artifactChanges: files.map((file, i) => ({
        artifactLocation: locations[i]!,
        replacements: edits
          .filter((e) => e.file === file)
          .sort(before)
          .map((e) => ({
            deletedRegion: { startLine: e.range.start.line, startColumn: e.range.start.column, endLine: e.range.end.line, endColumn: e.range.end.column },
            insertedContent: { text: e.text },
          })),
      })),
    },
  ];
}
