import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Writes a tree of files into a fresh temporary directory and returns its path; removed after the test file. */
export function tmpTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  created.push(dir);
  return dir;
}

const created: string[] = [];
afterAll(() => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});
