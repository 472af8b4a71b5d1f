import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_SIZE_LIMITS, InputPolicy, refusalDiagnostic, type ReadOutcome } from '../../src/source/fs-policy.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const LIMIT = 10_000;
const onPosix = process.platform !== 'win32';

function refused(r: ReadOutcome): Extract<ReadOutcome, { ok: false }> {
  if (r.ok) throw new Error('expected a refusal');
  return r;
}

describe.skipIf(!onPosix)('InputPolicy', () => {
  const setup = async () => {
    const outside = tmpTree({ 'secret.tf': 'x = 1\n' });
    const root = tmpTree({ 'a.tf': 'a = 1\n', 'sub/b.tf': 'b = 2\n' });
    symlinkSync('sub/b.tf', path.join(root, 'inside-link.tf'));
    symlinkSync(path.join(outside, 'secret.tf'), path.join(root, 'outside-link.tf'));
    symlinkSync('/dev/zero', path.join(root, 'zero.tfvars'));
    execFileSync('mkfifo', [path.join(root, 'pipe.tfvars')]);
    return { root, outside, policy: await InputPolicy.create([root]) };
  };

  it('reads a regular file and a link to one inside the root, async and sync', { timeout: LIMIT }, async () => {
    const { root, policy } = await setup();
    const a = await policy.read(path.join(root, 'a.tf'), 100);
    expect(a.ok && a.bytes.toString()).toBe('a = 1\n');
    const link = policy.readSync(path.join(root, 'inside-link.tf'), 100);
    expect(link.ok && link.bytes.toString()).toBe('b = 2\n');
  });

  it('refuses a link out of the root, naming where it points', { timeout: LIMIT }, async () => {
    const { root, outside, policy } = await setup();
    const r = refused(await policy.read(path.join(root, 'outside-link.tf'), 100));
    expect(r.reason).toBe('outside-root');
    expect(r.real).toBe(path.join(outside, 'secret.tf'));
    const d = refusalDiagnostic(r, { file: 'outside-link.tf', line: 3, what: 'Terraform file' });
    expect(d).toMatchObject({ code: 'input-outside-root', file: 'outside-link.tf', line: 3 });
    expect(d.message).toContain(`--allow-outside-root ${path.join(outside, 'secret.tf')}`);
    // Allowed once the policy names the outside directory.
    const allowed = await InputPolicy.create([root, outside]);
    expect((await allowed.read(path.join(root, 'outside-link.tf'), 100)).ok).toBe(true);
  });

  it('never opens a FIFO or a device, and does not block on either', { timeout: LIMIT }, async () => {
    const { root, policy } = await setup();
    const pipe = refused(await policy.read(path.join(root, 'pipe.tfvars'), 100));
    expect(pipe).toMatchObject({ reason: 'not-regular-file', detail: 'it is a named pipe (FIFO)' });
    expect(refused(policy.readSync(path.join(root, 'pipe.tfvars'), 100)).reason).toBe('not-regular-file');
    const anywhere = InputPolicy.anywhere();
    expect(refused(await anywhere.read(path.join(root, 'zero.tfvars'), 100))).toMatchObject({ reason: 'not-regular-file', detail: 'it is a character device' });
    expect(refusalDiagnostic(pipe, { file: 'pipe.tfvars', what: 'Variables file' }).code).toBe('input-not-regular-file');
  });

  it('refuses a file over the limit without reading it, and keeps an older code when asked', { timeout: LIMIT }, async () => {
    const { root, policy } = await setup();
    writeFileSync(path.join(root, 'big.tf'), 'x'.repeat(2048));
    const r = refused(await policy.read(path.join(root, 'big.tf'), 1024));
    expect(r).toMatchObject({ reason: 'too-large', size: 2048, limit: 1024 });
    expect(refused(policy.readSync(path.join(root, 'big.tf'), 1024)).reason).toBe('too-large');
    expect(refusalDiagnostic(r, { file: 'big.tf', what: 'Template', tooLargeCode: 'cfn-file-too-large' }).code).toBe('cfn-file-too-large');
    expect(refusalDiagnostic(r, { file: 'big.tf', what: 'Template' }).code).toBe('input-too-large');
    // Exactly at the limit is read.
    expect((await policy.read(path.join(root, 'big.tf'), 2048)).ok).toBe(true);
  });

  it('says missing for what does not exist, and a directory is not a regular file', { timeout: LIMIT }, async () => {
    const { root, policy } = await setup();
    expect(refused(await policy.read(path.join(root, 'nope.tf'), 100)).reason).toBe('missing');
    expect(refused(await policy.read(path.join(root, 'sub'), 100))).toMatchObject({ reason: 'not-regular-file', detail: 'it is a directory' });
  });

  it('exports one limit for each kind of input', () => {
    expect(Object.keys(INPUT_SIZE_LIMITS).sort()).toEqual([
      'cdkJson',
      'cdkManifest',
      'config',
      'modulesJson',
      'plan',
      'template',
      'terraform',
      'tfvars',
      'typescript',
    ]);
    expect(INPUT_SIZE_LIMITS.config).toBe(1024 * 1024);
  });
});
