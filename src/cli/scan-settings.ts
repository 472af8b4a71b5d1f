import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, scanRootOf, type IacVpceConfig } from '../engine/config.js';
import type { ScanOptions } from '../engine/scan.js';
import type { Diagnostic } from '../source/types.js';
import { environmentRegion, unknownRegion, unknownRules } from './choices.js';
import type { Io } from './io.js';

/** What `scan`, `graph` and `fix` read the same way: the configurations to load and the rules to run. */
export interface ScanInputFlags {
  region?: string;
  varFile?: string[];
  var?: string[];
  param?: string[];
  rule?: string[];
  skipRule?: string[];
  config?: string;
  /** False with --no-inline-suppressions; absent otherwise. */
  inlineSuppressions?: boolean;
  /** `--exclude` globs, relative to the scan root (repeatable). */
  exclude?: string[];
  /** `--allow-outside-root` paths (repeatable). */
  allowOutsideRoot?: string[];
}

/** The scan the command line and the config file decide together, checked before anything is read. */
export interface ScanInputs {
  options: ScanOptions;
  config: IacVpceConfig;
  /** The config file's own diagnostics, and a note when the region comes from the environment. */
  diagnostics: Diagnostic[];
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
function resolveRegion(flags: ScanInputFlags, config: IacVpceConfig, io: Io): { region?: string; note?: Diagnostic; error?: string } {
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

/**
 * The paths, the config file and the flags as one set of scan options; a string is a usage error (a missing path or
 * variable file, a malformed `key=value`, an unknown rule or region). The command line wins over the config file, key
 * by key; `vars` and `params` merge by name; `exclude` patterns add up.
 */
export function settleScanInputs(paths: string[], flags: ScanInputFlags, io: Io): ScanInputs | string {
  const abs = paths.map((p) => path.resolve(io.cwd, p));
  const missing = abs.filter((p) => !existsSync(p));
  if (missing.length) return `no such file or directory: ${missing.map((p) => path.relative(io.cwd, p) || '.').join(', ')}`;
  const loaded = loadConfig({
    explicit: flags.config !== undefined ? path.resolve(io.cwd, flags.config) : undefined,
    scanRoot: scanRootOf(abs, io.cwd),
    cwd: io.cwd,
  });
  if (loaded.error) return loaded.error;
  const config = loaded.config;
  const vars: Record<string, string> = { ...config.vars };
  const params: Record<string, string> = { ...config.params };
  const problem =
    keyValues('--var', flags.var, vars) ??
    keyValues('--param', flags.param, params) ??
    (flags.varFile ?? []).map((f) => (existsSync(path.resolve(io.cwd, f)) ? undefined : `--var-file ${f}: no such file`)).find(Boolean) ??
    unknownRules('--rule', flags.rule) ??
    unknownRules('--skip-rule', flags.skipRule);
  if (problem) return problem;
  const region = resolveRegion(flags, config, io);
  if (region.error) return region.error;
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
      exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
      // A variables file named on the command line is the user's own choice, wherever it lies.
      allowOutsideRoot: [
        ...(config.allowOutsideRoot ?? []),
        ...(flags.allowOutsideRoot ?? []).map((p) => path.resolve(io.cwd, p)),
        ...(flags.varFile ?? []).map((f) => path.resolve(io.cwd, f)),
      ],
    },
    config,
    diagnostics: [...loaded.diagnostics, ...(region.note ? [region.note] : [])],
  };
}
