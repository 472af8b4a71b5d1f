import pc from 'picocolors';
import type { Colors } from 'picocolors/types.js';
import type { Finding, Level, ScanResult } from '../source/findings.js';
import { isUndecided, type Diagnostic, type SourceRef } from '../source/types.js';
import { codeFrame, sanitize } from './code-frame.js';
import { compareText, countLevels, sortedDiagnostics, sortedFindings } from './common.js';

export interface TextOptions {
  /** Decided by the caller (TTY, NO_COLOR, --no-color); the reporter never looks at the environment itself. */
  color: boolean;
  /** Reads a file relative to the scan root, for code frames; no frames without it. */
  readFile?: (relPath: string) => string | undefined;
  /** List every `rule-undecided` diagnostic; without it they are only counted in the summary line. */
  showUndecided?: boolean;
  /** Terminal width to wrap long messages to; no wrapping when undefined (output piped or written to a file). */
  width?: number;
  /** VPCs the scan analyzed, for the summary line (left out when not given). */
  vpcs?: number;
  /** Findings left out because a baseline holds them, for the summary line. */
  inBaseline?: number;
}

const DETAIL = '    ';
const LEVEL_WIDTH = 'warning'.length;
/** A hanging indent under the message is kept while it leaves this many columns; past that, lines go under DETAIL. */
const MIN_WRAP_ROOM = 40;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function levelLabel(level: Level, c: Colors): string {
  const padded = level.padEnd(LEVEL_WIDTH);
  return level === 'error' ? c.red(c.bold(padded)) : level === 'warning' ? c.yellow(padded) : c.blue(padded);
}

/**
 * A one-line message broken at spaces into lines of at most `width` columns, the first starting at column `start`
 * and the others indented to line up with it (or by DETAIL when that leaves too little room). A word longer than a
 * line stays whole. Columns are code points, as in code frames.
 */
export function wrapMessage(message: string, start: number, width: number | undefined): string {
  if (width === undefined || [...message].length <= width - start) return message;
  const room = (indent: number) => width - indent;
  const indent = room(start) >= MIN_WRAP_ROOM ? start : DETAIL.length;
  const lines: string[] = [];
  let line = '';
  let limit = room(start);
  for (const word of message.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && [...candidate].length > limit) {
      lines.push(line);
      line = word;
      limit = room(indent);
    } else line = candidate;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Text that may span lines, indented under its finding and cleaned of control characters. */
function block(text: string, indent: string): string[] {
  return text
    .replace(/\n+$/, '')
    .split(/\r\n|\r|\n/)
    .map((line) => `${indent}${sanitize(line)}`.trimEnd());
}

export function formatText(result: ScanResult, opts: TextOptions): string {
  // createColors with an explicit flag: picocolors' default export decides from the environment on its own.
  const c = pc.createColors(opts.color);
  const findings = sortedFindings(result);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.location.file;
    byFile.set(key, [...(byFile.get(key) ?? []), f]);
  }

  const out: string[] = [];
  for (const name of [...byFile.keys()].sort(compareText)) {
    const group = byFile.get(name)!;
    const text = readQuietly(opts.readFile, name);
    out.push(c.underline(c.bold(sanitize(name))));
    const positions = group.map((f) => `${f.location.span.start.line}:${f.location.span.start.column}`);
    const width = Math.max(...positions.map((p) => p.length));
    group.forEach((f, i) => {
      const start = 2 + width + 2 + LEVEL_WIDTH + 2 + [...sanitize(f.ruleId)].length + 2;
      const message = wrapMessage(sanitize(f.message), start, opts.width);
      out.push(`  ${c.dim(positions[i]!.padEnd(width))}  ${levelLabel(f.level, c)}  ${c.bold(sanitize(f.ruleId))}  ${message}`);
      out.push(...findingDetails(f, text, c));
    });
    out.push('');
  }

  const all = sortedDiagnostics(result);
  const undecided = all.filter(isUndecided).length;
  const diagnostics = opts.showUndecided ? all : all.filter((d) => !isUndecided(d));
  if (diagnostics.length > 0) {
    out.push(c.underline(c.bold('diagnostics')));
    const places = diagnostics.map(diagnosticPlace);
    const width = Math.max(...places.map((p) => p.length));
    diagnostics.forEach((d, i) => {
      const start = 2 + width + 2 + LEVEL_WIDTH + 2 + [...sanitize(d.code)].length + 2;
      const message = wrapMessage(sanitize(d.message), start, opts.width);
      out.push(`  ${c.dim(places[i]!.padEnd(width))}  ${levelLabel(d.severity, c)}  ${c.bold(sanitize(d.code))}  ${message}`);
    });
    out.push('');
  }

  out.push(summaryLine(findings, byFile.size, result.files.length, { ...opts, suppressed: result.suppressed?.length ?? 0, undecided }, c));
  if (undecided > 0 && !opts.showUndecided)
    out.push(c.dim(`(${undecided} undecided: a rule stayed silent where the answer rests on something unknown; --show-undecided lists them)`));
  return `${out.join('\n')}\n`;
}

/** A code frame is a courtesy: a file that cannot be read again (moved, unreadable) just goes without one. */
function readQuietly(readFile: TextOptions['readFile'], rel: string): string | undefined {
  try {
    return readFile?.(rel);
  } catch {
    return undefined;
  }
}

function findingDetails(f: Finding, text: string | undefined, c: Colors): string[] {
  const out = [`${DETAIL}${c.cyan(sanitize(f.location.address))}`];
  if (text !== undefined) out.push(...codeFrame(text, f.location.span, c).map((line) => `${DETAIL}${line}`));
  const where = (ref: SourceRef) => sanitize(`${ref.file}:${ref.span.start.line}`);
  if (f.path && f.path.length > 0) {
    out.push(`${DETAIL}${c.dim('path:')}`);
    f.path.forEach((step, i) => {
      const arrow = i === 0 ? '  ' : c.dim('→ ');
      out.push(`${DETAIL}  ${arrow}${sanitize(step.message)}  ${c.dim(where(step.at))}`);
    });
  }
  if (f.related.length > 0) {
    out.push(`${DETAIL}${c.dim('related:')}`);
    for (const r of f.related) out.push(`${DETAIL}  ${c.dim(where(r.at))}  ${sanitize(r.message)}`);
  }
  if (f.fix) {
    out.push(`${DETAIL}${c.green('fix:')} ${sanitize(f.fix.description)}`);
    if (f.fix.snippet) out.push(...block(f.fix.snippet, `${DETAIL}    `).map((line) => c.green(line)));
  }
  return out;
}

function diagnosticPlace(d: Diagnostic): string {
  if (!d.file) return '(scan)';
  return sanitize(`${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`);
}

interface SummaryCounts {
  suppressed: number;
  undecided: number;
  vpcs?: number;
  inBaseline?: number;
}

function summaryLine(findings: readonly Finding[], filesWithFindings: number, scanned: number, counted: SummaryCounts, c: Colors): string {
  const n = countLevels(findings);
  const counts = `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${plural(n.note, 'note')}`;
  const { suppressed, undecided, vpcs, inBaseline = 0 } = counted;
  const tail = [
    suppressed > 0 ? `${suppressed} suppressed` : '',
    inBaseline > 0 ? `${inBaseline} in baseline` : '',
    vpcs !== undefined ? plural(vpcs, 'VPC') + ' analyzed' : '',
    undecided > 0 ? `${undecided} undecided` : '',
  ].filter(Boolean);
  const line = `${counts} in ${plural(filesWithFindings, 'file')} (${plural(scanned, 'file')} scanned)${tail.map((t) => `, ${t}`).join('')}`;
  return n.error > 0 ? c.red(c.bold(line)) : n.warning > 0 ? c.yellow(c.bold(line)) : c.green(c.bold(line));
}
