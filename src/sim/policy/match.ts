/**
 * Wildcard matching as IAM does it: `*` matches any run of characters (also none), `?` any one character.
 * Action names are matched without regard to case ("action names are not case sensitive",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html); resources, ARNs and
 * condition values with case (StringLike is case-sensitive,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative glob with backtracking to the last `*`: linear in practice, no regular expression to blow up.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** An action pattern (`s3:Get*`) matches an action (`s3:GetObject`), case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/** The service prefix of an action (`s3` of `s3:GetObject`), lower case; undefined for `*` or a malformed action. */
export function actionPrefix(action: string): string | undefined {
  const colon = action.indexOf(':');
  return colon > 0 ? action.slice(0, colon).toLowerCase() : undefined;
}

/**
 * Whether an action pattern certainly names another service than the given prefixes: its service part is written
 * out (no wildcard before the colon) and is none of them. `*`, `s*:Get*` or `*Object` might match, so they do not.
 */
export function actionIsForeign(pattern: string, prefixes: readonly string[]): boolean {
  const colon = pattern.indexOf(':');
  if (colon <= 0) return false;
  const head = pattern.slice(0, colon);
  if (/[*?]/.test(head)) return false;
  return !prefixes.includes(head.toLowerCase());
}
