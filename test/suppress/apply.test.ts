import { describe, expect, it } from 'vitest';
import { addressGlobToRegExp, matchesAddressGlob, matchesPathGlob, pathGlobToRegExp } from '../../src/engine/glob.js';
import { applySuppressions } from '../../src/engine/suppress.js';
import { isIsoDate, type ConfigIgnore, type SuppressionDirective } from '../../src/source/suppression.js';
import type { Finding } from '../../src/source/findings.js';

const finding = (ruleId: string, file: string, line: number, address = 'aws_route_table.private'): Finding => ({
  ruleId,
  level: 'warning',
  messageId: 'm',
  message: `${ruleId} at ${file}:${line}`,
  location: { file, address, span: { start: { line, column: 1 }, end: { line, column: 20 } } },
  related: [],
  fingerprint: `${ruleId}|${file}|${address}`,
});

const block = (from: number, to: number): SuppressionDirective['scope'] => ({
  kind: 'span',
  span: { start: { line: from, column: 1 }, end: { line: to, column: 2 } },
});
const directive = (over: Partial<SuppressionDirective>): SuppressionDirective => ({
  source: 'terraform',
  rules: ['VPCE101'],
  reason: 'r',
  file: 'main.tf',
  line: 9,
  scope: block(10, 20),
  ...over,
});
const ignore = (over: Partial<ConfigIgnore>): ConfigIgnore => ({ source: 'config', rule: 'VPCE101', reason: 'r', file: '.iac-vpce.yml', line: 2, ...over });
const KNOWN = ['VPCE101', 'VPCE102', 'VPCE103', 'VPCE104'];
const opts = { today: '2026-06-01', knownRules: KNOWN };

describe('applySuppressions', () => {
  it('suppresses a finding whose primary line is in the directive block, and nothing outside it', () => {
    const inside = finding('VPCE101', 'main.tf', 10);
    const after = finding('VPCE101', 'main.tf', 21, 'aws_route_table.other');
    const otherFile = finding('VPCE101', 'other.tf', 12);
    const otherRule = finding('VPCE102', 'main.tf', 12);
    const d = directive({});
    const r = applySuppressions([inside, after, otherFile, otherRule], [d], opts);
    expect(r.kept).toEqual([after, otherFile, otherRule]);
    expect(r.suppressed).toEqual([{ finding: inside, directive: d }]);
    expect(r.diagnostics).toEqual([]);
  });

  it('suppresses everywhere in the file with a file scope', () => {
    const f = [finding('VPCE101', 'main.tf', 3), finding('VPCE101', 'main.tf', 300, 'aws_route_table.x'), finding('VPCE101', 'b.tf', 3)];
    const r = applySuppressions(f, [directive({ scope: { kind: 'file' } })], opts);
    expect(r.kept).toEqual([f[2]]);
    expect(r.suppressed).toHaveLength(2);
  });

  it('stops suppressing after the expiry date, with a warning naming the rule and the date', () => {
    const f = finding('VPCE101', 'main.tf', 10);
    const d = directive({ expires: '2026-05-31' });
    expect(applySuppressions([f], [d], { ...opts, today: '2026-05-31' }).kept).toEqual([]);
    const r = applySuppressions([f], [d], opts);
    expect(r.kept).toEqual([f]);
    expect(r.diagnostics).toEqual([
      { severity: 'warning', code: 'suppression-expired', file: 'main.tf', line: 9, message: expect.stringMatching(/VPCE101 expired on 2026-05-31/) },
    ]);
  });

  it('suppresses without a reason but leaves a note', () => {
    const f = finding('VPCE101', 'main.tf', 10);
    const r = applySuppressions([f], [directive({ reason: undefined })], opts);
    expect(r.kept).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'note', code: 'suppression-without-reason', file: 'main.tf', line: 9 })]);
  });

  it('warns about unknown rule ids and keeps the known ones working', () => {
    const f = finding('VPCE101', 'main.tf', 10);
    const r = applySuppressions([f], [directive({ rules: ['VPCE101', 'VPCE999'] })], opts);
    expect(r.kept).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'suppression-unknown-rule', line: 9, message: expect.stringContaining('VPCE999') }),
    ]);
  });

  it('notes a suppression that suppresses nothing, per rule, only for rules that ran', () => {
    const f = finding('VPCE101', 'main.tf', 10);
    const r = applySuppressions([f], [directive({ rules: ['VPCE101', 'VPCE103'] }), directive({ rules: ['VPCE102'], line: 30, scope: block(31, 35) })], opts);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'note',
        code: 'suppression-unused',
        line: 9,
        message: expect.stringMatching(/^VPCE103 in the suppression of VPCE101, VPCE103 suppresses nothing/),
      }),
      expect.objectContaining({
        severity: 'note',
        code: 'suppression-unused',
        line: 30,
        message: expect.stringMatching(/^The suppression of VPCE102 suppresses nothing/),
      }),
    ]);
    const skipped = applySuppressions([f], [directive({ rules: ['VPCE102'] })], { ...opts, activeRules: ['VPCE101'] });
    expect(skipped.diagnostics).toEqual([]);
  });

  it('counts every suppression that covers a finding as used, and credits the block directive', () => {
    const f = finding('VPCE101', 'main.tf', 10);
    const fileWide = directive({ line: 1, scope: { kind: 'file' } });
    const local = directive({});
    const cfg = ignore({});
    const r = applySuppressions([f], [fileWide, local], { ...opts, configIgnores: [cfg] });
    expect(r.suppressed).toEqual([{ finding: f, directive: local }]);
    expect(r.diagnostics).toEqual([]);
  });

  it('applies config ignores by rule, path glob and resource glob', () => {
    const a = finding('VPCE101', 'network/legacy/main.tf', 5, 'aws_route_table.app["us-east-1a"]');
    const b = finding('VPCE101', 'network/core/main.tf', 5, 'aws_route_table.app["us-east-1a"]');
    const c = finding('VPCE102', 'network/legacy/main.tf', 5, 'module.vpc.aws_route_table.private');
    const run = (i: ConfigIgnore) => applySuppressions([a, b, c], [], { ...opts, configIgnores: [i] });
    expect(run(ignore({})).kept).toEqual([c]);
    expect(run(ignore({ path: 'network/legacy/**' })).kept).toEqual([b, c]);
    expect(run(ignore({ path: 'network/legacy' })).kept).toEqual([b, c]);
    expect(run(ignore({ path: '**/core/*.tf' })).kept).toEqual([a, c]);
    expect(run(ignore({ resource: 'aws_route_table.app' })).kept).toEqual([c]);
    expect(run(ignore({ resource: 'aws_route_table.app["us-east-1b"]' })).kept).toEqual([a, b, c]);
    expect(run(ignore({ rule: 'VPCE102', resource: 'module.vpc.*' })).kept).toEqual([a, b]);
    const expired = run(ignore({ expires: '2026-01-01' }));
    expect(expired.kept).toEqual([a, b, c]);
    expect(expired.diagnostics).toEqual([expect.objectContaining({ code: 'suppression-expired', file: '.iac-vpce.yml', line: 2 })]);
    expect(run(ignore({ path: 'nowhere/**' })).diagnostics).toEqual([expect.objectContaining({ code: 'suppression-unused', file: '.iac-vpce.yml', line: 2 })]);
  });
});

describe('globs', () => {
  it('matches repo-relative paths with **, * and ?', () => {
    expect(matchesPathGlob('main.tf', '*.tf')).toBe(true);
    expect(matchesPathGlob('a/main.tf', '*.tf')).toBe(false);
    expect(matchesPathGlob('a/main.tf', '**/*.tf')).toBe(true);
    expect(matchesPathGlob('main.tf', '**/*.tf')).toBe(true);
    expect(matchesPathGlob('a/b/c/main.tf', 'a/**/main.tf')).toBe(true);
    expect(matchesPathGlob('a/main.tf', 'a/**/main.tf')).toBe(true);
    expect(matchesPathGlob('ab/main.tf', 'a/**')).toBe(false);
    expect(matchesPathGlob('a/x/main.tf', 'a/**')).toBe(true);
    expect(matchesPathGlob('env1/main.tf', 'env?/main.tf')).toBe(true);
    expect(matchesPathGlob('env/1/main.tf', 'env?1/main.tf')).toBe(false);
    expect(matchesPathGlob('a/b/main.tf', './a/')).toBe(true);
    expect(matchesPathGlob('a.b/main.tf', 'a.b')).toBe(true);
    expect(matchesPathGlob('axb/main.tf', 'a.b')).toBe(false);
    expect(pathGlobToRegExp('x/[a]+(b)').test('x/[a]+(b)')).toBe(true);
  });

  it('matches addresses with * across dots and brackets, and covers every instance of an address without keys', () => {
    expect(matchesAddressGlob('module.n.aws_subnet.t["a.b"]', 'module.n.*')).toBe(true);
    expect(matchesAddressGlob('aws_subnet.t["a"]', 'aws_subnet.t')).toBe(true);
    expect(matchesAddressGlob('aws_subnet.t[0]', 'aws_subnet.t')).toBe(true);
    expect(matchesAddressGlob('module.m[1].aws_subnet.t[0]', 'module.m.aws_subnet.t')).toBe(true);
    expect(matchesAddressGlob('aws_subnet.t["a"]', 'aws_subnet.t["b"]')).toBe(false);
    expect(matchesAddressGlob('aws_subnet.tier', 'aws_subnet.t')).toBe(false);
    expect(matchesAddressGlob('aws_subnet.t1', 'aws_subnet.t?')).toBe(true);
    expect(addressGlobToRegExp('a.b').test('axb')).toBe(false);
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-1-01')).toBe(false);
    expect(isIsoDate('2027-01-01T00:00')).toBe(false);
  });
});
