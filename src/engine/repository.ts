import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The top of the git work tree holding `dir`: the nearest directory at or above it with a `.git` entry, a directory
 * in a clone or a file in a linked worktree or submodule (git's own test in `git rev-parse --show-toplevel`). Found by
 * walking up, without running git. Undefined outside any work tree.
 */
export function gitTopLevel(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

function isWithin(dir: string, parent: string): boolean {
  const rel = path.relative(parent, dir);
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel));
}

/**
 * The directory SARIF artifact URIs are relative to. GitHub code scanning reads a relative URI as relative to the root
 * of the analyzed repository, so it is the git top level above the scan root; without one, the working directory when
 * the scan root lies inside it, else the scan root itself (so that no URI has to climb out with `..`).
 */
export function sourceRootOf(scanRoot: string, cwd: string): string {
  const top = gitTopLevel(scanRoot);
  if (top !== undefined) return top;
  return isWithin(path.resolve(scanRoot), path.resolve(cwd)) ? path.resolve(cwd) : path.resolve(scanRoot);
}

/**
 * A file relative to the scan root, as a path relative to the git work tree holding it (the scan root without one):
 * what fingerprints hash, so an alert keeps its identity whichever folder of the repository is scanned.
 */
export function repositoryPath(scanRoot: string): (file: string) => string {
  const top = gitTopLevel(scanRoot) ?? scanRoot;
  if (path.resolve(top) === path.resolve(scanRoot)) return (file) => file;
  return (file) => path.relative(top, path.resolve(scanRoot, file)).split(path.sep).join('/');
}
