import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { applyEdits, planEdits } from '../engine/fix-edits/apply.js';
import { scan } from '../engine/scan.js';
import type { Io } from './io.js';
import { settleScanInputs, type ScanInputFlags } from './scan-settings.js';

export interface FixFlags extends ScanInputFlags {
  dryRun?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `iac-vpce fix`: scans, makes every exact edit the findings carry (suppressed findings carry none), prints them as a
 * unified diff, writes the files unless `--dry-run`, then scans again and says what is left.
 */
export async function runFix(paths: string[], flags: FixFlags, io: Io): Promise<number> {
  const inputs = settleScanInputs(paths, flags, io);
  if (typeof inputs === 'string') {
    io.stderr(`iac-vpce: ${inputs}\n`);
    return 2;
  }
  const { options } = inputs;
  for (const d of inputs.diagnostics) io.stderr(`iac-vpce: ${d.severity} ${d.code}: ${d.message}\n`);
  const result = await scan(options);
  if (result.empty) {
    io.stderr(`iac-vpce: nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found\n`);
    return 2;
  }
  const fixable = result.findings.filter((f) => f.fix?.edits?.length);
  let applied = 0;
  for (const plan of planEdits(fixable)) {
    const abs = path.join(result.root, plan.file);
    const before = readFileSync(abs, 'utf8');
    const after = applyEdits(before, plan.edits);
    applied += plan.edits.length;
    io.stdout(createTwoFilesPatch(`a/${plan.file}`, `b/${plan.file}`, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
    for (const e of plan.skipped)
      io.stderr(`iac-vpce: ${plan.file}:${e.range.start.line}: an edit overlaps another one and was left out; run iac-vpce fix again\n`);
    if (!flags.dryRun) writeFileSync(abs, after);
  }
  const manual = result.findings.length - fixable.length;
  if (flags.dryRun) {
    io.stderr(
      `iac-vpce: ${plural(applied, 'edit')} would fix ${plural(fixable.length, 'finding')} of ${result.findings.length}; ${plural(manual, 'finding')} need a change by hand (dry run: no file written)\n`,
    );
    return 0;
  }
  const rescan = applied > 0 ? await scan(options) : result;
  io.stderr(
    `iac-vpce: ${plural(applied, 'edit')} made for ${plural(fixable.length, 'finding')}; ${plural(rescan.findings.length, 'finding')} remain${rescan.findings.length === 1 ? 's' : ''}\n`,
  );
  return 0;
}
