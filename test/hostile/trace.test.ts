/** The hostile suite's own instruments: the strace log reader and the allow-list of opened paths. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './cases.js';
import { allowList, readStrace } from './run-case.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readStrace', () => {
  it('keeps successful opens, resolves relative ones, joins unfinished calls and counts escapes', () => {
    const log = path.join(dir, 'trace.log');
    writeFileSync(
      log,
      [
        '100 execve("/usr/bin/node", ["node"], 0x0 /* 3 vars */) = 0',
        '100 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3',
        '100 openat(AT_FDCWD, "main.tf", O_RDONLY|O_CLOEXEC) = 21',
        '101 openat(AT_FDCWD, "/missing", O_RDONLY) = -1 ENOENT (No such file or directory)',
        '102 openat(AT_FDCWD, "/etc/pass\\167d", O_RDONLY|O_CLOEXEC <unfinished ...>',
        '100 openat(AT_FDCWD, "/tmp/x", O_RDONLY <unfinished ...>',
        '102 <... openat resumed>) = 22',
        '100 <... openat resumed>) = -1 EACCES (Permission denied)',
        '103 execve("/bin/sh", ["sh"], 0x0 /* 3 vars */) = 0',
        '104 connect(5, {sa_family=AF_INET, sin_port=htons(443)}, 16) = 0',
      ].join('\n'),
    );
    const got = readStrace(log, '/scan/root');
    expect(got.paths).toEqual(['/etc/ld.so.cache', '/scan/root/main.tf', '/etc/passwd']);
    expect(got.escapes).toHaveLength(2);
    expect(got.escapes[0]).toBe('started /bin/sh');
    expect(got.escapes[1]).toMatch(/^connect: /);
  });
});

describe('allowList', () => {
  const root = path.join(dir, 'root');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'outside.tf'), '');
  symlinkSync('/etc', path.join(root, 'etc'));
  symlinkSync(path.join(dir, 'outside.tf'), path.join(root, 'sub/linked.tf'));
  const allowed = allowList([root], [path.join(dir, 'report.json')]);

  it('allows the root, the report, the tool and what node opens at start', () => {
    expect(allowed(path.join(root, 'sub'))).toBe(true);
    expect(allowed(path.join(root, 'sub/new.tf'))).toBe(true);
    expect(allowed(path.join(dir, 'report.json'))).toBe(true);
    expect(allowed(path.join(REPO, 'dist/src/cli/bin.js'))).toBe(true);
    expect(allowed('/etc/ld.so.cache')).toBe(true);
    expect(allowed('/proc/4242/maps')).toBe(true);
  });

  it('refuses paths that lead out of the root through a link, and other system files', () => {
    expect(allowed(path.join(root, 'etc/passwd'))).toBe(false);
    expect(allowed(path.join(root, 'etc'))).toBe(false);
    expect(allowed(path.join(root, 'sub/linked.tf'))).toBe(false);
    expect(allowed('/etc/passwd')).toBe(false);
    expect(allowed('/dev/zero')).toBe(false);
    expect(allowed(path.join(REPO, 'src/cli/main.ts'))).toBe(false);
  });
});
