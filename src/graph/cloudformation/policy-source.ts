import type { CfnResource } from '../../parsers/cloudformation/index.js';
import type { SourceRef } from '../../source/types.js';
import { isObject, isUnknown } from '../../source/value.js';
import type { Maybe, PolicyDocument } from '../model.js';
import { policyFromValue } from '../policy.js';

/**
 * A `PolicyDocument` property read as a policy, with where each statement is written when the document is a mapping
 * in the template (a document given as JSON text has no per-statement positions).
 */
export function cloudFormationPolicy(r: CfnResource, property: string): Maybe<PolicyDocument> | undefined {
  const policy = policyFromValue(r.properties[property], 'deployment');
  if (policy === undefined || isUnknown(policy) || policy.text !== undefined || !isObject(policy.document)) return policy;
  const st = policy.document['Statement'];
  const at = (path: string): SourceRef | undefined => {
    const span = r.propertySpans[path];
    return span ? { file: r.file, span, address: r.logicalId } : undefined;
  };
  const statementAt = Array.isArray(st) ? st.map((_s, n) => at(`${property}.Statement[${n}]`)) : st !== undefined ? [at(`${property}.Statement`)] : [];
  return { ...policy, statementAt };
}
