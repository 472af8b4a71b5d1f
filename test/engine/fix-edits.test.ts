import { describe, expect, it } from 'vitest';
import { appendToTemplateList, insertAfterTemplateResource } from '../../src/engine/fix-edits/cloudformation.js';
import { applyEdits, planEdits } from '../../src/engine/fix-edits/apply.js';
import { appendToHclList, insertAfterHclBlock } from '../../src/engine/fix-edits/terraform.js';
import { SourceTexts } from '../../src/engine/fix-edits/text.js';
import type { Finding, TextEdit } from '../../src/source/findings.js';
import type { SourceRef } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** A file in a fresh root, and a reference to the text between two markers' positions (1-based, as parsers give them). */
function setup(file: string, text: string) {
  const texts = new SourceTexts(tmpTree({ [file]: text }));
  const at = (from: string, to: string, address: string): SourceRef => {
    const pos = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length, column: [...before.at(-1)!].length + 1 };
    };
    const start = text.indexOf(from);
    const end = text.indexOf(to, start) + to.length;
    return { file, span: { start: pos(start), end: pos(end) }, address };
  };
  const apply = (edit: TextEdit | undefined) => (edit ? applyEdits(text, [edit]) : undefined);
  return { texts, at, apply };
}

const ITEM = 'aws_route_table.b.id';

describe('adding an element to a Terraform list literal', () => {
  const list = (value: string) => {
    const text = `resource "aws_vpc_endpoint" "s3" {\n  route_table_ids = ${value}\n}\n`;
    const s = setup('main.tf', text);
    const ref = s.at('route_table_ids', value.split('\n').at(-1)!, 'aws_vpc_endpoint.s3');
    return s.apply(appendToHclList(s.texts, ref, ITEM));
  };

  it('keeps a one-line list on one line', () => {
    expect(list('[aws_route_table.a.id]')).toContain('route_table_ids = [aws_route_table.a.id, aws_route_table.b.id]\n');
    expect(list('[]')).toContain('route_table_ids = [aws_route_table.b.id]\n');
  });

  it('gives a list written one element per line one more line, keeping its trailing comma and its comments', () => {
    expect(list('[\n    aws_route_table.a.id, # app\n  ]')).toContain('[\n    aws_route_table.a.id, # app\n    aws_route_table.b.id,\n  ]');
    expect(list('[\n    aws_route_table.a.id # app\n  ]')).toContain('[\n    aws_route_table.a.id, # app\n    aws_route_table.b.id\n  ]');
  });

  it('leaves anything but a literal list alone: variables, for expressions, function calls, a list that already names the table', () => {
    expect(list('var.route_table_ids')).toBeUndefined();
    expect(list('[for t in aws_route_table.all : t.id]')).toBeUndefined();
    expect(list('concat([aws_route_table.a.id], var.more)')).toBeUndefined();
    expect(list('[aws_route_table.a.id, aws_route_table.b.id]')).toBeUndefined();
  });
});

describe('adding a Terraform block after another', () => {
  const TEXT = 'resource "aws_route_table" "a" {\n  vpc_id = aws_vpc.main.id\n} # app\nresource "aws_subnet" "x" {\n}\n';
  const BLOCK = 'resource "aws_vpc_endpoint" "s3" {\n  vpc_id = aws_vpc.main.id\n}';

  it('inserts after the closing brace’s line with a blank line on each side', () => {
    const s = setup('main.tf', TEXT);
    const edit = insertAfterHclBlock(s.texts, s.at('resource "aws_route_table"', '{', 'aws_route_table.a'), BLOCK, 'aws_vpc_endpoint.s3');
    expect(s.apply(edit)).toBe(`resource "aws_route_table" "a" {\n  vpc_id = aws_vpc.main.id\n} # app\n\n${BLOCK}\n\nresource "aws_subnet" "x" {\n}\n`);
  });

  it('does not add a resource whose name another file of the module already uses', () => {
    const root = tmpTree({ 'main.tf': TEXT, 'endpoints.tf': 'resource "aws_vpc_endpoint" "s3" {\n  count = 0\n}\n' });
    const s = setup('main.tf', TEXT);
    const ref = s.at('resource "aws_route_table"', '{', 'aws_route_table.a');
    expect(insertAfterHclBlock(new SourceTexts(root), ref, BLOCK, 'aws_vpc_endpoint.s3')).toBeUndefined();
  });
});

describe('adding an item to a CloudFormation RouteTableIds list', () => {
  const yaml = (list: string) =>
    `Resources:\n  Endpoint:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      RouteTableIds:${list}\n  Other:\n    Type: AWS::SNS::Topic\n`;

  const append = (text: string, item: string, file = 'template.yaml') => {
    const s = setup(file, text);
    const end = text.slice(text.indexOf('RouteTableIds')).split('\n  Other')[0]!.trimEnd();
    return s.apply(appendToTemplateList(s.texts, s.at('RouteTableIds', end.slice(-8), 'Endpoint'), item));
  };

  it('adds a `- !Ref` line to a block sequence at its items’ indentation', () => {
    expect(append(yaml('\n        - !Ref A'), '!Ref B')).toBe(yaml('\n        - !Ref A\n        - !Ref B'));
  });

  it('adds an element to a flow sequence', () => {
    expect(append(yaml(' [!Ref A]'), '!Ref B')).toBe(yaml(' [!Ref A, !Ref B]'));
    expect(append(yaml(' []'), '!Ref B')).toBe(yaml(' [!Ref B]'));
  });

  it('leaves a list built by an intrinsic, or one that already refers to the table, alone', () => {
    expect(append(yaml(' !Split [",", !Ref Ids]'), '!Ref B')).toBeUndefined();
    expect(append(yaml('\n        - !Ref B'), '!Ref B')).toBeUndefined();
  });

  it('writes a JSON item like the last one', () => {
    const json = (items: string) => `{"Resources": {"Endpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"RouteTableIds": [${items}]}}}}\n`;
    const s = setup('template.json', json('{"Ref": "A"}'));
    const edit = appendToTemplateList(s.texts, s.at('"RouteTableIds"', '}]', 'Endpoint'), '{ "Ref": "B" }');
    expect(s.apply(edit)).toBe(json('{"Ref": "A"}, {"Ref": "B"}'));
  });
});

describe('adding a CloudFormation resource after another', () => {
  it('re-indents the resource to the file’s step', () => {
    const text = 'Resources:\n    Table:\n        Type: AWS::EC2::RouteTable\n    Next:\n        Type: AWS::SNS::Topic\n';
    const s = setup('template.yaml', text);
    const edit = insertAfterTemplateResource(
      s.texts,
      s.at('Table', 'Table', 'Table'),
      'New:\n  Type: AWS::EC2::VPCEndpoint\n  Properties:\n    VpcEndpointType: Gateway',
      'New',
    );
    expect(s.apply(edit)).toBe(
      'Resources:\n    Table:\n        Type: AWS::EC2::RouteTable\n\n    New:\n        Type: AWS::EC2::VPCEndpoint\n        Properties:\n            VpcEndpointType: Gateway\n\n    Next:\n        Type: AWS::SNS::Topic\n',
    );
  });

  it('does not add a resource whose logical id is taken', () => {
    const text = 'Resources:\n  Table:\n    Type: AWS::EC2::RouteTable\n  New:\n    Type: AWS::SNS::Topic\n';
    const s = setup('template.yaml', text);
    expect(insertAfterTemplateResource(s.texts, s.at('Table', 'Table', 'Table'), 'New:\n  Type: AWS::EC2::VPCEndpoint', 'New')).toBeUndefined();
  });
});

describe('planning the edits of a run', () => {
  const at = (line: number, column: number) => ({ line, column });
  const edit = (line: number, column: number, endColumn: number, text: string): TextEdit => ({
    file: 'main.tf',
    range: { start: at(line, column), end: at(line, endColumn) },
    text,
  });
  const finding = (...edits: TextEdit[]) => ({ fix: { description: 'fix', edits } }) as unknown as Finding;

  it('makes an edit several findings ask for once, skips one that overlaps, and applies the rest bottom-up', () => {
    const [plan] = planEdits([finding(edit(1, 3, 3, 'X')), finding(edit(1, 3, 3, 'X')), finding(edit(1, 2, 4, 'Y')), finding(edit(2, 1, 1, 'Z'))]);
    expect(plan!.edits.map((e) => e.text)).toEqual(['Z', 'X']);
    expect(plan!.skipped.map((e) => e.text)).toEqual(['Y']);
    expect(applyEdits('abcd\nefgh\n', plan!.edits)).toBe('abXcd\nZefgh\n');
  });

  it('counts columns in code points, as the parsers do', () => {
    expect(applyEdits('# 😀 x\n', [edit(1, 5, 6, 'y')])).toBe('# 😀 y\n');
  });
});
