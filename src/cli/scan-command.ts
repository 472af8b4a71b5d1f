import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../engine/scan.js';
import type { Level } from '../engine/types.js';
import { format } from '../report/index.js';
import type { Io } from './main.js';

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn: Level | 'none';
  region?: string;
  varFile?: string[];
  var?: string[];
  rule?: string[];
  skipRule?: string[];
  color: boolean;
  quiet?: boolean;
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
  const vars: Record<string, string> = {};
  for (const kv of flags.var ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return usage(`--var expects key=value, got "${kv}"`);
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const f of flags.varFile ?? []) if (!existsSync(path.resolve(io.cwd, f))) return usage(`--var-file ${f}: no such file`);
  if (flags.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region)) return usage(`--region ${flags.region} is not an AWS region name (like us-east-1)`);

  const result = await scan({
    paths: abs,
    region: flags.region,
    vars,
    varFiles: (flags.varFile ?? []).map((f) => path.resolve(io.cwd, f)),
    rules: flags.rule,
    skipRules: flags.skipRule,
  });
  if (result.empty) return usage(`nothing to scan in ${paths.join(', ')}: no Terraform files found`);

  const color = flags.format === 'text' && !flags.output && flags.color && io.isTty && !('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '');
  const readFile = (rel: string) => {
    try {
      return readFileSync(path.join(result.root, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  const report = format(result, flags.format, { color, readFile });
  if (flags.output) {
    writeFileSync(path.resolve(io.cwd, flags.output), report);
  } else io.stdout(report);

  // The text report lists diagnostics itself; other formats carry them inside, so say them once on stderr too.
  if (!flags.quiet && (flags.format !== 'text' || flags.output)) {
    for (const d of result.diagnostics.filter((x) => x.severity !== 'note')) {
      io.stderr(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`);
    }
    if (flags.output) {
      const n = result.findings.length;
      io.stderr(`iac-vpce: ${n} finding${n === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}; report written to ${flags.output}\n`);
    }
  }
  if (flags.failOn === 'none') return 0;
  const threshold = RANK[flags.failOn];
  return result.findings.some((f) => RANK[f.level] >= threshold) ? 1 : 0;
}
