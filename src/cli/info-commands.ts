import { readFileSync } from 'node:fs';
import { rules } from '../../rules/index.js';
import { packageFile } from '../source/package.js';
import type { Io } from './io.js';

export function runRulesList(io: Io): number {
  const rows = rules.map((r) => [r.id, r.level, r.category, r.name, r.summary]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['ID', 'LEVEL', 'CATEGORY', 'NAME'][i]!.length));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd();
  io.stdout([line(['ID', 'LEVEL', 'CATEGORY', 'NAME', 'SUMMARY']), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

export function runExplain(idOrName: string, io: Io): number {
  const key = idOrName.toUpperCase();
  const rule = rules.find((r) => r.id === key || r.name.toUpperCase() === key);
  if (!rule) {
    io.stderr(`iac-vpce: no rule ${idOrName} (see iac-vpce rules)\n`);
    return 2;
  }
  try {
    io.stdout(readFileSync(packageFile('docs', 'rules', `${rule.id}.md`), 'utf8'));
  } catch {
    io.stdout(`${rule.id} — ${rule.name} (${rule.level})\n\n${rule.summary}\n\n${rule.description}\n`);
  }
  return 0;
}
