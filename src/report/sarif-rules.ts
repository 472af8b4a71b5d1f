import type * as sarif from 'sarif';
import type { Finding, Level, RuleMeta } from '../source/findings.js';
import { compareText, ruleDocUrl } from './common.js';

/** GitHub's `problem.severity` values are `error`, `warning` and `recommendation`; a SARIF `note` is a recommendation. */
const PROBLEM_SEVERITY: Record<Level, 'error' | 'warning' | 'recommendation'> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** The rule descriptors of a run, sorted by id, and where each id sits in that array (for `ruleIndex`). */
export interface RuleTable {
  descriptors: sarif.ReportingDescriptor[];
  indexOf: Map<string, number>;
}

/**
 * Every rule passed in becomes a descriptor, reported or not: code scanning shows the rule list of a tool and
 * closes alerts whose rule vanished from it. A finding whose rule is missing from the metadata (a rule that failed
 * to load, a test double) still gets a minimal descriptor so its `ruleIndex` is never dangling.
 */
export function ruleTable(rules: readonly RuleMeta[], findings: readonly Finding[]): RuleTable {
  const byId = new Map<string, RuleMeta>();
  // First occurrence in id order wins, so a duplicated id cannot make the output depend on input order.
  for (const rule of [...rules].sort((a, b) => compareText(a.id, b.id) || compareText(a.name, b.name))) {
    if (!byId.has(rule.id)) byId.set(rule.id, rule);
  }
  const orphans = new Map<string, Finding>();
  for (const f of findings) if (!byId.has(f.ruleId) && !orphans.has(f.ruleId)) orphans.set(f.ruleId, f);

  const ids = [...new Set([...byId.keys(), ...orphans.keys()])].sort(compareText);
  const descriptors = ids.map((id) => {
    const meta = byId.get(id);
    return meta ? ruleDescriptor(meta) : { id, defaultConfiguration: { level: orphans.get(id)!.level } };
  });
  return { descriptors, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

export function ruleDescriptor(rule: RuleMeta): sarif.ReportingDescriptor {
  const url = ruleDocUrl(rule.id);
  const tags = [...rule.tags];
  // GitHub files a rule under "security" only when that tag is present; the category carries it for security rules.
  if (!tags.includes(rule.category)) tags.push(rule.category);
  const properties: sarif.PropertyBag = { tags, precision: rule.precision };
  // GitHub ranks and filters alerts by `security-severity` for security rules and by `problem.severity` for the
  // others ("SARIF support for code scanning", `reportingDescriptor` object): a rule carries one or the other.
  if (rule.securitySeverity !== undefined) properties['security-severity'] = rule.securitySeverity;
  else properties['problem.severity'] = PROBLEM_SEVERITY[rule.level];
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.description },
    defaultConfiguration: { level: rule.level },
    helpUri: url,
    help: {
      text: `${rule.summary}\n\n${rule.description}\n\nDocumentation: ${url}`,
      markdown: `**${rule.summary}**\n\n${rule.description}\n\n[${rule.id} ${rule.name}: what it finds, why, how to fix and how to suppress](${url})`,
    },
    properties,
  };
}
