import { createHash } from 'node:crypto';
import type { Graph } from '../graph/graph.js';
import { UNDECIDED, type Diagnostic } from '../source/types.js';
import type { GraphNode } from '../graph/model.js';
import type { SourceRef } from '../source/types.js';
import { formatMessage, resolveLocation, type Locatable, type Rule } from '../../rules/rule.js';
import type { Finding } from '../source/findings.js';
import { debugStack, errorText } from './guard.js';

/** The graph node a location points at, when it is a node or one of its attributes. */
function nodeOf(at: Locatable): GraphNode | undefined {
  if ('node' in at && 'attribute' in at) return at.node;
  if ('kind' in at && 'callSites' in at) return at as GraphNode;
  return undefined;
}

/**
 * The `module` calls leading to the finding's primary resource, as related locations (outermost first), so a reviewer
 * sees which call to change. A call already shown (the primary location itself, or a related one) is not repeated.
 */
function callSiteRelated(at: Locatable, location: SourceRef, related: Array<{ at: SourceRef; message: string }>): Array<{ at: SourceRef; message: string }> {
  const shown = new Set([location, ...related.map((r) => r.at)].map((l) => `${l.file}:${l.span.start.line}`));
  const out: Array<{ at: SourceRef; message: string }> = [];
  for (const call of nodeOf(at)?.callSites ?? []) {
    const key = `${call.file}:${call.span.start.line}`;
    if (shown.has(key)) continue;
    shown.add(key);
    out.push({ at: call, message: `called from module "${call.address.replace(/^.*\bmodule\./, '')}"` });
  }
  return out;
}

export function fingerprint(ruleId: string, file: string, addresses: string[]): string {
  const h = createHash('sha256');
  h.update([ruleId, file, ...[...new Set(addresses)].sort()].join('\u0000'));
  return h.digest('hex').slice(0, 32);
}

/**
 * Runs every rule on a graph. A rule that throws is a bug in the rule: its error becomes a diagnostic and the other
 * rules still run.
 */
/**
 * `fingerprintFile` maps a finding's file (relative to the scan root) to the path its fingerprint hashes: relative to
 * the repository, so that scanning the same repository from another folder keeps every alert's identity.
 */
export function runRules(graph: Graph, rules: Rule[], diagnostics: Diagnostic[], fingerprintFile: (file: string) => string = (f) => f): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    try {
      rule.check(graph.view(), {
        report(r) {
          const location = resolveLocation(r.at);
          const related = (r.related ?? []).map((x) => ({ at: resolveLocation(x.at), message: x.message }));
          const fp = fingerprint(rule.id, fingerprintFile(location.file), [location.address, ...(r.identity ?? related.map((x) => x.at.address))]);
          if (seen.has(fp)) return;
          seen.add(fp);
          findings.push({
            ruleId: rule.id,
            level: rule.level,
            messageId: r.messageId,
            message: formatMessage(rule.messages[r.messageId as keyof typeof rule.messages], r.data),
            location,
            related: [...related, ...callSiteRelated(r.at, location, related)],
            path: r.path?.map((s) => ({ at: resolveLocation(s.at), message: s.message })),
            fix: r.fix,
            ...(r.natRegions && r.natRegions.length > 0 ? { natRegions: [...r.natRegions] } : {}),
            fingerprint: fp,
          });
        },
        undecided(u) {
          const location = resolveLocation(u.at);
          diagnostics.push(undecidedDiagnostic(rule.id, location, u.reason));
        },
      });
    } catch (e) {
      diagnostics.push({
        severity: 'error',
        code: 'rule-error',
        file: graph.name,
        message: `Rule ${rule.id} failed on this configuration: ${errorText(e)}. Its findings here are missing; the other rules ran.${debugStack(e)}`,
      });
    }
  }
  return findings;
}

/** The counted diagnostic of a rule that stayed silent: `VPCE101 undecided for aws_route_table.private: <reason>`. */
export function undecidedDiagnostic(ruleId: string, location: SourceRef, reason: string): Diagnostic {
  return {
    severity: 'note',
    code: UNDECIDED,
    file: location.file,
    line: location.span.start.line,
    column: location.span.start.column,
    rule: ruleId,
    resource: location.address,
    message: `${ruleId} undecided for ${location.address}: ${reason}`,
  };
}
