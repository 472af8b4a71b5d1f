// The parse-only floor: every Terraform file of a tree through @cdktf/hcl2json and nothing else (read, parse, drop),
// every CloudFormation template through the YAML parser the engine uses (JSON templates through JSON.parse), one
// file after the other. The benchmark compares a scan's wall time with this process's.
// usage: node bench/floor.mjs <dir>
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/floor.mjs <dir>');
  process.exit(2);
}

const files = readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && !e.parentPath.includes(`${path.sep}.`))
  .map((e) => path.join(e.parentPath, e.name))
  .sort();
const tf = files.filter((f) => f.endsWith('.tf'));
const yaml = files.filter((f) => /\.(ya?ml|json)$/.test(f));

let parsed = 0;
if (tf.length > 0) {
  const { parse } = require('@cdktf/hcl2json');
  for (const f of tf) {
    await parse(path.basename(f), readFileSync(f, 'utf8'));
    parsed++;
  }
}
if (yaml.length > 0) {
  const { parseDocument } = await import('yaml');
  for (const f of yaml) {
    const text = readFileSync(f, 'utf8');
    if (f.endsWith('.json')) JSON.parse(text);
    else parseDocument(text);
    parsed++;
  }
}
console.log(JSON.stringify({ parsed }));
