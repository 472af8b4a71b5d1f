import path from 'node:path';
import { repositoryPath } from './repository.js';
import { discover, type DiscoverResult } from './discover/index.js';
import type { Graph } from '../graph/graph.js';
import { ModuleLoader } from '../parsers/terraform/evaluate/index.js';
import { terraformSuppressions } from '../parsers/terraform/suppressions.js';
import type { Diagnostic } from '../source/types.js';
import { inProcessParser, type FileParser } from '../parsers/terraform/parse/file.js';
import { packageVersion } from '../source/package.js';
import { markScan, timed } from '../source/timings.js';
import { rules as allRules } from '../../rules/index.js';
import {
  cdkProjectAssembly,
  scanTerraformRoot,
  scanCdkAssembly,
  scanCloudFormationFile,
  scanTerraformPlan,
  type Contribution,
  type FormatContext,
} from './formats.js';
import type { Rule } from '../../rules/rule.js';
import { applySuppressions } from './suppress.js';
import { resolveFixEdits } from './fix-edits/index.js';
import { addInterfaceEndpointInfos, addInterfaceEndpoints } from './inventory.js';
import { UnitPool, type UnitOutcome } from './unit-pool.js';
import type { FileDirectives, UnitRequest, UnitResult, UnitSettings } from './units.js';
import { openFileParser, type ParseStageOptions } from './parse-setup.js';
import { todayUtc, type ConfigIgnore, type SuppressionDirective } from '../source/suppression.js';
import type { Finding, InterfaceEndpointInfo, Level, ScanResult } from '../source/findings.js';
import { inShard, type Shard } from './shard.js';
import type { EvalLimits } from '../source/budget.js';

export interface ScanOptions {
  paths: string[];
  /** Scan root for relative paths (defaults to the common parent of the paths). */
  root?: string;
  region?: string;
  vars?: Record<string, string>;
  varFiles?: string[];
  /** CloudFormation parameter values (`--param Key=Value`), for every template scanned. */
  params?: Record<string, string>;
  /** Only these rule ids (all when empty). */
  rules?: string[];
  skipRules?: string[];
  /** Honour `iac-vpce:ignore` comments (default true). */
  inlineSuppressions?: boolean;
  /** The config file's `ignore:` entries. */
  configIgnores?: ConfigIgnore[];
  /** Globs relative to the scan root: matching files and directories are not read (`--exclude`, the config's `exclude`). */
  exclude?: string[];
  /** Paths outside the scanned tree that modules, links and references may be read from (`--allow-outside-root`). */
  allowOutsideRoot?: string[];
  /** `YYYY-MM-DD` that suppression expiry dates are compared with (default: today, UTC). */
  today?: string;
  /** Called after each root module, plan, template or cloud assembly with the number of files read so far. */
  onProgress?: (filesRead: number) => void;
  /** Parse workers and the parse cache (`--jobs`, `--cache-dir`, `--no-cache`); default: in-process, no cache. */
  parse?: ParseStageOptions;
  /**
   * Scan only this part of the root modules, plans, templates and cloud assemblies (`--shard K/N`, see `shardOf`);
   * every file discovered is listed by exactly one part, so the parts' reports merge into the one-shot report.
   */
  shard?: Shard;
  /** Evaluation limits per root module and per template (`--max-…`, the config's `limits:`); defaults otherwise. */
  limits?: Partial<EvalLimits>;
  /**
   * Return the network graphs (`iac-vpce graph` draws them). Without it each graph is dropped once its findings,
   * interface endpoints and VPC count are taken, so memory does not grow with the number of root modules.
   */
  keepGraphs?: boolean;
}

export interface ScanOutput extends ScanResult {
  /** The network graphs, when `keepGraphs` asked for them; otherwise empty. */
  graphs: Graph[];
  /** How many VPCs the graphs hold. */
  vpcs: number;
  /** Nothing scannable was found. */
  empty: boolean;
}

export function selectRules(only: string[] = [], skip: string[] = []): Rule[] {
  const norm = (ids: string[]) => new Set(ids.map((s) => s.toUpperCase()));
  const onlySet = norm(only);
  const skipSet = norm(skip);
  return allRules.filter(
    (r) => (onlySet.size === 0 || onlySet.has(r.id) || onlySet.has(r.name.toUpperCase())) && !skipSet.has(r.id) && !skipSet.has(r.name.toUpperCase()),
  );
}

const LEVEL_ORDER: Record<Level, number> = { error: 0, warning: 1, note: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.span.start.line - b.location.span.start.line ||
    a.location.span.start.column - b.location.span.start.column ||
    a.ruleId.localeCompare(b.ruleId) ||
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    a.location.address.localeCompare(b.location.address) ||
    a.message.localeCompare(b.message) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** The whole pipeline: discover, parse, evaluate, build graphs, run rules. Never throws on bad input. */
export async function scan(options: ScanOptions): Promise<ScanOutput> {
  markScan('start');
  const cacheDir = options.parse?.cache?.dir;
  const found = await timed('discover', () =>
    discover(options.paths, {
      ...(options.root ? { root: options.root } : {}),
      exclude: options.exclude,
      allowOutsideRoot: options.allowOutsideRoot,
      ...(cacheDir !== undefined ? { skipDirs: [cacheDir] } : {}),
    }),
  );
  const tfFiles = found.terraformModules.reduce((n, m) => n + m.files.length, 0);
  const pool = unitPoolFor(options, found);
  // With unit workers, this thread parses only what they do not scan (plans, CDK apps): in-process.
  const opened = await openFileParser(pool ? { ...options.parse, jobs: 1 } : (options.parse ?? {}), tfFiles);
  try {
    return await scanFound(options, found, opened.diagnostics, opened.parser, pool);
  } finally {
    await opened.parser.close();
    await pool?.close();
  }
}

/**
 * Worker threads that scan whole units (root modules, templates), for `--jobs` above 1 when there are enough units to
 * share; undefined otherwise. Started here, so they load while this thread reads plans.
 */
function unitPoolFor(options: ScanOptions, found: DiscoverResult): UnitPool<UnitRequest, UnitResult> | undefined {
  const jobs = Math.max(1, Math.floor(options.parse?.jobs ?? 1));
  const units = found.terraformModules.filter((m) => m.isRoot).length + found.files.filter((f) => f.kind === 'cloudformation').length;
  if (jobs < 2 || units < (options.parse?.unitWorkerMinUnits ?? UNIT_WORKER_MIN_UNITS) || options.keepGraphs) return undefined;
  const varFiles = options.varFiles?.map((f) => path.relative(found.root, path.resolve(f)).split(path.sep).join('/'));
  const settings: UnitSettings = {
    root: found.root,
    roots: [...found.policy.roots],
    ruleIds: selectRules(options.rules, options.skipRules).map((r) => r.id),
    inlineSuppressions: options.inlineSuppressions !== false,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.params !== undefined ? { params: options.params } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
    ...(varFiles !== undefined ? { varFiles } : {}),
  };
  const pool = new UnitPool<UnitRequest, UnitResult>(Math.min(jobs, units), settings, options.parse?.unitWorkerScript);
  pool.warm();
  return pool;
}

/** Below this many root modules and templates a scan runs on one thread: starting workers would cost more. */
export const UNIT_WORKER_MIN_UNITS = 16;

async function scanFound(
  options: ScanOptions,
  found: DiscoverResult,
  parseDiagnostics: Diagnostic[],
  parser: FileParser,
  pool?: UnitPool<UnitRequest, UnitResult>,
): Promise<ScanOutput> {
  const diagnostics: Diagnostic[] = [...found.diagnostics, ...parseDiagnostics];
  const rules = selectRules(options.rules, options.skipRules);
  const loader = new ModuleLoader(found.root, (d) => diagnostics.push(d), parser, found.policy, found.preread);
  // With workers or a cache, parsing runs ahead of evaluation; reports stay the same.
  if (parser !== inProcessParser && !pool) loader.prefetch(found.terraformModules.map((m) => m.dir));
  const graphs: Graph[] = [];
  const findings: Finding[] = [];
  const files = new Set<string>();
  const terraformFiles = new Set<string>();
  const ctx: FormatContext = {
    root: found.root,
    rules,
    region: options.region,
    params: options.params,
    inlineSuppressions: options.inlineSuppressions !== false,
    fingerprintFile: repositoryPath(found.root),
    policy: found.policy,
    limits: options.limits,
  };
  const directives: SuppressionDirective[] = [];
  const endpoints = new Map<string, InterfaceEndpointInfo>();
  let vpcs = 0;
  const take = (c: Contribution) => {
    addInterfaceEndpoints(endpoints, c.graphs);
    vpcs += c.graphs.reduce((n, g) => n + g.all('vpc').length, 0);
    if (options.keepGraphs) graphs.push(...c.graphs);
    findings.push(...c.findings);
    c.files.forEach((f) => files.add(f));
    c.terraformFiles.forEach((f) => terraformFiles.add(f));
    directives.push(...c.directives);
    diagnostics.push(...c.diagnostics);
    options.onProgress?.(files.size);
  };
  // A unit scanned by a worker: its graphs stay there, summed up; its files' directives come with it.
  const workerDirectives = new Map<string, FileDirectives[]>();
  const takeResult = (r: UnitResult) => {
    addInterfaceEndpointInfos(endpoints, r.endpoints);
    vpcs += r.vpcs;
    findings.push(...r.findings);
    r.files.forEach((f) => files.add(f));
    r.terraformFiles.forEach((f) => terraformFiles.add(f));
    directives.push(...r.directives);
    diagnostics.push(...r.diagnostics);
    for (const d of r.fileDirectives) {
      const dir = path.posix.dirname(d.file);
      const list = workerDirectives.get(dir) ?? [];
      if (!list.some((x) => x.file === d.file)) list.push(d);
      workerDirectives.set(dir, list);
    }
    options.onProgress?.(files.size);
  };
  const varFiles = options.varFiles?.map((f) => path.relative(found.root, path.resolve(f)).split(path.sep).join('/'));
  const planned = new Map<string, string>();
  const shard = options.shard;
  // Out of this shard, a plan is still read (with its diagnostics dropped) to learn which root module it stands for.
  const offShardLoader = shard ? new ModuleLoader(found.root, () => {}) : loader;
  for (const f of found.files.filter((x) => x.kind === 'tfplan')) {
    const own = inShard(f.path, shard);
    const c = await scanTerraformPlan(f.path, ctx, own ? loader : offShardLoader);
    if (c.planRoot !== undefined && !planned.has(c.planRoot)) planned.set(c.planRoot, f.path);
    if (own) take(c);
  }
  const roots = found.terraformModules.filter((m) => m.isRoot && inShard(planned.get(m.dir) ?? m.dir, shard));
  const templates = found.files.filter((x) => x.kind === 'cloudformation' && inShard(x.path, shard)).map((x) => x.path);
  // Every unit goes to the workers at once; they are taken back in order, so the report is the same as on one thread.
  const remote = new Map<string, Promise<UnitOutcome<UnitResult>>>();
  if (pool) {
    for (const m of roots) if (!planned.has(m.dir)) remote.set(`tf:${m.dir}`, pool.run({ kind: 'terraform-root', dir: m.dir }));
    for (const t of templates) remote.set(`cfn:${t}`, pool.run({ kind: 'cloudformation', path: t }));
  }
  /** The unit's result from its worker; undefined when it has none (no pool, or the worker failed: scan it here). */
  const fromWorker = async (key: string): Promise<UnitResult | undefined> => {
    const outcome = await remote.get(key);
    return outcome && 'result' in outcome ? outcome.result : undefined;
  };
  for (const [i, mod] of roots.entries()) {
    if (pool) {
      const r = await fromWorker(`tf:${mod.dir}`);
      if (r) {
        takeResult(r);
        continue;
      }
    } else
      prefetchRootModules(
        loader,
        roots.slice(i + 1, i + 1 + PREFETCH_ROOT_MODULES).map((m) => m.dir),
        planned,
      );
    // A plan of this root module already gave its resolved values; evaluating the .tf files again could only disagree.
    const plan = planned.get(mod.dir);
    if (plan !== undefined) {
      diagnostics.push({
        severity: 'note',
        code: 'tf-root-read-from-plan',
        file: mod.files[0] ?? mod.dir,
        message: `This root module was analyzed through the plan ${plan}; its .tf files give the locations.`,
      });
      continue;
    }
    take(await scanTerraformRoot(mod.dir, ctx, loader, { region: options.region, vars: options.vars, varFiles, limits: options.limits }));
  }
  for (const t of templates) {
    const r = pool ? await fromWorker(`cfn:${t}`) : undefined;
    if (r) takeResult(r);
    else take(await scanCloudFormationFile(t, ctx));
  }
  const manifests = found.files.filter((x) => x.kind === 'cdk-assembly').map((x) => x.path);
  const discovered = new Set(manifests);
  for (const f of found.files.filter((x) => x.kind === 'cdk-project')) {
    const projectDiagnostics: Diagnostic[] = [];
    const extra = await cdkProjectAssembly(f.path, ctx, discovered, projectDiagnostics);
    if (inShard(f.path, shard)) diagnostics.push(...projectDiagnostics);
    if (extra !== undefined && !discovered.has(extra)) {
      discovered.add(extra);
      manifests.push(extra);
    }
  }
  if (shard) manifests.splice(0, manifests.length, ...manifests.filter((m) => inShard(m, shard)));
  if (manifests.length > 0) {
    // TypeScript's parser is loaded only when there is a CDK app to read.
    const { CdkSourceLocator } = await import('../parsers/cdk/locate.js');
    const locator = new CdkSourceLocator(found.root, found.policy);
    for (const m of manifests) take(await scanCdkAssembly(m, ctx, locator));
    diagnostics.push(...(await locator.diagnostics()));
  }
  for (const f of found.files) if (f.kind !== 'cdk-project' && inShard(f.path, shard)) files.add(f.path);
  const unique = new Map<string, Finding>();
  for (const f of findings) if (!unique.has(f.fingerprint)) unique.set(f.fingerprint, f);
  // Directives come from every file evaluated, module files included: a finding inside a module points there.
  if (options.inlineSuppressions !== false) {
    for (const dir of new Set([...terraformFiles].map((f) => path.posix.dirname(f)))) {
      const read = workerDirectives.get(dir) ?? ((await loader.load(dir))?.files ?? []).map((file) => ({ file: file.path, ...terraformSuppressions(file) }));
      for (const extracted of read) {
        if (!terraformFiles.has(extracted.file)) continue;
        directives.push(...extracted.directives);
        diagnostics.push(...extracted.diagnostics);
      }
    }
  }
  const applied = timed('finish', () =>
    applySuppressions(resolveFixEdits([...unique.values()], found.root), directives, {
      today: options.today ?? todayUtc(),
      configIgnores: options.configIgnores,
      knownRules: allRules.map((r) => r.id),
      activeRules: rules.map((r) => r.id),
    }),
  );
  diagnostics.push(...applied.diagnostics);
  markScan('end');
  return {
    root: found.root,
    findings: applied.kept.sort(compareFindings),
    ...(applied.suppressed.length > 0 ? { suppressed: applied.suppressed.sort((a, b) => compareFindings(a.finding, b.finding)) } : {}),
    diagnostics: dedupeDiagnostics(diagnostics),
    rules: allRules.map(({ check: _check, ...meta }) => meta),
    files: [...files].sort(),
    toolVersion: packageVersion(),
    interfaceEndpoints: [...endpoints.values()],
    ...(shard ? { suppressionUse: applied.idle } : {}),
    graphs,
    vpcs,
    empty: found.files.length === 0,
  };
}

/** How many root modules ahead of the one being evaluated have their files read and parsed. */
const PREFETCH_ROOT_MODULES = 4;

/**
 * Starts loading the files of the next root modules, so reading them overlaps the evaluation of this one instead of
 * following it. The loader keeps each load, and the module's evaluation awaits it in turn; results and diagnostics
 * do not depend on when a load started (diagnostics are sorted at the end).
 */
function prefetchRootModules(loader: ModuleLoader, dirs: string[], planned: Map<string, string>): void {
  for (const dir of dirs) {
    // A failure is seen where the module is evaluated; here it must only not count as unhandled.
    if (!planned.has(dir)) loader.load(dir).catch(() => undefined);
  }
}

function dedupeDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of list) {
    const key = `${d.file}|${d.line ?? 0}|${d.code}|${d.message}`;
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
}
