import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCloudFormationTemplate, loadCloudFormation } from '../../src/parsers/cloudformation/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

// Real templates from public repositories, kept outside the project and read in place (see the corpus's SOURCES.md).
const CORPUS = sharedPath('corpus');
const present = sharedAvailable('CloudFormation corpus', CORPUS);

function templateFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...templateFiles(p));
    else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) out.push(p);
  }
  return out;
}

const files = present ? templateFiles(CORPUS).sort() : [];
const templates = files.filter((f) => isCloudFormationTemplate(readFileSync(f, 'utf8'), f));

describe.skipIf(!present)('CloudFormation corpus', () => {
  it('holds templates, and tells them from other JSON', () => {
    expect(templates.length).toBeGreaterThan(5);
    expect(files.filter((f) => !templates.includes(f)).map((f) => path.basename(f))).toEqual(['tfplan.json']);
  });

  it.each(templates.map((f) => [path.relative(CORPUS, f), f]))('%s loads without an internal error', (rel, file) => {
    const text = readFileSync(file, 'utf8');
    for (const region of [undefined, 'us-east-1']) {
      const t = loadCloudFormation(rel, text, region ? { region } : {});
      expect(t.diagnostics.filter((d) => d.code === 'cfn-internal-error' || d.code === 'cfn-syntax-error')).toEqual([]);
      expect(t.resources.length).toBeGreaterThan(0);
      for (const r of t.resources) {
        expect(r.headerSpan.start.line).toBeGreaterThan(0);
        expect(r.span.end.line).toBeGreaterThanOrEqual(r.headerSpan.start.line);
      }
    }
  });
});
