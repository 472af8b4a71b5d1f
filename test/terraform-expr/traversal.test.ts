import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/source/types.js';
import { childScope, evaluate, parseRawValue, references, type Expr } from '../../src/parsers/terraform/expr/index.js';
import { isUnknown, unknown, type Value, type ValueObject } from '../../src/source/value.js';
import { err, ok, run, scopeOf, unknownReason, value, vpcId } from './helpers.js';

const roots = {
  var: {
    azs: ['eu-west-1a', 'eu-west-1b'],
    settings: { cidr: '10.0.0.0/16', tags: { Name: 'main' } },
    subnets: [
      { id: 's-1', cidr: '10.0.1.0/24', tags: { tier: 'app' } },
      { id: 's-2', cidr: '10.0.2.0/24', tags: { tier: 'db' } },
    ],
    nothing: null,
    pending: unknown('waiting for apply'),
  } as ValueObject,
  local: { name: 'app' },
  aws_vpc: { main: { id: vpcId, cidr_block: '10.0.0.0/16' } },
};

describe('traversal', () => {
  it('reads attributes, indexes, string keys and legacy numeric attributes', async () => {
    expect(await ok('var.settings.cidr', roots)).toBe('10.0.0.0/16');
    expect(await ok('var.azs[1]', roots)).toBe('eu-west-1b');
    expect(await ok('var.settings["tags"]["Name"]', roots)).toBe('main');
    expect(await ok('var.subnets.0.id', roots)).toBe('s-1');
    expect(await ok('var.azs["1"]', roots)).toBe('eu-west-1b');
    expect(await ok('var.subnets[0 + 1].tags.tier', roots)).toBe('db');
  });

  it('reports a missing attribute, key or index as an invalid reference', async () => {
    expect(await err('var.settings.nope', 'tf-invalid-reference', roots)).toBe('Unsupported attribute: var.settings does not have an attribute named "nope".');
    expect(await err('var.azs[2]', 'tf-invalid-reference', roots)).toBe('Invalid index: var.azs[2] does not exist; var.azs has 2 elements.');
    expect(await err('var.settings.tags["Env"]', 'tf-invalid-reference', roots)).toBe('Invalid index: var.settings.tags has no element with the key "Env".');
    expect(await err('var.azs[-1]', 'tf-invalid-reference', roots)).toBe('Invalid index: var.azs[-1] does not exist; var.azs has 2 elements.');
    expect(await err('var.azs[0.5]', 'tf-invalid-reference', roots)).toBe('Invalid index: var.azs is a list and needs a whole-number index, got 0.5.');
  });

  it('refuses attributes on lists, strings and null, and indexes on null', async () => {
    expect(await err('var.subnets.id', 'tf-invalid-reference', roots)).toBe(
      'Unsupported attribute: var.subnets is a list; use an index (var.subnets[0].id) or a splat (var.subnets[*].id) to reach "id".',
    );
    expect(await err('local.name.length', 'tf-invalid-reference', roots)).toBe('Unsupported attribute: local.name is a string and has no attribute "length".');
    expect(await err('var.nothing.x', 'tf-invalid-reference', roots)).toBe('Attempt to get attribute "x" from null value: var.nothing is null.');
    expect(await err('var.nothing[0]', 'tf-invalid-reference', roots)).toBe('Attempt to index null value: var.nothing is null.');
  });

  it('does not treat inherited JavaScript properties as attributes', async () => {
    await err('var.settings.constructor', 'tf-invalid-reference', roots);
    await err('var.settings["toString"]', 'tf-invalid-reference', roots);
  });

  it('reports names nothing declares as unresolved references', async () => {
    expect(await err('nosuch.thing', 'tf-unresolved-reference', roots)).toBe(
      'Reference to undeclared name "nosuch": nothing with that name is declared or in scope here.',
    );
    expect(await err('var.region', 'tf-unresolved-reference', roots)).toBe('Reference to undeclared input variable "region".');
    expect(await err('local.other', 'tf-unresolved-reference', roots)).toBe('Reference to undeclared local value "other".');
    expect(await err('aws_vpc.other.id', 'tf-unresolved-reference', roots)).toBe('Reference to undeclared resource "aws_vpc.other".');
    expect(await err('data.aws_region.x.name', 'tf-unresolved-reference', { data: { aws_region: {} } })).toBe(
      'Reference to undeclared data source "data.aws_region.x".',
    );
    expect(await err('data.aws_vpc.x.id', 'tf-unresolved-reference', { data: {} })).toBe('Reference to undeclared data source type "aws_vpc".');
  });

  it('propagates Unknown through attributes and indexes without a diagnostic', async () => {
    expect(await unknownReason('var.pending.a.b[3]', roots)).toBe('waiting for apply');
    expect(await unknownReason('var.azs[var.pending]', roots)).toBe('waiting for apply');
    expect(await unknownReason('var.settings[var.pending]', roots)).toBe('waiting for apply');
  });

  it('reads lazy getters one attribute at a time, never enumerating the object', async () => {
    const computed: string[] = [];
    const lazy: ValueObject = {};
    for (const k of ['a', 'b', 'c']) {
      Object.defineProperty(lazy, k, {
        enumerable: true,
        get() {
          computed.push(k);
          return `${k}-value`;
        },
      });
    }
    expect(await ok('local.b', { local: lazy })).toBe('b-value');
    expect(computed).toEqual(['b']);
  });

  it('reads objects that are proxies', async () => {
    const view = new Proxy({} as ValueObject, {
      get: (_t, p) => (typeof p === 'string' ? `computed ${p}` : undefined),
      has: () => true,
      ownKeys: () => ['name'],
      getOwnPropertyDescriptor: (_t, p) => ({ enumerable: p === 'name', configurable: true, writable: false, value: `computed ${String(p)}` }),
    });
    expect(await ok('aws_subnet.x.arn', { aws_subnet: { x: view } })).toBe('computed arn');
    // A proxy that only answers `get` (as provider maps do: `aws.west`) is read the same way.
    const marker = new Proxy({} as ValueObject, { get: (_t, p) => (typeof p === 'string' ? `aws.${p}` : undefined) });
    expect(await ok('aws.west', { aws: marker })).toBe('aws.west');
  });
});

describe('splat', () => {
  it('maps each element of a list', async () => {
    expect(await ok('var.subnets[*].id', roots)).toEqual(['s-1', 's-2']);
    expect(await ok('var.subnets.*.cidr', roots)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(await ok('var.subnets[*].tags.tier', roots)).toEqual(['app', 'db']);
    expect(await ok('var.azs[*]', roots)).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('applies a trailing index per element for [*] and to the result for the legacy .*', async () => {
    const nested = { var: { l: [{ n: ['a', 'b'] }, { n: ['c', 'd'] }] } };
    expect(await ok('var.l[*].n[0]', nested)).toEqual(['a', 'c']);
    expect(await ok('var.l.*.n[0]', nested)).toEqual(['a', 'b']);
    expect(await ok('var.l[*].n[*]', nested)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('wraps a single value in a list and turns null into an empty list', async () => {
    expect(await ok('var.settings[*].cidr', roots)).toEqual(['10.0.0.0/16']);
    expect(await ok('var.nothing[*].id', roots)).toEqual([]);
  });

  it('keeps Unknown sources and elements Unknown', async () => {
    expect(await unknownReason('var.pending[*].id', roots)).toBe('waiting for apply');
    const r = await run('${var.l[*].id}', { var: { l: [{ id: 'a' }, unknown('later')] } });
    expect((r.value as Value[])[0]).toBe('a');
    expect(isUnknown((r.value as Value[])[1])).toBe(true);
  });

  it('carries reference strings through', async () => {
    expect(await ok('aws_vpc[*].main.id', { aws_vpc: [{ main: { id: vpcId } }] })).toEqual([vpcId]);
  });
});

describe('references', () => {
  it('lists root traversals once, in order, with static steps', async () => {
    const { expr } = await parseRawValue('${cidrsubnet(var.cidr, 8, count.index)}-${aws_subnet.private[0].id}-${var.cidr}-${local.x[*].y}', 'f');
    expect(references(expr)).toEqual([
      ['var', 'cidr'],
      ['count', 'index'],
      ['aws_subnet', 'private', '0', 'id'],
      ['local', 'x'],
    ]);
  });

  it('leaves out iterator names of for expressions but keeps outer names', async () => {
    const { expr } = await parseRawValue('${{ for k, s in var.subnets : k => [for t in s.tags : "${t}-${each.key}"] if s.public }}', 'f');
    expect(references(expr)).toEqual([
      ['var', 'subnets'],
      ['each', 'key'],
    ]);
  });

  it('includes a bare name (as in variable types and iterator arguments)', async () => {
    expect(references((await parseRawValue('${string}', 'f')).expr)).toEqual([['string']]);
    expect(references((await parseRawValue('${list(object({ a = string }))}', 'f')).expr)).toEqual([['string']]);
  });

  it('leaves out iterator names of template for directives', async () => {
    const { expr } = await parseRawValue('%{ for k, v in var.m }${k}=${v}${local.sep}%{ endfor }', 'f');
    expect(references(expr)).toEqual([
      ['var', 'm'],
      ['local', 'sep'],
    ]);
  });

  it('walks objects, conditionals, indexes and template directives', async () => {
    const { expr } = await parseRawValue({ '${var.k}': '%{ if var.c }${var.a[var.i]}%{ endif }', b: ['${!var.d ? -var.e : 1}'] }, 'f');
    expect(references(expr)).toEqual([
      ['var', 'k'],
      ['var', 'c'],
      ['var', 'a'],
      ['var', 'i'],
      ['var', 'd'],
      ['var', 'e'],
    ]);
  });
});

describe('scopes and diagnostics', () => {
  it('childScope shadows names and falls back to the parent', async () => {
    const { expr } = await parseRawValue('${each.key}:${each.value}:${var.x}', 'f');
    const parent = scopeOf({ var: { x: 'p' }, each: { key: 'outer', value: 'o' } });
    const child = childScope(parent, { each: { key: 'k', value: 'v' } });
    expect(evaluate(expr, child, { file: 'f', report: () => {} })).toBe('k:v:p');
  });

  it('reports each diagnostic once per sink, however often the expression is evaluated', async () => {
    const { expr } = await parseRawValue('${var.missing}-${var.missing}', 'f');
    const seen: Diagnostic[] = [];
    const report = (d: Diagnostic) => seen.push(d);
    const scope = scopeOf({ var: {} });
    evaluate(expr, scope, { file: 'f', line: 2, report });
    evaluate(expr, scope, { file: 'f', line: 2, report });
    expect(seen).toEqual([
      { severity: 'error', code: 'tf-unresolved-reference', file: 'f', line: 2, message: 'Reference to undeclared input variable "missing".' },
    ]);
    evaluate(expr, scope, { file: 'f', line: 3, report });
    expect(seen).toHaveLength(2);
  });

  it('never throws, even when a scope does', async () => {
    const { expr } = await parseRawValue('${boom.x}', 'f');
    const seen: Diagnostic[] = [];
    const v = evaluate(
      expr,
      {
        lookup: () => {
          throw new Error('scope failure');
        },
      },
      { file: 'f', report: (d) => seen.push(d) },
    );
    expect(isUnknown(v)).toBe(true);
    expect(seen.map((d) => d.code)).toEqual(['tf-unsupported-expression']);
  });

  it('evaluates to the same value as a plain literal for a literal string', async () => {
    expect(await value('"x"')).toBe('x');
  });

  it('stops at hostile nesting with a diagnostic', () => {
    let expr: Expr = { k: 'lit', v: 1 };
    for (let i = 0; i < 600; i++) expr = { k: 'unary', op: '-', operand: expr };
    const seen: Diagnostic[] = [];
    const v = evaluate(expr, scopeOf({}), { file: 'f', report: (d) => seen.push(d) });
    expect(isUnknown(v)).toBe(true);
    expect(seen.map((d) => [d.code, d.message])).toEqual([['tf-unsupported-expression', 'Expression is nested too deeply to evaluate.']]);
  });
});
