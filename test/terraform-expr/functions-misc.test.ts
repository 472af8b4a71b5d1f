import { describe, expect, it } from 'vitest';
import { isUnknown, unknown, type Unknown } from '../../src/source/value.js';
import { err, ok, run, subnetA, subnetB, unknownReason, vpcId } from './helpers.js';

const roots = {
  var: { u: unknown('known after apply'), obj: { present: 'here', nested: { x: 1 } }, list: [1, 5, 3] },
  aws_vpc: { main: { id: vpcId } },
};

describe('type conversion', () => {
  it('tostring, tonumber, tobool', async () => {
    expect(await ok('[tostring(1.5), tostring(true), tostring("x"), tostring(null)]')).toEqual(['1.5', 'true', 'x', null]);
    expect(await ok('tostring(aws_vpc.main.id)', roots)).toBe(vpcId);
    expect(await err('tostring([])', 'tf-function-error')).toBe('Call to function "tostring" failed: cannot convert list to string.');
    expect(await ok('[tonumber("1"), tonumber("-2.5e1"), tonumber(3), tonumber(null)]')).toEqual([1, -25, 3, null]);
    expect(await err('tonumber("no")', 'tf-function-error')).toBe(
      'Call to function "tonumber" failed: cannot convert "no" to number; given string must be a decimal representation of a number.',
    );
    expect(await ok('[tobool("true"), tobool(false), tobool(null)]')).toEqual([true, false, null]);
    expect(await err('tobool("yes")', 'tf-function-error')).toBe(
      'Call to function "tobool" failed: cannot convert "yes" to bool; only the strings "true" or "false" are allowed.',
    );
  });

  it('tolist and tomap unify element types', async () => {
    expect(await ok('tolist(["a", "b", 3, true])')).toEqual(['a', 'b', '3', 'true']);
    expect(await ok('tolist([1, 2])')).toEqual([1, 2]);
    expect(await err('tolist([1, [2]])', 'tf-function-error')).toBe('Call to function "tolist" failed: cannot convert tuple to list of any single type.');
    expect(await err('tolist({a = 1})', 'tf-function-error')).toBe('Call to function "tolist" failed: cannot convert object to list of any single type.');
    expect(await ok('tomap({a = 1, b = "x"})')).toEqual({ a: '1', b: 'x' });
    expect(await err('tomap(["a"])', 'tf-function-error')).toBe('Call to function "tomap" failed: cannot convert list to map of any single type.');
  });

  it('toset removes duplicates, orders strings and numbers, and keeps references in first-seen order', async () => {
    expect(await ok('toset(["c", "a", "c", "b"])')).toEqual(['a', 'b', 'c']);
    expect(await ok('toset([3, 1, 3])')).toEqual([1, 3]);
    expect(await ok('toset([1, "a"])')).toEqual(['1', 'a']);
    const refs = { aws_subnet: { b: { id: subnetB }, a: { id: subnetA } } };
    expect(await ok('toset([aws_subnet.b.id, aws_subnet.a.id, aws_subnet.b.id])', refs)).toEqual([subnetB, subnetA]);
    expect(await unknownReason('toset(["a", var.u])', roots)).toBe('known after apply');
  });

  it('sensitive, nonsensitive and issensitive leave values alone', async () => {
    expect(await ok('[sensitive("x"), nonsensitive("y"), issensitive("z")]')).toEqual(['x', 'y', false]);
  });
});

describe('numbers', () => {
  it('abs, ceil, floor, signum, pow, log', async () => {
    expect(await ok('[abs(-12.4), ceil(5.1), floor(4.9), floor(-4.1), signum(-13), signum(0), signum(344)]')).toEqual([12.4, 6, 4, -5, -1, 0, 1]);
    expect(await ok('[pow(3, 2), pow(4, 0), log(16, 2)]')).toEqual([9, 1, 4]);
    expect(await ok('floor(log(50, 10) * 1000)')).toBe(1698);
  });

  it('max, min and sum', async () => {
    expect(await ok('[max(12, 54, 3), min(12, 54, 3), max(var.list...), max("7", 2)]', roots)).toEqual([54, 3, 5, 7]);
    expect(await ok('sum([10, 13, 6, 4.5])')).toBe(33.5);
    expect(await ok('sum([0.1, 0.2])')).toBe(0.3);
    expect(await err('max()', 'tf-function-error')).toBe('Call to function "max" failed: must pass at least one number.');
    expect(await err('sum([])', 'tf-function-error')).toBe('Call to function "sum" failed: cannot sum an empty list.');
    expect(await unknownReason('sum([1, var.u])', roots)).toBe('known after apply');
  });

  it('parseint reads bases 2 to 62', async () => {
    expect(await ok('[parseint("100", 10), parseint("FF", 16), parseint("-10", 16), parseint("1011111011101111", 2), parseint("aA", 62)]')).toEqual([
      100, 255, -16, 48879, 656,
    ]);
    expect(await err('parseint("12", 2)', 'tf-function-error')).toBe('Call to function "parseint" failed: cannot parse "12" as a base 2 integer.');
    expect(await err('parseint("1", 63)', 'tf-function-error')).toContain('base must be a whole number between 2 and 62');
  });
});

describe('files, paths and time', () => {
  it('never reads files: the result is Unknown with a note', async () => {
    for (const call of ['file("policy.json")', 'templatefile("a.tpl", {})', 'fileexists("x")', 'filebase64("x")', 'fileset(".", "*.tf")', 'filesha256("x")']) {
      const r = await run(`\${${call}}`);
      expect(isUnknown(r.value)).toBe(true);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ severity: 'note', code: 'tf-file-not-read', file: 'main.tf', line: 7 });
    }
    expect((await run('${file("x")}')).diagnostics[0]!.message).toBe('Function "file" reads files, which this analyzer never reads; its result is unknown.');
  });

  it('computes path arithmetic as Go does', async () => {
    expect(await ok('[basename("foo/bar/baz.txt"), basename("/"), basename(""), basename("a/b/")]')).toEqual(['baz.txt', '/', '.', 'b']);
    expect(await ok('[dirname("foo/bar/baz.txt"), dirname("foo"), dirname("/a"), dirname("a/b/")]')).toEqual(['foo/bar', '.', '/', 'a/b']);
    expect(await ok('abspath("/a/b/../c/")')).toBe('/a/c');
    expect(await ok('pathexpand("/etc/hosts")')).toBe('/etc/hosts');
  });

  it('does not guess machine-dependent paths', async () => {
    const a = await run('${abspath(path.module)}', { path: { module: 'modules/vpc' } });
    expect(isUnknown(a.value)).toBe(true);
    expect(a.diagnostics.map((d) => [d.severity, d.code])).toEqual([['note', 'tf-file-not-read']]);
    const p = await run('${pathexpand("~/.ssh/id_rsa.pub")}');
    expect(isUnknown(p.value)).toBe(true);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['tf-file-not-read']);
  });

  it('treats clock and random values as known only after apply', async () => {
    expect(await unknownReason('timestamp()')).toBe('timestamp() is known only after apply');
    expect(await unknownReason('uuid()')).toBe('uuid() is known only after apply');
    expect(await unknownReason('bcrypt("secret")')).toBe('bcrypt() uses a random salt');
  });
});

describe('try and can', () => {
  it('try returns the first argument that evaluates without error', async () => {
    expect(await ok('try(var.obj.missing, "default")', roots)).toBe('default');
    expect(await ok('try(var.obj.present, "default")', roots)).toBe('here');
    expect(await ok('try(var.obj.nested.x, var.obj.nested.y, 0)', roots)).toBe(1);
    expect(await ok('try(tonumber("x"), 0)')).toBe(0);
    expect(await ok('try(aws_vpc.main.id, "")', roots)).toBe(vpcId);
  });

  it('try is Unknown when the first successful argument is not known', async () => {
    expect(await unknownReason('try(var.u, "default")', roots)).toBe('known after apply');
    expect(await unknownReason('try(var.obj.missing, [var.u])', roots)).toBe('known after apply');
  });

  it('try fails when no argument succeeds', async () => {
    expect(await err('try(var.obj.a, var.obj.b)', 'tf-function-error', roots)).toBe(
      'Call to function "try" failed: no expression succeeded (Unsupported attribute: var.obj does not have an attribute named "a".; Unsupported attribute: var.obj does not have an attribute named "b".).',
    );
  });

  it('can reports whether an expression evaluates', async () => {
    expect(await ok('can(regex("^ami-", "ami-123"))')).toBe(true);
    expect(await ok('can(regex("^ami-", "img-123"))')).toBe(false);
    expect(await ok('can(var.obj.missing)', roots)).toBe(false);
    expect(await unknownReason('can(var.u)', roots)).toBe('known after apply');
    expect(await err('can(1, 2)', 'tf-function-error')).toBe('Wrong number of arguments: function "can" expects 1 argument(s), got 2.');
  });
});

describe('function calls', () => {
  it('reports names Terraform does not have', async () => {
    const r = await run('${nosuch(1)}');
    expect(isUnknown(r.value)).toBe(true);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-unsupported-function',
        file: 'main.tf',
        line: 7,
        message: 'Call to unknown function: there is no function named "nosuch".',
      },
    ]);
  });

  it('notes Terraform functions that are not evaluated and provider functions', async () => {
    const y = await run('${yamlencode({a = 1})}');
    expect(isUnknown(y.value)).toBe(true);
    expect(y.diagnostics).toEqual([
      {
        severity: 'note',
        code: 'tf-unsupported-function',
        file: 'main.tf',
        line: 7,
        message: 'Function "yamlencode" is not evaluated by this analyzer; its result is unknown.',
      },
    ]);
    const p = await run('${provider::aws::arn_parse("arn:aws:s3:::b")}');
    expect(isUnknown(p.value)).toBe(true);
    expect(p.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['note', 'tf-provider-function', 'Provider function provider::aws::arn_parse is not evaluated: provider plugins are never run.'],
    ]);
  });

  it('accepts the core:: namespace', async () => {
    expect(await ok('core::upper("a")')).toBe('A');
  });

  it('checks the number of arguments', async () => {
    expect(await err('upper()', 'tf-function-error')).toBe('Wrong number of arguments: function "upper" expects 1 argument(s), got 0.');
    expect(await err('lookup({}, "a", 1, 2)', 'tf-function-error')).toBe('Wrong number of arguments: function "lookup" expects 2 to 3 argument(s), got 4.');
    expect(await err('concat()', 'tf-function-error')).toBe('Wrong number of arguments: function "concat" expects at least 1 argument(s), got 0.');
  });

  it('expands a final list argument with ...', async () => {
    expect(await ok('max(var.list...)', roots)).toBe(5);
    expect(await ok('concat(["a"], [["b"], ["c"]]...)')).toEqual(['a', 'b', 'c']);
    expect(await unknownReason('max(var.u...)', roots)).toBe('known after apply');
    expect(await err('max("3"...)', 'tf-function-error')).toBe(
      'Invalid expanding argument value: the argument marked with "..." must be a list, not a string.',
    );
  });

  it('is Unknown, without a diagnostic, when an argument is Unknown', async () => {
    const reason = await unknownReason('upper(var.u)', roots);
    expect(reason).toBe('known after apply');
    const r = await run('${[upper(var.u)]}', roots);
    expect(((r.value as unknown[])[0] as Unknown).reason).toBe('known after apply');
  });

  it('reports a failing call once with file and line', async () => {
    const r = await run('${[cidrsubnet("10.0.0.0/30", 4, 0), cidrsubnet("10.0.0.0/30", 4, 0)]}');
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'tf-function-error',
        file: 'main.tf',
        line: 7,
        message: 'Call to function "cidrsubnet" failed: insufficient address space to extend prefix of 30 by 4.',
      },
    ]);
  });
});
