import { LIMIT_NAMES, type EvalLimits } from '../source/budget.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { rules as allRules } from '../../rules/index.js';
import type { Diagnostic } from '../source/types.js';
import { yamlAliasesOverLimit, yamlNodesOverLimit } from '../source/yaml-aliases.js';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic } from '../source/fs-policy.js';
import { isIsoDate, type ConfigIgnore } from '../source/suppression.js';
import type { Level } from '../source/findings.js';
import { REPORT_FORMATS, type ReportFormat } from '../source/report-formats.js';
import { CONFIG_FILE_NAME } from '../source/config-file-name.js';

export { CONFIG_FILE_NAME };

/** Most YAML aliases a config file may hold; it is refused past that, before it is parsed. */
export const MAX_CONFIG_ALIASES = 1000;
/** Most YAML nodes the config file may hold, counted on the text before parsing. */
export const MAX_CONFIG_NODES = 100_000;
/**
 * Longest value of one `vars` or `params` entry, in characters, aliases expanded: a longer one is left out with a
 * diagnostic, so that no config value costs more memory than this whatever the file's size or its aliases.
 */
export const MAX_CONFIG_VALUE_CHARS = 100_000;
/** The names a config file is found by, in the order a directory is searched: the first wins when both are there. */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, '.iac-vpce.yaml'] as const;

/** The config file's settings, validated; a key that is absent or invalid is left undefined. */
export interface IacVpceConfig {
  failOn?: Level | 'none';
  failOnDiagnostics?: Level | 'none';
  /** Absolute path of the baseline file (`baseline:`, relative to the config file's directory). */
  baseline?: string;
  format?: ReportFormat;
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
  /** Globs relative to the scan root: matching files and directories are not read. */
  exclude?: string[];
  /** Evaluation limits per root module and per template (`limits:` with `max-collection`, `max-string`, …). */
  limits?: Partial<EvalLimits>;
  /** Absolute paths outside the scanned tree that may be read (`allow-outside-root:`, relative to the config file's directory). */
  allowOutsideRoot?: string[];
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

const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const IGNORE_KEYS = ['rule', 'path', 'resource', 'reason', 'expires'];
const SETTINGS =
  'fail-on, fail-on-diagnostics, baseline, format, region, rules, skip-rules, var-files, vars, params, inline-suppressions, ignore, exclude, allow-outside-root, limits';
const toPosix = (p: string) => p.split(path.sep).join('/');

export interface ParsedConfig {
  config: IacVpceConfig;
  diagnostics: Diagnostic[];
  fatal?: { message: string; line?: number };
}

/** Parses the text of a config file. `fatal` is set when the text is not YAML or not a mapping; nothing else is fatal. */
export function parseConfig(text: string, opts: ParseConfigOptions): ParsedConfig {
  const lineCounter = new LineCounter();
  const aliasesOver = yamlAliasesOverLimit(text, MAX_CONFIG_ALIASES);
  const nodesOver = aliasesOver === undefined ? yamlNodesOverLimit(text, MAX_CONFIG_NODES) : undefined;
  const over = aliasesOver ?? nodesOver;
  if (over !== undefined) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < over; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    const what = aliasesOver !== undefined ? `${MAX_CONFIG_ALIASES} YAML aliases` : `${MAX_CONFIG_NODES} YAML nodes`;
    return { config: { ignore: [] }, diagnostics: [], fatal: { message: `it holds more than ${what}`, line: lineCounter.linePos(over).line } };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { config: { ignore: [] }, diagnostics: [], fatal: { message: e instanceof Error ? e.message : String(e) } };
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    return { config: { ignore: [] }, diagnostics: [], fatal: { message: err.message, line: lineCounter.linePos(syntaxErrorOffset(doc, err.pos[0])).line } };
  }
  return new ConfigReader(doc, lineCounter, opts).read();
}

/**
 * Where a YAML syntax error is best shown: an unclosed flow collection or quoted string (`[`, `{` or `"` never
 * closed) is reported where it opens, since the parser notices only where the text stops fitting it; any other error where the parser stopped.
 */
function syntaxErrorOffset(doc: Document.Parsed, offset: number): number {
  let at = offset;
  visit(doc, {
    Node(_key, node) {
      const range = node.range;
      const opened = (isCollection(node) && node.flow) || (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'));
      if (opened && range && range[0] <= offset && offset <= range[1]) at = range[0];
    },
  });
  return at;
}

/** Reads the settings of a parsed config document, collecting `config-invalid` diagnostics for what it leaves out. */
class ConfigReader {
  private readonly config: IacVpceConfig = { ignore: [] };
  private readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly opts: ParseConfigOptions,
  ) {}

  read(): ParsedConfig {
    const { config, diagnostics } = this;
    const root = this.deref(this.doc.contents);
    if (root === null || root === undefined || (isScalar(root) && (root.value === null || root.value === ''))) return { config, diagnostics };
    if (!isMap(root)) return { config, diagnostics, fatal: { message: 'the file must hold a mapping of settings (key: value)', line: this.lineOf(root) } };
    for (const pair of root.items) {
      const keyNode = this.deref(pair.key);
      this.setting(keyNode, this.scalarString(keyNode), this.deref(pair.value));
    }
    return { config, diagnostics };
  }

  private lineOf(node: unknown): number | undefined {
    const range = (node as YamlNode | undefined)?.range;
    return range ? this.lineCounter.linePos(range[0]).line : undefined;
  }

  private invalid(node: unknown, message: string): void {
    const line = this.lineOf(node);
    this.diagnostics.push({ severity: 'warning', code: 'config-invalid', file: this.opts.reportAs, ...(line !== undefined ? { line } : {}), message });
  }

  /** Aliases resolve once; the schema is shallow, so a walk through them stays small. */
  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private scalarString(node: unknown): string | undefined {
    const n = this.deref(node);
    if (!isScalar(n)) return undefined;
    if (typeof n.value === 'string') return n.value;
    if (n.value instanceof Date) return n.value.toISOString().slice(0, 10);
    return undefined;
  }

  /** One setting of the file's top-level mapping; `key` is undefined when the key is not a string. */
  private setting(keyNode: unknown, key: string | undefined, value: unknown): void {
    switch (key) {
      case 'fail-on':
      case 'fail-on-diagnostics':
      case 'format':
        return this.choice(key, keyNode, value);
      case 'baseline': {
        const s = this.scalarString(value);
        if (s === undefined || s === '') this.invalid(value ?? keyNode, '"baseline" must be the path of a baseline file; it was ignored.');
        else this.config.baseline = path.resolve(this.opts.dir, s);
        return;
      }
      case 'region': {
        const s = this.scalarString(value);
        if (s === undefined || !REGION.test(s)) this.invalid(value ?? keyNode, `"region" must be an AWS region name (like us-east-1); it was ignored.`);
        else this.config.region = s;
        return;
      }
      case 'rules':
        this.config.rules = this.ruleIds(key, value ?? keyNode);
        return;
      case 'skip-rules':
        this.config.skipRules = this.ruleIds(key, value ?? keyNode);
        return;
      case 'var-files':
        return this.varFiles(key, keyNode, value);
      case 'vars': {
        // JSON is valid HCL expression syntax: lists and objects reach the evaluator as Terraform would read -var.
        const vars = this.valueMap(value ?? keyNode, 'vars', 'variable', (v) =>
          isSeq(v) || isMap(v) ? JSON.stringify(v.toJS(this.doc, { maxAliasCount: MAX_CONFIG_ALIASES })) : undefined,
        );
        if (vars) this.config.vars = vars;
        return;
      }
      case 'params': {
        // A CommaDelimitedList parameter is given as one string, as `--parameter-overrides` takes it.
        const params = this.valueMap(value ?? keyNode, 'params', 'CloudFormation parameter', (v) =>
          isSeq(v) ? v.items.map((x) => String(isScalar(x) ? x.value : '')).join(',') : undefined,
        );
        if (params) this.config.params = params;
        return;
      }
      case 'inline-suppressions':
        if (isScalar(value) && typeof value.value === 'boolean') this.config.inlineSuppressions = value.value;
        else this.invalid(value ?? keyNode, '"inline-suppressions" must be true or false; it was ignored.');
        return;
      case 'exclude': {
        // Paths relative to the scan root, never to this file: the same globs as `ignore` entries' `path`.
        const globs = this.stringList(key, value ?? keyNode);
        if (globs) this.config.exclude = globs.filter((g) => g.trim() !== '');
        return;
      }
      case 'allow-outside-root': {
        const paths = this.stringList(key, value ?? keyNode);
        if (paths) this.config.allowOutsideRoot = paths.filter((p) => p.trim() !== '').map((p) => path.resolve(this.opts.dir, p));
        return;
      }
      case 'ignore':
        return this.ignoreEntries(keyNode, value);
      case 'limits':
        return this.limits(keyNode, value);
      default:
        this.invalid(keyNode, `Unknown setting ${key === undefined ? '(not a string)' : `"${key}"`}; it was ignored. Settings: ${SETTINGS}.`);
    }
  }

  /** `limits:`, a mapping of limit names (`max-steps`, …) to positive whole numbers; a bad entry is reported and left out. */
  private limits(keyNode: unknown, value: unknown): void {
    const n = this.deref(value);
    const names = Object.values(LIMIT_NAMES).join(', ');
    if (!isMap(n)) {
      this.invalid(n ?? keyNode, `"limits" must be a mapping of ${names} to whole numbers; it was ignored.`);
      return;
    }
    const byName = new Map(Object.entries(LIMIT_NAMES).map(([k, name]) => [name, k as keyof EvalLimits]));
    const limits: Partial<EvalLimits> = {};
    for (const pair of n.items) {
      const name = this.scalarString(pair.key);
      const limit = name === undefined ? undefined : byName.get(name);
      if (limit === undefined) {
        this.invalid(pair.key, `Unknown limit ${name === undefined ? '(not a string)' : `"${name}"`} in "limits"; limits: ${names}.`);
        continue;
      }
      const v = this.deref(pair.value);
      const num = isScalar(v) ? Number(v.value) : NaN;
      if (!Number.isSafeInteger(num) || num < 1) this.invalid(v ?? pair.key, `"limits.${name}" must be a whole number of at least 1; it was ignored.`);
      else limits[limit] = num;
    }
    this.config.limits = limits;
  }

  /** `format`, `fail-on` or `fail-on-diagnostics`: one word of a fixed list. */
  private choice(key: 'format' | 'fail-on' | 'fail-on-diagnostics', keyNode: unknown, value: unknown): void {
    const allowed: readonly string[] = key === 'format' ? REPORT_FORMATS : FAIL_ON;
    const s = this.scalarString(value);
    if (s === undefined || !allowed.includes(s)) this.invalid(value ?? keyNode, `"${key}" must be one of ${allowed.join(', ')}; it was ignored.`);
    else if (key === 'format') this.config.format = s as ReportFormat;
    else if (key === 'fail-on') this.config.failOn = s as IacVpceConfig['failOn'];
    else this.config.failOnDiagnostics = s as IacVpceConfig['failOnDiagnostics'];
  }

  private stringList(key: string, node: unknown): string[] | undefined {
    const n = this.deref(node);
    const single = this.scalarString(n);
    if (single !== undefined) return [single];
    if (!isSeq(n)) {
      this.invalid(n ?? node, `"${key}" must be a list of strings; it was ignored.`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of n.items) {
      const s = this.scalarString(item);
      if (s === undefined) this.invalid(item, `"${key}" must be a list of strings; an item that is not one was ignored.`);
      else out.push(s);
    }
    return out;
  }

  /**
   * A mapping of names to values as strings (`vars`, `params`): scalars as written, other shapes through `collection`;
   * an entry without a usable name or value is reported and left out.
   */
  private valueMap(node: unknown, key: string, what: string, collection: (v: unknown) => string | undefined): Record<string, string> | undefined {
    if (!isMap(node)) {
      this.invalid(node, `"${key}" must be a mapping of ${what} names to values; it was ignored.`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const item of node.items) {
      const name = this.scalarString(item.key);
      const v = this.deref(item.value);
      let text: string | undefined;
      let overBudget = false;
      try {
        text = isScalar(v) && v.value !== null ? (v.value instanceof Date ? v.value.toISOString().slice(0, 10) : String(v.value)) : collection(v);
      } catch {
        // yaml's alias budget (maxAliasCount) ends the expansion of a value built to explode.
        overBudget = true;
      }
      const shownName = name === undefined ? '' : ` "${name.length > 60 ? `${name.slice(0, 60)}…` : name}"`;
      if (overBudget || (text !== undefined && text.length > MAX_CONFIG_VALUE_CHARS)) {
        this.invalid(
          item.value ?? item.key,
          `${what[0]!.toUpperCase()}${what.slice(1)}${shownName} in "${key}" is longer than ${MAX_CONFIG_VALUE_CHARS} characters (aliases expanded), the limit for a config value; it was ignored.`,
        );
        continue;
      }
      if (name === undefined || name === '') this.invalid(item.key, `A ${what} name in "${key}" must be a string; the entry was ignored.`);
      else if (text === undefined)
        this.invalid(item.value ?? item.key, `${what[0]!.toUpperCase()}${what.slice(1)} "${name}" in "${key}" has no value; it was ignored.`);
      else out[name] = text;
    }
    return out;
  }

  private ruleIds(key: string, node: unknown): string[] | undefined {
    const ids = this.stringList(key, node);
    if (!ids) return undefined;
    const known = new Set(allRules.flatMap((r) => [r.id, r.name.toUpperCase()]));
    const unknown = ids.filter((id) => !known.has(id.toUpperCase()));
    if (unknown.length > 0) this.invalid(node, `"${key}" names no rule called ${unknown.join(', ')}; run \`iac-vpce rules\` for the list.`);
    return ids.map((id) => id.toUpperCase());
  }

  /** `var-files`, relative to the config file's directory; a file that does not exist is reported and left out. */
  private varFiles(key: string, keyNode: unknown, value: unknown): void {
    const files = this.stringList(key, value ?? keyNode);
    if (!files) return;
    this.config.varFiles = [];
    for (const f of files) {
      const abs = path.resolve(this.opts.dir, f);
      if (isFile(abs)) this.config.varFiles.push(abs);
      else this.invalid(value, `var file ${f} (relative to the config file) does not exist; it was ignored.`);
    }
  }

  private ignoreEntries(keyNode: unknown, value: unknown): void {
    if (!isSeq(value)) {
      this.invalid(value ?? keyNode, '"ignore" must be a list of entries ({ rule, reason, path?, resource?, expires? }); it was ignored.');
      return;
    }
    for (const item of value.items) {
      const entry = this.ignoreEntry(this.deref(item), this.lineOf(item) ?? 1);
      if (entry) this.config.ignore.push(entry);
    }
  }

  private ignoreEntry(node: unknown, line: number): ConfigIgnore | undefined {
    if (!isMap(node)) {
      this.invalid(node, 'An "ignore" entry must be a mapping with rule and reason; it was ignored.');
      return undefined;
    }
    const fields = this.ignoreFields(node.items);
    if (!fields) return undefined;
    if (fields['rule'] === undefined) {
      this.invalid(node, 'An "ignore" entry needs "rule" (a rule id like VPCE101); the entry was ignored.');
      return undefined;
    }
    if (fields['reason'] === undefined) {
      this.invalid(node, `The "ignore" entry for ${fields['rule']} needs a "reason"; the entry was ignored.`);
      return undefined;
    }
    if (fields['expires'] !== undefined && !isIsoDate(fields['expires'])) {
      this.invalid(node, `"expires" in the "ignore" entry for ${fields['rule']} must be a date written YYYY-MM-DD; the entry was ignored.`);
      return undefined;
    }
    return {
      source: 'config',
      rule: fields['rule'].toUpperCase(),
      ...(fields['path'] !== undefined ? { path: fields['path'] } : {}),
      ...(fields['resource'] !== undefined ? { resource: fields['resource'] } : {}),
      reason: fields['reason'],
      ...(fields['expires'] !== undefined ? { expires: fields['expires'] } : {}),
      file: this.opts.reportAs,
      line,
    };
  }

  /** The trimmed fields of an `ignore` entry; undefined when one of them is empty or not a string. Unknown keys are reported and skipped. */
  private ignoreFields(pairs: ReadonlyArray<{ key: unknown; value: unknown }>): Record<string, string> | undefined {
    const fields: Record<string, string> = {};
    let ok = true;
    for (const pair of pairs) {
      const key = this.scalarString(pair.key);
      if (key === undefined || !IGNORE_KEYS.includes(key)) {
        this.invalid(pair.key, `Unknown key ${key === undefined ? '(not a string)' : `"${key}"`} in an "ignore" entry; keys: ${IGNORE_KEYS.join(', ')}.`);
        continue;
      }
      const value = this.scalarString(pair.value);
      if (value === undefined || value.trim() === '') {
        this.invalid(pair.value ?? pair.key, `"${key}" in an "ignore" entry must be a non-empty string; the entry was ignored.`);
        ok = false;
        continue;
      }
      fields[key] = value.trim();
    }
    return ok ? fields : undefined;
  }
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

/**
 * `.iac-vpce.yml` or `.iac-vpce.yaml` in the scan root, else in the working directory. When a directory holds both,
 * `.iac-vpce.yml` is read (the name the documentation uses) and `loadConfig` warns that the other is ignored.
 */
export function findConfig(scanRoot: string, cwd: string): string | undefined {
  for (const dir of [scanRoot, cwd]) {
    const found = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).find(exists);
    if (found !== undefined) return found;
  }
  return undefined;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The warning for a `.iac-vpce.yaml` beside the `.iac-vpce.yml` that is read. */
function shadowedConfig(file: string, scanRoot: string): Diagnostic | undefined {
  const other = path.join(path.dirname(file), CONFIG_FILE_NAMES[1]);
  if (path.basename(file) !== CONFIG_FILE_NAME || !exists(other)) return undefined;
  return {
    severity: 'warning',
    code: 'config-ambiguous',
    file: toPosix(path.relative(scanRoot, other)) || CONFIG_FILE_NAMES[1],
    message: `Both ${CONFIG_FILE_NAME} and ${CONFIG_FILE_NAMES[1]} are in this directory: ${CONFIG_FILE_NAME} is read and this file is ignored. Merge them into one.`,
  };
}

/**
 * Reads the config file (see `readConfigFile`), and warns when the file found has a `.iac-vpce.yaml` beside it that
 * is left unread.
 */
export function loadConfig(opts: { explicit?: string; scanRoot: string; cwd: string }): LoadedConfig {
  const loaded = readConfigFile(opts);
  const shadowed = opts.explicit === undefined && loaded.path !== undefined ? shadowedConfig(loaded.path, opts.scanRoot) : undefined;
  return shadowed ? { ...loaded, diagnostics: [shadowed, ...loaded.diagnostics] } : loaded;
}

/**
 * Reads the config file: the one named (`explicit`, absolute), else the one `findConfig` finds. A file named
 * explicitly that cannot be read or parsed is an `error` (the CLI's usage error); a found one that cannot is a
 * diagnostic, and the scan goes on with the defaults.
 */
function readConfigFile(opts: { explicit?: string; scanRoot: string; cwd: string }): LoadedConfig {
  const file = opts.explicit ?? findConfig(opts.scanRoot, opts.cwd);
  if (!file) return { config: { ignore: [] }, diagnostics: [] };
  const reportAs = toPosix(path.relative(opts.scanRoot, file)) || CONFIG_FILE_NAME;
  const shown = opts.explicit ? path.relative(opts.cwd, file) || file : reportAs;
  // Only a regular file, and no more than the limit: a config linked to /dev/zero or made a FIFO is refused unopened.
  const read = InputPolicy.anywhere().readSync(file, INPUT_SIZE_LIMITS.config);
  let text: string;
  if (read.ok) {
    text = read.bytes.toString('utf8');
  } else {
    const why = read.reason === 'missing' ? 'no such file' : read.reason === 'not-regular-file' ? `${read.detail}, not a regular file` : read.detail;
    if (opts.explicit) return { path: file, config: { ignore: [] }, diagnostics: [], error: `--config ${shown}: ${why}` };
    const refused =
      (read.reason === 'not-regular-file' && read.detail !== 'it is a directory') || read.reason === 'too-large'
        ? refusalDiagnostic(read, { file: reportAs, what: 'The config file' })
        : undefined;
    return {
      path: file,
      config: { ignore: [] },
      diagnostics: [
        refused
          ? { ...refused, message: `${refused.message} The scan uses the defaults.` }
          : { severity: 'warning', code: 'config-invalid', file: reportAs, message: `The config file cannot be read (${why}); the scan uses the defaults.` },
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
