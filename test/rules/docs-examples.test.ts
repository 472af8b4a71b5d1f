import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { scan } from '../../src/engine/scan.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/**
 * The examples of each docs/rules/<ID>.md run as tests: every fenced hcl, terraform, yaml or json block under an
 * "Example: flagged (…)" heading must make the rule report, every one under "Example: passes (…)" must not (and must
 * leave no undecided note of the rule). They are whole configurations, written to a directory and scanned as a reader
 * would scan them; a block meant as a fragment is marked with `<!-- fragment -->` on the line before its fence.
 */

const DOCS = path.resolve(__dirname, '../../docs/rules');
const LANGUAGES = new Set(['hcl', 'terraform', 'yaml', 'json']);
const FRAGMENT = '<!-- fragment -->';

interface Example {
  heading: string;
  expect: 'flagged' | 'passes';
  format: string;
  lang: string;
  code: string;
  /** 1-based line of the block's first code line in the page. */
  line: number;
  /** `--region X` the section's prose scans it with. */
  region?: string;
}

interface Section {
  heading: string;
  lines: Array<{ text: string; line: number }>;
}

function sections(text: string): Section[] {
  const out: Section[] = [];
  text.split('\n').forEach((t, i) => {
    if (t.startsWith('## ')) out.push({ heading: t.slice(3), lines: [] });
    else out.at(-1)?.lines.push({ text: t, line: i + 1 });
  });
  return out;
}

/** The runnable examples of a page, and how many blocks under example headings are marked as fragments. */
function examples(text: string): { examples: Example[]; fragments: number; headings: string[] } {
  const found: Example[] = [];
  const headings: string[] = [];
  let fragments = 0;
  for (const s of sections(text)) {
    const m = /^Example: (flagged|passes) \((.+)\)$/.exec(s.heading);
    if (!m) continue;
    headings.push(s.heading);
    const region = /--region ([a-z0-9-]+)/.exec(s.lines.map((l) => l.text).join('\n'))?.[1];
    for (let i = 0; i < s.lines.length; i++) {
      const fence = /^```(\w+)\s*$/.exec(s.lines[i]!.text);
      if (!fence) continue;
      let end = i + 1;
      while (end < s.lines.length && s.lines[end]!.text !== '```') end++;
      const lang = fence[1]!;
      const previous = s.lines
        .slice(0, i)
        .map((l) => l.text)
        .filter((t) => t.trim() !== '')
        .at(-1);
      if (LANGUAGES.has(lang) && previous?.trim() === FRAGMENT) fragments++;
      else if (LANGUAGES.has(lang)) {
        const code = `${s.lines
          .slice(i + 1, end)
          .map((l) => l.text)
          .join('\n')}\n`;
        found.push({ heading: s.heading, expect: m[1] as 'flagged' | 'passes', format: m[2]!, lang, code, line: s.lines[i + 1]!.line, region });
      }
      i = end;
    }
  }
  return { examples: found, fragments, headings };
}

/** The file an example is saved as: Terraform in a root module, a template on its own. */
function fileName(e: Example): string {
  const terraform = /terraform/i.test(e.format);
  if (e.lang === 'json') return terraform ? 'main.tf.json' : 'template.json';
  if (e.lang === 'yaml') return 'template.yaml';
  return 'main.tf';
}

/**
 * Where the example's own comments say the finding goes: `# VPCE101 is reported …` at the end of a line means that
 * line; alone on a line, the block that starts on the next line (up to its closing brace). Lines are 1-based in the code.
 */
function announced(ruleId: string, code: string): Array<{ from: number; to: number }> {
  const lines = code.split('\n');
  const out: Array<{ from: number; to: number }> = [];
  const mark = new RegExp(`(#|//)\\s*${ruleId} is reported`);
  lines.forEach((text, i) => {
    const at = text.search(mark);
    if (at < 0) return;
    if (text.slice(0, at).trim() !== '') {
      out.push({ from: i + 1, to: i + 1 });
      return;
    }
    let end = i + 1;
    if (/\{\s*$/.test(lines[i + 1] ?? '')) while (end < lines.length && !/^\}/.test(lines[end]!)) end++;
    out.push({ from: i + 2, to: end + 1 });
  });
  return out;
}

for (const rule of rules) {
  const page = readFileSync(path.join(DOCS, `${rule.id}.md`), 'utf8');
  const found = examples(page);

  describe(`docs/rules/${rule.id}.md examples`, () => {
    it('has flagged and passing examples for Terraform and CloudFormation, each with a block that runs', () => {
      for (const h of ['Example: flagged (Terraform)', 'Example: flagged (CloudFormation)', 'Example: passes (Terraform)', 'Example: passes (CloudFormation)'])
        expect(found.headings, `${rule.id}.md lacks "## ${h}"`).toContain(h);
      for (const h of found.headings)
        expect(
          found.examples.map((e) => e.heading),
          `"${h}" has no runnable block`,
        ).toContain(h);
      // Fragments are the exception: an example is meant to be copied and run.
      expect(found.fragments).toBeLessThanOrEqual(1);
    });

    for (const e of found.examples) {
      const title = `${e.expect === 'flagged' ? 'reports' : 'does not report'} the ${e.format} example at line ${e.line}`;
      it(title, async () => {
        const file = fileName(e);
        const dir = tmpTree({ [file]: e.code });
        const result = await scan({ paths: [dir], root: dir, ...(e.region ? { region: e.region } : {}) });
        const diagnostics = JSON.stringify(result.diagnostics, null, 1);
        expect(result.files, `${rule.id}.md:${e.line} was not read as ${e.format}`).toContain(file);
        expect(
          result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'),
          `${rule.id}.md:${e.line} must be a whole configuration that parses`,
        ).toEqual([]);
        const mine = result.findings.filter((f) => f.ruleId === rule.id);
        if (e.expect === 'passes') {
          expect(mine, `${rule.id}.md:${e.line}`).toEqual([]);
          expect(result.diagnostics.filter((d) => d.code === 'rule-undecided' && d.rule === rule.id)).toEqual([]);
          return;
        }
        expect(mine.length, `${rule.id}.md:${e.line} reports nothing; diagnostics: ${diagnostics}`).toBeGreaterThan(0);
        for (const { from, to } of announced(rule.id, e.code)) {
          const lines = mine.map((f) => f.location.span.start.line);
          expect(
            lines.some((l) => l >= from && l <= to),
            `${rule.id}.md:${e.line}: the example says the finding is on code line ${from}${to > from ? `-${to}` : ''}; it is on ${lines.join(', ')}`,
          ).toBe(true);
        }
      });
    }
  });
}
