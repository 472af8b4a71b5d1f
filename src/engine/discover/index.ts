import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic } from '../../source/fs-policy.js';
import { PrereadFiles } from '../../source/preread.js';
import { gitTopLevel } from '../repository.js';
import { pathGlobToRegExp } from '../glob.js';
import type { Diagnostic } from '../../source/types.js';
import { classifyFileOrSkip, kindFromContent, kindFromName, readHead, type FileKind } from './classify.js';
import { localModuleSources, resolveSource } from './modules.js';

export type { FileKind } from './classify.js';

export interface DiscoveredFile {
  /** Relative to the scan root, forward slashes. */
  path: string;
  kind: FileKind;
}

export interface TerraformModuleDir {
  /** Relative to the scan root, forward slashes; `.` for the root itself. */
  dir: string;
  /** `.tf` and `.tf.json` files, relative to the scan root. */
  files: string[];
  /** `.tfvars`, `.auto.tfvars` and `.tfvars.json` files in the same directory. */
  tfvars: string[];
  /** False for a directory another discovered directory calls as a local module, and for downloaded modules. */
  isRoot: boolean;
}

export interface DiscoverResult {
  /** Absolute path of the scan root. */
  root: string;
  files: DiscoveredFile[];
  terraformModules: TerraformModuleDir[];
  diagnostics: Diagnostic[];
  /** Where inputs may be read from: every later read of the scan goes through it. */
  policy: InputPolicy;
  /** The bytes of the Terraform files discovery read, by absolute path, for the module loader to take instead of reading them again. */
  preread: PrereadFiles;
}

/** Directory levels below a given path that are walked; deeper trees are generated or looping through mounts. */
export const MAX_DEPTH = 64;

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const toPosix = (p: string) => p.split(path.sep).join('/');

interface Walk {
  root: string;
  /** Real paths of the given directories: a symlink into them is walked through its real path instead. */
  givenReal: string[];
  visited: Set<string>;
  files: Map<string, DiscoveredFile>;
  /** Directories under `.terraform/modules`: downloaded modules, never roots. */
  downloaded: Set<string>;
  diagnostics: Diagnostic[];
  /** The exclude globs, compiled; a file or directory whose root-relative path matches one is not read. */
  exclude: RegExp[];
  /** Root-relative paths left out by `exclude` (a directory counts once, for everything under it). */
  excluded: string[];
  policy: InputPolicy;
  /** Absolute directories never walked (`DiscoverOptions.skipDirs`). */
  skipDirs: Set<string>;
  /** Real paths of the files and directories walked, by root-relative path, so that none is resolved twice. */
  reals: Map<string, string>;
}

export interface DiscoverOptions {
  /** Scan root for relative paths (defaults to the common parent of the paths). */
  root?: string;
  /** Globs relative to the scan root (`**`, `*`, `?`, see `pathGlobToRegExp`): matching files and directories are not read. */
  exclude?: readonly string[];
  /** Absolute directories never walked (the parse cache when it lies inside the scanned tree). */
  skipDirs?: readonly string[];
  /** Called with the read policy as soon as it exists, before anything is read through it (the result cache logs reads). */
  onPolicy?: (policy: InputPolicy) => void;
  /** Paths outside the scanned tree that may be read (`--allow-outside-root`, the config's `allow-outside-root`). */
  allowOutsideRoot?: readonly string[];
  /** Where the bytes of the Terraform files read are kept for the loader (default: a store with the default budget). */
  preread?: PrereadFiles;
}

/**
 * Where a scan may read: the git work tree holding the scan root (so that `envs/prod` reaches `../../modules/vpc` of
 * its repository), else the scan root itself; the paths given; and the paths allowed outside.
 */
export async function readBoundary(root: string, given: readonly string[], allowOutsideRoot: readonly string[] = []): Promise<InputPolicy> {
  return InputPolicy.create([gitTopLevel(root) ?? root, ...given, ...allowOutsideRoot.map((p) => path.resolve(p))]);
}

/** How many excluded paths the `discover-excluded` note names before it only counts. */
const EXCLUDED_NAMED = 5;

/**
 * Walks the given paths (files or directories, default `.`) and classifies what iac-vpce can read. Never throws:
 * missing paths, unreadable directories and symlink loops become diagnostics. Output order is deterministic.
 *
 * The walk and its reads are synchronous: each is a small call that costs less than a round trip through the thread
 * pool, and the scan has nothing to do until discovery ends. A directory entry that is a regular file (not a link) in
 * a directory whose real path is known has a known real path, and a file whose name says its kind is not opened to
 * classify it; links, and entries of other types by a name we read, are resolved and checked through the policy.
 */
export async function discover(paths: string[], opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const given = (paths.length ? paths : ['.']).map((p) => ({ input: p, abs: path.resolve(p) }));
  const diagnostics: Diagnostic[] = [];
  const existing: Array<{ input: string; abs: string; isDir: boolean }> = [];
  for (const g of given) {
    try {
      existing.push({ ...g, isDir: statSync(g.abs).isDirectory() });
    } catch {
      diagnostics.push({
        severity: 'error',
        code: 'discover-path-not-found',
        file: toPosix(g.input),
        message: `Path ${g.input} does not exist or cannot be read.`,
      });
    }
  }
  const root = opts.root ? path.resolve(opts.root) : commonParent(existing.map((e) => (e.isDir ? e.abs : path.dirname(e.abs))));
  const policy = await readBoundary(
    root,
    existing.map((e) => e.abs),
    opts.allowOutsideRoot,
  );
  opts.onPolicy?.(policy);
  const walk: Walk = {
    root,
    policy,
    givenReal: existing.filter((e) => e.isDir).map((e) => realOf(e.abs) ?? e.abs),
    visited: new Set(),
    files: new Map(),
    downloaded: new Set(),
    diagnostics,
    exclude: (opts.exclude ?? []).map(pathGlobToRegExp),
    excluded: [],
    skipDirs: new Set((opts.skipDirs ?? []).map((d) => path.resolve(d))),
    reals: new Map(),
  };
  for (const e of existing) {
    // A path given on the command line is excluded like one found by walking (a hook passing changed files), the root itself never.
    const rel = relative(walk, e.abs);
    if (rel !== '.' && isExcluded(walk, rel)) continue;
    if (e.isDir) walkDir(walk, e.abs, undefined, 0, [], false, false);
    else addFile(walk, e.abs, undefined, false);
  }
  if (walk.excluded.length > 0) diagnostics.push(excludedNote(walk.excluded));
  const files = [...walk.files.values()].sort((a, b) => byCodePoint(a.path, b.path));
  const preread = opts.preread ?? new PrereadFiles();
  const terraformModules = groupModules(walk, files, preread);
  return {
    root,
    files,
    terraformModules,
    diagnostics: diagnostics.sort((a, b) => byCodePoint(a.file, b.file) || byCodePoint(a.code, b.code)),
    policy,
    preread,
  };
}

/** The real path of `abs`; undefined when it does not resolve. */
function realOf(abs: string): string | undefined {
  try {
    return realpathSync.native(abs);
  } catch {
    return undefined;
  }
}

function commonParent(dirs: string[]): string {
  if (dirs.length === 0) return process.cwd();
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && d !== common && !d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))
      common = path.dirname(common);
  }
  return common;
}

function isExcluded(walk: Walk, rel: string): boolean {
  if (walk.exclude.length === 0 || !walk.exclude.some((re) => re.test(rel))) return false;
  walk.excluded.push(rel);
  return true;
}

function excludedNote(excluded: string[]): Diagnostic {
  const sorted = [...new Set(excluded)].sort(byCodePoint);
  const named = sorted.slice(0, EXCLUDED_NAMED).join(', ');
  const more = sorted.length > EXCLUDED_NAMED ? ` and ${sorted.length - EXCLUDED_NAMED} more` : '';
  const what = `${sorted.length} ${sorted.length === 1 ? 'path matches' : 'paths match'}`;
  return {
    severity: 'note',
    code: 'discover-excluded',
    file: '',
    message: `${what} an exclude pattern and ${sorted.length === 1 ? 'was' : 'were'} not read: ${named}${more}.`,
  };
}

function relative(walk: Walk, abs: string): string {
  return toPosix(path.relative(walk.root, abs)) || '.';
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** Walks one directory; `knownReal` is its real path when its parent's is known and it is no link, else it is resolved. */
function walkDir(walk: Walk, abs: string, knownReal: string | undefined, depth: number, ancestors: string[], viaSymlink: boolean, downloaded: boolean): void {
  const rel = relative(walk, abs);
  if (depth > MAX_DEPTH) {
    walk.diagnostics.push({
      severity: 'note',
      code: 'discover-too-deep',
      file: rel,
      message: `Directory is more than ${MAX_DEPTH} levels deep; it was not scanned.`,
    });
    return;
  }
  const real = knownReal ?? realOf(abs);
  if (real === undefined) return;
  if (ancestors.includes(real)) {
    walk.diagnostics.push({
      severity: 'note',
      code: 'discover-symlink-loop',
      file: rel,
      message: 'Symbolic link leads back to a directory above it; it was not followed.',
    });
    return;
  }
  // A link into a scanned tree would list the same files twice, under names nobody edits.
  if (viaSymlink && walk.givenReal.some((g) => isInside(real, g))) return;
  if (walk.visited.has(real)) return;
  walk.visited.add(real);
  walk.reals.set(rel, real);
  if (downloaded) walk.downloaded.add(rel);

  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => byCodePoint(a.name, b.name));
  } catch (e) {
    walk.diagnostics.push({ severity: 'warning', code: 'discover-read-error', file: rel, message: `Cannot read directory: ${(e as Error).message}` });
    return;
  }
  if (isCdkAssembly(abs, entries)) {
    const manifest = relative(walk, path.join(abs, 'manifest.json'));
    walk.files.set(manifest, { path: manifest, kind: 'cdk-assembly' });
    // Its templates and asset bundles are read through the manifest, not as loose files.
    return;
  }
  const chain = [...ancestors, real];
  const subdirs: Array<{ abs: string; real?: string; viaSymlink: boolean; downloaded: boolean }> = [];
  const fileEntries: Array<{ abs: string; real?: string }> = [];
  for (const entry of entries) {
    const child = path.join(abs, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    // A file Terraform, CloudFormation or the CDK would read: a FIFO, device or socket by such a name is said, never opened.
    const wanted = !isIgnoredFileName(entry.name) && kindFromName(entry.name) !== undefined;
    if (entry.isSymbolicLink()) {
      const found = walk.policy.inspectSync(child);
      if (found.kind === 'missing') continue; // a dangling link names nothing to scan
      if (!found.inside) {
        if (wanted || found.kind === 'directory')
          refuse(
            walk,
            child,
            { ok: false, reason: 'outside-root', detail: `it resolves to ${found.real}, outside ${walk.policy.describeRoots()}`, real: found.real },
            found.kind === 'directory' ? 'Linked directory' : 'Linked file',
          );
        continue;
      }
      isDir = found.kind === 'directory';
      isFile = found.kind === 'file';
      if (found.kind === 'other' && wanted)
        refuse(walk, child, { ok: false, reason: 'not-regular-file', detail: `it is ${found.what}`, real: found.real }, 'File');
    } else if (!isDir && !isFile && wanted && !isExcluded(walk, relative(walk, child))) {
      const found = walk.policy.inspectSync(child);
      if (found.kind === 'other') refuse(walk, child, { ok: false, reason: 'not-regular-file', detail: `it is ${found.what}`, real: found.real }, 'File');
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(entry.name) || walk.skipDirs.has(child)) continue;
      if (entry.name === '.terraform') {
        subdirs.push({ abs: path.join(child, 'modules'), viaSymlink: entry.isSymbolicLink(), downloaded: true });
        continue;
      }
      if (entry.name.startsWith('.') || isExcluded(walk, relative(walk, child))) continue;
      // A directory that is no link lies, really, in this one.
      const known = entry.isSymbolicLink() ? undefined : { real: path.join(real, entry.name) };
      subdirs.push({ abs: child, ...known, viaSymlink: entry.isSymbolicLink(), downloaded });
    } else if (isFile && !isIgnoredFileName(entry.name) && !isExcluded(walk, relative(walk, child))) {
      fileEntries.push(entry.isSymbolicLink() ? { abs: child } : { abs: child, real: path.join(real, entry.name) });
    }
  }
  for (const f of fileEntries) addFile(walk, f.abs, f.real, downloaded);
  for (const d of subdirs) {
    if (d.real === undefined) {
      try {
        if (!statSync(d.abs).isDirectory()) continue;
      } catch {
        continue;
      }
    }
    walkDir(walk, d.abs, d.real, depth + 1, chain, d.viaSymlink, d.downloaded);
  }
}

function refuse(walk: Walk, abs: string, outcome: Parameters<typeof refusalDiagnostic>[0], what: string): void {
  walk.diagnostics.push(refusalDiagnostic(outcome, { file: relative(walk, abs), what }));
}

/** Terraform skips hidden files and editor backups; so do we when walking. */
function isIgnoredFileName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

function isCdkAssembly(abs: string, entries: Dirent[]): boolean {
  const manifest = entries.find((e) => e.name === 'manifest.json' && (e.isFile() || e.isSymbolicLink()));
  if (!manifest) return false;
  if (path.basename(abs) === 'cdk.out') return true;
  const head = readHead(path.join(abs, 'manifest.json'));
  return head !== undefined && kindFromContent('manifest.json', head, path.basename(abs)) === 'cdk-assembly';
}

/**
 * Adds a file walked or given. `knownReal` is its real path when the listing said it is a regular file and no link, in a
 * directory whose real path is known: then it is not resolved again, and when its name says its kind it is not opened.
 */
function addFile(walk: Walk, abs: string, knownReal: string | undefined, downloaded: boolean): void {
  let real = knownReal;
  if (real === undefined) {
    const found = walk.policy.inspectSync(abs);
    if (found.kind === 'other') {
      refuse(walk, abs, { ok: false, reason: 'not-regular-file', detail: `it is ${found.what}`, real: found.real }, 'File');
      return;
    }
    if (found.kind === 'file') real = found.real;
  }
  const { kind, skipped } = classifyFileOrSkip(abs, path.basename(abs), path.basename(path.dirname(abs)));
  if (skipped) walk.diagnostics.push({ severity: 'warning', code: 'discover-skipped-file', file: relative(walk, abs), message: skipped });
  if (!kind) return;
  const rel = relative(walk, abs);
  walk.files.set(rel, { path: rel, kind });
  if (real !== undefined) walk.reals.set(rel, real);
  if (downloaded) walk.downloaded.add(path.posix.dirname(rel));
}

/**
 * Groups the Terraform files by directory and marks the directories other ones call as local modules as no roots.
 * Every Terraform file is read for that, once: its bytes are kept in `preread` for the module loader.
 */
function groupModules(walk: Walk, files: DiscoveredFile[], preread: PrereadFiles): TerraformModuleDir[] {
  const modules = new Map<string, TerraformModuleDir>();
  for (const f of files) {
    if (f.kind !== 'terraform') continue;
    const dir = path.posix.dirname(f.path);
    const mod = modules.get(dir) ?? { dir, files: [], tfvars: [], isRoot: !walk.downloaded.has(dir) };
    mod.files.push(f.path);
    modules.set(dir, mod);
  }
  for (const f of files) if (f.kind === 'tfvars') modules.get(path.posix.dirname(f.path))?.tfvars.push(f.path);
  // Calls are matched by real path, so a call through a symbolic link still finds the directory it names.
  const byRealDir = new Map<string, TerraformModuleDir>();
  for (const mod of modules.values()) {
    const abs = path.resolve(walk.root, mod.dir);
    byRealDir.set(walk.reals.get(mod.dir) ?? realOf(abs) ?? abs, mod);
  }
  for (const mod of modules.values()) {
    for (const file of mod.files) {
      const abs = path.resolve(walk.root, file);
      const real = walk.reals.get(file);
      // What cannot be read is said when the module is loaded; here it only calls no module.
      const read =
        real !== undefined ? walk.policy.readEntrySync(abs, real, INPUT_SIZE_LIMITS.terraform) : walk.policy.readSync(abs, INPUT_SIZE_LIMITS.terraform);
      if (!read.ok) continue;
      preread.keep(abs, read.bytes);
      const text = read.bytes.toString('utf8');
      for (const source of localModuleSources(file, text)) {
        const called = path.resolve(walk.root, resolveSource(mod.dir, source));
        const child = modules.get(resolveSource(mod.dir, source)) ?? byRealDir.get(realOf(called) ?? called);
        if (child && child !== mod) child.isRoot = false;
      }
    }
  }
  return [...modules.values()].sort((a, b) => byCodePoint(a.dir, b.dir));
}
