/** What a hostile case's run got wrong, as sentences: the suite's assertions, shared with the fuzz script's table. */
import type { HostileCase } from './cases.js';
import type { CaseRun } from './run-case.js';

/** Text that only an internal failure produces; none of it may reach a user message. */
export const INTERNAL_TEXT = /Maximum call stack|internal error|std::bad_alloc|fatal error|RangeError|TypeError|ReferenceError|\n\s+at .+:\d+:\d+\)?/;
export const DEFAULT_LIMIT_MS = 30_000;

/** Everything wrong with one run, as sentences; empty when the case passes. */
export function problems(c: HostileCase, run: CaseRun): string[] {
  const out: string[] = [];
  const limit = c.limitMs ?? DEFAULT_LIMIT_MS;
  if (run.timedOut) out.push(`hang: still running after ${limit / 1000} s, killed`);
  else if (run.signal) out.push(`crash: killed by ${run.signal}`);
  else if (run.exit !== 1) out.push(`exit ${run.exit}, expected 1${run.exit === 0 && !run.report ? ' (silent exit 0 without a report)' : ''}`);
  if (!run.report) out.push('no report written');
  if (INTERNAL_TEXT.test(run.stderr)) out.push(`internal text on stderr: ${run.stderr.trim().split('\n').slice(0, 2).join(' | ').slice(0, 300)}`);
  if (run.report) {
    const got = run.report.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.start?.line}`).sort();
    const want = c.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`findings ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    for (const d of c.diagnostics) {
      const codes = typeof d.code === 'string' ? [d.code] : d.code;
      const lineOk = (line: number | undefined) => d.line === undefined || (d.line === true ? line !== undefined : line === d.line);
      const hit = run.report.diagnostics.find((x) => codes.includes(x.code) && x.file === d.file && lineOk(x.line));
      if (!hit) {
        const near = run.report.diagnostics.map((x) => `${x.code} ${x.file ?? '(no file)'}:${x.line ?? '-'}`).join(', ') || 'none';
        const where = `${d.file}${d.line === true ? ' with a line' : d.line !== undefined ? `:${d.line}` : ''}`;
        out.push(`no ${codes.join(' or ')} diagnostic on ${where} (diagnostics: ${near})`);
      }
    }
    const seen = new Set<string>();
    for (const x of run.report.diagnostics) {
      const key = JSON.stringify([x.code, x.file, x.line, x.message]);
      if (seen.has(key)) out.push(`diagnostic ${x.code} on ${x.file}:${x.line ?? '-'} reported twice`);
      seen.add(key);
    }
    for (const x of run.report.diagnostics) {
      if (!x.file) out.push(`diagnostic ${x.code} has no file`);
      if (INTERNAL_TEXT.test(x.message)) out.push(`diagnostic ${x.code} carries internal text: ${x.message.slice(0, 200)}`);
    }
  }
  if (run.outside.length > 0)
    out.push(`opened outside the case root: ${run.outside.slice(0, 8).join(', ')}${run.outside.length > 8 ? ` and ${run.outside.length - 8} more` : ''}`);
  for (const e of run.escapes) out.push(e);
  return out;
}
