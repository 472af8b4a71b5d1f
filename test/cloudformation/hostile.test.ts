import { describe, expect, it } from 'vitest';
import { isCloudFormationTemplate, loadCloudFormation, MAX_NESTING, MAX_TEMPLATE_BYTES } from '../../src/parsers/cloudformation/index.js';
import { codes, fixture } from './helpers.js';

/** Loads hostile text: must not throw, must not take long, must say what happened. */
function load(name: string, text: string | Uint8Array) {
  const started = Date.now();
  const t = loadCloudFormation(name, text);
  expect(Date.now() - started).toBeLessThan(10_000);
  if (typeof text === 'string') expect(() => isCloudFormationTemplate(text, name)).not.toThrow();
  expect(codes(t)).not.toContain('cfn-internal-error');
  return t;
}

const billionLaughs = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
  'Resources:',
  '  X:',
  '    Type: AWS::EC2::VPC',
  '    Properties:',
  '      Tags: *i',
].join('\n');

describe('hostile input ends in diagnostics', () => {
  it('an alias bomb', () => {
    const t = load('bomb.yaml', billionLaughs);
    expect(codes(t)).toEqual(['cfn-alias-limit']);
    expect(t.resources).toEqual([]);
  });

  it('an alias inside its own anchor', () => {
    const t = load('cycle.yaml', 'Resources: &r\n  X:\n    Type: AWS::EC2::VPC\n    Properties: *r\n');
    expect(t.diagnostics).toMatchObject([{ code: 'cfn-alias-cycle', line: 4 }]);
  });

  it('an alias with no anchor', () => {
    const t = load('noanchor.yaml', 'Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties: *nothing\n');
    expect(codes(t)).toContain('cfn-syntax-error');
  });

  it.each([
    ['flow sequences', 'Resources: ' + '['.repeat(500_000) + ']'.repeat(500_000)],
    ['compact block sequences', 'Resources:\n  - ' + '- '.repeat(500_000) + 'x'],
    ['JSON objects', '{"Resources":' + '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000) + '}'],
    ['just over the limit', 'Resources: ' + '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1)],
    ['block mappings', 'Resources:\n' + Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n') + ' x\n'],
  ])('deep nesting: %s', (_name, text) => {
    const t = load('deep.yaml', text);
    expect(t.diagnostics).toMatchObject([{ code: 'cfn-nesting-too-deep', severity: 'warning', line: expect.any(Number) }]);
  });

  it('nesting at the limit is read', () => {
    const t = load(
      'deep-ok.yaml',
      `Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties:\n      A: ${'['.repeat(MAX_NESTING - 4)}1${']'.repeat(MAX_NESTING - 4)}\n`,
    );
    expect(t.diagnostics).toEqual([]);
    expect(t.resources.length).toBe(1);
  });

  it('a file over the size limit, as text and as bytes', () => {
    const big = 'Resources:\n' + '#'.repeat(MAX_TEMPLATE_BYTES);
    expect(codes(load('big.yaml', big))).toEqual(['cfn-file-too-large']);
    expect(codes(load('big.yaml', new TextEncoder().encode(big)))).toEqual(['cfn-file-too-large']);
  });

  it('binary content and invalid UTF-8', () => {
    expect(codes(load('bin.yaml', 'Resources:\n\u0000\u0001'))).toEqual(['cfn-binary-file']);
    expect(codes(load('bin.json', new Uint8Array([0x7b, 0x00, 0x7d])))).toEqual(['cfn-binary-file']);
    expect(codes(load('latin1.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0xe9, 0x0a])))).toEqual(['cfn-invalid-utf8']);
    expect(codes(load('surrogate.yaml', 'a: \ud800\n'))).toEqual(['cfn-invalid-utf8']);
    expect(codes(load('replaced.yaml', 'a: \ufffd\n'))).toEqual(['cfn-invalid-utf8']);
  });

  it('a YAML syntax error, with its line and column', () => {
    const t = load(
      'broken.yaml',
      'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16\n  Subnet:\n    Type: AWS::EC2::Subnet\n',
    );
    expect(t.resources).toEqual([]);
    expect(t.diagnostics.length).toBeGreaterThan(0);
    expect(t.diagnostics[0]).toMatchObject({ code: 'cfn-syntax-error', severity: 'error', file: 'broken.yaml', line: 5, column: 3 });
  });

  it('a JSON syntax error, with its line and column', () => {
    const t = load('broken.json', '{\n  "Resources": {\n    "Vpc": { "Type": "AWS::EC2::VPC" }\n    "Subnet": { "Type": "AWS::EC2::Subnet" }\n  }\n}\n');
    expect(t.resources).toEqual([]);
    expect(t.diagnostics[0]).toMatchObject({ code: 'cfn-syntax-error', line: 4, column: 5 });
  });

  it('tab indentation in YAML', () => {
    const t = load('tabs.yaml', 'Resources:\n\tVpc:\n\t\tType: AWS::EC2::VPC\n');
    expect(codes(t)[0]).toBe('cfn-syntax-error');
    expect(t.diagnostics[0]?.line).toBe(2);
  });

  it('JSON indented with tabs is fine', () => {
    const t = load('tabs.json', '{\n\t"Resources": {\n\t\t"Vpc": {\n\t\t\t"Type": "AWS::EC2::VPC"\n\t\t}\n\t}\n}\n');
    expect(t.diagnostics).toEqual([]);
    expect(t.resources[0]?.headerSpan.start).toEqual({ line: 3, column: 3 });
  });

  it('documents that are not templates', () => {
    expect(codes(load('empty.yaml', ''))).toEqual([]);
    expect(codes(load('scalar.yaml', 'just text'))).toEqual(['cfn-not-a-template']);
    expect(codes(load('list.json', '[1, 2]'))).toEqual(['cfn-not-a-template']);
    expect(codes(load('two.yaml', 'Resources:\n  X:\n    Type: AWS::EC2::VPC\n---\nkind: Pod\n'))).toEqual(['cfn-multiple-documents']);
    expect(codes(load('sections.yaml', 'Resources: [1]\nParameters: x\n'))).toEqual(['cfn-invalid-section', 'cfn-invalid-section', 'cfn-no-resources']);
    expect(
      codes(
        load(
          'resources.yaml',
          'Resources:\n  A: 1\n  B: { Type: [x] }\n  C: { Type: AWS::EC2::VPC, Properties: [1], Metadata: 2, DependsOn: { a: 1 }, Condition: [x] }\n',
        ),
      ),
    ).toEqual([
      'cfn-invalid-resource',
      'cfn-invalid-resource',
      'cfn-invalid-condition',
      'cfn-invalid-properties',
      'cfn-invalid-metadata',
      'cfn-invalid-resource',
    ]);
  });

  it('a complex mapping key', () => {
    const t = load('complex.yaml', 'Resources:\n  ? [a, b]\n  : 1\n  X:\n    Type: AWS::EC2::VPC\n');
    expect(codes(t)).toEqual(['cfn-complex-key']);
    expect(t.resources.length).toBe(1);
  });
});

describe('mangled templates never throw', () => {
  // Deterministic pseudo-random numbers, so a failure reproduces.
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it.each(['network.yaml', 'network.json'])('%s cut at every length and with bytes changed', (name) => {
    const text = fixture(name);
    for (let cut = 0; cut < text.length; cut += 7) load(name, text.slice(0, cut));
    const alphabet = '{}[]:,-!&*|>"\'#\n \t?%@`abc0';
    for (let i = 0; i < 300; i++) {
      const chars = [...text];
      for (let k = 0; k < 3; k++) chars[Math.floor(random() * chars.length)] = alphabet[Math.floor(random() * alphabet.length)]!;
      load(name, chars.join(''));
    }
  });
});
