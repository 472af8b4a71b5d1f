import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { rules as allRules } from '../../rules/index.js';
import type { Diagnostic } from '../source/types.js';
import { isIsoDate, type ConfigIgnore } from '../source/suppression.js';
import type { Level } from '../source/findings.js';

export const CONFIG_FILE_NAME = '.iac-vpce.yml';

/** The config file's settings, validated; a key that is absent or invalid is left undefined. */
export interface IacVpceConfig {
  failOn?: Level | 'none';
  format?: 'text' | 'json' | 'sarif';
  region?: string;
  rules?: string[];
  skipRules?: string[];
  /** Absolute paths (the file gives them relative to its own directory). */
  varFiles?: string[];
  vars?: Record<string, string>;
  /** CloudFormation parameter values, as `--param Key=Value` gives them. */
  params?: Record<string, string>;
  inlineSuppressions?: boolean;
  ignore: ConfigIgnore[];
}

export interface LoadedConfig {
  /** Absolute path of the file read; undefined when none was found. */
  path?: string;
  config: IacVpceConfig;
  /** `config-invalid` diagnostics: the scan goes on without the parts they name. */
  diagnostics: Diagnostic[];
  /** Set only for a file named with `--config` that cannot be read or parsed: a usage error. */
  error?: string;
}

export interface ParseConfigOptions {
  /** The file as diagnostics and ignore entries name it (relative to the scan root). */
  reportAs: string;
  /** Directory relative `var-files` are resolved against. */
  dir: string;
}

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const IGNORE_KEYS = ['rule', 'path', 'resource', 'reason', 'expires'];
const toPosix = (p: string) => p.split(path.sep).join('/');

/** Parses the text of a config file. `fatal` is set when the text is not YAML or not a mapping; nothing else is fatal. */
export function parseConfig(
  text: string,
  opts: ParseConfigOptions,
): { config: IacVpceConfig; diagnostics: Diagnostic[]; fatal?: { message: string; line?: number } } {
  const config: IacVpceConfig = { ignore: [] };
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { config, diagnostics, fatal: { message: e instanceof Error ? e.message : String(e) } };
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    return { config, diagnostics, fatal: { message: err.message, line: err.linePos?.[0].line } };
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as YamlNode | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const invalid = (node: unknown, message: string) => {
    const line = lineOf(node);
    diagnostics.push({ severity: 'warning', code: 'config-invalid', file: opts.reportAs, ...(line !== undefined ? { line } : {}), message });
  };
  // Aliases resolve once; the schema is shallow, so a walk through them stays small.
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  const root = deref(doc.contents);
  if (root === null || root === undefined || (isScalar(root) && (root.value === null || root.value === ''))) return { config, diagnostics };
  if (!isMap(root)) return { config, diagnostics, fatal: { message: 'the file must hold a mapping of settings (key: value)', line: lineOf(root) } };

  const scalarString = (node: unknown): string | undefined => {
    const n = deref(node);
    if (!isScalar(n)) return undefined;
    if (typeof n.value === 'string') return n.value;
    if (n.value instanceof Date) return n.value.toISOString().slice(0, 10);
    return undefined;
  };
  const stringList = (key: string, node: unknown): string[] | undefined => {
    const n = deref(node);
    const single = scalarString(n);
    if (single !== undefined) return [single];
    if (!isSeq(n)) {
      invalid(n ?? node, `"${key}" must be a list of strings; it was ignored.`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of n.items) {
      const s = scalarString(item);
      if (s === undefined) invalid(item, `"${key}" must be a list of strings; an item that is not one was ignored.`);
      else out.push(s);
    }
    return out;
  }; /**
   * A mapping of names to values as strings (`vars`, `params`): scalars as written, other shapes through `collection`;
   * an entry without a usable name or value is reported and left out.
   */
  const valueMap = (node: unknown, key: string, what: string, collection: (v: unknown) => string | undefined): Record<string, string> | undefined => {
    if (!isMap(node)) {
      invalid(node, `"${key}" must be a mapping of ${what} names to values; it was ignored.`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const item of node.items) {
      const name = scalarString(item.key);
      const v = deref(item.value);
      const text = isScalar(v) && v.value !== null ? (v.value instanceof Date ? v.value.toISOString().slice(0, 10) : String(v.value)) : collection(v);
      if (name === undefined || name === '') invalid(item.key, `A ${what} name in "${key}" must be a string; the entry was ignored.`);
      else if (text === undefined)
        invalid(item.value ?? item.key, `${what[0]!.toUpperCase()}${what.slice(1)} "${name}" in "${key}" has no value; it was ignored.`);
      else out[name] = text;
    }
    return out;
  };

  const ruleIds = (key: string, node: unknown): string[] | undefined => {
    const ids = stringList(key, node);
    if (!ids) return undefined;
    const known = new Set(allRules.flatMap((r) => [r.id, r.name.toUpperCase()]));
    const unknown = ids.filter((id) => !known.has(id.toUpperCase()));
    if (unknown.length > 0) invalid(node, `"${key}" names no rule called ${unknown.join(', ')}; run \`iac-vpce rules\` for the list.`);
    return ids.map((id) => id.toUpperCase());
  };

  for (const pair of root.items) {
    const keyNode = deref(pair.key);
    const key = scalarString(keyNode);
    const value = deref(pair.value);
    switch (key) {
      case 'fail-on':
      case 'format': {
        const allowed: readonly string[] = key === 'format' ? FORMATS : FAIL_ON;
        const s = scalarString(value);
        if (s === undefined || !allowed.includes(s)) invalid(value ?? keyNode, `"${key}" must be one of ${allowed.join(', ')}; it was ignored.`);
        else if (key === 'format') config.format = s as IacVpceConfig['format'];
        else config.failOn = s as IacVpceConfig['failOn'];
        break;
      }
      case 'region': {
        const s = scalarString(value);
        if (s === undefined || !REGION.test(s)) invalid(value ?? keyNode, `"region" must be an AWS region name (like us-east-1); it was ignored.`);
        else config.region = s;
        break;
      }
      case 'rules':
        config.rules = ruleIds(key, value ?? keyNode);
        break;
      case 'skip-rules':
        config.skipRules = ruleIds(key, value ?? keyNode);
        break;
      case 'var-files': {
        const files = stringList(key, value ?? keyNode);
        if (!files) break;
        config.varFiles = [];
        for (const f of files) {
          const abs = path.resolve(opts.dir, f);
          if (isFile(abs)) config.varFiles.push(abs);
          else invalid(value, `var file ${f} (relative to the config file) does not exist; it was ignored.`);
        }
        break;
      }
      case 'vars': {
        // JSON is valid HCL expression syntax: lists and objects reach the evaluator as Terraform would read -var.
        const vars = valueMap(value ?? keyNode, 'vars', 'variable', (v) => (isSeq(v) || isMap(v) ? JSON.stringify(v.toJSON()) : undefined));
        if (vars) config.vars = vars;
        break;
      }
      case 'params': {
        // A CommaDelimitedList parameter is given as one string, as `--parameter-overrides` takes it.
        const params = valueMap(value ?? keyNode, 'params', 'CloudFormation parameter', (v) =>
          isSeq(v) ? v.items.map((x) => String(isScalar(x) ? x.value : '')).join(',') : undefined,
        );
        if (params) config.params = params;
        break;
      }
      case 'inline-suppressions': {
        if (isScalar(value) && typeof value.value === 'boolean') config.inlineSuppressions = value.value;
        else invalid(value ?? keyNode, '"inline-suppressions" must be true or false; it was ignored.');
        break;
      }
      case 'ignore': {
        if (!isSeq(value)) {
          invalid(value ?? keyNode, '"ignore" must be a list of entries ({ rule, reason, path?, resource?, expires? }); it was ignored.');
          break;
        }
        for (const item of value.items) {
          const entry = parseIgnore(deref(item), opts.reportAs, lineOf(item) ?? 1, scalarString, invalid);
          if (entry) config.ignore.push(entry);
        }
        break;
      }
      default:
        invalid(
          keyNode,
          `Unknown setting ${key === undefined ? '(not a string)' : `"${key}"`}; it was ignored. Settings: fail-on, format, region, rules, skip-rules, var-files, vars, params, inline-suppressions, ignore.`,
        );
    }
  }
  return { config, diagnostics };
}

function parseIgnore(
  node: unknown,
  file: string,
  line: number,
  scalarString: (n: unknown) => string | undefined,
  invalid: (n: unknown, message: string) => void,
): ConfigIgnore | undefined {
  if (!isMap(node)) {
    invalid(node, 'An "ignore" entry must be a mapping with rule and reason; it was ignored.');
    return undefined;
  }
  const fields: Record<string, string> = {};
  let ok = true;
  for (const pair of node.items) {
    const key = scalarString(pair.key);
    if (key === undefined || !IGNORE_KEYS.includes(key)) {
      invalid(pair.key, `Unknown key ${key === undefined ? '(not a string)' : `"${key}"`} in an "ignore" entry; keys: ${IGNORE_KEYS.join(', ')}.`);
      continue;
    }
    const value = scalarString(pair.value);
    if (value === undefined || value.trim() === '') {
      invalid(pair.value ?? pair.key, `"${key}" in an "ignore" entry must be a non-empty string; the entry was ignored.`);
      ok = false;
      continue;
    }
    fields[key] = value.trim();
  }
  if (!ok) return undefined;
  if (fields['rule'] === undefined) {
    invalid(node, 'An "ignore" entry needs "rule" (a rule id like VPCE101); the entry was ignored.');
    return undefined;
  }
  if (fields['reason'] === undefined) {
    invalid(node, `The "ignore" entry for ${fields['rule']} needs a "reason"; the entry was ignored.`);
    return undefined;
  }
  if (fields['expires'] !== undefined && !isIsoDate(fields['expires'])) {
    invalid(node, `"expires" in the "ignore" entry for ${fields['rule']} must be a date written YYYY-MM-DD; the entry was ignored.`);
    return undefined;
  }
  return {
    source: 'config',
    rule: fields['rule'].toUpperCase(),
    ...(fields['path'] !== undefined ? { path: fields['path'] } : {}),
    ...(fields['resource'] !== undefined ? { resource: fields['resource'] } : {}),
    reason: fields['reason'],
    ...(fields['expires'] !== undefined ? { expires: fields['expires'] } : {}),
    file,
    line,
  };
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** The directory scan paths are reported relative to: the given directory, a given file's directory, or their common parent. */
export function scanRootOf(absPaths: string[], cwd: string): string {
  const dirs = absPaths.map((p) => {
    try {
      return statSync(p).isDirectory() ? p : path.dirname(p);
    } catch {
      return path.dirname(p);
    }
  });
  if (dirs.length === 0) return cwd;
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && d !== common && !d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))
      common = path.dirname(common);
  }
  return common;
}

/** `.iac-vpce.yml` in the scan root, else in the working directory. */
export function findConfig(scanRoot: string, cwd: string): string | undefined {
  for (const dir of [scanRoot, cwd]) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    try {
      statSync(candidate);
      return candidate;
    } catch {
      /* not there */
    }
  }
  return undefined;
}

/**
 * Reads the config file: the one named (`explicit`, absolute), else the one `findConfig` finds. A file named
 * explicitly that cannot be read or parsed is an `error` (the CLI's usage error); a found one that cannot is a
 * diagnostic, and the scan goes on with the defaults.
 */
export function loadConfig(opts: { explicit?: string; scanRoot: string; cwd: string }): LoadedConfig {
  const file = opts.explicit ?? findConfig(opts.scanRoot, opts.cwd);
  if (!file) return { config: { ignore: [] }, diagnostics: [] };
  const reportAs = toPosix(path.relative(opts.scanRoot, file)) || CONFIG_FILE_NAME;
  const shown = opts.explicit ? path.relative(opts.cwd, file) || file : reportAs;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (e as NodeJS.ErrnoException).code === 'EISDIR'
          ? 'it is a directory'
          : (e as Error).message;
    if (opts.explicit) return { path: file, config: { ignore: [] }, diagnostics: [], error: `--config ${shown}: ${why}` };
    return {
      path: file,
      config: { ignore: [] },
      diagnostics: [
        { severity: 'warning', code: 'config-invalid', file: reportAs, message: `The config file cannot be read (${why}); the scan uses the defaults.` },
      ],
    };
  }
  const parsed = parseConfig(text, { reportAs, dir: path.dirname(file) });
  if (parsed.fatal) {
    const at = parsed.fatal.line !== undefined ? `:${parsed.fatal.line}` : '';
    if (opts.explicit)
      return { path: file, config: { ignore: [] }, diagnostics: [], error: `--config ${shown}${at}: not a valid config file: ${parsed.fatal.message}` };
    return {
      path: file,
      config: { ignore: [] },
      diagnostics: [
        {
          severity: 'warning',
          code: 'config-invalid',
          file: reportAs,
          ...(parsed.fatal.line !== undefined ? { line: parsed.fatal.line } : {}),
          message: `The config file is not valid (${parsed.fatal.message}); the scan uses the defaults.`,
        },
      ],
    };
  }
  return { path: file, config: parsed.config, diagnostics: parsed.diagnostics };
}
