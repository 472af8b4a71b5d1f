import path from 'node:path';
import { repositoryPath } from './repository.js';
import { discover, type DiscoverResult } from './discover/index.js';
import type { Graph } from '../graph/graph.js';
import { ModuleLoader, type EvaluateOptions } from '../parsers/terraform/evaluate/index.js';
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
import { addInterfaceEndpointInfos } from './inventory.js';
import { directivesOf, resultOf, summarize, summarizeTerraform, type Summary } from './unit-summary.js';
import { UnitPool, type UnitOutcome } from './unit-pool.js';
import type { UnitRequest, UnitSettings, UnitWork } from './units.js';
import { ReadLog, RecordingLoader, ResultCache, type FileDirectives, type UnitKind, type UnitLookup, type UnitResult } from './result-cache.js';
import { INTERNAL_ERROR } from './guard.js';
import { openFileParser, type ParseStageOptions } from './parse-setup.js';
import { todayUtc, type ConfigIgnore, type SuppressionDirective } from '../source/suppression.js';
import type { Finding, InterfaceEndpointInfo, Level, ScanResult } from '../source/findings.js';
import { inShard, type Shard } from './shard.js';
import type { EvalLimits } from '../source/budget.js';
import type { InputPolicy } from '../source/fs-policy.js';

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
  /** Filled with what the result cache did, when the scan used it (tests count units reused and computed). */
  resultCacheStats?: ResultCache['stats'];
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
  // The result cache sits beside the parse cache; the graph command needs graphs, which it does not keep.
  const reads = options.parse?.cache && !options.keepGraphs ? new ReadLog() : undefined;
  const found = await timed('discover', () =>
    discover(options.paths, {
      ...(options.root ? { root: options.root } : {}),
      exclude: options.exclude,
      allowOutsideRoot: options.allowOutsideRoot,
      ...(cacheDir !== undefined ? { skipDirs: [cacheDir] } : {}),
      ...(reads ? { onPolicy: (p: InputPolicy) => reads.attach(p) } : {}),
    }),
  );
  const pool = unitPoolFor(options, found);
  const opened = await openFileParser(options.parse ?? {});
  const cache = options.parse?.cache;
  const results = cache && reads ? await ResultCache.open(cache, resultSettings(options, found), found.policy, reads, found.root) : undefined;
  try {
    return await scanFound(options, found, [...opened.diagnostics, ...(results?.diagnostics ?? [])], opened.parser, results?.cache, pool);
  } finally {
    await opened.parser.close();
    await pool?.close();
    await results?.cache?.close();
    if (results?.cache && options.resultCacheStats) Object.assign(options.resultCacheStats, results.cache.stats);
  }
}

/**
 * Worker threads that scan whole units (root modules, templates), for `--jobs` above 1 when there are enough units to
 * share; undefined otherwise. No worker starts until units are handed out (see `dispatchUnits`).
 */
function unitPoolFor(options: ScanOptions, found: DiscoverResult): UnitPool<UnitRequest, UnitWork> | undefined {
  const jobs = Math.max(1, Math.floor(options.parse?.jobs ?? 1));
  const units = found.terraformModules.filter((m) => m.isRoot).length + found.files.filter((f) => f.kind === 'cloudformation').length;
  if (jobs < 2 || options.keepGraphs || units < (options.parse?.unitWorkerMinUnits ?? UNIT_WORKER_MIN_UNITS)) return undefined;
  const varFiles = varFilesOf(options, found);
  const settings: UnitSettings = {
    root: found.root,
    roots: [...found.policy.roots],
    ruleIds: selectRules(options.rules, options.skipRules).map((r) => r.id),
    inlineSuppressions: options.inlineSuppressions !== false,
    // As scan() decides whether to open the result cache.
    resultCache: options.parse?.cache !== undefined,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.params !== undefined ? { params: options.params } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
    ...(varFiles !== undefined ? { varFiles } : {}),
  };
  return new UnitPool<UnitRequest, UnitWork>(Math.min(jobs, units), settings, options.parse?.unitWorkerScript, options.parse?.unitTimeLimitMs);
}

/** `--var-file` paths, relative to the scan root. */
function varFilesOf(options: ScanOptions, found: DiscoverResult): string[] | undefined {
  return options.varFiles?.map((f) => path.relative(found.root, path.resolve(f)).split(path.sep).join('/'));
}

/** Below this many root modules and templates a scan runs on one thread: on two cores, starting workers and sending
 * their results back costs more than they save below some 300 units (measured with `npm run bench`). */
export const UNIT_WORKER_MIN_UNITS = 256;

/**
 * Hands every unit the result cache does not answer (and no plan stands for) to the unit workers at once; the scan
 * takes them back in order, so the report is the same as on one thread. `get` gives a unit's work, or undefined when
 * it has none (no workers, or its worker failed: the unit is then scanned on this thread).
 */
function dispatchUnits(pool: UnitPool<UnitRequest, UnitWork> | undefined, requests: UnitRequest[], min: number) {
  const key = (r: UnitRequest) => (r.kind === 'terraform-root' ? `tf ${r.dir}` : `cfn ${r.path}`);
  const sent = new Map<string, Promise<UnitOutcome<UnitWork>>>();
  // When the result cache answers nearly every unit, the few left are scanned here: starting workers would cost more.
  const active = pool !== undefined && requests.length > 0 && requests.length >= min;
  if (active) for (const r of requests) sent.set(key(r), pool.run(r));
  return {
    active,
    get: async (r: UnitRequest): Promise<UnitWork | undefined> => {
      const outcome = await sent.get(key(r));
      if (outcome && 'timedOut' in outcome) return timedOutWork(r, outcome.failed);
      return outcome && 'result' in outcome ? outcome.result : undefined;
    },
  };
}

/** A unit its worker gave up on: reported, with nothing else from it (scanning it again here would only hang here). */
function timedOutWork(r: UnitRequest, why: string): UnitWork {
  const file = r.kind === 'terraform-root' ? r.dir : r.path;
  const what = r.kind === 'terraform-root' ? 'root module' : 'template';
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'scan-unit-timeout',
    file,
    message: `Scanning this ${what} was stopped: ${why}. Its findings are missing from this report; the other inputs were scanned.`,
  };
  return { result: { findings: [], diagnostics: [diagnostic], directives: [], files: [], terraformFiles: [], endpoints: [], vpcs: 0, directories: [] } };
}

/** A unit a worker scanned: kept in the result cache as this thread would keep it, and taken into the scan. */
function takeWork(results: ResultCache | undefined, id: () => string, kind: UnitKind, work: UnitWork): [Contribution, Summary] {
  const r = work.result;
  if (results) {
    results.stats.computed++;
    if (work.deps) results.keep(kind, id(), work.deps, r);
    else results.stats.uncacheable++;
  }
  return [{ graphs: [], findings: r.findings, files: r.files, terraformFiles: r.terraformFiles, directives: r.directives, diagnostics: r.diagnostics }, r];
}

/** Every option that can change what one unit contributes, whatever its kind (the kinds' own go with the unit). */
function resultSettings(options: ScanOptions, found: DiscoverResult): unknown {
  return {
    root: found.root,
    roots: found.policy.roots,
    rules: selectRules(options.rules, options.skipRules).map((r) => r.id),
    inline: options.inlineSuppressions !== false,
    fingerprint: repositoryPath(found.root)('.'),
    limits: Object.entries(options.limits ?? {}).sort(),
    exclude: options.exclude ?? [],
  };
}

async function scanFound(
  options: ScanOptions,
  found: DiscoverResult,
  parseDiagnostics: Diagnostic[],
  parser: FileParser,
  results?: ResultCache,
  pool?: UnitPool<UnitRequest, UnitWork>,
): Promise<ScanOutput> {
  const diagnostics: Diagnostic[] = [...found.diagnostics, ...parseDiagnostics];
  const rules = selectRules(options.rules, options.skipRules);
  const loader = new (results ? RecordingLoader : ModuleLoader)(found.root, (d) => diagnostics.push(d), parser, found.policy, found.preread);
  const varFiles = varFilesOf(options, found);
  const terraformOptions = { region: options.region, vars: options.vars, varFiles, limits: options.limits };
  const units = lookUpUnits(results, found, options, varFiles);
  // With workers or a cache, parsing runs ahead of evaluation; reports stay the same. Units the result cache answers
  // are not read at all.
  if (parser !== inProcessParser && !pool) loader.prefetch(prefetchDirs(found, units.cached, results !== undefined));
  const graphs: Graph[] = [];
  const findings: Finding[] = [];
  const files = new Set<string>();
  const terraformFiles = new Set<string>();
  const ctx = formatContext(options, found, rules);
  const directives: SuppressionDirective[] = [];
  const endpoints = new Map<string, InterfaceEndpointInfo>();
  let vpcs = 0;
  const directories = new Map<string, FileDirectives[]>();
  const take = (c: Contribution, summary: Summary = summarize(c)) => {
    addInterfaceEndpointInfos(endpoints, summary.endpoints);
    vpcs += summary.vpcs;
    for (const d of summary.directories) if (!directories.has(d.dir)) directories.set(d.dir, d.files);
    if (options.keepGraphs) graphs.push(...c.graphs);
    findings.push(...c.findings);
    c.files.forEach((f) => files.add(f));
    c.terraformFiles.forEach((f) => terraformFiles.add(f));
    directives.push(...c.directives);
    diagnostics.push(...c.diagnostics);
    options.onProgress?.(files.size);
  };
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
  const workers = dispatchUnits(
    pool,
    [
      ...roots.filter((m) => !planned.has(m.dir) && !units.hit('terraform-root', m.dir)).map((m) => ({ kind: 'terraform-root' as const, dir: m.dir })),
      ...templates.filter((t) => !units.hit('cloudformation', t)).map((t) => ({ kind: 'cloudformation' as const, path: t })),
    ],
    options.parse?.unitWorkerMinUnits ?? UNIT_WORKER_MIN_UNITS,
  );
  const readAhead = readAheadOf(roots, (dir) => units.hit('terraform-root', dir) !== undefined);
  for (const mod of roots) {
    const ahead = readAhead.get(mod) ?? [];
    if (!workers.active) prefetchRootModules(loader, ahead, planned);
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
    const work = await workers.get({ kind: 'terraform-root', dir: mod.dir });
    if (work) take(...takeWork(results, () => units.id('terraform-root', mod.dir), 'terraform-root', work));
    else take(...(await scanRootUnit(mod.dir, ctx, loader, terraformOptions, units, results, ahead)));
  }
  for (const t of templates) {
    const work = await workers.get({ kind: 'cloudformation', path: t });
    if (work) take(...takeWork(results, () => units.id('cloudformation', t), 'cloudformation', work));
    else take(...(await scanTemplateUnit(t, ctx, units, results)));
  }
  await scanCdkApps(found, ctx, shard, diagnostics, take);
  for (const f of found.files) if (f.kind !== 'cdk-project' && inShard(f.path, shard)) files.add(f.path);
  const unique = new Map<string, Finding>();
  for (const f of findings) if (!unique.has(f.fingerprint)) unique.set(f.fingerprint, f);
  // Directives come from every file evaluated, module files included: a finding inside a module points there.
  if (options.inlineSuppressions !== false) {
    for (const file of await terraformDirectives(terraformFiles, directories, loader)) {
      directives.push(...file.directives);
      diagnostics.push(...file.diagnostics);
    }
  }
  const applied = timed('finish', () =>
    applySuppressions(resolveFixEdits([...unique.values()], found.root, results?.texts), directives, {
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

/** The cloud assemblies found, and those the CDK projects found name (`cdk.json` `output`), each scanned once. */
async function scanCdkApps(found: DiscoverResult, ctx: FormatContext, shard: Shard | undefined, diagnostics: Diagnostic[], take: (c: Contribution) => void) {
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
  const own = manifests.filter((m) => inShard(m, shard));
  if (own.length === 0) return;
  // TypeScript's parser is loaded only when there is a CDK app to read.
  const { CdkSourceLocator } = await import('../parsers/cdk/locate.js');
  const locator = new CdkSourceLocator(found.root, found.policy);
  for (const m of own) take(await scanCdkAssembly(m, ctx, locator));
  diagnostics.push(...(await locator.diagnostics()));
}

/**
 * Scans one root module while the loader records what it reads, and keeps its contribution in the result cache when
 * that is safe: no internal error, nothing the loader said meanwhile is about a directory the unit did not read (or
 * was not reading ahead), and every file it read was read whole and the same each time.
 */
async function scanRecorded(
  results: ResultCache,
  loader: RecordingLoader,
  unit: { dir: string; id: string; ahead: string[]; extraFiles: string[] },
  ctx: FormatContext,
  scanUnit: () => Promise<Contribution>,
): Promise<[Contribution, Summary]> {
  results.stats.computed++;
  const { value: c, recording } = await loader.record(scanUnit);
  c.findings = resolveFixEdits(c.findings, ctx.root, results.texts);
  const summary = await summarizeTerraform(c, loader, ctx.inlineSuppressions);
  const own = new Set([...recording.dirs, ...[...recording.files].map((f) => path.posix.dirname(f))]);
  const known = new Set([...own, ...unit.ahead]);
  const safe = !c.diagnostics.some((d) => d.code === INTERNAL_ERROR) && recording.reported.every((d) => known.has(path.posix.dirname(d.file)));
  const deps = safe
    ? await results.depsOf(
        [...recording.dirs].map((d) => path.resolve(ctx.root, d)),
        [...recording.files, ...unit.extraFiles, ...c.files].map((f) => path.resolve(ctx.root, f)),
      )
    : undefined;
  if (!deps) results.stats.uncacheable++;
  else {
    const loaded = [...own].flatMap((d) => loader.reportedIn(d));
    results.keep('terraform-root', unit.id, deps, { ...resultOf(c, summary), diagnostics: [...c.diagnostics, ...loaded] });
  }
  return [c, summary];
}

type Units = ReturnType<typeof lookUpUnits>;

/** A root module's contribution: from the result cache, or scanned (and kept in the cache when there is one). */
async function scanRootUnit(
  dir: string,
  ctx: FormatContext,
  loader: ModuleLoader,
  options: EvaluateOptions,
  units: Units,
  results: ResultCache | undefined,
  ahead: string[],
): Promise<[Contribution, Summary?]> {
  const reused = units.hit('terraform-root', dir);
  if (reused) return reusedContribution(results!, reused);
  const scanRoot = () => scanTerraformRoot(dir, ctx, loader, options);
  if (!results || !(loader instanceof RecordingLoader)) return [await scanRoot()];
  return scanRecorded(results, loader, { dir, id: units.id('terraform-root', dir), ahead, extraFiles: options.varFiles ?? [] }, ctx, scanRoot);
}

/** A template's contribution: from the result cache, or scanned (and kept in the cache when there is one). */
async function scanTemplateUnit(rel: string, ctx: FormatContext, units: Units, results: ResultCache | undefined): Promise<[Contribution, Summary?]> {
  const reused = units.hit('cloudformation', rel);
  if (reused) return reusedContribution(results!, reused);
  return results ? scanTemplateKept(results, rel, units.id('cloudformation', rel), ctx) : [await scanCloudFormationFile(rel, ctx)];
}

/** Scans one CloudFormation template and keeps its contribution when that is safe (its one file read whole, no internal error). */
async function scanTemplateKept(results: ResultCache, rel: string, id: string, ctx: FormatContext): Promise<[Contribution, Summary]> {
  results.stats.computed++;
  const c = await scanCloudFormationFile(rel, ctx);
  c.findings = resolveFixEdits(c.findings, ctx.root, results.texts);
  const summary = summarize(c);
  const deps = c.diagnostics.some((d) => d.code === INTERNAL_ERROR) ? undefined : await results.depsOf([], [path.resolve(ctx.root, rel)]);
  if (deps) results.keep('cloudformation', id, deps, resultOf(c, summary));
  else results.stats.uncacheable++;
  return [c, summary];
}

/**
 * The result cache's answers for this scan's root modules and templates, looked up (their files read and hashed,
 * in parallel) before any is scanned. A unit's id adds to the path the options only its kind reads.
 */
function lookUpUnits(results: ResultCache | undefined, found: DiscoverResult, options: ScanOptions, varFiles: string[] | undefined) {
  const id = (kind: UnitKind, p: string) =>
    JSON.stringify(
      kind === 'terraform-root'
        ? [p, options.region ?? null, Object.entries(options.vars ?? {}).sort(), varFiles ?? []]
        : [p, options.region ?? null, Object.entries(options.params ?? {}).sort()],
    );
  const units = [
    // A root module out of this shard is scanned here only through a plan of it, which the cache does not answer.
    ...found.terraformModules.filter((m) => m.isRoot && inShard(m.dir, options.shard)).map((m) => ({ kind: 'terraform-root' as const, path: m.dir })),
    ...found.files.filter((x) => x.kind === 'cloudformation' && inShard(x.path, options.shard)).map((x) => ({ kind: 'cloudformation' as const, path: x.path })),
  ];
  const looked = results ? timed('read', () => results.lookupAll(units.map((u) => ({ kind: u.kind, id: id(u.kind, u.path) })))) : [];
  const cached = new Map<string, UnitLookup>(units.map((u, i) => [`${u.kind} ${u.path}`, looked[i] ?? {}]));
  return { id, cached, hit: (kind: UnitKind, p: string) => cached.get(`${kind} ${p}`)?.result };
}

function reusedContribution(results: ResultCache, r: UnitResult): [Contribution, Summary] {
  results.stats.reused++;
  return [{ graphs: [], findings: r.findings, files: r.files, terraformFiles: r.terraformFiles, directives: r.directives, diagnostics: r.diagnostics }, r];
}

function formatContext(options: ScanOptions, found: DiscoverResult, rules: Rule[]): FormatContext {
  return {
    root: found.root,
    rules,
    region: options.region,
    params: options.params,
    inlineSuppressions: options.inlineSuppressions !== false,
    fingerprintFile: repositoryPath(found.root),
    policy: found.policy,
    limits: options.limits,
  };
}

/**
 * The directives of every Terraform file evaluated, by module directory in the order first evaluated: from the units
 * that gave them, else (a plan's configuration) from the loaded files.
 */
async function terraformDirectives(terraformFiles: Set<string>, directories: Map<string, FileDirectives[]>, loader: ModuleLoader): Promise<FileDirectives[]> {
  const out: FileDirectives[] = [];
  for (const dir of new Set([...terraformFiles].map((f) => path.posix.dirname(f)))) {
    for (const file of directories.get(dir) ?? directivesOf((await loader.load(dir))?.files ?? [])) if (terraformFiles.has(file.file)) out.push(file);
  }
  return out;
}

/**
 * The module directories to read ahead: all of them without a result cache; with one, those of the root modules it
 * does not answer: the directories a stale entry names, and, when a root module has no entry at all, every
 * directory no answered root module read.
 */
function prefetchDirs(found: DiscoverResult, cached: Map<string, UnitLookup>, withCache: boolean): string[] {
  const all = found.terraformModules.map((m) => m.dir);
  if (!withCache) return all;
  const abs = (d: string) => path.resolve(found.root, d);
  const answered = new Set<string>();
  const wanted = new Set<string>();
  let unknown = false;
  for (const m of found.terraformModules.filter((x) => x.isRoot)) {
    const l = cached.get(`terraform-root ${m.dir}`);
    if (l?.result) {
      answered.add(abs(m.dir));
      for (const f of l.result.terraformFiles) answered.add(abs(path.posix.dirname(f)));
      continue;
    }
    wanted.add(abs(m.dir));
    if (l?.previousDirs) l.previousDirs.forEach((d) => wanted.add(d));
    else unknown = true;
  }
  return all.filter((d) => wanted.has(abs(d)) || (unknown && !answered.has(abs(d))));
}

/** For each root module to scan, the next ones to read ahead while it is evaluated, skipping those the result cache answers. */
function readAheadOf<M extends { dir: string }>(roots: M[], answered: (dir: string) => boolean): Map<M, string[]> {
  const toScan = roots.filter((m) => !answered(m.dir));
  return new Map(toScan.map((m, i) => [m, toScan.slice(i + 1, i + 1 + PREFETCH_ROOT_MODULES).map((x) => x.dir)]));
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
