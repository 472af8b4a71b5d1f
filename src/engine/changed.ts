import { stat } from 'node:fs/promises';
import path from 'node:path';
import { discover, type DiscoverResult } from './discover/index.js';
import { kindFromName } from './discover/classify.js';
import { localModuleSources, resolveSource } from './discover/modules.js';
import { INPUT_SIZE_LIMITS } from '../source/fs-policy.js';

export interface ChangedTargets {
  /** Absolute path every report path is made relative to: the working directory, or above it when a changed file lies outside. */
  root: string;
  /**
   * What to scan, absolute: the files of each Terraform root module a changed file belongs to, changed CloudFormation
   * templates and plans, the `cdk.json` (or cloud assembly manifest) of a CDK app a changed file is part of, and
   * directories given as they are.
   */
  targets: string[];
  /** The changed paths, as given, that belong to nothing iac-vpce reads. */
  ignored: string[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * Widens changed files to what has to be scanned for a finding about them, since a finding spans files: a `.tf` file
 * or variables file stands for every root module that evaluates its directory (the directory itself, or the root
 * modules that call it as a local module, however deep), a file of a CDK app for the app, a template or plan for
 * itself. Files that are none of these are ignored. A deleted `.tf` file still names its directory.
 */
export async function changedTargets(changed: string[], cwd: string): Promise<ChangedTargets> {
  const abs = changed.map((p) => path.resolve(cwd, p));
  const root = commonDir([path.resolve(cwd), ...abs.map((p) => path.dirname(p))]);
  const found = await discover([root]);
  const callers = await moduleCallers(found);
  const targets = new Set<string>();
  const ignored: string[] = [];
  for (const [i, file] of abs.entries()) {
    if (await isDirectory(file)) {
      targets.add(file);
      continue;
    }
    const picked = targetsOf(toPosix(path.relative(root, file)), found, callers);
    if (picked.length === 0) ignored.push(changed[i]!);
    for (const t of picked) targets.add(path.resolve(root, t));
  }
  return { root, targets: [...targets].sort(), ignored };
}

function targetsOf(rel: string, found: DiscoverResult, callers: Map<string, string[]>): string[] {
  const kind = kindFromName(path.posix.basename(rel));
  if (kind === 'terraform' || kind === 'tfvars') {
    const roots = rootModules(path.posix.dirname(rel), found, callers);
    return found.terraformModules.filter((m) => roots.has(m.dir)).flatMap((m) => [...m.files, ...m.tfvars]);
  }
  const own = found.files.find((f) => f.path === rel);
  if (own?.kind === 'cloudformation' || own?.kind === 'tfplan') return [rel];
  // A CDK app is read through its cloud assembly: any file of the app, or of the assembly, stands for the app.
  const ancestors: string[] = [];
  for (let dir = path.posix.dirname(rel); ; dir = path.posix.dirname(dir)) {
    ancestors.push(dir);
    if (dir === '.' || dir === '/' || dir.startsWith('..')) break;
  }
  const at = (dir: string, name: string) => (dir === '.' ? name : `${dir}/${name}`);
  for (const [kindWanted, name] of [
    ['cdk-project', 'cdk.json'],
    ['cdk-assembly', 'manifest.json'],
  ] as const) {
    const hit = ancestors.map((d) => at(d, name)).find((p) => found.files.some((f) => f.path === p && f.kind === kindWanted));
    if (hit !== undefined) return [hit];
  }
  return [];
}

/** The root modules that evaluate `dir`: itself when it is one, and every root module above it in the calls. */
function rootModules(dir: string, found: DiscoverResult, callers: Map<string, string[]>): Set<string> {
  const byDir = new Map(found.terraformModules.map((m) => [m.dir, m]));
  const roots = new Set<string>();
  const seen = new Set<string>();
  const queue = [dir];
  while (queue.length > 0) {
    const d = queue.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    if (byDir.get(d)?.isRoot) roots.add(d);
    queue.push(...(callers.get(d) ?? []));
  }
  return roots;
}

/** For each module directory, the directories whose files call it as a local module (`source = "./…"` or `"../…"`). */
async function moduleCallers(found: DiscoverResult): Promise<Map<string, string[]>> {
  const callers = new Map<string, string[]>();
  for (const mod of found.terraformModules) {
    for (const file of mod.files) {
      // Discovery read the file already and kept its bytes (unless over its budget).
      const abs = path.resolve(found.root, file);
      const kept = found.preread.take(abs);
      const read = kept ? { ok: true as const, bytes: kept } : found.policy.readSync(abs, INPUT_SIZE_LIMITS.terraform);
      if (!read.ok) continue;
      const text = read.bytes.toString('utf8');
      for (const source of localModuleSources(file, text)) {
        const called = resolveSource(mod.dir, source);
        if (called === mod.dir) continue;
        callers.set(called, [...(callers.get(called) ?? []), mod.dir]);
      }
    }
  }
  return callers;
}

async function isDirectory(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isDirectory();
  } catch {
    return false;
  }
}

function commonDir(dirs: string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && d !== common && !d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))
      common = path.dirname(common);
  }
  return common;
}
