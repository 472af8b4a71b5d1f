import { isIsoDate, RULE_ID_PATTERN, type SuppressionDirective } from '../../source/suppression.js';
import type { Diagnostic } from '../../source/types.js';
import { isObject, isUnknown, type Value } from '../../source/value.js';
import type { CfnTemplate } from './types.js';

/** The Metadata key iac-vpce reads, in the shape cfn_nag and cdk-nag use (`rules_to_suppress`). */
export const METADATA_KEY = 'iac-vpce';

const SHAPE = '`Metadata: { iac-vpce: { rules_to_suppress: [{ id: VPCE101, reason: "…", expires: YYYY-MM-DD }] } }`';

/**
 * Suppressions written in resources' Metadata:
 *
 * ```yaml
 * Metadata:
 *   iac-vpce:
 *     rules_to_suppress:
 *       - id: VPCE101
 *         reason: batch traffic is small
 *         expires: 2027-01-31
 * ```
 *
 * Each covers the findings of its rule whose primary resource is that resource. CDK writes the same shape with
 * `cfnResource.addMetadata('iac-vpce', { rules_to_suppress: [...] })`, so it survives `cdk synth`.
 */
export function cloudFormationSuppressions(template: CfnTemplate): { directives: SuppressionDirective[]; diagnostics: Diagnostic[] } {
  const directives: SuppressionDirective[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const r of template.resources) {
    const meta = r.metadata?.[METADATA_KEY];
    if (meta === undefined) continue;
    const line = r.headerSpan.start.line;
    const problem = (message: string) =>
      diagnostics.push({
        severity: 'warning',
        code: 'suppression-malformed',
        file: template.file,
        line,
        message: `${message} (resource ${r.logicalId}); write ${SHAPE}.`,
      });
    if (isUnknown(meta)) continue;
    const list: Value | undefined = isObject(meta) ? meta['rules_to_suppress'] : undefined;
    if (!Array.isArray(list)) {
      problem(`Metadata "${METADATA_KEY}" has no rules_to_suppress list`);
      continue;
    }
    for (const [i, entry] of list.entries()) {
      if (!isObject(entry)) {
        problem(`Entry ${i + 1} of rules_to_suppress is not a mapping`);
        continue;
      }
      const id = entry['id'];
      if (typeof id !== 'string' || !RULE_ID_PATTERN.test(id.trim())) {
        problem(`Entry ${i + 1} of rules_to_suppress has no rule id`);
        continue;
      }
      const reason = typeof entry['reason'] === 'string' ? entry['reason'].trim() || undefined : undefined;
      let expires: string | undefined;
      const exp = entry['expires'];
      if (exp !== undefined && exp !== null) {
        const s = String(exp).trim();
        if (!isIsoDate(s)) {
          problem(`The expiry date "${s}" of ${id} is not a date written YYYY-MM-DD; it suppresses nothing`);
          continue;
        }
        expires = s;
      }
      directives.push({
        source: 'cloudformation',
        rules: [id.trim().toUpperCase()],
        ...(expires ? { expires } : {}),
        ...(reason ? { reason } : {}),
        file: template.file,
        line,
        scope: { kind: 'resource', address: r.logicalId },
      });
    }
  }
  return { directives, diagnostics };
}
