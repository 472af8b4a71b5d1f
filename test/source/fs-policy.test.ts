import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('reads a file sized from its stat, whole even when it holds more than the stat said, and empty files too', { timeout: LIMIT }, async () => {
    const { root, policy } = await setup();
    writeFileSync(path.join(root, 'empty.tf'), '');
    expect((await policy.read(path.join(root, 'empty.tf'), 100)).ok && 'read').toBe('read');
    const empty = policy.readSync(path.join(root, 'empty.tf'), 100);
    expect(empty.ok && empty.bytes.length).toBe(0);
    // Longer than one step of the reader's growth (1 MB), so several reads are needed.
    const text = 'y'.repeat(3 * 1024 * 1024 + 17);
    writeFileSync(path.join(root, 'long.tf'), text);
    const long = await policy.read(path.join(root, 'long.tf'), INPUT_SIZE_LIMITS.terraform);
    expect(long.ok && long.bytes.toString() === text).toBe(true);
    const longSync = policy.readSync(path.join(root, 'long.tf'), INPUT_SIZE_LIMITS.terraform);
    expect(longSync.ok && longSync.bytes.toString() === text).toBe(true);
  });

  // A file of /proc says it is empty and holds more: the same as a file that grew between the stat and the read.
  it.skipIf(!existsSync('/proc/self/status'))(
    'reads on past the stat size of a file that grew, and stops one byte past the limit',
    { timeout: LIMIT },
    async () => {
      const anywhere = InputPolicy.anywhere();
      const grown = anywhere.readSync('/proc/self/mountinfo', INPUT_SIZE_LIMITS.terraform);
      expect(grown.ok && grown.bytes.length).toBe(readFileSync('/proc/self/mountinfo').length);
      const grownAsync = await anywhere.read('/proc/self/mountinfo', INPUT_SIZE_LIMITS.terraform);
      expect(grownAsync.ok && grownAsync.bytes.length).toBe(readFileSync('/proc/self/mountinfo').length);
      for (const r of [anywhere.readSync('/proc/self/mountinfo', 16), await anywhere.read('/proc/self/mountinfo', 16)]) {
        expect(refused(r)).toMatchObject({ reason: 'too-large', size: 17, limit: 16, detail: 'it is larger than the 0.0 MB limit' });
      }
    },
  );

  it('reads a listed entry at its known real path, and the long way whatever it has become', { timeout: LIMIT }, async () => {
    const { root, outside, policy } = await setup();
    const a = policy.readEntrySync(path.join(root, 'a.tf'), path.join(root, 'a.tf'), 100);
    expect(a.ok && a.bytes.toString()).toBe('a = 1\n');
    // Entries listed as plain files that are now a link out of the tree, a link inside it, a FIFO, a device link.
    const out = refused(policy.readEntrySync(path.join(root, 'outside-link.tf'), path.join(root, 'outside-link.tf'), 100));
    expect(out).toMatchObject({ reason: 'outside-root', real: path.join(outside, 'secret.tf') });
    const inside = policy.readEntrySync(path.join(root, 'inside-link.tf'), path.join(root, 'inside-link.tf'), 100);
    expect(inside.ok && inside.bytes.toString()).toBe('b = 2\n');
    expect(refused(policy.readEntrySync(path.join(root, 'pipe.tfvars'), path.join(root, 'pipe.tfvars'), 100))).toMatchObject({
      reason: 'not-regular-file',
      detail: 'it is a named pipe (FIFO)',
    });
    expect(refused(policy.readEntrySync(path.join(root, 'zero.tfvars'), path.join(root, 'zero.tfvars'), 100)).reason).toBe('outside-root');
    // A real path outside the roots is never opened as given.
    expect(refused(policy.readEntrySync(path.join(root, 'x.tf'), path.join(outside, 'secret.tf'), 100)).reason).toBe('missing');
    writeFileSync(path.join(root, 'big.tf'), 'x'.repeat(2048));
    expect(refused(policy.readEntrySync(path.join(root, 'big.tf'), path.join(root, 'big.tf'), 1024))).toMatchObject({ reason: 'too-large', size: 2048 });
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
