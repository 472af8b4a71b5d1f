import { readFileSync } from 'node:fs';
import type { Finding } from '../source/findings.js';

/** The format of a baseline file; a reader refuses any other version. */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** For the people who read the file: the resource and file the finding was on when it was recorded. */
  address: string;
  file: string;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: { name: 'iac-vpce'; version: string };
  findings: BaselineEntry[];
}

/**
 * The text of a baseline recording these findings: one entry per fingerprint, sorted by fingerprint, no timestamps,
 * so the same findings always give the same bytes and a diff of the file shows only what changed.
 */
export function formatBaseline(findings: readonly Finding[], toolVersion: string): string {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (!byFingerprint.has(f.fingerprint))
      byFingerprint.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, address: f.location.address, file: f.location.file });
  }
  const entries = [...byFingerprint.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const file: BaselineFile = { version: BASELINE_VERSION, tool: { name: 'iac-vpce', version: toolVersion }, findings: entries };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type ReadBaseline = { fingerprints: Set<string> } | { error: string };

/** Reads a baseline file; anything but a version-1 baseline is an error the caller reports as a usage error. */
export function readBaseline(file: string): ReadBaseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: `${file} is not JSON (write one with --write-baseline)` };
  }
  const d = data as Partial<BaselineFile> | null;
  if (typeof d !== 'object' || d === null || d.version !== BASELINE_VERSION || !Array.isArray(d.findings))
    return { error: `${file} is not an iac-vpce baseline of version ${BASELINE_VERSION} (write one with --write-baseline)` };
  const fingerprints = new Set<string>();
  for (const entry of d.findings) {
    const fp = (entry as Partial<BaselineEntry> | null)?.fingerprint;
    if (typeof fp !== 'string') return { error: `${file}: every entry of "findings" needs a "fingerprint" string` };
    fingerprints.add(fp);
  }
  return { fingerprints };
}

/** Splits findings into those the baseline does not hold (reported) and the count of those it does. */
export function applyBaseline(findings: readonly Finding[], fingerprints: ReadonlySet<string>): { kept: Finding[]; inBaseline: number } {
  const kept = findings.filter((f) => !fingerprints.has(f.fingerprint));
  return { kept, inBaseline: findings.length - kept.length };
}
