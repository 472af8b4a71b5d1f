#!/usr/bin/env node
/**
 * Bundles the command line (src/cli/bin.ts and what it imports) into a few ES modules in dist/src/cli/, so that
 * starting `iac-vpce` loads a handful of files instead of some three hundred: dist/src/cli/bin.js (replacing tsc's) is
 * the entry, dist/src/cli/unit-worker.js the unit workers' entry, and the code both share, or that is loaded only when
 * needed (each command, each input format), goes into chunks beside them (dist/src/cli/chunk-*.js: the unit pool finds
 * its worker beside its own code). Run by `npm run build` after tsc; the rest of dist/src is left as tsc wrote it.
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
  entryPoints: { bin: 'src/cli/bin.ts', 'unit-worker': 'src/engine/unit-worker.ts' },
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Small pure-JavaScript dependencies go into the bundle; what finds files beside its own code (the WebAssembly
  // parsers) or is large and loaded only for CDK apps (TypeScript's parser) stays in node_modules.
  external: ['@cdktf/hcl2json', 'web-tree-sitter', '@tree-sitter-grammars/*', 'typescript', '@typescript-eslint/*'],
  // CommonJS dependencies in an ES module bundle still ask for require.
  banner: { js: "import { createRequire as __iacVpceCreateRequire } from 'node:module';\nconst require = __iacVpceCreateRequire(import.meta.url);" },
  allowOverwrite: true,
  logLevel: 'warning',
});
chmodSync(path.join(out, 'bin.js'), 0o755);
