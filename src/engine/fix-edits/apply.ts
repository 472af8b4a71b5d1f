import type { Finding, TextEdit } from '../../source/findings.js';
import { comparePositions, TextLines } from './text.js';

export interface FilePlan {
  file: string;
  /** Sorted from the end of the file to its start: each applies without moving the ranges of those after it. */
  edits: TextEdit[];
  /** Edits whose range overlaps one kept before them: left out, to be made by a second run. */
  skipped: TextEdit[];
}

const sameEdit = (a: TextEdit, b: TextEdit) =>
  a.file === b.file && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0 && a.text === b.text;

/**
 * The edits of every finding, by file. An edit several findings ask for (one new endpoint for every table of a VPC)
 * is made once; of two edits whose ranges overlap, or that insert at the same place, the one that comes first in the
 * findings' order is kept.
 */
export function planEdits(findings: readonly Finding[]): FilePlan[] {
  const byFile = new Map<string, FilePlan>();
  for (const edit of findings.flatMap((f) => f.fix?.edits ?? [])) {
    let plan = byFile.get(edit.file);
    if (!plan) byFile.set(edit.file, (plan = { file: edit.file, edits: [], skipped: [] }));
    if (plan.edits.some((e) => sameEdit(e, edit))) continue;
    const overlaps = plan.edits.some(
      (e) =>
        (comparePositions(edit.range.start, e.range.end) < 0 && comparePositions(e.range.start, edit.range.end) < 0) ||
        comparePositions(edit.range.start, e.range.start) === 0,
    );
    (overlaps ? plan.skipped : plan.edits).push(edit);
  }
  for (const plan of byFile.values()) plan.edits.sort((a, b) => comparePositions(b.range.start, a.range.start));
  return [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The text with the edits made, from the last to the first; only the edited ranges change. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new TextLines(text);
  const ordered = [...edits].sort((a, b) => comparePositions(b.range.start, a.range.start));
  let out = text;
  for (const e of ordered) out = out.slice(0, lines.offset(e.range.start)) + e.text + out.slice(lines.offset(e.range.end));
  return out;
}
