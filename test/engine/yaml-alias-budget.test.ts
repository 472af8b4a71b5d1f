import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_ALIASES, MAX_CONFIG_VALUE_CHARS } from '../../src/engine/config.js';
import { MAX_ALIAS_COUNT } from '../../src/parsers/cloudformation/text.js';
import { yamlAliasesOverLimit } from '../../src/source/yaml-aliases.js';
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
});
