import { describe, expect, it } from 'vitest';
import { isUnknown, unknown, type Value } from '../../src/source/value.js';
import { err, ok, run, subnetA, subnetB, unknownReason, vpcId } from './helpers.js';

const later = unknown('known after apply');
const roots = {
  var: { u: later, l: ['a', 'b', 'c'], m: { b: 2, a: 1 }, empty: [], nil: null },
  aws_subnet: { private: [{ id: subnetA }, { id: subnetB }] },
  aws_vpc: { main: { id: vpcId } },
};

async function list(src: string): Promise<Value[]> {
  const r = await run(`\${${src}}`, roots);
  expect(r.diagnostics).toEqual([]);
  return r.value as Value[];
}

describe('length', () => {
  it('counts lists, maps and characters', async () => {
    expect(await ok('length(["a", "b"])')).toBe(2);
    expect(await ok('length({a = 1, b = 2, c = 3})')).toBe(3);
    expect(await ok('length("héllo")')).toBe(5);
    expect(await ok('length("👍🏽x")')).toBe(2);
    expect(await ok('length([])')).toBe(0);
  });

  it('counts Unknown elements, but not an Unknown collection or a reference string', async () => {
    expect(await ok('length([var.u, var.u])', roots)).toBe(2);
    expect(await unknownReason('length(var.u)', roots)).toBe('known after apply');
    expect(await unknownReason('length(aws_vpc.main.id)', roots)).toBe('aws_vpc.main.id is known only after apply');
  });

  it('refuses null and numbers', async () => {
    expect(await err('length(null)', 'tf-function-error')).toBe(
      'Call to function "length" failed: invalid value for "value" parameter: argument must not be null.',
    );
    await err('length(5)', 'tf-function-error');
  });
});

describe('element, index, slice, contains', () => {
  it('element wraps around and keeps references', async () => {
    expect(await ok('element(["a", "b", "c"], 1)')).toBe('b');
    expect(await ok('element(["a", "b", "c"], 4)')).toBe('b');
    expect(await ok('element(aws_subnet.private[*].id, 3)', roots)).toBe(subnetB);
    expect(await ok('element([var.u, "x"], 1)', roots)).toBe('x');
    expect(await err('element([], 0)', 'tf-function-error')).toBe('Call to function "element" failed: cannot use element function with an empty list.');
    expect(await err('element(["a"], -1)', 'tf-function-error')).toBe('Call to function "element" failed: cannot use element function with a negative index.');
  });

  it('index finds the first match', async () => {
    expect(await ok('index(["a", "b", "a"], "a")')).toBe(0);
    expect(await ok('index(["a", "b"], "b")')).toBe(1);
    expect(await err('index(["a"], "z")', 'tf-function-error')).toBe('Call to function "index" failed: item not found.');
    expect(await unknownReason('index([var.u, "b"], "b")', roots)).toBe('known after apply');
  });

  it('slice takes [start, end)', async () => {
    expect(await ok('slice(["a", "b", "c", "d"], 1, 3)')).toEqual(['b', 'c']);
    expect(await ok('slice(["a"], 1, 1)')).toEqual([]);
    expect(await err('slice(["a", "b"], 1, 3)', 'tf-function-error')).toBe(
      'Call to function "slice" failed: end index must not be greater than the length of the list.',
    );
    expect(await err('slice(["a", "b"], 2, 1)', 'tf-function-error')).toBe('Call to function "slice" failed: start index must not be greater than end index.');
  });

  it('contains compares deeply, and is Unknown only when an Unknown could match', async () => {
    expect(await ok('contains(["a", "b"], "b")')).toBe(true);
    expect(await ok('contains([{a = 1}], {a = 1})')).toBe(true);
    expect(await ok('contains([1], "1")')).toBe(false);
    expect(await ok('contains([var.u, "b"], "b")', roots)).toBe(true);
    expect(await unknownReason('contains([var.u], "b")', roots)).toBe('known after apply');
    expect(await ok('contains(aws_subnet.private[*].id, aws_subnet.private[1].id)', roots)).toBe(true);
    expect(await ok('contains([], "x")')).toBe(false);
  });
});

describe('concat, flatten, distinct, compact, reverse, chunklist, one', () => {
  it('concat keeps Unknown elements and references', async () => {
    const v = await list('concat(["a"], [var.u], aws_subnet.private[*].id)');
    expect(v[0]).toBe('a');
    expect(isUnknown(v[1])).toBe(true);
    expect(v.slice(2)).toEqual([subnetA, subnetB]);
    expect(await unknownReason('concat(["a"], var.u)', roots)).toBe('known after apply');
    expect(await err('concat(["a"], "b")', 'tf-function-error')).toContain('list, tuple or set required, got string');
  });

  it('flatten flattens nested lists only', async () => {
    expect(await ok('flatten([["a", "b"], [], ["c", ["d"]], "e", {k = 1}])')).toEqual(['a', 'b', 'c', 'd', 'e', { k: 1 }]);
    expect(await unknownReason('flatten([["a"], var.u])', roots)).toBe('known after apply');
  });

  it('distinct keeps first occurrences', async () => {
    expect(await ok('distinct(["b", "a", "b", "c", "a"])')).toEqual(['b', 'a', 'c']);
    expect(await ok('distinct([aws_vpc.main.id, aws_vpc.main.id])', roots)).toEqual([vpcId]);
    expect(await unknownReason('distinct(["a", var.u])', roots)).toBe('known after apply');
  });

  it('compact drops empty strings and nulls', async () => {
    expect(await ok('compact(["a", "", null, "b", 1])')).toEqual(['a', 'b', '1']);
    expect(await ok('compact([aws_vpc.main.id, ""])', roots)).toEqual([vpcId]);
    expect(await unknownReason('compact(["a", var.u])', roots)).toBe('known after apply');
  });

  it('reverse, chunklist and one', async () => {
    expect(await ok('reverse([1, 2, 3])')).toEqual([3, 2, 1]);
    expect(await ok('chunklist(["a", "b", "c", "d", "e"], 2)')).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(await ok('chunklist(["a", "b"], 0)')).toEqual([['a', 'b']]);
    expect(await ok('one([])')).toBeNull();
    expect(await ok('one(["x"])')).toBe('x');
    expect(await err('one(["x", "y"])', 'tf-function-error')).toBe(
      'Call to function "one" failed: must be a list, set, or tuple value with either zero or one elements.',
    );
  });
});

describe('maps: keys, values, lookup, merge, zipmap, transpose', () => {
  it('keys and values follow lexical key order', async () => {
    expect(await ok('keys({b = 1, a = 2, "10" = 3, "9" = 4})')).toEqual(['10', '9', 'a', 'b']);
    expect(await ok('values({b = 1, a = 2})')).toEqual([2, 1]);
    expect(await ok('keys(aws_subnet)', roots)).toEqual(['private']);
    expect(await err('keys(["a"])', 'tf-function-error')).toContain('must have map or object type');
  });

  it('lookup returns the value, the default, or fails', async () => {
    expect(await ok('lookup({a = "x"}, "a", "d")')).toBe('x');
    expect(await ok('lookup({a = "x"}, "b", "d")')).toBe('d');
    expect(await ok('lookup({a = "x"}, "a")')).toBe('x');
    expect(await err('lookup({a = "x"}, "b")', 'tf-function-error')).toBe('Call to function "lookup" failed: lookup failed to find key "b".');
    expect(await unknownReason('lookup(var.u, "a", "d")', roots)).toBe('known after apply');
  });

  it('merge lets later arguments win and skips nulls', async () => {
    expect(await ok('merge({a = 1, b = 2}, null, {b = 3, c = 4})')).toEqual({ a: 1, b: 3, c: 4 });
    expect(await ok('merge()')).toEqual({});
    expect(await ok('merge(null)')).toBeNull();
    expect(await ok('merge({id = aws_vpc.main.id}, {x = 1})', roots)).toEqual({ id: vpcId, x: 1 });
    expect(await unknownReason('merge({a = 1}, var.u)', roots)).toBe('known after apply');
    expect(await err('merge({a = 1}, ["b"])', 'tf-function-error')).toBe('Call to function "merge" failed: arguments must be maps or objects, got list.');
  });

  it('zipmap pairs keys with values', async () => {
    expect(await ok('zipmap(["a", "b"], [1, 2])')).toEqual({ a: 1, b: 2 });
    expect(await ok('zipmap(["a", "a"], [1, 2])')).toEqual({ a: 2 });
    expect(await ok('zipmap(["x"], [aws_vpc.main.id])', roots)).toEqual({ x: vpcId });
    expect(await err('zipmap(["a"], [1, 2])', 'tf-function-error')).toBe(
      'Call to function "zipmap" failed: number of keys (1) does not match number of values (2).',
    );
  });

  it('transpose swaps keys and values', async () => {
    expect(await ok('transpose({a = ["1", "2"], b = ["2", "3"]})')).toEqual({ '1': ['a'], '2': ['a', 'b'], '3': ['b'] });
  });
});

describe('coalesce, coalescelist, sort, alltrue, anytrue, matchkeys', () => {
  it('coalesce returns the first non-null, non-empty argument', async () => {
    expect(await ok('coalesce("", null, "b", "c")')).toBe('b');
    expect(await ok('coalesce(1, 2)')).toBe(1);
    expect(await ok('coalesce(null, 1, "x")')).toBe('1');
    expect(await ok('coalesce(aws_vpc.main.id, "vpc-default")', roots)).toBe(vpcId);
    expect(await unknownReason('coalesce(var.u, "x")', roots)).toBe('known after apply');
    expect(await ok('coalesce("a", var.u)', roots)).toBe('a');
    expect(await err('coalesce("", null)', 'tf-function-error')).toBe('Call to function "coalesce" failed: no non-null, non-empty-string arguments.');
  });

  it('coalescelist returns the first non-empty list', async () => {
    expect(await ok('coalescelist([], ["a"], ["b"])')).toEqual(['a']);
    expect(await unknownReason('coalescelist([], var.u)', roots)).toBe('known after apply');
    expect(await err('coalescelist([], [])', 'tf-function-error')).toBe('Call to function "coalescelist" failed: no non-null arguments.');
  });

  it('sort orders strings by code point, converting numbers', async () => {
    expect(await ok('sort(["b", "a", "C", "10", "9"])')).toEqual(['10', '9', 'C', 'a', 'b']);
    expect(await ok('sort([11, 2])')).toEqual(['11', '2']);
    expect(await unknownReason('sort(["a", var.u])', roots)).toBe('known after apply');
  });

  it('alltrue and anytrue', async () => {
    expect(await ok('[alltrue([]), alltrue([true, "true"]), alltrue([true, false])]')).toEqual([true, true, false]);
    expect(await ok('[anytrue([]), anytrue([false, true]), anytrue([false])]')).toEqual([false, true, false]);
    expect(await unknownReason('alltrue([true, var.u])', roots)).toBe('known after apply');
    expect(await ok('anytrue([var.u, true])', roots)).toBe(true);
    expect(await unknownReason('anytrue([var.u, false])', roots)).toBe('known after apply');
  });

  it('matchkeys keeps values whose key is searched', async () => {
    expect(await ok('matchkeys(["i-1", "i-2", "i-3"], ["a", "b", "a"], ["a"])')).toEqual(['i-1', 'i-3']);
  });
});

describe('range and set functions', () => {
  it('range follows start, limit and step', async () => {
    expect(await ok('range(3)')).toEqual([0, 1, 2]);
    expect(await ok('range(1, 4)')).toEqual([1, 2, 3]);
    expect(await ok('range(4, 1)')).toEqual([4, 3, 2]);
    expect(await ok('range(0, 1, 0.25)')).toEqual([0, 0.25, 0.5, 0.75]);
    expect(await ok('range(0)')).toEqual([]);
    expect(await err('range(1, 2, 0)', 'tf-function-error')).toBe('Call to function "range" failed: step must not be zero.');
    expect(await err('range(2000)', 'tf-function-error')).toContain('more than 1024 values were generated');
  });

  it('setproduct, setunion, setintersection, setsubtract', async () => {
    expect(await ok('setproduct(["a", "b"], [1, 2])')).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['b', 2],
    ]);
    expect(await ok('setproduct(["a"], [])')).toEqual([]);
    expect(await err('setproduct(["a"])', 'tf-function-error')).toBe('Call to function "setproduct" failed: at least two arguments are required.');
    expect(await ok('setunion(["b", "a"], ["c", "a"])')).toEqual(['a', 'b', 'c']);
    expect(await ok('setintersection(["a", "b", "c"], ["b", "c", "d"], ["c", "b"])')).toEqual(['b', 'c']);
    expect(await ok('setsubtract(["a", "b", "c"], ["b"])')).toEqual(['a', 'c']);
    expect(await ok('setunion([3, 1], [2])')).toEqual([1, 2, 3]);
    expect(await ok('setunion(aws_subnet.private[*].id, [aws_subnet.private[0].id])', roots)).toEqual([subnetA, subnetB]);
    expect(await ok('setsubtract(aws_subnet.private[*].id, [aws_subnet.private[0].id])', roots)).toEqual([subnetB]);
    expect(await unknownReason('setunion(["a"], [var.u])', roots)).toBe('known after apply');
  });
});
