import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModuleLoader, moduleDirKey, type ModuleSource } from '../parsers/terraform/evaluate/module-loader.js';
import type { FileParser } from '../parsers/terraform/parse/file.js';
import { SourceTexts } from './fix-edits/text.js';
import { INPUT_SIZE_LIMITS, type InputPolicy, type ReadOutcome } from '../source/fs-policy.js';
import type { Finding, InterfaceEndpointInfo } from '../source/findings.js';
import { packageRoot, packageVersion } from '../source/package.js';
import { SignedStore } from '../source/signed-store.js';
import type { SuppressionDirective } from '../source/suppression.js';
import type { PrereadFiles } from '../source/preread.js';
import type { Diagnostic } from '../source/types.js';

/**
 * The result cache: what one scanned unit (a Terraform root module, a CloudFormation template) contributed to a scan,
 * kept so that the next scan of the same unit, over the same files with the same options, takes it instead of
 * evaluating, building the graph and running the rules again.
 *
 * An entry is found by the unit key (the schema, the tool's version and code, every option that can change a unit's
 * result, the unit's kind and path) and holds what the unit read, each file by content hash and each directory whose
 * listing decided what was read by its listing, beside the result. It is used only when every one of those files and
 * listings is the same now: checking that reads each file once and parses nothing. Entries are signed, bounded and
 * written atomically like the parse cache's (`SignedStore`), beside them in the cache directory.
 */

/** Bumped whenever an entry changes shape or meaning: older entries then simply never match. */
const SCHEMA = 1;
/** An entry larger than this is neither written nor read. */
export const MAX_RESULT_ENTRY_BYTES = 16 * 1024 * 1024;
/** When the entries pass this total, the oldest are deleted until they fill 80% of it. */
export const MAX_RESULT_CACHE_BYTES = 256 * 1024 * 1024;
/** The largest file any input kind may be: a file read for its hash is read through the policy up to this. */
const MAX_INPUT_BYTES = Math.max(...Object.values(INPUT_SIZE_LIMITS));

export type UnitKind = 'terraform-root' | 'cloudformation';

/** The suppression directives written in one Terraform file, with the diagnostics their reading gave. */
export interface FileDirectives {
  file: string;
  directives: SuppressionDirective[];
  diagnostics: Diagnostic[];
}

/** What a unit contributes to the scan, without its graphs: what the scan collects from them is here instead. */
export interface UnitResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  directives: SuppressionDirective[];
  files: string[];
  terraformFiles: string[];
  /** The interface endpoints of the unit's graphs, in the order the scan adds them. */
  endpoints: InterfaceEndpointInfo[];
  vpcs: number;
  /**
   * Terraform: every file of each module directory holding one of `terraformFiles`, in the order the loader gives
   * them, with its directives (empty when inline suppressions are off).
   */
  directories: Array<{ dir: string; files: FileDirectives[] }>;
}

/** What a unit read: files by content hash (`null`: it did not exist), directories by their listing. */
export interface UnitDeps {
  files: Array<[string, string | null]>;
  dirs: Array<[string, string]>;
}

interface Entry {
  deps: UnitDeps;
  result: UnitResult;
}

export interface ResultCacheStats {
  /** Units whose contribution was taken from the cache. */
  reused: number;
  /** Units scanned (no entry, a stale or refused entry, or the unit cannot be cached). */
  computed: number;
  /** Entries whose files or listings changed since they were written. */
  stale: number;
  /** Entries present but refused (bad signature, schema, key, shape or size). */
  rejected: number;
  /** Units scanned whose result is not kept: a read was refused, or an internal error. */
  uncacheable: number;
  written: number;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The files a Terraform module directory may read, by name: configuration and variable files. */
const TERRAFORM_INPUT = /\.(tf|tf\.json|tfvars|tfvars\.json)$/;

let codeIdentityMemo: string | undefined;

/**
 * What identifies the code that computes a result, cheaply: the size and modification time of every file of the
 * compiled (or, under a test runner, source) program, its rules and the bundled data, and the package manifest. A
 * rebuild or an edit changes it; reading every byte is not needed for that.
 */
export async function codeIdentity(): Promise<string> {
  if (codeIdentityMemo !== undefined) return codeIdentityMemo;
  // This module is <base>/src/engine/result-cache.{ts,js}: <base> is the package root or its dist/ folder.
  const base = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const lines: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      lines.push(`${dir} missing`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 16 && e.name !== 'node_modules') await walk(abs, depth + 1);
      } else if (e.isFile()) {
        const s = await stat(abs).catch(() => undefined);
        lines.push(`${abs} ${s?.size ?? -1} ${s?.mtimeMs ?? -1}`);
      }
    }
  };
  let root: string | undefined;
  try {
    root = packageRoot();
  } catch {
    root = undefined;
  }
  // The file this code runs from (a bundle's chunk, or this module), then the program's folders.
  const self = fileURLToPath(import.meta.url);
  const own = await stat(self).catch(() => undefined);
  lines.push(`${self} ${own?.size ?? -1} ${own?.mtimeMs ?? -1}`);
  await walk(path.join(base, 'src'), 0);
  await walk(path.join(base, 'rules'), 0);
  if (root !== undefined) {
    await walk(path.join(root, 'data'), 0);
    const manifest = await stat(path.join(root, 'package.json')).catch(() => undefined);
    lines.push(`package.json ${manifest?.size ?? -1} ${manifest?.mtimeMs ?? -1}`);
    lines.push(...dependencyVersions(root));
  }
  codeIdentityMemo = sha256(lines.join('\n'));
  return codeIdentityMemo;
}

/** The installed version of each runtime dependency the package manifest names (a parser upgrade changes results). */
function dependencyVersions(root: string): string[] {
  const require = createRequire(path.join(root, 'package.json'));
  let names: string[];
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> };
    names = Object.keys(manifest.dependencies ?? {}).sort();
  } catch {
    return ['dependencies unknown'];
  }
  return names.map((name) => {
    try {
      const version = (require(`${name}/package.json`) as { version?: unknown }).version;
      return `${name}@${String(version)}`;
    } catch {
      return `${name}@unresolved`;
    }
  });
}

/**
 * What a directory's listing says about what may be read from it: a hash of its real path and of the names (with
 * their types) that are not directories, and those names; `missing` when it cannot be listed.
 */
function listDir(abs: string, policy: InputPolicy): { hash: string; names: string[] } {
  try {
    const real = realpathSync(abs);
    // A directory outside the allowed roots is not listed: a unit that names one is never kept.
    if (!policy.allows(real)) return { hash: 'outside', names: [] };
    const all = readdirSync(real, { withFileTypes: true });
    const entries = all.filter((e) => !e.isDirectory());
    // A directory named like a Terraform file counts too: fixes check every such name before adding a resource.
    const typed = all
      .filter((e) => !e.isDirectory() || TERRAFORM_INPUT.test(e.name))
      .map((e) => `${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : e.isFile() ? 'f' : 'o'} ${e.name}`)
      .sort();
    return { hash: sha256(`${real}\n${typed.join('\n')}`), names: entries.map((e) => e.name) };
  } catch {
    return { hash: 'missing', names: [] };
  }
}

/** A file's content hash as read through the policy; `null` when missing; undefined when the policy refuses it. */
function hashOf(outcome: ReadOutcome): string | null | undefined {
  if (outcome.ok) return sha256(outcome.bytes);
  return outcome.reason === 'missing' ? null : undefined;
}

/**
 * Records, while the scan runs, the content hash of every file read through the policy (discovery's reads included),
 * so a unit's files are hashed from the bytes it was computed from, and a file discovery read is not read again to
 * check a unit. A file that read differently twice in one scan, or that the policy refused, is marked so: its unit is
 * neither kept nor taken.
 */
export class ReadLog {
  private readonly hashes = new Map<string, string | null | 'changed' | 'refused'>();

  /** Logs what `policy` reads from now on. */
  attach(policy: InputPolicy): void {
    const read = policy.read.bind(policy);
    const readSync = policy.readSync.bind(policy);
    const readEntrySync = policy.readEntrySync.bind(policy);
    policy.read = async (abs: string, limit: number) => this.note(abs, await read(abs, limit));
    policy.readSync = (abs: string, limit: number) => this.note(abs, readSync(abs, limit));
    policy.readEntrySync = (abs: string, real: string, limit: number) => this.note(abs, readEntrySync(abs, real, limit));
  }

  private note(abs: string, outcome: ReadOutcome): ReadOutcome {
    const hash = hashOf(outcome);
    const before = this.hashes.get(abs);
    const now = hash === undefined ? 'refused' : hash;
    this.hashes.set(abs, before === undefined || before === now ? now : before === 'refused' || now === 'refused' ? 'refused' : 'changed');
    return outcome;
  }

  get(abs: string): string | null | 'changed' | 'refused' | undefined {
    return this.hashes.get(abs);
  }
}

/**
 * What a unit read, by absolute path: the listing of each directory it asked for, and the content hash of each file it
 * read and of each Terraform input in those directories, from `reads` where the scan read it, else read now.
 * Undefined when the unit must not be kept: a directory outside the allowed roots, a file refused or read differently.
 * The scanning thread and the unit workers (each with the read log of its own policy) compute it the same way.
 */
export function unitDeps(dirs: readonly string[], files: readonly string[], reads: ReadLog, policy: InputPolicy): UnitDeps | undefined {
  const out: UnitDeps = { files: [], dirs: [] };
  const wanted = new Set(files);
  for (const abs of [...new Set(dirs)].sort()) {
    const listing = listDir(abs, policy);
    if (listing.hash === 'outside') return undefined;
    out.dirs.push([abs, listing.hash]);
    for (const n of listing.names) if (TERRAFORM_INPUT.test(n)) wanted.add(path.join(abs, n));
  }
  for (const abs of [...wanted].sort()) {
    let hash = reads.get(abs);
    if (hash === undefined) hash = hashOf(policy.readSync(abs, MAX_INPUT_BYTES));
    if (hash === undefined || hash === 'refused' || hash === 'changed') return undefined;
    out.files.push([abs, hash]);
  }
  return out;
}

/** What a root module's evaluation read, as `RecordingLoader.record` saw it. */
export interface Recording {
  /** Module directories asked for (loaded, or looked up as a module source), as loader keys. */
  dirs: Set<string>;
  /** `modules.json` files consulted, relative to the scan root. */
  files: Set<string>;
  /** What the loader reported meanwhile. */
  reported: Diagnostic[];
}

/**
 * The scan's module loader, noting the directories a root module's evaluation asks for, the `modules.json` files it
 * consults and what it reports while `record` runs (the scan evaluates one root module at a time; reading ahead for
 * the next ones goes through `load` before recording starts). It also keeps what it reported by directory: a unit
 * taken from the result cache carries those of the directories it read, since the loader then never reads them.
 */
export class RecordingLoader extends ModuleLoader {
  private recording: Recording | undefined;
  private readonly byDir = new Map<string, Diagnostic[]>();

  constructor(scanRoot: string, report: (d: Diagnostic) => void, parser: FileParser, policy: InputPolicy, preread?: PrereadFiles) {
    const heard: { by?: RecordingLoader } = {};
    super(
      scanRoot,
      (d) => {
        report(d);
        heard.by?.heard(d);
      },
      parser,
      policy,
      preread,
    );
    heard.by = this;
  }

  private heard(d: Diagnostic): void {
    const dir = path.posix.dirname(d.file);
    const list = this.byDir.get(dir);
    if (list) list.push(d);
    else this.byDir.set(dir, [d]);
    this.recording?.reported.push(d);
  }

  /** What the loader reported about files of `dir` (a loader key) in this scan. */
  reportedIn(dir: string): Diagnostic[] {
    return this.byDir.get(dir) ?? [];
  }

  /** Runs `fn` (one root module's scan), noting what it reads. */
  async record<T>(fn: () => Promise<T>): Promise<{ value: T; recording: Recording }> {
    const recording: Recording = { dirs: new Set(), files: new Set(), reported: [] };
    this.recording = recording;
    try {
      return { value: await fn(), recording };
    } finally {
      this.recording = undefined;
    }
  }

  override load(dir: string): Promise<ModuleSource | undefined> {
    this.recording?.dirs.add(moduleDirKey(dir));
    return super.load(dir);
  }

  override outsideRoot(dir: string): Promise<string | undefined> {
    this.recording?.dirs.add(moduleDirKey(dir));
    return super.outsideRoot(dir);
  }

  override identity(dir: string): Promise<string> {
    this.recording?.dirs.add(moduleDirKey(dir));
    return super.identity(dir);
  }

  override downloadedModuleDir(rootDir: string, keyPath: string[]): Promise<string | undefined> {
    const key = moduleDirKey(rootDir);
    this.recording?.files.add(key === '.' ? '.terraform/modules/modules.json' : `${key}/.terraform/modules/modules.json`);
    return super.downloadedModuleDir(rootDir, keyPath);
  }
}

function isEntry(v: unknown): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const deps = e['deps'] as Record<string, unknown> | undefined;
  const r = e['result'] as Record<string, unknown> | undefined;
  if (typeof deps !== 'object' || deps === null || !Array.isArray(deps['files']) || !Array.isArray(deps['dirs'])) return false;
  if (!deps['files'].every((f) => Array.isArray(f) && typeof f[0] === 'string' && (typeof f[1] === 'string' || f[1] === null))) return false;
  if (!deps['dirs'].every((d) => Array.isArray(d) && typeof d[0] === 'string' && typeof d[1] === 'string')) return false;
  if (typeof r !== 'object' || r === null || typeof r['vpcs'] !== 'number') return false;
  return ['findings', 'diagnostics', 'directives', 'files', 'terraformFiles', 'endpoints', 'directories'].every((k) => Array.isArray(r[k]));
}

export interface UnitLookup {
  /** The unit's contribution, when its entry is there, sound and every file and listing it read is unchanged. */
  result?: UnitResult;
  /** The directories a stale entry says the unit read: what to read ahead before scanning it again. */
  previousDirs?: string[];
}

export class ResultCache {
  readonly stats: ResultCacheStats = { reused: 0, computed: 0, stale: 0, rejected: 0, uncacheable: 0, written: 0 };
  /**
   * The texts fixes are worked out from, for the whole scan: a unit's fixes are resolved before it is kept (what they
   * read, its files and its module directories' listings, is what its entry is checked by), so a unit taken from the
   * cache brings its exact edits and nothing is read again for them.
   */
  readonly texts: SourceTexts;
  /** Files and listings as they are now, each looked at once per scan. */
  private readonly current = new Map<string, string | null | undefined>();

  private constructor(
    private readonly store: SignedStore,
    private readonly salt: string,
    private readonly policy: InputPolicy,
    readonly reads: ReadLog,
    private readonly maxBytes: number,
    root: string,
  ) {
    this.texts = new SourceTexts(root);
  }

  /**
   * Opens the result cache in `dir` (beside the parse cache's entries), signed with the key in `keyFile`; undefined
   * with a note when the directory or the key cannot be used. `settings` is every option that can change what a unit
   * contributes; it goes into every unit's key.
   */
  static async open(
    options: { dir: string; keyFile: string; maxBytes?: number },
    settings: unknown,
    policy: InputPolicy,
    /** The log attached to `policy` before discovery read through it. */
    reads: ReadLog,
    /** The scan root, which fixes name files from. */
    root: string,
  ): Promise<{ cache?: ResultCache; diagnostics: Diagnostic[] }> {
    try {
      const store = await SignedStore.open({
        dir: options.dir,
        keyFile: options.keyFile,
        sub: `results-v${SCHEMA}`,
        schema: SCHEMA,
        maxEntryBytes: MAX_RESULT_ENTRY_BYTES,
      });
      const salt = JSON.stringify([SCHEMA, packageVersion(), await codeIdentity(), process.platform, settings]);
      return { cache: new ResultCache(store, salt, policy, reads, options.maxBytes ?? MAX_RESULT_CACHE_BYTES, root), diagnostics: [] };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { diagnostics: [{ severity: 'note', code: 'cache-unavailable', file: '', message: `The result cache is off for this scan: ${why}.` }] };
    }
  }

  private unitKey(kind: UnitKind, id: string): string {
    return createHash('sha256').update(this.salt).update('\0').update(kind).update('\0').update(id).digest('hex');
  }

  private now(key: string, look: () => string | null | undefined): string | null | undefined {
    if (this.current.has(key)) return this.current.get(key);
    const value = look();
    this.current.set(key, value);
    return value;
  }

  /** A file's content hash as this scan read it already (discovery reads every Terraform file), else as it is now. */
  private hashSeen(abs: string): string | null | undefined {
    const logged = this.reads.get(abs);
    if (logged === 'changed' || logged === 'refused') return undefined;
    return typeof logged === 'string' ? logged : this.hashNow(abs);
  }

  /**
   * A file's content hash now, read as the policy reads (a regular file inside the allowed roots, by its real path,
   * never blocking on a FIFO swapped in); `null` when missing, undefined when the policy would refuse it.
   */
  private hashNow(abs: string): string | null | undefined {
    const found = this.policy.inspectSync(abs);
    if (found.kind === 'missing') return null;
    if (found.kind !== 'file' || !found.inside || found.size > MAX_INPUT_BYTES) return undefined;
    let fd: number | undefined;
    try {
      fd = openSync(found.real, constants.O_RDONLY | constants.O_NONBLOCK);
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > MAX_INPUT_BYTES) return undefined;
      return sha256(readFileSync(fd));
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Looks units up: their entries read and their files and listings checked synchronously, one after the other (for
   * thousands of small files, far cheaper than as many asynchronous calls; nothing else runs meanwhile). Answers in order.
   */
  lookupAll(units: ReadonlyArray<{ kind: UnitKind; id: string }>): UnitLookup[] {
    return units.map((u) => this.lookup(u.kind, u.id));
  }

  lookup(kind: UnitKind, id: string): UnitLookup {
    const read = this.store.getSync(this.unitKey(kind, id));
    if (read.status === 'miss') return {};
    if (read.status === 'rejected' || !isEntry(read.value)) {
      this.stats.rejected++;
      return {};
    }
    const entry = read.value;
    const same =
      entry.deps.dirs.every(([abs, listing]) => this.now(`d ${abs}`, () => listDir(abs, this.policy).hash) === listing) &&
      entry.deps.files.every(([abs, hash]) => this.now(`f ${abs}`, () => this.hashSeen(abs)) === hash);
    if (same) return { result: entry.result };
    this.stats.stale++;
    return { previousDirs: entry.deps.dirs.map(([abs]) => abs) };
  }

  /**
   * What a unit read, as it was read: each directory's listing, the content hash of each Terraform input file the
   * directories hold (from the read log when the scan read it, else read now) and of each other file. Undefined when
   * the unit must not be kept: a file was refused or read differently twice.
   */
  depsOf(dirs: readonly string[], files: readonly string[]): Promise<UnitDeps | undefined> {
    return Promise.resolve(unitDeps(dirs, files, this.reads, this.policy));
  }

  /** Keeps a unit's contribution under its key. */
  keep(kind: UnitKind, id: string, deps: UnitDeps, result: UnitResult): void {
    // Written at once, synchronously: a small file, far cheaper so than through the thread pool.
    if (this.store.putSync(this.unitKey(kind, id), { deps, result } satisfies Entry)) this.stats.written++;
  }

  /** When this scan wrote entries, trims the cache to its size bound (oldest first). */
  async close(): Promise<void> {
    if (this.stats.written > 0) await this.store.trim(this.maxBytes);
  }
}
