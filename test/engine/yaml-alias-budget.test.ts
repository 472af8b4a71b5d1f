import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_ALIASES, MAX_CONFIG_NODES, MAX_CONFIG_VALUE_CHARS } from '../../src/engine/config.js';
import { MAX_ALIAS_COUNT, MAX_YAML_NODES } from '../../src/parsers/cloudformation/text.js';
import { yamlDecode } from '../../src/parsers/terraform/expr/functions/json.js';
import { yamlAliasesOverLimit, yamlNodesOverLimit } from '../../src/source/yaml-aliases.js';
import { goodFindingKept, scanCase } from '../helpers/scan-case.js';

const TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      L: &a x\n';

describe('YAML aliases and config values count toward a budget', () => {
  it('counts aliases on the text, not asterisks in strings', () => {
    expect(yamlAliasesOverLimit('a: &a x\nb: [*a, *a, *a]\n', 2)).toBe(20);
    expect(yamlAliasesOverLimit('a: &a x\nb: [*a, *a]\n', 2)).toBeUndefined();
    expect(yamlAliasesOverLimit(`a: "${' *b'.repeat(10)}"\nc: s3:*\n`, 2)).toBeUndefined();
  });

  it('a template of a million aliases in 3 MB: refused before parsing, at the line of the alias past the limit', () => {
    const r = scanCase({ 'bad/t.yaml': `${TEMPLATE_HEAD}      M: [${'*a,'.repeat(1_000_000)}*a]\n` });
    expect(r.code).toBe(0);
    expect(r.report!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'cfn-alias-limit',
        file: 'bad/t.yaml',
        line: 7,
        message: `More than ${MAX_ALIAS_COUNT} YAML aliases; the template was not parsed.`,
      }),
    );
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('a config whose vars expand aliases exponentially: that entry is left out with a diagnostic at its line', () => {
    const level = (name: string, of: string) => `  ${name}: &${name} [${Array(10).fill(`*${of}`).join(', ')}]\n`;
    const config = `vars:\n  a: &a ["0123456789", "0123456789"]\n${level('b', 'a')}${level('c', 'b')}${level('d', 'c')}${level('e', 'd')}${level('f', 'e')}${level('g', 'f')}`;
    const r = scanCase({ '.iac-vpce.yml': config });
    expect(r.code).toBe(0);
    const over = r.report!.diagnostics.filter((d) => d.code === 'config-invalid' && /limit for a config value/.test(d.message));
    expect(over.length).toBeGreaterThan(0);
    for (const d of over) expect(d).toMatchObject({ file: '.iac-vpce.yml', line: expect.any(Number) });
    expect(over[0]!.line).toBeGreaterThan(2);
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('a config value over the length limit is left out with a diagnostic at its line', () => {
    const r = scanCase({ '.iac-vpce.yml': `vars:\n  small: "1"\n  big: "${'x'.repeat(MAX_CONFIG_VALUE_CHARS + 1)}"\n` });
    expect(r.report!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'config-invalid',
        file: '.iac-vpce.yml',
        line: 3,
        message: expect.stringContaining(`longer than ${MAX_CONFIG_VALUE_CHARS} characters`),
      }),
    );
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('a config with more aliases than the limit is not read, with a diagnostic at the line past the limit', () => {
    const lines = Array.from({ length: MAX_CONFIG_ALIASES + 10 }, (_, i) => `  v${i}: *a\n`).join('');
    const r = scanCase({ '.iac-vpce.yml': `anchor: &a x\nvars:\n${lines}` });
    expect(r.code).toBe(0);
    expect(r.report!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'config-invalid',
        file: '.iac-vpce.yml',
        line: MAX_CONFIG_ALIASES + 3,
        message: expect.stringContaining(`more than ${MAX_CONFIG_ALIASES} YAML aliases`),
      }),
    );
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('counts nodes on the lexer tokens: scalars, aliases, anchors, brackets and block entries, not punctuation', () => {
    const text = 'a: &x 1\nb: [*x, "q", \'r\', {c: d}]\nl:\n  - ? k\n    : v\n';
    // a, &x, 1, b, [, *x, "q", 'r', {, c, d, l, -, ?, k, v
    expect(yamlNodesOverLimit(text, 15)).toBe(text.indexOf('v\n'));
    expect(yamlNodesOverLimit(text, 16)).toBeUndefined();
    expect(yamlNodesOverLimit(text, 5)).toBe(text.indexOf('*x'));
    expect(yamlNodesOverLimit('k: "a, b, c, d, e, f, g, h"\n', 3)).toBeUndefined();
  });

  it('a template of a million anchored scalars: refused before parsing, at the line of the node past the limit', () => {
    const r = scanCase({ 'bad/t.yaml': `${TEMPLATE_HEAD}      M: [${'&a x,'.repeat(1_000_000)}&a x]\n` });
    expect(r.code).toBe(0);
    expect(r.report!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'cfn-node-limit',
        file: 'bad/t.yaml',
        line: 7,
        message: `More than ${MAX_YAML_NODES} YAML nodes; the template was not parsed.`,
      }),
    );
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('a config with more nodes than the limit is not read, with a diagnostic at the line past the limit', () => {
    const lines = Array.from({ length: MAX_CONFIG_NODES / 2 + 10 }, (_, i) => `  v${i}: x\n`).join('');
    const r = scanCase({ '.iac-vpce.yml': `vars:\n${lines}` });
    expect(r.code).toBe(0);
    expect(r.report!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'config-invalid',
        file: '.iac-vpce.yml',
        // vars counts one, each line two: the node past the limit is the value on line MAX_CONFIG_NODES / 2 + 1.
        line: MAX_CONFIG_NODES / 2 + 1,
        message: expect.stringContaining(`more than ${MAX_CONFIG_NODES} YAML nodes`),
      }),
    );
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('yamldecode refuses an argument with more nodes than its limit, before parsing', () => {
    expect(yamlDecode(`[${'x,'.repeat(1000)}x]`)).toHaveLength(1001);
    expect(() => yamlDecode(`[${'x,'.repeat(200_000)}x]`)).toThrow(/more than 100000 nodes/);
  });
});
