import type { Diagnostic } from '../source/types.js';
import type { ConfigIgnore, Suppression, SuppressionDirective } from '../source/suppression.js';
import { matchesAddressGlob, matchesPathGlob } from './glob.js';
import type { Finding, SuppressedFinding } from '../source/findings.js';

export interface ApplySuppressionsOptions {
  /** The current date, `YYYY-MM-DD`; a suppression whose `expires` is before it no longer applies. */
  today: string;
  configIgnores?: ConfigIgnore[];
  /** Rule ids the tool knows; a suppression naming another id gets a `suppression-unknown-rule` warning. */
  knownRules: Iterable<string>;
  /**
   * Rule ids that ran in this scan (default: all known). A suppression suppressing nothing is reported as unused only
   * for rules that ran: a rule left out with `--skip-rule` could not have produced anything to suppress.
   */
  activeRules?: Iterable<string>;
}

export interface ApplySuppressionsResult {
  kept: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  /**
   * Every suppression in force, with the rules it names that ran and suppressed nothing here: what the parts of a
   * sharded scan record so that `iac-vpce merge` reports a suppression as unused only when no part used it.
   */
  idle: Array<{ suppression: Suppression; idle: string[] }>;
}

const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;
const list = (ids: string[]) => ids.join(', ');

function describe(s: Suppression): string {
  return s.source === 'config' ? `ignore entry for ${s.rule}` : `suppression of ${list(s.rules)}`;
}

function rulesOf(s: Suppression): string[] {
  return s.source === 'config' ? [s.rule] : s.rules;
}

function applies(s: Suppression, f: Finding): boolean {
  const at = f.location;
  if (s.source === 'config') {
    if (s.rule !== f.ruleId) return false;
    if (s.path !== undefined && !matchesPathGlob(at.file, s.path)) return false;
    if (s.resource !== undefined && !matchesAddressGlob(at.address, s.resource)) return false;
    return true;
  }
  if (!s.rules.includes(f.ruleId)) return false;
  if (s.scope.kind === 'resource') {
    const origin = f.origin ?? at;
    return origin.file === s.file && origin.address === s.scope.address;
  }
  if (s.file !== at.file) return false;
  if (s.scope.kind === 'file') return true;
  const line = at.span.start.line;
  return line >= s.scope.span.start.line && line <= s.scope.span.end.line;
}

/**
 * Splits findings into those still reported and those a suppression covers, and says what is wrong with the
 * suppressions themselves: expired (no longer suppressing), without a reason, naming an unknown rule, or unused.
 * A finding several suppressions cover is credited to the closest one (a block's directive, then a file's, then
 * the config file's), and all of them count as used.
 */
export function applySuppressions(
  findings: readonly Finding[],
  directives: readonly SuppressionDirective[],
  options: ApplySuppressionsOptions,
): ApplySuppressionsResult {
  const known = new Set([...options.knownRules].map((id) => id.toUpperCase()));
  const active = options.activeRules ? new Set([...options.activeRules].map((id) => id.toUpperCase())) : known;
  const diagnostics: Diagnostic[] = [];
  const all: Suppression[] = [...directives, ...(options.configIgnores ?? [])];
  const live: Suppression[] = [];

  for (const s of all) {
    const at = { file: s.file, line: s.line };
    if (s.expires !== undefined && s.expires < options.today) {
      diagnostics.push({
        severity: 'warning',
        code: 'suppression-expired',
        ...at,
        message: `The ${describe(s)} expired on ${s.expires} and no longer suppresses anything; fix the ${plural(rulesOf(s).length, 'finding')} or renew the date.`,
      });
      continue;
    }
    const unknown = rulesOf(s).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'suppression-unknown-rule',
        ...at,
        message: `No rule has the ${plural(unknown.length, 'id')} ${list(unknown)}; run \`iac-vpce rules\` for the list.`,
      });
    }
    if (s.source !== 'config' && (s.reason === undefined || s.reason.trim() === '')) {
      diagnostics.push({
        severity: 'note',
        code: 'suppression-without-reason',
        ...at,
        message: `The ${describe(s)} gives no reason; ${s.source === 'cloudformation' ? 'add a `reason:` to its entry' : 'add one after ` -- `'} so reviewers know why.`,
      });
    }
    live.push(s);
  }

  const used = new Map<Suppression, Set<string>>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const matching = live.filter((s) => applies(s, f));
    if (matching.length === 0) {
      kept.push(f);
      continue;
    }
    const by = matching.find((s) => s.source !== 'config' && s.scope.kind !== 'file') ?? matching[0]!;
    suppressed.push({ finding: f, directive: by });
    // Every suppression that covers the finding counts as used, so none of them is reported as removable.
    for (const s of matching) {
      const ids = used.get(s) ?? new Set<string>();
      ids.add(f.ruleId);
      used.set(s, ids);
    }
  }

  const idleList: ApplySuppressionsResult['idle'] = [];
  for (const s of live) {
    const hit = used.get(s);
    const idle = rulesOf(s).filter((id) => known.has(id) && active.has(id) && !hit?.has(id));
    idleList.push({ suppression: s, idle });
    if (idle.length > 0) diagnostics.push(unusedSuppressionNote(s, idle));
  }

  return { kept, suppressed, diagnostics, idle: idleList };
}

/** The `suppression-unused` note on a suppression whose rules `idle` (a non-empty subset of its rules) suppressed nothing. */
export function unusedSuppressionNote(s: Suppression, idle: readonly string[]): Diagnostic {
  const what = idle.length === rulesOf(s).length ? `The ${describe(s)}` : `${list([...idle])} in the ${describe(s)}`;
  return {
    severity: 'note',
    code: 'suppression-unused',
    file: s.file,
    line: s.line,
    message: `${what} suppresses nothing: no such finding ${s.source === 'config' ? 'matches it' : s.scope.kind === 'file' ? 'in this file' : s.scope.kind === 'resource' ? 'on this resource' : 'in this block'}; it can be removed.`,
  };
}
