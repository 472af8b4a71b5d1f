import path from 'node:path';
import type { Span } from '../../../source/types.js';
import type { Expr } from '../expr/ast.js';
import { isObject, type Value, type ValueObject } from '../../../source/value.js';
import { isLocalSource, type ModuleLoader, type ModuleSource } from '../evaluate/module-loader.js';
import type { ParsedAttribute, ParsedBlock } from '../evaluate/parsed.js';
import type { ConfigModule, ModuleCallConfig, PlannedChange, PlannedResource } from './document.js';
import { entriesOf, entryOf, entrySpan, itemsOf, memberOf, toJson, type Json } from '../../../source/json-tree.js';

/**
 * Where each resource and module call of a plan is written. A plan names no files, but its configuration is the
 * module tree the `.tf` files hold: when they are under the scan root (next to the plan or in a directory above it,
 * child modules where their `source` or `.terraform/modules/modules.json` puts them), findings point at the HCL
 * block; otherwise at the resource's object in the plan JSON.
 */

export interface LocatedModule {
  dir: string;
  /** Every top-level block of the module's files (variables, locals, outputs, …). */
  blocks: ParsedBlock[];
  resources: Map<string, ParsedBlock>;
  calls: Map<string, ParsedBlock>;
  files: string[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function blocksOf(source: ModuleSource): Pick<LocatedModule, 'resources' | 'calls'> {
  const resources = new Map<string, ParsedBlock>();
  const calls = new Map<string, ParsedBlock>();
  for (const f of source.files) {
    for (const b of f.blocks) {
      const [a, n] = b.labels;
      if (b.type === 'resource' && a && n && b.labels.length === 2) resources.set(`${a}.${n}`, b);
      else if (b.type === 'data' && a && n && b.labels.length === 2) resources.set(`data.${a}.${n}`, b);
      else if (b.type === 'module' && a && b.labels.length === 1) calls.set(a, b);
    }
  }
  return { resources, calls };
}

/** Every resource and module call of the configuration has its block in the directory. */
function describes(found: Pick<LocatedModule, 'resources' | 'calls'>, config: ConfigModule): boolean {
  const wanted = [...[...config.resources.keys()].map((k) => found.resources.has(k)), ...[...config.calls.keys()].map((k) => found.calls.has(k))];
  return wanted.length > 0 && wanted.every(Boolean);
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  for (;;) {
    out.push(d);
    if (d === '.' || d === '' || d === '/') break;
    d = path.posix.dirname(d);
  }
  return out;
}

export class ConfigLocator {
  private readonly modules = new Map<string, LocatedModule>();
  rootDir: string | undefined;

  constructor(
    private readonly loader: ModuleLoader,
    private readonly planFile: string,
  ) {}

  /** Finds the root module directory, then every child module's, for as far as the files are there. */
  async locate(config: ConfigModule | undefined): Promise<void> {
    if (!config) return;
    for (const dir of ancestors(path.posix.dirname(this.planFile))) {
      if (dir.startsWith('..')) break;
      const found = await this.read(dir, config);
      if (found) {
        this.rootDir = dir;
        await this.children(found, config);
        return;
      }
    }
  }

  private async read(dir: string, config: ConfigModule): Promise<LocatedModule | undefined> {
    const source = await this.loader.load(dir);
    if (!source || source.files.length === 0) return undefined;
    const blocks = blocksOf(source);
    if (!describes(blocks, config)) return undefined;
    const located: LocatedModule = { dir: source.dir, blocks: source.files.flatMap((f) => f.blocks), ...blocks, files: source.files.map((f) => f.path) };
    this.modules.set(config.path.join('.'), located);
    return located;
  }

  private async children(parent: LocatedModule, config: ConfigModule): Promise<void> {
    for (const call of config.calls.values()) {
      if (!call.module) continue;
      const dir = await this.childDir(parent.dir, call, config.path);
      if (dir === undefined || dir.startsWith('..')) continue;
      const found = await this.read(dir, call.module);
      if (found) await this.children(found, call.module);
    }
  }

  private async childDir(parentDir: string, call: ModuleCallConfig, parentPath: string[]): Promise<string | undefined> {
    const source = call.source;
    if (source !== undefined && isLocalSource(source)) return toPosix(path.posix.normalize(path.posix.join(parentDir, source)));
    if (this.rootDir === undefined) return undefined;
    return this.loader.downloadedModuleDir(this.rootDir, [...parentPath, call.name]);
  }

  module(callPath: string[]): LocatedModule | undefined {
    return this.modules.get(callPath.join('.'));
  }

  files(): string[] {
    return [...new Set([...this.modules.values()].flatMap((m) => m.files))].sort();
  }
}

// ----- blocks synthesized from the plan JSON -----

function literal(v: Json): Expr {
  if (Array.isArray(v)) return { k: 'tuple', items: v.map(literal) };
  if (v !== null && typeof v === 'object')
    return { k: 'object', items: Object.entries(v).map(([key, value]) => ({ key: { k: 'lit', v: key }, value: literal(value) })) };
  return { k: 'lit', v };
}

/** A block standing for a resource instance, whose spans point into the plan JSON. */
export function planResourceBlock(
  r: PlannedResource,
  change: PlannedChange | undefined,
  file: string,
): { block: ParsedBlock; nestedSpans: Record<string, Span[]> } {
  const address = entryOf(r.node, 'address');
  const headerSpan = address ? entrySpan(address) : { start: r.node.span.start, end: r.node.span.start };
  const attributes: Record<string, ParsedAttribute> = {};
  const nestedSpans: Record<string, Span[]> = {};
  for (const e of entriesOf(r.valuesNode)) {
    attributes[e.key] = { name: e.key, expr: literal(toJson(e.value)), span: entrySpan(e) };
    const items = itemsOf(e.value);
    if (items.length > 0 && items.every((i) => i.kind === 'object')) nestedSpans[e.key] = items.map((i) => i.span);
  }
  // Attributes known only after apply are absent from planned_values; they are listed in the change's after_unknown.
  for (const e of entriesOf(change?.afterUnknownNode)) {
    if (!(e.key in attributes)) attributes[e.key] = { name: e.key, expr: { k: 'lit', v: null }, span: entrySpan(e) };
  }
  const block: ParsedBlock = {
    type: r.mode === 'data' ? 'data' : 'resource',
    labels: [r.type, r.name],
    attributes,
    blocks: [],
    span: r.node.span,
    headerSpan,
    file,
  };
  return { block, nestedSpans };
}

/** A block standing for a module call, pointing at its entry in the configuration's `module_calls`. */
export function planModuleBlock(call: ModuleCallConfig, file: string): ParsedBlock {
  const attributes: Record<string, ParsedAttribute> = {};
  const source = entryOf(call.entry.value, 'source');
  if (source && call.source !== undefined) attributes['source'] = { name: 'source', expr: { k: 'lit', v: call.source }, span: entrySpan(source) };
  return {
    type: 'module',
    labels: [call.name],
    attributes,
    blocks: [],
    span: { start: call.entry.keySpan.start, end: call.entry.value.span.end },
    headerSpan: { start: call.entry.keySpan.start, end: memberOf(call.entry.value, 'source')?.span.end ?? call.entry.keySpan.end },
    file,
  };
}

// ----- nested blocks of HCL resources -----

/**
 * Where each element of a planned list of nested blocks (`route`, `ingress`, …) is written. A set's elements come in
 * the provider's order, not the file's, so an element is matched to the one block whose literal arguments it
 * carries; one that cannot be matched points at the resource's header.
 */
export function hclNestedSpans(block: ParsedBlock, values: ValueObject): Record<string, Span[]> {
  const out: Record<string, Span[]> = {};
  for (const [type, v] of Object.entries(values)) {
    if (!Array.isArray(v) || v.length === 0 || !v.every(isObject)) continue;
    const children = block.blocks.filter((b) => b.type === type || (b.type === 'dynamic' && b.labels[0] === type));
    if (children.length === 0) continue;
    out[type] = v.map((element) => matchBlock(children, element as ValueObject, v.length)?.span ?? block.headerSpan);
  }
  return out;
}

export function matchBlock(children: ParsedBlock[], element: ValueObject, count: number): ParsedBlock | undefined {
  if (children.length === 1 && (count === 1 || children[0]!.type === 'dynamic')) return children[0];
  const candidates = children.filter((c) => c.type !== 'dynamic' && literalsMatch(c, element));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function literalsMatch(block: ParsedBlock, element: ValueObject): boolean {
  let compared = 0;
  for (const attr of Object.values(block.attributes)) {
    if (attr.expr.k !== 'lit') continue;
    const want = attr.expr.v === '' ? null : attr.expr.v;
    const have: Value | undefined = element[attr.name];
    if (have === undefined) continue;
    if (want === null ? have !== null : String(want) !== String(have)) return false;
    compared++;
  }
  return compared > 0;
}
