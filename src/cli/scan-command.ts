import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, scanRootOf, type IacVpceConfig } from '../engine/config.js';
import { scan, type ScanOptions, type ScanOutput } from '../engine/scan.js';
import { applyBaseline, formatBaseline, readBaseline } from '../engine/baseline.js';
import { changedSince, onChangedLines } from '../engine/new-since.js';
import type { Level } from '../source/findings.js';
import { DEFAULT_REPORT_FORMAT, type ReportFormat } from '../source/report-formats.js';
import { format } from '../report/index.js';
import { sourceRootOf } from '../engine/repository.js';
import type { Io } from './io.js';
import { changedScanPaths } from './changed-paths.js';
import { isUndecided, type Diagnostic } from '../source/types.js';
import { environmentRegion, unknownRegion, unknownRules } from './choices.js';
import { outputProblem, STDOUT, writeOutput } from './output.js';
import { startProgress } from './progress.js';

export type Threshold = Level | 'none';

export interface ScanFlags {
  /** Absent when not given on the command line: the config file or the default decides. */
  format?: ReportFormat;
  output?: string;
  failOn?: Threshold;
  failOnDiagnostics?: Threshold;
  region?: string;
  varFile?: string[];
  var?: string[];
  param?: string[];
  rule?: string[];
  skipRule?: string[];
  color: boolean;
  quiet?: boolean;
  /** The paths are changed files: scan what they belong to (`--changed`). */
  changed?: boolean;
  showUndecided?: boolean;
  config?: string;
  /** False with --no-inline-suppressions; absent otherwise. */
  inlineSuppressions?: boolean;
  /** `--exclude` globs, relative to the scan root (repeatable). */
  exclude?: string[];
  baseline?: string;
  writeBaseline?: string;
  newSince?: string;
  /** SARIF: the analysis category (`automationDetails.id` `iac-vpce/<category>/`). */
  category?: string;
  /** SARIF: emit suppressed findings, marked with `suppressions`. */
  includeSuppressed?: boolean;
}

const RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

/** What the command line and the config file decide together, checked before anything is scanned. */
interface Settings {
  options: ScanOptions;
  config: IacVpceConfig;
  configDiagnostics: Diagnostic[];
  reportFormat: ReportFormat;
  failOn: Threshold;
  failOnDiagnostics: Threshold;
  /** Absolute path of the baseline to compare with. */
  baseline?: string;
  regionNote?: Diagnostic;
}

function keyValues(flag: string, list: string[] | undefined, into: Record<string, string>): string | undefined {
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return `${flag} expects key=value, got "${kv}"`;
    into[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return undefined;
}

/** The region for configurations that set none: `--region`, then the config file, then the environment (with a note). */
function resolveRegion(flags: ScanFlags, config: IacVpceConfig, io: Io): { region?: string; note?: Diagnostic; error?: string } {
  if (flags.region !== undefined) return { region: flags.region, error: unknownRegion('--region', flags.region) };
  if (config.region !== undefined) return { region: config.region, error: unknownRegion('the config file\'s "region"', config.region) };
  const env = environmentRegion(io.env);
  if (env === undefined) return {};
  const note: Diagnostic = {
    severity: 'note',
    code: 'region-from-environment',
    file: '',
    message: `Neither --region nor the config file sets a region: ${env.region} from ${env.variable} is used for configurations that set none, as Terraform's AWS provider and the CDK would use it (~/.aws/config is never read).`,
  };
  return { region: env.region, note, error: unknownRegion(env.variable, env.region) };
}

function settle(paths: string[], flags: ScanFlags, io: Io): Settings | { error: string } {
  const abs = paths.map((p) => path.resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) return { error: `no such file or directory: ${missing.map((p) => path.relative(io.cwd, p) || '.').join(', ')}` };
  const loaded = loadConfig({
    explicit: flags.config !== undefined ? path.resolve(io.cwd, flags.config) : undefined,
    scanRoot: scanRootOf(abs, io.cwd),
    cwd: io.cwd,
  });
  if (loaded.error) return { error: loaded.error };
  const config = loaded.config;
  // The command line wins over the config file, key by key; `vars` merge by name.
  const vars: Record<string, string> = { ...config.vars };
  const params: Record<string, string> = { ...config.params };
  const problem =
    keyValues('--var', flags.var, vars) ??
    keyValues('--param', flags.param, params) ??
    (flags.varFile ?? []).map((f) => (existsSync(path.resolve(io.cwd, f)) ? undefined : `--var-file ${f}: no such file`)).find(Boolean) ??
    unknownRules('--rule', flags.rule) ??
    unknownRules('--skip-rule', flags.skipRule) ??
    (flags.output !== undefined ? outputProblem('--output', flags.output, io.cwd) : undefined) ??
    (flags.writeBaseline !== undefined ? outputProblem('--write-baseline', flags.writeBaseline, io.cwd) : undefined);
  if (problem) return { error: problem };
  const region = resolveRegion(flags, config, io);
  if (region.error) return { error: region.error };
  const baseline = flags.baseline !== undefined ? path.resolve(io.cwd, flags.baseline) : config.baseline;
  return {
    options: {
      paths: abs,
      region: region.region,
      vars,
      params,
      varFiles: flags.varFile ? flags.varFile.map((f) => path.resolve(io.cwd, f)) : (config.varFiles ?? []),
      rules: flags.rule ?? config.rules,
      skipRules: flags.skipRule ?? config.skipRules,
      inlineSuppressions: flags.inlineSuppressions ?? config.inlineSuppressions ?? true,
      configIgnores: config.ignore,
      // Both apply: a pattern on the command line adds to the config file's list rather than replacing it.
      exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
    },
    config,
    configDiagnostics: loaded.diagnostics,
    reportFormat: flags.format ?? config.format ?? DEFAULT_REPORT_FORMAT,
    failOn: flags.failOn ?? config.failOn ?? 'error',
    failOnDiagnostics: flags.failOnDiagnostics ?? config.failOnDiagnostics ?? 'error',
    ...(baseline !== undefined ? { baseline } : {}),
    ...(region.note ? { regionNote: region.note } : {}),
  };
}

/** Leaves out findings in the baseline and, with --new-since, those away from changed lines. */
function narrow(result: ScanOutput, s: Settings, flags: ScanFlags): { result: ScanOutput; inBaseline: number } | { error: string } {
  let findings = result.findings;
  let inBaseline = 0;
  if (s.baseline !== undefined) {
    const read = readBaseline(s.baseline);
    if ('error' in read) return { error: `--baseline: ${read.error}` };
    ({ kept: findings, inBaseline } = applyBaseline(findings, read.fingerprints));
  }
  if (flags.newSince !== undefined) {
    const since = changedSince(result.root, flags.newSince);
    if ('error' in since) return { error: since.error };
    findings = onChangedLines(findings, since.changed).kept;
  }
  return { result: { ...result, findings }, inBaseline };
}

const atOrAbove = (level: Level, threshold: Threshold) => threshold !== 'none' && RANK[level] >= RANK[threshold];

export async function runScan(paths: string[], flags: ScanFlags, io: Io): Promise<number> {
  const usage = (msg: string) => {
    io.stderr(`iac-vpce: ${msg}\n`);
    return 2;
  };
  let root: string | undefined;
  if (flags.changed) {
    const widened = await changedScanPaths(paths, flags.quiet, io);
    if (widened === undefined) return 0;
    ({ paths, root } = widened);
  }
  const settled = settle(paths, flags, io);
  if ('error' in settled) return usage(settled.error);
  const s = settled;
  const progress = startProgress(io);
  const scanned = await scan({ ...s.options, ...(root !== undefined ? { root } : {}), onProgress: progress.tick });
  progress.end();
  const extra = [...s.configDiagnostics, ...(s.regionNote ? [s.regionNote] : [])];
  const full: ScanOutput = extra.length > 0 ? { ...scanned, diagnostics: [...extra, ...scanned.diagnostics] } : scanned;
  if (full.empty) {
    const message = `nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found`;
    // A requested SARIF or JSON report is written all the same, so an upload step finds a valid file that says why it is empty.
    if (s.reportFormat !== 'text') {
      const withNote = { ...full, diagnostics: [...full.diagnostics, { severity: 'error' as const, code: 'nothing-to-scan', file: '', message }] };
      const failed = emit(format(withNote, s.reportFormat), flags, io);
      if (failed) io.stderr(`iac-vpce: ${failed}\n`);
    }
    return usage(message);
  }
  if (flags.writeBaseline !== undefined) {
    const failed = writeOutput(flags.writeBaseline, io.cwd, formatBaseline(full.findings, full.toolVersion));
    if (failed) return usage(`--write-baseline: ${failed}`);
  }
  const narrowed = narrow(full, s, flags);
  if ('error' in narrowed) return usage(narrowed.error);
  const { result, inBaseline } = narrowed;
  const failed = report(result, s, flags, io, inBaseline);
  if (failed) return usage(failed);
  const findingsFail = result.findings.some((f) => atOrAbove(f.level, s.failOn));
  const diagnosticsFail = result.diagnostics.some((d) => atOrAbove(d.severity, s.failOnDiagnostics));
  return findingsFail || diagnosticsFail ? 1 : 0;
}

/** Writes the report where it goes; returns a message when the file cannot be written. */
function emit(text: string, flags: ScanFlags, io: Io): string | undefined {
  if (flags.output === undefined || flags.output === STDOUT) {
    io.stdout(text);
    return undefined;
  }
  return writeOutput(flags.output, io.cwd, text);
}

function report(result: ScanOutput, s: Settings, flags: ScanFlags, io: Io, inBaseline: number): string | undefined {
  const toFile = flags.output !== undefined && flags.output !== STDOUT;
  const color = s.reportFormat === 'text' && !toFile && flags.color && io.isTty && !('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '');
  const readFile = (rel: string) => {
    try {
      return readFileSync(path.join(result.root, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  const vpcs = result.graphs.reduce((n, g) => n + g.all('vpc').length, 0);
  // Wrapped only for a terminal: piped or written to a file, one message stays one line for grep and diff.
  const width = s.reportFormat === 'text' && !toFile && io.isTty && io.columns !== undefined && io.columns > 0 ? io.columns : undefined;
  if (flags.category !== undefined && !/[^/\s]/.test(flags.category)) return `--category needs a name, got "${flags.category}"`;
  // SARIF URIs are relative to the repository root, where GitHub code scanning looks for the files.
  const sarif = { sourceRoot: sourceRootOf(result.root, io.cwd), category: flags.category, includeSuppressed: flags.includeSuppressed === true };
  const text = format(result, s.reportFormat, { color, readFile, showUndecided: flags.showUndecided === true, width, vpcs, inBaseline, sarif });
  const failed = emit(text, flags, io);
  if (failed) return failed;
  // The text report lists diagnostics itself; other formats carry them inside, so say them once on stderr too.
  if (flags.quiet || (s.reportFormat === 'text' && !toFile)) return undefined;
  for (const d of result.diagnostics.filter((x) => x.severity !== 'note')) {
    io.stderr(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`);
  }
  if (toFile) {
    const n = result.findings.length;
    const undecided = result.diagnostics.filter(isUndecided).length;
    const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
    const more = `${inBaseline > 0 ? `, ${inBaseline} in baseline` : ''}${undecided > 0 ? `, ${undecided} undecided` : ''}`;
    io.stderr(`iac-vpce: ${n} finding${n === 1 ? '' : 's'} in ${files}${more}; report written to ${flags.output}\n`);
  }
  return undefined;
}
