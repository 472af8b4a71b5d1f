import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/text.js';
import { ODD_FILE, ROOT, ref, scanResult, shuffledScanResult, SOURCES } from './scan-result.js';

const readFile = (rel: string) => SOURCES[rel];
const plain = (result = scanResult()) => formatText(result, { color: false, readFile });
const lines = (text: string) => text.split('\n');

describe('text report', () => {
  it('has no escape characters at all without colour', () => {
    expect(plain()).not.toContain('\u001b');
  });

  it('colours only when asked', () => {
    expect(formatText(scanResult(), { color: true, readFile })).toContain('\u001b[');
  });

  it('groups findings under sorted file headers, by line', () => {
    const out = lines(plain());
    const headers = out.filter((l) => l !== '' && !l.startsWith(' '));
    expect(headers).toEqual(['app/lambda.tf', 'main.tf', ODD_FILE, 'diagnostics', '2 errors, 1 warning, 1 note in 3 files (5 files scanned)']);
    const mainStart = out.indexOf('main.tf');
    expect(out[mainStart + 1]).toBe(
      '  7:3   error    VPCE104  Gateway endpoints aws_vpc_endpoint.s3_a and aws_vpc_endpoint.s3_b are both associated with route table aws_route_table.private.',
    );
    expect(out.find((l) => l.includes('VPCE101'))).toMatch(/^ {2}10:1 {2}warning {2}VPCE101 {2}S3 traffic from subnets/);
    expect(out.indexOf(out.find((l) => l.includes('VPCE101'))!)).toBeGreaterThan(mainStart + 1);
  });

  it('shows the resource address and a code frame with a caret under the span', () => {
    const out = lines(plain());
    const at = out.indexOf('    aws_vpc_endpoint.s3_b');
    expect(out.slice(at + 1, at + 5)).toEqual([
      '      6 |   vpc_id          = aws_vpc.main.id',
      '    > 7 |   route_table_ids = [aws_route_table.private.id]',
      `        |   ${'^'.repeat(47)}`,
      '      8 | }',
    ]);
  });

  it('keeps tabs in the caret line so the caret stays under the span', () => {
    const result = { ...scanResult(), findings: [{ ...scanResult().findings[3]!, location: ref('app/lambda.tf', 2, 2, 14, 'aws_vpc_endpoint.sqs') }] };
    const out = lines(plain(result));
    const at = out.findIndex((l) => l.startsWith('    > 2 |'));
    expect(out[at]).toBe('    > 2 | \tservice_name = "com.amazonaws.eu-west-1.sqs"');
    expect(out[at + 1]).toBe(`        | \t${'^'.repeat(12)}`);
  });

  it('goes without a code frame when the file cannot be read', () => {
    expect(formatText(scanResult(), { color: false })).not.toContain(' | ');
    const throwing = formatText(scanResult(), {
      color: false,
      readFile: () => {
        throw new Error('gone');
      },
    });
    expect(throwing).toContain('VPCE101');
  });

  it('prints the routing path, related locations and the fix snippet, indented', () => {
    const text = plain();
    expect(text).toContain(
      [
        '    path:',
        '        subnet aws_subnet.app uses route table aws_route_table.private  app/lambda.tf:1',
        '      → route table aws_route_table.private  main.tf:10',
        '      → route 0.0.0.0/0  main.tf:13',
        '      → NAT gateway aws_nat_gateway.main  main.tf:14',
        '    related:',
        '      main.tf:12  default route to the NAT gateway',
        '      app/lambda.tf:1  subnet aws_subnet.app uses route table aws_route_table.private',
        '    fix: Add an S3 gateway endpoint on aws_route_table.private.',
        '        resource "aws_vpc_endpoint" "s3" {',
        '          vpc_id            = aws_vpc.main.id',
      ].join('\n'),
    );
  });

  it('lists diagnostics with file, line, code and message, and no machine path', () => {
    const text = plain();
    expect(text).toMatch(/^ {2}broken\.tf:2:7 +error +tf-parse-error {2}Unclosed configuration block\.$/m);
    expect(text).toMatch(/^ {2}main\.tf:11 +warning +tf-unknown-function {2}/m);
    expect(text).toMatch(/^ {2}variables\.tf +note +tf-remote-state {2}/m);
    expect(text).toMatch(/^ {2}env\/prod\.tfvars +warning/m);
    expect(text).not.toContain(ROOT);
  });

  it('counts findings in the summary line', () => {
    expect(plain().trimEnd().split('\n').at(-1)).toBe('2 errors, 1 warning, 1 note in 3 files (5 files scanned)');
    const none = formatText({ ...scanResult(), findings: [], diagnostics: [] }, { color: false });
    expect(none).toBe('0 errors, 0 warnings, 0 notes in 0 files (5 files scanned)\n');
  });

  it('does not let escape sequences from scanned files reach the terminal', () => {
    const hostile = scanResult();
    hostile.findings[0] = {
      ...hostile.findings[0]!,
      message: 'route \u001b]0;pwned\u0007 table',
      location: { ...hostile.findings[0]!.location, address: 'aws_route_table.\u001b[2Jx' },
    };
    const text = formatText(hostile, { color: false, readFile: () => 'resource "x" "y" {\n  a = "\u001b[31m"\n}' });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });

  it('does not depend on input order', () => {
    expect(plain(shuffledScanResult())).toBe(plain());
  });
});
