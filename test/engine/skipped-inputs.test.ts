import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalReason } from '../../src/source/internal-error.js';
import { goodFindingKept, scanCase } from '../helpers/scan-case.js';

const TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n';

describe('every skipped input says so, with a file', () => {
  it.each([
    ['UTF-16 LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEMPLATE, 'utf16le')])],
    ['UTF-16 LE without one', Buffer.from(TEMPLATE, 'utf16le')],
    ['UTF-16 BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEMPLATE, 'utf16le').swap16()])],
  ])(
    'a CloudFormation template in %s: a diagnostic naming the encoding, the good finding kept',
    (_, bytes) => {
      const r = scanCase(
        {},
        {
          prepare: (dir) => {
            mkdirSync(path.join(dir, 'bad'));
            writeFileSync(path.join(dir, 'bad/template.yaml'), bytes);
          },
        },
      );
      expect(r.report!.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'discover-skipped-file', file: 'bad/template.yaml', message: expect.stringContaining('UTF-16') }),
      );
      expect(goodFindingKept(r)).toBe(true);
    },
    60_000,
  );

  // An unreadable .yaml file is the hostile suite's yaml-unreadable case (test/hostile), which scans as an unprivileged
  // user so that it holds when the tests run as root.

  it('a reference cycle is reported at the declaration in its file, not on the directory', () => {
    const r = scanCase({ 'cycle/main.tf': 'locals {\n  a = local.b\n  b = local.a\n}\n\nresource "aws_vpc" "v" {\n  cidr_block = local.a\n}\n' });
    const cycles = r.report!.diagnostics.filter((d) => d.code === 'tf-reference-cycle');
    expect(cycles.length).toBeGreaterThan(0);
    for (const d of cycles) {
      expect(d.file).toBe('cycle/main.tf');
      expect([2, 3]).toContain(d.line);
    }
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('internal errors are said in words for a user, never the runtime message', () => {
    expect(internalReason(new RangeError('Maximum call stack size exceeded'))).toBe('the input nests or repeats too deeply to be processed');
    expect(internalReason(new TypeError("Cannot read properties of null (reading 'x')"))).not.toMatch(/TypeError|Cannot read properties/);
  });
});
