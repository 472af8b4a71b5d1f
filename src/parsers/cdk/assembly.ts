import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../source/types.js';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic } from '../../source/fs-policy.js';

/** Manifests carry stack traces (`cdk synth --debug`) and feature-flag reports; a real one stays far below this. */
export const MAX_MANIFEST_BYTES = INPUT_SIZE_LIMITS.cdkManifest;

/** Stages inside stages: real apps nest one or two levels. */
export const MAX_ASSEMBLY_NESTING = 8;

/** One `aws:cloudformation:stack` artifact of a cloud assembly. */
export interface CdkStack {
  /** The artifact's key in its manifest: `NetworkStack`, or `ProdService1A2B3C4D` for a stack inside a stage. */
  artifactId: string;
  /** `properties.stackName` when the app set one (stacks in stages always have one), else the artifact id, as the CLI deploys it. */
  stackName: string;
  /** What `cdk ls` shows: the construct path of the stack (`Prod/Service`). */
  displayName?: string;
  /** The template, relative to the scan root, with forward slashes. */
  templateFile: string;
  /** The manifest that lists the stack, relative to the scan root. */
  manifestFile: string;
  /** From the artifact environment `aws://ACCOUNT/REGION`, when the app pinned it. */
  account?: string;
  region?: string;
  /**
   * Logical id → construct path, from the manifest's `aws:cdk:logicalId` metadata. Paths are written without the
   * leading slash (`NetworkStack/Vpc/Resource`), the way templates write `aws:cdk:path`.
   */
  logicalIdToPath: Record<string, string>;
}

export interface CloudAssembly {
  /** In manifest order; the stacks of a nested assembly (a stage) take the place of its artifact. */
  stacks: CdkStack[];
  diagnostics: Diagnostic[];
}

const STACK = 'aws:cloudformation:stack';
/** The schema calls a stage's assembly `cdk:cloud-assembly`; `aws:cloud-assembly` is accepted as a spelling of it. */
const NESTED = new Set(['cdk:cloud-assembly', 'aws:cloud-assembly']);
const LOGICAL_ID = 'aws:cdk:logicalId';

/**
 * Reads a cloud assembly (`cdk.out`): its `manifest.json` and, through `cdk:cloud-assembly` artifacts, the
 * assemblies of its stages. Never throws: what cannot be read becomes a diagnostic and the rest is returned.
 *
 * @param dirAbs the assembly directory
 * @param dirRel the same directory relative to the scan root (`''` when it is the scan root)
 */
export async function readCloudAssembly(dirAbs: string, dirRel: string, policy: InputPolicy = InputPolicy.anywhere()): Promise<CloudAssembly> {
  const out: CloudAssembly = { stacks: [], diagnostics: [] };
  try {
    await readAssembly(dirAbs, toPosix(dirRel), 0, new Set(), out, policy);
  } catch (e) {
    out.diagnostics.push({
      severity: 'error',
      code: 'cdk-manifest-unreadable',
      file: joinRel(toPosix(dirRel), 'manifest.json'),
      message: `The cloud assembly could not be read: ${(e as Error).message}`,
    });
  }
  return out;
}

/**
 * The construct path of a template resource: from the manifest metadata, else from the resource's own
 * `Metadata['aws:cdk:path']` (given as a plain object or as a parsed template map node). No leading slash.
 */
export function cdkPathOf(logicalId: string, stack: Pick<CdkStack, 'logicalIdToPath'>, resourceMetadata?: unknown): string | undefined {
  if (Object.hasOwn(stack.logicalIdToPath, logicalId)) return stack.logicalIdToPath[logicalId];
  const fromTemplate = metadataPath(resourceMetadata);
  return fromTemplate === undefined ? undefined : stripSlash(fromTemplate);
}

async function readAssembly(dirAbs: string, dirRel: string, depth: number, visited: Set<string>, out: CloudAssembly, policy: InputPolicy): Promise<void> {
  const manifestRel = joinRel(dirRel, 'manifest.json');
  const real = await realpath(dirAbs).catch(() => dirAbs);
  if (visited.has(real)) {
    out.diagnostics.push({
      severity: 'warning',
      code: 'cdk-nested-assembly-skipped',
      file: manifestRel,
      message: 'This assembly is reached twice (a link loop); it was read once.',
    });
    return;
  }
  visited.add(real);

  const text = await readManifest(path.join(dirAbs, 'manifest.json'), manifestRel, out.diagnostics, policy);
  if (text === undefined) return;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    out.diagnostics.push({
      severity: 'error',
      code: 'cdk-manifest-unreadable',
      file: manifestRel,
      message: `manifest.json is not valid JSON: ${(e as Error).message}`,
    });
    return;
  }
  const artifacts = isObject(manifest) ? manifest.artifacts : undefined;
  if (!isObject(artifacts)) {
    out.diagnostics.push({
      severity: 'error',
      code: 'cdk-manifest-invalid',
      file: manifestRel,
      message: 'manifest.json has no `artifacts` object, so it names no stacks.',
    });
    return;
  }

  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isObject(artifact)) continue;
    const where = { file: manifestRel, line: lineOf(text, JSON.stringify(artifactId)) };
    if (artifact.type === STACK) {
      const stack = await readStack(dirAbs, dirRel, manifestRel, artifactId, artifact, where, out.diagnostics, policy);
      if (stack) out.stacks.push(stack);
    } else if (typeof artifact.type === 'string' && NESTED.has(artifact.type)) {
      const directoryName = isObject(artifact.properties) ? artifact.properties.directoryName : undefined;
      const nested = typeof directoryName === 'string' ? inside(dirAbs, directoryName) : undefined;
      if (nested === undefined) {
        out.diagnostics.push({
          severity: 'warning',
          code: 'cdk-nested-assembly-skipped',
          ...where,
          message: `Nested assembly \`${artifactId}\` names no directory inside this assembly; it was not read.`,
        });
      } else if (depth + 1 > MAX_ASSEMBLY_NESTING) {
        out.diagnostics.push({
          severity: 'warning',
          code: 'cdk-nested-assembly-skipped',
          ...where,
          message: `Nested assembly \`${artifactId}\` is more than ${MAX_ASSEMBLY_NESTING} levels deep; it was not read.`,
        });
      } else {
        await readAssembly(nested, joinRel(dirRel, toPosix(path.relative(dirAbs, nested))), depth + 1, visited, out, policy);
      }
    }
  }
}

async function readStack(
  dirAbs: string,
  dirRel: string,
  manifestRel: string,
  artifactId: string,
  artifact: Record<string, unknown>,
  where: { file: string; line: number | undefined },
  diagnostics: Diagnostic[],
  policy: InputPolicy,
): Promise<CdkStack | undefined> {
  const properties = isObject(artifact.properties) ? artifact.properties : {};
  const templateFile = properties.templateFile;
  const templateAbs = typeof templateFile === 'string' ? inside(dirAbs, templateFile) : undefined;
  if (templateAbs === undefined) {
    diagnostics.push({
      severity: 'warning',
      code: 'cdk-artifact-invalid',
      ...where,
      message: `Stack \`${artifactId}\` names no template file inside the assembly; it was not read.`,
    });
    return undefined;
  }
  const templateRel = joinRel(dirRel, toPosix(path.relative(dirAbs, templateAbs)));
  const found = await policy.inspect(templateAbs);
  if (found.kind !== 'missing' && !found.inside) {
    diagnostics.push({
      severity: 'warning',
      code: 'input-outside-root',
      ...where,
      message: `Stack \`${artifactId}\` names template ${templateRel}, which resolves to ${found.real}, outside ${policy.describeRoots()}; it was not read. Pass --allow-outside-root ${found.real} (or list it under allow-outside-root in .iac-vpce.yml) to read it.`,
    });
    return undefined;
  }
  if (found.kind === 'other') {
    diagnostics.push({
      severity: 'warning',
      code: 'input-not-regular-file',
      ...where,
      message: `Stack \`${artifactId}\` names template ${templateRel}, which is ${found.what}, not a regular file; it was not read.`,
    });
    return undefined;
  }
  if (found.kind !== 'file') {
    diagnostics.push({
      severity: 'warning',
      code: 'cdk-template-missing',
      ...where,
      message: `Stack \`${artifactId}\` names template ${templateRel}, which does not exist; it was not read.`,
    });
    return undefined;
  }
  const stack: CdkStack = {
    artifactId,
    stackName: typeof properties.stackName === 'string' && properties.stackName !== '' ? properties.stackName : artifactId,
    templateFile: templateRel,
    manifestFile: manifestRel,
    logicalIdToPath: logicalIds(artifact.metadata),
  };
  if (typeof artifact.displayName === 'string') stack.displayName = artifact.displayName;
  const env = parseEnvironment(artifact.environment);
  if (env.account !== undefined) stack.account = env.account;
  if (env.region !== undefined) stack.region = env.region;
  return stack;
}

function logicalIds(metadata: unknown): Record<string, string> {
  const map = new Map<string, string>();
  if (!isObject(metadata)) return {};
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isObject(entry) && entry.type === LOGICAL_ID && typeof entry.data === 'string' && !map.has(entry.data)) {
        map.set(entry.data, stripSlash(constructPath));
      }
    }
  }
  return Object.fromEntries(map);
}

/** `aws://123456789012/eu-west-1`; the CLI writes `unknown-account` / `unknown-region` for an environment-agnostic stack. */
function parseEnvironment(environment: unknown): { account?: string; region?: string } {
  if (typeof environment !== 'string') return {};
  const m = /^aws:\/\/([^/]*)\/([^/]*)$/.exec(environment);
  if (!m) return {};
  const concrete = (v: string, unknown: string): string | undefined => (v === '' || v === unknown || v.includes('$') ? undefined : v);
  const out: { account?: string; region?: string } = {};
  const account = concrete(m[1]!, 'unknown-account');
  const region = concrete(m[2]!, 'unknown-region');
  if (account !== undefined) out.account = account;
  if (region !== undefined) out.region = region;
  return out;
}

async function readManifest(abs: string, rel: string, diagnostics: Diagnostic[], policy: InputPolicy): Promise<string | undefined> {
  const unreadable = (message: string): undefined => {
    diagnostics.push({ severity: 'error', code: 'cdk-manifest-unreadable', file: rel, message });
    return undefined;
  };
  const read = await policy.read(abs, MAX_MANIFEST_BYTES);
  if (!read.ok) {
    if (read.reason === 'missing') return unreadable('manifest.json cannot be read: it does not exist.');
    if (read.reason === 'read-error') return unreadable(`manifest.json cannot be read: ${read.detail}.`);
    diagnostics.push(refusalDiagnostic(read, { file: rel, what: 'manifest.json', tooLargeCode: 'cdk-manifest-unreadable' }));
    return undefined;
  }
  const bytes = read.bytes;
  if (bytes.indexOf(0) !== -1) return unreadable('manifest.json contains NUL bytes and looks binary; it was not read.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return unreadable('manifest.json is not valid UTF-8; it was not read.');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function metadataPath(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return undefined;
  // A parsed template node: { kind: 'map', entries: [{ key, value: { kind: 'scalar', value } }] }.
  if (metadata.kind === 'map' && Array.isArray(metadata.entries)) {
    for (const entry of metadata.entries) {
      if (isObject(entry) && entry.key === 'aws:cdk:path' && isObject(entry.value) && typeof entry.value.value === 'string') return entry.value.value;
    }
    return undefined;
  }
  const value = metadata['aws:cdk:path'];
  return typeof value === 'string' ? value : undefined;
}

/** The absolute path of `name` when it stays inside `dir`; undefined for absolute names and `..` escapes. */
function inside(dir: string, name: string): string | undefined {
  if (name === '' || path.isAbsolute(name) || path.win32.isAbsolute(name)) return undefined;
  const abs = path.resolve(dir, name);
  const rel = path.relative(dir, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return abs;
}

/** 1-based line of the first occurrence of `needle`, for pointing a diagnostic at an artifact. */
function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripSlash(p: string): string {
  return p.startsWith('/') ? p.slice(1) : p;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function joinRel(dirRel: string, name: string): string {
  return dirRel === '' || dirRel === '.' ? name : path.posix.join(dirRel, name);
}
