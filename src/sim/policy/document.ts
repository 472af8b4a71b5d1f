import type { PolicyDocument, PolicyJson } from '../../graph/model.js';
import { isUnknown, type Unknown } from '../../source/value.js';

/**
 * An IAM resource policy read into statements, with single values normalised to lists. The policy grammar writes
 * `"Action": "s3:GetObject"` and `"Action": ["s3:GetObject"]` alike
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html): here both are a list. A part of
 * the document the analyzer cannot compute stays Unknown, in place: the rest of the statement is still read.
 */

/** A list as the policy writes it; an entry, or the whole list, may be Unknown. */
export type PolicyList = Array<string | Unknown> | Unknown;

/** `Principal` / `NotPrincipal`: `"*"`, or principals by type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
export type PrincipalSpec = { kind: 'any' } | { kind: 'by-type'; byType: Record<string, PolicyList> } | Unknown;

/** One test of a Condition block: `"StringEquals": { "aws:SourceVpce": ["vpce-1"] }` is one test per key. */
export interface ConditionTest {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  key: string;
  values: PolicyList;
}

export interface Statement {
  /** Position in the Statement list, from 0. */
  index: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny' | Unknown | { invalid: PolicyJson | undefined };
  principal: PrincipalSpec | undefined;
  notPrincipal: PrincipalSpec | undefined;
  action: PolicyList | undefined;
  notAction: PolicyList | undefined;
  resource: PolicyList | undefined;
  notResource: PolicyList | undefined;
  /** Every test must hold (AND); Unknown when the block cannot be read. */
  conditions: ConditionTest[] | Unknown;
  /** The statement as written, for messages. */
  raw: { [key: string]: PolicyJson };
}

export interface ReadPolicy {
  statements: Statement[];
  /** The statement list itself is Unknown, or an entry is Unknown: more statements may apply than those read. */
  unreadStatements?: Unknown;
  /** Why the document is not a policy (not an object, no Statement, a statement that is not an object). */
  invalid?: string;
}

const isRecord = (v: PolicyJson | undefined): v is { [key: string]: PolicyJson } => typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);

/** A policy element's value as a list of strings (numbers and booleans as the JSON text reads them). */
export function toList(v: PolicyJson | undefined): PolicyList | undefined {
  if (v === undefined) return undefined;
  if (isUnknown(v)) return v;
  const one = (x: PolicyJson): string | Unknown | undefined =>
    isUnknown(x) ? x : typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
  const items = Array.isArray(v) ? v : [v];
  const out: Array<string | Unknown> = [];
  for (const x of items) {
    const s = one(x);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function principalOf(v: PolicyJson | undefined): PrincipalSpec | undefined {
  if (v === undefined) return undefined;
  if (isUnknown(v)) return v;
  if (v === '*') return { kind: 'any' };
  if (!isRecord(v)) return { kind: 'by-type', byType: {} };
  const byType: Record<string, PolicyList> = {};
  for (const [type, ids] of Object.entries(v)) byType[type] = toList(ids) ?? [];
  return { kind: 'by-type', byType };
}

function conditionsOf(v: PolicyJson | undefined): ConditionTest[] | Unknown {
  if (v === undefined || v === null) return [];
  if (isUnknown(v)) return v;
  if (!isRecord(v)) return [];
  const out: ConditionTest[] = [];
  for (const [operator, block] of Object.entries(v)) {
    if (isUnknown(block)) return block;
    if (!isRecord(block)) continue;
    for (const [key, values] of Object.entries(block)) out.push({ operator, key, values: toList(values) ?? [] });
  }
  return out;
}

function effectOf(v: PolicyJson | undefined): Statement['effect'] {
  if (isUnknown(v)) return v;
  if (v === 'Allow' || v === 'Deny') return v;
  return { invalid: v };
}

/** Reads the statements of a parsed policy document. */
export function readPolicy(doc: PolicyJson | undefined): ReadPolicy {
  if (isUnknown(doc)) return { statements: [], unreadStatements: doc };
  if (!isRecord(doc)) return { statements: [], invalid: 'the policy is not a JSON object' };
  const st = doc['Statement'];
  if (st === undefined) return { statements: [], invalid: 'the policy has no Statement element' };
  if (isUnknown(st)) return { statements: [], unreadStatements: st };
  const list = Array.isArray(st) ? st : [st];
  const out: ReadPolicy = { statements: [] };
  list.forEach((s, index) => {
    if (isUnknown(s)) {
      out.unreadStatements ??= s;
      return;
    }
    if (!isRecord(s)) {
      out.invalid ??= `statement ${index} is not a JSON object`;
      return;
    }
    const sid = typeof s['Sid'] === 'string' ? s['Sid'] : undefined;
    out.statements.push({
      index,
      sid,
      effect: effectOf(s['Effect']),
      principal: principalOf(s['Principal']),
      notPrincipal: principalOf(s['NotPrincipal']),
      action: toList(s['Action']),
      notAction: toList(s['NotAction']),
      resource: toList(s['Resource']),
      notResource: toList(s['NotResource']),
      conditions: conditionsOf(s['Condition']),
      raw: s,
    });
  });
  return out;
}

/** The statements of a graph policy: undefined when it is not JSON or not known. */
export function readPolicyDocument(p: PolicyDocument | Unknown): ReadPolicy {
  if (isUnknown(p)) return { statements: [], unreadStatements: p };
  if (p.document === undefined) return { statements: [], invalid: `the policy is not JSON (${p.parseError ?? 'it cannot be parsed'})` };
  return readPolicy(p.document);
}

/** How a statement reads in a message: its Sid, else its position. */
export function statementLabel(s: Pick<Statement, 'sid' | 'index'>): string {
  return s.sid ? `statement "${s.sid}"` : `statement ${s.index + 1}`;
}
