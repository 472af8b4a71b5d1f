import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../../source/types.js';
import { timed } from '../../../source/timings.js';
import { loadTerraformFile } from '../load/index.js';
import { applyOverrides, isIgnoredTerraformFile, isOverrideFile } from './override.js';
import { parseFileExpressions, type ParsedFile } from './parsed.js';

/** One module directory, every file loaded and parsed. `dir` is relative to the scan root, forward slashes. */
export interface ModuleSource {
  dir: string;
  files: ParsedFile[];
}

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

  constructor(
    /** Absolute path of the scan root. */
    readonly scanRoot: string,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  load(dir: string): Promise<ModuleSource | undefined> {
    // `a/b/../../` normalises to `./`: drop the trailing slash so file paths never start with one.
    const key = toPosix(path.posix.normalize(dir)).replace(/\/+$/, '') || '.';
    let p = this.cache.get(key);
    if (!p) {
      p = this.read(key);
      this.cache.set(key, p);
    }
    return p;
  }

  private async read(dir: string): Promise<ModuleSource | undefined> {
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
    const primary: ParsedFile[] = [];
    const overrides: ParsedFile[] = [];
    for (const name of tfNames) {
      const rel = dir === '.' || dir === '' || dir === './' ? name : `${dir}/${name}`;
      let bytes: Buffer;
      try {
        bytes = await timed('read', () => readFile(path.join(abs, name)));
      } catch (e) {
        this.report({ severity: 'error', code: 'tf-read-error', file: rel, message: `Cannot read file: ${(e as Error).message}` });
        continue;
      }
      const loaded = await timed('parse', () => loadTerraformFile(rel, bytes));
      loaded.diagnostics.forEach(this.report);
      if (!loaded.file) continue;
      const file = loaded.file;
      const parsed = await timed('parse', () => parseFileExpressions(file));
      parsed.diagnostics.forEach(this.report);
      (isOverrideFile(name) ? overrides : primary).push(parsed.file);
    }
    const files = overrides.length ? applyOverrides(primary, overrides, this.report) : primary;
    return { dir, files };
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
