#!/usr/bin/env node
// Regenerates the golden SARIF files from the built CLI. Golden files are never edited by hand.
// usage: npm run build && npm run golden
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../dist/src/engine/scan.js';
import { formatSarif } from '../dist/src/report/sarif.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cases = [
  ['examples/terraform-nat-vpc', 'fixtures/golden/terraform-nat-vpc.sarif'],
  ['examples/cdk-app', 'fixtures/golden/cdk-app.sarif'],
  ['fixtures/rules/VPCE101/cloudformation-yaml/bad-nat-no-endpoint', 'fixtures/golden/cloudformation-yaml.sarif'],
  ['fixtures/rules/VPCE101/cloudformation-json/bad-nat-no-endpoint', 'fixtures/golden/cloudformation-json.sarif'],
  ['fixtures/terraform-plan/nat-private-subnet', 'fixtures/golden/terraform-plan.sarif'],
];
for (const [input, output] of cases) {
  const dir = path.join(root, input);
  const result = await scan({ paths: [dir], root: dir });
  mkdirSync(path.dirname(path.join(root, output)), { recursive: true });
  writeFileSync(path.join(root, output), formatSarif(result));
  console.log(`wrote ${output} (${result.findings.length} findings)`);
}
