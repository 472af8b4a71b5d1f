import { cidrContains, parseAddress, parseCidr } from '../../facts/cidr.js';
import { isUnknown, type Unknown } from '../../source/value.js';
import type { ConditionTest } from './document.js';
import { wildcardMatch } from './match.js';
import { allOf, anyOf, not, unknownBecause, type Tri } from './tri.js';

/**
 * Condition operators as IAM evaluates them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
 *
 * - Several values for one key match when any of them matches (OR); several keys and operators must all hold (AND).
 * - A key absent from the request context fails a positive operator and satisfies a negated one (`StringNotEquals`,
 *   `ArnNotLike`, `NotIpAddress`, …); `…IfExists` holds when the key is absent; `Null` tests presence.
 * - `ForAnyValue:` holds when some request value matches (false when the key is absent or empty); `ForAllValues:`
 *   holds when every request value matches (true when the key is absent or empty).
 */

/** A request context value: absent (undefined), one or several strings, or not known to the analyzer. */
export type ContextValue = string | string[] | Unknown | undefined;

/** Condition keys are case-insensitive; values are read through this lookup. */
export type ContextLookup = (key: string) => ContextValue;

type Comparator = (policyValue: string, requestValue: string) => boolean;

const number = (s: string) => (s.trim() === '' ? NaN : Number(s));
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const ipMatch: Comparator = (range, ip) => {
  const c = parseCidr(range.includes('/') ? range : `${range}/${range.includes(':') ? 128 : 32}`);
  const a = parseAddress(ip);
  if (!c || !a) return false;
  return cidrContains(c, `${ip}/${a.family === 'ipv4' ? 32 : 128}`);
};

/** The base operators (without set prefix, IfExists suffix or negation) and how a policy value matches a request value. */
const BASE: Record<string, Comparator> = {
  StringEquals: (p, r) => p === r,
  StringEqualsIgnoreCase: (p, r) => p.toLowerCase() === r.toLowerCase(),
  StringLike: (p, r) => wildcardMatch(p, r),
  ArnEquals: (p, r) => wildcardMatch(p, r),
  ArnLike: (p, r) => wildcardMatch(p, r),
  IpAddress: ipMatch,
  Bool: (p, r) => p.toLowerCase() === r.toLowerCase(),
  BinaryEquals: (p, r) => p === r,
  NumericEquals: (p, r) => number(p) === number(r),
  NumericLessThan: (p, r) => number(r) < number(p),
  NumericLessThanEquals: (p, r) => number(r) <= number(p),
  NumericGreaterThan: (p, r) => number(r) > number(p),
  NumericGreaterThanEquals: (p, r) => number(r) >= number(p),
  DateEquals: (p, r) => date(p) === date(r),
  DateLessThan: (p, r) => date(r) < date(p),
  DateLessThanEquals: (p, r) => date(r) <= date(p),
  DateGreaterThan: (p, r) => date(r) > date(p),
  DateGreaterThanEquals: (p, r) => date(r) >= date(p),
};

/** Negated operators and the positive operator they negate. */
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NotIpAddress: 'IpAddress',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
};

export interface ParsedOperator {
  set: 'ForAnyValue' | 'ForAllValues' | undefined;
  /** The positive base operator (`StringEquals` for `StringNotEqualsIfExists`), or `Null`. */
  base: string;
  negated: boolean;
  ifExists: boolean;
}

/** Splits `ForAnyValue:StringNotLikeIfExists` into its parts; undefined for an operator IAM does not define. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let set: ParsedOperator['set'];
  const m = /^(ForAnyValue|ForAllValues):(.*)$/.exec(rest);
  if (m) {
    set = m[1] as ParsedOperator['set'];
    rest = m[2]!;
  }
  if (rest === 'Null') return set ? undefined : { set, base: 'Null', negated: false, ifExists: false };
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (BASE[rest]) return { set, base: rest, negated: false, ifExists };
  if (NEGATED[rest]) return { set, base: NEGATED[rest]!, negated: true, ifExists };
  return undefined;
}

/** Whether one condition test holds for a request. */
export function evaluateCondition(test: ConditionTest, lookup: ContextLookup): Tri {
  const op = parseOperator(test.operator);
  if (!op) return unknownBecause(`condition operator ${test.operator} is not one IAM defines`);
  const raw = lookup(test.key);
  if (isUnknown(raw)) return unknownBecause(`the request's ${test.key} is not known`, raw);
  const present = raw !== undefined && (typeof raw === 'string' || raw.length > 0);
  const requestValues = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (isUnknown(test.values)) return unknownBecause(`the values of ${test.operator} ${test.key} are not known`, test.values);
  const values = test.values;

  if (op.base === 'Null') {
    // "true": the key must be absent; "false": present.
    return anyOf(values.map((v) => (isUnknown(v) ? v : v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false)));
  }
  if (!present) {
    if (op.ifExists) return true;
    if (op.set === 'ForAllValues') return true;
    if (op.set === 'ForAnyValue') return false;
    return op.negated;
  }
  const compare = BASE[op.base]!;
  /** Whether one request value matches any policy value (before negation). */
  const matchesAny = (r: string): Tri => anyOf(values.map((p) => (isUnknown(p) ? p : compare(p, r))));
  const one = (r: string): Tri => (op.negated ? not(matchesAny(r)) : matchesAny(r));
  if (op.set === 'ForAllValues') return allOf(requestValues.map(one));
  if (op.set === 'ForAnyValue') return anyOf(requestValues.map(one));
  // A single-valued operator on a key with several values: each value is compared, any match counts.
  return op.negated ? not(anyOf(requestValues.map(matchesAny))) : anyOf(requestValues.map(matchesAny));
}

/** Every test of a statement's Condition block must hold. */
export function evaluateConditions(tests: ConditionTest[] | Unknown, lookup: ContextLookup): Tri {
  if (isUnknown(tests)) return unknownBecause('the Condition block is not known', tests);
  return allOf(tests.map((t) => evaluateCondition(t, lookup)));
}
