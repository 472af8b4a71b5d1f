import { describe, expect, it } from 'vitest';
import { format } from '../../src/report/index.js';
import { formatJson, type JsonReport } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { ODD_FILE, ROOT, scanResult, shuffledScanResult } from './scan-result.js';

const report = (): JsonReport => JSON.parse(formatJson(scanResult())) as JsonReport;

describe('JSON report', () => {
  it('has the documented top-level shape', () => {
    const r = report();
    expect(Object.keys(r)).toEqual(['version', 'root', 'findings', 'diagnostics', 'summary', 'undecided']);
    expect(r.version).toBe('0.1.0');
    expect(r.root).toBe('.');
    expect(r.summary).toEqual({ error: 2, warning: 1, note: 1 });
  });

  it('writes findings sorted, with locations, related locations, path and fix', () => {
    const r = report();
    expect(r.findings.map((f) => [f.location.file, f.ruleId])).toEqual([
      ['app/lambda.tf', 'VPCE301'],
      ['main.tf', 'VPCE104'],
      ['main.tf', 'VPCE101'],
      [ODD_FILE, 'VPCE401'],
    ]);
    const viaNat = r.findings[2]!;
    expect(viaNat).toMatchObject({
      level: 'warning',
      messageId: 'viaNat',
      location: { file: 'main.tf', address: 'aws_route_table.private', start: { line: 10, column: 1 }, end: { line: 10, column: 38 } },
      fingerprint: 'VPCE101:0f3a9c2e7b1d4a55',
      fix: scanResult().findings[0]!.fix,
    });
    expect(viaNat.related[1]).toEqual({
      file: 'app/lambda.tf',
      address: 'aws_subnet.app',
      start: { line: 1, column: 1 },
      end: { line: 1, column: 35 },
      message: 'subnet aws_subnet.app uses route table aws_route_table.private',
    });
    expect(viaNat.path!.map((s) => s.message)).toEqual([
      'subnet aws_subnet.app uses route table aws_route_table.private',
      'route table aws_route_table.private',
      'route 0.0.0.0/0',
      'NAT gateway aws_nat_gateway.main',
    ]);
    expect(r.findings[3]).not.toHaveProperty('path');
    expect(r.findings[3]).not.toHaveProperty('fix');
  });

  it('writes diagnostics with relative paths and optional line and column', () => {
    expect(report().diagnostics).toEqual([
      { severity: 'error', code: 'tf-parse-error', message: 'Unclosed configuration block.', file: 'broken.tf', line: 2, column: 7 },
      { severity: 'warning', code: 'tf-var-file', message: 'Var file could not be read.', file: 'env/prod.tfvars' },
      { severity: 'warning', code: 'tf-unknown-function', message: 'Function "templatefile" is not evaluated.', file: 'main.tf', line: 11 },
      { severity: 'note', code: 'tf-remote-state', message: 'Remote state outputs stay unknown.', file: 'variables.tf' },
    ]);
  });

  it('contains no absolute path and does not depend on input order', () => {
    const text = formatJson(scanResult());
    expect(text).not.toContain(ROOT);
    expect(text.endsWith('}\n')).toBe(true);
    expect(formatJson(shuffledScanResult())).toBe(text);
  });
});

describe('format', () => {
  it('dispatches to each reporter', () => {
    const r = scanResult();
    expect(format(r, 'sarif')).toBe(formatSarif(r));
    expect(format(r, 'json')).toBe(formatJson(r));
    expect(format(r, 'text')).toBe(formatText(r, { color: false }));
    expect(format(r, 'text', { color: true })).toContain('\u001b[');
  });
});
