import path from 'node:path';
import type { Diagnostic } from '../../../source/types.js';
import { evaluate } from '../expr/index.js';
import { coveredReleases, findModel, type ModuleModel } from '../models/index.js';
import type { ParsedBlock } from './parsed.js';
import { isLocalSource, moduleDirKey, type ModuleLoader, type ModuleSource } from './module-loader.js';

/** A module and, for every `module` block in it, what that call resolves to. Built before evaluation starts. */
export interface ModuleTree {
  source: ModuleSource;
  children: Map<string, ModuleTree | UnresolvedModule>;
}

export interface UnresolvedModule {
  unresolved: true;
  source: string;
  reason: string;
  /** A built-in model standing in for the module's source, the release it is modelled as, and that release's major. */
  model?: { model: ModuleModel; version: string; majors: number[] };
}

const MAX_DEPTH = 24;

const emptyScope = { lookup: () => undefined };

export function moduleBlocks(source: ModuleSource): ParsedBlock[] {
  return source.files.flatMap((f) => f.blocks.filter((b) => b.type === 'module' && b.labels.length === 1));
}

function sourceOf(block: ParsedBlock, report: (d: Diagnostic) => void): string | undefined {
  const attr = block.attributes['source'];
  if (!attr) return undefined;
  const v = evaluate(attr.expr, emptyScope, { file: attr.file ?? block.file, line: attr.span.start.line, report });
  return typeof v === 'string' ? v : undefined;
}

/** The call's `version` constraint: undefined when absent, null when it is not a literal string. */
function versionOf(block: ParsedBlock): string | null | undefined {
  const attr = block.attributes['version'];
  if (!attr) return undefined;
  const v = evaluate(attr.expr, emptyScope, { file: attr.file ?? block.file, line: attr.span.start.line, report: () => {} });
  return typeof v === 'string' ? v : null;
}

export async function buildModuleTree(loader: ModuleLoader, rootDir: string, report: (d: Diagnostic) => void): Promise<ModuleTree | undefined> {
  const root = await loader.load(rootDir);
  if (!root) return undefined;
  // Calls are compared by real path, so `source = "./"`, `"../this"` or a link back to a caller is a cycle too.
  return expand(root, [], [await loader.identity(rootDir)]);

  async function expand(source: ModuleSource, keyPath: string[], stack: string[]): Promise<ModuleTree> {
    const children = new Map<string, ModuleTree | UnresolvedModule>();
    for (const block of moduleBlocks(source)) children.set(block.labels[0]!, await resolveCall(source, block, keyPath, stack));
    return { source, children };
  }

  /** What one `module` block resolves to: the tree of its source, or why it stays unresolved (and a diagnostic). */
  async function resolveCall(source: ModuleSource, block: ParsedBlock, keyPath: string[], stack: string[]): Promise<ModuleTree | UnresolvedModule> {
    const name = block.labels[0]!;
    const src = sourceOf(block, report);
    const childKey = [...keyPath, name];
    const line = block.headerSpan.start.line;
    if (src === undefined) {
      report({ severity: 'error', code: 'tf-module-source-invalid', file: block.file, line, message: `module "${name}" has no literal source string.` });
      return { unresolved: true, source: '(unknown)', reason: 'its source is not a literal string' };
    }
    let dir: string | undefined;
    const local = isLocalSource(src);
    if (local) dir = moduleDirKey(path.posix.join(source.dir, src));
    else dir = await loader.downloadedModuleDir(rootDir, childKey);
    // Downloaded source always wins; without it, a built-in model of the module may stand in.
    if (dir === undefined) return notDownloaded(block, src, report);
    const outside = await loader.outsideRoot(dir);
    if (outside !== undefined) {
      const via = local ? '' : `, downloaded to ${dir} by .terraform/modules/modules.json,`;
      report({
        severity: 'warning',
        code: 'input-outside-root',
        file: block.file,
        line,
        message: `module "${name}" (source "${src}")${via} resolves to ${outside}, outside ${loader.policy.describeRoots()}; it was not read and nothing it would create is reported on. Pass --allow-outside-root ${outside} (or list it under allow-outside-root in .iac-vpce.yml) to scan it.`,
      });
      return { unresolved: true, source: src, reason: `its directory ${outside} is outside the scan root` };
    }
    const identity = await loader.identity(dir);
    if (stack.includes(identity) || stack.length > MAX_DEPTH) {
      report({
        severity: 'error',
        code: 'tf-module-recursion',
        file: block.file,
        line,
        message: `module "${name}" (source "${src}") calls itself recursively; it is not expanded.`,
      });
      return { unresolved: true, source: src, reason: 'it calls itself recursively' };
    }
    const child = await loader.load(dir);
    if (!child || child.files.length === 0) {
      report({
        severity: 'error',
        code: 'tf-module-missing',
        file: block.file,
        line,
        message: `module "${name}": directory ${dir} (source "${src}") holds no readable Terraform files.`,
      });
      return { unresolved: true, source: src, reason: `its directory ${dir} holds no readable Terraform files` };
    }
    return expand(child, childKey, [...stack, identity]);
  }
}

/** A registry or remote module without a download: a built-in model stands in when one covers the version asked for. */
function notDownloaded(block: ParsedBlock, src: string, report: (d: Diagnostic) => void): UnresolvedModule {
  const name = block.labels[0]!;
  const line = block.headerSpan.start.line;
  const found = findModel(src, versionOf(block));
  if (found.model && found.matched && found.version !== undefined && found.major !== undefined) {
    report({
      severity: 'note',
      code: 'tf-module-modelled',
      file: block.file,
      line,
      message: `module "${name}" (source "${src}") is not downloaded: scanned with the built-in model of ${found.model.id}, modelled as version ${found.version}, ${found.reason}. Run \`terraform init -backend=false\` before scanning to analyse the module's own source.`,
    });
    return { unresolved: true, source: src, reason: 'it is not downloaded', model: { model: found.model, version: found.version, majors: [found.major] } };
  }
  if (found.model) {
    report({
      severity: 'warning',
      code: 'tf-module-model-version',
      file: block.file,
      line,
      message: `module "${name}" (source "${src}") is not downloaded, and the built-in model of ${found.model.id} (releases ${coveredReleases(found.model)}) does not apply: ${found.reason}. Run \`terraform init -backend=false\` before scanning to analyse what it creates; nothing it would create is reported on.`,
    });
    return { unresolved: true, source: src, reason: found.reason ?? 'its version is not modelled' };
  }
  report({
    severity: 'warning',
    code: 'tf-module-not-downloaded',
    file: block.file,
    line,
    message: `module "${name}" (source "${src}") is not available locally: run \`terraform init -backend=false\` before scanning to analyse what it creates. Nothing it would create is reported on.`,
  });
  return { unresolved: true, source: src, reason: 'it is not downloaded' };
}
