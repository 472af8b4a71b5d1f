import { displayValue, isObject, isUnknown, parseRef, unknown, type Value } from '../source/value.js';
import type { Maybe, PolicyDocument, PolicyJson } from './model.js';

/**
 * A resource policy as the configuration writes it: JSON text (Terraform, CloudFormation strings) or an object
 * (CloudFormation). Undefined when not set; Unknown when the whole policy cannot be computed. Text that is not JSON is
 * kept with the parser's message, so a rule can report it. Inside an object, a value known only after deployment (an
 * ARN, an endpoint id) becomes an Unknown leaf: the statement structure stays readable.
 */
export function policyFromValue(v: Value | undefined, whenRef: string): Maybe<PolicyDocument> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  // A jsonencode (or rendered document) with parts known only later: its statements stay readable around them.
  if (isUnknown(v)) return v.partialJson !== undefined && isObject(v.partialJson) ? { document: toPolicyJson(v.partialJson, whenRef) } : v;
  if (typeof v === 'string') {
    if (parseRef(v)) return unknown(`the policy ${displayValue(v)} is known only after ${whenRef}`);
    try {
      return { document: toPolicyJson(JSON.parse(v) as unknown, whenRef), text: v };
    } catch (e) {
      return { document: undefined, text: v, parseError: (e as Error).message };
    }
  }
  return { document: toPolicyJson(v, whenRef) };
}

function toPolicyJson(v: unknown, whenRef: string): PolicyJson {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isUnknown(v)) return v;
  if (typeof v === 'string') return parseRef(v) ? unknown(`${displayValue(v)} is known only after ${whenRef}`) : v;
  if (Array.isArray(v)) return v.map((x) => toPolicyJson(x, whenRef));
  if (typeof v === 'object') {
    const out: { [key: string]: PolicyJson } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      Object.defineProperty(out, k, { value: toPolicyJson(x, whenRef), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return unknown(`${String(v)} is not JSON`);
}

/**
 * The actions the Allow statements of an identity policy name, in order: the policy as JSON text or as an object.
 * Empty when it is neither (text that is not JSON, a value not known).
 */
export function allowedActions(policy: Value | undefined): string[] {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (!isObject(doc as Value)) return [];
  const st = (doc as Record<string, unknown>)['Statement'];
  const out: string[] = [];
  for (const s of Array.isArray(st) ? st : [st]) {
    if (!s || typeof s !== 'object') continue;
    const rec = s as Record<string, unknown>;
    if (rec['Effect'] !== 'Allow') continue;
    const a = rec['Action'];
    for (const x of Array.isArray(a) ? a : [a]) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/** The first action an identity policy allows that matches `pattern` (`/^dynamodb:/i`). */
export function firstAllowedAction(policy: Value | undefined, pattern: RegExp): string | undefined {
  return allowedActions(policy).find((a) => pattern.test(a));
}

/** An AWS-managed policy that grants DynamoDB actions (`AmazonDynamoDBReadOnlyAccess`, `service-role/AmazonDynamoDB…`), by ARN. */
export const DYNAMODB_MANAGED_POLICY = /:policy\/(service-role\/)?AmazonDynamoDB/;
