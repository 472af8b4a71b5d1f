import type { Diagnostic } from '../../../source/types.js';
import { budgetOf, evaluate, type Scope } from '../expr/index.js';
import { BudgetExceeded } from '../../../source/budget.js';
import { isObject, isUnknown, containsUnknown, unknown, type Value } from '../../../source/value.js';
import type { ParsedBlock } from './parsed.js';

/** How many instances a resource or module block has, per its `count` / `for_each`. */
export type Expansion =
  { kind: 'single' } | { kind: 'count'; count: number } | { kind: 'for_each'; entries: Array<[string, Value]> } | { kind: 'unknown'; reason: string };

export interface ExpandedInstance {
  /** '' for a single instance, `[0]` or `["key"]`. */
  suffix: string;
  /** Names visible inside the instance: `count` or `each`. */
  vars: Record<string, Value>;
}

export function expansionOf(block: ParsedBlock, scope: Scope, report: (d: Diagnostic) => void): Expansion {
  const e = expansionWanted(block, scope, report);
  const n = e.kind === 'count' ? e.count : e.kind === 'for_each' ? e.entries.length : 0;
  if (n === 0) return e;
  // Instances are charged to the root module before any is made: `count = 100000000` must not be expanded.
  const budget = budgetOf({ file: block.file, report });
  try {
    budget.instancesOf(n);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
    const attr = block.attributes['count'] ?? block.attributes['for_each'];
    return { kind: 'unknown', reason: budget.exceeded(err, attr?.file ?? block.file, attr?.span.start.line ?? block.span.start.line).reason };
  }
  return e;
}

function expansionWanted(block: ParsedBlock, scope: Scope, report: (d: Diagnostic) => void): Expansion {
  const countAttr = block.attributes['count'];
  const forEachAttr = block.attributes['for_each'];
  const ctx = (line: number) => ({ file: block.file, line, report });
  if (countAttr) {
    const v = evaluate(countAttr.expr, scope, ctx(countAttr.span.start.line));
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return { kind: 'count', count: n };
    if (isUnknown(n)) return { kind: 'unknown', reason: `count is not known (${n.reason})` };
    report({
      severity: 'error',
      code: 'tf-invalid-count',
      file: block.file,
      line: countAttr.span.start.line,
      message: `count must be a whole number, got ${JSON.stringify(n)}.`,
    });
    return { kind: 'unknown', reason: 'count is invalid' };
  }
  if (forEachAttr) {
    const v = evaluate(forEachAttr.expr, scope, ctx(forEachAttr.span.start.line));
    if (isUnknown(v)) return { kind: 'unknown', reason: `for_each is not known (${v.reason})` };
    if (Array.isArray(v)) {
      if (v.some((x) => typeof x !== 'string')) {
        if (v.some(containsUnknown)) return { kind: 'unknown', reason: 'some for_each keys are not known' };
        report({
          severity: 'error',
          code: 'tf-invalid-for-each',
          file: block.file,
          line: forEachAttr.span.start.line,
          message: 'for_each over a list needs a set of strings (use toset() on strings, or a map).',
        });
        return { kind: 'unknown', reason: 'for_each is invalid' };
      }
      const keys = [...new Set(v as string[])].sort();
      return { kind: 'for_each', entries: keys.map((k) => [k, k]) };
    }
    if (isObject(v)) {
      return {
        kind: 'for_each',
        entries: Object.keys(v)
          .sort()
          .map((k) => [k, v[k]!]),
      };
    }
    report({
      severity: 'error',
      code: 'tf-invalid-for-each',
      file: block.file,
      line: forEachAttr.span.start.line,
      message: `for_each needs a map or a set of strings, got ${v === null ? 'null' : typeof v}.`,
    });
    return { kind: 'unknown', reason: 'for_each is invalid' };
  }
  return { kind: 'single' };
}

export function instancesOf(expansion: Expansion): ExpandedInstance[] {
  switch (expansion.kind) {
    case 'single':
      return [{ suffix: '', vars: {} }];
    case 'count':
      return Array.from({ length: expansion.count }, (_, i) => ({ suffix: `[${i}]`, vars: { count: { index: i } } }));
    case 'for_each':
      return expansion.entries.map(([key, value]) => ({ suffix: `[${JSON.stringify(key)}]`, vars: { each: { key, value } } }));
    case 'unknown':
      return [];
  }
}

/** The value other expressions see for a block: one object, a list (count) or a map (for_each). */
export function collectionValue(expansion: Expansion, instance: (i: ExpandedInstance) => Value): Value {
  const instances = instancesOf(expansion);
  switch (expansion.kind) {
    case 'single':
      return instance(instances[0]!);
    case 'count':
      return instances.map(instance);
    case 'for_each': {
      const out: Record<string, Value> = {};
      expansion.entries.forEach(([key], i) => (out[key] = instance(instances[i]!)));
      return out;
    }
    case 'unknown':
      return unknown(expansion.reason);
  }
}
