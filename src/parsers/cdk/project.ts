import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { INPUT_SIZE_LIMITS, InputPolicy } from '../../source/fs-policy.js';

/** cdk.json is a few lines; anything bigger is not one. */
const MAX_CDK_JSON_BYTES = INPUT_SIZE_LIMITS.cdkJson;
/** How far above an assembly its project root may be (`cdk.out`, `build/cdk.out`, `infra/build/cdk.out`, …). */
const MAX_ROOT_DISTANCE = 6;
const MAX_FALLBACK_DEPTH = 16;
const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
/** Where compiled output of an app usually goes: `node dist/bin/app.js` was written as `bin/app.ts`. */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', 'lib', 'cdk-dist', '.build']);
const SKIPPED_DIRS = new Set(['node_modules', 'cdk.out', 'test', 'tests', '__tests__', '__mocks__']);

export interface CdkJson {
  app?: string;
  /** The assembly directory, relative to the project root (`cdk.out` unless set). */
  output: string;
  /** The line of cdk.json that sets `output`, when it does. */
  outputLine?: number;
}

/** The settings of `cdk.json` in `dir`; undefined when there is none or it cannot be read. */
export async function readCdkJson(dir: string, policy: InputPolicy = InputPolicy.anywhere()): Promise<CdkJson | undefined> {
  const file = path.join(dir, 'cdk.json');
  const read = await policy.read(file, MAX_CDK_JSON_BYTES);
  // A cdk.json that exists but cannot be read or is not JSON still marks the project root.
  if (!read.ok) return read.reason === 'missing' ? undefined : { output: 'cdk.out' };
  try {
    const text = read.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { output: 'cdk.out' };
    const settings = parsed as Record<string, unknown>;
    const out: CdkJson = { output: typeof settings.output === 'string' && settings.output !== '' ? settings.output : 'cdk.out' };
    if (out.output !== 'cdk.out' || typeof settings.output === 'string') {
      const at = text.search(/"output"\s*:/);
      if (at >= 0) out.outputLine = text.slice(0, at).split('\n').length;
    }
    if (typeof settings.app === 'string') out.app = settings.app;
    return out;
  } catch {
    return { output: 'cdk.out' };
  }
}

/**
 * The CDK project an assembly was synthesized from: the nearest directory above it whose `cdk.json` sends its output
 * to this assembly (or to an assembly that holds it, for the assembly of a stage).
 */
export async function findCdkProjectRoot(assemblyDirAbs: string): Promise<string | undefined> {
  const assembly = await canonical(assemblyDirAbs);
  let dir = path.dirname(path.resolve(assemblyDirAbs));
  for (let i = 0; i < MAX_ROOT_DISTANCE; i++) {
    const settings = await readCdkJson(dir);
    if (settings) {
      const output = await canonical(path.resolve(dir, settings.output));
      if (assembly === output || isInside(output, assembly)) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * The TypeScript file `cdk.json`'s `app` command runs: `npx ts-node --prefer-ts-exts bin/app.ts`, `npx tsx bin/app.ts`,
 * or compiled output such as `node dist/bin/app.js` traced back to `bin/app.ts`. Undefined for other languages.
 */
export async function appEntry(rootAbs: string, app: string | undefined): Promise<string | undefined> {
  if (app === undefined) return undefined;
  const tokens = app
    .split(/\s+/)
    .map((t) => t.replace(/^["']|["']$/g, ''))
    .filter((t) => t !== '' && !t.startsWith('-'));
  for (const token of tokens) {
    if (TS_EXTENSIONS.some((ext) => token.endsWith(ext)) && !token.endsWith('.d.ts')) {
      const abs = path.resolve(rootAbs, token);
      if (isInside(rootAbs, abs) && (await isFile(abs))) return abs;
    }
  }
  for (const token of tokens) {
    const js = /\.(c|m)?jsx?$/.exec(token);
    if (!js) continue;
    const base = token.slice(0, -js[0].length);
    const parts = base.split(/[\\/]+/).filter((p) => p !== '.' && p !== '');
    const candidates = [parts];
    if (parts.length > 1 && OUTPUT_DIRS.has(parts[0]!)) candidates.push(parts.slice(1));
    for (const c of candidates) {
      for (const ext of TS_EXTENSIONS) {
        const abs = path.resolve(rootAbs, ...c) + ext;
        if (isInside(rootAbs, abs) && (await isFile(abs))) return abs;
      }
    }
  }
  return undefined;
}

/** The file a relative import names: `./x`, `./x.js` (for `./x.ts` under NodeNext), `./dir` (its index). */
export async function resolveImport(fromFileAbs: string, specifier: string, rootAbs: string): Promise<string | undefined> {
  const base = path.resolve(path.dirname(fromFileAbs), specifier);
  const candidates: string[] = [];
  const js = /\.(c|m)?js(x)?$/.exec(base);
  if (js) {
    const stem = base.slice(0, -js[0].length);
    candidates.push(`${stem}.${js[1] ?? ''}ts${js[2] ?? ''}`, `${stem}.ts`, `${stem}.tsx`);
  } else if (TS_EXTENSIONS.some((ext) => base.endsWith(ext))) {
    candidates.push(base);
  } else {
    candidates.push(...TS_EXTENSIONS.map((ext) => base + ext), ...TS_EXTENSIONS.map((ext) => path.join(base, `index${ext}`)));
  }
  for (const c of candidates) {
    if (isSource(c) && isInside(rootAbs, c) && !c.split(path.sep).includes('node_modules') && (await isFile(c))) return c;
  }
  return undefined;
}

/** Every TypeScript source under `bin/` and `lib/`, for an app whose entry cannot be followed. Tests are left out. */
export async function fallbackSources(rootAbs: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_FALLBACK_DEPTH || out.length >= limit) return;
    let entries;
    try {
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) await visit(abs, depth + 1);
      } else if (e.isFile() && isSource(abs) && !/\.(test|spec)\.[cm]?tsx?$/.test(e.name)) {
        out.push(abs);
      }
    }
  };
  for (const top of ['bin', 'lib']) await visit(path.join(rootAbs, top), 0);
  return out;
}

export function isSource(file: string): boolean {
  return TS_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(file);
}

export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function canonical(p: string): Promise<string> {
  return realpath(p).catch(() => path.resolve(p));
}

async function isFile(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}
