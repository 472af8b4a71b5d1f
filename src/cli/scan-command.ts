import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, scanRootOf } from '../engine/config.js';
import { scan } from '../engine/scan.js';
import type { Level } from '../source/findings.js';
import { DEFAULT_REPORT_FORMAT, type ReportFormat } from '../source/report-formats.js';
import { format } from '../report/index.js';
import type { Io } from './io.js';
import { isUndecided } from '../source/types.js';

interface ScanFlags {
  /** Absent when not given on the command line: the config file or the default decides. */
  format?: ReportFormat;
  output?: string;
  failOn?: Level | 'none';
  region?: string;
  varFile?: string[];
  var?: string[];
  param?: string[];
  rule?: string[];
  skipRule?: string[];
  /** `--exclude` globs, relative to the scan root (repeatable). */
  exclude?: string[];
  color: boolean;
  quiet?: boolean;
  showUndecided?: boolean;
  config?: string;
  /** False with --no-inline-suppressions; absent otherwise. */
  inlineSuppressions?: boolean;
}

const RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

export async function runScan(paths: string[], flags: ScanFlags, io: Io): Promise<number> {
  const usage = (msg: string) => {
    io.stderr(`iac-vpce: ${msg}\n`);
    return 2;
  };
  const abs = paths.map((p) => path.resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) return usage(`no such file or directory: ${missing.map((p) => path.relative(io.cwd, p) || '.').join(', ')}`);
  const loaded = loadConfig({
    explicit: flags.config !== undefined ? path.resolve(io.cwd, flags.config) : undefined,
    scanRoot: scanRootOf(abs, io.cwd),
    cwd: io.cwd,
  });
  if (loaded.error) return usage(loaded.error);
  const config = loaded.config;
  // The command line wins over the config file, key by key; `vars` merge by name.
  const reportFormat = flags.format ?? config.format ?? DEFAULT_REPORT_FORMAT;
  const failOn = flags.failOn ?? config.failOn ?? 'error';
  const vars: Record<string, string> = { ...config.vars };
  for (const kv of flags.var ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return usage(`--var expects key=value, got "${kv}"`);
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const params: Record<string, string> = { ...config.params };
  for (const kv of flags.param ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return usage(`--param expects Key=Value, got "${kv}"`);
    params[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const f of flags.varFile ?? []) if (!existsSync(path.resolve(io.cwd, f))) return usage(`--var-file ${f}: no such file`);
  if (flags.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region))
    return usage(`--region ${flags.region} is not an AWS region name (like us-east-1)`);

  const scanned = await scan({
    paths: abs,
    region: flags.region ?? config.region,
    vars,
    params,
    varFiles: flags.varFile ? flags.varFile.map((f) => path.resolve(io.cwd, f)) : (config.varFiles ?? []),
    rules: flags.rule ?? config.rules,
    skipRules: flags.skipRule ?? config.skipRules,
    inlineSuppressions: flags.inlineSuppressions ?? config.inlineSuppressions ?? true,
    configIgnores: config.ignore,
    // Both apply: a pattern on the command line adds to the config file\'s list rather than replacing it.
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
  });
  const result = loaded.diagnostics.length > 0 ? { ...scanned, diagnostics: [...loaded.diagnostics, ...scanned.diagnostics] } : scanned;
  if (result.empty) return usage(`nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found`);

  const color = reportFormat === 'text' && !flags.output && flags.color && io.isTty && !('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '');
  const readFile = (rel: string) => {
    try {
      return readFileSync(path.join(result.root, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  // Wrapped only for a terminal: piped or written to a file, one message stays one line for grep and diff.
  const width = reportFormat === 'text' && !flags.output && io.isTty && io.columns !== undefined && io.columns > 0 ? io.columns : undefined;
  const report = format(result, reportFormat, { color, readFile, showUndecided: flags.showUndecided === true, width });
  if (flags.output) {
    writeFileSync(path.resolve(io.cwd, flags.output), report);
  } else io.stdout(report);

  // The text report lists diagnostics itself; other formats carry them inside, so say them once on stderr too.
  if (!flags.quiet && (reportFormat !== 'text' || flags.output)) {
    for (const d of result.diagnostics.filter((x) => x.severity !== 'note')) {
      io.stderr(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`);
    }
    if (flags.output) {
      const n = result.findings.length;
      const undecided = result.diagnostics.filter(isUndecided).length;
      io.stderr(
        `iac-vpce: ${n} finding${n === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}${undecided > 0 ? `, ${undecided} undecided` : ''}; report written to ${flags.output}\n`,
      );
    }
  }
  if (failOn === 'none') return 0;
  const threshold = RANK[failOn];
  return result.findings.some((f) => RANK[f.level] >= threshold) ? 1 : 0;
}
