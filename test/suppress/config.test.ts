import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, parseConfig, scanRootOf } from '../../src/engine/config.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const parse = (text: string, dir = '/nowhere') => parseConfig(text, { reportAs: '.iac-vpce.yml', dir });

describe('parseConfig', () => {
  it('reads every setting', () => {
    const dir = tmpTree({ 'env/prod.tfvars': 'x = 1\n' });
    const r = parse(
      [
        'fail-on: warning',
        'format: sarif',
        'region: eu-west-1',
        'rules: [VPCE101, s3-traffic-via-nat]',
        'skip-rules:',
        '  - vpce104',
        'var-files:',
        '  - env/prod.tfvars',
        'vars:',
        '  env: prod',
        '  count: 3',
        '  azs: [a, b]',
        'params:',
        '  Env: prod',
        '  Subnets: [subnet-1, subnet-2]',
        'inline-suppressions: false',
        'ignore:',
        '  - rule: vpce101',
        '    path: network/legacy/**',
        '    resource: aws_route_table.private',
        '    reason: legacy VPC',
        '    expires: 2027-01-31',
        '',
      ].join('\n'),
      dir,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.fatal).toBeUndefined();
    expect(r.config).toEqual({
      failOn: 'warning',
      format: 'sarif',
      region: 'eu-west-1',
      rules: ['VPCE101', 'S3-TRAFFIC-VIA-NAT'],
      skipRules: ['VPCE104'],
      varFiles: [path.join(dir, 'env/prod.tfvars')],
      vars: { env: 'prod', count: '3', azs: '["a","b"]' },
      params: { Env: 'prod', Subnets: 'subnet-1,subnet-2' },
      inlineSuppressions: false,
      ignore: [
        {
          source: 'config',
          rule: 'VPCE101',
          path: 'network/legacy/**',
          resource: 'aws_route_table.private',
          reason: 'legacy VPC',
          expires: '2027-01-31',
          file: '.iac-vpce.yml',
          line: 18,
        },
      ],
    });
  });

  it('reports unknown keys and wrong types with their line, and keeps the rest', () => {
    const r = parse(
      [
        'fail-on: sometimes', // 1
        'formatt: json', // 2
        'region: 42', // 3
        'rules: {a: 1}', // 4
        'inline-suppressions: "no"', // 5
        'vars: [a]', // 6
        'skip-rules: [VPCE999]', // 7
        'var-files: missing.tfvars', // 8
        'format: json', // 9
        'ignore:', // 10
        '  - rule: VPCE101', // 11
        '    path: a/**', // 12
        '  - rule: VPCE102', // 13
        '    reason: fine', // 14
        '    expires: soon', // 15
        '  - rule: VPCE103', // 16
        '    reason: ok', // 17
        '    owner: me', // 18
        '  - just a string', // 19
        '',
      ].join('\n'),
    );
    expect(r.fatal).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['config-invalid', 1],
      ['config-invalid', 2],
      ['config-invalid', 3],
      ['config-invalid', 4],
      ['config-invalid', 5],
      ['config-invalid', 6],
      ['config-invalid', 7],
      ['config-invalid', 8],
      ['config-invalid', 11],
      ['config-invalid', 13],
      ['config-invalid', 18],
      ['config-invalid', 19],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'warning' && d.file === '.iac-vpce.yml')).toBe(true);
    expect(r.diagnostics[1]!.message).toContain('"formatt"');
    expect(r.diagnostics[8]!.message).toContain('needs a "reason"');
    expect(r.config.format).toBe('json');
    expect(r.config.failOn).toBeUndefined();
    expect(r.config.skipRules).toEqual(['VPCE999']);
    expect(r.config.varFiles).toEqual([]);
    // Only the valid entry (its unknown key aside) is kept.
    expect(r.config.ignore.map((i) => i.rule)).toEqual(['VPCE103']);
  });

  it('treats an empty file as no settings, and non-YAML or a non-mapping as fatal', () => {
    expect(parse('')).toEqual({ config: { ignore: [] }, diagnostics: [] });
    expect(parse('# only a comment\n')).toEqual({ config: { ignore: [] }, diagnostics: [] });
    expect(parse('a: [1\nb: 2\n').fatal).toBeDefined();
    expect(parse('fail-on: error\nfail-on: note\n').fatal?.message).toMatch(/unique/);
    expect(parse('- a\n- b\n').fatal).toEqual({ message: expect.stringContaining('mapping'), line: 1 });
  });

  it('gives every YAML syntax error the line it is on; an unclosed [ or { the line where it opens', () => {
    expect(parse('fail-on: warning\nregion: [\n  us-east-1\nrules: {{\n').fatal?.line).toBe(2);
    expect(parse('format: json\nignore: {\n  - rule: VPCE101\n').fatal?.line).toBe(2);
    expect(parse('fail-on: error\nfail-on: note\n').fatal?.line).toBe(2);
    expect(parse('format: json\nregion: "us-east-1\n').fatal?.line).toBe(2);
    expect(parse('format: json\n\nregion: a: b\n').fatal?.line).toBe(3);
  });
});

describe('finding and loading the config file', () => {
  it('looks in the scan root, then the working directory', () => {
    const dir = tmpTree({ 'root/main.tf': '', 'root/.iac-vpce.yml': 'format: json\n', 'other/main.tf': '', '.iac-vpce.yml': 'format: sarif\n' });
    expect(findConfig(path.join(dir, 'root'), dir)).toBe(path.join(dir, 'root', '.iac-vpce.yml'));
    expect(findConfig(path.join(dir, 'other'), dir)).toBe(path.join(dir, '.iac-vpce.yml'));
    expect(findConfig(path.join(dir, 'other'), path.join(dir, 'other'))).toBeUndefined();
  });

  it('computes the scan root as discovery does', () => {
    const dir = tmpTree({ 'a/x/main.tf': '', 'a/y/main.tf': '' });
    expect(scanRootOf([path.join(dir, 'a/x')], dir)).toBe(path.join(dir, 'a/x'));
    expect(scanRootOf([path.join(dir, 'a/x/main.tf')], dir)).toBe(path.join(dir, 'a/x'));
    expect(scanRootOf([path.join(dir, 'a/x'), path.join(dir, 'a/y/main.tf')], dir)).toBe(path.join(dir, 'a'));
  });

  it('makes an explicit file that is missing or malformed an error, and a found one a diagnostic', () => {
    const dir = tmpTree({ '.iac-vpce.yml': 'ignore: [\n', 'good.yml': 'format: json\n' });
    expect(loadConfig({ explicit: path.join(dir, 'nope.yml'), scanRoot: dir, cwd: dir }).error).toBe('--config nope.yml: no such file');
    expect(loadConfig({ explicit: path.join(dir, '.iac-vpce.yml'), scanRoot: dir, cwd: dir }).error).toMatch(
      /^--config \.iac-vpce\.yml:1: not a valid config file/,
    );
    const found = loadConfig({ scanRoot: dir, cwd: dir });
    expect(found.error).toBeUndefined();
    expect(found.config).toEqual({ ignore: [] });
    expect(found.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'config-invalid', file: '.iac-vpce.yml', line: 1 })]);
    expect(loadConfig({ explicit: path.join(dir, 'good.yml'), scanRoot: dir, cwd: dir }).config.format).toBe('json');
    mkdirSync(path.join(dir, 'sub', '.iac-vpce.yml'), { recursive: true });
    expect(loadConfig({ scanRoot: path.join(dir, 'sub'), cwd: dir }).diagnostics).toEqual([
      expect.objectContaining({ code: 'config-invalid', message: expect.stringContaining('directory') }),
    ]);
  });
});
