import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../../source/types.js';
import { inProcessParser, type FileParser, type ParsedOutcome } from '../parse/file.js';
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
  ) {}

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

  /** Reads and parses every Terraform file of a directory, reporting nothing; undefined when it cannot be listed. */
  private async collect(dir: string): Promise<ReadFile[] | undefined> {
    const abs = path.resolve(this.scanRoot, dir);
    let names: string[];
    try {
      names = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return undefined;
    }
    // Terraform's module: every .tf and .tf.json file that is not hidden or an editor backup, override files
    // merged last in lexical order.
    const tfNames = names.filter((n) => (n.endsWith('.tf') || n.endsWith('.tf.json')) && !isIgnoredTerraformFile(n)).sort();
    return Promise.all(
      tfNames.map(async (name): Promise<ReadFile> => {
        const rel = dir === '.' || dir === '' || dir === './' ? name : `${dir}/${name}`;
        let bytes: Buffer;
        try {
          bytes = await readFile(path.join(abs, name));
        } catch (e) {
          return { name, rel, readError: (e as Error).message };
        }
        return { name, rel, outcome: await this.parser.parse(rel, bytes) };
      }),
    );
  }

  /**
   * Where `terraform init` put the module called at `keyPath` (module call names from the root, e.g. ['vpc','endpoints']),
   * relative to the scan root; undefined when the root module was not initialised or the call is not listed.
   */
  async downloadedModuleDir(rootDir: string, keyPath: string[]): Promise<string | undefined> {
    let p = this.modulesJson.get(rootDir);
    if (!p) {
      p = readFile(path.resolve(this.scanRoot, rootDir, '.terraform/modules/modules.json'), 'utf8')
        .then((text) => {
          const parsed = JSON.parse(text) as { Modules?: ModulesJsonEntry[] };
          return Array.isArray(parsed.Modules) ? parsed.Modules : [];
        })
        .catch(() => undefined);
      this.modulesJson.set(rootDir, p);
    }
    const entries = await p;
    const entry = entries?.find((e) => e.Key === keyPath.join('.'));
    if (!entry || typeof entry.Dir !== 'string') return undefined;
    return toPosix(path.posix.normalize(path.posix.join(rootDir, toPosix(entry.Dir))));
  }
}
