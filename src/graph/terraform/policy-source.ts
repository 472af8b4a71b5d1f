import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { references } from '../../parsers/terraform/expr/index.js';
import type { SourceRef } from '../../source/types.js';
import { isObject, isUnknown, type Value } from '../../source/value.js';
import type { Maybe, PolicyDocument } from '../model.js';
import { policyFromValue } from '../policy.js';
import type { InstanceIndex } from './refs.js';

/**
 * A resource's policy argument read as a policy, with where it comes from: the `data "aws_iam_policy_document"` that
 * renders it (found by its rendered value, so a policy passed through locals is found too) and the `statement` block of
 * each rendered statement, so a finding can name the block a reader has to change.
 */
export function terraformPolicy(index: InstanceIndex, i: ResourceInstance, attribute: string): Maybe<PolicyDocument> | undefined {
  const value = i.values[attribute];
  const policy = policyFromValue(value, 'apply');
  if (policy === undefined || isUnknown(policy) || value === undefined || value === null) return policy;
  const renderer = rendererOf(index, i, attribute);
  if (!renderer) return policy;
  const renderedBy: SourceRef = { file: renderer.block.file, span: renderer.block.headerSpan, address: renderer.address };
  return { ...policy, renderedBy, statementAt: statementBlocks(renderer, policy) };
}

function rendererOf(index: InstanceIndex, i: ResourceInstance, attribute: string): ResourceInstance | undefined {
  const value = i.values[attribute];
  const same = index
    .dataOfType('aws_iam_policy_document')
    .filter((d) => d.moduleAddress === i.moduleAddress && (d.values['json'] === value || d.values['minified_json'] === value));
  if (same.length <= 1) return same[0];
  // Two documents render the same text: the one the argument names.
  const expr = i.block.attributes[attribute]?.expr;
  const named = new Set(
    (expr ? references(expr) : [])
      .filter((p) => p[0] === 'data' && p[1] === 'aws_iam_policy_document' && p[2])
      .map((p) => `data.aws_iam_policy_document.${p[2]}`),
  );
  const prefix = i.moduleAddress ? `${i.moduleAddress}.` : '';
  const picked = same.filter((d) => named.has(d.address.slice(prefix.length).replace(/\[.*$/, '')));
  return picked.length === 1 ? picked[0] : undefined;
}

/** The `statement` block of each rendered statement: by Sid, or by position when no other document is merged in. */
function statementBlocks(d: ResourceInstance, policy: PolicyDocument): Array<SourceRef | undefined> | undefined {
  const doc = policy.document;
  if (!isObject(doc)) return undefined;
  const rendered = doc['Statement'];
  if (!Array.isArray(rendered)) return undefined;
  const own = Array.isArray(d.values['statement']) ? d.values['statement'] : [];
  const spans = d.nestedSpans['statement'] ?? [];
  const merged = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'].some(
    (k) => d.values[k] !== undefined && d.values[k] !== null,
  );
  const at = (n: number): SourceRef | undefined => (spans[n] ? { file: d.block.file, span: spans[n]!, address: d.address } : undefined);
  // A statement of an override document replaces the own statement with its Sid: it is not written in the own block.
  const overridden = overrideSids(d.values['override_policy_documents'], d.values['override_json']);
  return rendered.map((s, j) => {
    const sid = isObject(s) ? s['Sid'] : undefined;
    if (typeof sid === 'string' && sid) {
      if (overridden === undefined || overridden.has(sid)) return undefined;
      const n = own.findIndex((o) => isObject(o) && o['sid'] === sid);
      return n >= 0 ? at(n) : undefined;
    }
    return merged ? undefined : at(j);
  });
}

/** The Sids of the statements in the override documents; undefined when one of them is not known. */
function overrideSids(...args: Array<Value | undefined>): Set<string> | undefined {
  const sids = new Set<string>();
  for (const v of args) {
    for (const x of v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]) {
      if (x === null || x === '') continue;
      let doc: unknown = x;
      if (isUnknown(x)) doc = x.partialJson;
      else if (typeof x === 'string') {
        try {
          doc = JSON.parse(x);
        } catch {
          continue;
        }
      }
      if (!isObject(doc)) return undefined;
      const st = doc['Statement'];
      if (!Array.isArray(st)) {
        if (st === undefined || st === null) continue;
        return undefined;
      }
      for (const s of st) {
        if (isObject(s) && typeof s['Sid'] === 'string') sids.add(s['Sid']);
        else if (isObject(s) && isUnknown(s['Sid'])) return undefined;
      }
    }
  }
  return sids;
}
