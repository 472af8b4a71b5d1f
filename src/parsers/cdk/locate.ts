import path from 'node:path';
import type { Diagnostic, Span } from '../../source/types.js';
import { appEntry, fallbackSources, findCdkProjectRoot, readCdkJson, resolveImport } from './project.js';
import { indexSource, type IdMatcher, type LocalScope, type LocalSite } from './source-index.js';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic } from '../../source/fs-policy.js';

export { findCdkProjectRoot } from './project.js';

/** App sources are hand-written; a bigger file is generated and not worth parsing. */
export const MAX_SOURCE_BYTES = INPUT_SIZE_LIMITS.typescript;
/** More files than any CDK app has; the import graph stops growing there. */
export const MAX_SOURCE_FILES = 2000;

/** Where a construct was written. */
export interface CdkSourceLocation {
  /** Relative to the scan root, forward slashes (it starts with `../` when the app lies above the scan root). */
  file: string;
  /** The `new X(…)` expression, the `vpc.addGatewayEndpoint(…)` call, or the key of `gatewayEndpoints: { Key: … }`. */
  span: Span;
  /** The id argument (or the key) alone. */
  idSpan: Span;
  /** The path segment that named the site: the construct itself, or the owner of a CDK-generated child. */
  constructId: string;
  /** The construct path down to that segment (`NetworkStack/Vpc` for `NetworkStack/Vpc/PublicSubnet1/RouteTable`). */
  constructPath: string;
  /**
   * `exact`: every parent segment was matched to the code that creates it, up to the `App`. `id-only`: the id
   * matches but some parent could not be followed (a scope passed as a parameter, a class the code never builds).
   */
  confidence: 'exact' | 'id-only';
}

export interface ProjectSite extends Omit<LocalSite, 'scope'> {
  /** Index into `CdkProject.files`. */
  file: number;
  scope: ProjectScope;
}

export type ProjectScope = Exclude<LocalScope, { kind: 'site' }> | { kind: 'site'; site: number };

/** The parsed app: plain data, built once per project. */
export interface CdkProject {
  /** The directory holding cdk.json, relative to the scan root. */
  root: string;
  /** The file cdk.json's `app` runs, when it is TypeScript. */
  entry?: string;
  /** Every file parsed, relative to the scan root, in the order they were reached. */
  files: string[];
  sites: ProjectSite[];
  classes: Array<{ name: string; superName?: string; file: number }>;
  /** `cdk-source-unparsed` for each file TypeScript could not parse. */
  diagnostics: Diagnostic[];
}

/**
 * Parses the app of a CDK project: the file cdk.json's `app` runs and everything it imports relatively; when there is
 * no such file (or it does not parse), every source under `bin/` and `lib/`. Never throws.
 */
export async function loadCdkProject(rootAbs: string, scanRootAbs: string, policy: InputPolicy = InputPolicy.anywhere()): Promise<CdkProject> {
  const rel = (abs: string): string => toPosix(path.relative(scanRootAbs, abs)) || '.';
  const project: CdkProject = { root: rel(rootAbs), files: [], sites: [], classes: [], diagnostics: [] };
  const settings = await readCdkJson(rootAbs, policy);
  const entry = await appEntry(rootAbs, settings?.app);
  if (entry) project.entry = rel(entry);

  const seen = new Set<string>();
  const queue: string[] = [];
  const enqueue = (abs: string): void => {
    if (seen.has(abs) || seen.size >= MAX_SOURCE_FILES) return;
    seen.add(abs);
    queue.push(abs);
  };
  let entryParsed = false;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const file = queue.shift()!;
      const imports = await addFile(project, file, rel(file), policy);
      if (imports === undefined) continue;
      if (file === entry) entryParsed = true;
      for (const specifier of imports) {
        const target = await resolveImport(file, specifier, rootAbs);
        if (target) enqueue(target);
      }
    }
  };
  if (entry) enqueue(entry);
  await drain();
  if (!entryParsed) {
    // No entry to follow: whatever bin/ and lib/ hold is the app.
    for (const f of await fallbackSources(rootAbs, MAX_SOURCE_FILES)) enqueue(f);
    await drain();
  }
  return project;
}

/** Parses and indexes one file into the project; returns its relative imports, or undefined when it did not parse. */
async function addFile(project: CdkProject, abs: string, rel: string, policy: InputPolicy): Promise<string[] | undefined> {
  const unparsed = (message: string, line?: number, column?: number): undefined => {
    const d: Diagnostic = { severity: 'warning', code: 'cdk-source-unparsed', file: rel, message };
    if (line !== undefined) d.line = line;
    if (column !== undefined) d.column = column;
    project.diagnostics.push(d);
    return undefined;
  };
  const read = await policy.read(abs, MAX_SOURCE_BYTES);
  if (!read.ok) {
    if (read.reason === 'too-large') return unparsed(`TypeScript source is over ${MAX_SOURCE_BYTES / 1048576} MB; constructs it creates cannot be located.`);
    if (read.reason === 'outside-root' || read.reason === 'not-regular-file') {
      project.diagnostics.push(refusalDiagnostic(read, { file: rel, what: 'TypeScript source' }));
      return undefined;
    }
    return unparsed(`TypeScript source cannot be read: ${read.detail}.`);
  }
  const bytes = read.bytes;
  if (bytes.indexOf(0) !== -1) return unparsed('TypeScript source contains NUL bytes; constructs it creates cannot be located.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return unparsed('TypeScript source is not valid UTF-8; constructs it creates cannot be located.');
  }
  const result = indexSource(text, abs.endsWith('.tsx'));
  if (result.error) {
    return unparsed(
      `TypeScript could not parse this file (${result.error.message}); constructs it creates cannot be located.`,
      result.error.line,
      result.error.column,
    );
  }
  const fileIndex = project.files.length;
  const offset = project.sites.length;
  project.files.push(rel);
  for (const s of result.index.sites) {
    const scope: ProjectScope = s.scope.kind === 'site' ? { kind: 'site', site: s.scope.site + offset } : s.scope;
    project.sites.push({ ...s, file: fileIndex, scope });
  }
  for (const c of result.index.classes) project.classes.push({ ...c, file: fileIndex });
  return result.index.imports;
}

/** Construct ids CDK's own constructs give their children; a site with one of these ids needs a verified parent. */
const GENERATED_IDS = new Set([
  'Resource',
  'Default',
  'Subnet',
  'Acl',
  'RouteTable',
  'RouteTableAssociation',
  'DefaultRoute',
  'DefaultRoute6',
  'EIP',
  'NATGateway',
  'IGW',
  'VPCGW',
  'EIGW6',
  'ipv6cidr',
  'VpnGateway',
  'RoutePropagation',
  'SecurityGroup',
  'ServiceRole',
  'DefaultPolicy',
  'Policy',
  'ScalingRole',
  'InstanceProfile',
  'LogRetention',
  'Code',
  'Stage',
  'AssetBucket',
]);

type Grade = { grade: 0 | 1 | 2; verified: number };
const REJECT: Grade = { grade: 0, verified: 0 };
const WILD: Grade = { grade: 1, verified: 0 };
/** CDK paths are a few segments deep; a path longer than this did not come from a synthesized app. */
const MAX_PATH_SEGMENTS = 256;

/**
 * Finds the code that created the construct at `constructPath` (`NetworkStack/Vpc/S3/Resource`), or the nearest
 * construct above it that the code creates (a VPC's `PublicSubnet1/RouteTable` maps to its `new ec2.Vpc(…)`).
 */
export function locateInProject(project: CdkProject, constructPath: string): CdkSourceLocation | undefined {
  const segments = constructPath.split('/').filter((s) => s !== '');
  if (segments.length > MAX_PATH_SEGMENTS) return undefined;
  while (segments.length > 1 && (segments.at(-1) === 'Resource' || segments.at(-1) === 'Default')) segments.pop();
  const matcher = new Matcher(project, segments);
  let weak: { site: number; k: number } | undefined;
  for (let k = segments.length - 1; k >= 0; k--) {
    const best = matcher.best(k);
    if (!best) continue;
    if (best.grade.grade === 2) return location(project, best.site, segments, k, 'exact');
    // An unverified site with an id CDK itself gives children may well be someone else's: look further up first.
    if (isGeneratedId(segments[k]!)) weak ??= { site: best.site, k };
    else return location(project, best.site, segments, k, 'id-only');
  }
  return weak ? location(project, weak.site, segments, weak.k, 'id-only') : undefined;
}

function isGeneratedId(id: string): boolean {
  return GENERATED_IDS.has(id) || /Subnet\d+$/.test(id);
}

function location(project: CdkProject, siteIndex: number, segments: string[], k: number, confidence: CdkSourceLocation['confidence']): CdkSourceLocation {
  const site = project.sites[siteIndex]!;
  return {
    file: project.files[site.file]!,
    span: site.span,
    idSpan: site.idSpan,
    constructId: segments[k]!,
    constructPath: segments.slice(0, k + 1).join('/'),
    confidence,
  };
}

/** Per project: sites by id and instantiations by class, built on the first lookup. */
class SiteLookup {
  private readonly byId = new Map<string, number[]>();
  private readonly patterns: Array<{ site: number; re: RegExp }> = [];
  private readonly instantiations = new Map<string, number[]>();

  constructor(private readonly project: CdkProject) {
    project.sites.forEach((s, i) => {
      if ('exact' in s.id) {
        const list = this.byId.get(s.id.exact);
        if (list) list.push(i);
        else this.byId.set(s.id.exact, [i]);
      } else {
        this.patterns.push({ site: i, re: compile(s.id) });
      }
    });
  }

  withId(id: string): number[] {
    const out = [...(this.byId.get(id) ?? [])];
    for (const p of this.patterns) if (p.re.test(id)) out.push(p.site);
    return out.sort((a, b) => a - b);
  }

  /** `new C(…)` sites for class C and its subclasses (`this` in C's constructor is an instance of either). */
  instancesOf(cls: string): number[] {
    const cached = this.instantiations.get(cls);
    if (cached) return cached;
    const family = new Set([cls]);
    for (let grew = true; grew;) {
      grew = false;
      for (const c of this.project.classes) {
        if (c.superName !== undefined && family.has(c.superName) && !family.has(c.name)) {
          family.add(c.name);
          grew = true;
        }
      }
    }
    const sites: number[] = [];
    this.project.sites.forEach((s, i) => {
      if (s.kind === 'new' && !s.external && s.className !== undefined && family.has(s.className)) sites.push(i);
    });
    this.instantiations.set(cls, sites);
    return sites;
  }
}

const lookups = new WeakMap<CdkProject, SiteLookup>();

/**
 * Matches the segments of one construct path against sites, from the end, following each site's scope up to the
 * App. Results are memoized per (site or class, segment), so shared parents are matched once and cycles end.
 */
class Matcher {
  private readonly lookup: SiteLookup;
  private readonly memo = new Map<string, Grade | 'pending'>();

  constructor(
    private readonly project: CdkProject,
    private readonly segments: string[],
  ) {
    let lookup = lookups.get(project);
    if (!lookup) lookups.set(project, (lookup = new SiteLookup(project)));
    this.lookup = lookup;
  }

  /** The best site naming `segments[k]` whose parents agree with `segments[0..k-1]`. */
  best(k: number): { site: number; grade: Grade } | undefined {
    let best: { site: number; grade: Grade } | undefined;
    for (const site of this.lookup.withId(this.segments[k]!)) {
      const grade = this.matchSite(site, k);
      if (grade.grade === 0) continue;
      if (!best || better(grade, best.grade)) best = { site, grade };
    }
    return best;
  }

  private matchSite(site: number, k: number): Grade {
    if (k < 0 || !idMatches(this.project.sites[site]!.id, this.segments[k]!)) return REJECT;
    return this.memoized(`s${site}@${k}`, () => {
      const parent = this.matchScope(this.project.sites[site]!.scope, k - 1);
      return parent.grade === 0 ? REJECT : { grade: parent.grade, verified: parent.verified + 1 };
    });
  }

  /** Whether `segments[0..j]` can be the path of the construct `scope` denotes (j = -1: the App itself). */
  private matchScope(scope: ProjectScope, j: number): Grade {
    switch (scope.kind) {
      case 'root':
        return j === -1 ? { grade: 2, verified: 0 } : REJECT;
      case 'site':
        return this.matchSite(scope.site, j);
      case 'this':
        if (j < 0) return REJECT;
        return this.memoized(`t${scope.cls}@${j}`, () => {
          const sites = this.lookup.instancesOf(scope.cls);
          return sites.length === 0 ? WILD : bestOf(sites.map((s) => this.matchSite(s, j)));
        });
      case 'outer':
        return this.memoized(`o${scope.cls}@${j}`, () => {
          const sites = this.lookup.instancesOf(scope.cls);
          return sites.length === 0 ? WILD : bestOf(sites.map((s) => this.matchScope(this.project.sites[s]!.scope, j)));
        });
      default:
        return WILD;
    }
  }

  /** A class that builds itself with the scope it was given never gets closer to the App: such a loop matches nothing. */
  private memoized(key: string, compute: () => Grade): Grade {
    const known = this.memo.get(key);
    if (known === 'pending') return REJECT;
    if (known) return known;
    this.memo.set(key, 'pending');
    const grade = compute();
    this.memo.set(key, grade);
    return grade;
  }
}

function better(a: Grade, b: Grade): boolean {
  return a.grade !== b.grade ? a.grade > b.grade : a.verified > b.verified;
}

function bestOf(grades: Grade[]): Grade {
  let best = REJECT;
  for (const g of grades) if (better(g, best)) best = g;
  return best;
}

function idMatches(id: IdMatcher, segment: string): boolean {
  return 'exact' in id ? id.exact === segment : compile(id).test(segment);
}

const compiled = new Map<string, RegExp>();
function compile(id: { pattern: string }): RegExp {
  let re = compiled.get(id.pattern);
  if (!re) compiled.set(id.pattern, (re = new RegExp(`^${id.pattern}$`)));
  return re;
}

/**
 * Finds constructs' source for the assemblies of one scan: each CDK project is found from its assembly and parsed
 * once. Diagnostics of every project parsed are kept for the caller to report once.
 */
export class CdkSourceLocator {
  private readonly roots = new Map<string, Promise<string | undefined>>();
  private readonly projects = new Map<string, Promise<CdkProject>>();

  constructor(
    private readonly scanRootAbs: string,
    /** Where sources may be read from (default: anywhere, still only regular files). */
    private readonly policy: InputPolicy = InputPolicy.anywhere(),
  ) {}

  /** The parsed app an assembly was synthesized from; undefined when no cdk.json above the assembly sends output to it. */
  async projectFor(assemblyDirAbs: string): Promise<CdkProject | undefined> {
    const key = path.resolve(assemblyDirAbs);
    let root = this.roots.get(key);
    if (!root) this.roots.set(key, (root = findCdkProjectRoot(key).catch(() => undefined)));
    const rootAbs = await root;
    if (rootAbs === undefined) return undefined;
    let project = this.projects.get(rootAbs);
    if (!project) this.projects.set(rootAbs, (project = loadCdkProject(rootAbs, this.scanRootAbs, this.policy)));
    return project;
  }

  async locate(assemblyDirAbs: string, constructPath: string): Promise<CdkSourceLocation | undefined> {
    const project = await this.projectFor(assemblyDirAbs);
    return project ? locateInProject(project, constructPath) : undefined;
  }

  /** `cdk-source-unparsed` diagnostics of every project parsed so far, in a stable order. */
  async diagnostics(): Promise<Diagnostic[]> {
    const all = await Promise.all([...this.projects.values()]);
    return all.flatMap((p) => p.diagnostics).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
