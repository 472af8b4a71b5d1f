import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { loadConfig, scanRootOf } from '../engine/config.js';
import { applyEdits, planEdits } from '../engine/fix-edits/apply.js';
import { scan, type ScanOptions } from '../engine/scan.js';
import type { Io } from './io.js';

export interface FixFlags {
  dryRun?: boolean;
  rule?: string[];
  region?: string;
  varFile?: string[];
  var?: string[];
  param?: string[];
  config?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function keyValues(list: string[] | undefined, flag: string, into: Record<string, string>): string | undefined {
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return `${flag} expects key=value, got "${kv}"`;
    into[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return undefined;
}

/** The scan `fix` runs: the same settings as `scan`, from the command line over the config file. */
function scanOptions(paths: string[], flags: FixFlags, io: Io): ScanOptions | string {
  const abs = paths.map((p) => path.resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) return `no such file or directory: ${missing.map((p) => path.relative(io.cwd, p) || '.').join(', ')}`;
  const loaded = loadConfig({
    explicit: flags.config !== undefined ? path.resolve(io.cwd, flags.config) : undefined,
    scanRoot: scanRootOf(abs, io.cwd),
    cwd: io.cwd,
  });
  if (loaded.error) return loaded.error;
  const { config } = loaded;
  const vars: Record<string, string> = { ...config.vars };
  const params: Record<string, string> = { ...config.params };
  const bad = keyValues(flags.var, '--var', vars) ?? keyValues(flags.param, '--param', params);
  if (bad) return bad;
  return {
    paths: abs,
    region: flags.region ?? config.region,
    vars,
    params,
    varFiles: flags.varFile ? flags.varFile.map((f) => path.resolve(io.cwd, f)) : (config.varFiles ?? []),
    rules: flags.rule ?? config.rules,
    skipRules: config.skipRules,
    inlineSuppressions: config.inlineSuppressions ?? true,
    configIgnores: config.ignore,
  };
}

/**
 * `iac-vpce fix`: scans, makes every exact edit the findings carry (suppressed findings carry none), prints them as a
 * unified diff, writes the files unless `--dry-run`, then scans again and says what is left.
 */
export async function runFix(paths: string[], flags: FixFlags, io: Io): Promise<number> {
  const options = scanOptions(paths, flags, io);
  if (typeof options === 'string') {
    io.stderr(`iac-vpce: ${options}\n`);
    return 2;
  }
  const result = await scan(options);
  if (result.empty) {
    io.stderr(`iac-vpce: nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found\n`);
    return 2;
  }
  const fixable = result.findings.filter((f) => f.fix?.edits?.length);
  let applied = 0;
  for (const plan of planEdits(fixable)) {
    const abs = path.join(result.root, plan.file);
    const before = readFileSync(abs, 'utf8');
    const after = applyEdits(before, plan.edits);
    applied += plan.edits.length;
    io.stdout(createTwoFilesPatch(`a/${plan.file}`, `b/${plan.file}`, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
    for (const e of plan.skipped)
      io.stderr(`iac-vpce: ${plan.file}:${e.range.start.line}: an edit overlaps another one and was left out; run iac-vpce fix again\n`);
    if (!flags.dryRun) writeFileSync(abs, after);
  }
  const manual = result.findings.length - fixable.length;
  if (flags.dryRun) {
    io.stderr(
      `iac-vpce: ${plural(applied, 'edit')} would fix ${plural(fixable.length, 'finding')} of ${result.findings.length}; ${plural(manual, 'finding')} need a change by hand (dry run: no file written)\n`,
    );
    return 0;
  }
  const rescan = applied > 0 ? await scan(options) : result;
  io.stderr(
    `iac-vpce: ${plural(applied, 'edit')} made for ${plural(fixable.length, 'finding')}; ${plural(rescan.findings.length, 'finding')} remain${rescan.findings.length === 1 ? 's' : ''}\n`,
  );
  return 0;
}
