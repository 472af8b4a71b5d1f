/**
 * Where the iac-vpce package lies on disk, for the files it ships beside its code (data/, docs/) and for its version.
 * This module is src/source/package.ts under vitest and dist/src/source/package.js once built: both sit below the
 * package root, so the root is the nearest folder above whose package.json names iac-vpce.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'iac-vpce';

interface PackageManifest {
  name?: unknown;
  version?: unknown;
}

/** undefined: not looked for yet; null: looked for and not found. */
let found: { root: string; manifest: PackageManifest } | null | undefined;

function readManifest(file: string): PackageManifest | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageManifest) : undefined;
  } catch {
    return undefined;
  }
}

function findPackage(): { root: string; manifest: PackageManifest } | null {
  if (found !== undefined) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === PACKAGE_NAME) return (found = { root: dir, manifest });
    const up = path.dirname(dir);
    if (up === dir) return (found = null);
    dir = up;
  }
}

/** The folder holding iac-vpce's package.json. Throws when there is none above this module (a broken install). */
export function packageRoot(): string {
  const pkg = findPackage();
  if (!pkg) throw new Error(`${PACKAGE_NAME}: no package.json naming ${PACKAGE_NAME} above its modules; the data/ and docs/ folders cannot be located`);
  return pkg.root;
}

/** A file the package ships, by its path from the package root: `packageFile('data', 'pricing.json')`. Throws as packageRoot does. */
export function packageFile(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

/** The version in package.json; `0.0.0` when it cannot be read. */
export function packageVersion(): string {
  const version = findPackage()?.manifest.version;
  return typeof version === 'string' ? version : '0.0.0';
}
