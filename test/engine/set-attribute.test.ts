import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/engine/fix-edits/apply.js';
import { setHclAttribute, setTemplateProperty } from '../../src/engine/fix-edits/set-attribute.js';
import { SourceTexts } from '../../src/engine/fix-edits/text.js';
import type { SourceRef } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** The text after setting `name` to `value` on the resource whose header starts with `header`, or undefined when refused. */
function set(file: string, text: string, header: string, address: string, name: string, value = 'true'): string | undefined {
  const texts = new SourceTexts(tmpTree({ [file]: text }));
  const before = text.slice(0, text.indexOf(header)).split('\n');
  const start = { line: before.length, column: [...before.at(-1)!].length + 1 };
  const ref: SourceRef = { file, span: { start, end: { line: start.line, column: start.column + header.length } }, address };
  const edit = file.endsWith('.tf') ? setHclAttribute(texts, ref, name, value) : setTemplateProperty(texts, ref, name, value);
  return edit ? applyEdits(text, [edit]) : undefined;
}

describe('setting a Terraform attribute', () => {
  const VPC = 'resource "aws_vpc" "main" {\n  cidr_block         = "10.0.0.0/16"\n  enable_dns_support = true\n\n  tags = { Name = "x" }\n}\n';

  it('adds an absent attribute at the end of the block, as a group of its own', () => {
    expect(set('main.tf', VPC, 'resource "aws_vpc"', 'aws_vpc.main', 'enable_dns_hostnames')).toBe(
      'resource "aws_vpc" "main" {\n  cidr_block         = "10.0.0.0/16"\n  enable_dns_support = true\n\n  tags = { Name = "x" }\n\n  enable_dns_hostnames = true\n}\n',
    );
  });

  it('replaces a literal, and leaves a block that already says so alone', () => {
    const text = VPC.replace('enable_dns_support = true', 'enable_dns_support = false');
    expect(set('main.tf', text, 'resource "aws_vpc"', 'aws_vpc.main', 'enable_dns_support')).toBe(VPC);
    expect(set('main.tf', VPC, 'resource "aws_vpc"', 'aws_vpc.main', 'enable_dns_support')).toBeUndefined();
  });

  it('adds to an empty block, and leaves expressions and count instances alone', () => {
    expect(set('main.tf', 'resource "aws_vpc" "main" {\n}\n', 'resource', 'aws_vpc.main', 'enable_dns_hostnames')).toBe(
      'resource "aws_vpc" "main" {\n  enable_dns_hostnames = true\n}\n',
    );
    const variable = VPC.replace('enable_dns_support = true', 'enable_dns_support = var.dns');
    expect(set('main.tf', variable, 'resource "aws_vpc"', 'aws_vpc.main', 'enable_dns_support')).toBeUndefined();
    expect(set('main.tf', VPC, 'resource "aws_vpc"', 'aws_vpc.main[0]', 'enable_dns_hostnames')).toBeUndefined();
  });
});

describe('setting a CloudFormation property', () => {
  const YAML =
    'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n      Tags:\n        - Key: Name\n          Value: x\n  Other:\n    Type: AWS::SNS::Topic\n';

  it('adds a YAML property after the last one, at its indentation', () => {
    expect(set('template.yaml', YAML, 'Vpc:', 'Vpc', 'EnableDnsHostnames')).toBe(YAML.replace('Value: x\n', 'Value: x\n      EnableDnsHostnames: true\n'));
  });

  it('replaces a YAML scalar, and refuses an intrinsic', () => {
    const off = YAML.replace('CidrBlock: 10.0.0.0/16\n', 'CidrBlock: 10.0.0.0/16\n      EnableDnsHostnames: false\n');
    expect(set('template.yaml', off, 'Vpc:', 'Vpc', 'EnableDnsHostnames')).toBe(off.replace('EnableDnsHostnames: false', 'EnableDnsHostnames: true'));
    const intrinsic = off.replace('EnableDnsHostnames: false', 'EnableDnsHostnames: !Ref Hostnames');
    expect(set('template.yaml', intrinsic, 'Vpc:', 'Vpc', 'EnableDnsHostnames')).toBeUndefined();
  });

  it('adds a JSON member after the last one, with the file’s indentation', () => {
    const json =
      '{\n  "Resources": {\n    "Vpc": {\n      "Type": "AWS::EC2::VPC",\n      "Properties": {\n        "CidrBlock": "10.0.0.0/16"\n      }\n    }\n  }\n}\n';
    const fixed = set('template.json', json, '"Vpc"', 'Vpc', 'EnableDnsHostnames');
    expect(fixed).toBe(json.replace('"CidrBlock": "10.0.0.0/16"', '"CidrBlock": "10.0.0.0/16",\n        "EnableDnsHostnames": true'));
    expect(() => JSON.parse(fixed!)).not.toThrow();
  });
});
