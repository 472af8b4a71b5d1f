import type { Diagnostic } from '../../../source/types.js';
import { evaluate } from '../expr/index.js';
import type { ParsedAttribute, ParsedBlock, ParsedFile } from './parsed.js';

/**
 * Which files of a directory make up a Terraform module, and how override files merge into the others, as
 * Terraform does it (configs/parser_config_dir.go, configs/module_merge.go; the "Override Files" page of the
 * Terraform language documentation).
 */

/** Hidden files, editor backups (`name~`) and editor temporary files (`#name#`) are not part of the module. */
export function isIgnoredTerraformFile(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

/** `override.tf`, `override.tf.json` and any name ending in `_override.tf` or `_override.tf.json`. */
export function isOverrideFile(name: string): boolean {
  const base = name.endsWith('.tf.json') ? name.slice(0, -'.tf.json'.length) : name.endsWith('.tf') ? name.slice(0, -'.tf'.length) : undefined;
  return base !== undefined && (base === 'override' || base.endsWith('_override'));
}

const emptyScope = { lookup: () => undefined };

/** A provider block is identified by its name and its `alias`. */
function providerKey(block: ParsedBlock): string {
  const alias = block.attributes['alias'];
  if (!alias) return `${block.labels[0] ?? ''}`;
  const v = evaluate(alias.expr, emptyScope, { file: alias.file ?? block.file, line: alias.span.start.line, report: () => {} });
  return `${block.labels[0] ?? ''}.${typeof v === 'string' ? v : '?'}`;
}

function sameHeader(a: ParsedBlock, b: ParsedBlock): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'provider') return providerKey(a) === providerKey(b);
  return a.labels.length === b.labels.length && a.labels.every((l, i) => l === b.labels[i]);
}

/** The block type a nested block stands for: `dynamic "route"` produces `route` blocks. */
const nestedType = (b: ParsedBlock) => (b.type === 'dynamic' ? (b.labels[0] ?? '') : b.type);

/** An override file's attribute keeps the file it was written in, so its location stays right after the merge. */
function fromFile(attr: ParsedAttribute, file: string): ParsedAttribute {
  return { ...attr, file: attr.file ?? file };
}

/**
 * Merges one override block into the original: arguments replace arguments of the same name; nested blocks replace
 * all nested blocks of the same type (static or dynamic); a `lifecycle` block merges argument by argument.
 */
function mergeBody(original: ParsedBlock, override: ParsedBlock): ParsedBlock {
  const attributes = { ...original.attributes };
  for (const [name, attr] of Object.entries(override.attributes)) attributes[name] = fromFile(attr, override.file);
  const replaced = new Set(override.blocks.map(nestedType));
  let blocks = original.blocks.filter((b) => !replaced.has(nestedType(b)));
  const originalLifecycle = original.blocks.find((b) => b.type === 'lifecycle');
  const overrideLifecycle = override.blocks.find((b) => b.type === 'lifecycle');
  const lifecycleMerged = (original.type === 'resource' || original.type === 'data') && originalLifecycle && overrideLifecycle;
  blocks = [...blocks, ...override.blocks.map((b) => (lifecycleMerged && b === overrideLifecycle ? mergeBody(originalLifecycle, overrideLifecycle) : b))];
  return { ...original, attributes, blocks };
}

/** `terraform` blocks: settings considered one by one, `required_providers` entry by entry. */
function mergeTerraform(original: ParsedBlock, override: ParsedBlock): ParsedBlock {
  const rpOriginal = original.blocks.find((b) => b.type === 'required_providers');
  const rpOverride = override.blocks.find((b) => b.type === 'required_providers');
  const merged = mergeBody(original, override);
  if (!rpOriginal || !rpOverride) return merged;
  const rp: ParsedBlock = { ...rpOriginal, attributes: { ...rpOriginal.attributes } };
  for (const [name, attr] of Object.entries(rpOverride.attributes)) rp.attributes[name] = fromFile(attr, rpOverride.file);
  return { ...merged, blocks: merged.blocks.map((b) => (b === rpOverride ? rp : b)) };
}

const NOT_OVERRIDABLE = new Set(['moved', 'import', 'removed', 'check']);

/**
 * Applies override files, in the order given (lexical, by file name), to the primary files. The result holds the
 * primary files with merged blocks and the override files with no blocks of their own (their comments are kept).
 * A block in an override file with nothing to override is an error, as it is for Terraform.
 */
export function applyOverrides(primary: ParsedFile[], overrides: ParsedFile[], report: (d: Diagnostic) => void): ParsedFile[] {
  const files = primary.map((f) => ({ ...f, blocks: [...f.blocks] }));
  const error = (block: ParsedBlock, line: number, message: string) =>
    report({ severity: 'error', code: 'tf-invalid-override', file: block.file, line, message });
  const find = (pred: (b: ParsedBlock) => boolean): [ParsedFile, number] | undefined => {
    for (const f of files) {
      const i = f.blocks.findIndex(pred);
      if (i >= 0) return [f, i];
    }
    return undefined;
  };
  for (const file of overrides) {
    for (const block of file.blocks) {
      const line = block.headerSpan.start.line;
      const header = [block.type, ...block.labels.map((l) => `"${l}"`)].join(' ');
      if (NOT_OVERRIDABLE.has(block.type)) {
        error(block, line, `${header} blocks cannot be overridden; the block in the override file was ignored.`);
        continue;
      }
      if (block.type === 'locals') {
        for (const [name, attr] of Object.entries(block.attributes)) {
          const at = find((b) => b.type === 'locals' && Object.hasOwn(b.attributes, name));
          if (!at) {
            error(block, attr.span.start.line, `There is no local value "${name}" to override; the override was ignored.`);
            continue;
          }
          const [f, i] = at;
          const target = f.blocks[i]!;
          f.blocks[i] = { ...target, attributes: { ...target.attributes, [name]: fromFile(attr, block.file) } };
        }
        continue;
      }
      if ((block.type === 'resource' || block.type === 'data' || block.type === 'output') && block.attributes['depends_on']) {
        error(
          block,
          block.attributes['depends_on'].span.start.line,
          `depends_on may not be used in an override block (${header}); the override block was ignored.`,
        );
        continue;
      }
      const at = find((b) => sameHeader(b, block));
      if (!at) {
        if (block.type === 'terraform') {
          // Terraform settings in an override file apply even when no primary file has a terraform block.
          files[0]?.blocks.push(block);
          continue;
        }
        error(block, line, `There is no ${header} block to override; the block in the override file was ignored.`);
        continue;
      }
      const [f, i] = at;
      const target = f.blocks[i]!;
      f.blocks[i] = block.type === 'terraform' ? mergeTerraform(target, block) : mergeBody(target, block);
    }
  }
  return [...files, ...overrides.map((f) => ({ ...f, blocks: [] }))];
}
