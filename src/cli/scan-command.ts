import { readFileSync } from 'node:fs';
import path from 'node:path';
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
import { settleScanInputs, type ScanInputFlags } from './scan-settings.js';
import { outputProblem, STDOUT, writeOutput } from './output.js';
import { startProgress } from './progress.js';
import { parseStageOf, type ParseFlags } from './parse-flags.js';
import { parseShard } from '../engine/shard.js';

export type Threshold = Level | 'none';

export interface ScanFlags extends ScanInputFlags, ParseFlags {
  /** Absent when not given on the command line: the config file or the default decides. */
  format?: ReportFormat;
  output?: string;
  failOn?: Threshold;
  failOnDiagnostics?: Threshold;
  color: boolean;
  quiet?: boolean;
  /** The paths are changed files: scan what they belong to (`--changed`). */
  changed?: boolean;
  showUndecided?: boolean;
  baseline?: string;
  writeBaseline?: string;
  newSince?: string;
  /** SARIF: the analysis category (`automationDetails.id` `iac-vpce/<category>/`). */
  category?: string;
  /** SARIF: emit suppressed findings, marked with `suppressions`. */
  includeSuppressed?: boolean;
  /** `K/N`: scan only this part of the root modules, plans, templates and CDK apps (`iac-vpce merge` joins the parts). */
  shard?: string;
  /**
   * More renderings of the same result, each handed to its writer (the Action's log, annotations and job summary):
   * one scan, several reports. Rendered plain, without colour or wrapping.
   */
  also?: Array<{ format: ReportFormat; write: (text: string) => void }>;
}

const RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

/** What the command line and the config file decide together, checked before anything is scanned. */
interface Settings {
  options: ScanOptions;
  /** The config file's diagnostics and the note on a region from the environment. */
  configDiagnostics: Diagnostic[];
  reportFormat: ReportFormat;
  failOn: Threshold;
  failOnDiagnostics: Threshold;
  /** Absolute path of the baseline to compare with. */
  baseline?: string;
}

function settle(paths: string[], flags: ScanFlags, io: Io): Settings | { error: string } {
  const inputs = settleScanInputs(paths, flags, io);
  if (typeof inputs === 'string') return { error: inputs };
  const problem =
    (flags.output !== undefined ? outputProblem('--output', flags.output, io.cwd) : undefined) ??
    (flags.writeBaseline !== undefined ? outputProblem('--write-baseline', flags.writeBaseline, io.cwd) : undefined);
  if (problem) return { error: problem };
  const { config } = inputs;
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : undefined;
  if (typeof shard === 'string') return { error: shard };
  if (shard) inputs.options.shard = shard;
  const baseline = flags.baseline !== undefined ? path.resolve(io.cwd, flags.baseline) : config.baseline;
  return {
    options: inputs.options,
    configDiagnostics: inputs.diagnostics,
    reportFormat: flags.format ?? config.format ?? DEFAULT_REPORT_FORMAT,
    failOn: flags.failOn ?? config.failOn ?? 'error',
    failOnDiagnostics: flags.failOnDiagnostics ?? config.failOnDiagnostics ?? 'error',
    ...(baseline !== undefined ? { baseline } : {}),
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
  const stage = parseStageOf(flags, io);
  const scanned = await scan({ ...s.options, ...(root !== undefined ? { root } : {}), onProgress: progress.tick, parse: stage.parse });
  progress.end();
  const extra = [...s.configDiagnostics, ...stage.diagnostics];
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
  const vpcs = result.vpcs;
  // Wrapped only for a terminal: piped or written to a file, one message stays one line for grep and diff.
  const width = s.reportFormat === 'text' && !toFile && io.isTty && io.columns !== undefined && io.columns > 0 ? io.columns : undefined;
  if (flags.category !== undefined && !/[^/\s]/.test(flags.category)) return `--category needs a name, got "${flags.category}"`;
  // SARIF URIs are relative to the repository root, where GitHub code scanning looks for the files.
  const sarif = {
    sourceRoot: sourceRootOf(result.root, io.cwd),
    category: flags.category,
    includeSuppressed: flags.includeSuppressed === true,
    ...(s.options.shard ? { shard: s.options.shard } : {}),
  };
  const text = format(result, s.reportFormat, { color, readFile, showUndecided: flags.showUndecided === true, width, vpcs, inBaseline, sarif });
  const failed = emit(text, flags, io);
  if (failed) return failed;
  for (const extra of flags.also ?? [])
    extra.write(format(result, extra.format, { readFile, showUndecided: flags.showUndecided === true, vpcs, inBaseline, sarif }));
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
