import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, readJson } from '../../src/source/json.js';
import { entriesOf, memberOf, toJson } from '../../src/source/json-tree.js';

const fail = (text: string, maxNesting = 100) => {
  try {
    readJson(text, { maxNesting });
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { message: e.message, position: e.position, tooDeep: e.tooDeep };
    throw e;
  }
  throw new Error('no error');
};

describe('readJson', () => {
  it('keeps spans with columns in code points and duplicate keys in order', () => {
    const root = readJson('{"a": "😀", "b": 1,\n "a": [true, null]}', { maxNesting: 100 });
    expect(memberOf(root, 'b')!.span).toEqual({ start: { line: 1, column: 17 }, end: { line: 1, column: 18 } });
    expect(entriesOf(root).map((e) => [e.key, e.keySpan.start])).toEqual([
      ['b', { line: 1, column: 12 }],
      ['a', { line: 2, column: 2 }],
    ]);
    expect(toJson(root)).toEqual({ a: [true, null], b: 1 });
  });

  it('ends hostile input in a positioned error, never a stack overflow', () => {
    expect(fail('['.repeat(100_000))).toEqual({ message: 'Nesting is deeper than 100 levels.', position: { line: 1, column: 102 }, tooDeep: true });
    expect(fail('[[1]]', 1)).toMatchObject({ tooDeep: true });
    expect(fail('{"a": 1,}')).toEqual({ message: 'Expected a property name in double quotes.', position: { line: 1, column: 9 }, tooDeep: false });
    expect(fail('"\\ud800')).toMatchObject({ message: 'Unterminated string.' });
    expect(fail('1'.repeat(1000))).toMatchObject({ message: 'Unexpected content after the JSON value.' });
    expect(readJson('1e999', { maxNesting: 1 })).toMatchObject({ kind: 'number', value: Infinity });
  });
});
