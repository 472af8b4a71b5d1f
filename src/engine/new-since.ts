import { execFileSync } from 'node:child_process';
import type { Finding } from '../source/findings.js';
import type { SourceRef } from '../source/types.js';

/** Lines (1-based) of each file, relative to the scan root, that changed since a git ref; `all` for a file git does not track. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

export type ChangedSince = { changed: ChangedLines } | { error: string };

const git = (root: string, args: string[]): string =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });

/**
 * Which lines changed between `ref` and the working tree, for files under `root`: `git diff --unified=0 --relative`
 * run in the scan root (local only: git never reaches the network for a diff), plus untracked files, which are new as a
 * whole. A hunk header `@@ -a,b +c,d @@` names the new lines c … c+d-1; d is 1 when left out and 0 for a pure
 * deletion, which adds no line (https://git-scm.com/docs/git-diff#_combined_diff_format, unified format).
 */
export function changedSince(root: string, ref: string): ChangedSince {
  if (ref.startsWith('-') || ref === '') return { error: `--new-since expects a git ref (a branch, tag or commit), got "${ref}"` };
  try {
    git(root, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    return { error: `--new-since needs a git repository, and ${root} is not inside one` };
  }
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    return { error: `--new-since ${ref}: git knows no commit by that name (fetch it first, e.g. git fetch origin ${ref})` };
  }
  const diff = git(root, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-renames', '--relative', ref, '--', '.']);
  const changed = parseUnifiedDiff(diff);
  for (const file of git(root, ['ls-files', '--others', '--exclude-standard', '-z']).split('\0')) if (file) changed.set(file, 'all');
  return { changed };
}

/** The new-side line numbers of every hunk in a `git diff --unified=0` output, by file. */
export function parseUnifiedDiff(diff: string): ChangedLines {
  const out: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = unquote(line.slice(4));
      current = name === undefined ? undefined : new Set<number>();
      if (name !== undefined && current) out.set(name, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

/** `b/path` or `"b/pa\"th"` as git writes the new side's name; undefined for `/dev/null` (a deleted file). */
function unquote(name: string): string | undefined {
  if (name === '/dev/null') return undefined;
  let n = name;
  if (n.startsWith('"') && n.endsWith('"')) n = JSON.parse(n) as string;
  return n.startsWith('b/') ? n.slice(2) : n;
}

function touches(ref: SourceRef, changed: ChangedLines): boolean {
  const lines = changed.get(ref.file);
  if (lines === undefined) return false;
  if (lines === 'all') return true;
  for (let l = ref.span.start.line; l <= ref.span.end.line; l++) if (lines.has(l)) return true;
  return false;
}

/** Findings whose primary location, or one of its related locations, is on a changed line. */
export function onChangedLines(findings: readonly Finding[], changed: ChangedLines): { kept: Finding[]; unchanged: number } {
  const kept = findings.filter(
    (f) => touches(f.location, changed) || (f.origin !== undefined && touches(f.origin, changed)) || f.related.some((r) => touches(r.at, changed)),
  );
  return { kept, unchanged: findings.length - kept.length };
}
