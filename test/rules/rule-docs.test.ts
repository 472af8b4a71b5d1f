import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { docsIndexTable, END, pageSummary, readmeTable, ruleDocs, START, withBlock, withPageHeader } from '../../scripts/rule-docs.mjs';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** What lies between the markers of a file. */
function block(file: string): string {
  const text = read(file);
  return text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim();
}

// The metadata is the single source: these fail when someone edits a table or a summary by hand, or edits a rule's
// metadata without running `npm run build && npm run rule-docs`.
describe('docs generated from the rule metadata', () => {
  it("README's rule table is what the metadata gives", () => {
    expect(block('README.md')).toBe(readmeTable(rules));
  });

  it("the docs index's rule table is what the metadata gives", () => {
    expect(block('docs/rules/README.md')).toBe(docsIndexTable(rules));
  });

  it.each(rules.map((r) => [r.id, r] as const))("%s's page opens with its name and, as its first paragraph, its summary", (id, rule) => {
    const page = read(`docs/rules/${id}.md`);
    expect(page.split('\n')[0]).toBe(`# ${rule.id} — ${rule.name}`);
    expect(pageSummary(page)).toBe(rule.summary);
  });

  it('every file the script writes is up to date (npm run rule-docs --check agrees)', () => {
    const stale = ruleDocs(rules, read)
      .filter(({ file, text }) => read(file) !== text)
      .map((d) => d.file);
    expect(stale, 'run npm run build && npm run rule-docs').toEqual([]);
  });
});

describe('scripts/rule-docs.mjs', () => {
  const rule = { id: 'VPCE999', name: 'example-rule', level: 'note', summary: 'Says | what it finds.' };

  it('writes between the markers only, and refuses a file without them', () => {
    const text = `# T\n\nprose\n\n${START}\nold table\n${END}\n\nmore prose\n`;
    expect(withBlock(text, readmeTable([rule]), 'X.md')).toBe(
      `# T\n\nprose\n\n${START}\n| id | name | level | finds |\n|---|---|---|---|\n| [VPCE999](docs/rules/VPCE999.md) | example-rule | note | Says \\| what it finds. |\n${END}\n\nmore prose\n`,
    );
    expect(() => withBlock('# T\n\nno markers\n', 'x', 'X.md')).toThrow(/X\.md: needs <!-- rules:start -->/);
  });

  it("replaces a page's title and whole first paragraph, and keeps the rest", () => {
    const page = '# VPCE999 — old-name\n\nAn old summary\nover two lines.\n\n| | |\n|---|---|\n\n## What it finds\n';
    const updated = withPageHeader(page, rule);
    expect(updated).toBe('# VPCE999 — example-rule\n\nSays | what it finds.\n\n| | |\n|---|---|\n\n## What it finds\n');
    expect(pageSummary(page)).toBe('An old summary over two lines.');
    expect(withPageHeader(updated, rule)).toBe(updated);
  });
});
