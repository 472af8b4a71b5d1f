/**
 * Runs the built CLI on one generated hostile case, in its own process, with a time limit, and records every path
 * the process opened: with `strace` where it can trace (Linux with ptrace allowed), otherwise with an `fs` hook
 * preloaded into the process (`fs-hook.mjs`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, type CaseContext, type HostileCase } from './cases.js';

/** The CLI under test: the repository's build, or another build named by IAC_VPCE_HOSTILE_CLI (a bin.js path). */
export const CLI = process.env.IAC_VPCE_HOSTILE_CLI ? path.resolve(process.env.IAC_VPCE_HOSTILE_CLI) : path.join(REPO, 'dist/src/cli/bin.js');
/** The install the CLI runs from: its dist/, node_modules/ and data/ are its own files. */
const INSTALL = path.resolve(path.dirname(CLI), '../../..');
const HOOK = path.join(__dirname, 'fs-hook.mjs');

export type Tracer = 'strace' | 'hook' | 'none';

let tracer: Tracer | undefined;
/** strace when it runs and can trace here (it needs ptrace), else the fs hook; IAC_VPCE_HOSTILE_TRACE forces one. */
export function chooseTracer(): Tracer {
  if (tracer) return tracer;
  const forced = process.env.IAC_VPCE_HOSTILE_TRACE;
  if (forced === 'strace' || forced === 'hook' || forced === 'none') return (tracer = forced);
  if (process.platform !== 'linux') return (tracer = 'hook');
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=openat', process.execPath, '-e', '0'], { timeout: 20_000 });
  return (tracer = probe.status === 0 ? 'strace' : 'hook');
}

/** The unprivileged user a case runs as when it asks to (permission cases under root): nobody. */
const NOBODY = 65534;
export const runsAsRoot = () => process.getuid?.() === 0;

export interface CaseRun {
  exit: number | null;
  signal: NodeJS.Signals | null;
  /** Killed at the time limit. */
  timedOut: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  /** The parsed JSON report, when one was written. */
  report?: Report;
  /** Paths the process opened that are neither in the case's root nor the tool's own or the system's files. */
  outside: string[];
  /** Processes started or sockets connected (there should be none). */
  escapes: string[];
  tracer: Tracer;
}

export interface Report {
  findings: Array<{ ruleId: string; location: { file: string; start?: { line: number } } }>;
  diagnostics: Array<{ severity: string; code: string; message: string; file?: string; line?: number }>;
}

export function makeCaseDir(name: string, base: string): { caseDir: string; ctx: CaseContext } {
  const caseDir = path.join(base, name);
  const ctx: CaseContext = { above: path.join(caseDir, 'a'), outside: path.join(caseDir, 'a/outside'), root: path.join(caseDir, 'a/b/root') };
  mkdirSync(ctx.root, { recursive: true });
  mkdirSync(ctx.outside, { recursive: true });
  return { caseDir, ctx };
}

export const newBase = () => mkdtempSync(path.join(tmpdir(), 'iac-vpce-hostile-'));

/** Removes a case folder, restoring permissions a case took away first. */
export function removeCaseDir(dir: string): void {
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) chmodSync(p, 0o644);
    }
  };
  try {
    walk(dir);
  } catch {
    // best effort; rmSync below reports nothing either
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function runCase(c: HostileCase, caseDir: string, ctx: CaseContext, limitMs: number): Promise<CaseRun> {
  const reportPath = path.join(caseDir, 'report.json');
  const traceLog = path.join(caseDir, 'trace.log');
  const which = chooseTracer();
  const allowedOutside = c.allowOutside?.(ctx);
  const args = [CLI, 'scan', '.', '--format', 'json', '--output', reportPath, '--fail-on', 'warning', ...(c.args ?? [])];
  if (allowedOutside) args.push('--allow-outside-root', allowedOutside);
  // A 1 GB heap: memory that the input limits do not bound ends in a crash here, not in a machine swapping.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: caseDir, LANG: 'C.UTF-8', NODE_OPTIONS: '--max-old-space-size=1024' };
  let argv: string[];
  if (which === 'strace')
    argv = ['strace', '-f', '-qq', '-s', '4096', '-o', traceLog, '-e', 'trace=open,openat,openat2,execve,execveat,connect', process.execPath, ...args];
  else if (which === 'hook') {
    env.IAC_VPCE_OPEN_LOG = traceLog;
    argv = [process.execPath, '--import', HOOK, ...args];
  } else argv = [process.execPath, ...args];
  if (c.unprivileged && runsAsRoot()) {
    // The case folder must be reachable and the report writable by the unprivileged user; the hostile file keeps its mode.
    chmodTree(caseDir);
    argv = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...argv];
  }
  const started = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ctx.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, limitMs);
  const [exit, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  clearTimeout(timer);
  const ms = Date.now() - started;
  let report: Report | undefined;
  if (existsSync(reportPath)) {
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    } catch {
      report = undefined;
    }
  }
  const opened = which === 'strace' ? readStrace(traceLog, ctx.root) : which === 'hook' ? readHookLog(traceLog, ctx.root) : { paths: [], escapes: [] };
  // The tool's own parse cache lives in the user cache directory (HOME is the case folder here): its state, not input.
  const cacheDir = path.join(caseDir, '.cache', 'iac-vpce');
  const allowed = allowList(allowedOutside ? [ctx.root, allowedOutside, cacheDir] : [ctx.root, cacheDir], [reportPath]);
  const outside = [...new Set(opened.paths.filter((p) => !allowed(p)).map((p) => (real(p) === p ? p : `${p} (${real(p)})`)))].sort();
  return { exit, signal, timedOut, ms, stdout, stderr, report, outside, escapes: opened.escapes, tracer: which };
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o777);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) chmodTree(path.join(dir, e.name));
  }
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if ((statSync(d).mode & 0o005) !== 0o005) chmodSync(d, statSync(d).mode | 0o005);
  }
}

/** Unescapes a string strace printed in C notation. */
function unC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * Opened paths from an strace log: successful open/openat calls, relative ones resolved against the working
 * directory (a relative path against another directory descriptor is kept as written, and so reported). Every
 * execve after the first (the CLI itself) and every connect is an escape.
 */
export function readStrace(log: string, cwd: string): { paths: string[]; escapes: string[] } {
  const paths: string[] = [];
  const escapes: string[] = [];
  const pending = new Map<string, { call: string; path: string }>();
  let execs = 0;
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  for (const line of lines) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, pid, rest] = m as unknown as [string, string, string];
    let call: string;
    let target: string;
    let result: string | undefined;
    const resumed = /^<\.\.\. (\w+) resumed>.*= (-?\d+)/.exec(rest);
    if (resumed) {
      const p = pending.get(pid);
      pending.delete(pid);
      if (!p) continue;
      call = p.call;
      target = p.path;
      result = resumed[2];
    } else {
      const c = /^(openat2?|open|execveat|execve|connect)\((?:(AT_FDCWD|\d+), )?"((?:[^"\\]|\\.)*)"/.exec(rest) ?? /^(connect)\(/.exec(rest);
      if (!c) continue;
      call = c[1]!;
      const dirfd = c[2];
      target = c[3] !== undefined ? unC(c[3]) : '';
      if (target && !path.isAbsolute(target) && (dirfd === undefined || dirfd === 'AT_FDCWD')) target = path.resolve(cwd, target);
      if (/<unfinished \.\.\.>$/.test(rest)) {
        pending.set(pid, { call, path: target });
        continue;
      }
      result = /= (-?\d+)/.exec(rest)?.[1];
    }
    if (result === undefined || Number(result) < 0) continue;
    if (call.startsWith('open')) paths.push(target);
    else if (call.startsWith('execve')) {
      if (++execs > 1) escapes.push(`started ${target}`);
    } else escapes.push(`connect: ${line.slice(0, 200)}`);
  }
  return { paths, escapes };
}

/** Paths recorded by the fs hook, one JSON string a line. */
function readHookLog(log: string, cwd: string): { paths: string[]; escapes: string[] } {
  const paths = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => path.resolve(cwd, JSON.parse(l) as string))
    : [];
  return { paths, escapes: [] };
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(real(parent), path.basename(p));
  }
};
const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');

/** System files node itself opens at start (dynamic loader, time zone, OpenSSL, memory limits). */
const SYSTEM_FILES = [
  '/etc/ld.so.cache',
  '/etc/ld.so.preload',
  '/etc/localtime',
  '/etc/ssl/openssl.cnf',
  '/usr/lib/ssl/openssl.cnf',
  '/dev/null',
  '/dev/urandom',
  '/dev/random',
  '/proc/meminfo',
  '/proc/sys/vm/overcommit_memory',
  '/proc/self/maps',
  '/proc/self/cgroup',
  '/proc/self/mountinfo',
  '/proc/self/stat',
  '/proc/self/status',
  '/proc/stat',
  '/proc/cpuinfo',
  '/proc/self/exe',
];
const SYSTEM_DIRS = [
  '/lib',
  '/lib64',
  '/usr/lib',
  '/usr/lib64',
  '/usr/local/lib',
  '/usr/share/zoneinfo',
  '/sys/fs/cgroup',
  '/sys/devices/system/cpu',
  '/etc/ssl/certs',
];

/**
 * Whether a path the process opened is allowed: (resolved through links) inside the scan root (or a folder the scan
 * was allowed into), one of the tool's own
 * files (its install's dist, node_modules, data and package.json), node's binary, or a system file node opens itself.
 * /proc/<pid>/ of the process counts as /proc/self/.
 */
export function allowList(roots: string[], extra: string[]): (p: string) => boolean {
  const rootsReal = roots.map(real);
  const own = ['dist', 'node_modules', 'data', 'package.json'].map((d) => real(path.join(INSTALL, d)));
  const nodeBin = real(process.execPath);
  const nodeDirs = [path.resolve(path.dirname(nodeBin), '../lib/node'), path.resolve(path.dirname(nodeBin), '../include/node')];
  const exact = new Set([...SYSTEM_FILES, nodeBin, ...extra.map(real)]);
  const systemDirs = SYSTEM_DIRS.map(real);
  return (p: string) => {
    const r = real(p.replace(/^\/proc\/\d+\//, '/proc/self/'));
    const q = p.replace(/^\/proc\/\d+\//, '/proc/self/');
    if (exact.has(q) || exact.has(r)) return true;
    if (/^\/proc\/self\/task\/\d+\/(stat|comm|status)$/.test(q)) return true;
    if (rootsReal.some((d) => under(r, d))) return true;
    if (own.some((d) => under(r, d)) || nodeDirs.some((d) => under(r, d))) return true;
    return systemDirs.some((d) => under(r, d));
  };
}
