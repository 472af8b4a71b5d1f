import type { ModuleTree } from './module-tree.js';
import type { ParsedBlock } from './parsed.js';

export interface Declaration {
  file: string;
  line?: number;
}

/** The module a `module.a[0].module.b` address names in the tree, undefined when a call on the way is unresolved. */
function moduleAt(tree: ModuleTree, address: string): ModuleTree | undefined {
  let t: ModuleTree = tree;
  for (const m of address.matchAll(/module\.([^.[]+)(?:\[[^\]]*\])?/g)) {
    const child = t.children.get(m[1]!);
    if (!child || 'unresolved' in child) return undefined;
    t = child;
  }
  return t;
}

/**
 * Where what an evaluation key names (`<module address>|<kind>|<name>`, the evaluator's memo keys) is declared: the
 * block or `locals` attribute, else the module's first file, so that a diagnostic about it always has a file.
 */
export function declarationOf(tree: ModuleTree, key: string): Declaration | undefined {
  const [address = '', kind = '', name = ''] = key.split('|');
  const module = moduleAt(tree, address) ?? tree;
  const blocks = module.source.files.flatMap((f) => f.blocks);
  const at = (b: ParsedBlock | undefined): Declaration | undefined => (b ? { file: b.file, line: b.headerSpan.start.line } : undefined);
  const labelled = (type: string, labels: string[]) => at(blocks.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l)));
  const base = kind.replace(/-expansion$/, '');
  let found: Declaration | undefined;
  if (base === 'local') {
    const block = blocks.find((b) => b.type === 'locals' && b.attributes[name]);
    if (block) found = { file: block.attributes[name]!.file ?? block.file, line: block.attributes[name]!.span.start.line };
  } else if (base === 'var') found = labelled('variable', [name]);
  else if (base === 'output' || base === 'module') found = labelled(base, [name]);
  else if (base === 'resource' || base === 'data') found = labelled(base, name.split('.'));
  const first = module.source.files[0];
  return found ?? (first ? { file: first.path } : undefined);
}
