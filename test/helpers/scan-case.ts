import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tmpTree } from './tmp-tree.js';

const REPO = path.resolve(__dirname, '../..');
/** The built CLI: `npm run build` comes first, as in CI. */
export const BIN = path.join(REPO, 'dist/src/cli/bin.js');

/** A Terraform configuration with one known finding: VPCE101 on aws_route_table.private (good/main.tf line 30). */
export const GOOD_TERRAFORM = readFileSync(path.join(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

export interface ReportDiagnostic {
  severity: string;
  code: string;
  file: string;
  line?: number;
  message: string;
}

export interface CaseResult {
  code: number | null;
  stderr: string;
  /** The JSON report, undefined when none was written. */
  report: { findings: Array<{ ruleId: string; location: { file: string } }>; diagnostics: ReportDiagnostic[] } | undefined;
  dir: string;
}

const outputs: string[] = [];
afterAll(() => {
  for (const d of outputs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs the built CLI on a tree (the good configuration is added as good/main.tf unless the tree names it), the JSON
 * report written to a file outside the tree. `prepare` may add what a plain file cannot be (modes, links).
 */
export function scanCase(files: Record<string, string>, opts: { args?: string[]; prepare?: (dir: string) => void; timeoutMs?: number } = {}): CaseResult {
  const dir = tmpTree({ 'good/main.tf': GOOD_TERRAFORM, ...files });
  opts.prepare?.(dir);
  const out = mkdtempSync(path.join(tmpdir(), 'iac-vpce-report-'));
  outputs.push(out);
  const reportFile = path.join(out, 'report.json');
  const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--format', 'json', '--output', reportFile, ...(opts.args ?? [])], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] },
    timeout: opts.timeoutMs ?? 60_000,
  });
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as CaseResult['report']) : undefined;
  return { code: r.status, stderr: r.stderr, report, dir };
}

/** The good configuration's finding is still reported. */
export function goodFindingKept(r: CaseResult): boolean {
  return Boolean(r.report?.findings.some((f) => f.ruleId === 'VPCE101' && f.location.file === 'good/main.tf'));
}
