import { describe, expect, it } from 'vitest';
import { isUnknown, unknown, type Value } from '../../src/source/value.js';
import { err, ok, run, unknownReason, vpcId } from './helpers.js';

const roots = { var: { u: unknown('known after apply'), name: 'Web' }, aws_vpc: { main: { id: vpcId } } };
const REF_REASON = 'aws_vpc.main.id is known only after apply';

describe('case and trimming', () => {
  it('upper, lower and title map one code point at a time, as Go does', async () => {
    expect(await ok('upper("héllo ß")')).toBe('HÉLLO ß');
    expect(await ok('lower("HÉLLO")')).toBe('héllo');
    expect(await ok('title("hello world")')).toBe('Hello World');
    expect(await ok('title("hello-world_x 2nd")')).toBe('Hello-World_x 2nd');
  });

  it('trims', async () => {
    expect(await ok('trimspace("  hello\\n\\n")')).toBe('hello');
    expect(await ok('trim("?!hello?!", "!?")')).toBe('hello');
    expect(await ok('trimprefix("helloworld", "hello")')).toBe('world');
    expect(await ok('trimprefix("helloworld", "cat")')).toBe('helloworld');
    expect(await ok('trimsuffix("helloworld", "world")')).toBe('hello');
    expect(await ok('chomp("hello\\r\\n\\n")')).toBe('hello');
    expect(await ok('chomp("hello\\n\\nx")')).toBe('hello\n\nx');
  });

  it('indents all lines but the first, and reverses by character', async () => {
    expect(await ok('indent(2, "[\\n  foo,\\n  bar,\\n]\\n")')).toBe('[\n    foo,\n    bar,\n  ]\n  ');
    expect(await ok('strrev("héllo👍🏽")')).toBe('👍🏽olléh');
  });

  it('tests prefixes, suffixes and substrings', async () => {
    expect(await ok('[startswith("hello world", "hello"), endswith("hello world", "world"), strcontains("hello world", "o w"), startswith("a", "b")]')).toEqual(
      [true, true, true, false],
    );
  });

  it('is Unknown when the content of a reference is needed', async () => {
    expect(await unknownReason('upper(aws_vpc.main.id)', roots)).toBe(REF_REASON);
    expect(await unknownReason('startswith(aws_vpc.main.id, "vpc-")', roots)).toBe(REF_REASON);
    expect(await unknownReason('trimspace(var.u)', roots)).toBe('known after apply');
  });
});

describe('substr', () => {
  it('counts characters, with negative offsets from the end', async () => {
    expect(await ok('substr("hello world", 1, 4)')).toBe('ello');
    expect(await ok('substr("🤔🤷", 0, 1)')).toBe('🤔');
    expect(await ok('substr("hello world", -5, -1)')).toBe('world');
    expect(await ok('substr("hello world", 6, 10)')).toBe('world');
    expect(await ok('substr("abc", 5, 1)')).toBe('');
    expect(await ok('substr("abc", 1, 0)')).toBe('');
  });
});

describe('split and join', () => {
  it('split', async () => {
    expect(await ok('split(",", "foo,bar,baz")')).toEqual(['foo', 'bar', 'baz']);
    expect(await ok('split(",", "foo")')).toEqual(['foo']);
    expect(await ok('split(",", "")')).toEqual(['']);
    expect(await ok('split("", "ab")')).toEqual(['a', 'b']);
  });

  it('join, across several lists', async () => {
    expect(await ok('join(", ", ["foo", "bar", "baz"])')).toBe('foo, bar, baz');
    expect(await ok('join("-", ["a"], ["b", 1, true])')).toBe('a-b-1-true');
    expect(await ok('join(",", [])')).toBe('');
    expect(await err('join(",", ["a", null])', 'tf-function-error')).toBe('Call to function "join" failed: element 1 is null; cannot concatenate null values.');
    expect(await unknownReason('join(",", ["a", var.u])', roots)).toBe('known after apply');
  });

  it('join passes a lone reference through and needs the content otherwise', async () => {
    expect(await ok('join(",", [aws_vpc.main.id])', roots)).toBe(vpcId);
    expect(await unknownReason('join(",", [aws_vpc.main.id, "x"])', roots)).toBe(REF_REASON);
  });
});

describe('replace and regular expressions', () => {
  it('replaces substrings, including the empty one as Go does', async () => {
    expect(await ok('replace("1 + 2 + 3", "+", "-")')).toBe('1 - 2 - 3');
    expect(await ok('replace("abc", "", "-")')).toBe('-a-b-c-');
  });

  it('replaces with a /regex/ and Go-style $ expansions', async () => {
    expect(await ok('replace("hello world", "/w.*d/", "everybody")')).toBe('hello everybody');
    expect(await ok('replace("abc", "/(b)/", "[$1]")')).toBe('a[b]c');
    expect(await ok('replace("abc", "/(b)/", "$1x|$${1}x|$$")')).toBe('a|bx|$c');
    expect(await ok('replace("a-b", "/(?P<l>\\\\w)-(?P<r>\\\\w)/", "$r-$l")')).toBe('b-a');
    expect(await ok('replace("aaa", "/a*/", "-")')).toBe('-');
    expect(await ok('replace("abc", "/x*/", "-")')).toBe('-a-b-c-');
  });

  it('regex returns the match, a list of groups or an object of named groups', async () => {
    expect(await ok('regex("[a-z]+", "53453453.345345aaabbbccc23454")')).toBe('aaabbbccc');
    expect(await ok(String.raw`regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`)).toEqual(['2019', '02', '01']);
    expect(await ok('regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")')).toEqual({
      authority: 'terraform.io',
      scheme: 'https',
    });
    expect(await ok('regex("(a)|(b)", "b")')).toEqual([null, 'b']);
    expect(await err('regex("[a-z]+", "53453453.34534523454")', 'tf-function-error')).toBe(
      'Call to function "regex" failed: pattern did not match any part of the given string.',
    );
    expect(await err('regex("(?P<a>x)(y)", "xy")', 'tf-function-error')).toBe(
      'Call to function "regex" failed: invalid regexp pattern: cannot mix both named and unnamed capture groups.',
    );
  });

  it('refuses an unclosed \\x{, \\p{ or named group instead of scanning the pattern for ever', async () => {
    expect(await err(String.raw`regex("a\\x{41", "a")`, 'tf-function-error')).toBe(
      'Call to function "regex" failed: invalid regexp pattern: invalid escape sequence: `\\x{41`.',
    );
    expect(await err(String.raw`regex("\\p{Greek", "a")`, 'tf-function-error')).toBe(
      'Call to function "regex" failed: invalid regexp pattern: invalid character class range: `\\p{Greek`.',
    );
    expect(await err('regex("(?P<name", "a")', 'tf-function-error')).toBe(
      'Call to function "regex" failed: invalid regexp pattern: invalid named capture: `(?P<name`.',
    );
    expect(await err('regex("(?<name", "a")', 'tf-function-error')).toBe(
      'Call to function "regex" failed: invalid regexp pattern: invalid named capture: `(?<name`.',
    );
  });

  it('regexall returns every match', async () => {
    expect(await ok('regexall("[a-z]+", "1234abcd5678efgh9")')).toEqual(['abcd', 'efgh']);
    expect(await ok('length(regexall("[a-z]+", "123456789")) > 0')).toBe(false);
    expect(await ok(String.raw`regexall("(\\w+)=(\\d+)", "a=1 b=2")`)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('translates RE2 syntax', async () => {
    expect(await ok('regex("(?i)^VPC", "vpc-1")')).toBe('vpc');
    expect(await ok(String.raw`regex("\\Aab\\z", "ab")`)).toBe('ab');
    expect(await ok(String.raw`regex("[[:digit:]]+", "ab123")`)).toBe('123');
    expect(await ok(String.raw`regex("\\pL+", "12héllo")`)).toBe('héllo');
    expect(await ok(String.raw`regex("\\Q.*\\E", "a.*b")`)).toBe('.*');
    expect(await ok(String.raw`regex("a\\-b\\:c[\\-x]", "a-b:c-")`)).toBe('a-b:c-');
    expect(await ok('regex("a.c", "a\\nc abc")')).toBe('abc');
    expect(await ok('regex("(?s)a.c", "a\\nc")')).toBe('a\nc');
    expect(await ok('regex("x{", "ax{")')).toBe('x{');
  });

  it('reports invalid patterns and leaves unsupported ones Unknown', async () => {
    expect(await err('regex("(", "x")', 'tf-function-error')).toContain('invalid regexp pattern');
    expect(await unknownReason('regex("a(?i)b", "ab")')).toBe('inline flag groups other than a leading one are not evaluated');
  });

  it('stops a pattern that backtracks without end: Unknown, with a tf-regex-timeout note at the line', async () => {
    for (const call of [
      `regex("^(a+)+$", "${'a'.repeat(40)}!")`,
      `regexall("(a+)+$", "${'a'.repeat(40)}!")`,
      `replace("${'a'.repeat(40)}!", "/(a+)+$/", "x")`,
    ]) {
      const r = await run(`\${${call}}`);
      expect(isUnknown(r.value), call).toBe(true);
      expect(r.diagnostics, call).toEqual([expect.objectContaining({ severity: 'note', code: 'tf-regex-timeout', file: 'main.tf', line: 7 })]);
      expect(r.diagnostics[0]!.message).toContain('took longer than');
    }
  });
});

describe('format', () => {
  it('matches the documented examples', async () => {
    expect(await ok('format("Hello, %s!", "Ander")')).toBe('Hello, Ander!');
    expect(await ok('format("There are %d lights", 4)')).toBe('There are 4 lights');
    expect(
      await ok('[format("%#v", "hello"), format("%#v", true), format("%#v", 1), format("%#v", {a = 1}), format("%#v", [true]), format("%#v", null)]'),
    ).toEqual(['"hello"', 'true', '1', '{"a":1}', '[true]', 'null']);
  });

  it('formats integers as Go does', async () => {
    expect(await ok('format("%d|%+d|% d|%5d|%-5d|%05d|%.3d", 42, 42, 42, 42, 42, -42, 7)')).toBe('42|+42| 42|   42|42   |-0042|007');
    expect(await ok('format("%b|%o|%x|%X|%#x|%#o", 5, 8, 255, 255, 255, 8)')).toBe('101|10|ff|FF|0xff|010');
    expect(await ok('format("%d", "12")')).toBe('12');
    expect(await err('format("%d", 1.5)', 'tf-function-error')).toBe(
      'Call to function "format" failed: unsupported value for "%d" at 0: an integer is required.',
    );
  });

  it('formats floats as Go does', async () => {
    expect(await ok('format("%f|%.2f|%8.3f|%-8.1f|%08.3f|%+.1f", 3.14159, 3.14159, 3.14159, 3.14159, -3.14159, 2)')).toBe(
      '3.141590|3.14|   3.142|3.1     |-003.142|+2.0',
    );
    expect(await ok('format("%e|%E|%.2e", 1234.5678, 1234.5678, 0.000123)')).toBe('1.234568e+03|1.234568E+03|1.23e-04');
    expect(await ok('format("%g|%g|%.3g|%g|%G", 1234.5678, 0.00001234, 1234.5678, 100000, 1e-7)')).toBe('1234.5678|1.234e-05|1.23e+03|100000|1E-07');
    expect(await ok('format("%v|%v|%v|%v", 15, 1.5, 1000000, -2)')).toBe('15|1.5|1e+06|-2');
  });

  it('formats strings, bools and argument indexes', async () => {
    expect(await ok('format("%s|%5s|%-5s|%.2s|%q|%t|%v", "ab", "ab", "ab", "héllo", "a<b\\"", true, "x")')).toBe('ab|   ab|ab   |hé|"a\\u003cb\\""|true|x');
    expect(await ok('format("%[2]s %[1]s %s", "a", "b")')).toBe('b a b');
    expect(await ok('format("100%%")')).toBe('100%');
    expect(await ok('format("%s", 5)')).toBe('5');
  });

  it('reports bad specifications and arguments', async () => {
    expect(await err('format("%s %s", "a")', 'tf-function-error')).toBe(
      'Call to function "format" failed: not enough arguments for "%s" at 3: need index 2 but have 1 total.',
    );
    expect(await err('format("%z", 1)', 'tf-function-error')).toBe('Call to function "format" failed: unsupported format verb "z" in "%z" at offset 0.');
    expect(await err('format("%s", null)', 'tf-function-error')).toBe(
      'Call to function "format" failed: unsupported value for "%s" at 0: null value cannot be formatted.',
    );
    expect(await err('format("%s", [1])', 'tf-function-error')).toBe(
      'Call to function "format" failed: unsupported value for "%s" at 0: a string is required.',
    );
    expect(await err('format("abc %")', 'tf-function-error')).toBe('Call to function "format" failed: invalid format string starting at offset 4.');
  });

  it('is Unknown for Unknown arguments; a lone %s passes a reference through', async () => {
    expect(await unknownReason('format("%s-%s", "a", var.u)', roots)).toBe('known after apply');
    expect(await unknownReason('format("%v", [var.u])', roots)).toBe('known after apply');
    expect(await ok('format("%s", aws_vpc.main.id)', roots)).toBe(vpcId);
    expect(await unknownReason('format("%s-rt", aws_vpc.main.id)', roots)).toBe(REF_REASON);
  });
});

describe('formatlist', () => {
  it('matches the documented examples', async () => {
    expect(await ok('formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])')).toEqual([
      'Hello, Valentina!',
      'Hello, Ander!',
      'Hello, Olivia!',
      'Hello, Sam!',
    ]);
    expect(await ok('formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])')).toEqual(['Salutations, Valentina!', 'Salutations, Ander!']);
  });

  it('handles no lists, mismatched lengths and Unknown elements', async () => {
    expect(await ok('formatlist("%s", "x")')).toEqual(['x']);
    expect(await ok('formatlist("%s", [])')).toEqual([]);
    expect(await err('formatlist("%s%s", ["a"], ["b", "c"])', 'tf-function-error')).toBe(
      'Call to function "formatlist" failed: argument 2 has length 2, which is inconsistent with argument 1 of length 1.',
    );
    const r = await run('${formatlist("%s!", ["a", var.u, aws_vpc.main.id])}', roots);
    const v = r.value as Value[];
    expect(v[0]).toBe('a!');
    expect(isUnknown(v[1]) && isUnknown(v[2])).toBe(true);
    expect(await ok('formatlist("%s", [aws_vpc.main.id])', roots)).toEqual([vpcId]);
  });
});
