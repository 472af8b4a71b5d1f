import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFile, packageRoot, packageVersion } from '../../src/source/package.js';

describe('package lookup', () => {
  it('finds the package root from the TypeScript sources', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
    expect(manifest.name).toBe('iac-vpce');
    expect(packageVersion()).toBe(manifest.version);
    expect(existsSync(packageFile('data', 'pricing.json'))).toBe(true);
    expect(existsSync(packageFile('docs', 'rules', 'VPCE101.md'))).toBe(true);
  });
});
