import { readdirSync } from 'node:fs';
import path from 'node:path';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic, type ReadOutcome } from '../../../source/fs-policy.js';
import type { PrereadFiles } from '../../../source/preread.js';
import type { Diagnostic, Position } from '../../../source/types.js';
import { JsonSyntaxError, readJson, type JsonNode } from '../../../source/json.js';
import { isObjectNode, memberOf, stringOf } from '../../../source/json-tree.js';
import { MAX_NESTING } from '../load/text.js';
import { inProcessParser, type FileParser, type ParsedOutcome } from '../parse/file.js';
import { timed } from '../../../source/timings.js';
import { applyOverrides, isIgnoredTerraformFile, isOverrideFile } from './override.js';
import type { ParsedFile } from './parsed.js';

/** One module directory, every file loaded and parsed. `dir` is relative to the scan root, forward slashes. */
export interface ModuleSource {
  dir: string;
  files: ParsedFile[];
}

/** One file of a module directory as read, before its diagnostics are reported. */
interface ReadFile {
  name: string;
  rel: string;
  readError?: string;
  /** Refused by the file-system policy (a link out of the tree, a FIFO, over the size limit). */
  refused?: Diagnostic;
  outcome?: ParsedOutcome;
}

/** How many module directories a prefetch reads and parses ahead at once. */
const PREFETCH_DIRS = 8;

interface ModulesJsonEntry {
  Key: string;
  Source: string;
  Version?: string;
  Dir: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The key a module directory is loaded and compared by: normalised, no trailing slash, `.` for the root. */
export function moduleDirKey(dir: string): string {
  return toPosix(path.posix.normalize(toPosix(dir))).replace(/\/+$/, '') || '.';
}

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
}

/**
 * Loads module directories on demand and caches them by directory, so a module called ten times is read once.
 * Registry and git modules resolve through `.terraform/modules/modules.json` (written by `terraform init`).
 */
export class ModuleLoader {
  private readonly cache = new Map<string, Promise<ModuleSource | undefined>>();
  private readonly modulesJson = new Map<string, Promise<ModulesJsonEntry[] | undefined>>();
  /** Directories read and parsed ahead of evaluation (`prefetch`), not yet reported. */
  private readonly prefetched = new Map<string, Promise<ReadFile[] | undefined>>();

  constructor(
    /** Absolute path of the scan root. */
    readonly scanRoot: string,
    private readonly report: (d: Diagnostic) => void,
    /** Turns a file's bytes into its parsed form: in-process by default, or a worker pool, or a cache. */
    private readonly parser: FileParser = inProcessParser,
    /** Where files may be read from; by default the scan root only. */
    readonly policy: InputPolicy = InputPolicy.createSync([scanRoot]),
    /** Files already read through `policy` in this scan (by discovery): taken from here instead of read again. */
    private readonly preread?: PrereadFiles,
  ) {}

  /** The real path of a module directory when it lies outside the roots the policy allows; undefined when inside or missing. */
  async outsideRoot(dir: string): Promise<string | undefined> {
    const found = this.policy.inspectSync(path.resolve(this.scanRoot, dir));
    return found.kind !== 'missing' && !found.inside ? found.real : undefined;
  }

  /** What two module directories are the same by: the real path, or the key when the directory does not resolve. */
  async identity(dir: string): Promise<string> {
    const found = this.policy.inspectSync(path.resolve(this.scanRoot, dir));
    return found.kind === 'missing' ? `missing:${moduleDirKey(dir)}` : found.real;
  }

  private static key(dir: string): string {
    // `a/b/../../` normalises to `./`: drop the trailing slash so file paths never start with one.
    return toPosix(path.posix.normalize(dir)).replace(/\/+$/, '') || '.';
  }

  /**
   * Starts reading and parsing these directories (a few at a time, in order) so that parsing, in workers or from the
   * cache, runs ahead of evaluation. Nothing is reported until a directory is loaded; a directory never loaded costs
   * only the work.
   */
  prefetch(dirs: string[]): void {
    const pending = [...new Set(dirs.map((d) => ModuleLoader.key(d)))].filter((d) => !this.cache.has(d) && !this.prefetched.has(d));
    const started: Array<() => void> = [];
    let next = 0;
    const startNext = () => {
      const dir = pending[next++];
      if (dir === undefined) return;
      const p = this.collect(dir);
      this.prefetched.set(dir, p);
      void p.finally(() => started.shift()?.());
    };
    for (let i = 0; i < pending.length; i++) {
      if (i < PREFETCH_DIRS) startNext();
      else started.push(startNext);
    }
  }

  load(dir: string): Promise<ModuleSource | undefined> {
    const key = ModuleLoader.key(dir);
    let p = this.cache.get(key);
    if (!p) {
      p = this.read(key);
      this.cache.set(key, p);
    }
    return p;
  }

  private async read(dir: string): Promise<ModuleSource | undefined> {
    const prefetched = this.prefetched.get(dir);
    this.prefetched.delete(dir);
    const read = await (prefetched ?? this.collect(dir));
    if (!read) return undefined;
    const primary: ParsedFile[] = [];
    const overrides: ParsedFile[] = [];
    for (const f of read) {
      if (f.refused !== undefined) {
        this.report(f.refused);
        continue;
      }
      if (f.readError !== undefined) {
        this.report({ severity: 'error', code: 'tf-read-error', file: f.rel, message: `Cannot read file: ${f.readError}` });
        continue;
      }
      f.outcome!.diagnostics.forEach(this.report);
      if (f.outcome!.file) (isOverrideFile(f.name) ? overrides : primary).push(f.outcome!.file);
    }
    const files = overrides.length ? applyOverrides(primary, overrides, this.report) : primary;
    return { dir, files };
  }

  /**
   * Reads and parses every Terraform file of a directory, reporting nothing; undefined when it cannot be listed. The
   * listing and the reads are synchronous (small calls, cheaper than round trips through the thread pool); a file
   * discovery already read is taken from `preread`, so each is read once per scan.
   */
  private async collect(dir: string): Promise<ReadFile[] | undefined> {
    const abs = path.resolve(this.scanRoot, dir);
    let names: string[];
    try {
      // Links are kept: a link to a file inside the root is read as that file, any other is refused when read.
      names = readdirSync(abs, { withFileTypes: true })
        .filter((e) => !e.isDirectory())
        .map((e) => e.name);
    } catch {
      return undefined;
    }
    // Terraform's module: every .tf and .tf.json file that is not hidden or an editor backup, override files
    // merged last in lexical order.
    const tfNames = names.filter((n) => (n.endsWith('.tf') || n.endsWith('.tf.json')) && !isIgnoredTerraformFile(n)).sort();
    return Promise.all(
      tfNames.map(async (name): Promise<ReadFile> => {
        const rel = dir === '.' || dir === '' || dir === './' ? name : `${dir}/${name}`;
        const read = timed('read', () => this.readTerraformFile(path.join(abs, name)));
        if (!Buffer.isBuffer(read)) {
          if (read.reason === 'missing') return { name, rel, readError: 'it does not exist' };
          return {
            name,
            rel,
            refused: refusalDiagnostic(read, { file: rel, what: 'Terraform file', tooLargeCode: 'tf-file-too-large', readErrorCode: 'tf-read-error' }),
          };
        }
        return { name, rel, outcome: await timed('parse', () => this.parser.parse(rel, read)) };
      }),
    );
  }

  /** The bytes of a Terraform file: those discovery read through the policy when it kept them, else read now; or why not. */
  private readTerraformFile(abs: string): Buffer | Extract<ReadOutcome, { ok: false }> {
    const kept = this.preread?.take(abs);
    if (kept) return kept;
    const read = this.policy.readSync(abs, INPUT_SIZE_LIMITS.terraform);
    return read.ok ? read.bytes : read;
  }

  /**
   * Where `terraform init` put the module called at `keyPath` (module call names from the root, e.g. ['vpc','endpoints']),
   * relative to the scan root; undefined when the root module was not initialised or the call is not listed.
   */
  async downloadedModuleDir(rootDir: string, keyPath: string[]): Promise<string | undefined> {
    let p = this.modulesJson.get(rootDir);
    if (!p) {
      p = this.readModulesJson(rootDir);
      this.modulesJson.set(rootDir, p);
    }
    const entries = await p;
    const entry = entries?.find((e) => e.Key === keyPath.join('.'));
    if (!entry) return undefined;
    return moduleDirKey(path.posix.join(rootDir, toPosix(entry.Dir)));
  }

  /** The entries of `.terraform/modules/modules.json` that have a string `Key` and `Dir`; each malformed part is a diagnostic. */
  private async readModulesJson(rootDir: string): Promise<ModulesJsonEntry[] | undefined> {
    const rel = rootDir === '.' ? '.terraform/modules/modules.json' : `${rootDir}/.terraform/modules/modules.json`;
    const read = await this.policy.read(path.resolve(this.scanRoot, rel), INPUT_SIZE_LIMITS.modulesJson);
    if (!read.ok) {
      if (read.reason !== 'missing') this.report(refusalDiagnostic(read, { file: rel, what: 'modules.json' }));
      return undefined;
    }
    const invalid = (message: string, at?: Position) =>
      this.report({ severity: 'warning', code: 'tf-modules-json-invalid', file: rel, line: at?.line ?? 1, ...(at ? { column: at.column } : {}), message });
    const text = read.bytes.toString('utf8').replace(/^\uFEFF/, '');
    let root: JsonNode;
    try {
      root = readJson(text, { maxNesting: MAX_NESTING });
    } catch (e) {
      const at = e instanceof JsonSyntaxError ? e.position : undefined;
      invalid('modules.json is not valid JSON; downloaded modules of this root module are not read. Run `terraform init -backend=false` again.', at);
      return undefined;
    }
    const list = memberOf(root, 'Modules');
    if (list?.kind !== 'array') {
      invalid('modules.json has no `Modules` list; downloaded modules of this root module are not read.', list?.span.start ?? root.span.start);
      return undefined;
    }
    const entries: ModulesJsonEntry[] = [];
    list.items.forEach((item, i) => {
      const key = stringOf(memberOf(item, 'Key'));
      const dir = stringOf(memberOf(item, 'Dir'));
      if (!isObjectNode(item) || key === undefined || dir === undefined) {
        invalid(
          `Entry ${i + 1} of Modules${key !== undefined ? ` (Key "${key}")` : ''} is not an object with a string Key and Dir; it is ignored.`,
          item.span.start,
        );
        return;
      }
      const source = stringOf(memberOf(item, 'Source'));
      const version = stringOf(memberOf(item, 'Version'));
      entries.push({ Key: key, Source: source ?? '', Dir: dir, ...(version !== undefined ? { Version: version } : {}) });
    });
    return entries;
  }
}
