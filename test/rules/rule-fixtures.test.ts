import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { scan } from '../../src/engine/scan.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules');
/**
 * One folder per format a rule's cases can be written in: `terraform-plan` holds `terraform show -json` output (with the
 * `.tf` files beside it, or alone), `cdk` a cloud assembly in `cdk.out` (with the app's TypeScript, or alone).
 */
const FORMATS = ['terraform', 'terraform-plan', 'cloudformation-yaml', 'cloudformation-json', 'cdk'];

/** `undecided-*` fixtures: the rule stays silent and says so about this resource. */
interface ExpectUndecided {
  /** The address the diagnostic names. */
  resource: string;
  file: string;
  line: number;
  /** Phrases the reason must contain. */
  mentions: string[];
  count?: number;
}

interface Expect {
  messageId: string;
  file: string;
  line: number;
  count?: number;
  mentions?: string[];
}

/**
 * Diagnostic codes of severity error or warning a `good-*` fixture expects (`allow-diagnostics.json`, a JSON array of
 * codes). Without the file it expects none: a good fixture that does not parse would otherwise pass by accident.
 */
function allowedDiagnostics(dir: string): string[] {
  const file = path.join(dir, 'allow-diagnostics.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [];
}

function cases(ruleId: string): Array<{ format: string; name: string; dir: string }> {
  const out: Array<{ format: string; name: string; dir: string }> = [];
  for (const format of FORMATS) {
    const base = path.join(FIXTURES, ruleId, format);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) out.push({ format, name, dir: path.join(base, name) });
  }
  return out;
}

for (const rule of rules) {
  describe(`${rule.id} ${rule.name}`, () => {
    for (const c of cases(rule.id)) {
      if (c.name.startsWith('bad-')) {
        it(`reports ${c.format}/${c.name}`, async () => {
          const want = JSON.parse(readFileSync(path.join(c.dir, 'expect.json'), 'utf8')) as Expect;
          expect(Object.keys(rule.messages)).toContain(want.messageId);
          const result = await scan({ paths: [c.dir], root: c.dir });
          const mine = result.findings.filter((f) => f.ruleId === rule.id);
          expect(mine.length, JSON.stringify(result.diagnostics, null, 1)).toBeGreaterThan(0);
          if (want.count !== undefined) expect(mine).toHaveLength(want.count);
          const primary = mine.find((f) => f.location.file === want.file && f.location.span.start.line === want.line);
          expect(primary, `findings at ${mine.map((f) => `${f.location.file}:${f.location.span.start.line}`).join(', ')}`).toBeDefined();
          expect(primary!.messageId).toBe(want.messageId);
          expect(primary!.level).toBe(rule.level);
          const text = JSON.stringify(mine);
          for (const m of want.mentions ?? []) expect(text).toContain(JSON.stringify(m).slice(1, -1));
        });
      } else if (c.name.startsWith('good-')) {
        it(`does not report ${c.format}/${c.name}, and decided it`, async () => {
          const result = await scan({ paths: [c.dir], root: c.dir });
          expect(result.findings.filter((f) => f.ruleId === rule.id)).toEqual([]);
          // "Checked and fine", not "could not tell": a good fixture leaves the rule nothing undecided.
          expect(result.diagnostics.filter((d) => d.code === 'rule-undecided' && d.rule === rule.id)).toEqual([]);
          // …and it was read: nothing failed to parse or evaluate, unless the fixture says which code it expects.
          const allowed = allowedDiagnostics(c.dir);
          const problems = result.diagnostics.filter((d) => (d.severity === 'error' || d.severity === 'warning') && !allowed.includes(d.code));
          expect(problems).toEqual([]);
          for (const code of allowed)
            expect(
              result.diagnostics.map((d) => d.code),
              `allow-diagnostics.json lists ${code}`,
            ).toContain(code);
          expect(result.files.length).toBeGreaterThan(0);
        });
      } else if (c.name.startsWith('undecided-')) {
        it(`stays silent on ${c.format}/${c.name} and says why`, async () => {
          const want = JSON.parse(readFileSync(path.join(c.dir, 'expect.json'), 'utf8')) as ExpectUndecided;
          const result = await scan({ paths: [c.dir], root: c.dir });
          expect(result.findings.filter((f) => f.ruleId === rule.id)).toEqual([]);
          const mine = result.diagnostics.filter((d) => d.code === 'rule-undecided' && d.rule === rule.id);
          if (want.count !== undefined) expect(mine).toHaveLength(want.count);
          const hit = mine.find((d) => d.resource === want.resource && d.file === want.file && d.line === want.line);
          expect(hit, `undecided: ${JSON.stringify(mine, null, 1)}`).toBeDefined();
          expect(hit!.severity).toBe('note');
          expect(hit!.message.startsWith(`${rule.id} undecided for ${want.resource}: `)).toBe(true);
          for (const m of want.mentions) expect(hit!.message).toContain(m);
        });
      } else {
        it(`fixture ${c.format}/${c.name} is named bad-*, good-* or undecided-*`, () => {
          expect.fail(`fixture folder ${c.name} must start with bad-, good- or undecided-`);
        });
      }
    }
  });
}

describe('rule catalogue', () => {
  it('has unique, sorted ids and names', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s has a bad and a good fixture per format', (_id, rule) => {
    for (const format of FORMATS) {
      const names = cases(rule.id)
        .filter((c) => c.format === format)
        .map((c) => c.name);
      expect(
        names.some((n) => n.startsWith('bad-')),
        `${rule.id} ${format} bad fixture`,
      ).toBe(true);
      expect(
        names.some((n) => n.startsWith('good-')),
        `${rule.id} ${format} good fixture`,
      ).toBe(true);
    }
  });

  const HEADINGS = [
    '## What it finds',
    '## Why it matters',
    '## Example: flagged (Terraform)',
    '## Example: passes (Terraform)',
    '## How to fix',
    '## When it stays silent',
    '## Suppress it',
    '## References',
  ];
  it.each(rules.map((r) => [r.id, r] as const))('%s has a docs page with the fixed headings and its summary', (_id, rule) => {
    const doc = readFileSync(path.resolve(__dirname, `../../docs/rules/${rule.id}.md`), 'utf8');
    expect(doc.split('\n')[0]).toBe(`# ${rule.id} — ${rule.name}`);
    let last = -1;
    for (const h of HEADINGS) {
      const at = doc.indexOf(`\n${h}\n`);
      expect(at, `${rule.id}.md lacks "${h}"`).toBeGreaterThan(last);
      last = at;
    }
    expect(doc).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('every message placeholder is a word', () => {
    for (const rule of rules) for (const m of Object.values(rule.messages)) expect(m).not.toMatch(/\{\{(?!\s*\w+\s*\}\})/);
  });
});
