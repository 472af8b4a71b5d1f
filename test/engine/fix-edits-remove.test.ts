import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/engine/fix-edits/apply.js';
import { removeFromTemplateList } from '../../src/engine/fix-edits/cloudformation.js';
import { removeFromHclList } from '../../src/engine/fix-edits/terraform.js';
import { SourceTexts } from '../../src/engine/fix-edits/text.js';
import type { SourceRef } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** The text after removing `item` from the list written between `from` and the end marker, or undefined when refused. */
function removed(file: string, text: string, from: string, to: string, address: string, item: string): string | undefined {
  const pos = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: [...before.at(-1)!].length + 1 };
  };
  const start = text.indexOf(from);
  const end = text.indexOf(to, start) + to.length;
  const ref: SourceRef = { file, span: { start: pos(start), end: pos(end) }, address };
  const texts = new SourceTexts(tmpTree({ [file]: text }));
  const edit = file.endsWith('.tf') ? removeFromHclList(texts, ref, item) : removeFromTemplateList(texts, ref, item);
  return edit ? applyEdits(text, [edit]) : undefined;
}

describe('removing an element from a Terraform list literal', () => {
  const list = (value: string, item = 'aws_subnet.b.id') =>
    removed(
      'main.tf',
      `resource "aws_vpc_endpoint" "sqs" {\n  subnet_ids = ${value}\n}\n`,
      'subnet_ids',
      value.split('\n').at(-1)!,
      'aws_vpc_endpoint.sqs',
      item,
    );

  it('takes the element and one comma from a one-line list, wherever it is', () => {
    expect(list('[aws_subnet.a.id, aws_subnet.b.id]')).toContain('subnet_ids = [aws_subnet.a.id]\n');
    expect(list('[aws_subnet.b.id, aws_subnet.a.id]')).toContain('subnet_ids = [aws_subnet.a.id]\n');
    expect(list('[aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]')).toContain('subnet_ids = [aws_subnet.a.id, aws_subnet.c.id]\n');
  });

  it('matches for_each and count addresses as written', () => {
    expect(list('[aws_subnet.private["a"].id, aws_subnet.private["b"].id]', 'aws_subnet.private["b"].id')).toContain(
      'subnet_ids = [aws_subnet.private["a"].id]\n',
    );
    expect(list('[aws_subnet.private[0].id, aws_subnet.private[1].id]', 'aws_subnet.private[1].id')).toContain('subnet_ids = [aws_subnet.private[0].id]\n');
  });

  it('removes the line of an element written on its own line, with the comment at its end', () => {
    expect(list('[\n    aws_subnet.a.id, # app\n    aws_subnet.b.id, # cache\n    aws_subnet.c.id,\n  ]')).toContain(
      'subnet_ids = [\n    aws_subnet.a.id, # app\n    aws_subnet.c.id,\n  ]\n',
    );
    expect(list('[\n    aws_subnet.a.id,\n    aws_subnet.b.id\n  ]')).toContain('subnet_ids = [\n    aws_subnet.a.id,\n  ]\n');
  });

  it('leaves anything but a literal list naming the element once alone', () => {
    expect(list('var.subnet_ids')).toBeUndefined();
    expect(list('concat([aws_subnet.a.id], [aws_subnet.b.id])')).toBeUndefined();
    expect(list('[for s in aws_subnet.all : s.id]')).toBeUndefined();
    expect(list('[aws_subnet.a.id, aws_subnet.c.id]')).toBeUndefined();
    expect(list('[aws_subnet.b.id, aws_subnet.b.id]')).toBeUndefined();
    expect(list('[aws_subnet.a.id, # app\n    aws_subnet.b.id]')).toBeUndefined();
  });
});

describe('removing an item from a template sequence', () => {
  const yaml = (items: string) =>
    `Resources:\n  Endpoint:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      VpcId: !Ref Vpc\n      SubnetIds:${items}\n      VpcEndpointType: Interface\n`;

  it('drops the item’s line from a block sequence', () => {
    const text = yaml('\n        - !Ref SubnetA\n        - !Ref SubnetB # cache\n        - Ref: SubnetC');
    expect(removed('template.yaml', text, 'SubnetIds:', 'Ref: SubnetC', 'Endpoint', '!Ref SubnetB')).toBe(
      yaml('\n        - !Ref SubnetA\n        - Ref: SubnetC'),
    );
    expect(removed('template.yaml', text, 'SubnetIds:', 'Ref: SubnetC', 'Endpoint', '!Ref SubnetC')).toBe(
      yaml('\n        - !Ref SubnetA\n        - !Ref SubnetB # cache'),
    );
  });

  it('drops the item and one comma from a flow sequence and from JSON', () => {
    const text = yaml(' [!Ref SubnetA, !Ref SubnetB]');
    expect(removed('template.yaml', text, 'SubnetIds:', ']', 'Endpoint', '!Ref SubnetB')).toBe(yaml(' [!Ref SubnetA]'));
    expect(removed('template.yaml', text, 'SubnetIds:', ']', 'Endpoint', '!Ref SubnetA')).toBe(yaml(' [!Ref SubnetB]'));
    const json =
      '{\n  "Resources": {\n    "Endpoint": {\n      "Type": "AWS::EC2::VPCEndpoint",\n      "Properties": {\n        "SubnetIds": [\n          { "Ref": "SubnetA" },\n          { "Ref": "SubnetB" }\n        ]\n      }\n    }\n  }\n}\n';
    expect(removed('template.json', json, '"SubnetIds"', ']', 'Endpoint', '{ "Ref": "SubnetB" }')).toBe(json.replace(',\n          { "Ref": "SubnetB" }', ''));
  });

  it('leaves a sequence built by an intrinsic, or one without the item, alone', () => {
    expect(removed('template.yaml', yaml(" !Split [',', !ImportValue subnets]"), 'SubnetIds:', ']', 'Endpoint', '!Ref SubnetB')).toBeUndefined();
    expect(removed('template.yaml', yaml('\n        - !Ref SubnetA'), 'SubnetIds:', 'SubnetA', 'Endpoint', '!Ref SubnetB')).toBeUndefined();
  });
});
