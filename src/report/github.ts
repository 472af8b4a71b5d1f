import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Level, ScanResult } from '../source/findings.js';
import { sortedFindings } from './common.js';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job); more are dropped without a word
 * (https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md, "Limitations"). Notices are held to the same
 * 10, the last one kept for the count of what was left out.
 */
export const ANNOTATIONS_PER_KIND = 10;

const COMMAND: Record<Level, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', note: 'notice' };

/**
 * Escaping of workflow commands, as the Actions toolkit does it (`escapeData` and `escapeProperty` in
 * https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts; "Workflow commands for GitHub Actions"):
 * the message escapes `%`, CR and LF; a property value also `:` and `,`, which end a property.
 */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  /** The repository root: annotation paths are relative to it. Default: the git work tree above the scan root, else the scan root. */
  repoRoot?: string;
}

/**
 * The top of the git work tree holding `dir` (the nearest directory at or above it with a `.git` entry, as
 * `git rev-parse --show-toplevel` finds it), where a workflow's checkout puts the repository root.
 */
function gitTopLevel(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** A path relative to the repository root, when the scan root is inside it; else relative to the scan root. */
export function repoRelative(file: string, root: string, repoRoot: string | undefined): string {
  if (!repoRoot) return file;
  const abs = path.isAbsolute(file) ? file : path.join(root, file);
  const rel = path.relative(repoRoot, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function annotation(f: Finding, file: string): string {
  const { start, end } = f.location.span;
  const props = [
    `file=${escapeProperty(file)}`,
    `line=${start.line}`,
    `col=${start.column}`,
    `endLine=${end.line}`,
    ...(end.line === start.line ? [`endColumn=${end.column}`] : []),
    `title=${escapeProperty(`${f.ruleId} ${f.location.address}`)}`,
  ];
  return `::${COMMAND[f.level]} ${props.join(',')}::${escapeData(f.message)}`;
}

/**
 * The findings as GitHub workflow commands (`::error file=…,line=…::message`), one a line, most severe first and within
 * GitHub's per-step caps; what the caps leave out is counted in one final notice.
 */
export function formatGithub(result: ScanResult, opts: GithubOptions = {}): string {
  const findings = sortedFindings(result);
  const byLevel = (level: Level) => findings.filter((f) => f.level === level);
  const errors = byLevel('error');
  const warnings = byLevel('warning');
  const notes = byLevel('note');
  const overflow = Math.max(0, errors.length - ANNOTATIONS_PER_KIND) + Math.max(0, warnings.length - ANNOTATIONS_PER_KIND);
  const noteCap = overflow > 0 || notes.length > ANNOTATIONS_PER_KIND ? ANNOTATIONS_PER_KIND - 1 : ANNOTATIONS_PER_KIND;
  const shown = [...errors.slice(0, ANNOTATIONS_PER_KIND), ...warnings.slice(0, ANNOTATIONS_PER_KIND), ...notes.slice(0, noteCap)];
  const repoRoot = opts.repoRoot ?? gitTopLevel(result.root);
  const lines = shown.map((f) => annotation(f, repoRelative(f.location.file, result.root, repoRoot)));
  const left = findings.length - shown.length;
  if (left > 0) {
    lines.push(
      `::notice title=${escapeProperty('iac-vpce: more findings')}::${escapeData(
        `${left} more finding${left === 1 ? '' : 's'} not annotated: GitHub shows ${ANNOTATIONS_PER_KIND} errors, ${ANNOTATIONS_PER_KIND} warnings and ${ANNOTATIONS_PER_KIND} notices per step. The job summary and code scanning list them all.`,
      )}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
