#!/usr/bin/env node
/**
 * Bundles the command line (dist/src/cli/bin.js, as tsc wrote it) into a few ES modules in place, so that starting
 * `iac-vpce` loads a handful of files instead of some three hundred: dist/src/cli/bin.js becomes the bundle's entry,
 * dist/src/cli/worker.js the parse workers' entry, and the code both share, or that is loaded only when needed (each
 * command, each input format), goes into chunks beside them (dist/src/cli/chunk-*.js: the parse pool finds worker.js
 * beside its own code). Dependencies stay in node_modules. Run by `npm run build`
 * after tsc; the rest of dist/src (what tests and the library import) is left as tsc wrote it.
 */
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/src/cli');
for (const f of readdirSync(out)) if (/^chunk-.*\.js$/.test(f)) rmSync(path.join(out, f));
await build({
  absWorkingDir: root,
  entryPoints: { bin: 'dist/src/cli/bin.js', worker: 'dist/src/parsers/terraform/parse/worker.js' },
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  allowOverwrite: true,
  logLevel: 'warning',
});
chmodSync(path.join(out, 'bin.js'), 0o755);
