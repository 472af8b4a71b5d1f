import { readFileSync } from 'node:fs';
import path from 'node:path';
import { internalError } from '../cli/main.js';
import type { Io } from '../cli/io.js';
import { runScan, type ScanFlags, type Threshold } from '../cli/scan-command.js';
import type { ReportFormat } from '../source/report-formats.js';
import { appendSummary, getBoolean, getInput, getList, getPairs, setOutput } from './env.js';
import { postComment, type CommentMode } from './comment.js';
import { escapeData } from '../report/github.js';

/** What the action writes besides the files the runner names: the step log. */
export interface ActionIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** The process's working directory: GITHUB_WORKSPACE when the runner starts an action. */
  cwd: string;
}

const LEVELS = ['error', 'warning', 'note', 'none'];
const FORMATS = ['text', 'json', 'sarif', 'markdown', 'github', 'none'];

interface Settings {
  cwd: string;
  paths: string[];
  flags: ScanFlags;
  format: string;
  annotations: boolean;
  summary: boolean;
  comment: CommentMode;
  token: string;
}

function choice(value: string, allowed: string[], name: string): string | undefined {
  return allowed.includes(value) ? undefined : `input ${name} must be one of ${allowed.join(', ')}, got "${value}"`;
}

const optional = <K extends string>(key: K, value: string): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

/** The action's inputs as scan flags, checked; a string is a usage error. */
function readSettings(io: ActionIo): Settings | string {
  const { env } = io;
  const workspace = env['GITHUB_WORKSPACE'] || io.cwd;
  const cwd = path.resolve(workspace, getInput(env, 'working-directory') || '.');
  const failOn = getInput(env, 'fail-on') || 'error';
  const format = getInput(env, 'format') || 'text';
  const comment = getInput(env, 'comment') || 'off';
  const annotations = getBoolean(env, 'annotations', true);
  const summary = getBoolean(env, 'summary', true);
  const includeSuppressed = getBoolean(env, 'include-suppressed', false);
  const problem =
    choice(failOn, LEVELS, 'fail-on') ??
    choice(format, FORMATS, 'format') ??
    choice(comment, ['off', 'on', 'update'], 'comment') ??
    (typeof annotations === 'string' ? annotations : undefined) ??
    (typeof summary === 'string' ? summary : undefined) ??
    (typeof includeSuppressed === 'string' ? includeSuppressed : undefined);
  if (problem) return problem;
  const varFiles = getList(env, 'var-files');
  const allowOutsideRoot = getList(env, 'allow-outside-root');
  const params = getPairs(env, 'params');
  const flags: ScanFlags = {
    format: 'sarif',
    output: path.resolve(cwd, getInput(env, 'sarif-file') || 'iac-vpce.sarif'),
    failOn: failOn as Threshold,
    color: false,
    includeSuppressed: includeSuppressed as boolean,
    ...optional('config', getInput(env, 'config')),
    ...optional('region', getInput(env, 'region')),
    ...optional('baseline', getInput(env, 'baseline')),
    ...optional('category', getInput(env, 'category')),
    ...(varFiles.length > 0 ? { varFile: varFiles } : {}),
    ...(allowOutsideRoot.length > 0 ? { allowOutsideRoot: allowOutsideRoot.map((p) => path.resolve(cwd, p)) } : {}),
    ...(params.length > 0 ? { param: params } : {}),
  };
  return {
    cwd,
    paths: getList(env, 'paths').length > 0 ? getList(env, 'paths') : ['.'],
    flags,
    format,
    annotations: annotations as boolean,
    summary: summary as boolean,
    comment: comment as CommentMode,
    token: getInput(env, 'github-token') || env['GITHUB_TOKEN'] || '',
  };
}

/** Counts of the SARIF results by level, as the outputs give them; suppressed results are not counted. */
function countResults(file: string): Record<'error' | 'warning' | 'note', number> {
  const counts = { error: 0, warning: 0, note: 0 };
  const sarif = JSON.parse(readFileSync(file, 'utf8')) as { runs?: Array<{ results?: Array<{ level?: string; suppressions?: unknown[] }> }> };
  for (const run of sarif.runs ?? [])
    for (const r of run.results ?? []) {
      if (r.suppressions && r.suppressions.length > 0) continue;
      const level = (r.level ?? 'warning') as keyof typeof counts;
      if (level in counts) counts[level] += 1;
    }
  return counts;
}

/**
 * The action: one scan, written as the SARIF file and rendered from the same result for the log, the annotations and
 * the Markdown of the job summary and pull request comment. Returns the exit code the step ends with (0, 1 for findings
 * at or above `fail-on` or an error diagnostic, 2 for a usage error, 3 for an internal error).
 */
export async function runAction(io: ActionIo): Promise<number> {
  const settings = readSettings(io);
  if (typeof settings === 'string') {
    io.stdout(`::error title=iac-vpce::${escapeData(settings)}\n`);
    return 2;
  }
  const s = settings;
  const { env } = io;
  let markdown: string | undefined;
  const also: NonNullable<ScanFlags['also']> = [];
  if (s.format !== 'none' && s.format !== 'github') also.push({ format: s.format as ReportFormat, write: io.stdout });
  if (s.annotations) also.push({ format: 'github', write: io.stdout });
  if (s.summary || s.comment !== 'off') also.push({ format: 'markdown', write: (text) => (markdown = text) });
  const cliIo: Io = { stdout: io.stdout, stderr: io.stderr, isTty: false, env, cwd: s.cwd };
  let code: number;
  try {
    code = await runScan(s.paths, { ...s.flags, also }, cliIo);
  } catch (e) {
    io.stderr(internalError(e, env));
    return 3;
  }
  if (code >= 2) return code;
  if (markdown !== undefined) {
    if (s.comment !== 'off') {
      const posted = await postComment(env, s.token, s.comment, markdown);
      io.stdout(posted.ok ? `${posted.message}\n` : `::warning title=iac-vpce::${escapeData(posted.message)}\n`);
      if (!posted.ok) markdown += `\n> ${posted.message}\n`;
    }
    if (s.summary) appendSummary(env, markdown);
  }
  const sarifFile = s.flags.output!;
  const counts = countResults(sarifFile);
  setOutput(env, 'sarif-file', sarifFile);
  setOutput(env, 'errors', String(counts.error));
  setOutput(env, 'warnings', String(counts.warning));
  setOutput(env, 'notes', String(counts.note));
  return code;
}
