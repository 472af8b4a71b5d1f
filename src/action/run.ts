import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main, type Io } from '../cli/main.js';
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
  scanArgs: string[];
  failOn: string;
  format: string;
  sarifFile: string;
  annotations: boolean;
  summary: boolean;
  comment: CommentMode;
  token: string;
}

function choice(value: string, allowed: string[], name: string): string | undefined {
  return allowed.includes(value) ? undefined : `input ${name} must be one of ${allowed.join(', ')}, got "${value}"`;
}

/** The action's inputs as CLI flags, checked; a string is a usage error. */
function readSettings(io: ActionIo): Settings | string {
  const { env } = io;
  const workspace = env['GITHUB_WORKSPACE'] || io.cwd;
  const cwd = path.resolve(workspace, getInput(env, 'working-directory') || '.');
  const failOn = getInput(env, 'fail-on') || 'error';
  const format = getInput(env, 'format') || 'text';
  const comment = getInput(env, 'comment') || 'off';
  const annotations = getBoolean(env, 'annotations', true);
  const summary = getBoolean(env, 'summary', true);
  const problem =
    choice(failOn, LEVELS, 'fail-on') ??
    choice(format, FORMATS, 'format') ??
    choice(comment, ['off', 'on', 'update'], 'comment') ??
    (typeof annotations === 'string' ? annotations : undefined) ??
    (typeof summary === 'string' ? summary : undefined);
  if (problem) return problem;
  const scanArgs = [...(getList(env, 'paths').length > 0 ? getList(env, 'paths') : ['.'])];
  const flag = (name: string, value: string) => (value ? scanArgs.push(name, value) : undefined);
  flag('--config', getInput(env, 'config'));
  flag('--region', getInput(env, 'region'));
  flag('--baseline', getInput(env, 'baseline'));
  for (const f of getList(env, 'var-files')) scanArgs.push('--var-file', f);
  for (const p of getPairs(env, 'params')) scanArgs.push('--param', p);
  return {
    cwd,
    scanArgs,
    failOn,
    format,
    sarifFile: path.resolve(cwd, getInput(env, 'sarif-file') || 'iac-vpce.sarif'),
    annotations: annotations as boolean,
    summary: summary as boolean,
    comment: comment as CommentMode,
    token: getInput(env, 'github-token') || env['GITHUB_TOKEN'] || '',
  };
}

/** Runs the CLI with an Io of its own: what it prints is returned, not written. */
async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv, stderr: (s: string) => void): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = { stdout: (s) => (out += s), stderr, isTty: false, env, cwd };
  const code = await main(argv, io);
  return { code, out };
}

/** Counts of the SARIF results by level, as the outputs give them. */
function countResults(file: string): Record<'error' | 'warning' | 'note', number> {
  const counts = { error: 0, warning: 0, note: 0 };
  const sarif = JSON.parse(readFileSync(file, 'utf8')) as { runs?: Array<{ results?: Array<{ level?: string }> }> };
  for (const run of sarif.runs ?? [])
    for (const r of run.results ?? []) {
      const level = (r.level ?? 'warning') as keyof typeof counts;
      if (level in counts) counts[level] += 1;
    }
  return counts;
}

/**
 * The action: one scan through the CLI for the SARIF file and the exit code (`fail-on`), then the same scan rendered for
 * the log, the annotations and the Markdown of the job summary and pull request comment. Returns the exit code the
 * step ends with (0, 1 for findings at or above `fail-on`, 2 for a usage error).
 */
export async function runAction(io: ActionIo): Promise<number> {
  const settings = readSettings(io);
  if (typeof settings === 'string') {
    io.stdout(`::error title=iac-vpce::${escapeData(settings)}\n`);
    return 2;
  }
  const s = settings;
  const { env } = io;
  const sarifArgs = ['scan', ...s.scanArgs, '--format', 'sarif', '--output', s.sarifFile, '--fail-on', s.failOn];
  const category = getInput(env, 'category');
  if (category) sarifArgs.push('--category', category);
  const primary = await cli(sarifArgs, s.cwd, env, io.stderr);
  if (primary.code >= 2) return primary.code;
  const quiet = (fmt: string) => ['scan', ...s.scanArgs, '--format', fmt, '--fail-on', 'none', '--quiet'];
  if (s.format !== 'none' && s.format !== 'github') io.stdout((await cli(quiet(s.format), s.cwd, env, () => {})).out);
  if (s.annotations) io.stdout((await cli(quiet('github'), s.cwd, env, () => {})).out);
  if (s.summary || s.comment !== 'off') {
    let markdown = (await cli(quiet('markdown'), s.cwd, env, () => {})).out;
    if (s.comment !== 'off') {
      const posted = await postComment(env, s.token, s.comment, markdown);
      io.stdout(posted.ok ? `${posted.message}\n` : `::warning title=iac-vpce::${escapeData(posted.message)}\n`);
      if (!posted.ok) markdown += `\n> ${posted.message}\n`;
    }
    if (s.summary) appendSummary(env, markdown);
  }
  const counts = countResults(s.sarifFile);
  setOutput(env, 'sarif-file', s.sarifFile);
  setOutput(env, 'errors', String(counts.error));
  setOutput(env, 'warnings', String(counts.warning));
  setOutput(env, 'notes', String(counts.note));
  return primary.code;
}
