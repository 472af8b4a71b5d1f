import { createHash } from 'node:crypto';
import type { Graph } from '../graph/graph.js';
import type { Diagnostic } from '../source/types.js';
import { formatMessage, resolveLocation, type Rule } from './rule.js';
import type { Finding } from './types.js';

export function fingerprint(ruleId: string, file: string, addresses: string[]): string {
  const h = createHash('sha256');
  h.update([ruleId, file, ...[...new Set(addresses)].sort()].join('\u0000'));
  return h.digest('hex').slice(0, 32);
}

/**
 * Runs every rule on a graph. A rule that throws is a bug in the rule: its error becomes a diagnostic and the other
 * rules still run.
 */
export function runRules(graph: Graph, rules: Rule[], diagnostics: Diagnostic[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    try {
      rule.check(graph, {
        report(r) {
          const location = resolveLocation(r.at);
          const related = (r.related ?? []).map((x) => ({ at: resolveLocation(x.at), message: x.message }));
          const fp = fingerprint(rule.id, location.file, [location.address, ...(r.identity ?? related.map((x) => x.at.address))]);
          if (seen.has(fp)) return;
          seen.add(fp);
          findings.push({
            ruleId: rule.id,
            level: rule.level,
            messageId: r.messageId,
            message: formatMessage(rule.messages[r.messageId as keyof typeof rule.messages], r.data),
            location,
            related,
            path: r.path?.map((s) => ({ at: resolveLocation(s.at), message: s.message })),
            fix: r.fix,
            fingerprint: fp,
          });
        },
      });
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'rule-error', file: graph.name, message: `Rule ${rule.id} failed on this configuration: ${(e as Error).message}` });
    }
  }
  return findings;
}
