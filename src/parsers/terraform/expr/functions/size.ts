import { isObject, type Value } from '../../../../source/value.js';

/**
 * How many values `v` holds, counting every element of every nested collection (a shared list counts each time it
 * appears), stopping as soon as the count passes `max`: the cost is bounded by `max`, whatever the value.
 */
export function treeSize(v: Value, max: number): number {
  let count = 1;
  const stack: Value[] = [v];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (Array.isArray(x)) {
      count += x.length;
      if (count > max) return count;
      for (const item of x) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (isObject(x)) {
      const keys = Object.keys(x);
      count += keys.length;
      if (count > max) return count;
      for (const key of keys) stack.push(x[key]!);
    }
  }
  return count;
}

/** Functions that walk their arguments to the leaves: each is charged for the whole of what it walks. */
export const DEEP_ARGUMENTS: ReadonlySet<string> = new Set([
  'flatten',
  'jsonencode',
  'tostring',
  'format',
  'formatlist',
  'toset',
  'tolist',
  'tomap',
  'distinct',
  'setunion',
  'setintersection',
  'setsubtract',
  'setproduct',
  'contains',
  'index',
  'matchkeys',
  'transpose',
  'sort',
]);
