import { FunctionError } from '../codes.js';
import type { Value } from '../../../../source/value.js';
import { sameValue, toSetOrder } from '../../../../source/values.js';
import { list, num, requireNoUnknown, type FnSpec } from './args.js';

/**
 * A set argument: its elements must be known to decide membership. Reference strings count as distinct values
 * unless identical, as `toset` treats them: two different resources never share an id.
 */
function setArg(v: Value, param: string): Value[] {
  const items = list(v, param);
  requireNoUnknown(items);
  return items;
}

export const setFunctions: Record<string, FnSpec> = {
  setunion: {
    params: 1,
    variadic: true,
    impl(args) {
      return toSetOrder(args.flatMap((a, i) => setArg(a, `sets[${i}]`)));
    },
  },

  setintersection: {
    params: 1,
    variadic: true,
    impl([first, ...rest]) {
      const others = rest.map((a, i) => setArg(a, `other_sets[${i}]`));
      return toSetOrder(setArg(first!, 'first_set').filter((v) => others.every((o) => o.some((x) => sameValue(x, v)))));
    },
  },

  setsubtract: {
    params: 2,
    impl([a, b]) {
      const minus = setArg(b!, 'b');
      return toSetOrder(setArg(a!, 'a').filter((v) => !minus.some((x) => sameValue(x, v))));
    },
  },

  setproduct: {
    params: 0,
    variadic: true,
    impl(args, call) {
      if (args.length < 2) throw new FunctionError('at least two arguments are required.');
      const sets = args.map((a, i) => list(a, `sets[${i}]`));
      // The size is known before a single tuple is built; past the limit, nothing is.
      let size = 1;
      for (const s of sets) size = Math.min(size * s.length, Number.MAX_SAFE_INTEGER);
      call.budget.collection(size * (sets.length + 1));
      let product: Value[][] = [[]];
      for (const s of sets) product = product.flatMap((prefix) => s.map((v) => [...prefix, v]));
      return product;
    },
  },

  range: {
    params: 1,
    optional: 2,
    impl(args) {
      const nums = args.map((a, i) => num(a, ['start', 'limit', 'step'][i] ?? 'param'));
      let start = 0;
      let limit: number;
      let step = 1;
      if (nums.length === 1) limit = nums[0]!;
      else {
        start = nums[0]!;
        limit = nums[1]!;
        step = nums.length === 3 ? nums[2]! : limit < start ? -1 : 1;
      }
      if (step === 0) throw new FunctionError('step must not be zero.');
      if (step < 0 && limit > start) throw new FunctionError('for a negative step, the limit must be less than the start.');
      if (step > 0 && limit < start) throw new FunctionError('for a positive step, the limit must be greater than the start.');
      const length = Math.ceil((limit - start) / step);
      if (length > 1024) {
        throw new FunctionError('more than 1024 values were generated; either decrease the difference between start and limit or use a smaller step.');
      }
      const out: number[] = [];
      for (let i = 0; i < length; i++) out.push(Number((start + i * step).toPrecision(15)));
      return out;
    },
  },
};
