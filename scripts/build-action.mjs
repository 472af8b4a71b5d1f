#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/index.ts) into dist/action/index.js, the file action.yml runs: one ES module
 * with every dependency inside, so the runner starts it without an install. The WebAssembly HCL parser of
 * @cdktf/hcl2json reads main.wasm.gz beside its own code; the bundle carries a copy next to index.js, and copies of
 * tree-sitter's runtime and HCL grammar (web-tree-sitter.wasm, tree-sitter-terraform.wasm) for the fast parse path.
 *
 *   npm run build:action            write dist/action/
 *   npm run build:action -- --check fail when dist/action/ differs from a fresh build of the sources
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const hcl2jsonDir = path.dirname(require.resolve('@cdktf/hcl2json/package.json'));

// The bundle is an ES module: CommonJS dependencies still ask for require, __filename and __dirname.
const banner = [
  "import { createRequire as __iacVpceCreateRequire } from 'node:module';",
  "import { fileURLToPath as __iacVpceFileURLToPath } from 'node:url';",
  "import { dirname as __iacVpceDirname } from 'node:path';",
  'const require = __iacVpceCreateRequire(import.meta.url);',
  'const __filename = __iacVpceFileURLToPath(import.meta.url);',
  'const __dirname = __iacVpceDirname(__filename);',
].join('\n');

/** hcl2json looks for `join(__dirname, "..", "main.wasm.gz")`; in the bundle the file sits beside index.js. */
const wasmBesideBundle = {
  name: 'hcl2json-wasm',
  setup(b) {
    b.onLoad({ filter: /@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replace('(__dirname, "..", "main.wasm.gz")', '(__dirname, "main.wasm.gz")');
      if (patched === source) throw new Error('@cdktf/hcl2json: the main.wasm.gz lookup changed; update scripts/build-action.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

async function bundle(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['src/action/index.ts'],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner },
    minify: true,
    legalComments: 'eof',
    // hcl2json's Go runtime falls back to require("performance") only where globalThis.performance is missing: never on Node.
    external: ['performance'],
    logLevel: 'warning',
    plugins: [wasmBesideBundle],
  });
  copyFileSync(path.join(hcl2jsonDir, 'main.wasm.gz'), path.join(outDir, 'main.wasm.gz'));
  // The fast HCL parse path looks for tree-sitter's runtime and grammar beside the bundle when it cannot resolve them.
  for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'])
    copyFileSync(require.resolve(wasm), path.join(outDir, path.basename(wasm)));
}

const out = path.join(root, 'dist', 'action');
if (process.argv.includes('--check')) {
  const fresh = mkdtempSync(path.join(tmpdir(), 'iac-vpce-action-'));
  try {
    await bundle(fresh);
    const names = (dir) => readdirSync(dir).sort();
    const differ = [...new Set([...names(fresh), ...names(out)])].filter((f) => {
      try {
        return !readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(out, f)));
      } catch {
        return true;
      }
    });
    if (differ.length > 0) {
      console.error(`dist/action differs from a fresh build of the sources (${differ.join(', ')}): run npm run build:action and commit it`);
      process.exitCode = 1;
    } else console.log('dist/action matches the sources');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  await bundle(out);
}
