import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, scanRootOf } from '../engine/config.js';
import { scan } from '../engine/scan.js';
import { renderGraph, type GraphFormat } from '../report/graph-render.js';
import type { Io } from './io.js';

export interface GraphFlags {
  format: GraphFormat;
  output?: string;
  region?: string;
  varFile?: string[];
  var?: string[];
  param?: string[];
  config?: string;
  exclude?: string[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `key=value` pairs over the config file's mapping; a pair without `=` is returned as the error. */
function pairs(base: Record<string, string> | undefined, given: string[] | undefined): Record<string, string> | string {
  const out = { ...base };
  for (const kv of given ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return kv;
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/**
 * `iac-vpce graph`: scans the paths as `scan` does (same config file, variables, parameters and excludes, every rule
 * the config selects) and draws each VPC, with the resources that have findings highlighted. Exit 0, or 2 on a usage
 * error or when nothing can be scanned; findings never change the exit code here.
 */
export async function runGraph(paths: string[], flags: GraphFlags, io: Io): Promise<number> {
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
  const vars = pairs(config.vars, flags.var);
  if (typeof vars === 'string') return usage(`--var expects key=value, got "${vars}"`);
  const params = pairs(config.params, flags.param);
  if (typeof params === 'string') return usage(`--param expects Key=Value, got "${params}"`);
  for (const f of flags.varFile ?? []) if (!existsSync(path.resolve(io.cwd, f))) return usage(`--var-file ${f}: no such file`);
  if (flags.region !== undefined && !REGION.test(flags.region)) return usage(`--region ${flags.region} is not an AWS region name (like us-east-1)`);
  const result = await scan({
    paths: abs,
    region: flags.region ?? config.region,
    vars,
    params,
    varFiles: flags.varFile ? flags.varFile.map((f) => path.resolve(io.cwd, f)) : (config.varFiles ?? []),
    rules: config.rules,
    skipRules: config.skipRules,
    inlineSuppressions: config.inlineSuppressions ?? true,
    configIgnores: config.ignore,
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
  });
  if (result.empty) return usage(`nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found`);
  const picture = renderGraph(
    result.graphs.map((g) => g.view()),
    result.findings,
    flags.format,
  );
  if (flags.output) writeFileSync(path.resolve(io.cwd, flags.output), picture);
  else io.stdout(picture);
  for (const d of [...loaded.diagnostics, ...result.diagnostics].filter((x) => x.severity === 'error')) {
    io.stderr(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`);
  }
  return 0;
}
