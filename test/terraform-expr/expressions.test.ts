import { describe, expect, it } from 'vitest';
import { isUnknown, unknown, type Value } from '../../src/source/value.js';
import { err, ok, run, subnetA, subnetB, unknownReason, value, vpcId } from './helpers.js';

const later = unknown('known after apply');
const roots = {
  var: { n: 5, s: 'abc', b: true, l: [1, 2], m: { b: 2, a: 1, '10': 'ten', '9': 'nine' }, u: later, nil: null },
  aws_vpc: { main: { id: vpcId } },
  aws_subnet: { a: { id: subnetA }, b: { id: subnetB } },
};

describe('templates', () => {
  it('converts numbers and bools, and keeps the value of a lone interpolation', async () => {
    expect((await run('n=${var.n} b=${var.b} f=${1.5} big=${1e21}', roots)).value).toBe('n=5 b=true f=1.5 big=1000000000000000000000');
    expect((await run('${var.n}', roots)).value).toBe(5);
    expect((await run('${var.l}', roots)).value).toEqual([1, 2]);
    expect((await run('${var.nil}', roots)).value).toBeNull();
  });

  it('refuses null and collections inside a larger string', async () => {
    expect(await err('"x${var.nil}"', 'tf-type-mismatch', roots)).toBe(
      'Invalid template interpolation value: the expression result is null; a null value cannot be included in a string template.',
    );
    expect(await err('"x${var.l}"', 'tf-type-mismatch', roots)).toBe(
      'Invalid template interpolation value: a list cannot be included in a string template; a string is required.',
    );
  });

  it('is Unknown when any part is Unknown', async () => {
    const r = await run('prefix-${var.u}-${var.n}', roots);
    expect(isUnknown(r.value)).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it('passes a reference string through when it is the whole value, and is Unknown when it is embedded', async () => {
    expect((await run('${aws_vpc.main.id}', roots)).value).toBe(vpcId);
    expect((await run('${""}${aws_vpc.main.id}', roots)).value).toBe(vpcId);
    expect(await unknownReason('"${aws_vpc.main.id}-x"', roots)).toBe('aws_vpc.main.id is known only after apply');
    expect((await run('%{ if true }${aws_vpc.main.id}%{ endif }', roots)).value).toBe(vpcId);
  });

  it('evaluates if directives, with else and without', async () => {
    expect((await run('%{ if var.b }yes%{ else }no%{ endif }', roots)).value).toBe('yes');
    expect((await run('<%{ if !var.b }yes%{ endif }>', roots)).value).toBe('<>');
    expect((await run('%{ if "true" }t%{ endif }', roots)).value).toBe('t');
    expect(isUnknown((await run('%{ if var.u }a%{ endif }', roots)).value)).toBe(true);
    expect((await run('%{ if var.s }a%{ endif }', roots)).diagnostics.map((d) => d.code)).toEqual(['tf-type-mismatch']);
  });

  it('evaluates for directives over lists and maps in key order', async () => {
    expect((await run('%{ for x in var.l }[${x}]%{ endfor }', roots)).value).toBe('[1][2]');
    expect((await run('%{ for i, x in ["a", "b"] }${i}=${x};%{ endfor }', roots)).value).toBe('0=a;1=b;');
    expect((await run('%{ for k, v in var.m }${k},%{ endfor }', roots)).value).toBe('10,9,a,b,');
    expect(isUnknown((await run('%{ for x in var.u }${x}%{ endfor }', roots)).value)).toBe(true);
  });
});

describe('operators', () => {
  it('does arithmetic with Terraform precedence and decimal results', async () => {
    expect(await ok('1 + 2 * 3 - 4 / 2', roots)).toBe(5);
    expect(await ok('7 % 3', roots)).toBe(1);
    expect(await ok('-7 % 3', roots)).toBe(-1);
    expect(await ok('10 / 4', roots)).toBe(2.5);
    expect(await ok('0.1 + 0.2', roots)).toBe(0.3);
    expect(await ok('-var.n', roots)).toBe(-5);
    expect(await ok('"5" + 1', roots)).toBe(6);
  });

  it('follows Terraform at zero: x/0 is infinite and x%0 is x', async () => {
    expect(await ok('1 / 0')).toBe(Infinity);
    expect(await ok('-1 / 0')).toBe(-Infinity);
    expect(await ok('"x${1 / 0}"')).toBe('x+Inf');
    expect(await ok('7 % 0')).toBe(7);
  });

  it('reports impossible arithmetic', async () => {
    expect(await err('0 / 0', 'tf-invalid-operation')).toBe("Operation failed: can't divide zero by zero or infinity by infinity.");
    expect(await err('"abc" + 1', 'tf-type-mismatch')).toBe('Invalid operand: the left operand of "+" must be a number; the string "abc" is not a number.');
    expect(await err('true * 2', 'tf-type-mismatch')).toBe('Invalid operand: the left operand of "*" must be a number, not a bool.');
    expect(await err('-null', 'tf-type-mismatch')).toBe('Invalid operand: the operand of unary minus must be a number, not null.');
    expect(await err('!"yes"', 'tf-type-mismatch')).toBe('Invalid operand: the operand of "!" must be a bool, not "yes".');
  });

  it('propagates Unknown through arithmetic and comparison', async () => {
    expect(await unknownReason('var.u + 1', roots)).toBe('known after apply');
    expect(await unknownReason('var.u > 1', roots)).toBe('known after apply');
    expect(await unknownReason('aws_vpc.main.id + 1', roots)).toBe('aws_vpc.main.id is known only after apply');
  });

  it('compares numbers', async () => {
    expect(await ok('[1 < 2, 2 <= 2, 3 > 4, 4 >= 5, "10" > 9]')).toEqual([true, true, false, false, true]);
  });

  it('compares deeply with == and != and never converts types', async () => {
    expect(await ok('[1, {a = "x", b = [true]}] == [1, {b = [true], a = "x"}]')).toBe(true);
    expect(await ok('{a = 1} == {a = 1, b = 2}')).toBe(false);
    expect(await ok('1 == "1"')).toBe(false);
    expect(await ok('null == null')).toBe(true);
    expect(await ok('var.nil != null', roots)).toBe(false);
    expect(await ok('[1, 2] != [1, 3]')).toBe(true);
  });

  it('compares reference strings only where the answer is certain', async () => {
    expect(await ok('aws_vpc.main.id == aws_vpc.main.id', roots)).toBe(true);
    expect(await ok('aws_vpc.main.id != null', roots)).toBe(true);
    expect(await unknownReason('aws_vpc.main.id == "vpc-123"', roots)).toBe('aws_vpc.main.id is known only after apply');
    expect(await unknownReason('aws_subnet.a.id == aws_subnet.b.id', roots)).toBe('aws_subnet.private[0].id is known only after apply');
    expect(await unknownReason('[var.u] == [1]', roots)).toBe('known after apply');
    expect(await ok('[var.u, 1] == [2]', roots)).toBe(false);
  });

  it('evaluates logical operators with short-circuiting', async () => {
    expect(await ok('true && false || !false')).toBe(true);
    expect(await ok('"true" && true')).toBe(true);
    expect(await ok('length(var.l) > 5 && var.l[5] == 1', roots)).toBe(false);
    expect(await ok('length(var.l) > 0 || var.l[9] == 1', roots)).toBe(true);
    expect(await ok('var.u && false', roots)).toBe(false);
    expect(await ok('var.u || true', roots)).toBe(true);
    expect(await unknownReason('var.u && true', roots)).toBe('known after apply');
    expect(await err('1 && true', 'tf-type-mismatch')).toBe('Invalid operand: the left operand of "&&" must be a bool, not a number.');
    expect(await err('true && var.l[9] == 1', 'tf-invalid-reference', roots)).toBe('Invalid index: var.l[9] does not exist; var.l has 2 elements.');
  });
});

describe('conditional expressions', () => {
  it('evaluates only the chosen branch', async () => {
    expect(await ok('var.b ? "yes" : var.l[9]', roots)).toBe('yes');
    expect(await ok('length(var.l) > 3 ? var.l[3] : "none"', roots)).toBe('none');
    expect(await ok('"false" ? 1 : 2')).toBe(2);
  });

  it('gives both results one type: a number or bool against a string becomes a string', async () => {
    expect(await ok('true ? 1 : "x"')).toBe('1');
    expect(await ok('false ? "x" : false')).toBe('false');
    expect(await ok('true ? 1 : 2')).toBe(1);
  });

  it('is Unknown on an Unknown condition unless both results are equal', async () => {
    expect(await unknownReason('var.u ? 1 : 2', roots)).toBe('known after apply');
    expect(await ok('var.u ? "same" : "same"', roots)).toBe('same');
    expect(await ok('var.u ? [aws_vpc.main.id] : [aws_vpc.main.id]', roots)).toEqual([vpcId]);
  });

  it('refuses a null or non-bool condition', async () => {
    expect(await err('var.nil ? 1 : 2', 'tf-type-mismatch', roots)).toBe('Null condition: the condition value is null; conditions must be true or false.');
    expect(await err('"maybe" ? 1 : 2', 'tf-type-mismatch')).toBe('Invalid operand: the condition of a conditional expression must be a bool, not "maybe".');
  });

  it('carries reference strings through the chosen branch', async () => {
    expect(await ok('var.b ? aws_vpc.main.id : null', roots)).toBe(vpcId);
  });
});

describe('for expressions', () => {
  it('builds lists from lists with index and value', async () => {
    expect(await ok('[for x in [1, 2, 3] : x * 2]')).toEqual([2, 4, 6]);
    expect(await ok('[for i, x in ["a", "b"] : "${i}:${x}"]')).toEqual(['0:a', '1:b']);
    expect(await ok('[for x in [1, 2, 3, 4] : x if x % 2 == 0]')).toEqual([2, 4]);
  });

  it('iterates maps and objects in lexical key order', async () => {
    expect(await ok('[for k, v in var.m : k]', roots)).toEqual(['10', '9', 'a', 'b']);
    expect(await ok('[for v in {z = 1, a = 2} : v]')).toEqual([2, 1]);
  });

  it('iterates sets of strings in lexical order', async () => {
    expect(await ok('[for s in toset(["b", "c", "a", "b"]) : s]')).toEqual(['a', 'b', 'c']);
  });

  it('builds objects, converting keys to strings', async () => {
    expect(await ok('{ for k, v in {a = 1, b = 2} : upper(k) => v + 1 }')).toEqual({ A: 2, B: 3 });
    expect(await ok('{ for i, x in ["p", "q"] : i => x }')).toEqual({ '0': 'p', '1': 'q' });
  });

  it('groups values with ... in iteration order', async () => {
    expect(await ok('{ for s in ["app-a", "db-a", "app-b"] : split("-", s)[0] => s... }')).toEqual({ app: ['app-a', 'app-b'], db: ['db-a'] });
  });

  it('reports duplicate keys without ...', async () => {
    expect(await err('{ for s in ["a", "a"] : s => 1 }', 'tf-duplicate-key')).toBe(
      'Duplicate object key: two elements produced the key "a" in this \'for\' expression; add "..." after the value expression to group them.',
    );
  });

  it('is Unknown when the collection, a condition or a key is Unknown', async () => {
    expect(await unknownReason('[for x in var.u : x]', roots)).toBe('known after apply');
    expect(await unknownReason('[for x in [1, var.u] : x if x == 1]', roots)).toBe('known after apply');
    expect(await unknownReason('{ for x in [var.u] : x => 1 }', roots)).toBe('known after apply');
    const r = await run('${[for x in [1, var.u] : x]}', roots);
    expect((r.value as Value[])[0]).toBe(1);
    expect(isUnknown((r.value as Value[])[1])).toBe(true);
  });

  it('refuses null and non-collections', async () => {
    expect(await err('[for x in var.nil : x]', 'tf-type-mismatch', roots)).toBe("Iteration over null value: the collection of a 'for' expression is null.");
    expect(await err('[for x in "abc" : x]', 'tf-type-mismatch')).toBe(
      "Iteration over non-iterable value: a string cannot be the collection of a 'for' expression.",
    );
    expect(await err('[for x in [1] : x if "x"]', 'tf-type-mismatch')).toBe('Invalid operand: the condition of a \'for\' expression must be a bool, not "x".');
  });

  it('carries reference strings', async () => {
    expect(await ok('[for s in [aws_subnet.a, aws_subnet.b] : s.id]', roots)).toEqual([subnetA, subnetB]);
    expect(await ok('{ for k, s in aws_subnet : k => s.id }', roots)).toEqual({ a: subnetA, b: subnetB });
  });

  it('nests, with inner names shadowing outer ones', async () => {
    expect(await ok('[for x in [[1, 2], [3]] : [for x in x : x * 10]]')).toEqual([[10, 20], [30]]);
  });
});

describe('collections and literals', () => {
  it('builds tuples and objects, keeping Unknown elements', async () => {
    const r = await run('${[1, "a", var.u, {k = var.n}]}', roots);
    const v = r.value as Value[];
    expect(v[0]).toBe(1);
    expect(isUnknown(v[2])).toBe(true);
    expect(v[3]).toEqual({ k: 5 });
  });

  it('treats bare object keys as names and parenthesised keys as expressions', async () => {
    expect(await ok('{ s = 1, (var.s) = 2, "q" = 3, 4 = 5 }', roots)).toEqual({ s: 1, abc: 2, q: 3, '4': 5 });
  });

  it('refuses null keys and is Unknown for Unknown keys', async () => {
    expect(await err('{ (var.nil) = 1 }', 'tf-type-mismatch', roots)).toBe('Invalid object key: Object key must not be null.');
    expect(await unknownReason('{ (var.u) = 1 }', roots)).toBe('known after apply');
  });

  it('handles the key __proto__ as data', async () => {
    const v = (await ok('{ "__proto__" = 1 }')) as Record<string, Value>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('reads literal strings and numbers', async () => {
    expect(await value('"x"')).toBe('x');
    expect(await value('1.25e2')).toBe(125);
  });
});
